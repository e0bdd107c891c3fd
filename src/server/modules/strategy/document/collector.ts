import { SHIPPED_RULES } from '../../../../core/clocks/data.js';
import { riskLevel } from '../../../../core/risk/index.js';
import { NICE_WORK_ROLES } from '../../../../core/workforce/nice.js';
import type { Ctx } from '../../../context.js';
import { assetsService } from '../../assets/assets.service.js';
import { baselinesService } from '../../baselines/baselines.service.js';
import { incidentsService } from '../../incidents/incidents.service.js';
import { feedsService } from '../../intel/intel.feeds.js';
import { communitiesService, intelService } from '../../intel/intel.service.js';
import { orgsDirectory, orgsService } from '../../orgs/orgs.service.js';
import { partnersService } from '../../partners/partners.service.js';
import { risksService } from '../../risks/risks.service.js';
import { vulnsService } from '../../vulns/vulns.service.js';
import { workforceService } from '../../workforce/workforce.service.js';
import type { DocumentData, MaturityInput, SourceNote, Years } from './model.js';
import { formatters } from './outline.js';
import { BLOCK_KEYS, type BlockKey, fill, type Lang, SOURCE_TEXT } from './text.js';

const ALL = 100_000;
const DAY = 86_400_000;
/** The portfolio simulation of the document: fixed seed, so the same data gives the same figures. */
export const PORTFOLIO_SEED = 1;
export const PORTFOLIO_TRIALS = 10_000;
/** TLP levels a strategy document may carry; TLP:RED never leaves its readers. */
const DOCUMENT_TLPS = ['clear', 'green', 'amber', 'amber+strict'] as const;
const HOUR = 3_600_000;

export interface CollectOptions {
  lang: Lang;
  years: Years;
  /** The organization's own wording of the prose blocks (already for `lang`), by key. */
  blocks: Partial<Record<BlockKey, string>>;
  defaults: Record<BlockKey, string>;
  /** Budget for the plan; default: the cost of every open action. */
  budget?: number;
  maturity?: MaturityInput | null;
  /** KPI values measured by the strategy module's indicators, by KPI id; they replace the stored values. */
  kpiMeasures?: Map<string, { current: number | null; progress: number | null; measuredBy: string }>;
  now?: Date;
}

const hours = (ms: number | null | undefined) => (ms == null ? null : Math.round((ms / HOUR) * 10) / 10);

/**
 * Reads what the strategy document shows from the modules' services, as the requesting user: each service checks
 * tenancy and permission itself, intelligence is read through the TLP policy and TLP:RED records are left out.
 */
