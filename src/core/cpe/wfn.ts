/**
 * CPE 2.3 well-formed names (WFN) and their bindings, after NISTIR 7695 (CPE Naming 2.3).
 *
 * String values are kept in the WFN's own quoted form (§5.3.2): every character other than a letter, a digit or
 * `_` carries a backslash, while an unquoted `*` or `?` is a wildcard (allowed only at the start or end of a
 * value). Keeping that form means matching (NISTIR 7696) can work on the representation the specification
 * defines its algorithms on, and binding back to a formatted string is lossless.
 */

export const ANY = Object.freeze({ logical: 'ANY' as const });
export const NA = Object.freeze({ logical: 'NA' as const });
export type LogicalValue = typeof ANY | typeof NA;
/** A WFN attribute value: ANY, NA, or a string in WFN-quoted form. */
export type WfnValue = LogicalValue | string;

export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'sw_edition',
  'target_sw',
  'target_hw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];
export type Wfn = { [K in CpeAttribute]: WfnValue };

export type CpeParseErrorCode =
  | 'prefix'
  | 'field-count'
  | 'empty'
  | 'bad-escape'
  | 'bad-character'
  | 'bad-wildcard'
  | 'bad-part'
  | 'bad-percent';

export class CpeParseError extends Error {
  override readonly name = 'CpeParseError';
  constructor(
    message: string,
    readonly input: string,
    readonly code: CpeParseErrorCode,
    readonly field?: CpeAttribute,
    readonly position?: number,
  ) {
    super(message);
  }
}

export function isAny(v: WfnValue): v is typeof ANY {
  return v === ANY;
}
export function isNa(v: WfnValue): v is typeof NA {
  return v === NA;
}

