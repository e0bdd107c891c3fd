import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  DistributionError,
  defaultMatrix,
  expectedAnnualLoss,
  FairError,
  type FairScenario,
  heatMap,
  layoutRoadmap,
  MatrixError,
  nextReviewDate,
  optimizePlan,
  type PlanAction,
  PlanError,
  type RiskMatrix,
  riskLevel,
  simulate,
  simulatePortfolio,
  validateMatrix,
  validateScenario,
  whatIf,
} from '../../../core/risk/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { FairInputs, Kpi, StoredSimulation } from '../../db/schema/risks.js';
import { AppError, notFound } from '../../errors.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import { RISK_LIBRARY } from './risks.library.js';
import {
  type ActionRow,
  actionsRepository,
  type ObjectiveRow,
  objectivesRepository,
  type RiskRow,
  risksRepository,
} from './risks.repository.js';
import type {
  AcceptRisk,
  CreateAction,
  CreateObjective,
  CreateRisk,
  UpdateAction,
  UpdateObjective,
  UpdateRisk,
} from './risks.schemas.js';

const invalid = (field: string, message: string): AppError =>
  new AppError('validation', `${field}: ${message}`, { errors: [{ path: field, message }] });

/** Turns the core libraries' field-naming errors into 422 problems. */
function asValidation(e: unknown, prefix = ''): never {
  if (
    e instanceof MatrixError ||
    e instanceof DistributionError ||
    e instanceof FairError ||
    e instanceof PlanError
  ) {
    const field = `${prefix}${e.field}`.replace(/^scenario\.?/, prefix ? prefix.replace(/\.$/, '') : 'fair');
    throw invalid(field || 'fair', e.message.slice(e.message.indexOf(': ') + 2));
  }
  throw e;
}

function toScenario(id: string, fair: FairInputs): FairScenario {
  return { id, ...fair } as FairScenario;
}

function checkFair(fair: FairInputs | null | undefined) {
  if (!fair) return;
  try {
    validateScenario(toScenario('x', fair), 'fair');
  } catch (e) {
    if (e instanceof DistributionError || e instanceof FairError)
      throw invalid(
        e.field.startsWith('fair') ? e.field : `fair.${e.field}`,
        e.message.slice(e.field.length + 2),
      );
    throw e;
  }
}

function checkRating(
  matrix: RiskMatrix,
  l: number | null | undefined,
  i: number | null | undefined,
  kind: string,
) {
  if (l != null && l > matrix.likelihoods.length)
    throw invalid(
      `${kind}Likelihood`,
      `the matrix has ${matrix.likelihoods.length} likelihood steps, got ${l}`,
    );
  if (i != null && i > matrix.impacts.length)
    throw invalid(`${kind}Impact`, `the matrix has ${matrix.impacts.length} impact steps, got ${i}`);
}

function level(matrix: RiskMatrix, l: number, i: number) {
  const r = riskLevel(matrix, l, i);
  return { id: r.level.id, name: r.level.name, colour: r.level.colour, score: r.score };
}

export function publicRisk(matrix: RiskMatrix, r: RiskRow) {
  const inherent = level(matrix, r.inherentLikelihood, r.inherentImpact);
  const hasResidual = r.residualLikelihood !== null && r.residualImpact !== null;
  const residual = hasResidual ? level(matrix, r.residualLikelihood!, r.residualImpact!) : null;
  const current = hasResidual
    ? { likelihood: r.residualLikelihood!, impact: r.residualImpact! }
    : { likelihood: r.inherentLikelihood, impact: r.inherentImpact };
  return {
    ...r,
    inherent,
    residual,
    residualExceedsInherent:
      hasResidual && (r.residualLikelihood! > r.inherentLikelihood || r.residualImpact! > r.inherentImpact),
    nextReviewOn: nextReviewDate(matrix, current, r.lastReviewedAt ?? r.createdAt)
      .toISOString()
      .slice(0, 10),
    expectedAnnualLoss: r.fair ? expectedAnnualLoss(toScenario(r.id, r.fair)) : null,
  };
}