export async function collectDocument(ctx: Ctx, orgId: string, opts: CollectOptions): Promise<DocumentData> {
  const org = await orgsService.access(ctx, orgId, 'data.read');
  const now = opts.now ?? new Date();
  const sources: SourceNote[] = [];
  const src = SOURCE_TEXT[opts.lang];
  const fmt = (n: number) => formatters(opts.lang).num(n);
  const source = (module: string, filter: string): SourceNote => {
    const s = { id: `S${sources.length + 1}`, module, filter, computedAt: new Date() };
    sources.push(s);
    return s;
  };
  const yearsText =
    opts.years.from === opts.years.to ? `${opts.years.from}` : `${opts.years.from}–${opts.years.to}`;
  const blocks = Object.fromEntries(
    BLOCK_KEYS.map((k) => [
      k,
      fill(opts.blocks[k] ?? opts.defaults[k], { city: org.name, years: yearsText }),
    ]),
  ) as Record<BlockKey, string>;

  // 1. Context: departments (the organization's own subtree), services and systems.
  const contextSource = source('assets', src.context);
  const [services, systems, subtree] = await Promise.all([
    assetsService.listServices(ctx, orgId, {}, undefined, ALL, 0),
    assetsService.listSystems(ctx, orgId, {}, undefined, 1, 0),
    orgsDirectory.visible(ctx.db, [], [org.path]),
  ]);
  const departments = subtree
    .filter((o) => o.parentId === org.id && o.kind === 'department')
    .map((d) => ({ name: d.name, services: services.items.filter((s) => s.departmentOrgId === d.id).length }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const serviceLines = services.items
    .map((s) => ({
      name: s.name,
      department: s.departmentName,
      tier: s.criticalityTier,
      populationServed: s.populationServed,
      lifeSafety: s.lifeSafetyImpact || s.publicSafetyImpact,
    }))
    .sort((a, b) => (a.tier ?? 99) - (b.tier ?? 99) || (b.populationServed ?? 0) - (a.populationServed ?? 0));
  const populations = serviceLines.map((s) => s.populationServed).filter((p): p is number => p !== null);

  // 2. Risk picture.
  const riskSource = source('risks', src.risks);
  const [ranking, riskList, matrix] = await Promise.all([
    risksService.ranking(ctx, orgId),
    risksService.list(ctx, orgId, { limit: ALL, offset: 0 }),
    risksService.getMatrix(ctx, orgId),
  ]);
  const m = matrix.matrix;
  const counts = m.likelihoods.map(() => m.impacts.map(() => 0));
  for (const r of riskList.items) {
    if (r.status === 'closed') continue;
    const l = r.residualLikelihood ?? r.inherentLikelihood;
    const i = r.residualImpact ?? r.inherentImpact;
    if (counts[l - 1]?.[i - 1] !== undefined) counts[l - 1][i - 1]++;
  }
  const portfolioSource = source(
    'risks',
    fill(src.portfolio, { seed: PORTFOLIO_SEED, trials: fmt(PORTFOLIO_TRIALS) }),
  );
  const portfolio = await risksService.portfolio(ctx, orgId, PORTFOLIO_SEED, PORTFOLIO_TRIALS);

  // 3. Priorities: the budget plan, actions, objectives and KPIs.
  const actions = await risksService.listActions(ctx, orgId);
  const open = actions.items.filter((a) => a.status === 'planned' || a.status === 'in_progress');
  const budget = opts.budget ?? open.reduce((s, a) => s + a.cost, 0);
  const startQuarter = `${Math.max(opts.years.from, now.getUTCFullYear())}-Q1`;
  const planSource = source('risks', fill(src.plan, { budget: fmt(budget), from: startQuarter }));
  const plan = await risksService.plan(ctx, orgId, {
    budget,
    seed: PORTFOLIO_SEED,
    startQuarter,
  });
  const planById = new Map(plan.actions.map((a) => [a.id, a]));
  const quarterOf = new Map(plan.roadmap.flatMap((q) => q.actions.map((a) => [a.id, q.quarter] as const)));
  const objectivesSource = source('risks', opts.kpiMeasures ? src.objectivesMeasured : src.objectives);
  const objectives = await risksService.listObjectives(ctx, orgId);

  // 4. Baseline: the most recently updated assessment.
  const baselineSource = source('baselines', src.baseline);
  const assessments = await baselinesService.listAssessments(ctx, orgId, undefined, ALL, 0);
  const latest = [...assessments.items].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  let baseline: DocumentData['baseline']['assessment'] = null;
  if (latest) {
    const [score, gaps] = await Promise.all([
      baselinesService.score(ctx, orgId, latest.id),
      baselinesService.gaps(ctx, orgId, latest.id),
    ]);
    const gapCounts: Record<string, number> = {};
    for (const g of gaps.items) gapCounts[g.severity] = (gapCounts[g.severity] ?? 0) + 1;
    const rank: Record<string, number> = { high: 0, medium: 1, low: 2 };
    baseline = {
      title: latest.title,
      status: latest.status,
      updatedAt: latest.updatedAt,
      overall: score.overall.implementationScore,
      applicable: score.overall.applicable,
      implemented: score.overall.counts.implemented ?? 0,
      byFunction: Object.entries(score.byFunction).map(([id, b]) => ({
        id,
        score: b.implementationScore,
        applicable: b.applicable,
        implemented: b.counts.implemented ?? 0,
      })),
      gapCounts,
      topGaps: [...gaps.items]
        .sort(
          (a, b) =>
            (rank[a.severity] ?? 9) - (rank[b.severity] ?? 9) ||
            a.requirementId.localeCompare(b.requirementId),
        )
        .slice(0, 12)
        .map((g) => ({
          requirementId: g.requirementId,
          title: g.title,
          department: g.department,
          function: g.function,
          severity: g.severity,
        })),
    };
  }

  // 5. Information sharing: communities, feeds, intelligence by TLP (never RED), KEV exposure.
  const sharingSource = source('intel', src.sharing);
  const [communities, feeds] = await Promise.all([
    communitiesService.communitiesOf(ctx, orgId),
    feedsService.list(ctx, orgId),
  ]);
  const intelByTlp: { tlp: string; count: number }[] = [];
  for (const tlp of DOCUMENT_TLPS) {
    const { total } = await intelService.list(ctx, orgId, { tlp: [tlp] }, 1, 0);
    intelByTlp.push({ tlp, count: total });
  }
  const kevSource = source('vulns', src.kev);
  const [openFindings, kevFindings] = await Promise.all([
    vulnsService.listFindings(ctx, orgId, { status: 'open' }, 1, 0),
    vulnsService.listFindings(ctx, orgId, { status: 'open', kev: true }, ALL, 0),
  ]);
  const today = now.toISOString().slice(0, 10);

  // 6. Incident response.
  const incidentSource = source('incidents', src.incidents);
  const [playbooks, exercises, incidents, metrics] = await Promise.all([
    incidentsService.listPlaybooks(ctx, orgId),
    incidentsService.list(ctx, orgId, { exercises: 'only', limit: ALL, offset: 0 }),
    incidentsService.list(ctx, orgId, { exercises: 'exclude', limit: ALL, offset: 0 }),
    incidentsService.metrics(ctx, orgId, { by: 'type', timeZone: 'UTC', exercises: 'exclude' }),
  ]);
  const yearAgo = new Date(now.getTime() - 365 * DAY);
  const recent = incidents.items.filter((i) => i.detectedAt >= yearAgo);
  const typeCounts = new Map<string, number>();
  for (const i of recent) typeCounts.set(i.type, (typeCounts.get(i.type) ?? 0) + 1);
  const regimes = new Map<string, DocumentData['incidents']['regimes'][number]>();
  for (const r of SHIPPED_RULES) {
    const d = r.deadline;
    const deadline =
      d.type === 'fixed'
        ? { fixed: true, value: d.duration.value, unit: d.duration.unit }
        : { fixed: false, value: d.target?.value ?? null, unit: d.target?.unit ?? null };
    regimes.set(r.id, { regime: r.regime, jurisdiction: r.jurisdiction, title: r.title, deadline });
  }

  // 7. Workforce.
  const workforceSource = source('workforce', src.workforce);
  const [dash, coverage] = await Promise.all([
    workforceService.dashboard(ctx, orgId),
    workforceService.roleCoverage(ctx, orgId),
  ]);
  const phishing = await workforceService.phishingMetrics(ctx, orgId);
  const roleName = new Map(NICE_WORK_ROLES.map((r) => [r.id, r.name]));

  // 8. Partners (agreements marked TLP:RED are left out).
  const partnersSource = source('partners', src.partners);
  const [partners, agreements, roster] = await Promise.all([
    partnersService.list(ctx, orgId, undefined, ALL, 0),
    partnersService.listAgreements(ctx, orgId, undefined, undefined, ALL, 0),
    partnersService.roster(ctx, orgId),
  ]);

  const maturity = opts.maturity ?? null;
  if (maturity) {
    maturity.source.id = `S${sources.length + 1}`;
    sources.push(maturity.source);
  }

  return {
    lang: opts.lang,
    years: opts.years,
    generatedAt: now,
    generatedBy: ctx.actor.name,
    org: { id: org.id, name: org.name, description: org.description },
    blocks,
    context: {
      departments,
      services: serviceLines,
      totals: {
        services: services.total,
        systems: systems.total,
        critical: serviceLines.filter((s) => s.tier !== null && s.tier <= 2).length,
        maxPopulation: populations.length ? Math.max(...populations) : null,
      },
      source: contextSource,
    },
    risks: {
      total: riskList.total,
      quantified: riskList.items.filter((r) => r.fair !== null).length,
      top: ranking.items.slice(0, 10).map((r) => ({
        title: r.title,
        status: r.status,
        levelName: r.level.name,
        levelColour: r.level.colour,
        annualLoss: r.meanAnnualLoss,
        p90: r.p90,
      })),
      heatMap: {
        likelihoods: m.likelihoods.map((s) => s.label),
        impacts: m.impacts.map((s) => s.label),
        counts,
        colours: m.likelihoods.map((l) => m.impacts.map((i) => riskLevel(m, l.value, i.value).level.colour)),
      },
      portfolio: portfolio.total
        ? {
            meanAnnualLoss: portfolio.total.meanAnnualLoss,
            p50: portfolio.total.percentiles.p50,
            p90: portfolio.total.percentiles.p90,
            p95: portfolio.total.percentiles.p95,
            curve: portfolio.total.lossExceedanceCurve,
            trials: portfolio.trials,
            seed: portfolio.seed,
          }
        : null,
      source: riskSource,
      portfolioSource,
    },
    priorities: {
      plan: {
        budget,
        totalCost: plan.totalCost,
        totalReduction: plan.totalReduction,
        roadmap: plan.roadmap.map((q) => ({
          quarter: q.quarter,
          cost: q.cost,
          actions: q.actions.map((a) => ({ title: a.title, cost: a.cost, reduction: a.reduction })),
        })),
      },
      actions: actions.items
        .filter((a) => a.status !== 'cancelled')
        .map((a) => ({
          title: a.title,
          owner: a.owner,
          dueDate: a.dueDate,
          status: a.status,
          cost: a.cost,
          reduction: planById.get(a.id)?.reduction ?? null,
          chosen: planById.get(a.id)?.chosen ?? false,
          quarter: quarterOf.get(a.id) ?? null,
        }))
        .sort((a, b) => Number(b.chosen) - Number(a.chosen) || (b.reduction ?? -1) - (a.reduction ?? -1)),
      objectives: objectives.items.map((o) => ({
        title: o.title,
        description: o.description,
        owner: o.owner,
        dueDate: o.dueDate,
      })),
      kpis: objectives.items.flatMap((o) =>
        o.kpis.map((k) => {
          const measured = opts.kpiMeasures?.get(k.id);
          return {
            objective: o.title,
            name: k.name,
            unit: k.unit,
            current: measured ? measured.current : k.current,
            target: k.target,
            direction: k.direction,
            progress: measured ? measured.progress : k.progress,
            measuredBy: measured
              ? `indicator:${measured.measuredBy}`
              : k.source === 'pending'
                ? `pending:${k.sourceModule ?? ''}`
                : 'manual',
            dueDate: o.dueDate,
          };
        }),
      ),
      source: planSource,
      objectivesSource,
    },
    baseline: { assessment: baseline, source: baselineSource },
    sharing: {
      communities: communities.items.map((c) => c.name),
      feeds: feeds.items.map((f) => ({ name: f.name, lastRunAt: f.lastRunAt, lastStatus: f.lastStatus })),
      intelByTlp,
      kev: {
        openFindings: openFindings.total,
        openKev: kevFindings.total,
        kevSystems: new Set(kevFindings.items.map((f) => f.systemId)).size,
        kevOverdue: kevFindings.items.filter((f) => f.dueDate !== null && f.dueDate < today).length,
      },
      source: sharingSource,
      kevSource,
    },
    incidents: {
      playbooks: playbooks.items.map((p) => ({ title: p.playbook.title, own: p.source === 'organization' })),
      exercises: exercises.items
        .filter((e) => e.tlp !== 'red' && e.detectedAt >= yearAgo)
        .map((e) => ({ title: e.title, date: e.detectedAt }))
        .sort((a, b) => b.date.getTime() - a.date.getTime()),
      byType: [...typeCounts.entries()]
        .map(([type, count]) => {
          const g = metrics.items.find((x) => x.key === type);
          return {
            type,
            count,
            detectH: hours(g?.median.timeToDetectMs),
            containH: hours(g?.median.timeToContainMs),
            recoverH: hours(g?.median.timeToRecoverMs),
          };
        })
        .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      regimes: [...regimes.values()],
      source: incidentSource,
    },
    workforce: {
      people: dash.people,
      trainingCompletion: dash.trainingCompletion,
      overdue: dash.overdue,
      clickRate: phishing.overall.clickRate,
      reportRate: phishing.overall.reportRate,
      byDepartment: dash.byDepartment.map((d) => ({
        name: d.name,
        people: d.people,
        completion: d.completion,
        clickRate: d.clickRate,
        reportRate: d.reportRate,
      })),
      roles: coverage.gaps.map((g) => ({
        role: roleName.get(g.roleId) ?? g.roleId,
        needed: g.needed,
        assigned: g.assigned,
      })),
      roleCoverage: coverage.coverage,
      source: workforceSource,
    },
    partners: {
      partners: partners.items.map((p) => ({
        name: p.name,
        category: p.category,
        services: p.services.join(', '),
      })),
      agreements: agreements.items
        .filter((a) => a.tlp !== 'red')
        .map((a) => ({
          title: a.title,
          partner: a.partnerName,
          kind: a.kind,
          status: a.status,
          endsAt: a.endsAt,
        })),
      roster: {
        contacts: roster.length,
        contacts247: roster.filter((c) => c.phone24x7).length,
        services: new Set(roster.map((c) => c.service).filter(Boolean)).size,
      },
      source: partnersSource,
    },
    maturity,
    sources,
  };
}
