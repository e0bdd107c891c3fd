/**
 * Dependency graph of the city: services, systems and external providers, with typed edges "from depends on to".
 * Stored in compressed sparse row form (Int32Array offsets and targets) so whole-graph analyses over tens of
 * thousands of systems touch contiguous memory and allocate nothing per edge.
 */

export type NodeKind = 'service' | 'system' | 'provider';

export const NODE_KINDS: readonly NodeKind[] = ['service', 'system', 'provider'];

export interface GraphNode {
  id: string;
  kind: NodeKind;
  name?: string;
  /** Residents served (services). */
  population?: number;
  /** 1 = most critical. */
  criticalityTier?: number;
  /** Recovery time objective in hours (services). */
  rtoHours?: number;
  /**
   * Hours the node keeps working after what it depends on fails (battery, local cache, manual fallback).
   * Default 0: it stops at once.
   */
  bufferHours?: number;
  owner?: string;
}

export interface GraphEdge {
  /** The dependent. */
  from: string;
  /** What it depends on. */
  to: string;
  /** Kind of dependency: runs on, needs data from, powered by … */
  type?: string;
  /**
   * Dependencies of the same `from` sharing a group are alternatives: `from` fails only when every member fails.
   * Without a group, the dependency is required: its failure alone stops `from`.
   */
  redundancyGroup?: string;
}

export interface GraphIssue {
  field: string;
  message: string;
}

/** Invalid graph input. Lists every problem found (up to a limit) so an import can report them all at once. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(readonly issues: GraphIssue[]) {
    super(
      issues
        .slice(0, 10)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ') + (issues.length > 10 ? `; … and ${issues.length - 10} more` : ''),
    );
  }
}

export interface DependencyGraph {
  readonly nodes: readonly GraphNode[];
  readonly index: ReadonlyMap<string, number>;
  /** 0 service, 1 system, 2 provider. */
  readonly kind: Uint8Array;
  /** bufferHours of each node (0 when not given). */
  readonly buffer: Float64Array;
  /** Forward CSR: dependencies of node i are depTarget[depStart[i] .. depStart[i+1]). */
  readonly depStart: Int32Array;
  readonly depTarget: Int32Array;
  /** Redundancy-group slot of each dependency edge, or -1 when the dependency is required. */
  readonly depGroup: Int32Array;
  /** Index into edgeTypes of each dependency edge (-1 when untyped). */
  readonly depType: Int32Array;
  /** Reverse CSR: dependents of node i, as forward edge indices in revEdge[revStart[i] .. revStart[i+1]). */
  readonly revStart: Int32Array;
  readonly revEdge: Int32Array;
  /** Source node of each forward edge. */
  readonly edgeSource: Int32Array;
  /** Number of distinct members of each redundancy group slot, its owner node and its name. */
  readonly groupSize: Int32Array;
  readonly groupOwner: Int32Array;
  readonly groupName: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly edgeCount: number;
}

export const KIND_CODE: Record<NodeKind, number> = { service: 0, system: 1, provider: 2 };

const MAX_ISSUES = 1000;

function nonNegative(v: unknown): boolean {
  return v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
}

/**
 * Builds the graph, validating every node and edge. A dependency pointing at an id that is not among the nodes
 * (a deleted system, a typo in an import) is an error naming the edge, not a silently dropped edge, because a
 * missing dependency would understate the cascade. Duplicate edges are merged.
 */
