import type { z } from 'zod';
import { CSF2_FUNCTIONS } from '../../../core/baseline/csf2.js';
import { nextReviewDate } from '../../../core/risk/index.js';
import { type Ctx, SYSTEM_ACTOR } from '../../context.js';
import type { Db, DbOrTx } from '../../db/client.js';
import type { Kpi } from '../../db/schema/risks.js';
import { AppError } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import { baselinesService } from '../baselines/baselines.service.js';
import { incidentsService } from '../incidents/incidents.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import { risksService } from '../risks/risks.service.js';
import { evaluate, INDICATOR_STEP, quarterOf, STEPS } from './strategy.model.js';
import {
  measuresRepository,
  type OverrideRow,
  overridesRepository,
  type SnapshotRow,
  snapshotsRepository,
} from './strategy.repository.js';
import type {
  Dashboard,
  Indicator,
  IndicatorUnit,
  MaturityReport,
  MeasuredKpi,
  ObjectiveProgress,
  SetOverride,
  Snapshot,
  StepMaturity,
} from './strategy.schemas.js';

const DAY = 86_400_000;
const round1 = (x: number) => Math.round(x * 10) / 10;

interface IndicatorInput {
  key: string;
  label: string;
  unit: IndicatorUnit;
  computation: string;
  module: string;
  records: string;
}

function share(i: IndicatorInput, numerator: number, denominator: number, noData: string): Indicator {
  const value = denominator > 0 ? round1((100 * numerator) / denominator) : null;
  return {
    key: i.key,
    label: i.label,
    unit: 'percent',
    value,
    numerator: denominator > 0 ? numerator : null,
    denominator: denominator > 0 ? denominator : null,
    computation: i.computation,
    source: { module: i.module, records: i.records },
    noDataReason: value === null ? noData : null,
  };
}

function measure(i: IndicatorInput, value: number | null, noData: string | null = null): Indicator {
  return {
    key: i.key,
    label: i.label,
    unit: i.unit,
    value: value === null ? null : round1(value),
    numerator: null,
    denominator: null,
    computation: i.computation,
    source: { module: i.module, records: i.records },
    noDataReason: value === null ? (noData ?? 'no data') : null,
  };
}

const P = (key: string, label: string, computation: string, module: string, records: string) => ({
  key,
  label,
  unit: 'percent' as const,
  computation,
  module,
  records,
});
const N = (
  key: string,
  label: string,
  unit: IndicatorUnit,
  computation: string,
  module: string,
  records: string,
) => ({ key, label, unit, computation, module, records });

const NO_CRITICAL = 'no critical services (tier 1 or 2) are recorded';

