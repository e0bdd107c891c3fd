import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTimestamps, parseTimestamp } from './time.js';

/** The definition `parseTimestamp` implements, as a regular expression and `Date` (years from 100 on). */
function reference(value: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const days = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > days) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 60) return undefined;
  const fraction = m[7] ?? '';
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const ms = Date.UTC(
    year!,
    month! - 1,
    day!,
    hour!,
    minute!,
    Math.min(second!, 59),
    second === 60 ? 999 : millis,
  );
  return { ms, fraction };
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
/** Strings shaped like timestamps, valid or nearly so (impossible dates, 60 seconds, odd fractions). */
const nearTimestamp = fc
  .tuple(
    fc.integer({ min: 100, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    two(13),
    two(32),
    two(25),
    two(61),
    two(61),
    fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{0,12}$/), fc.constantFrom('.', '.5a', ',5')),
    fc.constantFrom('Z', 'Z', 'Z', 'z', '+00:00', ''),
  )
  .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`);

describe('STIX timestamps', () => {
  it('parses exactly what the definition accepts, to the same instant and fraction', () => {
    fc.assert(
      fc.property(fc.oneof(nearTimestamp, fc.string()), (value) => {
        expect(parseTimestamp(value)).toEqual(reference(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses wrong forms, impossible dates and offsets', () => {
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:00:00.Z',
      '2024-01-01T00:00:00+02:00',
      '2024-01-01 00:00:00Z',
      '２０２４-01-01T00:00:00Z',
      '2024-01-01T00:00:00',
    ]) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
    expect(parseTimestamp(20240101)).toBeUndefined();
  });

  it('keeps leap years, leap seconds, sub-millisecond digits and years before 100', () => {
    expect(parseTimestamp('2024-02-29T23:59:60Z')?.ms).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseTimestamp('2000-02-29T00:00:00.5Z')).toEqual({
      ms: Date.UTC(2000, 1, 29, 0, 0, 0, 500),
      fraction: '5',
    });
    expect(parseTimestamp('0050-01-01T00:00:00Z')?.ms).toBe(-60_589_296_000_000);
    expect(compareTimestamps('2024-01-01T00:00:00.1234Z', '2024-01-01T00:00:00.1235Z')).toBeLessThan(0);
    expect(compareTimestamps('2024-01-01T00:00:00.5Z', '2024-01-01T00:00:00.500Z')).toBe(0);
  });
});
