/**
 * How a finding's trace is stored. An organization's first match writes one trace per finding (10,000 systems
 * gave 148,000), so the bytes decide how long that takes.
 *
 * - An NVD match without advisories is stored by reference (`refTrace`, about a quarter of the packed form):
 *   the system's identity, the configuration and the matching criterion with its version bounds. The whole
 *   trace is the evaluation of the CVE record's configurations for that identity, so it is evaluated again when
 *   read; when the current record no longer gives that match, the stored criterion still says why the finding
 *   was raised.
 * - Any other NVD trace (with advisories) is packed (`packTrace`, about a third of its size): criterion, bound
 *   and node traces as positional arrays, the witness as its position among the criteria (it is one of them),
 *   relations abbreviated, and the matched CPE as 1 when it is the system's own. `unpackTrace` gives back the
 *   trace exactly as built; a trace stored before packing (or one that is not an NVD match) passes through.
 */
import type { BoundTrace, CriterionTrace, MatchTrace, NodeTrace } from '../../../core/vuln/index.js';

/** Marks a packed trace; its value is the format version. */
const PACKED = 'packed';
/** Marks a trace stored by reference; its value is the format version. */
const REF = 'ref';

const REL_SHORT: Record<string, string> = {
  EQUAL: 'E',
  SUPERSET: 'P',
  SUBSET: 'B',
  DISJOINT: 'D',
  UNDEFINED: 'U',
};
const REL_LONG: Record<string, string> = Object.fromEntries(
  Object.entries(REL_SHORT).map(([k, v]) => [v, k]),
);

type PackedBound = [string, string, string | null, -1 | 0 | 1 | null, boolean | null, string?];
type PackedCriterion = [
  number,
  number,
  number,
  string,
  string | null,
  boolean,
  'system' | 'platform',
  string | 1 | null,
  string,
  Record<string, string>,
  PackedBound[],
  string[],
  string[],
];
type PackedNode = [number, 'AND' | 'OR', boolean, string];

function packCriterion(c: CriterionTrace, systemCpe: unknown): PackedCriterion {
  const relations: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.relations)) relations[k] = REL_SHORT[v as string] ?? (v as string);
  return [
    c.configuration,
    c.node,
    c.cpeMatch,
    c.criteria,
    c.matchCriteriaId ?? null,
    c.vulnerable,
    c.role,
    c.matchedCpe !== null && c.matchedCpe === systemCpe ? 1 : c.matchedCpe,
    c.result,
    relations,
    c.versionBounds.map(packBound),
    c.assumptions,
    c.notes,
  ];
}

function unpackCriterion(p: PackedCriterion, systemCpe: unknown): CriterionTrace {
  const relations: Record<string, string> = {};
  for (const [k, v] of Object.entries(p[9])) relations[k] = REL_LONG[v] ?? v;
  return {
    configuration: p[0],
    node: p[1],
    cpeMatch: p[2],
    criteria: p[3],
    ...(p[4] !== null ? { matchCriteriaId: p[4] } : {}),
    vulnerable: p[5],
    role: p[6],
    matchedCpe: p[7] === 1 ? (systemCpe as string) : p[7],
    result: p[8] as CriterionTrace['result'],
    relations: relations as CriterionTrace['relations'],
    versionBounds: p[10].map(unpackBound),
    assumptions: p[11],
    notes: p[12],
  };
}

/** The stored form of a trace (see the module comment). */
export function packTrace(trace: Record<string, unknown>): Record<string, unknown> {
  const match = trace.trace as MatchTrace | undefined;
  const witness = trace.witness as CriterionTrace | undefined;
  if (trace.source !== 'nvd' || !match || !Array.isArray(match.criteria) || !witness) return trace;
  let w = match.criteria.indexOf(witness);
  if (w < 0) w = match.criteria.findIndex((c) => JSON.stringify(c) === JSON.stringify(witness));
  if (w < 0) return trace;
  const systemCpe = (trace.system as { cpe?: unknown } | undefined)?.cpe ?? null;
  const { trace: _t, witness: _w, ...rest } = trace;
  return {
    ...rest,
    [PACKED]: 1,
    witness: w,
    trace: [
      match.configuration,
      match.operator,
      match.negate,
      match.nodes.map((n): PackedNode => [n.node, n.operator, n.negate, n.result]),
      match.criteria.map((c) => packCriterion(c, systemCpe)),
    ],
  };
}

