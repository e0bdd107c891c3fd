/**
 * Budget-constrained selection of treatment actions: choose the set that removes the most expected annual loss
 * without exceeding the budget (0/1 knapsack, with optional "requires" prerequisites), then lay it out by quarter.
 */

export interface PlanAction {
  id: string;
  name?: string;
  /** Cost in whole currency units. */
  cost: number;
  /** Expected annual loss removed by the action. */
  reduction: number;
  /** Ids of actions that must be done (and funded) for this one to be possible. */
  requires?: string[];
}

export interface OptimizeOptions {
  /** Largest dynamic-programming table (actions × scaled budget) before switching to branch and bound. */
  maxDpCells?: number;
  /** Node limit of branch and bound; beyond it the best plan found is returned with `optimal: false`. */
  maxNodes?: number;
}

export interface ActionDecision {
  id: string;
  chosen: boolean;
  /** Reduction per unit of cost (Infinity for a free action). */
  valuePerCost: number;
  reason: string;
}

export interface Plan {
  budget: number;
  chosen: PlanAction[];
  totalCost: number;
  totalReduction: number;
  budgetLeft: number;
  method: 'none' | 'dynamic-programming' | 'branch-and-bound';
  /** True when the plan is proven optimal (always, unless the branch-and-bound node limit was reached). */
  optimal: boolean;
  /** Upper bound on the achievable reduction (equals totalReduction when optimal). */
  upperBound: number;
  decisions: ActionDecision[];
  reasoning: string[];
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const fmt = (x: number) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: x < 10 ? 2 : 0 }) : '∞';

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

interface Indexed {
  actions: PlanAction[];
  index: Map<string, number>;
  requires: number[][];
  /** Transitive prerequisites of each action (excluding itself). */
  closure: number[][];
  /** Transitive dependents of each action (excluding itself). */
  dependents: number[][];
}

function validateActions(actions: readonly PlanAction[]): Indexed {
  if (!Array.isArray(actions)) throw new PlanError('actions', 'must be an array');
  const index = new Map<string, number>();
  actions.forEach((a, i) => {
    const f = `actions[${i}]`;
    if (a === null || typeof a !== 'object') throw new PlanError(f, 'must be an object');
    if (typeof a.id !== 'string' || a.id === '') throw new PlanError(`${f}.id`, 'must be a non-empty string');
    if (index.has(a.id))
      throw new PlanError(`${f}.id`, `duplicate id "${a.id}" (also actions[${index.get(a.id)}])`);
    index.set(a.id, i);
    if (!Number.isSafeInteger(a.cost) || a.cost < 0) {
      throw new PlanError(
        `${f}.cost`,
        `must be a non-negative whole number of currency units, got ${String(a.cost)}`,
      );
    }
    if (typeof a.reduction !== 'number' || !Number.isFinite(a.reduction) || a.reduction < 0) {
      throw new PlanError(
        `${f}.reduction`,
        `must be a finite non-negative number, got ${String(a.reduction)}`,
      );
    }
  });
  const requires = actions.map((a, i) => {
    if (a.requires === undefined) return [];
    if (!Array.isArray(a.requires)) throw new PlanError(`actions[${i}].requires`, 'must be an array of ids');
    const req: readonly string[] = a.requires;
    return [
      ...new Set(
        req.map((r, k): number => {
          const j = index.get(r);
          if (j === undefined) {
            throw new PlanError(`actions[${i}].requires[${k}]`, `unknown action id "${String(r)}"`);
          }
          if (j === i) throw new PlanError(`actions[${i}].requires[${k}]`, `"${a.id}" cannot require itself`);
          return j;
        }),
      ),
    ];
  });
  // Cycle check by DFS colouring; the reported path lets a planner see which prerequisites loop.
  const colour = new Uint8Array(actions.length);
  const stack: number[] = [];
  const visit = (i: number) => {
    colour[i] = 1;
    stack.push(i);
    for (const j of requires[i]) {
      if (colour[j] === 1) {
        const cycle = stack.slice(stack.indexOf(j)).map((k) => actions[k].id);
        cycle.push(actions[j].id);
        throw new PlanError(`actions[${j}].requires`, `prerequisites form a cycle: ${cycle.join(' → ')}`);
      }
      if (colour[j] === 0) visit(j);
    }
    stack.pop();
    colour[i] = 2;
  };
  for (let i = 0; i < actions.length; i++) if (colour[i] === 0) visit(i);
  const closure: number[][] = actions.map(() => []);
  const memo: (Set<number> | undefined)[] = [];
  const close = (i: number): Set<number> => {
    const m = memo[i];
    if (m !== undefined) return m;
    const s = new Set<number>();
    for (const j of requires[i]) {
      s.add(j);
      for (const k of close(j)) s.add(k);
    }
    memo[i] = s;
    return s;
  };
  const dependents: number[][] = actions.map(() => []);
  for (let i = 0; i < actions.length; i++) {
    closure[i] = [...close(i)];
    for (const j of closure[i]) dependents[j].push(i);
  }
  return { actions: [...actions], index, requires, closure, dependents };
}

