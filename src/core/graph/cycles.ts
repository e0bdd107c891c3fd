import type { DependencyGraph } from './graph.js';

export interface CycleReport {
  /** Strongly connected components with more than one node, or a node depending on itself. */
  components: string[][];
  /** One concrete cycle per component, first id repeated at the end (a → b → a). */
  cycles: string[][];
}

/**
 * Strongly connected components (Tarjan), iterative so a 50,000-node chain cannot overflow the call stack.
 * Returns the component id of every node; ids are in reverse topological order of the condensation.
 */
export function stronglyConnectedComponents(graph: DependencyGraph): {
  component: Int32Array;
  count: number;
} {
  const n = graph.nodes.length;
  const { depStart, depTarget } = graph;
  const indexOf = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let sp = 0;
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (indexOf[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = depStart[root];
    indexOf[root] = low[root] = next++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth];
      const e = callEdge[depth];
      if (e < depStart[v + 1]) {
        callEdge[depth] = e + 1;
        const w = depTarget[e];
        if (indexOf[w] === -1) {
          indexOf[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callEdge[depth] = depStart[w];
        } else if (onStack[w] && indexOf[w] < low[v]) {
          low[v] = indexOf[w];
        }
        continue;
      }
      if (low[v] === indexOf[v]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          component[w] = count;
        } while (w !== v);
        count++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return { component, count };
}

/** Dependency cycles: each group of nodes that (transitively) depend on each other, with one example loop. */
export function detectCycles(graph: DependencyGraph): CycleReport {
  const n = graph.nodes.length;
  const { component, count } = stronglyConnectedComponents(graph);
  const size = new Int32Array(count);
  for (let i = 0; i < n; i++) size[component[i]]++;
  const members: number[][] = [];
  const slot = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = component[i];
    let cyclic = size[c] > 1;
    if (!cyclic) {
      for (let e = graph.depStart[i]; e < graph.depStart[i + 1]; e++)
        if (graph.depTarget[e] === i) cyclic = true;
    }
    if (!cyclic) continue;
    if (slot[c] === -1) {
      slot[c] = members.length;
      members.push([]);
    }
    members[slot[c]].push(i);
  }
  const cycles: string[][] = [];
  // Breadth-first search inside the component from its first node back to itself gives a shortest loop.
  const prev = new Int32Array(n).fill(-2);
  for (const comp of members) {
    const start = comp[0];
    const c = component[start];
    const queue: number[] = [start];
    const touched: number[] = [];
    let end = -1;
    for (let q = 0; q < queue.length && end === -1; q++) {
      const v = queue[q];
      for (let e = graph.depStart[v]; e < graph.depStart[v + 1]; e++) {
        const w = graph.depTarget[e];
        if (component[w] !== c) continue;
        if (w === start) {
          end = v;
          break;
        }
        if (prev[w] === -2) {
          prev[w] = v;
          touched.push(w);
          queue.push(w);
        }
      }
    }
    const loop: number[] = [];
    for (let v = end; v !== start && v >= 0; v = prev[v]) loop.push(v);
    loop.push(start);
    loop.reverse();
    loop.push(start);
    cycles.push(loop.map((i) => graph.nodes[i].id));
    for (const t of touched) prev[t] = -2;
  }
  return { components: members.map((m) => m.map((i) => graph.nodes[i].id)), cycles };
}
