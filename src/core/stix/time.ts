/**
 * STIX timestamps: RFC 3339 in UTC with an upper-case `T` and `Z` (STIX 2.1 section 2.15). Offsets such as
 * `+02:00` are not allowed. Comparisons must not go through `Date` alone because it drops sub-millisecond digits,
 * so parsed timestamps keep the fractional part as a string of digits.
 */

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

/** The number written by the digits of `s` from `from` (exclusive `to`), or -1 when one is not an ASCII digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses a STIX timestamp, or returns undefined when it is not one (wrong form, impossible date, offset): the
 * form `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read character by character (every object of a bundle has two or three
 * timestamps, and an import validates hundreds of thousands).
 */
export function parseTimestamp(value: unknown): ParsedTimestamp | undefined {
  if (typeof value !== 'string') return undefined;
  const n = value.length;
  if (n < 20 || value.charCodeAt(n - 1) !== 0x5a /* Z */) return undefined;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':') {
    return undefined;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  const hour = digits(value, 11, 13);
  const minute = digits(value, 14, 16);
  const second = digits(value, 17, 19);
  if (year < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let fraction = '';
  if (n > 20) {
    // A fraction: a dot and at least one digit before the Z.
    if (value[19] !== '.' || n === 21 || digits(value, 20, n - 1) < 0) return undefined;
    fraction = value.slice(20, n - 1);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // RFC 3339 allows a leap second (60); it is kept valid and counted as the last instant of the minute.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = digits(fraction.padEnd(3, '0'), 0, 3);
  const ms =
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    Math.min(second, 59) * 1000 +
    (second === 60 ? 999 : millis);
  return { ms, fraction };
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar, by arithmetic (H. Hinnant's
 * `days_from_civil`): no `Date` object per timestamp, and the years 0–99 are not read as 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
