import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMatrix, expectedAnnualLoss } from '../../src/core/risk/index.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(() => env?.close());

async function city(name: string) {
  const org = await env.org(name);
  const admin = await env.user(`admin-${org.slug}@risks.test`, { orgId: org.id, role: 'admin' });
  const analyst = await env.user(`analyst-${org.slug}@risks.test`, { orgId: org.id, role: 'analyst' });
  const contributor = await env.user(`contrib-${org.slug}@risks.test`, {
    orgId: org.id,
    role: 'contributor',
  });
  const call = (method: string, path: string, payload?: unknown, user: TestUser = contributor) =>
    env.call(user, {
      method: method as 'GET',
      url: `/api/v1/orgs/${org.id}${path}`,
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  return { org, admin, analyst, contributor, call };
}

const FAIR = {
  lossEventFrequency: { kind: 'pert', low: 0.1, mode: 0.3, high: 1 },
  primaryLoss: { kind: 'lognormal', low: 50_000, high: 800_000 },
};

describe('risk register', () => {
  it('rates on the org matrix, validates ATT&CK ids, ratings, FAIR inputs and linked assets', async () => {
    const c = await city('Register City');
    const other = await city('Other Register City');
    const theirService = (await other.call('POST', '/assets/services', { name: 'Theirs' })).json();
    const ours = (await c.call('POST', '/assets/services', { name: 'Ours' })).json();

    const bad = await c.call('POST', '/risks', {
      title: 'x',
      inherentLikelihood: 6,
      inherentImpact: 3,
      attackTechniques: ['T1486', 'TA0001'],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('body.attackTechniques.1');
    const tooHigh = await c.call('POST', '/risks', { title: 'x', inherentLikelihood: 6, inherentImpact: 3 });
    expect(tooHigh.json().detail).toMatch(/inherentLikelihood: the matrix has 5 likelihood steps, got 6/);
    const lowHigh = await c.call('POST', '/risks', {
      title: 'x',
      inherentLikelihood: 2,
      inherentImpact: 3,
      fair: { ...FAIR, primaryLoss: { kind: 'pert', low: 10, mode: 5, high: 1 } },
    });
    expect(lowHigh.statusCode).toBe(422);
    expect(lowHigh.json().detail).toMatch(/fair\.primaryLoss.*low \(10\) must not exceed high \(1\)/);
    const foreign = await c.call('POST', '/risks', {
      title: 'x',
      inherentLikelihood: 2,
      inherentImpact: 3,
      serviceIds: [theirService.id],
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors[0].path).toBe('serviceIds[0]');
    expect((await c.call('GET', '/risks')).json().total).toBe(0);

    const made = await c.call('POST', '/risks', {
      title: 'Ransomware on permits',
      inherentLikelihood: 4,
      inherentImpact: 5,
      residualLikelihood: 2,
      residualImpact: 5,
      attackTechniques: ['T1486', 'T1078.002'],
      serviceIds: [ours.id],
      treatment: 'mitigate',
      fair: FAIR,
    });
    expect(made.statusCode).toBe(201);
    const r = made.json();
    expect(r.inherent).toMatchObject({ id: 'critical', score: 20 });
    expect(r.residual).toMatchObject({ id: 'high', score: 10 });
    expect(r.residualExceedsInherent).toBe(false);
    expect(r.expectedAnnualLoss).toBeCloseTo(expectedAnnualLoss({ id: 'x', ...FAIR } as never), 6);
    // Critical risks are reviewed every 30 days by default; the current (residual) level is high: 90 days.
    const days = (Date.parse(r.nextReviewOn) - Date.parse(r.createdAt.slice(0, 10))) / 86_400_000;
    expect(days).toBe(90);
    expect((await c.call('GET', '/risks?level=high')).json().total).toBe(1);
    expect((await c.call('GET', '/risks?level=low')).json().total).toBe(0);
    expect((await c.call('GET', '/risks?technique=T1078.002')).json().total).toBe(1);
    expect((await c.call('GET', '/risks?technique=t1486')).json().total).toBe(1);
    expect((await c.call('GET', '/risks?technique=T1078')).json().total).toBe(0);
    expect((await c.call('GET', '/risks?technique=TA0001')).statusCode).toBe(422);
  });

  it('acceptance needs data.analyze, an approver and a future expiry; history records each step', async () => {
    const c = await city('Accept City');
    const r = (
      await c.call('POST', '/risks', { title: 'DDoS', inherentLikelihood: 3, inherentImpact: 2 })
    ).json();
    const body = { expiresOn: '2099-01-01', rationale: 'Low impact; counters absorb demand' };
    expect((await c.call('POST', `/risks/${r.id}/accept`, body)).statusCode).toBe(403);
    const past = await c.call(
      'POST',
      `/risks/${r.id}/accept`,
      { ...body, expiresOn: '2020-01-01' },
      c.analyst,
    );
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0].path).toBe('expiresOn');
    const noWhy = await c.call('POST', `/risks/${r.id}/accept`, { expiresOn: '2099-01-01' }, c.analyst);
    expect(noWhy.statusCode).toBe(422);
    const ok = (await c.call('POST', `/risks/${r.id}/accept`, body, c.analyst)).json();
    expect(ok).toMatchObject({
      status: 'accepted',
      treatment: 'accept',
      acceptedBy: c.analyst.id,
      acceptanceExpiresOn: '2099-01-01',
    });
    const changed = (
      await c.call('PATCH', `/risks/${r.id}`, { treatment: 'mitigate', note: 'budget found' })
    ).json();
    expect(changed).toMatchObject({ status: 'treating', acceptedBy: null, acceptanceExpiresOn: null });
    const history = (await c.call('GET', `/risks/${r.id}/history`)).json().items;
    expect(history.map((h: { action: string; toStatus: string }) => [h.action, h.toStatus])).toEqual([
      ['treatment: mitigate', 'treating'],
      ['accepted until 2099-01-01', 'accepted'],
      ['created', 'open'],
    ]);
  });

  it('only data.admin edits the matrix; a matrix without a level or too small for existing ratings is refused', async () => {
    const c = await city('Matrix City');
    const m = (await c.call('GET', '/risk-matrix')).json();
    expect(m.matrix.likelihoods).toHaveLength(5);
    expect(m.heatMap[0][4]).toMatchObject({ likelihood: 5, impact: 5, levelId: 'critical' });
    const three = defaultMatrix();
    three.likelihoods = three.likelihoods.slice(0, 3);
    three.impacts = three.impacts.slice(0, 3);
    three.levels = [
      { id: 'low', name: 'Low', colour: '#2e7d32', minScore: 1, maxScore: 3, reviewDays: 365 },
      { id: 'high', name: 'High', colour: '#c62828', minScore: 4, maxScore: 9, reviewDays: 60 },
    ];
    expect((await c.call('PUT', '/risk-matrix', three, c.analyst)).statusCode).toBe(403);
    const none = await c.call('PUT', '/risk-matrix', { ...three, levels: [] }, c.admin);
    expect(none.statusCode).toBe(422);
    expect(none.json().detail).toMatch(/no level/);
    await c.call('POST', '/risks', { title: 'Big', inherentLikelihood: 5, inherentImpact: 5 });
    expect((await c.call('PUT', '/risk-matrix', three, c.admin)).statusCode).toBe(409);
    const c2 = await city('Matrix City Two');
    const ok = await c2.call('PUT', '/risk-matrix', three, c2.admin);
    expect(ok.statusCode).toBe(200);
    const r = (
      await c2.call('POST', '/risks', { title: 'Small', inherentLikelihood: 2, inherentImpact: 2 })
    ).json();
    expect(r.inherent).toMatchObject({ id: 'high', name: 'High' });
  });
});

describe('FAIR, portfolio and ranking', () => {
  it('simulates with a stored seed (same seed, same figures), ranks by loss, sums a portfolio', async () => {
    const c = await city('Fair City');
    const big = (await c.call('POST', '/risk-library/ransomware-911-cad', {})).json();
    expect(big.libraryKey).toBe('ransomware-911-cad');
    const small = (
      await c.call('POST', '/risks', { title: 'Small', inherentLikelihood: 2, inherentImpact: 2, fair: FAIR })
    ).json();
    const unq = (
      await c.call('POST', '/risks', { title: 'No FAIR', inherentLikelihood: 5, inherentImpact: 5 })
    ).json();
    expect((await c.call('POST', `/risks/${unq.id}/simulate`, {})).statusCode).toBe(409);
    const a = (await c.call('POST', `/risks/${big.id}/simulate`, { seed: 42, trials: 20_000 })).json();
    const b = (await c.call('POST', `/risks/${big.id}/simulate`, { seed: 42, trials: 20_000 })).json();
    expect(a.simulation.seed).toBe(42);
    expect(a.simulation.meanAnnualLoss).toBe(b.simulation.meanAnnualLoss);
    expect(a.simulation.percentiles).toEqual(b.simulation.percentiles);
    // The simulated mean agrees with the closed form within Monte Carlo error.
    expect(Math.abs(a.simulation.meanAnnualLoss - a.expectedAnnualLoss) / a.expectedAnnualLoss).toBeLessThan(
      0.15,
    );
    const curve = a.simulation.lossExceedanceCurve;
    for (let i = 1; i < curve.length; i++)
      expect(curve[i].probability).toBeLessThanOrEqual(curve[i - 1].probability);

    const ranking = (await c.call('GET', '/risk-ranking')).json().items;
    expect(ranking.map((r: { id: string }) => r.id)).toEqual([big.id, small.id, unq.id]);
    expect(ranking[2]).toMatchObject({ quantified: false, meanAnnualLoss: null, level: { id: 'critical' } });

    const p1 = (await c.call('GET', '/risk-portfolio?seed=7&trials=5000')).json();
    const p2 = (await c.call('GET', '/risk-portfolio?seed=7&trials=5000')).json();
    expect(p1.risks).toBe(2);
    expect(p1.total.meanAnnualLoss).toBe(p2.total.meanAnnualLoss);
    const sum = p1.scenarios.reduce((s: number, x: { meanAnnualLoss: number }) => s + x.meanAnnualLoss, 0);
    expect(p1.total.meanAnnualLoss).toBeCloseTo(sum, 2);
    expect((await c.call('GET', '/risk-library')).json().items.length).toBeGreaterThanOrEqual(6);
    expect((await c.call('POST', '/risk-library/no-such-scenario', {})).statusCode).toBe(404);
  });
});

describe('treatment plan and objectives', () => {
  it('chooses the actions that remove the most loss within budget, honours prerequisites, lays out quarters', async () => {
    const c = await city('Plan City');
    const r = (
      await c.call('POST', '/risks', { title: 'R', inherentLikelihood: 3, inherentImpact: 4, fair: FAIR })
    ).json();
    const act = (title: string, cost: number, extra: Record<string, unknown> = {}) =>
      c.call('POST', '/treatment-actions', { title, cost, riskIds: [r.id], ...extra }).then((x) => x.json());
    const base = await act('MFA', 50_000, { frequencyReduction: { low: 0.4, high: 0.6 } });
    const next = await act('Segmentation', 80_000, {
      frequencyReduction: { low: 0.2, high: 0.3 },
      requires: [base.id],
    });
    const tiny = await act('Training', 10_000, { magnitudeReduction: { low: 0.05, high: 0.1 } });
    expect(
      (
        await c.call('POST', '/treatment-actions', { title: 'X', cost: 1, requires: [crypto.randomUUID()] })
      ).json().errors[0].path,
    ).toBe('requires[0]');
    expect(
      (
        await c.call('POST', '/treatment-actions', {
          title: 'X',
          cost: 1,
          frequencyReduction: { low: 0.9, high: 0.1 },
        })
      ).statusCode,
    ).toBe(422);

    const zero = (await c.call('GET', '/risk-plan?budget=0')).json();
    expect(zero.actions.every((a: { chosen: boolean }) => !a.chosen)).toBe(true);
    expect(zero.roadmap).toEqual([]);

    const plan = (
      await c.call('GET', '/risk-plan?budget=130000&startQuarter=2027-Q3&quarterlyCapacity=60000')
    ).json();
    expect(plan.optimal).toBe(true);
    const chosen = plan.actions.filter((a: { chosen: boolean }) => a.chosen).map((a: { id: string }) => a.id);
    expect(chosen.sort()).toEqual([base.id, next.id].sort());
    expect(plan.totalCost).toBe(130_000);
    expect(plan.reasoning.length).toBeGreaterThan(0);
    // The prerequisite comes first; the roadmap starts where asked.
    expect(plan.roadmap[0]).toMatchObject({ quarter: '2027-Q3', actions: [{ id: base.id }] });
    expect(plan.roadmap[1].actions[0].id).toBe(next.id);
    const again = (
      await c.call('GET', '/risk-plan?budget=130000&startQuarter=2027-Q3&quarterlyCapacity=60000')
    ).json();
    expect(again.totalReduction).toBe(plan.totalReduction);

    expect((await c.call('DELETE', `/treatment-actions/${base.id}`)).statusCode).toBe(409);
    await c.call('PATCH', `/treatment-actions/${base.id}`, { status: 'done' });
    const after = (await c.call('GET', '/risk-plan?budget=100000')).json();
    expect(after.actions.map((a: { id: string }) => a.id).sort()).toEqual([next.id, tiny.id].sort());
    expect(after.actions.every((a: { chosen: boolean }) => a.chosen)).toBe(true);
  });

  it('declares KPIs other modules will feed without a value; computes progress of manual ones', async () => {
    const c = await city('Objective City');
    const faked = await c.call('POST', '/objectives', {
      title: 'Patch faster',
      kpis: [
        {
          name: 'KEV overdue',
          unit: 'count',
          target: 0,
          current: 3,
          source: 'pending',
          sourceModule: 'vulns',
        },
      ],
    });
    expect(faked.statusCode).toBe(422);
    expect(faked.json().errors[0].path).toBe('kpis[0].current');
    const o = (
      await c.call('POST', '/objectives', {
        title: 'Patch faster',
        owner: 'CISO',
        kpis: [
          {
            name: 'KEV overdue',
            unit: 'count',
            target: 0,
            source: 'pending',
            sourceModule: 'vulns',
            direction: 'decrease',
          },
          { name: 'Staff trained', unit: '%', target: 90, current: 45 },
        ],
      })
    ).json();
    expect(o.kpis[0]).toMatchObject({
      current: null,
      source: 'pending',
      sourceModule: 'vulns',
      progress: null,
    });
    expect(o.kpis[1]).toMatchObject({ source: 'manual', progress: 0.5 });
    // Progress is computed, never accepted as input.
    expect((await c.call('PATCH', `/objectives/${o.id}`, { kpis: [o.kpis[1]] })).statusCode).toBe(422);
    const { progress: _p, ...k } = o.kpis[1];
    const ok = (await c.call('PATCH', `/objectives/${o.id}`, { kpis: [{ ...k, current: 90 }] })).json();
    expect(ok.kpis).toHaveLength(1);
    expect(ok.kpis[0]).toMatchObject({ id: k.id, progress: 1 });
  });
});