/** Every indicator of the seven steps, measured from what the modules hold now. */
async function indicatorsOf(ctx: Ctx, org: OrgRow, now: Date): Promise<Map<string, Indicator>> {
  const db = ctx.db;
  const orgId = org.id;
  const today = now.toISOString().slice(0, 10);
  const yearAgo = new Date(now.getTime() - 365 * DAY);
  const out: Indicator[] = [];

  // Step 1: services and systems.
  const a = await measuresRepository.assets(db, orgId);
  out.push(
    measure(
      N(
        'criticalServices',
        'Critical services recorded',
        'count',
        'Services of criticality tier 1 or 2.',
        'assets',
        'services',
      ),
      a.critical,
    ),
    share(
      P(
        'criticalServicesWithOwner',
        'Critical services with an owner',
        'Critical services (tier 1 or 2) whose owner is filled in, of all critical services.',
        'assets',
        'services',
      ),
      a.withOwner,
      a.critical,
      NO_CRITICAL,
    ),
    share(
      P(
        'criticalServicesWithRto',
        'Critical services with a recovery time objective',
        'Critical services (tier 1 or 2) with an RTO, of all critical services.',
        'assets',
        'services',
      ),
      a.withRto,
      a.critical,
      NO_CRITICAL,
    ),
    share(
      P(
        'criticalServicesWithDependencies',
        'Critical services with their dependencies mapped',
        'Critical services (tier 1 or 2) that depend on at least one recorded service, system or provider, of all critical services.',
        'assets',
        'services, dependencies',
      ),
      a.withDeps,
      a.critical,
      NO_CRITICAL,
    ),
    share(
      P(
        'systemsWithCpe',
        'Systems with a CPE',
        'Systems with a CPE 2.3 name (needed to match vulnerabilities), of all systems.',
        'assets',
        'systems',
      ),
      a.withCpe,
      a.systems,
      'no systems are recorded',
    ),
  );

  // Step 2: risks and treatment.
  const rc = await measuresRepository.riskCoverage(db, orgId);
  const matrix = await risksService.matrixOf(db, orgId);
  const review = await measuresRepository.reviewInputs(db, orgId);
  const pastReview = review.filter(
    (r) =>
      nextReviewDate(matrix, { likelihood: r.likelihood, impact: r.impact }, new Date(r.reviewedFrom)) < now,
  ).length;
  const onTime = await measuresRepository.actionsOnTime(db, orgId, today);
  out.push(
    measure(
      N('risksRegistered', 'Risks in the register', 'count', 'All risks of the register.', 'risks', 'risks'),
      rc.risks,
    ),
    share(
      P(
        'criticalServicesWithRisk',
        'Critical services with a risk assessed',
        'Critical services (tier 1 or 2) named by at least one risk that is not closed, of all critical services.',
        'risks',
        'risks, services',
      ),
      rc.withRisk,
      a.critical,
      NO_CRITICAL,
    ),
    share(
      P(
        'criticalServicesWithQuantifiedRisk',
        'Critical services with a quantified (FAIR) risk',
        'Critical services (tier 1 or 2) named by at least one risk not closed that has FAIR inputs, of all critical services.',
        'risks',
        'risks (FAIR inputs), services',
      ),
      rc.withFair,
      a.critical,
      NO_CRITICAL,
    ),
    share(
      P(
        'risksPastReview',
        'Risks past their review date',
        "Risks not closed whose next review date (the matrix's cadence for the current level, from the last review or creation) has passed, of all risks not closed.",
        'risks',
        'risks, risk matrix',
      ),
      pastReview,
      review.length,
      'no risks are open',
    ),
    share(
      P(
        'treatmentActionsOnTime',
        'Treatment actions on time',
        'Treatment actions with a due date, not cancelled, that are done or not yet due, of all such actions.',
        'risks',
        'treatment actions',
      ),
      onTime.onTime,
      onTime.dated,
      'no treatment action has a due date',
    ),
  );

  // Step 3: baseline assessment.
  const latest = await measuresRepository.latestAssessment(db, orgId);
  const score = latest ? await baselinesService.score(ctx, orgId, latest.id) : null;
  const noAssessment = 'no baseline assessment has been started';
  const from = latest ? ` Latest assessment: "${latest.title}".` : '';
  const assessed = score ? score.overall.total - score.overall.counts['not-assessed'] : 0;
  out.push(
    share(
      P(
        'baselineCoverage',
        'Baseline requirements assessed',
        `Requirements (per department assessed) with a recorded status, of all requirements of the latest assessment.${from}`,
        'baselines',
        'assessment results',
      ),
      assessed,
      score?.overall.total ?? 0,
      noAssessment,
    ),
    measure(
      N(
        'baselineScore',
        'Baseline implementation score',
        'score',
        `Implementation score (0–100) of the latest assessment: implemented counts 1, partially implemented 0.5, the rest 0, over applicable requirements; claims whose evidence expired count as needs review.${from}`,
        'baselines',
        'assessment results, evidence',
      ),
      score?.overall.implementationScore ?? null,
      score ? 'no applicable requirement is assessed' : noAssessment,
    ),
  );
  const fnScores: number[] = [];
  for (const f of CSF2_FUNCTIONS) {
    const v = score?.byFunction[f.id].implementationScore ?? null;
    if (v !== null) fnScores.push(v);
    out.push(
      measure(
        N(
          `baselineScore${f.id}`,
          `Baseline score: ${f.name} (${f.id})`,
          'score',
          `Implementation score (0–100) of the latest assessment's requirements in the CSF 2.0 function ${f.name}.${from}`,
          'baselines',
          'assessment results',
        ),
        v,
        score ? `no applicable requirement of ${f.name} is assessed` : noAssessment,
      ),
    );
  }
  out.push(
    measure(
      N(
        'baselineLowestFunctionScore',
        'Lowest baseline score of a CSF function',
        'score',
        'The lowest implementation score among the CSF 2.0 functions that have assessed requirements in the latest assessment.',
        'baselines',
        'assessment results',
      ),
      fnScores.length ? Math.min(...fnScores) : null,
      score ? 'no applicable requirement is assessed' : noAssessment,
    ),
    measure(
      N(
        'evidenceExpired',
        'Expired evidence',
        'count',
        'Evidence files and links of the latest assessment whose expiry date has passed.',
        'baselines',
        'assessment evidence',
      ),
      latest ? await measuresRepository.expiredEvidence(db, orgId, latest.id, now) : null,
      noAssessment,
    ),
  );

  // Step 4: sharing and known exploited vulnerabilities.
  const sh = await measuresRepository.sharing(db, orgId, new Date(now.getTime() - 90 * DAY));
  const kev = await measuresRepository.kev(db, orgId, today);
  out.push(
    measure(
      N(
        'communityMemberships',
        'Sharing community memberships',
        'count',
        'Communities the organization is a member of.',
        'intel',
        'community members',
      ),
      sh.memberships,
    ),
    measure(
      N(
        'objectsShared90Days',
        'Objects shared in the last 90 days',
        'count',
        'Distinct STIX objects the organization shared to a community or another organization in the last 90 days.',
        'intel',
        'shares',
      ),
      sh.shared,
    ),
    measure(
      N(
        'kevFindingsOpen',
        'Open findings of known exploited vulnerabilities',
        'count',
        'Findings on CISA KEV vulnerabilities with status open or in progress.',
        'vulns',
        'findings (in KEV)',
      ),
      kev.open,
    ),
    measure(
      N(
        'kevFindingsOverdue',
        'KEV findings past their due date',
        'count',
        'Open or in-progress KEV findings whose due date has passed.',
        'vulns',
        'findings (in KEV)',
      ),
      kev.overdue,
    ),
    measure(
      N(
        'kevMedianDaysToRemediate',
        'Median days to remediate KEV findings',
        'days',
        'Median, over KEV findings marked mitigated, of the days from first seen to the last status change.',
        'vulns',
        'findings (in KEV, mitigated)',
      ),
      kev.medianDays,
      'no KEV finding has been mitigated yet',
    ),
  );

  // Step 5: incident response.
  const inc = await measuresRepository.incidents(db, orgId, yearAgo);
  const overdue = await incidentsService.overdueIn(db, org, now);
  out.push(
    measure(
      N(
        'playbooksInPlace',
        'Playbooks in place',
        'count',
        "The organization's own playbooks plus shipped playbooks it ran in an incident or exercise in the last 12 months.",
        'incidents',
        'playbooks, incidents',
      ),
      inc.playbooks,
    ),
    measure(
      N(
        'ownPlaybooks',
        'Playbooks adapted by the organization',
        'count',
        'Distinct playbooks the organization wrote or adapted (its own versions of shipped ones count once).',
        'incidents',
        'playbooks',
      ),
      inc.ownPlaybooks,
    ),
    measure(
      N(
        'exercisesLast12Months',
        'Exercises in the last 12 months',
        'count',
        'Incidents in exercise mode detected in the last 12 months.',
        'incidents',
        'incidents (exercises)',
      ),
      inc.exercises,
    ),
    share(
      P(
        'incidentsFromPlaybook',
        'Incidents run from a playbook',
        'Real incidents of the last 12 months opened from a playbook, of all real incidents of the last 12 months.',
        'incidents',
        'incidents',
      ),
      inc.fromPlaybook,
      inc.realIncidents,
      'no real incident in the last 12 months',
    ),
    measure(
      N(
        'medianHoursToContain',
        'Median time to contain',
        'hours',
        'Median, over real incidents of the last 12 months that left containment, of the hours from detection to the first move past containment.',
        'incidents',
        'incidents, status transitions',
      ),
      inc.medianHoursToContain,
      'no real incident of the last 12 months has been contained',
    ),
    measure(
      N(
        'incidentsWithOverdueClocks',
        'Incidents with overdue notification clocks',
        'count',
        'Incidents with at least one regulatory notification clock past its deadline and not marked sent.',
        'incidents',
        'incidents, notifications',
      ),
      new Set(overdue.items.map((o) => o.incidentId)).size,
    ),
  );

  // Step 6: workforce and awareness.
  const w = await measuresRepository.workforce(db, orgId, yearAgo, now);
  out.push(
    share(
      P(
        'trainingCompletion',
        'Training completion',
        'Training assignments of active staff due in the last 12 months that are completed, of all such assignments.',
        'workforce',
        'training assignments, people',
      ),
      w.completed,
      w.due,
      'no training was due in the last 12 months',
    ),
    share(
      P(
        'phishingClickRate',
        'Phishing simulation click rate',
        'Recipients who clicked, of recipients sent a simulated phishing email in campaigns launched in the last 12 months.',
        'workforce',
        'phishing campaigns and results',
      ),
      w.clicked,
      w.sent,
      'no phishing simulation in the last 12 months',
    ),
    share(
      P(
        'phishingReportRate',
        'Phishing simulation report rate',
        'Recipients who reported the email, of recipients sent a simulated phishing email in campaigns launched in the last 12 months.',
        'workforce',
        'phishing campaigns and results',
      ),
      w.reported,
      w.sent,
      'no phishing simulation in the last 12 months',
    ),
    share(
      P(
        'workRoleCoverage',
        'Cyber work roles staffed',
        'For each NICE work role the organization needs, active staff holding it up to the headcount needed, summed, of the total headcount needed.',
        'workforce',
        'role needs, people',
      ),
      w.rolesFilled,
      w.rolesNeeded,
      'no work role needs are recorded',
    ),
  );

  // Step 7: cooperation.
  const co = await measuresRepository.cooperation(db, orgId, now, new Date(now.getTime() + 90 * DAY));
  out.push(
    measure(N('partners', 'Partners', 'count', 'Partners recorded.', 'partners', 'partners'), co.partners),
    measure(
      N(
        'activeAgreements',
        'Active agreements',
        'count',
        'Agreements that have started and have not ended.',
        'partners',
        'agreements',
      ),
      co.active,
    ),
    measure(
      N(
        'mutualAidAgreements',
        'Active mutual-aid agreements',
        'count',
        'Active agreements of kind mutual aid.',
        'partners',
        'agreements',
      ),
      co.mutualAid,
    ),
    measure(
      N(
        'agreementsExpiring90Days',
        'Agreements expiring within 90 days',
        'count',
        'Agreements whose end date falls in the next 90 days.',
        'partners',
        'agreements',
      ),
      co.expiring,
    ),
    share(
      P(
        'rosterCoverage',
        'Critical services on the crisis roster',
        'Critical services (tier 1 or 2) with at least one crisis roster contact (a contact with an escalation order for that service name), of all critical services.',
        'partners',
        'contacts, services',
      ),
      co.onRoster,
      co.critical,
      NO_CRITICAL,
    ),
  );

  return new Map(out.map((i) => [i.key, i]));
}