function density(a: PlanAction): number {
  return a.cost === 0 ? (a.reduction > 0 ? Number.POSITIVE_INFINITY : 0) : a.reduction / a.cost;
}

/** Exact 0/1 knapsack by dynamic programming over costs divided by their GCD. */
function solveDp(items: number[], costs: number[], values: number[], capacity: number): Set<number> {
  const n = items.length;
  const width = capacity + 1;
  const dp = new Float64Array(width);
  const keep = new Uint32Array(Math.ceil((n * width) / 32));
  for (let k = 0; k < n; k++) {
    const c = costs[k];
    const v = values[k];
    const row = k * width;
    for (let w = capacity; w >= c; w--) {
      const cand = dp[w - c] + v;
      if (cand > dp[w]) {
        dp[w] = cand;
        const bit = row + w;
        keep[bit >>> 5] |= 1 << (bit & 31);
      }
    }
  }
  // The smallest capacity achieving the optimum gives the cheapest among equally good plans.
  const best = dp[capacity];
  let w = capacity;
  const tol = 1e-9 * Math.max(1, Math.abs(best));
  while (w > 0 && dp[w - 1] >= best - tol) w--;
  const chosen = new Set<number>();
  for (let k = n - 1; k >= 0; k--) {
    const bit = k * width + w;
    if ((keep[bit >>> 5] >>> (bit & 31)) & 1) {
      chosen.add(items[k]);
      w -= costs[k];
    }
  }
  return chosen;
}

interface BnbResult {
  chosen: Set<number>;
  optimal: boolean;
  upperBound: number;
  nodes: number;
}

/**
 * Branch and bound over actions in decreasing value density. Including an action pulls in its prerequisites;
 * excluding it excludes everything that depends on it. The bound is the LP relaxation (fractional knapsack over
 * the undecided actions), which ignores prerequisites and so never underestimates: the search stays exact.
 */
function solveBnb(
  ix: Indexed,
  items: number[],
  budget: number,
  maxNodes: number,
  incumbent: Set<number>,
): BnbResult {
  const { actions, closure, dependents } = ix;
  const order = [...items].sort((a, b) => density(actions[b]) - density(actions[a]) || a - b);
  const status = new Int8Array(actions.length).fill(-1);
  for (const i of items) status[i] = 0;
  let best = 0;
  for (const i of incumbent) best += actions[i].reduction;
  let bestSet = new Set(incumbent);
  let nodes = 0;
  let aborted = false;
  const tol = 1e-9;

  const bound = (value: number, left: number): number => {
    let b = value;
    let cap = left;
    for (const i of order) {
      if (status[i] !== 0) continue;
      const a = actions[i];
      if (a.cost <= cap) {
        cap -= a.cost;
        b += a.reduction;
      } else {
        b += (a.reduction * cap) / a.cost;
        break;
      }
    }
    return b;
  };

  const rootBound = bound(0, budget);
  const changed: number[] = [];

  const search = (pos: number, value: number, left: number): void => {
    if (aborted) return;
    if (++nodes > maxNodes) {
      aborted = true;
      return;
    }
    if (value > best + tol * Math.max(1, best)) {
      best = value;
      bestSet = new Set(items.filter((i) => status[i] === 1));
    }
    let p = pos;
    while (p < order.length && status[order[p]] !== 0) p++;
    if (p === order.length) return;
    if (bound(value, left) <= best + tol * Math.max(1, best)) return;
    const i = order[p];
    // Include i with its undecided prerequisites.
    const mark = changed.length;
    let cost = actions[i].cost;
    let gain = actions[i].reduction;
    let feasible = true;
    for (const j of closure[i]) {
      if (status[j] === -1) {
        feasible = false;
        break;
      }
      if (status[j] === 0) {
        cost += actions[j].cost;
        gain += actions[j].reduction;
      }
    }
    if (feasible && cost <= left) {
      status[i] = 1;
      changed.push(i);
      for (const j of closure[i]) {
        if (status[j] === 0) {
          status[j] = 1;
          changed.push(j);
        }
      }
      search(p + 1, value + gain, left - cost);
      while (changed.length > mark) status[changed.pop()!] = 0;
    }
    // Exclude i and everything that needs it.
    status[i] = -1;
    changed.push(i);
    for (const j of dependents[i]) {
      if (status[j] === 0) {
        status[j] = -1;
        changed.push(j);
      }
    }
    search(p + 1, value, left);
    while (changed.length > mark) status[changed.pop()!] = 0;
  };
  search(0, 0, budget);
  return {
    chosen: bestSet,
    optimal: !aborted,
    upperBound: aborted ? Math.max(rootBound, best) : best,
    nodes,
  };
}

