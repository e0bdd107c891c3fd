import { describe, expect, it } from 'vitest';
import { layoutRoadmap, optimizePlan, type PlanAction, PlanError } from './optimize.js';
import { Rng } from './random.js';

/** Exhaustive search over all subsets, honouring prerequisites. */
function bruteForce(actions: PlanAction[], budget: number): number {
  const n = actions.length;
  const idx = new Map(actions.map((a, i) => [a.id, i]));
  let best = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let cost = 0;
    let value = 0;
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      if (!(mask & (1 << i))) continue;
      cost += actions[i].cost;
      value += actions[i].reduction;
      for (const r of actions[i].requires ?? []) if (!(mask & (1 << idx.get(r)!))) ok = false;
    }
    if (ok && cost <= budget && value > best) best = value;
  }
  return best;
}

function randomInstance(rng: Rng, n: number, withRequires: boolean): PlanAction[] {
  const actions: PlanAction[] = [];
  for (let i = 0; i < n; i++) {
    const a: PlanAction = {
      id: `a${i}`,
      cost: 1_000 * (1 + Math.floor(rng.next() * 60)),
      reduction: Math.round(rng.next() * 100_000),
    };
    if (withRequires && i > 0 && rng.next() < 0.35) a.requires = [`a${Math.floor(rng.next() * i)}`];
    actions.push(a);
  }
  return actions;
}

describe('optimizePlan', () => {
  it('is exact against brute force on random small instances (DP and branch and bound)', () => {
    const rng = new Rng(17);
    for (let t = 0; t < 60; t++) {
      const withRequires = t % 2 === 1;
      const actions = randomInstance(rng, 4 + (t % 9), withRequires);
      const budget = 1_000 * Math.floor(rng.next() * 200);
      const plan = optimizePlan(actions, budget);
      expect(plan.totalReduction, `instance ${t}`).toBeCloseTo(bruteForce(actions, budget), 6);
      expect(plan.totalCost).toBeLessThanOrEqual(budget);
      expect(plan.optimal).toBe(true);
      const chosen = new Set(plan.chosen.map((a) => a.id));
      for (const a of plan.chosen) for (const r of a.requires ?? []) expect(chosen.has(r)).toBe(true);
    }
  });
  it('branch and bound (forced) agrees with dynamic programming', () => {
    const rng = new Rng(23);
    for (let t = 0; t < 20; t++) {
      const actions = randomInstance(rng, 25, false);
      const budget = 100_000 + 1_000 * Math.floor(rng.next() * 400);
      const dp = optimizePlan(actions, budget);
      const bb = optimizePlan(actions, budget, { maxDpCells: 0 });
      expect(dp.method).toBe('dynamic-programming');
      expect(bb.method).toBe('branch-and-bound');
      expect(bb.totalReduction).toBeCloseTo(dp.totalReduction, 6);
    }
  });
  it('handles a few hundred actions and a budget in the millions', () => {
    const rng = new Rng(31);
    const actions = randomInstance(rng, 300, false).map((a, i) => ({
      ...a,
      cost: a.cost + Math.floor(rng.next() * 999),
      // Prerequisites are foundational actions (identity, logging, asset inventory), as in real plans.
      ...(i >= 20 && rng.next() < 0.15 ? { requires: [`a${Math.floor(rng.next() * 20)}`] } : {}),
    }));
    const plan = optimizePlan(actions, 3_000_000);
    expect(plan.optimal).toBe(true);
    expect(plan.totalCost).toBeLessThanOrEqual(3_000_000);
    const noReq = optimizePlan(
      actions.map(({ requires: _r, ...a }) => a),
      3_000_000,
    );
    expect(noReq.method).toBe('branch-and-bound');
    expect(noReq.optimal).toBe(true);
    expect(noReq.totalReduction).toBeGreaterThanOrEqual(plan.totalReduction);
  });
  it('reports a non-optimal plan honestly when the search limit is hit', () => {
    const rng = new Rng(31);
    const actions = randomInstance(rng, 200, true);
    const plan = optimizePlan(actions, 2_000_000, { maxNodes: 50 });
    expect(plan.optimal).toBe(false);
    expect(plan.upperBound).toBeGreaterThanOrEqual(plan.totalReduction);
    expect(plan.reasoning.join(' ')).toMatch(/stopped at its limit of 50 nodes/);
  });
  it('beats greedy where greedy is suboptimal and explains why', () => {
    const actions: PlanAction[] = [
      { id: 'edr', cost: 60, reduction: 120 },
      { id: 'mfa', cost: 50, reduction: 95 },
      { id: 'backup', cost: 50, reduction: 95 },
    ];
    const plan = optimizePlan(actions, 100);
    expect(plan.chosen.map((a) => a.id).sort()).toEqual(['backup', 'mfa']);
    expect(plan.totalReduction).toBe(190);
    expect(plan.reasoning.join('\n')).toMatch(/Picking by value per cost alone would remove 120/);
    const edr = plan.decisions.find((d) => d.id === 'edr')!;
    expect(edr.chosen).toBe(false);
    expect(edr.reason).toMatch(/only 0 is left/);
  });
  it('honours prerequisites and explains them', () => {
    const actions: PlanAction[] = [
      { id: 'siem', cost: 100, reduction: 0 },
      { id: 'soc', cost: 50, reduction: 500, requires: ['siem'] },
      { id: 'training', cost: 120, reduction: 200 },
    ];
    const plan = optimizePlan(actions, 160);
    expect(plan.chosen.map((a) => a.id).sort()).toEqual(['siem', 'soc']);
    expect(plan.decisions.find((d) => d.id === 'siem')!.reason).toMatch(/prerequisite of soc/);
    expect(plan.decisions.find((d) => d.id === 'training')!.reason).toMatch(/not chosen/);
    const tight = optimizePlan(actions, 140);
    expect(tight.chosen.map((a) => a.id)).toEqual(['training']);
    expect(tight.decisions.find((d) => d.id === 'soc')!.reason).toMatch(/with prerequisites siem: 150/);
  });
  it('budget zero gives an empty plan with a reason', () => {
    const plan = optimizePlan([{ id: 'a', cost: 10, reduction: 5 }], 0);
    expect(plan.chosen).toEqual([]);
    expect(plan.totalReduction).toBe(0);
    expect(plan.reasoning.join(' ')).toMatch(/budget is zero/);
    expect(plan.decisions[0].reason).toMatch(/more than the whole budget of 0/);
  });
  it('rejects bad inputs precisely', () => {
    expect(() => optimizePlan([], -1)).toThrow('budget: must be a non-negative whole number');
    expect(() => optimizePlan([{ id: 'a', cost: 1.5, reduction: 1 }], 10)).toThrow('actions[0].cost');
    expect(() => optimizePlan([{ id: 'a', cost: 1, reduction: Number.NaN }], 10)).toThrow(
      'actions[0].reduction',
    );
    expect(() =>
      optimizePlan(
        [
          { id: 'a', cost: 1, reduction: 1 },
          { id: 'a', cost: 1, reduction: 1 },
        ],
        10,
      ),
    ).toThrow('actions[1].id: duplicate id "a"');
    expect(() => optimizePlan([{ id: 'a', cost: 1, reduction: 1, requires: ['ghost'] }], 10)).toThrow(
      'actions[0].requires[0]: unknown action id "ghost"',
    );
    expect(() =>
      optimizePlan(
        [
          { id: 'a', cost: 1, reduction: 1, requires: ['b'] },
          { id: 'b', cost: 1, reduction: 1, requires: ['a'] },
        ],
        10,
      ),
    ).toThrow(/cycle: a → b → a/);
    expect(() => optimizePlan([], 10)).not.toThrow();
    expect(PlanError).toBeDefined();
  });
});