function overrideView(o: OverrideRow) {
  return {
    level: o.level,
    justification: o.justification,
    by: { id: o.byUserId, name: o.byName },
    at: o.at,
  };
}

async function report(ctx: Ctx, org: OrgRow, now: Date): Promise<MaturityReport> {
  const indicators = await indicatorsOf(ctx, org, now);
  const overrides = new Map((await overridesRepository.all(ctx.db, org.id)).map((o) => [o.step, o]));
  const steps: StepMaturity[] = STEPS.map((def) => {
    const { computedLevel, criteria } = evaluate(def, indicators);
    const o = overrides.get(def.step);
    return {
      step: def.step,
      key: def.key,
      title: def.title,
      level: o ? o.level : computedLevel,
      computedLevel,
      override: o ? overrideView(o) : null,
      criteria,
      indicators: [...indicators.values()].filter((i) => INDICATOR_STEP[i.key] === def.step),
    };
  });
  const overall = round1(steps.reduce((s, x) => s + x.level, 0) / steps.length);
  return { orgId: org.id, computedAt: now, overall, steps };
}

function snapshotView(s: SnapshotRow): Snapshot {
  return { ...s, trigger: s.trigger };
}

function kpiProgress(current: number | null, k: Kpi): number | null {
  if (current === null || k.target === 0) return null;
  const p = k.direction === 'increase' ? current / k.target : current === 0 ? 1 : k.target / current;
  return Math.max(0, Math.min(1, p));
}