/** Greedy by value density honouring prerequisites: the baseline the exact plan is compared with. */
function greedy(ix: Indexed, items: number[], budget: number): Set<number> {
  const { actions, closure } = ix;
  const order = [...items].sort((a, b) => density(actions[b]) - density(actions[a]) || a - b);
  const allowed = new Set(items);
  const chosen = new Set<number>();
  let left = budget;
  for (const i of order) {
    if (chosen.has(i) || actions[i].reduction <= 0) continue;
    const need = [i, ...closure[i]].filter((j) => !chosen.has(j));
    if (need.some((j) => !allowed.has(j))) continue;
    const cost = need.reduce((s, j) => s + actions[j].cost, 0);
    if (cost <= left) {
      left -= cost;
      for (const j of need) chosen.add(j);
    }
  }
  return chosen;
}

/**
 * Chooses the set of actions that removes the most expected annual loss within the budget. Exact: dynamic
 * programming over GCD-scaled costs when the table is small enough and there are no prerequisites, otherwise
 * branch and bound with an LP-relaxation bound. Among equally good plans, free-riding actions that add no
 * reduction and are not prerequisites are dropped.
 */
export function optimizePlan(
  actions: readonly PlanAction[],
  budget: number,
  opts: OptimizeOptions = {},
): Plan {
  if (!Number.isSafeInteger(budget) || budget < 0) {
    throw new PlanError(
      'budget',
      `must be a non-negative whole number of currency units, got ${String(budget)}`,
    );
  }
  const ix = validateActions(actions);
  const all = ix.actions;
  const maxDpCells = opts.maxDpCells ?? 50_000_000;
  const maxNodes = opts.maxNodes ?? 2_000_000;
  const reasoning: string[] = [];
  const closureCost = all.map((a, i) => ix.closure[i].reduce((s, j) => s + all[j].cost, a.cost));
  const feasible = all.map((_, i) => i).filter((i) => closureCost[i] <= budget);
  reasoning.push(
    `Budget ${fmt(budget)}; ${all.length} candidate action${all.length === 1 ? '' : 's'}, ` +
      `${all.length - feasible.length} of which cannot fit even on their own (with prerequisites).`,
  );

  let chosenIdx = new Set<number>();
  let method: Plan['method'] = 'none';
  let optimal = true;
  let upperBound = 0;
  const useful = feasible.filter((i) => all[i].reduction > 0 || ix.dependents[i].length > 0);
  if (useful.length === 0) {
    reasoning.push(
      budget === 0 && all.some((a) => a.cost > 0)
        ? 'The budget is zero and no action is free: nothing can be funded, so the plan is empty.'
        : 'No action that reduces risk fits in the budget: the plan is empty.',
    );
  } else {
    const hasRequires = useful.some((i) => ix.requires[i].length > 0);
    const g = useful.reduce((acc, i) => (all[i].cost > 0 ? gcd(acc, all[i].cost) : acc), 0) || 1;
    const capacity = Math.floor(budget / g);
    if (!hasRequires && capacity < 4_000_000 && useful.length * (capacity + 1) <= maxDpCells) {
      method = 'dynamic-programming';
      chosenIdx = solveDp(
        useful,
        useful.map((i) => all[i].cost / g),
        useful.map((i) => all[i].reduction),
        capacity,
      );
      reasoning.push(
        `Method: exact dynamic programming; costs share a common divisor of ${fmt(g)}, so the table has ` +
          `${fmt(useful.length)} actions × ${fmt(capacity + 1)} budget steps.`,
      );
    } else {
      method = 'branch-and-bound';
      const r = solveBnb(ix, useful, budget, maxNodes, greedy(ix, useful, budget));
      chosenIdx = r.chosen;
      optimal = r.optimal;
      upperBound = r.upperBound;
      reasoning.push(
        `Method: exact branch and bound (${hasRequires ? 'actions have prerequisites' : 'budget table too large for dynamic programming'}); ` +
          `${fmt(r.nodes)} search nodes, bounded by the fractional (LP) relaxation.`,
      );
      if (!optimal) {
        reasoning.push(
          `The search stopped at its limit of ${fmt(maxNodes)} nodes: this plan is the best found, and no plan can ` +
            `remove more than ${fmt(r.upperBound)} a year.`,
        );
      }
    }
    // Drop zero-value actions no chosen action needs: same reduction, lower cost.
    for (const i of [...chosenIdx]) {
      if (all[i].reduction === 0 && !ix.dependents[i].some((d) => chosenIdx.has(d))) chosenIdx.delete(i);
    }
  }

  const chosenList = [...chosenIdx].sort((a, b) => density(all[b]) - density(all[a]) || a - b);
  const totalCost = chosenList.reduce((s, i) => s + all[i].cost, 0);
  const totalReduction = chosenList.reduce((s, i) => s + all[i].reduction, 0);
  if (optimal) upperBound = totalReduction;
  const left = budget - totalCost;
  if (chosenList.length > 0) {
    reasoning.push(
      `Chosen ${chosenList.length} action${chosenList.length === 1 ? '' : 's'} costing ${fmt(totalCost)} that ` +
        `remove ${fmt(totalReduction)} of expected annual loss; ${fmt(left)} of the budget is left.`,
    );
    const g = greedy(ix, feasible, budget);
    const greedyValue = [...g].reduce((s, i) => s + all[i].reduction, 0);
    if (totalReduction > greedyValue * (1 + 1e-9)) {
      reasoning.push(
        `Picking by value per cost alone would remove ${fmt(greedyValue)}; the exact plan removes ` +
          `${fmt(totalReduction - greedyValue)} more by combining actions that fill the budget better.`,
      );
    } else {
      reasoning.push('Here the exact plan coincides in value with picking actions by value per cost.');
    }
  }

  const minChosenDensity = chosenList.reduce(
    (m, i) => (all[i].reduction > 0 ? Math.min(m, density(all[i])) : m),
    Number.POSITIVE_INFINITY,
  );
  const decisions: ActionDecision[] = all.map((a, i) => {
    const vpc = density(a);
    const prereq = ix.closure[i].length
      ? ` (with prerequisites ${ix.closure[i].map((j) => all[j].id).join(', ')}: ${fmt(closureCost[i])})`
      : '';
    let reason: string;
    if (chosenIdx.has(i)) {
      const neededBy = ix.dependents[i].filter((d) => chosenIdx.has(d)).map((d) => all[d].id);
      reason =
        a.reduction === 0
          ? `chosen as a prerequisite of ${neededBy.join(', ')}; costs ${fmt(a.cost)} and removes no loss by itself`
          : `chosen: removes ${fmt(a.reduction)} a year for ${fmt(a.cost)} (${fmt(vpc)} per unit of cost)` +
            (neededBy.length ? `; also a prerequisite of ${neededBy.join(', ')}` : '');
    } else if (closureCost[i] > budget) {
      reason = `not chosen: costs ${fmt(a.cost)}${prereq}, more than the whole budget of ${fmt(budget)}`;
    } else if (a.reduction === 0) {
      reason = 'not chosen: removes no expected loss and no chosen action requires it';
    } else {
      const extra = [i, ...ix.closure[i]]
        .filter((j) => !chosenIdx.has(j))
        .reduce((s, j) => s + all[j].cost, 0);
      reason =
        `not chosen: would need ${fmt(extra)}${prereq} but only ${fmt(left)} is left; ` +
        (vpc < minChosenDensity
          ? `at ${fmt(vpc)} per unit of cost it is below every chosen action, so making room would lose more than it adds`
          : `making room by dropping chosen actions would remove less loss overall (${fmt(vpc)} per unit of cost)`);
    }
    return { id: a.id, chosen: chosenIdx.has(i), valuePerCost: vpc, reason };
  });

  return {
    budget,
    chosen: chosenList.map((i) => all[i]),
    totalCost,
    totalReduction,
    budgetLeft: left,
    method,
    optimal,
    upperBound,
    decisions,
    reasoning,
  };
}

