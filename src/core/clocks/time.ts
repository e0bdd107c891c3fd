/**
 * Calendar arithmetic in an IANA time zone, built on `Intl.DateTimeFormat` only.
 *
 * Legal deadlines mix two kinds of time: "72 hours" is an absolute duration (a DST change does not give anyone
 * an extra hour), while "30 days" or "one month" are counted on the local calendar of whoever is bound by the
 * rule. So hours are added to the instant, and days/months are added to the local wall-clock date and then
 * resolved back to an instant in the zone.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export type DurationUnit = 'hours' | 'calendarDays' | 'businessDays' | 'months';

export interface Duration {
  unit: DurationUnit;
  value: number;
}

export interface CalendarOptions {
  /** Local dates (YYYY-MM-DD) that are not business days besides Saturdays and Sundays. */
  holidays?: readonly string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatterCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatterCache.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not a valid IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  if (typeof timeZone !== 'string' || timeZone.length === 0) {
    throw new RangeError('time zone must be a non-empty IANA name such as "Europe/Brussels"');
  }
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}": expected an IANA name such as "America/New_York"`);
  }
}

function assertInstant(instant: Date, what = 'instant'): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${what} must be a valid Date`);
  }
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  assertInstant(instant);
  const parts = formatter(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const p = parts.find((x) => x.type === type);
    return p ? Number(p.value) : 0;
  };
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
    millisecond: ((instant.getTime() % 1000) + 1000) % 1000,
  };
}

function localAsUtcMs(l: LocalDateTime): number {
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
}

/** Offset of the zone from UTC at the instant, in ms (positive east of Greenwich). */
export function offsetMs(instant: Date, timeZone: string): number {
  return localAsUtcMs(toLocal(instant, timeZone)) - instant.getTime();
}

function sameWallClock(a: LocalDateTime, b: LocalDateTime): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second
  );
}

/**
 * Resolves a local wall-clock time to an instant. Ambiguous times (the repeated hour when clocks fall back)
 * resolve to the earlier instant, because an earlier deadline is the safe reading; times that do not exist
 * (the skipped hour when clocks spring forward) move forward by the length of the gap. This is the behaviour
 * Temporal calls "compatible".
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = localAsUtcMs(local);
  // Offsets a day either side bracket any single transition; zones never change offset twice within 48 h.
  const before = offsetMs(new Date(wall - DAY_MS), timeZone);
  const after = offsetMs(new Date(wall + DAY_MS), timeZone);
  const candidates = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((ms) => sameWallClock(toLocal(new Date(ms), timeZone), local))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  return new Date(wall - before);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function shiftLocalDate(l: LocalDateTime, days: number): LocalDateTime {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day + days));
  return { ...l, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function localDateString(l: Pick<LocalDateTime, 'year' | 'month' | 'day'>): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(l.year, 4)}-${p(l.month)}-${p(l.day)}`;
}

function isBusinessDay(l: LocalDateTime, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(localDateString(l));
}

/**
 * Adds a duration. Calendar and business days keep the local time of day of the start, so a duty that starts
 * at 15:00 ends at 15:00 local on the last day; counting to the same time rather than to midnight is the
 * conservative reading when a law does not say which. Months clamp to the last day of a shorter month
 * (31 January + 1 month = 28/29 February).
 */
export function addDuration(
  start: Date,
  duration: Duration,
  timeZone: string,
  options: CalendarOptions = {},
): Date {
  assertInstant(start, 'start');
  assertTimeZone(timeZone);
  if (!Number.isInteger(duration.value) || duration.value < 0) {
    throw new RangeError(`duration value must be a non-negative integer, got ${duration.value}`);
  }
  const n = duration.value;
  switch (duration.unit) {
    case 'hours':
      return new Date(start.getTime() + n * HOUR_MS);
    case 'calendarDays':
      return fromLocal(shiftLocalDate(toLocal(start, timeZone), n), timeZone);
    case 'months': {
      const l = toLocal(start, timeZone);
      const monthIndex = l.month - 1 + n;
      const year = l.year + Math.floor(monthIndex / 12);
      const month = (monthIndex % 12) + 1;
      const day = Math.min(l.day, daysInMonth(year, month));
      return fromLocal({ ...l, year, month, day }, timeZone);
    }
    case 'businessDays': {
      const holidays = new Set(options.holidays ?? []);
      let l = toLocal(start, timeZone);
      let counted = 0;
      while (counted < n) {
        l = shiftLocalDate(l, 1);
        if (isBusinessDay(l, holidays)) counted++;
      }
      return fromLocal(l, timeZone);
    }
    default: {
      const unit: never = duration.unit;
      throw new RangeError(`unknown duration unit "${String(unit)}"`);
    }
  }
}

/** Human-readable local time with its UTC offset, e.g. "2026-03-08 03:30 (UTC-04:00, America/New_York)". */
export function formatLocal(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const off = Math.round(offsetMs(instant, timeZone) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const time = `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
  return `${localDateString(l)} ${time} (UTC${sign}${hh}:${mm}, ${timeZone})`;
}

export function describeDuration(d: Duration): string {
  const plural = d.value === 1 ? '' : 's';
  switch (d.unit) {
    case 'hours':
      return `${d.value} hour${plural}`;
    case 'calendarDays':
      return `${d.value} calendar day${plural}`;
    case 'businessDays':
      return `${d.value} business day${plural}`;
    case 'months':
      return `${d.value} month${plural}`;
  }
}