/** A fresh WFN with every attribute ANY, overridden by `values` (already in WFN-quoted form). */
export function makeWfn(values: Partial<Wfn> = {}): Wfn {
  const w = {} as Wfn;
  for (const a of CPE_ATTRIBUTES) w[a] = values[a] ?? ANY;
  return w;
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
// Printable ASCII other than letters, digits and `_`: the only characters the FS grammar lets follow a backslash.
function isPunct(code: number): boolean {
  return code > 32 && code < 127 && !isAlnum(code) && code !== 95;
}

/**
 * Splits a formatted string on unescaped colons. The escape check has to look at the run of backslashes before
 * the colon: `\\:` is an escaped backslash followed by a separator.
 */
function splitFs(s: string): { parts: string[]; starts: number[] } {
  const parts: string[] = [];
  const starts: number[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c === 58) {
      parts.push(s.slice(start, i));
      starts.push(start);
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  starts.push(start);
  return { parts, starts };
}

/** FS component → WFN-quoted value (NISTIR 7695 §6.2.3 `add_quoting`, but strict about the FS grammar). */
function fsValueToWfn(raw: string, field: CpeAttribute, input: string, offset: number): WfnValue {
  if (raw === '*') return ANY;
  if (raw === '-') return NA;
  if (raw === '') {
    throw new CpeParseError(
      `CPE ${field} is empty (use * for ANY or - for NA)`,
      input,
      'empty',
      field,
      offset,
    );
  }
  let out = '';
  const n = raw.length;
  let embedded = false;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (isAlnum(c) || c === 95) {
      out += raw[i];
      embedded = true;
      continue;
    }
    if (c === 92) {
      if (i + 1 >= n) {
        throw new CpeParseError(
          `CPE ${field} ends with a lone backslash`,
          input,
          'bad-escape',
          field,
          offset + i,
        );
      }
      const next = raw.charCodeAt(i + 1);
      if (!isPunct(next)) {
        throw new CpeParseError(
          `CPE ${field}: "\\${raw[i + 1]}" is not a valid escape (only punctuation may be escaped)`,
          input,
          'bad-escape',
          field,
          offset + i,
        );
      }
      out += `\\${raw[i + 1]}`;
      i++;
      embedded = true;
      continue;
    }
    if (c === 42) {
      if (i === 0 || i === n - 1) {
        out += '*';
        embedded = true;
        continue;
      }
      throw new CpeParseError(
        `CPE ${field}: unescaped * inside the value (a wildcard is allowed only at the start or end)`,
        input,
        'bad-wildcard',
        field,
        offset + i,
      );
    }
    if (c === 63) {
      // A run of `?` is allowed only as a prefix or suffix of the value.
      const inPrefix = !embedded;
      let j = i;
      while (j < n && raw.charCodeAt(j) === 63) j++;
      const inSuffix = j === n;
      if (inPrefix || inSuffix) {
        out += raw.slice(i, j);
        i = j - 1;
        continue;
      }
      throw new CpeParseError(
        `CPE ${field}: unescaped ? inside the value (a wildcard is allowed only at the start or end)`,
        input,
        'bad-wildcard',
        field,
        offset + i,
      );
    }
    if (c === 45 || c === 46) {
      // `-` and `.` may stand unescaped in the FS; in the WFN they are always quoted.
      out += `\\${raw[i]}`;
      embedded = true;
      continue;
    }
    const shown = c < 33 || c > 126 ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : `"${raw[i]}"`;
    throw new CpeParseError(
      `CPE ${field}: character ${shown} must be escaped with a backslash or is not allowed`,
      input,
      'bad-character',
      field,
      offset + i,
    );
  }
  return out;
}

const PART_VALUES = new Set(['a', 'o', 'h']);

function checkPart(v: WfnValue, input: string): WfnValue {
  if (v === ANY) return v;
  if (typeof v === 'string' && PART_VALUES.has(v.toLowerCase())) return v.toLowerCase();
  const shown = v === NA ? '-' : v;
  throw new CpeParseError(
    `CPE part must be a, o, h or * (got "${shown}")`,
    input,
    'bad-part',
    'part',
    undefined,
  );
}

/** Unbinds a CPE 2.3 formatted string (`cpe:2.3:…`, 13 colon-separated components) to a WFN. */
export function parseFs(fs: string): Wfn {
  if (typeof fs !== 'string') throw new CpeParseError('CPE must be a string', String(fs), 'prefix');
  if (!/^cpe:2\.3:/i.test(fs)) {
    throw new CpeParseError('CPE 2.3 formatted string must start with "cpe:2.3:"', fs, 'prefix');
  }
  const { parts, starts } = splitFs(fs);
  if (parts.length !== 13) {
    const got = parts.length - 2;
    throw new CpeParseError(
      got < 11
        ? `CPE has too few fields: ${got} of 11 (missing ${CPE_ATTRIBUTES.slice(Math.max(got, 0)).join(', ')})`
        : `CPE has too many fields: ${got} instead of 11 (unescaped ":" after "other"?)`,
      fs,
      'field-count',
      got < 11 ? CPE_ATTRIBUTES[Math.max(got, 0)] : 'other',
    );
  }
  const w = {} as Wfn;
  for (let i = 0; i < 11; i++) {
    const attr = CPE_ATTRIBUTES[i];
    w[attr] = fsValueToWfn(parts[i + 2], attr, fs, starts[i + 2]);
  }
  w.part = checkPart(w.part, fs);
  return w;
}

/** Decodes one CPE 2.2 URI component (NISTIR 7695 §6.1.3 `decode`). */
function uriValueToWfn(raw: string, field: CpeAttribute, input: string): WfnValue {
  if (raw === '') return ANY;
  if (raw === '-') return NA;
  let out = '';
  const n = raw.length;
  let embedded = false;
  for (let i = 0; i < n; i++) {
    const ch = raw[i];
    const c = raw.charCodeAt(i);
    if (ch === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new CpeParseError(
          `CPE ${field}: bad percent-encoding "%${hex}"`,
          input,
          'bad-percent',
          field,
          i,
        );
      }
      const code = Number.parseInt(hex, 16);
      if (code === 1 || code === 2) {
        // %01 = ?, %02 = *: wildcards, allowed only at the ends (a run of %01 counts as one end).
        const atStart = i === 0 || (code === 1 && !embedded);
        const rest = raw.slice(i + 3);
        const atEnd = rest === '' || (code === 1 && /^(%01)*$/i.test(rest));
        if (!atStart && !atEnd) {
          throw new CpeParseError(
            `CPE ${field}: wildcard %0${code} inside the value`,
            input,
            'bad-wildcard',
            field,
            i,
          );
        }
        out += code === 1 ? '?' : '*';
      } else if (isPunct(code)) {
        out += `\\${String.fromCharCode(code)}`;
        embedded = true;
      } else if (isAlnum(code) || code === 95) {
        out += String.fromCharCode(code);
        embedded = true;
      } else {
        throw new CpeParseError(
          `CPE ${field}: %${hex} is not a printable character`,
          input,
          'bad-percent',
          field,
          i,
        );
      }
      i += 2;
      continue;
    }
    if (isAlnum(c) || c === 95) {
      out += ch;
    } else if (ch === '.' || ch === '-' || ch === '~') {
      out += `\\${ch}`;
    } else {
      throw new CpeParseError(
        `CPE ${field}: character "${ch}" must be percent-encoded in a URI`,
        input,
        'bad-character',
        field,
        i,
      );
    }
    embedded = true;
  }
  return out;
}

