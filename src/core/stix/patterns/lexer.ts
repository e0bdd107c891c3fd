import { parseTimestamp } from '../time.js';
import { PatternSyntaxError } from './errors.js';

export type TokenKind =
  | 'word'
  | 'string'
  | 'int'
  | 'float'
  | 'timestamp'
  | 'binary'
  | 'hex'
  | '['
  | ']'
  | '('
  | ')'
  | ','
  | ':'
  | '.'
  | '*'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** Decoded value: string contents, number, timestamp text or bytes. */
  value?: string | number | Uint8Array;
  start: number;
  end: number;
}

// Whitespace set of the reference ANTLR grammar (STIXPattern.g4, rule WS).
const WHITESPACE = new Set([
  0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '-';
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function decodeHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Splits a pattern into tokens; comments (`/* … *\/`, `// …`) and whitespace are skipped. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (reason: string, at: number): never => {
    throw new PatternSyntaxError(reason, source, at);
  };

  /** Reads a quoted body starting at the opening quote; returns the raw body and the decoded string. */
  const readQuoted = (quoteAt: number, escapes: boolean): { raw: string; decoded: string; end: number } => {
    let j = quoteAt + 1;
    let decoded = '';
    while (j < source.length) {
      const c = source[j];
      if (c === "'") return { raw: source.slice(quoteAt + 1, j), decoded, end: j + 1 };
      if (c === '\\' && escapes) {
        const next = source[j + 1];
        if (next === "'" || next === '\\') {
          decoded += next;
          j += 2;
          continue;
        }
        fail(
          next === undefined
            ? 'unterminated string literal'
            : `invalid escape sequence '\\${next}' in string literal (only \\' and \\\\ are allowed)`,
          j,
        );
      }
      decoded += c;
      j++;
    }
    return fail('unterminated string literal', quoteAt);
  };

  while (i < source.length) {
    const c = source[i];
    const code = source.charCodeAt(i);
    if (WHITESPACE.has(code)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) fail('unterminated comment', i);
      i = close + 2;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    const start = i;
    const push = (kind: TokenKind, end: number, value?: Token['value']): void => {
      tokens.push({ kind, text: source.slice(start, end), value, start, end });
      i = end;
    };

    // Typed literals: a one-letter prefix glued to a quote.
    if ((c === 't' || c === 'b' || c === 'h') && source[i + 1] === "'") {
      const { raw, end } = readQuoted(i + 1, false);
      if (c === 't') {
        if (!parseTimestamp(raw)) {
          fail(
            `invalid timestamp literal t'${raw}' (expected RFC 3339 UTC, e.g. 2016-01-01T00:00:00Z)`,
            start,
          );
        }
        push('timestamp', end, raw);
      } else if (c === 'b') {
        if (!BASE64_RE.test(raw)) fail(`invalid base64 in binary literal b'${raw}'`, start);
        push('binary', end, decodeBase64(raw));
      } else {
        if (!/^(?:[0-9a-fA-F]{2})*$/.test(raw)) {
          fail(`invalid hex literal h'${raw}' (an even number of hex digits is required)`, start);
        }
        push('hex', end, decodeHex(raw));
      }
      continue;
    }
    if (c === "'") {
      const { decoded, end } = readQuoted(i, true);
      push('string', end, decoded);
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < source.length && isIdentPart(source[j])) j++;
      push('word', j);
      continue;
    }
    const signed = (c === '+' || c === '-') && (isDigit(source[i + 1]) || source[i + 1] === '.');
    if (isDigit(c) || signed || (c === '.' && isDigit(source[i + 1]))) {
      let j = signed ? i + 1 : i;
      const intStart = j;
      while (isDigit(source[j])) j++;
      const intDigits = source.slice(intStart, j);
      if (source[j] === '.' && isDigit(source[j + 1])) {
        j++;
        while (isDigit(source[j])) j++;
        push('float', j, Number(source.slice(start, j)));
        continue;
      }
      if (intDigits.length > 1 && intDigits[0] === '0')
        fail(`invalid integer '${intDigits}' (leading zero)`, start);
      if (isIdentStart(source[j] ?? '')) fail(`invalid number '${source.slice(start, j + 1)}'`, start);
      const value = Number(source.slice(start, j));
      if (!Number.isSafeInteger(value)) fail(`integer ${source.slice(start, j)} is out of range`, start);
      push('int', j, value);
      continue;
    }
    switch (c) {
      case '[':
      case ']':
      case '(':
      case ')':
      case ',':
      case ':':
      case '.':
      case '*':
        push(c, i + 1);
        continue;
      case '=':
        push('=', source[i + 1] === '=' ? i + 2 : i + 1);
        continue;
      case '!':
        if (source[i + 1] === '=') {
          push('!=', i + 2);
          continue;
        }
        break;
      case '<':
        if (source[i + 1] === '=') push('<=', i + 2);
        else if (source[i + 1] === '>') push('!=', i + 2);
        else push('<', i + 1);
        continue;
      case '>':
        push(source[i + 1] === '=' ? '>=' : '>', source[i + 1] === '=' ? i + 2 : i + 1);
        continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`, i);
  }
  tokens.push({ kind: 'eof', text: '', start: source.length, end: source.length });
  return tokens;
}
