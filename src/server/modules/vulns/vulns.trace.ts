/**
 * How a finding's trace is stored. The trace of an NVD match (`Match` of core/vuln plus the system's identity and
 * any advisories) is kept in a packed form about a third of its size: criterion, bound and node traces as
 * positional arrays, the witness as its position among the criteria (it is one of them), relations abbreviated,
 * and the matched CPE as 1 when it is the system's own. An organization's first match writes one trace per
 * finding (10,000 systems gave 148,000), so the bytes decide how long that takes. `unpackTrace` gives back the
 * trace exactly as built; a trace stored before packing (or one that is not an NVD match) passes through as is.
 */
import type { BoundTrace, CriterionTrace, MatchTrace, NodeTrace } from '../../../core/vuln/index.js';

/** Marks a packed trace; its value is the format version. */
const PACKED = 'packed';

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
    c.versionBounds.map((b) => {
      const p: PackedBound = [b.bound, b.value, b.version, b.comparison, b.satisfied];
      if (b.reason !== undefined) p.push(b.reason);
      return p;
    }),
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
    versionBounds: p[10].map((b) => {
      const bound: BoundTrace = {
        bound: b[0] as BoundTrace['bound'],
        value: b[1],
        version: b[2],
        comparison: b[3],
        satisfied: b[4],
      };
      if (b.length > 5) bound.reason = b[5];
      return bound;
    }),
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
