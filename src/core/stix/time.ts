/**
 * STIX timestamps: RFC 3339 in UTC with an upper-case `T` and `Z` (STIX 2.1 section 2.15). Offsets such as
 * `+02:00` are not allowed. Comparisons must not go through `Date` alone because it drops sub-millisecond digits,
 * so parsed timestamps keep the fractional part as a string of digits.
 */

const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

export interface ParsedTimestamp {
  /** Milliseconds since the epoch (fraction truncated to milliseconds). */
  ms: number;
  /** Fractional-second digits as written, '' when absent. */
  fraction: string;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a STIX timestamp, or returns undefined when it is not one (wrong form, impossible date, offset). */
export function parseTimestamp(value: unknown): ParsedTimestamp | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TS_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // RFC 3339 allows a leap second (60); it is kept valid and counted as the last instant of the minute.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = m[7] ?? '';
  const millis = Number((fraction + '000').slice(0, 3));
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), second === 60 ? 999 : millis);
  return { ms, fraction };
}

export function isTimestamp(value: unknown): value is string {
  return parseTimestamp(value) !== undefined;
}

/** Negative, zero or positive like a comparator; undefined when either side is not a timestamp. */
export function compareTimestamps(a: unknown, b: unknown): number | undefined {
  const pa = parseTimestamp(a);
  const pb = parseTimestamp(b);
  if (!pa || !pb) return undefined;
  if (pa.ms !== pb.ms) return pa.ms - pb.ms;
  // Same millisecond: compare the remaining digits, padded so '5' and '50' are equal.
  const width = Math.max(pa.fraction.length, pb.fraction.length, 3);
  const fa = pa.fraction.padEnd(width, '0');
  const fb = pb.fraction.padEnd(width, '0');
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/** Current time as a STIX timestamp with millisecond precision. */
export function nowTimestamp(date: Date = new Date()): string {
  return date.toISOString();
}
