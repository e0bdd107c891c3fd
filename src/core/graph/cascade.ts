import { type DependencyGraph, type GraphNode, type NodeKind, resolveIds } from './graph.js';

export interface CascadeOptions {
  /** Include the chain of failures from an initially failed node to each impacted node. Default true. */
  includePaths?: boolean;
}

export interface FailureCause {
  /** The dependency whose failure stopped this node (for a redundancy group: the last member to fail). */
  via: string;
  edgeType?: string;
  redundancyGroup?: string;
  /** Every member of the exhausted redundancy group. */
  groupMembers?: string[];
}

export interface ImpactedNode {
  id: string;
  kind: NodeKind;
  name?: string;
  /** Hops from the nearest initially failed node along the cause chain (0 for those nodes themselves). */
  depth: number;
  /** Hours after the initial failure at which this node stops (sum of bufferHours along the cause chain). */
  timeToImpactHours: number;
  /** null for the initially failed nodes. */
  cause: FailureCause | null;
  /** Ids from an initially failed node to this one; empty when paths were not requested. */
  path: string[];
}

export interface ImpactedService extends ImpactedNode {
  population: number;
  criticalityTier?: number;
  rtoHours?: number;
  /** Hours after the initial failure at which the service's recovery time objective is breached. */
  rtoBreachHours: number | null;
}

export interface CascadeResult {
  initial: string[];
  /** Every failed node, initial ones included, in order of failure. */
  impacted: ImpactedNode[];
  /** Failed services, most urgent first (earliest RTO breach, unknown RTO last, then larger population). */
  services: ImpactedService[];
  /** Sum of the populations of failed services (residents using several services are counted in each). */
  populationAffected: number;
  /** Population of the largest failed service: a lower bound on distinct residents affected. */
  largestPopulation: number;
  counts: Record<NodeKind, number>;
}

/**
 * Propagation core shared by cascade and single-point-of-failure analysis.
 *
 * Semantics: a node fails if it is initially failed, if any required dependency fails, or if every member of one
 * of its redundancy groups fails. The result is the least fixpoint: nodes on a cycle fail only when a failure
 * reaches the cycle from outside, never by assuming each other failed. Each node is assigned once, so cycles
 * cannot loop; the cost is O(V + E) for the part of the graph the failure reaches.
 *
 * Failures are processed in order of (time, depth) with a binary heap. Because a node's delay (its buffer) is
 * fixed, the first time it becomes failed is its earliest possible time, and for a redundancy group the trigger is
 * the member that fails last, which is exactly when the group is exhausted.
 */
export class Propagator {
  readonly time: Float64Array;
  readonly depth: Int32Array;
  /** Forward edge through which each node failed (-1 for initial nodes). */
  readonly parentEdge: Int32Array;
  private readonly assigned: Uint8Array;
  private readonly remaining: Int32Array;
  private readonly heap: Int32Array;
  /** Nodes assigned during the last run, in order of failure. */
  readonly order: Int32Array;
  count = 0;
  private touchedGroups: Int32Array;
  private touchedGroupCount = 0;

  constructor(private readonly g: DependencyGraph) {
    const n = g.nodes.length;
    this.time = new Float64Array(n);
    this.depth = new Int32Array(n);
    this.parentEdge = new Int32Array(n);
    this.assigned = new Uint8Array(n);
    this.remaining = g.groupSize.slice();
    this.heap = new Int32Array(n);
    this.order = new Int32Array(n);
    this.touchedGroups = new Int32Array(g.groupSize.length);
  }

  /** Clears only what the last run touched, so repeated small cascades stay proportional to their size. */
  private reset(): void {
    for (let k = 0; k < this.count; k++) this.assigned[this.order[k]] = 0;
    for (let k = 0; k < this.touchedGroupCount; k++) {
      const gi = this.touchedGroups[k];
      this.remaining[gi] = this.g.groupSize[gi];
    }
    this.count = 0;
    this.touchedGroupCount = 0;
  }