export interface RoadmapOptions {
  /** First quarter, as "YYYY-Qn" (e.g. "2026-Q1"). */
  startQuarter: string;
  /** Spending limit per quarter; an action costing more gets a quarter to itself. */
  quarterlyCapacity?: number;
  /** Ids of prerequisites already done (outside this plan). */
  completed?: string[];
}

export interface RoadmapQuarter {
  quarter: string;
  actions: PlanAction[];
  cost: number;
  notes: string[];
}

function parseQuarter(q: string): { year: number; quarter: number } {
  const m = /^(\d{4})-Q([1-4])$/.exec(typeof q === 'string' ? q : '');
  if (!m) throw new PlanError('startQuarter', `must look like 2026-Q1, got ${String(q)}`);
  return { year: Number(m[1]), quarter: Number(m[2]) };
}

function quarterLabel(start: { year: number; quarter: number }, offset: number): string {
  const k = start.quarter - 1 + offset;
  return `${start.year + Math.floor(k / 4)}-Q${(k % 4) + 1}`;
}

/**
 * Lays chosen actions out by quarter: highest value per cost first (a prerequisite ranks as high as the best
 * action it unlocks), each action in a quarter strictly after all its prerequisites (they must be finished before
 * it starts), and within the quarterly spending capacity.
 */