/** The trace as built from its stored form (packed or not). */
export function unpackTrace(stored: unknown): Record<string, unknown> {
  const t = (stored ?? {}) as Record<string, unknown>;
  if (t[PACKED] !== 1 || !Array.isArray(t.trace)) return t;
  const [configuration, operator, negate, nodes, criteria] = t.trace as [
    number,
    'AND' | 'OR',
    boolean,
    PackedNode[],
    PackedCriterion[],
  ];
  const systemCpe = (t.system as { cpe?: unknown } | undefined)?.cpe ?? null;
  const unpacked = criteria.map((c) => unpackCriterion(c, systemCpe));
  const { [PACKED]: _p, witness, trace: _t, ...rest } = t;
  const match: MatchTrace = {
    configuration,
    operator,
    negate,
    nodes: nodes.map((n): NodeTrace => ({ node: n[0], operator: n[1], negate: n[2], result: n[3] as never })),
    criteria: unpacked,
  };
  return { ...rest, witness: unpacked[witness as number], trace: match };
}

/** A system's identity as a trace records it. */
export interface TraceSystem {
  cpe: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
}

/** What a trace stored by reference holds (see the module comment). */
export interface TraceRef {
  system: TraceSystem;
  confidence: string;
  configurationIndex: number;
  /** The matching criterion, without its attribute relations (those come with the evaluation). */
  witness: CriterionTrace;
}

type RefWitness = [
  number,
  number,
  number,
  string,
  boolean,
  'system' | 'platform',
  string | 1 | null,
  string,
  PackedBound[],
  string[],
  string[],
];

function packBound(b: BoundTrace): PackedBound {
  const p: PackedBound = [b.bound, b.value, b.version, b.comparison, b.satisfied];
  if (b.reason !== undefined) p.push(b.reason);
  return p;
}

function unpackBound(b: PackedBound): BoundTrace {
  const bound: BoundTrace = {
    bound: b[0] as BoundTrace['bound'],
    value: b[1],
    version: b[2],
    comparison: b[3],
    satisfied: b[4],
  };
  if (b.length > 5) bound.reason = b[5];
  return bound;
}

/**
 * The stored form by reference of an NVD match trace, or null when the trace cannot be stored so (advisories,
 * or not an NVD match).
 */
export function refTrace(trace: Record<string, unknown>): Record<string, unknown> | null {
  const w = trace.witness as CriterionTrace | undefined;
  const advisories = trace.advisories as unknown[] | undefined;
  if (trace.source !== 'nvd' || !w || advisories?.length) return null;
  const s = (trace.system ?? {}) as Partial<TraceSystem>;
  const cpe = s.cpe ?? null;
  const witness: RefWitness = [
    w.configuration,
    w.node,
    w.cpeMatch,
    w.criteria,
    w.vulnerable,
    w.role,
    w.matchedCpe !== null && w.matchedCpe === cpe ? 1 : w.matchedCpe,
    w.result,
    w.versionBounds.map(packBound),
    w.assumptions,
    w.notes,
  ];
  return {
    [REF]: 1,
    s: [cpe, s.vendor ?? null, s.product ?? null, s.version ?? null],
    c: trace.confidence,
    i: trace.configurationIndex,
    w: witness,
  };
}

/** What a trace stored by reference holds, or null for any other stored form. */
export function readTraceRef(stored: unknown): TraceRef | null {
  const t = (stored ?? {}) as Record<string, unknown>;
  if (t[REF] !== 1 || !Array.isArray(t.s) || !Array.isArray(t.w)) return null;
  const [cpe, vendor, product, version] = t.s as (string | null)[];
  const w = t.w as RefWitness;
  return {
    system: { cpe: cpe ?? null, vendor: vendor ?? null, product: product ?? null, version: version ?? null },
    confidence: t.c as string,
    configurationIndex: t.i as number,
    witness: {
      configuration: w[0],
      node: w[1],
      cpeMatch: w[2],
      criteria: w[3],
      vulnerable: w[4],
      role: w[5],
      matchedCpe: w[6] === 1 ? cpe : w[6],
      result: w[7] as CriterionTrace['result'],
      relations: {},
      versionBounds: w[8].map(unpackBound),
      assumptions: w[9],
      notes: w[10],
    },
  };
}

/**
 * The trace as far as a reference tells when the current CVE record no longer gives that match: the system, the
 * configuration and the criterion that matched, with its version bounds.
 */
export function traceFromRef(ref: TraceRef): Record<string, unknown> {
  return {
    source: 'nvd',
    system: ref.system,
    confidence: ref.confidence,
    configurationIndex: ref.configurationIndex,
    witness: ref.witness,
    trace: {
      configuration: ref.configurationIndex,
      operator: null,
      negate: false,
      nodes: [],
      criteria: [ref.witness],
    },
    alsoMatched: [],
    recordChanged: true,
  };
}
