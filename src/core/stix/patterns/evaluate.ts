import { compareTimestamps, parseTimestamp } from '../time.js';
import type {
  Comparison,
  ComparisonExpression,
  Literal,
  ObjectPath,
  Observation,
  ObservationExpression,
  Pattern,
} from './ast.js';
import { isSubset, isSuperset } from './cidr.js';
import { PatternEvaluationError } from './errors.js';
import { decodeBase64, decodeHex } from './lexer.js';
import { parsePattern } from './parser.js';
import { compilePcre } from './regex.js';

/*
 * Matching semantics follow STIX 2.1 section 9 and the OASIS reference matcher (cti-pattern-matcher):
 *
 * - An observation is one observed-data record: SCOs (whose `*_ref(s)` resolve among themselves) plus
 *   first_observed / last_observed / number_observed. `number_observed: n` counts as n separate observations
 *   with the same interval, so `REPEATS` can be satisfied by one record.
 * - A comparison selects "root" SCOs of its object type; `*_ref` and `*_refs` steps dereference within the same
 *   observation. A comparison is true for a root when any selected value passes (`[*]` ⇒ any element). A list
 *   index counts positions in the list as written: in a `*_refs` list, a reference that does not resolve keeps
 *   its place (and selects nothing). Values of properties ending in `_hex` / `_bin` are compared as bytes. A
 *   missing property never passes, with or without NOT.
 * - `=`, `!=`, `<`, `<=`, `>`, `>=` and `IN` compare strings code point by code point without Unicode
 *   normalization (section 9.6.2); `LIKE` and `MATCHES` compare NFC-normalized text. `MATCHES` searches (it is
 *   not anchored) with DOTALL, so `.` also matches line breaks.
 * - Within one `[...]`, AND requires both sides to hold for the same root object; OR takes either.
 * - Observation operators bind distinct observations: `A AND B` needs disjoint observations; `A FOLLOWEDBY B`
 *   additionally needs every observation of B to be able to come at or after every observation of A
 *   (latest first_observed on the left ≤ earliest last_observed on the right).
 * - `WITHIN n SECONDS`: a time can be picked in every bound observation's interval so that the latest is less
 *   than n seconds after the earliest (section 9.5.1: the latest "MUST NOT be equal to or later than" the
 *   earliest plus the window, so observations exactly n seconds apart do not match).
 *   `START s STOP t`: every bound observation's interval must overlap [s, t) (touching s counts, touching t
 *   does not). `REPEATS n TIMES`: n pairwise-disjoint matches of the inner expression.
 * - Time is compared at millisecond precision.
 *
 * The search keeps at most `maxBindings` candidate bindings per sub-expression so adversarial inputs cannot
 * explode combinatorially; temporal qualifiers are pushed down as filters so the kept candidates are ones that
 * can still satisfy them.
 */

/** An observed-data record as the evaluator needs it (an observed-data SDO with embedded `objects` also fits). */
export interface PatternObservation {
  objects: ReadonlyArray<Record<string, unknown>> | Readonly<Record<string, Record<string, unknown>>>;
  first_observed: string;
  last_observed: string;
  number_observed?: number;
}

export interface MatchOptions {
  /** Upper bound on candidate bindings kept per sub-expression (default 10,000). */
  maxBindings?: number;
}

export interface MatchResult {
  matched: boolean;
  /** Indexes (into the input) of the observations used by the first binding found. */
  observations: number[];
  /** Every binding found, each as sorted distinct observation indexes (capped by maxBindings). */
  bindings: number[][];
}

interface Instance {
  obs: number;
  first: number;
  last: number;
}

type Binding = number[];
type Filter = (binding: Binding) => boolean;

interface PreparedObservation {
  /** Root key → object. Keys are list indexes or the 2.0 dictionary keys. */
  objects: Map<string, Record<string, unknown>>;
  /** Reference value (id, or 2.0 dictionary key) → object. */
  refs: Map<string, Record<string, unknown>>;
}