describe('layoutRoadmap', () => {
  const actions: PlanAction[] = [
    { id: 'siem', cost: 100, reduction: 10 },
    { id: 'soc', cost: 50, reduction: 500, requires: ['siem'] },
    { id: 'mfa', cost: 40, reduction: 300 },
    { id: 'backup', cost: 80, reduction: 200 },
  ];
  it('orders by value density and places prerequisites in earlier quarters', () => {
    const q = layoutRoadmap(actions, { startQuarter: '2026-Q4', quarterlyCapacity: 150 });
    expect(q.map((x) => x.quarter)).toEqual(['2026-Q4', '2027-Q1']);
    // siem unlocks soc, the most valuable action, so it goes first despite its own low value.
    expect(q[0].actions.map((a) => a.id)).toEqual(['mfa', 'siem']);
    expect(q[1].actions.map((a) => a.id)).toEqual(['soc', 'backup']);
    expect(q.every((x) => x.cost <= 150)).toBe(true);
  });
  it('without capacity, quarters follow prerequisite depth; oversize actions get their own quarter', () => {
    const q = layoutRoadmap(actions, { startQuarter: '2026-Q1' });
    expect(q.length).toBe(2);
    expect(q[1].actions.map((a) => a.id)).toEqual(['soc']);
    const big = layoutRoadmap([{ id: 'dc', cost: 1000, reduction: 1 }], {
      startQuarter: '2026-Q1',
      quarterlyCapacity: 10,
    });
    expect(big[0].notes[0]).toMatch(/more than the quarterly capacity/);
  });
  it('requires prerequisites to be planned or completed', () => {
    expect(() => layoutRoadmap([actions[1]], { startQuarter: '2026-Q1' })).toThrow(
      /neither in the plan nor listed/,
    );
    expect(
      layoutRoadmap([actions[1]], { startQuarter: '2026-Q1', completed: ['siem'] })[0].actions[0].id,
    ).toBe('soc');
    expect(() => layoutRoadmap(actions, { startQuarter: '2026-5' })).toThrow(
      'startQuarter: must look like 2026-Q1',
    );
  });
});
