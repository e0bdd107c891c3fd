/**
 * Version comparison for vulnerability ranges. Vendors do not share one scheme, so this is a documented
 * heuristic rather than any one packaging system's rules:
 *
 * - An optional leading `v`/`V` before a digit is ignored; `2:1.0` has epoch 2 (missing epoch = 0), compared first.
 * - Semver build metadata (`1.2.3+build.5`, only in semver-shaped strings) is ignored; elsewhere `+` separates.
 * - The rest splits into numbers and words at `.`, `-`, `_`, `+`, `(`, `)`, spaces and digit/letter boundaries:
 *   `10.0(1)SE` → 10 0 1 se, `1.36.1-r18` → 1 36 1 r 18, `1_2_3` = `1.2.3`. Numbers compare numerically (any size).
 * - Pre-release words sort below the release: dev/snapshot < alpha/a < beta/b < milestone/m < pre/preview/rc/c,
 *   so `24.7.0rc1` < `24.7.0` and alpha < beta < rc. Debian's `~` also sorts below everything.
 * - `final`, `ga`, `release`, `stable` mean the release itself (`1.0-final` = `1.0`).
 * - Other words — patch/p/pl/post/r/rev/sp/update/u/hotfix, and vendor suffixes like Cisco's `SE` — sort above the
 *   release: `1.0.1-r18` > `1.0.1-r2` (numbers after them compare numerically), `7.4p1` > `7.4`.
 * - A single letter right after a number and not followed by a digit is a patch letter: `1.0.1f` > `1.0.1e` >
 *   `1.0.1`. A single letter followed by digits is a pre-release when it is a/b/c/m (`1.0b2` is beta 2).
 * - At one position a number sorts above a word (`1.0.1` > `1.0.a`); trailing zeros do not count (`1.0` = `1.0.0`).
 * - Cannot compare (null): empty, `*`, `-`, no digit in either, git-hash-like tokens, different schemes (a word
 *   against a number in first place, e.g. `R2` vs `10.1`), or a date-like build number against a dotted version.
 */

type Token = { num: true; digits: string } | { num: false; word: string; rank: number };

export interface ParsedVersion {
  raw: string;
  epoch: number;
  tokens: Token[];
  /** Why the version cannot take part in comparisons at all; undefined when it can. */
  invalid?: string;
  /**
   * Canonical form: two valid versions compare equal exactly when their keys are equal, so equality tests on
   * hot paths are string comparisons. Null for invalid versions.
   */
  key: string | null;
}

const PRE_RELEASE: Record<string, number> = {
  '~': -6,
  dev: -5,
  snapshot: -5,
  nightly: -5,
  alpha: -4,
  a: -4,
  beta: -3,
  b: -3,
  milestone: -2,
  m: -2,
  pre: -1,
  preview: -1,
  rc: -1,
  cr: -1,
  c: -1,
};
const RELEASE_WORDS = new Set(['final', 'ga', 'release', 'stable']);
const POST_RANK = 1;

function wordToken(word: string, patchLetter: boolean): Token {
  if (patchLetter) return { num: false, word, rank: POST_RANK };
  if (word in PRE_RELEASE) return { num: false, word, rank: PRE_RELEASE[word] };
  if (RELEASE_WORDS.has(word)) return { num: false, word, rank: 0 };
  return { num: false, word, rank: POST_RANK };
}

const SEMVER_BUILD = /^(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\+[0-9A-Za-z.-]+$/;
const HASH_LIKE = /^(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}$/;

/** Splits a version into epoch and tokens (see the module comment). Never throws. */
export function parseVersion(input: string): ParsedVersion {
  const raw = typeof input === 'string' ? input : String(input);
  let s = raw.trim().toLowerCase();
  if (s === '' || s === '*' || s === '-' || s === 'n/a' || s === 'na') {
    return { raw, epoch: 0, tokens: [], key: null, invalid: `"${raw}" is not a version (empty, ANY or NA)` };
  }
  let epoch = 0;
  const ep = /^(\d+):(?=.)/.exec(s);
  if (ep) {
    epoch = Number(ep[1]);
    s = s.slice(ep[0].length);
  }
  const sv = SEMVER_BUILD.exec(s);
  if (sv) s = sv[1];
  if (/^v\d/.test(s)) s = s.slice(1);
  if (!/\d/.test(s)) {
    return { raw, epoch, tokens: [], key: null, invalid: `"${raw}" has no digits` };
  }
  for (const chunk of s.split(/[^0-9a-z~]+/)) {
    if (HASH_LIKE.test(chunk)) {
      return { raw, epoch, tokens: [], key: null, invalid: `"${raw}" contains a hash-like part "${chunk}"` };
    }
  }
  const tokens: Token[] = [];
  const re = /(\d+)|([a-z]+)|(~)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[1] !== undefined) {
      tokens.push({ num: true, digits: m[1].replace(/^0+(?=\d)/, '') });
    } else if (m[2] !== undefined) {
      const word = m[2];
      const before = s.charCodeAt(m.index - 1);
      const afterIdx = m.index + word.length;
      const after = s.charCodeAt(afterIdx);
      const afterDigit = after >= 48 && after <= 57;
      const beforeDigit = before >= 48 && before <= 57;
      const patchLetter = word.length === 1 && beforeDigit && !afterDigit;
      tokens.push(wordToken(word, patchLetter));
    } else {
      tokens.push(wordToken('~', false));
    }
  }
  return { raw, epoch, tokens, key: versionKey(epoch, tokens) };
}

