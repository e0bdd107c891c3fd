import { describe, expect, it } from 'vitest';
import { addDuration, assertTimeZone, formatLocal, fromLocal, offsetMs, toLocal } from './time.js';

const NY = 'America/New_York';
const BXL = 'Europe/Brussels';
const iso = (d: Date) => d.toISOString();

describe('offsets and local resolution', () => {
  it('reads zone offsets on both sides of DST', () => {
    expect(offsetMs(new Date('2026-01-15T12:00:00Z'), NY)).toBe(-5 * 3_600_000);
    expect(offsetMs(new Date('2026-07-15T12:00:00Z'), NY)).toBe(-4 * 3_600_000);
    expect(offsetMs(new Date('2026-01-15T12:00:00Z'), BXL)).toBe(3_600_000);
    expect(offsetMs(new Date('2026-07-15T12:00:00Z'), BXL)).toBe(2 * 3_600_000);
    expect(offsetMs(new Date('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('moves a time in the spring-forward gap forward', () => {
    // 02:30 on 8 March 2026 does not exist in New York; it becomes 03:30 EDT.
    const d = fromLocal({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0, millisecond: 0 }, NY);
    expect(iso(d)).toBe('2026-03-08T07:30:00.000Z');
    expect(toLocal(d, NY).hour).toBe(3);
  });

  it('resolves the repeated fall-back hour to the earlier instant', () => {
    const d = fromLocal(
      { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0, millisecond: 0 },
      NY,
    );
    expect(iso(d)).toBe('2026-11-01T05:30:00.000Z');
    const b = fromLocal(
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, millisecond: 0 },
      BXL,
    );
    expect(iso(b)).toBe('2026-10-25T00:30:00.000Z');
  });

  it('rejects unknown time zones by name', () => {
    expect(() => assertTimeZone('Mars/Olympus_Mons')).toThrow(/unknown time zone "Mars\/Olympus_Mons"/);
    expect(() => addDuration(new Date(), { unit: 'hours', value: 1 }, 'Nowhere/Town')).toThrow(
      /unknown time zone/,
    );
  });

  it('formats with the local offset', () => {
    expect(formatLocal(new Date('2026-07-01T10:00:00Z'), BXL)).toBe(
      '2026-07-01 12:00 (UTC+02:00, Europe/Brussels)',
    );
  });
});

describe('addDuration', () => {
  it('treats hours as absolute across the New York spring-forward change', () => {
    // 7 March 2026 20:00 EST + 24 h = 8 March 21:00 EDT (wall clock moves 25 h).
    const start = new Date('2026-03-08T01:00:00Z');
    const end = addDuration(start, { unit: 'hours', value: 24 }, NY);
    expect(iso(end)).toBe('2026-03-09T01:00:00.000Z');
    expect(toLocal(end, NY)).toMatchObject({ day: 8, hour: 21 });
  });

  it('keeps local time of day for calendar days across the New York spring-forward change', () => {
    const start = new Date('2026-03-07T15:00:00Z'); // 10:00 EST
    const end = addDuration(start, { unit: 'calendarDays', value: 1 }, NY);
    expect(iso(end)).toBe('2026-03-08T14:00:00.000Z'); // 10:00 EDT: only 23 h later
  });

  it('keeps local time of day for calendar days across the New York fall-back change', () => {
    const start = new Date('2026-10-20T13:00:00Z'); // 09:00 EDT
    const end = addDuration(start, { unit: 'calendarDays', value: 30 }, NY);
    expect(iso(end)).toBe('2026-11-19T14:00:00.000Z'); // 09:00 EST
  });

  it('hours across the Brussels autumn change are absolute: 72 h is 71 wall-clock hours', () => {
    const start = new Date('2026-10-23T10:00:00Z'); // 12:00 CEST
    const end = addDuration(start, { unit: 'hours', value: 72 }, BXL);
    expect(iso(end)).toBe('2026-10-26T10:00:00.000Z');
    expect(toLocal(end, BXL)).toMatchObject({ day: 26, hour: 11 });
  });

  it('one month across the Brussels spring change keeps local time', () => {
    const start = new Date('2026-03-10T08:00:00Z'); // 09:00 CET
    const end = addDuration(start, { unit: 'months', value: 1 }, BXL);
    expect(iso(end)).toBe('2026-04-10T07:00:00.000Z'); // 09:00 CEST
  });

  it('clamps months to the end of a shorter month', () => {
    const jan31 = new Date('2026-01-31T09:00:00Z'); // 10:00 Brussels
    expect(iso(addDuration(jan31, { unit: 'months', value: 1 }, BXL))).toBe('2026-02-28T09:00:00.000Z');
    const leap = new Date('2028-01-31T15:00:00Z');
    expect(iso(addDuration(leap, { unit: 'months', value: 1 }, 'UTC'))).toBe('2028-02-29T15:00:00.000Z');
    const aug31 = new Date('2026-08-31T12:00:00Z');
    expect(iso(addDuration(aug31, { unit: 'months', value: 1 }, 'UTC'))).toBe('2026-09-30T12:00:00.000Z');
    const dec = new Date('2026-12-15T12:00:00Z');
    expect(iso(addDuration(dec, { unit: 'months', value: 1 }, 'UTC'))).toBe('2027-01-15T12:00:00.000Z');
  });

  it('counts the local date, not the UTC date, for calendar days', () => {
    // 23:30 in New York on 31 Jan is already 1 Feb in UTC; +1 month is 28 Feb 23:30 local.
    const start = new Date('2026-02-01T04:30:00Z');
    const end = addDuration(start, { unit: 'months', value: 1 }, NY);
    expect(toLocal(end, NY)).toMatchObject({ month: 2, day: 28, hour: 23, minute: 30 });
    // The same instant in Tokyo is 1 Feb 13:30; +1 month is 1 March.
    expect(
      toLocal(addDuration(start, { unit: 'months', value: 1 }, 'Asia/Tokyo'), 'Asia/Tokyo'),
    ).toMatchObject({
      month: 3,
      day: 1,
    });
  });

  it('skips weekends and given holidays for business days', () => {
    const fri = new Date('2026-07-03T14:00:00Z'); // Friday 10:00 EDT
    const end = addDuration(fri, { unit: 'businessDays', value: 14 }, NY);
    expect(toLocal(end, NY)).toMatchObject({ month: 7, day: 23, hour: 10 });
    const withHoliday = addDuration(fri, { unit: 'businessDays', value: 1 }, NY, {
      holidays: ['2026-07-06'],
    });
    expect(toLocal(withHoliday, NY)).toMatchObject({ month: 7, day: 7 });
  });

  it('rejects negative or fractional durations', () => {
    expect(() => addDuration(new Date(), { unit: 'hours', value: -1 }, 'UTC')).toThrow(
      /non-negative integer/,
    );
    expect(() => addDuration(new Date(), { unit: 'calendarDays', value: 1.5 }, 'UTC')).toThrow(
      /non-negative integer/,
    );
  });
});