/** A KPI's value: measured from its indicator when it names one, else as declared. */
export function measureKpi(k: Kpi, indicators: Map<string, Indicator>): MeasuredKpi {
  const ind = k.indicatorKey ? indicators.get(k.indicatorKey) : undefined;
  const measured = !!k.indicatorKey;
  const current = measured ? (ind?.value ?? null) : k.current;
  return {
    id: k.id,
    name: k.name,
    unit: k.unit,
    target: k.target,
    direction: k.direction,
    indicatorKey: k.indicatorKey ?? null,
    current,
    measured,
    progress: kpiProgress(current, k),
    met: current === null ? null : k.direction === 'increase' ? current >= k.target : current <= k.target,
  };
}

async function takeSnapshot(
  db: DbOrTx,
  ctx: Ctx,
  org: OrgRow,
  now: Date,
  trigger: 'schedule' | 'manual',
): Promise<SnapshotRow> {
  const r = await report({ ...ctx, db: db as Db }, org, now);
  const indicators: Record<string, number | null> = {};
  for (const s of r.steps) for (const i of s.indicators) indicators[i.key] = i.value;
  const row = await snapshotsRepository.insert(db, {
    orgId: org.id,
    takenAt: now,
    quarter: quarterOf(now),
    trigger,
    takenBy: ctx.actor.name,
    steps: r.steps.map((s) => ({
      step: s.step,
      key: s.key,
      level: s.level,
      computedLevel: s.computedLevel,
      overridden: s.override !== null,
    })),
    indicators,
  });
  await auditService.record(db, ctx, {
    orgId: org.id,
    action: 'strategy.snapshot',
    targetType: 'strategy_snapshot',
    targetId: row.id,
    after: { quarter: row.quarter, trigger, steps: row.steps },
  });
  return row;
}

