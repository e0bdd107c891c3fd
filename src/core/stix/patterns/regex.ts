import { PatternEvaluationError } from './errors.js';

/*
 * STIX MATCHES uses PCRE syntax; this evaluator runs JavaScript RegExp. The translation below closes the
 * common gaps; what remains different is listed here so nobody is surprised:
 *
 * Translated:
 * - DOTALL on request (`{ dotAll: true }`, which STIX MATCHES always uses): JavaScript's `s` flag.
 * - Leading inline flags `(?i)`, `(?m)`, `(?s)` (any combination) become RegExp flags. `(?x)` is rejected.
 * - `$` (outside a class, without `m`) also matches before a final newline, as in PCRE; JavaScript's `$` does not.
 * - `\A`, `\z`, `\Z` anchors; `\Q…\E` quoting; `\h`, `\v` (PCRE: vertical whitespace, JavaScript: vertical
 *   tab), `\R`, `\e`, `\a`; POSIX classes such as `[[:alpha:]]`; Python-style `(?P<name>…)` and `(?P=name)`.
 * Rejected with an error (JavaScript cannot express them or reads them differently without failing):
 * - `\K`, `\G`, `\X`, `(?x)`; atomic groups `(?>…)`, possessive quantifiers (`a++`), recursion `(?R)`,
 *   conditionals and mid-pattern inline flags fail to compile and are reported too.
 * Still different:
 * - No `u` flag is used (PCRE identity escapes such as `\@` must stay legal), so `.` and classes work on UTF-16
 *   code units: a character outside the Basic Multilingual Plane counts as two.
 * - `\d`, `\w`, `\s` and `\b` are ASCII-based in both by default, but JavaScript's `\s` also matches Unicode
 *   spaces (PCRE without UCP does not).
 * - Backtracking limits differ: PCRE aborts runaway matches, JavaScript may run for a long time.
 * Binary values (`*_bin`, `*_hex` properties) are matched as Latin-1 strings, one character per byte, so
 * `\xd4` matches the byte 0xd4.
 */

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
  punct: '!-\\/:-@\\[-`{-~',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

const HSPACE = '\\t \\u00a0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VSPACE = '\\n\\v\\f\\r\\u0085\\u2028\\u2029';
const END_OR_FINAL_NEWLINE = '(?=\\n?(?![\\s\\S]))';

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

export interface PcreOptions {
  /** PCRE's DOTALL option: `.` also matches line breaks. STIX MATCHES always sets it (section 9.6.1). */
  dotAll?: boolean;
}

/** Translates a PCRE pattern into a JavaScript RegExp, or throws PatternEvaluationError. */
export function compilePcre(pcre: string, options: PcreOptions = {}): RegExp {
  let src = pcre;
  let flags = options.dotAll ? 's' : '';
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]) {
      if (f === 'i' || f === 'm' || f === 's') {
        if (!flags.includes(f)) flags += f;
      } else {
        throw new PatternEvaluationError(`unsupported PCRE inline flag (?${f}) in MATCHES pattern`);
      }
    }
    src = src.slice(inline[0].length);
  }
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) {
        out += '\\\\';
        break;
      }
      i++;
      switch (n) {
        case 'Q': {
          const end = src.indexOf('\\E', i + 1);
          const quoted = src.slice(i + 1, end < 0 ? src.length : end);
          out += [...quoted].map(escapeLiteral).join('');
          i = end < 0 ? src.length : end + 1;
          continue;
        }
        case 'E':
          continue;
        case 'A':
          out += inClass ? 'A' : '(?<![\\s\\S])';
          continue;
        case 'z':
          out += inClass ? 'z' : '(?![\\s\\S])';
          continue;
        case 'Z':
          out += inClass ? 'Z' : END_OR_FINAL_NEWLINE;
          continue;
        case 'h':
          out += inClass ? HSPACE : `[${HSPACE}]`;
          continue;
        case 'H':
          out += inClass ? 'H' : `[^${HSPACE}]`;
          continue;
        case 'v':
          out += inClass ? VSPACE : `[${VSPACE}]`;
          continue;
        case 'V':
          out += inClass ? 'V' : `[^${VSPACE}]`;
          continue;
        case 'R':
          if (inClass) throw new PatternEvaluationError('\\R is not allowed inside a character class');
          out += `(?:\\r\\n|[${VSPACE}])`;
          continue;
        case 'e':
          out += '\\x1b';
          continue;
        case 'a':
          out += '\\x07';
          continue;
        case 'K':
        case 'G':
        case 'X':
          throw new PatternEvaluationError(`PCRE escape \\${n} is not supported in MATCHES patterns`);
        default:
          out += `\\${n}`;
          continue;
      }
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const close = src.indexOf(':]', i + 2);
        const name = close < 0 ? '' : src.slice(i + 2, close);
        const negatedPosix = name.startsWith('^');
        const cls = POSIX_CLASSES[negatedPosix ? name.slice(1) : name];
        if (cls && !negatedPosix) {
          out += cls;
          i = close + 1;
          continue;
        }
        if (close >= 0)
          throw new PatternEvaluationError(`unsupported POSIX class [:${name}:] in MATCHES pattern`);
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal in PCRE; JavaScript would read '[]' as an empty class.
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '$' && !multiline) {
      out += END_OR_FINAL_NEWLINE;
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && src.startsWith('(?P=', i)) {
      const close = src.indexOf(')', i);
      if (close < 0) throw new PatternEvaluationError('unterminated (?P=name) in MATCHES pattern');
      out += `\\k<${src.slice(i + 4, close)}>`;
      i = close;
      continue;
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new PatternEvaluationError(
      `MATCHES pattern ${JSON.stringify(pcre)} is not supported: ${(e as Error).message}`,
    );
  }
}