const DEFAULT_MAX_BINDINGS = 10_000;

class Evaluator {
  private readonly prepared: PreparedObservation[];
  private readonly instances: Instance[] = [];
  private readonly comparisonCache = new Map<Observation, Set<number>>();
  private readonly regexCache = new Map<string, RegExp>();
  private readonly likeCache = new Map<string, RegExp>();

  constructor(
    observations: readonly PatternObservation[],
    copiesNeeded: number,
    private readonly maxBindings: number,
  ) {
    this.prepared = observations.map((o) => prepare(o));
    observations.forEach((o, idx) => {
      const first = parseTimestamp(o.first_observed);
      const last = parseTimestamp(o.last_observed);
      if (!first || !last) {
        throw new PatternEvaluationError(`observation ${idx} has an invalid first_observed or last_observed`);
      }
      if (last.ms < first.ms) throw new PatternEvaluationError(`observation ${idx} ends before it starts`);
      const n = o.number_observed ?? 1;
      if (!Number.isInteger(n) || n < 1) {
        throw new PatternEvaluationError(`observation ${idx} has an invalid number_observed`);
      }
      // A binding can never use one record more often than the pattern has observation slots.
      for (let k = 0; k < Math.min(n, copiesNeeded); k++) {
        this.instances.push({ obs: idx, first: first.ms, last: last.ms });
      }
    });
  }

  run(root: ObservationExpression): Binding[] {
    return this.evalObs(root, []);
  }

  toObservations(binding: Binding): number[] {
    return [...new Set(binding.map((i) => this.instances[i].obs))].sort((a, b) => a - b);
  }

  // ----------------------------------------------------------------------------- observation level

  private evalObs(node: ObservationExpression, filters: Filter[]): Binding[] {
    switch (node.kind) {
      case 'observation': {
        const matching = this.observationsMatching(node);
        const out: Binding[] = [];
        this.instances.forEach((inst, idx) => {
          if (out.length < this.maxBindings && matching.has(inst.obs) && passes([idx], filters))
            out.push([idx]);
        });
        return out;
      }
      case 'qualified': {
        const q = node.qualifier;
        if (q.kind === 'within') {
          const windowMs = q.seconds * 1000;
          return this.evalObs(node.expression, [...filters, (b) => this.fitsWindow(b, windowMs)]);
        }
        if (q.kind === 'startstop') {
          const start = parseTimestamp(q.start)?.ms ?? Number.NaN;
          const stop = parseTimestamp(q.stop)?.ms ?? Number.NaN;
          const inRange: Filter = (b) =>
            start < stop && b.every((i) => this.instances[i].first < stop && this.instances[i].last >= start);
          return this.evalObs(node.expression, [...filters, inRange]);
        }
        const inner = this.evalObs(node.expression, filters);
        return this.repeat(inner, q.times, filters);
      }
      case 'observation-operation': {
        const left = this.evalObs(node.left, filters);
        if (node.operator === 'OR') {
          const right = this.evalObs(node.right, filters);
          return [...left, ...right].slice(0, this.maxBindings);
        }
        if (left.length === 0) return [];
        const right = this.evalObs(node.right, filters);
        const followed = node.operator === 'FOLLOWEDBY';
        const out: Binding[] = [];
        for (const l of left) {
          const latestFirst = followed ? Math.max(...l.map((i) => this.instances[i].first)) : 0;
          const used = new Set(l);
          for (const r of right) {
            if (r.some((i) => used.has(i))) continue;
            if (followed && latestFirst > Math.min(...r.map((i) => this.instances[i].last))) continue;
            const joined = [...l, ...r];
            if (!passes(joined, filters)) continue;
            out.push(joined);
            if (out.length >= this.maxBindings) return out;
          }
        }
        return out;
      }
    }
  }