  run(initial: ArrayLike<number>): number {
    this.reset();
    const { revStart, revEdge, edgeSource, depGroup, buffer, groupSize } = this.g;
    const { time, depth, parentEdge, assigned, remaining, heap, order } = this;
    let size = 0;
    const less = (a: number, b: number) => time[a] < time[b] || (time[a] === time[b] && depth[a] < depth[b]);
    const push = (v: number) => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(v, heap[p])) break;
        heap[i] = heap[p];
        i = p;
      }
      heap[i] = v;
    };
    const pop = (): number => {
      const top = heap[0];
      const last = heap[--size];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
        if (!less(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      if (size > 0) heap[i] = last;
      return top;
    };
    for (let k = 0; k < initial.length; k++) {
      const v = initial[k];
      if (assigned[v]) continue;
      assigned[v] = 1;
      time[v] = 0;
      depth[v] = 0;
      parentEdge[v] = -1;
      push(v);
    }
    while (size > 0) {
      const u = pop();
      order[this.count++] = u;
      const tu = time[u];
      const du = depth[u] + 1;
      for (let r = revStart[u]; r < revStart[u + 1]; r++) {
        const e = revEdge[r];
        const v = edgeSource[e];
        if (assigned[v]) continue;
        const gi = depGroup[e];
        if (gi >= 0) {
          if (remaining[gi] === groupSize[gi]) this.touchedGroups[this.touchedGroupCount++] = gi;
          if (--remaining[gi] > 0) continue;
        }
        assigned[v] = 1;
        time[v] = tu + buffer[v];
        depth[v] = du;
        parentEdge[v] = e;
        push(v);
      }
    }
    return this.count;
  }
}

function pathTo(g: DependencyGraph, parentEdge: Int32Array, v: number): string[] {
  const path: string[] = [];
  let x = v;
  for (;;) {
    path.push(g.nodes[x].id);
    const e = parentEdge[x];
    if (e < 0) break;
    x = g.depTarget[e];
  }
  return path.reverse();
}

function causeOf(g: DependencyGraph, e: number): FailureCause {
  const cause: FailureCause = { via: g.nodes[g.depTarget[e]].id };
  if (g.depType[e] >= 0) cause.edgeType = g.edgeTypes[g.depType[e]];
  const gi = g.depGroup[e];
  if (gi >= 0) {
    cause.redundancyGroup = g.groupName[gi];
    const owner = g.edgeSource[e];
    const members: string[] = [];
    for (let k = g.depStart[owner]; k < g.depStart[owner + 1]; k++) {
      if (g.depGroup[k] === gi) members.push(g.nodes[g.depTarget[k]].id);
    }
    cause.groupMembers = members;
  }
  return cause;
}

/**
 * Which nodes stop if the given nodes fail or are compromised, why, and how soon. Unknown ids (for instance a
 * system deleted since the question was asked) raise a GraphError naming each one.
 */
export function cascade(
  graph: DependencyGraph,
  failedNodeIds: readonly string[],
  opts: CascadeOptions = {},
): CascadeResult {
  const initial = resolveIds(graph, failedNodeIds, 'failedNodeIds');
  const includePaths = opts.includePaths ?? true;
  const p = new Propagator(graph);
  const count = p.run(initial);
  const impacted: ImpactedNode[] = [];
  const services: ImpactedService[] = [];
  const counts: Record<NodeKind, number> = { service: 0, system: 0, provider: 0 };
  let populationAffected = 0;
  let largestPopulation = 0;
  for (let k = 0; k < count; k++) {
    const v = p.order[k];
    const node: GraphNode = graph.nodes[v];
    const e = p.parentEdge[v];
    const item: ImpactedNode = {
      id: node.id,
      kind: node.kind,
      depth: p.depth[v],
      timeToImpactHours: p.time[v],
      cause: e < 0 ? null : causeOf(graph, e),
      path: includePaths ? pathTo(graph, p.parentEdge, v) : [],
    };
    if (node.name !== undefined) item.name = node.name;
    counts[node.kind]++;
    if (node.kind === 'service') {
      const population = node.population ?? 0;
      const svc: ImpactedService = {
        ...item,
        population,
        rtoBreachHours: node.rtoHours === undefined ? null : p.time[v] + node.rtoHours,
      };
      if (node.criticalityTier !== undefined) svc.criticalityTier = node.criticalityTier;
      if (node.rtoHours !== undefined) svc.rtoHours = node.rtoHours;
      services.push(svc);
      impacted.push(svc);
      populationAffected += population;
      if (population > largestPopulation) largestPopulation = population;
    } else {
      impacted.push(item);
    }
  }
  services.sort(
    (a, b) =>
      (a.rtoBreachHours ?? Number.POSITIVE_INFINITY) - (b.rtoBreachHours ?? Number.POSITIVE_INFINITY) ||
      b.population - a.population ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return {
    initial: [...failedNodeIds],
    impacted,
    services,
    populationAffected,
    largestPopulation,
    counts,
  };
}