/** Unbinds a CPE 2.2 URI (`cpe:/a:vendor:product:…`), including a packed edition (`~ed~sw~tsw~thw~other`). */
export function parseUri(uri: string): Wfn {
  if (!/^cpe:\//i.test(uri)) throw new CpeParseError('CPE URI must start with "cpe:/"', uri, 'prefix');
  const comps = uri.slice(5).split(':');
  if (comps.length > 7) {
    throw new CpeParseError(
      `CPE URI has too many components: ${comps.length} of at most 7`,
      uri,
      'field-count',
      'language',
    );
  }
  const w = makeWfn();
  const uriAttrs: CpeAttribute[] = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language'];
  for (let i = 0; i < comps.length; i++) {
    const attr = uriAttrs[i];
    const raw = comps[i];
    if (attr === 'edition' && raw.startsWith('~')) {
      const packed = raw.split('~');
      if (packed.length !== 6) {
        throw new CpeParseError(
          `CPE URI packed edition needs 5 ~-separated fields, got ${packed.length - 1}`,
          uri,
          'field-count',
          'edition',
        );
      }
      const names: CpeAttribute[] = ['edition', 'sw_edition', 'target_sw', 'target_hw', 'other'];
      for (let k = 0; k < 5; k++) w[names[k]] = uriValueToWfn(packed[k + 1], names[k], uri);
      continue;
    }
    w[attr] = uriValueToWfn(raw, attr, uri);
  }
  w.part = checkPart(w.part, uri);
  return w;
}

/** Parses either binding: `cpe:2.3:` formatted strings or `cpe:/` URIs. */
export function parseCpe(s: string): Wfn {
  if (typeof s === 'string' && /^cpe:\//i.test(s)) return parseUri(s);
  return parseFs(s);
}

/** WFN value → FS component (NISTIR 7695 §6.2.2 `bind_value_for_fs`): `.`, `-` and `_` lose their backslash. */
export function bindValueFs(v: WfnValue): string {
  if (typeof v !== 'string') return v === ANY ? '*' : '-';
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (ch === '\\' && i + 1 < v.length) {
      const next = v[i + 1];
      out += next === '.' || next === '-' || next === '_' ? next : `\\${next}`;
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Binds a WFN to a CPE 2.3 formatted string. */
export function bindFs(w: Wfn): string {
  let s = 'cpe:2.3';
  for (const a of CPE_ATTRIBUTES) s += `:${bindValueFs(w[a])}`;
  return s;
}

/** Canonical FS: parse then bind, lowercased (CPE comparison is case-insensitive). */
export function normalizeCpe(s: string): string {
  return bindFs(parseCpe(s)).toLowerCase();
}

/** The human text of a value: backslashes removed; ANY → `*`, NA → `-`. Wildcards stay as `*`/`?`. */
export function valueText(v: WfnValue): string {
  if (typeof v !== 'string') return v === ANY ? '*' : '-';
  return v.replace(/\\(.)/g, '$1');
}

/**
 * Quotes free text as a WFN string value (no wildcards: `*` and `?` are quoted too). Whitespace becomes `_`,
 * as CPE dictionary names do.
 */
export function quoteWfnText(text: string): string {
  let out = '';
  for (const ch of text.trim().replace(/\s+/g, '_')) {
    const c = ch.charCodeAt(0);
    out += isAlnum(c) || c === 95 || c > 127 ? ch : `\\${ch}`;
  }
  return out;
}

/** True when a WFN-quoted value has an unquoted `*` or `?`. */
export function hasWildcards(v: WfnValue): boolean {
  if (typeof v !== 'string') return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c === 42 || c === 63) return true;
  }
  return false;
}

/** The WFN in NISTIR 7695's notation, e.g. `wfn:[part="a",vendor="microsoft",version=ANY]`. */
export function wfnToString(w: Wfn): string {
  const items: string[] = [];
  for (const a of CPE_ATTRIBUTES) {
    const v = w[a];
    if (v === ANY) continue;
    items.push(`${a}=${v === NA ? 'NA' : `"${v}"`}`);
  }
  return `wfn:[${items.join(',')}]`;
}