function kpiProgress(k: Kpi): number | null {
  if (k.current === null || k.target === 0) return null;
  const p = k.direction === 'increase' ? k.current / k.target : k.current === 0 ? 1 : k.target / k.current;
  return Math.max(0, Math.min(1, p));
}

function publicObjective(o: ObjectiveRow) {
  return { ...o, kpis: o.kpis.map((k) => ({ ...k, progress: kpiProgress(k) })) };
}

async function event(
  tx: DbOrTx,
  ctx: Ctx,
  r: { orgId: string; id: string },
  action: string,
  fromStatus: string | null,
  toStatus: string | null,
  note = '',
) {
  await risksRepository.addEvent(tx, {
    orgId: r.orgId,
    riskId: r.id,
    actorLabel: ctx.actor.via === 'system' ? 'system' : ctx.actor.email,
    action,
    fromStatus,
    toStatus,
    note,
  });
}

async function checkNodes(tx: DbOrTx, orgId: string, ids: { serviceIds?: string[]; systemIds?: string[] }) {
  const unknown = await assetsService.unknownNodes(tx, orgId, ids);
  if (unknown.length > 0) {
    throw new AppError('validation', `${unknown[0].field}: no such service or system in this organization`, {
      errors: unknown.map((u) => ({
        path: u.field,
        message: `no ${u.field.startsWith('service') ? 'service' : 'system'} ${u.id} in this organization`,
      })),
    });
  }
}

function storedSimulation(r: ReturnType<typeof simulate>): StoredSimulation {
  return {
    seed: r.seed,
    trials: r.trials,
    meanAnnualLoss: r.meanAnnualLoss,
    stdev: r.stdev,
    min: r.min,
    max: r.max,
    percentiles: r.percentiles,
    lossExceedanceCurve: r.lossExceedanceCurve,
    probabilityOfEvent: r.frequency.probabilityOfEvent,
    meanEvents: r.frequency.meanEvents,
    ranAt: new Date().toISOString(),
  };
}