  private fitsWindow(binding: Binding, windowMs: number): boolean {
    let maxFirst = Number.NEGATIVE_INFINITY;
    let minLast = Number.POSITIVE_INFINITY;
    for (const i of binding) {
      const inst = this.instances[i];
      if (inst.first > maxFirst) maxFirst = inst.first;
      if (inst.last < minLast) minLast = inst.last;
    }
    return maxFirst - minLast < windowMs;
  }

  private repeat(candidates: Binding[], times: number, filters: Filter[]): Binding[] {
    if (times === 1) return candidates;
    // Time order keeps bindings that are close together near each other, which WITHIN usually wants.
    const sorted = [...candidates].sort(
      (a, b) =>
        Math.min(...a.map((i) => this.instances[i].first)) -
        Math.min(...b.map((i) => this.instances[i].first)),
    );
    const out: Binding[] = [];
    const chosen: Binding[] = [];
    const used = new Set<number>();
    const search = (from: number): void => {
      if (out.length >= this.maxBindings) return;
      if (chosen.length === times) {
        out.push(chosen.flat());
        return;
      }
      for (let k = from; k <= sorted.length - (times - chosen.length); k++) {
        const cand = sorted[k];
        if (cand.some((i) => used.has(i))) continue;
        const partial = [...chosen.flat(), ...cand];
        if (!passes(partial, filters)) continue;
        chosen.push(cand);
        for (const i of cand) used.add(i);
        search(k + 1);
        chosen.pop();
        for (const i of cand) used.delete(i);
        if (out.length >= this.maxBindings) return;
      }
    };
    search(0);
    return out;
  }

  // ------------------------------------------------------------------------------ comparison level

  private observationsMatching(node: Observation): Set<number> {
    const cached = this.comparisonCache.get(node);
    if (cached) return cached;
    const result = new Set<number>();
    this.prepared.forEach((obs, idx) => {
      if (this.evalComparison(node.comparison, obs).size > 0) result.add(idx);
    });
    this.comparisonCache.set(node, result);
    return result;
  }

  /** Keys of the root objects for which the expression holds. */
  private evalComparison(expr: ComparisonExpression, obs: PreparedObservation): Set<string> {
    if (expr.kind === 'comparison-boolean') {
      const left = this.evalComparison(expr.left, obs);
      if (expr.operator === 'AND') {
        if (left.size === 0) return left;
        const right = this.evalComparison(expr.right, obs);
        return new Set([...left].filter((k) => right.has(k)));
      }
      const right = this.evalComparison(expr.right, obs);
      return new Set([...left, ...right]);
    }
    const roots = new Set<string>();
    for (const [key, obj] of obs.objects) {
      if (obj.type !== expr.path.objectType) continue;
      const values = resolvePath(obj, expr.path, obs);
      if (expr.operator === 'EXISTS') {
        if (values.length > 0) roots.add(key);
        continue;
      }
      if (values.some((v) => this.test(expr, v))) roots.add(key);
    }
    return roots;
  }

