import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/server/context.js';
import { strategyService } from '../../src/server/modules/strategy/strategy.service.js';
import { type TestEnv, type TestUser, testEnv } from '../helpers/app.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

interface Ind {
  key: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  unit: string;
  computation: string;
  source: { module: string; records: string };
  noDataReason: string | null;
}
interface Step {
  step: number;
  key: string;
  level: number;
  computedLevel: number;
  override: { level: number; justification: string; by: { name: string } } | null;
  criteria: { level: number; indicatorKey: string; met: boolean; text: string }[];
  indicators: Ind[];
}

async function city(name: string) {
  const org = await env.org(name);
  const admin = await env.user(`${org.slug}-admin@test.local`, { orgId: org.id, role: 'admin' });
  const analyst = await env.user(`${org.slug}-analyst@test.local`, { orgId: org.id, role: 'analyst' });
  const viewer = await env.user(`${org.slug}-viewer@test.local`, { orgId: org.id, role: 'viewer' });
  const call = (
    u: TestUser,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    path: string,
    payload?: unknown,
  ) =>
    env.call(u, {
      method,
      url: `/api/v1/orgs/${org.id}${path}`,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const ok = async (u: TestUser, method: 'POST' | 'PUT' | 'PATCH', path: string, payload?: unknown) => {
    const r = await call(u, method, path, payload);
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json();
  };
  return { org, admin, analyst, viewer, call, ok };
}

const indicator = (steps: Step[], key: string) => {
  const i = steps.flatMap((s) => s.indicators).find((x) => x.key === key);
  if (!i) throw new Error(`no indicator ${key}`);
  return i;
};

describe('indicators on hand-computed fixtures', () => {
  it('measures each step from the modules and derives levels from the written criteria', async () => {
    const c = await city('Measured City');
    const { admin, ok } = c;
    // Three critical services (tiers 1, 1, 2) and one that is not (tier 3).
    const water = await ok(admin, 'POST', '/assets/services', {
      name: 'Water',
      criticalityTier: 1,
      owner: 'Utilities director',
      rtoHours: 4,
    });
    const dispatch = await ok(admin, 'POST', '/assets/services', {
      name: 'Dispatch',
      criticalityTier: 1,
      owner: 'PSAP manager',
      rtoHours: 1,
    });
    await ok(admin, 'POST', '/assets/services', { name: 'Payroll', criticalityTier: 2 });
    await ok(admin, 'POST', '/assets/services', {
      name: 'Library',
      criticalityTier: 3,
      owner: 'Librarian',
      rtoHours: 72,
    });
    const scada = await ok(admin, 'POST', '/assets/systems', {
      name: 'SCADA',
      kind: 'ot',
      cpe: 'cpe:2.3:a:example:scada:1.0:*:*:*:*:*:*:*',
    });
    await ok(admin, 'POST', '/assets/systems', { name: 'HR laptop', kind: 'it' });
    await ok(admin, 'POST', '/assets/dependencies', {
      fromKind: 'service',
      fromId: water.id,
      toKind: 'system',
      toId: scada.id,
      type: 'runs_on',
    });

    // One risk naming Water, quantified; one closed risk naming Dispatch does not count.
    const risk = await ok(admin, 'POST', '/risks', {
      title: 'SCADA compromise',
      inherentLikelihood: 3,
      inherentImpact: 5,
      serviceIds: [water.id],
      fair: {
        lossEventFrequency: { kind: 'pert', low: 0.1, mode: 0.3, high: 1 },
        primaryLoss: { kind: 'lognormal', low: 50_000, high: 800_000 },
      },
    });
    const closed = await ok(admin, 'POST', '/risks', {
      title: 'Old dispatch risk',
      inherentLikelihood: 2,
      inherentImpact: 2,
      serviceIds: [dispatch.id],
    });
    await ok(admin, 'PATCH', `/risks/${closed.id}`, { status: 'closed' });
    // Actions: one done (on time), one not due yet (on time), one overdue, one cancelled (ignored).
    await ok(admin, 'POST', '/treatment-actions', {
      title: 'A',
      cost: 1,
      status: 'done',
      dueDate: dateIn(-10),
    });
    await ok(admin, 'POST', '/treatment-actions', { title: 'B', cost: 1, dueDate: dateIn(30) });
    await ok(admin, 'POST', '/treatment-actions', { title: 'C', cost: 1, dueDate: dateIn(-1) });
    await ok(admin, 'POST', '/treatment-actions', {
      title: 'D',
      cost: 1,
      status: 'cancelled',
      dueDate: dateIn(-5),
    });

    // Incidents: a real one aware 30 hours ago under NIS2 (its 24-hour early warning is overdue), an exercise.
    await ok(admin, 'POST', '/incidents', {
      title: 'Data breach at the permits office',
      type: 'data-breach',
      playbook: 'data-breach-personal-data',
      timeZone: 'Europe/Brussels',
      detectedAt: new Date(Date.now() - 30 * HOUR).toISOString(),
      awarenessAt: new Date(Date.now() - 30 * HOUR).toISOString(),
      facts: {
        personalDataAffected: true,
        subjectToGdpr: true,
        significantIncident: true,
        entityType: 'important',
      },
    });
    await ok(admin, 'POST', '/incidents', { title: 'Tabletop', type: 'ransomware', exercise: true });

    // Partners: one partner, one active agreement ending in 30 days, a roster contact for Water only.
    const partner = await ok(admin, 'POST', '/partners', { name: 'Power Co', category: 'utility' });
    await ok(admin, 'POST', '/agreements', {
      partnerId: partner.id,
      kind: 'mutual-aid',
      title: 'Mutual aid',
      startsAt: new Date(Date.now() - 300 * DAY).toISOString(),
      endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    });
    await ok(admin, 'POST', '/contacts', {
      partnerId: partner.id,
      name: 'Control room',
      phone24x7: '+1 555 0100',
      service: 'water',
      escalationOrder: 1,
    });

    const res = await c.call(c.viewer, 'GET', '/strategy/maturity');
    expect(res.statusCode, res.body).toBe(200);
    const { steps, overall } = res.json() as { steps: Step[]; overall: number };
    expect(steps.map((s) => s.key)).toEqual([
      'risk',
      'priorities',
      'baselines',
      'sharing',
      'incidents',
      'workforce',
      'cooperation',
    ]);

    // Step 1: 2 of 3 critical services have an owner and an RTO, 1 of 3 has dependencies, 1 of 2 systems a CPE.
    expect(indicator(steps, 'criticalServices').value).toBe(3);
    expect(indicator(steps, 'criticalServicesWithOwner')).toMatchObject({
      value: 66.7,
      numerator: 2,
      denominator: 3,
      unit: 'percent',
      source: { module: 'assets', records: 'services' },
    });
    expect(indicator(steps, 'criticalServicesWithRto')).toMatchObject({ value: 66.7, numerator: 2 });
    expect(indicator(steps, 'criticalServicesWithDependencies')).toMatchObject({ value: 33.3, numerator: 1 });
    expect(indicator(steps, 'systemsWithCpe')).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    // Level 2 (a critical service is recorded) is met; level 3 needs owners for 80 %.
    expect(steps[0].computedLevel).toBe(2);
    expect(
      steps[0].criteria.find((x) => x.level === 3 && x.indicatorKey === 'criticalServicesWithOwner'),
    ).toMatchObject({ met: false, text: 'Critical services with an owner: at least 80 %' });

    // Step 2: 2 risks; 1 of 3 critical services named by a risk not closed, quantified too; 2 of 3 actions on time.
    expect(indicator(steps, 'risksRegistered').value).toBe(2);
    expect(indicator(steps, 'criticalServicesWithRisk')).toMatchObject({ value: 33.3, numerator: 1 });
    expect(indicator(steps, 'criticalServicesWithQuantifiedRisk')).toMatchObject({ value: 33.3 });
    expect(indicator(steps, 'risksPastReview')).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(indicator(steps, 'treatmentActionsOnTime')).toMatchObject({
      value: 66.7,
      numerator: 2,
      denominator: 3,
    });
    expect(steps[1].computedLevel).toBe(2);

    // Step 3: no assessment, so no data and level 1.
    expect(indicator(steps, 'baselineCoverage')).toMatchObject({
      value: null,
      noDataReason: 'no baseline assessment has been started',
    });
    expect(steps[2].computedLevel).toBe(1);

    // Step 4: nothing shared, no findings; the median has no data.
    expect(indicator(steps, 'communityMemberships').value).toBe(0);
    expect(indicator(steps, 'kevFindingsOpen').value).toBe(0);
    expect(indicator(steps, 'kevMedianDaysToRemediate').value).toBeNull();
    expect(steps[3].computedLevel).toBe(1);

    // Step 5: one shipped playbook run (the exercise names none), one exercise, the real incident has an overdue clock, none contained.
    expect(indicator(steps, 'playbooksInPlace').value).toBe(1);
    expect(indicator(steps, 'exercisesLast12Months').value).toBe(1);
    expect(indicator(steps, 'incidentsFromPlaybook')).toMatchObject({
      value: 100,
      numerator: 1,
      denominator: 1,
    });
    expect(indicator(steps, 'incidentsWithOverdueClocks').value).toBe(1);
    expect(indicator(steps, 'medianHoursToContain').value).toBeNull();
    expect(steps[4].computedLevel).toBe(3);

    // Step 6: nothing recorded.
    expect(indicator(steps, 'trainingCompletion')).toMatchObject({ value: null, numerator: null });
    expect(steps[5].computedLevel).toBe(1);

    // Step 7: 1 partner, 1 active mutual-aid agreement expiring within 90 days, roster covers 1 of 3.
    expect(indicator(steps, 'partners').value).toBe(1);
    expect(indicator(steps, 'activeAgreements').value).toBe(1);
    expect(indicator(steps, 'mutualAidAgreements').value).toBe(1);
    expect(indicator(steps, 'agreementsExpiring90Days').value).toBe(1);
    expect(indicator(steps, 'rosterCoverage')).toMatchObject({ value: 33.3, numerator: 1, denominator: 3 });
    expect(steps[6].computedLevel).toBe(2);

    expect(overall).toBe(Math.round(((2 + 2 + 1 + 1 + 3 + 1 + 2) / 7) * 10) / 10);
    for (const s of steps)
      for (const i of s.indicators) {
        expect(i.computation.length).toBeGreaterThan(10);
        if (i.value === null) expect(i.noDataReason).toBeTruthy();
      }

    // The dashboard shows the open incident's earliest clock (overdue), the expiring agreement and the top risk.
    const dash = (await c.call(c.viewer, 'GET', '/strategy/dashboard')).json();
    expect(dash.steps.map((s: { level: number }) => s.level)).toEqual([2, 2, 1, 1, 3, 1, 2]);
    expect(dash.incidents).toHaveLength(1);
    expect(dash.incidents[0].nextClock).toMatchObject({ ruleId: 'eu-nis2-early-warning', overdue: true });
    expect(dash.expiringAgreements).toHaveLength(1);
    expect(dash.expiringAgreements[0]).toMatchObject({ partnerName: 'Power Co', daysToExpiry: 30 });
    expect(dash.topRisks.map((r: { id: string }) => r.id)).toEqual([risk.id]);
    expect(dash.training.completion).toBeNull();
  });

  it('measures KPIs from the indicator they name and shows the actions serving each objective', async () => {
    const c = await city('KPI City');
    await c.ok(c.admin, 'POST', '/assets/services', { name: 'Water', criticalityTier: 1, owner: 'X' });
    await c.ok(c.admin, 'POST', '/assets/services', { name: 'Roads', criticalityTier: 2 });
    const bad = await c.call(c.admin, 'POST', '/objectives', {
      title: 'Owners',
      kpis: [{ name: 'Owned', unit: '%', target: 100, indicatorKey: 'noSuchIndicator' }],
    });
    expect(bad.statusCode).toBe(422);
    const typed = await c.call(c.admin, 'POST', '/objectives', {
      title: 'Owners',
      kpis: [
        { name: 'Owned', unit: '%', target: 100, current: 12, indicatorKey: 'criticalServicesWithOwner' },
      ],
    });
    expect(typed.statusCode).toBe(422);
    expect(typed.json().detail).toMatch(/takes its value from live data/);
    const o = await c.ok(c.admin, 'POST', '/objectives', {
      title: 'Every critical service has an owner',
      dueDate: '2027-12-31',
      kpis: [
        { name: 'Owned', unit: '%', target: 100, indicatorKey: 'criticalServicesWithOwner' },
        { name: 'Budget approved', unit: '%', target: 100, current: 40 },
      ],
    });
    const foreignObjective = await c.call(c.admin, 'POST', '/treatment-actions', {
      title: 'x',
      cost: 1,
      objectiveIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(foreignObjective.statusCode).toBe(422);
    const action = await c.ok(c.admin, 'POST', '/treatment-actions', {
      title: 'Name an owner for every service',
      cost: 1000,
      objectiveIds: [o.id],
    });
    const res = (await c.call(c.viewer, 'GET', '/strategy/objectives')).json();
    expect(res.items).toHaveLength(1);
    const [owned, budget] = res.items[0].kpis;
    expect(owned).toMatchObject({ current: 50, measured: true, progress: 0.5, met: false, target: 100 });
    expect(budget).toMatchObject({ current: 40, measured: false, indicatorKey: null });
    expect(res.items[0].actions).toEqual([
      { id: action.id, title: 'Name an owner for every service', status: 'planned', dueDate: null },
    ]);
    // Deleting the objective removes it from the action.
    expect((await c.call(c.admin, 'DELETE', `/objectives/${o.id}`)).statusCode).toBe(204);
    const after = (await c.call(c.admin, 'GET', '/treatment-actions')).json().items;
    expect(after[0].objectiveIds).toEqual([]);
  });
});

describe('overrides', () => {
  it('need a justification and data.analyze, are audited, and can be cleared', async () => {
    const c = await city('Override City');
    const viewerTry = await c.call(c.viewer, 'PUT', '/strategy/steps/3/override', {
      level: 4,
      justification: 'The external audit found the baseline in place',
    });
    expect(viewerTry.statusCode).toBe(403);
    const contributor = await env.user('override-contrib@test.local', {
      orgId: c.org.id,
      role: 'contributor',
    });
    expect(
      (
        await c.call(contributor, 'PUT', '/strategy/steps/3/override', {
          level: 4,
          justification: 'The external audit found the baseline in place',
        })
      ).statusCode,
    ).toBe(403);
    const empty = await c.call(c.analyst, 'PUT', '/strategy/steps/3/override', {
      level: 4,
      justification: '  ',
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors.map((e: { path: string }) => e.path)).toContain('body.justification');
    const missing = await c.call(c.analyst, 'PUT', '/strategy/steps/3/override', { level: 4 });
    expect(missing.statusCode).toBe(422);
    const badLevel = await c.call(c.analyst, 'PUT', '/strategy/steps/3/override', {
      level: 6,
      justification: 'The external audit found the baseline in place',
    });
    expect(badLevel.statusCode).toBe(422);
    const badStep = await c.call(c.analyst, 'PUT', '/strategy/steps/8/override', {
      level: 2,
      justification: 'The external audit found the baseline in place',
    });
    expect(badStep.statusCode).toBe(422);

    const set = await c.call(c.analyst, 'PUT', '/strategy/steps/3/override', {
      level: 4,
      justification: 'The external audit found the baseline in place',
    });
    expect(set.statusCode, set.body).toBe(200);
    const step3 = (set.json().steps as Step[])[2];
    expect(step3).toMatchObject({ level: 4, computedLevel: 1 });
    expect(step3.override).toMatchObject({
      level: 4,
      justification: 'The external audit found the baseline in place',
      by: { name: expect.stringContaining('analyst') },
    });

    const audit = (await c.call(c.admin, 'GET', '/audit?action=strategy.override.set')).json();
    const events = (audit.items ?? []).filter(
      (e: { action: string }) => e.action === 'strategy.override.set',
    );
    expect(events).toHaveLength(1);
    expect(events[0].after).toMatchObject({ step: 3, level: 4 });

    const cleared = await c.call(c.analyst, 'DELETE', '/strategy/steps/3/override');
    expect(cleared.statusCode).toBe(200);
    expect((cleared.json().steps as Step[])[2]).toMatchObject({ level: 1, override: null });
    expect((await c.call(c.analyst, 'DELETE', '/strategy/steps/3/override')).statusCode).toBe(404);
  });
});

describe('tenancy', () => {
  it('refuses another organization and unauthenticated callers', async () => {
    const mine = await city('Tenant City');
    const other = await city('Other Tenant City');
    for (const path of [
      '/strategy/maturity',
      '/strategy/dashboard',
      '/strategy/snapshots',
      '/strategy/objectives',
    ]) {
      const r = await env.call(mine.admin, { method: 'GET', url: `/api/v1/orgs/${other.org.id}${path}` });
      expect(r.statusCode, path).toBe(404);
    }
    const put = await env.call(mine.admin, {
      method: 'PUT',
      url: `/api/v1/orgs/${other.org.id}/strategy/steps/1/override`,
      payload: { level: 5, justification: 'We say so, for the other city' },
    });
    expect(put.statusCode).toBe(404);
    expect(
      (await env.call(null, { method: 'GET', url: `/api/v1/orgs/${mine.org.id}/strategy/maturity` }))
        .statusCode,
    ).toBe(401);
  });
});

describe('history', () => {
  it('takes snapshots on demand and one per quarter from the job, listed newest first', async () => {
    const c = await city('History City');
    expect((await c.call(c.viewer, 'POST', '/strategy/snapshots')).statusCode).toBe(403);
    const empty = (await c.call(c.viewer, 'GET', '/strategy/snapshots')).json();
    expect(empty).toEqual({ items: [], total: 0, limit: 40, offset: 0 });

    await c.ok(c.admin, 'POST', '/assets/services', { name: 'Water', criticalityTier: 1 });
    const snap = await c.call(c.analyst, 'POST', '/strategy/snapshots');
    expect(snap.statusCode, snap.body).toBe(201);
    const s = snap.json();
    expect(s.trigger).toBe('manual');
    expect(s.quarter).toMatch(/^\d{4}-Q[1-4]$/);
    expect(s.steps).toHaveLength(7);
    expect(s.steps[0]).toMatchObject({ step: 1, key: 'risk', level: 2, overridden: false });
    expect(s.indicators.criticalServices).toBe(1);
    expect(s.indicators.criticalServicesWithOwner).toBe(0);

    // The scheduled job: a later quarter gets one snapshot per organization, once.
    const ctx = { db: env.database.db, actor: SYSTEM_ACTOR };
    const nextYear = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 1, 15));
    const first = await strategyService.quarterlySnapshots(ctx.db, nextYear);
    expect(first.quarter).toBe(`${nextYear.getUTCFullYear()}-Q1`);
    expect(first.taken).toBeGreaterThanOrEqual(1);
    expect((await strategyService.quarterlySnapshots(ctx.db, nextYear)).taken).toBe(0);

    const list = (await c.call(c.viewer, 'GET', '/strategy/snapshots')).json();
    expect(list.total).toBe(2);
    expect(list.items[0]).toMatchObject({ trigger: 'schedule', quarter: `${nextYear.getUTCFullYear()}-Q1` });
    expect(list.items[1].id).toBe(s.id);
    const filtered = (await c.call(c.viewer, 'GET', `/strategy/snapshots?q=${s.quarter}`)).json();
    expect(filtered.items.map((x: { id: string }) => x.id)).toEqual([s.id]);
    const page = (await c.call(c.viewer, 'GET', '/strategy/snapshots?limit=1&offset=1')).json();
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect((await c.call(c.viewer, 'GET', '/strategy/snapshots?limit=0')).statusCode).toBe(422);
  });
});

describe('Example City', () => {
  it('yields varied levels measured from its sample data', async () => {
    const { loadExampleCity } = await import('../../src/server/sample/example-city.js');
    const s = await env.database.db.transaction((tx) => loadExampleCity(tx, env.admin.id));
    const res = await env.call(env.admin, {
      method: 'GET',
      url: `/api/v1/orgs/${s.orgIds.city}/strategy/maturity`,
    });
    expect(res.statusCode).toBe(200);
    const levels = (res.json().steps as Step[]).map((x) => x.level);
    expect(new Set(levels).size).toBeGreaterThanOrEqual(3);
    expect(levels).not.toContain(undefined);
    const dash = (
      await env.call(env.admin, { method: 'GET', url: `/api/v1/orgs/${s.orgIds.city}/strategy/dashboard` })
    ).json();
    expect(dash.topRisks.length).toBeGreaterThan(0);
    expect(dash.kev.open).toBeGreaterThan(0);
    expect(dash.incidents).toHaveLength(1);
    expect(dash.incidents[0].nextClock).toMatchObject({ overdue: false });
    expect(dash.training.completion).toBeGreaterThan(0);
    expect(dash.expiringAgreements.length).toBeGreaterThan(0);
    const measured = dash.objectives
      .flatMap((o: { kpis: { measured: boolean }[] }) => o.kpis)
      .filter((k: { measured: boolean }) => k.measured);
    expect(measured.length).toBeGreaterThanOrEqual(3);
    expect(dash.objectives.some((o: { actions: unknown[] }) => o.actions.length > 0)).toBe(true);
  });
});