export function buildGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): DependencyGraph {
  const issues: GraphIssue[] = [];
  const issue = (field: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ field, message });
  };
  if (!Array.isArray(nodes)) throw new GraphError([{ field: 'nodes', message: 'must be an array' }]);
  if (!Array.isArray(edges)) throw new GraphError([{ field: 'edges', message: 'must be an array' }]);
  const n = nodes.length;
  const index = new Map<string, number>();
  const kind = new Uint8Array(n);
  const buffer = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    const f = `nodes[${i}]`;
    if (node === null || typeof node !== 'object') {
      issue(f, 'must be an object');
      continue;
    }
    if (typeof node.id !== 'string' || node.id === '') {
      issue(`${f}.id`, 'must be a non-empty string');
      continue;
    }
    const prev = index.get(node.id);
    if (prev !== undefined) issue(`${f}.id`, `duplicate node id "${node.id}" (also nodes[${prev}])`);
    else index.set(node.id, i);
    if (!NODE_KINDS.includes(node.kind)) {
      issue(`${f}.kind`, `must be one of ${NODE_KINDS.join(', ')}, got ${String(node.kind)}`);
    } else {
      kind[i] = KIND_CODE[node.kind as NodeKind];
    }
    for (const k of ['population', 'rtoHours', 'bufferHours'] as const) {
      if (!nonNegative(node[k]))
        issue(`${f}.${k}`, `must be a finite non-negative number, got ${String(node[k])}`);
    }
    if (typeof node.bufferHours === 'number' && node.bufferHours > 0) buffer[i] = node.bufferHours;
    if (
      node.criticalityTier !== undefined &&
      !(Number.isInteger(node.criticalityTier) && node.criticalityTier >= 1)
    ) {
      issue(`${f}.criticalityTier`, `must be a positive integer, got ${String(node.criticalityTier)}`);
    }
  }
  const m0 = edges.length;
  const src = new Int32Array(m0);
  const dst = new Int32Array(m0);
  const grp = new Int32Array(m0).fill(-1);
  const typ = new Int32Array(m0).fill(-1);
  const groupSlot = new Map<string, number>();
  const groupOwner: number[] = [];
  const groupName: string[] = [];
  const typeIndex = new Map<string, number>();
  const edgeTypes: string[] = [];
  let valid = 0;
  for (let e = 0; e < m0; e++) {
    const edge = edges[e];
    const f = `edges[${e}]`;
    if (edge === null || typeof edge !== 'object') {
      issue(f, 'must be an object');
      continue;
    }
    const a = index.get(edge.from);
    const b = index.get(edge.to);
    if (a === undefined) issue(`${f}.from`, `unknown node "${String(edge.from)}" (deleted or never added)`);
    if (b === undefined) issue(`${f}.to`, `unknown node "${String(edge.to)}" (deleted or never added)`);
    if (
      edge.redundancyGroup !== undefined &&
      (typeof edge.redundancyGroup !== 'string' || edge.redundancyGroup === '')
    ) {
      issue(`${f}.redundancyGroup`, 'must be a non-empty string when given');
      continue;
    }
    if (edge.type !== undefined && typeof edge.type !== 'string') {
      issue(`${f}.type`, 'must be a string when given');
      continue;
    }
    if (a === undefined || b === undefined) continue;
    src[valid] = a;
    dst[valid] = b;
    if (edge.redundancyGroup !== undefined) {
      const key = `${a}\u0000${edge.redundancyGroup}`;
      let slot = groupSlot.get(key);
      if (slot === undefined) {
        slot = groupOwner.length;
        groupSlot.set(key, slot);
        groupOwner.push(a);
        groupName.push(edge.redundancyGroup);
      }
      grp[valid] = slot;
    }
    if (edge.type !== undefined) {
      let t = typeIndex.get(edge.type);
      if (t === undefined) {
        t = edgeTypes.length;
        typeIndex.set(edge.type, t);
        edgeTypes.push(edge.type);
      }
      typ[valid] = t;
    }
    valid++;
  }
  if (issues.length > 0) throw new GraphError(issues);

  // Counting sort by source gives the forward CSR in O(n + m).
  const depStart = new Int32Array(n + 1);
  for (let e = 0; e < valid; e++) depStart[src[e] + 1]++;
  for (let i = 0; i < n; i++) depStart[i + 1] += depStart[i];
  const fill = depStart.slice(0, n);
  const order = new Int32Array(valid);
  for (let e = 0; e < valid; e++) order[fill[src[e]]++] = e;
  // Merge duplicates within each source: the same (to, group) twice is one dependency.
  const depTarget = new Int32Array(valid);
  const depGroup = new Int32Array(valid);
  const depType = new Int32Array(valid);
  const edgeSource = new Int32Array(valid);
  const seen = new Set<number>();
  const G = groupOwner.length + 1;
  let m = 0;
  const newStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    newStart[i] = m;
    seen.clear();
    for (let k = depStart[i]; k < depStart[i + 1]; k++) {
      const e = order[k];
      const key = dst[e] * G + (grp[e] + 1);
      if (seen.has(key)) continue;
      seen.add(key);
      depTarget[m] = dst[e];
      depGroup[m] = grp[e];
      depType[m] = typ[e];
      edgeSource[m] = i;
      m++;
    }
  }
  newStart[n] = m;
  const groupSize = new Int32Array(groupOwner.length);
  for (let e = 0; e < m; e++) if (depGroup[e] >= 0) groupSize[depGroup[e]]++;

  const revStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) revStart[depTarget[e] + 1]++;
  for (let i = 0; i < n; i++) revStart[i + 1] += revStart[i];
  const rfill = revStart.slice(0, n);
  const revEdge = new Int32Array(m);
  for (let e = 0; e < m; e++) revEdge[rfill[depTarget[e]]++] = e;

  return {
    nodes,
    index,
    kind,
    buffer,
    depStart: newStart,
    depTarget: depTarget.subarray(0, m),
    depGroup: depGroup.subarray(0, m),
    depType: depType.subarray(0, m),
    revStart,
    revEdge,
    edgeSource: edgeSource.subarray(0, m),
    groupSize,
    groupOwner: Int32Array.from(groupOwner),
    groupName,
    edgeTypes,
    edgeCount: m,
  };
}

/** Resolves ids to node indices, with a precise error for ids not in the graph. */
export function resolveIds(graph: DependencyGraph, ids: readonly string[], field: string): Int32Array {
  if (!Array.isArray(ids)) throw new GraphError([{ field, message: 'must be an array of node ids' }]);
  const out = new Int32Array(ids.length);
  const issues: GraphIssue[] = [];
  ids.forEach((id, k) => {
    const i = graph.index.get(id);
    if (i === undefined) {
      issues.push({
        field: `${field}[${k}]`,
        message: `unknown node "${String(id)}" (deleted or never added)`,
      });
    } else {
      out[k] = i;
    }
  });
  if (issues.length > 0) throw new GraphError(issues);
  return out;
}