  private test(cmp: Comparison, value: unknown): boolean {
    let result: boolean;
    switch (cmp.operator) {
      case '=':
        result = equals(value, cmp.value);
        break;
      case '!=':
        result = !equals(value, cmp.value);
        break;
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const order = compare(value, cmp.value);
        if (order === undefined) {
          result = false;
        } else {
          result =
            cmp.operator === '<'
              ? order < 0
              : cmp.operator === '<='
                ? order <= 0
                : cmp.operator === '>'
                  ? order > 0
                  : order >= 0;
        }
        break;
      }
      case 'IN':
        result = cmp.value.some((lit) => equals(value, lit));
        break;
      case 'LIKE':
        result = typeof value === 'string' && this.likeRegex(cmp.value).test(value.normalize('NFC'));
        break;
      case 'MATCHES': {
        const re = this.matchesRegex(cmp.value);
        if (typeof value === 'string') result = re.test(value.normalize('NFC'));
        else if (value instanceof Uint8Array) result = latin1CanMatch(cmp.value) && re.test(latin1(value));
        else result = false;
        break;
      }
      case 'ISSUBSET':
        result = typeof value === 'string' && isSubset(value, literalString(cmp.value));
        break;
      case 'ISSUPERSET':
        result = typeof value === 'string' && isSuperset(value, literalString(cmp.value));
        break;
      case 'EXISTS':
        result = true;
        break;
    }
    return cmp.negated ? !result : result;
  }

  private likeRegex(lit: Literal): RegExp {
    const text = literalString(lit).normalize('NFC');
    let re = this.likeCache.get(text);
    if (!re) {
      re = likeToRegExp(text);
      this.likeCache.set(text, re);
    }
    return re;
  }

  private matchesRegex(lit: Literal): RegExp {
    const text = literalString(lit).normalize('NFC');
    let re = this.regexCache.get(text);
    if (!re) {
      re = compilePcre(text, { dotAll: true });
      this.regexCache.set(text, re);
    }
    return re;
  }
}

function passes(binding: Binding, filters: Filter[]): boolean {
  for (const f of filters) if (!f(binding)) return false;
  return true;
}

function prepare(o: PatternObservation): PreparedObservation {
  const objects = new Map<string, Record<string, unknown>>();
  const refs = new Map<string, Record<string, unknown>>();
  const entries: [string, Record<string, unknown>][] = Array.isArray(o.objects)
    ? (o.objects as Record<string, unknown>[]).map((obj, i) => [String(i), obj])
    : Object.entries(o.objects as Record<string, Record<string, unknown>>);
  const isDict = !Array.isArray(o.objects);
  for (const [key, obj] of entries) {
    if (!obj || typeof obj !== 'object') continue;
    objects.set(key, obj);
    if (isDict) refs.set(key, obj);
    if (typeof obj.id === 'string') refs.set(obj.id, obj);
  }
  return { objects, refs };
}