export function layoutRoadmap(chosen: readonly PlanAction[], opts: RoadmapOptions): RoadmapQuarter[] {
  const start = parseQuarter(opts.startQuarter);
  const capacity = opts.quarterlyCapacity;
  if (capacity !== undefined && (!Number.isFinite(capacity) || capacity <= 0)) {
    throw new PlanError('quarterlyCapacity', `must be a positive number, got ${String(capacity)}`);
  }
  if (!Array.isArray(chosen)) throw new PlanError('actions', 'must be an array');
  const completed = new Set(opts.completed ?? []);
  const ids = new Set(chosen.map((a) => a?.id));
  // Prerequisites already done are dropped; any other missing one would leave the roadmap unexecutable.
  const inPlan = chosen.map((a, i) => {
    if (a === null || typeof a !== 'object') throw new PlanError(`actions[${i}]`, 'must be an object');
    if (a.requires === undefined) return a;
    if (!Array.isArray(a.requires)) throw new PlanError(`actions[${i}].requires`, 'must be an array of ids');
    const req: readonly string[] = a.requires;
    req.forEach((r, k) => {
      if (!ids.has(r) && !completed.has(r)) {
        throw new PlanError(
          `actions[${i}].requires[${k}]`,
          `"${a.id}" requires "${r}", which is neither in the plan nor listed as completed`,
        );
      }
    });
    return { ...a, requires: req.filter((r) => ids.has(r)) };
  });
  const ix = validateActions(inPlan);
  // A prerequisite inherits the urgency of what it unlocks: a low-value SIEM that enables a high-value SOC goes first.
  const acts = ix.actions;
  const closureDensity = acts.map((a, i) => {
    const cost = ix.closure[i].reduce((s, j) => s + acts[j].cost, a.cost);
    const value = ix.closure[i].reduce((s, j) => s + acts[j].reduction, a.reduction);
    return cost === 0 ? (value > 0 ? Number.POSITIVE_INFINITY : 0) : value / cost;
  });
  const priority = acts.map((a, i) =>
    ix.dependents[i].reduce((m, d) => Math.max(m, closureDensity[d]), density(a)),
  );
  const order = acts
    .map((_, i) => i)
    .sort((a, b) => priority[b] - priority[a] || density(acts[b]) - density(acts[a]) || a - b);
  const quarterOf = new Int32Array(ix.actions.length).fill(-1);
  const quarters: RoadmapQuarter[] = [];
  let remaining = ix.actions.length;
  for (let q = 0; remaining > 0; q++) {
    const slot: RoadmapQuarter = { quarter: quarterLabel(start, q), actions: [], cost: 0, notes: [] };
    for (const i of order) {
      if (quarterOf[i] !== -1) continue;
      const ready = ix.requires[i].every((j) => quarterOf[j] !== -1 && quarterOf[j] < q);
      if (!ready) continue;
      const a = ix.actions[i];
      if (capacity !== undefined && slot.cost + a.cost > capacity) {
        if (slot.actions.length > 0) continue;
        slot.notes.push(`${a.id} costs ${fmt(a.cost)}, more than the quarterly capacity of ${fmt(capacity)}`);
      }
      quarterOf[i] = q;
      slot.actions.push(chosen[i]);
      slot.cost += a.cost;
      remaining--;
    }
    quarters.push(slot);
  }
  return quarters;
}