function currentQuarter(d = new Date()): string {
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

export const risksService = {
  async matrixOf(db: DbOrTx, orgId: string): Promise<RiskMatrix> {
    return (await risksRepository.matrix(db, orgId)) ?? defaultMatrix();
  },

  async getMatrix(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const matrix = await risksService.matrixOf(ctx.db, orgId);
    return {
      matrix,
      heatMap: heatMap(matrix).map((row) =>
        row.map((c) => ({ likelihood: c.likelihood, impact: c.impact, score: c.score, levelId: c.level.id })),
      ),
    };
  },

  async setMatrix(ctx: Ctx, orgId: string, matrix: RiskMatrix) {
    await orgsService.access(ctx, orgId, 'data.admin');
    try {
      validateMatrix(matrix);
    } catch (e) {
      asValidation(e, 'matrix.');
    }
    await ctx.db.transaction(async (tx) => {
      const before = await risksService.matrixOf(tx, orgId);
      const used = await risksRepository.maxRatings(tx, orgId);
      if (used.l > matrix.likelihoods.length || used.i > matrix.impacts.length) {
        throw new AppError(
          'conflict',
          `Existing risks are rated up to likelihood ${used.l} and impact ${used.i}: the matrix must keep at least that many steps (re-rate those risks first)`,
        );
      }
      await risksRepository.setMatrix(tx, orgId, matrix);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'risk.matrix.update',
        targetType: 'risk_matrix',
        targetId: orgId,
        before,
        after: matrix,
      });
    });
    return risksService.getMatrix(ctx, orgId);
  },

  async list(
    ctx: Ctx,
    orgId: string,
    f: {
      q?: string;
      status?: string;
      level?: string;
      technique?: string;
      sort?: string;
      limit: number;
      offset: number;
    },
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const matrix = await risksService.matrixOf(ctx.db, orgId);
    let items = (await risksRepository.all(ctx.db, orgId, f)).map((r) => publicRisk(matrix, r));
    if (f.level) items = items.filter((r) => (r.residual ?? r.inherent).id === f.level);
    const sort = f.sort ?? '-inherent';
    const dir = sort.startsWith('-') ? -1 : 1;
    const key = sort.replace(/^-/, '');
    const value = (r: (typeof items)[number]): number | string =>
      key === 'title'
        ? r.title.toLowerCase()
        : key === 'inherent'
          ? r.inherent.score
          : key === 'ale'
            ? (r.simulation?.meanAnnualLoss ?? r.expectedAnnualLoss ?? -1)
            : r.updatedAt.getTime();
    items.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      return (x < y ? -1 : x > y ? 1 : 0) * dir || a.id.localeCompare(b.id);
    });
    return {
      items: items.slice(f.offset, f.offset + f.limit),
      total: items.length,
      limit: f.limit,
      offset: f.offset,
    };
  },

  async get(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const r = await risksRepository.byId(ctx.db, orgId, id);
    if (!r) throw notFound('Risk', id);
    return publicRisk(await risksService.matrixOf(ctx.db, orgId), r);
  },

  async create(ctx: Ctx, orgId: string, input: z.infer<typeof CreateRisk>, libraryKey: string | null = null) {
    await orgsService.access(ctx, orgId, 'data.write');
    if (input.treatment === 'accept' && input.status === 'closed')
      throw invalid('status', 'an accepted risk stays open until it expires');
    checkFair(input.fair);
    const { reviewed, note, ...fields } = input;
    const row = await ctx.db.transaction(async (tx) => {
      const matrix = await risksService.matrixOf(tx, orgId);
      checkRating(matrix, input.inherentLikelihood, input.inherentImpact, 'inherent');
      checkRating(matrix, input.residualLikelihood, input.residualImpact, 'residual');
      await checkNodes(tx, orgId, input);
      const r = await risksRepository.insert(tx, {
        ...fields,
        orgId,
        status: input.status ?? 'open',
        fair: input.fair ?? null,
        libraryKey,
        lastReviewedAt: reviewed ? new Date() : null,
      });
      await event(tx, ctx, r, 'created', null, r.status, note ?? '');
      await auditService.record(tx, ctx, {
        orgId,
        action: 'risk.create',
        targetType: 'risk',
        targetId: r.id,
        after: r,
      });
      return r;
    });
    return publicRisk(await risksService.matrixOf(ctx.db, orgId), row);
  },

  async update(ctx: Ctx, orgId: string, id: string, patch: z.infer<typeof UpdateRisk>) {
    await orgsService.access(ctx, orgId, 'data.write');
    checkFair(patch.fair);
    const { reviewed, note, ...fields } = patch;
    const row = await ctx.db.transaction(async (tx) => {
      const before = await risksRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Risk', id);
      const matrix = await risksService.matrixOf(tx, orgId);
      checkRating(matrix, patch.inherentLikelihood, patch.inherentImpact, 'inherent');
      checkRating(matrix, patch.residualLikelihood, patch.residualImpact, 'residual');
      await checkNodes(tx, orgId, patch);
      const set: Parameters<typeof risksRepository.update>[2] = { ...fields };
      if (reviewed) set.lastReviewedAt = new Date();
      // Changing the treatment away from acceptance, or the estimates, voids an approval.
      if (before.status === 'accepted' && patch.treatment !== undefined && patch.treatment !== 'accept') {
        Object.assign(set, {
          acceptedBy: null,
          acceptedAt: null,
          acceptanceExpiresOn: null,
          status: patch.status ?? 'treating',
        });
      }
      if (patch.fair !== undefined) set.simulation = null;
      const after = await risksRepository.update(tx, id, set);
      if (after.status !== before.status || after.treatment !== before.treatment) {
        await event(
          tx,
          ctx,
          after,
          after.treatment !== before.treatment ? `treatment: ${after.treatment ?? 'none'}` : 'status',
          before.status,
          after.status,
          note ?? '',
        );
      } else if (reviewed || note) {
        await event(tx, ctx, after, reviewed ? 'reviewed' : 'note', after.status, after.status, note ?? '');
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: 'risk.update',
        targetType: 'risk',
        targetId: id,
        before,
        after,
      });
      return after;
    });
    return publicRisk(await risksService.matrixOf(ctx.db, orgId), row);
  },

  /** Acceptance is a decision: it needs data.analyze, names the approver and expires. */
  async accept(ctx: Ctx, orgId: string, id: string, input: z.infer<typeof AcceptRisk>) {
    await orgsService.access(ctx, orgId, 'data.analyze');
    const today = new Date().toISOString().slice(0, 10);
    if (input.expiresOn <= today)
      throw invalid('expiresOn', `an acceptance must expire in the future (after ${today})`);
    const row = await ctx.db.transaction(async (tx) => {
      const before = await risksRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Risk', id);
      if (before.status === 'closed')
        throw new AppError('conflict', 'A closed risk cannot be accepted: reopen it first');
      const after = await risksRepository.update(tx, id, {
        treatment: 'accept',
        status: 'accepted',
        acceptedBy: ctx.actor.via === 'system' || ctx.actor.via === 'cli' ? null : ctx.actor.userId,
        acceptedAt: new Date(),
        acceptanceExpiresOn: input.expiresOn,
        acceptanceRationale: input.rationale,
        lastReviewedAt: new Date(),
      });
      await event(
        tx,
        ctx,
        after,
        `accepted until ${input.expiresOn}`,
        before.status,
        'accepted',
        input.rationale,
      );
      await auditService.record(tx, ctx, {
        orgId,
        action: 'risk.accept',
        targetType: 'risk',
        targetId: id,
        before,
        after,
      });
      return after;
    });
    return publicRisk(await risksService.matrixOf(ctx.db, orgId), row);
  },

  async remove(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await risksRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Risk', id);
      await risksRepository.delete(tx, id);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'risk.delete',
        targetType: 'risk',
        targetId: id,
        before,
      });
    });
  },

  async history(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    if (!(await risksRepository.byId(ctx.db, orgId, id))) throw notFound('Risk', id);
    return { items: await risksRepository.events(ctx.db, orgId, id) };
  },

  /** Runs the FAIR Monte Carlo for one risk and stores the result with its seed, so anyone can reproduce it. */
  async simulate(ctx: Ctx, orgId: string, id: string, opts: { seed?: number; trials?: number }) {
    await orgsService.access(ctx, orgId, 'data.write');
    const row = await ctx.db.transaction(async (tx) => {
      const before = await risksRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Risk', id);
      if (!before.fair) throw new AppError('conflict', 'This risk has no FAIR estimates yet: add them first');
      const seed = opts.seed ?? Date.now() % 2 ** 31;
      const result = simulate(toScenario(id, before.fair), { seed, trials: opts.trials ?? 10_000 });
      const after = await risksRepository.update(tx, id, { simulation: storedSimulation(result) });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'risk.simulate',
        targetType: 'risk',
        targetId: id,
        after: after.simulation,
      });
      return after;
    });
    return publicRisk(await risksService.matrixOf(ctx.db, orgId), row);
  },

  /** Ranked by quantified loss (the stored simulation, else the closed-form mean), the qualitative level beside it. */
  async ranking(ctx: Ctx, orgId: string) {
    const { items } = await risksService.list(ctx, orgId, { sort: '-ale', limit: 10_000, offset: 0 });
    return {
      items: items.map((r, k) => ({
        rank: k + 1,
        id: r.id,
        title: r.title,
        status: r.status,
        meanAnnualLoss: r.simulation?.meanAnnualLoss ?? r.expectedAnnualLoss,
        p90: r.simulation?.percentiles.p90 ?? null,
        quantified: r.fair !== null,
        simulated: r.simulation !== null,
        level: r.residual ?? r.inherent,
      })),
    };
  },

  async portfolio(ctx: Ctx, orgId: string, seed: number, trials: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const rows = (await risksRepository.all(ctx.db, orgId)).filter((r) => r.fair && r.status !== 'closed');
    if (rows.length === 0) return { seed, trials, risks: 0, total: null, scenarios: [] };
    const p = simulatePortfolio(
      rows.map((r) => toScenario(r.id, r.fair!)),
      { seed, trials },
    );
    const titles = new Map(rows.map((r) => [r.id, r.title]));
    const { samples: _s, ...total } = p.total;
    return {
      seed,
      trials,
      risks: rows.length,
      total,
      scenarios: p.scenarios.map((s) => ({
        id: s.scenarioId,
        title: titles.get(s.scenarioId) ?? s.scenarioId,
        meanAnnualLoss: s.meanAnnualLoss,
        percentiles: s.percentiles,
      })),
    };
  },

  library() {
    return { items: RISK_LIBRARY };
  },

  async adopt(ctx: Ctx, orgId: string, key: string) {
    const item = RISK_LIBRARY.find((s) => s.key === key);
    await orgsService.access(ctx, orgId, 'data.write');
    if (!item) throw notFound('Library scenario', key);
    return risksService.create(
      ctx,
      orgId,
      {
        title: item.title,
        threat: item.threat,
        scenario: item.scenario,
        attackTechniques: item.attackTechniques,
        inherentLikelihood: item.inherentLikelihood,
        inherentImpact: item.inherentImpact,
        fair: item.fair,
        note: `From the starter library (${item.key}): adapt the estimates to this city`,
      },
      item.key,
    );
  },

  // ------------------------------------------------------------ treatment actions
  async listActions(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const items = await actionsRepository.all(ctx.db, orgId);
    return { items, total: items.length };
  },

  async checkActionRefs(
    tx: DbOrTx,
    orgId: string,
    input: { riskIds?: string[]; requires?: string[]; objectiveIds?: string[] },
    selfId?: string,
  ) {
    for (const [k, oid] of (input.objectiveIds ?? []).entries()) {
      if (!(await objectivesRepository.byId(tx, orgId, oid)))
        throw invalid(`objectiveIds[${k}]`, `no objective ${oid} in this organization`);
    }
    for (const [k, rid] of (input.riskIds ?? []).entries()) {
      if (!(await risksRepository.byId(tx, orgId, rid)))
        throw invalid(`riskIds[${k}]`, `no risk ${rid} in this organization`);
    }
    for (const [k, aid] of (input.requires ?? []).entries()) {
      if (aid === selfId) throw invalid(`requires[${k}]`, 'an action cannot require itself');
      if (!(await actionsRepository.byId(tx, orgId, aid)))
        throw invalid(`requires[${k}]`, `no action ${aid} in this organization`);
    }
  },

  async createAction(ctx: Ctx, orgId: string, input: z.infer<typeof CreateAction>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      await risksService.checkActionRefs(tx, orgId, input);
      const a = await actionsRepository.insert(tx, { ...input, orgId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'treatment_action.create',
        targetType: 'treatment_action',
        targetId: a.id,
        after: a,
      });
      return a;
    });
  },

  async updateAction(ctx: Ctx, orgId: string, id: string, patch: z.infer<typeof UpdateAction>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const before = await actionsRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Treatment action', id);
      await risksService.checkActionRefs(tx, orgId, patch, id);
      const after = await actionsRepository.update(tx, id, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'treatment_action.update',
        targetType: 'treatment_action',
        targetId: id,
        before,
        after,
      });
      return after;
    });
  },

  async removeAction(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await actionsRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Treatment action', id);
      const dependents = (await actionsRepository.all(tx, orgId)).filter((a) => a.requires.includes(id));
      if (dependents.length > 0) {
        throw new AppError(
          'conflict',
          `"${dependents[0].title}" requires this action: remove that prerequisite first`,
        );
      }
      await actionsRepository.delete(tx, id);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'treatment_action.delete',
        targetType: 'treatment_action',
        targetId: id,
        before,
      });
    });
  },

  /**
   * Expected annual loss each open action removes: for every quantified risk it treats, the same simulated years
   * are replayed with and without the action (common random numbers), so small differences are not noise.
   */
  async actionReductions(actions: ActionRow[], risks: Map<string, RiskRow>, seed: number) {
    return actions.map((a) => {
      let reduction = 0;
      const notes: string[] = [];
      for (const rid of a.riskIds) {
        const r = risks.get(rid);
        if (!r?.fair) {
          if (r) notes.push(`"${r.title}" has no FAIR estimates`);
          continue;
        }
        if (!a.frequencyReduction && !a.magnitudeReduction) continue;
        const w = whatIf(
          toScenario(r.id, r.fair),
          {
            cost: a.cost,
            ...(a.frequencyReduction ? { frequencyReduction: a.frequencyReduction } : {}),
            ...(a.magnitudeReduction ? { magnitudeReduction: a.magnitudeReduction } : {}),
          },
          { seed, trials: 10_000 },
        );
        reduction += w.riskReduction;
      }
      if (!a.frequencyReduction && !a.magnitudeReduction)
        notes.push('no frequency or magnitude reduction given');
      return { action: a, reduction: Math.max(0, reduction), notes };
    });
  },

  /** The budget-constrained plan (exact knapsack with prerequisites) and its roadmap by quarter. */
  async plan(
    ctx: Ctx,
    orgId: string,
    q: { budget: number; startQuarter?: string; quarterlyCapacity?: number; seed: number },
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const [actions, riskRows] = await Promise.all([
      actionsRepository.all(ctx.db, orgId),
      risksRepository.all(ctx.db, orgId),
    ]);
    const open = actions.filter((a) => a.status === 'planned' || a.status === 'in_progress');
    const done = new Set(actions.filter((a) => a.status === 'done').map((a) => a.id));
    const openIds = new Set(open.map((a) => a.id));
    const values = await risksService.actionReductions(open, new Map(riskRows.map((r) => [r.id, r])), q.seed);
    const planActions: PlanAction[] = values.map((v) => ({
      id: v.action.id,
      name: v.action.title,
      cost: v.action.cost,
      reduction: v.reduction,
      // Prerequisites already done are satisfied; cancelled ones make the action impossible and are kept.
      requires: v.action.requires.filter((r) => !done.has(r)),
    }));
    // A prerequisite that is neither open nor done (cancelled or deleted) blocks its dependents.
    const blocked = planActions.filter((a) => a.requires?.some((r) => !openIds.has(r)));
    const plannable = planActions.filter((a) => !blocked.includes(a));
    let plan: ReturnType<typeof optimizePlan>;
    let roadmap: ReturnType<typeof layoutRoadmap>;
    try {
      plan = optimizePlan(plannable, q.budget);
      roadmap = layoutRoadmap(plan.chosen, {
        startQuarter: q.startQuarter ?? currentQuarter(),
        ...(q.quarterlyCapacity ? { quarterlyCapacity: q.quarterlyCapacity } : {}),
      });
    } catch (e) {
      asValidation(e);
    }
    const byId = new Map(values.map((v) => [v.action.id, v]));
    // The optimizer names actions by id; people read titles.
    const titled = (text: string) =>
      text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
        byId.has(id) ? `"${byId.get(id)!.action.title}"` : id,
      );
    return {
      budget: q.budget,
      seed: q.seed,
      method: plan.method,
      optimal: plan.optimal,
      totalCost: plan.totalCost,
      totalReduction: plan.totalReduction,
      budgetLeft: plan.budgetLeft,
      upperBound: plan.upperBound,
      reasoning: [
        ...plan.reasoning.map(titled),
        ...blocked.map((a) => `"${a.name}" is left out: one of its prerequisites was cancelled or deleted.`),
      ],
      actions: values.map((v) => {
        const d = plan.decisions.find((x) => x.id === v.action.id);
        return {
          id: v.action.id,
          title: v.action.title,
          cost: v.action.cost,
          reduction: v.reduction,
          chosen: d?.chosen ?? false,
          reason: d ? titled(d.reason) : 'a prerequisite was cancelled or deleted',
          notes: byId.get(v.action.id)?.notes ?? [],
        };
      }),
      roadmap: roadmap.map((qr) => ({
        quarter: qr.quarter,
        cost: qr.cost,
        notes: qr.notes.map(titled),
        actions: qr.actions.map((a) => ({
          id: a.id,
          title: a.name ?? a.id,
          cost: a.cost,
          reduction: a.reduction,
        })),
      })),
    };
  },

  // ------------------------------------------------------------ objectives and KPIs
  normalizeKpis(kpis: z.infer<typeof CreateObjective>['kpis']): Kpi[] {
    return (kpis ?? []).map((k, i) => {
      if (k.source === 'pending' && k.current != null) {
        throw invalid(
          `kpis[${i}].current`,
          'a KPI fed by another module has no value until that module provides it',
        );
      }
      if (k.indicatorKey && k.current != null) {
        throw invalid(`kpis[${i}].current`, 'a KPI measured by an indicator takes its value from live data');
      }
      if (k.source === 'pending' && !k.sourceModule) {
        throw invalid(`kpis[${i}].sourceModule`, 'name the module that will feed this KPI');
      }
      return {
        id: k.id ?? randomUUID(),
        name: k.name,
        unit: k.unit,
        target: k.target,
        current: k.source === 'pending' || k.indicatorKey ? null : (k.current ?? null),
        direction: k.direction,
        source: k.source,
        sourceModule: k.sourceModule ?? null,
        indicatorKey: k.indicatorKey ?? null,
      };
    });
  },

  async listObjectives(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const items = (await objectivesRepository.all(ctx.db, orgId)).map(publicObjective);
    return { items, total: items.length };
  },

  async createObjective(ctx: Ctx, orgId: string, input: z.infer<typeof CreateObjective>) {
    await orgsService.access(ctx, orgId, 'data.write');
    const kpis = risksService.normalizeKpis(input.kpis);
    return ctx.db.transaction(async (tx) => {
      const o = await objectivesRepository.insert(tx, { ...input, kpis, orgId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'objective.create',
        targetType: 'objective',
        targetId: o.id,
        after: o,
      });
      return publicObjective(o);
    });
  },

  async updateObjective(ctx: Ctx, orgId: string, id: string, patch: z.infer<typeof UpdateObjective>) {
    await orgsService.access(ctx, orgId, 'data.write');
    const kpis = patch.kpis ? risksService.normalizeKpis(patch.kpis) : undefined;
    return ctx.db.transaction(async (tx) => {
      const before = await objectivesRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Objective', id);
      const { kpis: _given, ...rest } = patch;
      const after = await objectivesRepository.update(tx, id, { ...rest, ...(kpis ? { kpis } : {}) });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'objective.update',
        targetType: 'objective',
        targetId: id,
        before,
        after,
      });
      return publicObjective(after);
    });
  },

  async removeObjective(ctx: Ctx, orgId: string, id: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await objectivesRepository.byId(tx, orgId, id);
      if (!before) throw notFound('Objective', id);
      await objectivesRepository.delete(tx, id);
      await actionsRepository.dropObjective(tx, orgId, id);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'objective.delete',
        targetType: 'objective',
        targetId: id,
        before,
      });
    });
  },
};