/** Values the path selects from one root object, with `_ref(s)` dereferenced and `_hex`/`_bin` decoded. */
function resolvePath(root: Record<string, unknown>, path: ObjectPath, obs: PreparedObservation): unknown[] {
  let current: unknown[] = [root];
  for (const step of path.steps) {
    const next: unknown[] = [];
    if (step.kind === 'key') {
      for (const v of current) {
        if (!isPlainObject(v) || !Object.hasOwn(v, step.name)) continue;
        const raw = v[step.name];
        if (step.name.endsWith('_ref')) {
          const target = typeof raw === 'string' ? obs.refs.get(raw) : undefined;
          if (target) next.push(target);
        } else if (step.name.endsWith('_refs')) {
          // Unresolved references stay in place as undefined so `[n]` still counts positions in the list.
          if (Array.isArray(raw))
            next.push(raw.map((r) => (typeof r === 'string' ? obs.refs.get(r) : undefined)));
        } else {
          const decoded = decodeSuffixed(step.name, raw);
          if (decoded !== undefined) next.push(decoded);
        }
      }
    } else {
      for (const v of current) {
        if (!Array.isArray(v)) continue;
        const picked =
          step.index === '*' ? v : step.index >= 0 && step.index < v.length ? [v[step.index]] : [];
        for (const item of picked) if (item !== undefined) next.push(item);
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function decodeSuffixed(name: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (name.endsWith('_hex')) return /^(?:[0-9a-fA-F]{2})*$/.test(raw) ? decodeHex(raw) : undefined;
  if (name.endsWith('_bin')) {
    try {
      return decodeBase64(raw);
    } catch {
      return undefined;
    }
  }
  return raw;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function literalString(lit: Literal): string {
  return lit.type === 'string' ? lit.value : String(lit.value);
}

/** Bytes for a string whose code points all fit in a byte (the spec's rule for binary/string comparison). */
function stringAsBytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return undefined;
    out[i] = c;
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function latin1CanMatch(lit: Literal): boolean {
  return stringAsBytes(literalString(lit)) !== undefined;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Compares by Unicode code point, not UTF-16 code unit, so astral characters sort after U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return stringAsBytes(value);
  return undefined;
}

function equals(value: unknown, lit: Literal): boolean {
  switch (lit.type) {
    case 'string':
      if (typeof value === 'string') return value === lit.value;
      if (value instanceof Uint8Array) {
        const b = stringAsBytes(lit.value);
        return b !== undefined && compareBytes(value, b) === 0;
      }
      return false;
    case 'int':
    case 'float':
      return typeof value === 'number' && value === lit.value;
    case 'bool':
      return typeof value === 'boolean' && value === lit.value;
    case 'timestamp':
      return compareTimestamps(value, lit.value) === 0;
    case 'binary':
    case 'hex': {
      const b = asBytes(value);
      return b !== undefined && compareBytes(b, lit.value) === 0;
    }
  }
}

function compare(value: unknown, lit: Literal): number | undefined {
  switch (lit.type) {
    case 'string':
      if (typeof value === 'string') return compareCodePoints(value, lit.value);
      if (value instanceof Uint8Array) {
        const b = stringAsBytes(lit.value);
        return b === undefined ? undefined : compareBytes(value, b);
      }
      return undefined;
    case 'int':
    case 'float':
      return typeof value === 'number' ? value - lit.value : undefined;
    case 'timestamp':
      return compareTimestamps(value, lit.value);
    case 'binary':
    case 'hex': {
      const b = asBytes(value);
      return b === undefined ? undefined : compareBytes(b, lit.value);
    }
    case 'bool':
      return undefined;
  }
}

/** SQL LIKE: `%` any run of characters (newlines included), `_` exactly one character; the whole value. */
export function likeToRegExp(like: string): RegExp {
  let src = '^';
  for (const ch of like) {
    if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`${src}$`, 'u');
}

/** How many times one record can be used by a single binding of this expression (its observation slots). */
function slots(node: ObservationExpression): number {
  switch (node.kind) {
    case 'observation':
      return 1;
    case 'qualified':
      return node.qualifier.kind === 'repeats'
        ? node.qualifier.times * slots(node.expression)
        : slots(node.expression);
    case 'observation-operation':
      return node.operator === 'OR'
        ? Math.max(slots(node.left), slots(node.right))
        : slots(node.left) + slots(node.right);
  }
}

/** Pre-compiles every MATCHES regex so an unsupported one fails before any matching. */
function checkRegexes(node: ObservationExpression): void {
  const visitCmp = (c: ComparisonExpression): void => {
    if (c.kind === 'comparison-boolean') {
      visitCmp(c.left);
      visitCmp(c.right);
    } else if (c.operator === 'MATCHES') {
      compilePcre(literalString(c.value).normalize('NFC'), { dotAll: true });
    }
  };
  if (node.kind === 'observation') visitCmp(node.comparison);
  else if (node.kind === 'qualified') checkRegexes(node.expression);
  else {
    checkRegexes(node.left);
    checkRegexes(node.right);
  }
}

/**
 * Matches a pattern (parsed, or source text) against observations. Throws PatternSyntaxError for unparsable
 * text and PatternEvaluationError for unusable input (bad timestamps, unsupported MATCHES regex).
 */
export function matchPattern(
  pattern: Pattern | string,
  observations: readonly PatternObservation[],
  options: MatchOptions = {},
): MatchResult {
  const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  checkRegexes(ast.root);
  const maxBindings = options.maxBindings ?? DEFAULT_MAX_BINDINGS;
  const evaluator = new Evaluator(observations, slots(ast.root), maxBindings);
  const found = evaluator.run(ast.root);
  const bindings = found.map((b) => evaluator.toObservations(b));
  return { matched: bindings.length > 0, observations: bindings[0] ?? [], bindings };
}