function versionKey(epoch: number, tokens: Token[]): string {
  let end = tokens.length;
  // Trailing zeros and release words do not change the order (1.0 = 1.0.0 = 1.0-final).
  while (end > 0) {
    const t = tokens[end - 1];
    if ((t.num && t.digits === '0') || (!t.num && t.rank === 0)) end--;
    else break;
  }
  const parts: string[] = [];
  for (let i = 0; i < end; i++) {
    const t = tokens[i];
    // Known pre-release words of one rank are synonyms (a = alpha); other words keep their text.
    parts.push(t.num ? t.digits : t.word in PRE_RELEASE && t.rank < 0 ? `~${t.rank}` : `'${t.word}`);
  }
  return `${epoch}:${parts.join('.')}`;
}

function cmpDigits(a: string, b: string): -1 | 0 | 1 {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function tokenText(t: Token): string {
  return t.num ? t.digits : t.word;
}

export interface VersionComparison {
  result: -1 | 0 | 1 | null;
  reason: string;
}

function isZero(t: Token): boolean {
  return t.num && t.digits === '0';
}

/** Compares two parsed versions; `reason` is filled only when `explain` is set (the hot path skips it). */
export function compareParsedVersions(
  a: ParsedVersion,
  b: ParsedVersion,
  explain = false,
): VersionComparison {
  if (a.invalid || b.invalid) return { result: null, reason: (a.invalid ?? b.invalid) as string };
  if (a.epoch !== b.epoch) {
    const r = a.epoch < b.epoch ? -1 : 1;
    return { result: r, reason: explain ? `epoch ${a.epoch} ${r < 0 ? '<' : '>'} ${b.epoch}` : '' };
  }
  const ta = a.tokens;
  const tb = b.tokens;
  const first = (t: Token[]) => t[0];
  const fa = first(ta);
  const fb = first(tb);
  if (fa && fb && fa.num !== fb.num) {
    return {
      result: null,
      reason: `different schemes: "${a.raw}" starts with ${fa.num ? 'a number' : `"${tokenText(fa)}"`}, "${b.raw}" with ${fb.num ? 'a number' : `"${tokenText(fb)}"`}`,
    };
  }
  if (fa?.num && fb?.num) {
    const la = fa.digits.length;
    const lb = fb.digits.length;
    const dateLike = (x: number, y: number, tok: Token[]) => x >= 8 && y <= 4 && tok.length === 1;
    if (dateLike(la, lb, ta) || dateLike(lb, la, tb)) {
      return {
        result: null,
        reason: `"${la >= 8 ? a.raw : b.raw}" looks like a date or build number, "${la >= 8 ? b.raw : a.raw}" like a dotted version`,
      };
    }
  }
  const n = Math.max(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x && y) {
      if (x.num && y.num) {
        const r = cmpDigits(x.digits, y.digits);
        if (r !== 0) {
          return {
            result: r,
            reason: explain ? `part ${i + 1}: ${x.digits} ${r < 0 ? '<' : '>'} ${y.digits}` : '',
          };
        }
        continue;
      }
      if (!x.num && !y.num) {
        if (x.rank !== y.rank) {
          const r = x.rank < y.rank ? -1 : 1;
          return {
            result: r,
            reason: explain
              ? `part ${i + 1}: "${x.word}" ranks ${r < 0 ? 'below' : 'above'} "${y.word}"`
              : '',
          };
        }
        // Same rank: known qualifiers of one rank are synonyms (a = alpha); other words compare as text.
        const known = (w: string) => w in PRE_RELEASE;
        if (x.word !== y.word && !(known(x.word) && known(y.word))) {
          const r = x.word < y.word ? -1 : 1;
          return {
            result: r,
            reason: explain ? `part ${i + 1}: "${x.word}" ${r < 0 ? '<' : '>'} "${y.word}" (text order)` : '',
          };
        }
        continue;
      }
      const r = x.num ? 1 : -1;
      return {
        result: r,
        reason: explain
          ? `part ${i + 1}: a number sorts above the word "${x.num ? tokenText(y) : tokenText(x)}"`
          : '',
      };
    }
    // One side has run out: the other side's remainder decides.
    const rest = x ? ta : tb;
    const sign = x ? 1 : -1;
    for (let k = i; k < rest.length; k++) {
      const t = rest[k];
      if (isZero(t)) continue;
      if (!t.num && t.rank === 0) continue;
      const longerIsBigger = t.num || t.rank > 0;
      const r = (longerIsBigger ? sign : -sign) as -1 | 1;
      const longer = x ? a.raw : b.raw;
      return {
        result: r,
        reason: explain
          ? `"${longer}" continues with ${t.num ? `number ${t.digits}` : `"${t.word}"`}, which makes it ${longerIsBigger ? 'later' : 'earlier (a pre-release)'}`
          : '',
      };
    }
    break;
  }
  return { result: 0, reason: explain ? 'equal part by part' : '' };
}

/** -1, 0 or 1 when `a` is before, equal to or after `b`; null when they cannot be compared. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | null {
  if (a === b && a !== '' && a !== '*' && a !== '-') return 0;
  return compareParsedVersions(parseVersion(a), parseVersion(b)).result;
}

/** Like `compareVersions`, with the reason (always set, also when the answer is null). */
export function explainVersionCompare(a: string, b: string): VersionComparison {
  return compareParsedVersions(parseVersion(a), parseVersion(b), true);
}
