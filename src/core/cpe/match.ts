/**
 * CPE name matching after NISTIR 7696 (CPE Name Matching 2.3): attribute comparison (§6, Table 6-2) and name
 * comparison (§7). The source is the pattern (an NVD criterion), the target the thing described (a system).
 */
import { ANY, CPE_ATTRIBUTES, type CpeAttribute, NA, parseCpe, type Wfn, type WfnValue } from './wfn.js';

export type Relation = 'SUPERSET' | 'SUBSET' | 'EQUAL' | 'DISJOINT' | 'UNDEFINED';

/** True when the character at `i` is preceded by an even number of backslashes, i.e. is itself unquoted. */
function unquotedAt(s: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && s.charCodeAt(k) === 92; k--) n++;
  return n % 2 === 0;
}

function unquote(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(/\\(.)/g, '$1');
}

/** Whether a WFN-quoted value contains an unquoted `*` or `?` (NISTIR 7696 `has_wildcards`). */
function hasUnquotedWildcard(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) {
      i++;
    } else if (c === 42 || c === 63) {
      return true;
    }
  }
  return false;
}

/**
 * NISTIR 7696 `compareStrings`: a source with leading/trailing wildcards against a target without any.
 * `*` matches any run of characters; a run of n `?` matches up to n characters, as the specification's
 * pseudocode has it (it bounds the offset by the count, it does not demand it). Works on unquoted text so that
 * backslashes never count as characters.
 */
function compareStrings(source: string, target: string): Relation {
  let start = 0;
  let end = source.length;
  let begins = 0;
  let ends = 0;
  if (source.charCodeAt(0) === 42) {
    start = 1;
    begins = -1;
  } else {
    while (start < end && source.charCodeAt(start) === 63) {
      start++;
      begins++;
    }
  }
  if (end > start && source.charCodeAt(end - 1) === 42 && unquotedAt(source, end - 1)) {
    end--;
    ends = -1;
  } else {
    while (end > start && source.charCodeAt(end - 1) === 63 && unquotedAt(source, end - 1)) {
      end--;
      ends++;
    }
  }
  const middle = unquote(source.slice(start, end));
  const text = unquote(target);
  let from = 0;
  while (from <= text.length) {
    const idx = text.indexOf(middle, from);
    if (idx < 0) break;
    if (begins !== -1 && idx > begins) break;
    const leftover = text.length - idx - middle.length;
    if (ends === -1 || leftover <= ends) return 'SUPERSET';
    from = idx + 1;
  }
  return 'DISJOINT';
}

/**
 * Attribute comparison on values already lowercased (the hot path of configuration matching compiles names
 * once, lowercased). Follows the order of NISTIR 7696's `compare` pseudocode, which yields Table 6-2.
 */
export function compareAttributeLowered(source: WfnValue, target: WfnValue): Relation {
  if (typeof target === 'string' && hasUnquotedWildcard(target)) return 'UNDEFINED';
  if (source === target) return 'EQUAL';
  if (source === ANY) return 'SUPERSET';
  if (target === ANY) return 'SUBSET';
  if (target === NA || source === NA) return 'DISJOINT';
  // Both are strings here; the target has no wildcards.
  if (hasUnquotedWildcard(source as string)) return compareStrings(source as string, target as string);
  return 'DISJOINT';
}

const lower = (v: WfnValue): WfnValue => (typeof v === 'string' ? v.toLowerCase() : v);

/** NISTIR 7696 attribute comparison (case-insensitive): source relation to target. */
export function compareAttribute(source: WfnValue, target: WfnValue): Relation {
  return compareAttributeLowered(lower(source), lower(target));
}

export type AttributeRelations = Record<CpeAttribute, Relation>;

/** Combines per-attribute relations into the name relation of NISTIR 7696 §7. */
export function combineRelations(rel: Iterable<Relation>): Relation {
  let allEqual = true;
  let allSuperset = true;
  let allSubset = true;
  let disjoint = false;
  for (const r of rel) {
    if (r === 'DISJOINT') disjoint = true;
    if (r !== 'EQUAL') allEqual = false;
    if (r !== 'EQUAL' && r !== 'SUPERSET') allSuperset = false;
    if (r !== 'EQUAL' && r !== 'SUBSET') allSubset = false;
  }
  if (disjoint) return 'DISJOINT';
  if (allEqual) return 'EQUAL';
  if (allSuperset) return 'SUPERSET';
  if (allSubset) return 'SUBSET';
  // Mixed ⊃ and ⊂ (e.g. vendor wildcard with a narrower product), or an undefined attribute: no set relation.
  return 'UNDEFINED';
}

function toWfn(x: Wfn | string): Wfn {
  return typeof x === 'string' ? parseCpe(x) : x;
}

/** Compares two names attribute by attribute; `relation` is the name relation (source to target). */
export function compareNames(
  source: Wfn | string,
  target: Wfn | string,
): { relation: Relation; attributes: AttributeRelations } {
  const s = toWfn(source);
  const t = toWfn(target);
  const attributes = {} as AttributeRelations;
  for (const a of CPE_ATTRIBUTES) attributes[a] = compareAttribute(s[a], t[a]);
  return { relation: combineRelations(Object.values(attributes)), attributes };
}

/** NISTIR 7696 CPE_SUPERSET or CPE_EQUAL: every attribute of the source is a superset of (or equal to) the target's. */
export function cpeMatches(source: Wfn | string, target: Wfn | string): boolean {
  const s = toWfn(source);
  const t = toWfn(target);
  for (const a of CPE_ATTRIBUTES) {
    const r = compareAttribute(s[a], t[a]);
    if (r !== 'SUPERSET' && r !== 'EQUAL') return false;
  }
  return true;
}

export function cpeDisjoint(source: Wfn | string, target: Wfn | string): boolean {
  return compareNames(source, target).relation === 'DISJOINT';
}
