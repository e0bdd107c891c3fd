import { Propagator } from './cascade.js';
import { stronglyConnectedComponents } from './cycles.js';
import { type DependencyGraph, type GraphNode, type NodeKind, resolveIds } from './graph.js';

export interface SpofOptions {
  /**
   * Weight of a stopped service. Default: population served (at least 1) × 8 for tier 1, 4 for tier 2, 2 for
   * tier 3 and 1 otherwise, so a tier-1 service for 10,000 residents outweighs a tier-3 one for 30,000.
   */
  weight?: (service: GraphNode) => number;
  /** Nodes to evaluate. Default: every system and provider. */
  candidates?: readonly string[];
  /** Keep only the top entries. Default: all with a positive score. */
  limit?: number;
}

export interface SpofEntry {
  id: string;
  kind: NodeKind;
  name?: string;
  /** Sum of the weights of the services its loss alone stops. */
  score: number;
  servicesStopped: string[];
  /** Sum of the populations of those services. */
  population: number;
  /** Every node (any kind) its loss alone stops, itself included. */
  nodesStopped: number;
}

export function defaultServiceWeight(s: GraphNode): number {
  const tier = s.criticalityTier ?? 4;
  const factor = tier <= 1 ? 8 : tier === 2 ? 4 : tier === 3 ? 2 : 1;
  return Math.max(1, s.population ?? 0) * factor;
}

/**
 * Ranks nodes whose individual loss stops the most (weighted) services, redundancy honoured.
 *
 * Exact method: one sparse cascade per candidate, resetting only what it touched, so the total cost is
 * O(Σ over candidates of the size of its cascade region) rather than O(V · (V + E)). Two shortcuts keep that sum
 * small in practice: a node nothing depends on stops only itself, and a node with exactly one dependent that
 * requires it stops exactly what that dependent stops plus itself, a dominator-style reduction that collapses
 * the long chains typical of infrastructure (switch → rack → room → building feed) into one computation. Worst
 * case (a dense graph where every failure reaches everything) remains quadratic; restrict `candidates` there.
 */
export function singlePointsOfFailure(graph: DependencyGraph, opts: SpofOptions = {}): SpofEntry[] {
  const n = graph.nodes.length;
  const weight = opts.weight ?? defaultServiceWeight;
  let candidates: Int32Array;
  if (opts.candidates !== undefined) {
    candidates = resolveIds(graph, opts.candidates, 'candidates');
  } else {
    const list: number[] = [];
    for (let i = 0; i < n; i++) if (graph.kind[i] !== 0) list.push(i);
    candidates = Int32Array.from(list);
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (graph.kind[i] === 0) {
      const x = weight(graph.nodes[i]);
      if (!Number.isFinite(x) || x < 0) {
        throw new RangeError(
          `weight of service "${graph.nodes[i].id}" must be finite and non-negative, got ${x}`,
        );
      }
      w[i] = x;
    }
  }
  const p = new Propagator(graph);
  const { component } = stronglyConnectedComponents(graph);
  const single = new Int32Array(1);
  // Per node, filled lazily: services its loss stops (indices) and how many nodes stop.
  const memoServices: (Int32Array | undefined)[] = new Array(n);
  const memoNodes = new Int32Array(n);

  /**
   * The dependent y whose cascade, plus x, is exactly x's cascade: x's only dependent, requiring x, and not on a
   * cycle with x (otherwise y's cascade could contain x and the decomposition would double count).
   */
  const chainSuccessor = (x: number): number => {
    const { revStart, revEdge, edgeSource, depGroup, groupSize } = graph;
    if (revStart[x + 1] - revStart[x] !== 1) return -1;
    const e = revEdge[revStart[x]];
    const gi = depGroup[e];
    if (gi >= 0 && groupSize[gi] !== 1) return -1;
    const y = edgeSource[e];
    return component[y] === component[x] ? -1 : y;
  };

  const direct = (x: number): void => {
    if (graph.revStart[x + 1] === graph.revStart[x]) {
      memoServices[x] = graph.kind[x] === 0 ? Int32Array.of(x) : new Int32Array(0);
      memoNodes[x] = 1;
      return;
    }
    single[0] = x;
    const count = p.run(single);
    const svc: number[] = [];
    for (let k = 0; k < count; k++) {
      const v = p.order[k];
      if (graph.kind[v] === 0) svc.push(v);
    }
    memoServices[x] = Int32Array.from(svc);
    memoNodes[x] = count;
  };

  // Follows the chain iteratively (chains can be tens of thousands long), then fills it back to front.
  const evaluate = (x: number): Int32Array => {
    const chain: number[] = [];
    let v = x;
    while (memoServices[v] === undefined) {
      const y = chainSuccessor(v);
      if (y < 0) {
        direct(v);
        break;
      }
      chain.push(v);
      v = y;
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const c = chain[k];
      const next = memoServices[v]!;
      memoServices[c] = graph.kind[c] === 0 ? Int32Array.from([c, ...next]) : next;
      memoNodes[c] = memoNodes[v] + 1;
      v = c;
    }
    return memoServices[x]!;
  };

  const entries: SpofEntry[] = [];
  for (let k = 0; k < candidates.length; k++) {
    const x = candidates[k];
    const services = evaluate(x);
    let score = 0;
    let population = 0;
    for (let j = 0; j < services.length; j++) {
      score += w[services[j]];
      population += graph.nodes[services[j]].population ?? 0;
    }
    if (score <= 0) continue;
    const node = graph.nodes[x];
    const entry: SpofEntry = {
      id: node.id,
      kind: node.kind,
      score,
      servicesStopped: Array.from(services, (s) => graph.nodes[s].id),
      population,
      nodesStopped: memoNodes[x],
    };
    if (node.name !== undefined) entry.name = node.name;
    entries.push(entry);
  }
  entries.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return opts.limit !== undefined ? entries.slice(0, Math.max(0, opts.limit)) : entries;
}