/** Organizations whose strategy is measured by the quarterly snapshot. */
const SNAPSHOT_KINDS = new Set(['nation', 'region', 'city', 'department', 'utility']);

export const strategyService = {
  /** Where the organization stands on each of the seven steps, measured now. */
  async maturity(ctx: Ctx, orgId: string, now = new Date()): Promise<MaturityReport> {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return report(ctx, org, now);
  },

  /** The indicators alone, keyed, for other modules (the strategy document, KPIs). */
  async indicators(ctx: Ctx, orgId: string, now = new Date()): Promise<Map<string, Indicator>> {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return indicatorsOf(ctx, org, now);
  },

  async setOverride(ctx: Ctx, orgId: string, step: number, input: z.infer<typeof SetOverride>) {
    await orgsService.access(ctx, orgId, 'data.analyze');
    if (!STEPS.some((s) => s.step === step)) throw new AppError('not_found', `Step ${step} was not found`);
    await ctx.db.transaction(async (tx) => {
      const before = await overridesRepository.get(tx, orgId, step);
      const after = await overridesRepository.upsert(tx, {
        orgId,
        step,
        level: input.level,
        justification: input.justification,
        byUserId: ctx.actor.via === 'system' || ctx.actor.via === 'cli' ? null : ctx.actor.userId,
        byName: ctx.actor.name,
        at: new Date(),
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'strategy.override.set',
        targetType: 'strategy_step',
        targetId: String(step),
        before: before ?? null,
        after,
      });
    });
    return strategyService.maturity(ctx, orgId);
  },

  async clearOverride(ctx: Ctx, orgId: string, step: number) {
    await orgsService.access(ctx, orgId, 'data.analyze');
    await ctx.db.transaction(async (tx) => {
      const before = await overridesRepository.get(tx, orgId, step);
      if (!before) throw new AppError('not_found', `Step ${step} has no override`);
      await overridesRepository.delete(tx, orgId, step);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'strategy.override.clear',
        targetType: 'strategy_step',
        targetId: String(step),
        before,
      });
    });
    return strategyService.maturity(ctx, orgId);
  },

  async snapshot(ctx: Ctx, orgId: string, now = new Date()): Promise<Snapshot> {
    const org = await orgsService.access(ctx, orgId, 'data.analyze');
    return snapshotView(await ctx.db.transaction((tx) => takeSnapshot(tx, ctx, org, now, 'manual')));
  },

  async history(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await snapshotsRepository.list(ctx.db, orgId, q, limit, offset);
    return { items: items.map(snapshotView), total, limit, offset };
  },

  /** The scheduled job: one snapshot per organization and calendar quarter. */
  async quarterlySnapshots(db: Db, now = new Date()) {
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR };
    const quarter = quarterOf(now);
    let taken = 0;
    for (const org of await orgsDirectory.all(db)) {
      if (!SNAPSHOT_KINDS.has(org.kind)) continue;
      if (await snapshotsRepository.hasQuarter(db, org.id, quarter)) continue;
      await db.transaction((tx) => takeSnapshot(tx, ctx, org, now, 'schedule'));
      taken++;
    }
    return { quarter, taken };
  },

  /** Objectives with their KPIs measured from the indicators, and the actions serving each. */
  async objectives(ctx: Ctx, orgId: string, now = new Date()): Promise<ObjectiveProgress[]> {
    const indicators = await strategyService.indicators(ctx, orgId, now);
    return objectivesWith(ctx, orgId, indicators);
  },

  async dashboard(ctx: Ctx, orgId: string, now = new Date()): Promise<Dashboard> {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const r = await report(ctx, org, now);
    const indicators = new Map(r.steps.flatMap((s) => s.indicators.map((i) => [i.key, i] as const)));

    const risks = await risksService.list(ctx, orgId, { sort: '-inherent', limit: 500, offset: 0 });
    const topRisks = risks.items
      .filter((x) => x.status !== 'closed')
      .map((x) => ({ x, current: x.residual ?? x.inherent }))
      .sort((p, q) => q.current.score - p.current.score || p.x.title.localeCompare(q.x.title))
      .slice(0, 5)
      .map(({ x, current }) => ({
        id: x.id,
        title: x.title,
        status: x.status,
        score: current.score,
        levelName: current.name,
        colour: current.colour,
        expectedAnnualLoss: x.simulation?.meanAnnualLoss ?? x.expectedAnnualLoss ?? null,
      }));

    const kev = await measuresRepository.kev(ctx.db, orgId, now.toISOString().slice(0, 10));

    const incidents = [];
    for (const id of await measuresRepository.openIncidentIds(ctx.db, orgId)) {
      const { incident } = await incidentsService.load(ctx, orgId, id, 'data.read');
      const clocks = await incidentsService.clockReport(ctx.db, org, incident, now);
      const pending = clocks.clocks
        .filter((c) => !c.sentAt && c.dueAt)
        .sort((p, q) => (p.dueAt as Date).getTime() - (q.dueAt as Date).getTime());
      const next = pending[0];
      incidents.push({
        id: incident.id,
        title: incident.title,
        status: incident.status,
        severityName: incident.severityName,
        detectedAt: incident.detectedAt,
        nextClock: next
          ? {
              ruleId: next.ruleId,
              title: next.title,
              dueAt: next.dueAt as Date,
              overdue: (next.dueAt as Date).getTime() < now.getTime(),
            }
          : null,
      });
    }

    const training = indicators.get('trainingCompletion');
    const expiring = await measuresRepository.expiringAgreements(
      ctx.db,
      orgId,
      now,
      new Date(now.getTime() + 90 * DAY),
    );
    return {
      orgId,
      computedAt: now,
      overall: r.overall,
      steps: r.steps.map((s) => ({
        step: s.step,
        key: s.key,
        title: s.title,
        level: s.level,
        computedLevel: s.computedLevel,
        overridden: s.override !== null,
      })),
      topRisks,
      kev: {
        open: kev.open,
        overdue: kev.overdue,
        systems: kev.systems,
        medianDaysToRemediate: kev.medianDays === null ? null : round1(kev.medianDays),
      },
      incidents,
      training: {
        completion: training?.value ?? null,
        completed: training?.numerator ?? null,
        assigned: training?.denominator ?? null,
      },
      expiringAgreements: expiring.map((e) => {
        const endsAt = new Date(e.endsAt);
        return {
          id: e.id,
          title: e.title,
          partnerId: e.partnerId,
          partnerName: e.partnerName,
          endsAt,
          daysToExpiry: Math.ceil((endsAt.getTime() - now.getTime()) / DAY),
          autoRenews: e.autoRenews,
        };
      }),
      objectives: await objectivesWith(ctx, orgId, indicators),
    };
  },
};

async function objectivesWith(
  ctx: Ctx,
  orgId: string,
  indicators: Map<string, Indicator>,
): Promise<ObjectiveProgress[]> {
  const { items } = await risksService.listObjectives(ctx, orgId);
  const actions = await measuresRepository.objectivesWithActions(ctx.db, orgId);
  return items.map((o) => ({
    id: o.id,
    title: o.title,
    owner: o.owner,
    dueDate: o.dueDate,
    kpis: o.kpis.map((k) => measureKpi(k, indicators)),
    actions: actions
      .filter((x) => x.objectiveIds.includes(o.id))
      .map((x) => ({ id: x.id, title: x.title, status: x.status, dueDate: x.dueDate })),
  }));
}
