import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { dueInjects, exerciseNow, type Scenario, SHIPPED_SCENARIOS } from '../../../core/incident/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { exerciseInjects, exerciseReviewItems, incidentExercises } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import { incidentsRepository as repo } from './incidents.repository.js';
import type { CreateReviewItem, PlanExercise, UpdateReviewItem } from './incidents.schemas.js';
import { assertMembers, incidentsService } from './incidents.service.js';

export type ExerciseRow = typeof incidentExercises.$inferSelect;
type ReviewRow = typeof exerciseReviewItems.$inferSelect;

const invalid = (message: string, path: string, detail = message) =>
  new AppError('validation', message, { errors: [{ path, message: detail }] });

const actorId = (ctx: Ctx) => (ctx.actor.via === 'system' ? null : ctx.actor.userId);
const actorLabel = (ctx: Ctx) => (ctx.actor.via === 'system' ? 'system' : ctx.actor.name || ctx.actor.email);

function elapsedMinutes(ex: ExerciseRow, real: Date): number {
  const now = exerciseNow(ex, real);
  return now && ex.startedAt ? (now.getTime() - ex.startedAt.getTime()) / 60_000 : 0;
}

const exRepo = {
  async byIncident(db: DbOrTx, orgId: string, incidentId: string): Promise<ExerciseRow | undefined> {
    const [r] = await db
      .select()
      .from(incidentExercises)
      .where(and(eq(incidentExercises.orgId, orgId), eq(incidentExercises.incidentId, incidentId)));
    return r;
  },
  async running(db: DbOrTx): Promise<ExerciseRow[]> {
    return db
      .select()
      .from(incidentExercises)
      .where(and(isNotNull(incidentExercises.startedAt), isNull(incidentExercises.endedAt)));
  },
  async injects(db: DbOrTx, incidentId: string) {
    return db
      .select()
      .from(exerciseInjects)
      .where(eq(exerciseInjects.incidentId, incidentId))
      .orderBy(asc(exerciseInjects.releasedAt));
  },
  async review(db: DbOrTx, orgId: string, incidentId: string): Promise<ReviewRow[]> {
    return db
      .select()
      .from(exerciseReviewItems)
      .where(and(eq(exerciseReviewItems.orgId, orgId), eq(exerciseReviewItems.incidentId, incidentId)))
      .orderBy(asc(exerciseReviewItems.createdAt), asc(exerciseReviewItems.id));
  },
};

async function released(
  tx: DbOrTx,
  ctx: Ctx,
  ex: ExerciseRow,
  inject: Scenario['injects'][number],
  mode: 'schedule' | 'facilitator',
  now: Date,
) {
  const incident = await repo.byId(tx, ex.orgId, ex.incidentId);
  if (!incident) return;
  const [row] = await tx
    .insert(exerciseInjects)
    .values({
      orgId: ex.orgId,
      incidentId: ex.incidentId,
      injectId: inject.id,
      mode,
      releasedAt: now,
      exerciseMinute: Math.round(elapsedMinutes(ex, now) * 10) / 10,
      releasedBy: actorId(ctx),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return;
  await repo.insertTimeline(tx, [
    {
      orgId: ex.orgId,
      incidentId: ex.incidentId,
      kind: 'inject',
      text: `Inject ${inject.id} released${mode === 'facilitator' ? ' by the facilitator' : ''}: ${inject.title}`,
      ref: inject.id,
      occurredAt: now,
      actorId: actorId(ctx),
      actorLabel: actorLabel(ctx),
    },
  ]);
  await auditService.record(tx, ctx, {
    orgId: ex.orgId,
    action: 'incident.exercise.inject',
    targetType: 'incident',
    targetId: ex.incidentId,
    after: row,
  });
  return row;
}

function scenarioOf(ex: ExerciseRow): Scenario {
  return ex.scenario as Scenario;
}

export const exercisesService = {
  async scenarios(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    return { items: SHIPPED_SCENARIOS };
  },

  async load(ctx: Ctx, orgId: string, incidentId: string, permission: 'data.read' | 'data.write') {
    const { org, incident } = await incidentsService.load(ctx, orgId, incidentId, permission);
    const ex = await exRepo.byIncident(ctx.db, orgId, incidentId);
    if (!ex) throw notFound('Exercise', incidentId);
    return { org, incident, ex };
  },

  async view(ctx: Ctx, orgId: string, incidentId: string, real = new Date()) {
    const { ex } = await exercisesService.load(ctx, orgId, incidentId, 'data.read');
    return exercisesService.viewOf(ctx.db, ex, real);
  },

  async viewOf(db: DbOrTx, ex: ExerciseRow, real: Date) {
    const scenario = scenarioOf(ex);
    const rows = await exRepo.injects(db, ex.incidentId);
    const done = new Set(rows.map((r) => r.injectId));
    const minutes = elapsedMinutes(ex, real);
    const due = ex.startedAt && !ex.endedAt ? dueInjects(scenario, minutes, done).map((i) => i.id) : [];
    const review = await exRepo.review(db, ex.orgId, ex.incidentId);
    const actions = review.filter((r) => r.kind === 'action');
    return {
      incidentId: ex.incidentId,
      scenario,
      facilitatorId: ex.facilitatorId,
      participants: ex.participants,
      timeScale: ex.timeScale,
      state: ex.endedAt ? ('ended' as const) : ex.startedAt ? ('running' as const) : ('planned' as const),
      startedAt: ex.startedAt,
      endedAt: ex.endedAt,
      exerciseNow: exerciseNow(ex, real),
      elapsedMinutes: Math.round(minutes * 10) / 10,
      injects: scenario.injects.map((i) => {
        const r = rows.find((x) => x.injectId === i.id);
        return {
          ...i,
          status: r ? ('released' as const) : due.includes(i.id) ? ('due' as const) : ('pending' as const),
          releasedAt: r?.releasedAt ?? null,
          releasedMode: r?.mode ?? null,
          exerciseMinute: r?.exerciseMinute ?? null,
        };
      }),
      review: review.map(reviewOut),
      actions: {
        open: actions.filter((a) => a.status !== 'done').length,
        done: actions.filter((a) => a.status === 'done').length,
      },
    };
  },

  async plan(ctx: Ctx, orgId: string, input: z.infer<typeof PlanExercise>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const scenario = SHIPPED_SCENARIOS.find((s) => s.id === input.scenarioId);
    if (!scenario) {
      throw invalid(
        `Unknown scenario "${input.scenarioId}"`,
        'scenarioId',
        `one of ${SHIPPED_SCENARIOS.map((s) => s.id).join(', ')}`,
      );
    }
    await assertMembers(ctx.db, org, [input.facilitatorId], 'facilitatorId');
    await assertMembers(
      ctx.db,
      org,
      input.participants.map((p) => p.userId),
      'participants',
    );
    const bad = input.participants.findIndex((p) => !scenario.participants.includes(p.role as never));
    if (bad >= 0) {
      throw invalid(
        `Role "${input.participants[bad].role}" is not in the scenario`,
        `participants.${bad}.role`,
        `one of ${scenario.participants.join(', ')}`,
      );
    }
    return ctx.db.transaction(async (tx) => {
      const incident = await incidentsService.create({ ...ctx, db: tx }, orgId, {
        title: input.title ?? `Exercise: ${scenario.title}`,
        summary: `Tabletop exercise, scenario "${scenario.title}" v${scenario.version}. Objectives: ${scenario.objectives.join('; ')}`,
        type: scenario.incidentType,
        tlp: 'green',
        exercise: true,
        playbook: scenario.playbookId,
        leadId: input.facilitatorId,
        team: [],
        attackTechniques: [],
        affected: [],
        facts: input.facts,
        timeZone: input.timeZone,
        severity: null,
      });
      const [ex] = await tx
        .insert(incidentExercises)
        .values({
          incidentId: incident.id,
          orgId,
          scenarioId: scenario.id,
          scenarioVersion: scenario.version,
          scenario,
          facilitatorId: input.facilitatorId,
          participants: input.participants.map((p) => ({ ...p, userId: p.userId ?? null })),
          timeScale: input.timeScale,
        })
        .returning();
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.exercise.plan',
        targetType: 'incident',
        targetId: incident.id,
        after: ex,
      });
      return exercisesService.viewOf(tx, ex, new Date());
    });
  },

  async start(ctx: Ctx, orgId: string, incidentId: string) {
    const { ex, incident } = await exercisesService.load(ctx, orgId, incidentId, 'data.write');
    if (ex.startedAt) throw new AppError('conflict', 'The exercise has already started');
    const now = new Date();
    return ctx.db.transaction(async (tx) => {
      const [after] = await tx
        .update(incidentExercises)
        .set({ startedAt: now })
        .where(eq(incidentExercises.incidentId, incidentId))
        .returning();
      // Exercise time starts now: detection and awareness (the clocks' start) move with it.
      await repo.update(tx, incidentId, { detectedAt: now, awarenessAt: now, occurredAt: null });
      await repo.insertTimeline(tx, [
        {
          orgId,
          incidentId,
          kind: 'exercise',
          text: `Exercise started: scenario "${scenarioOf(ex).title}", ${ex.timeScale} exercise minute(s) per minute`,
          occurredAt: now,
          actorId: actorId(ctx),
          actorLabel: actorLabel(ctx),
        },
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.exercise.start',
        targetType: 'incident',
        targetId: incident.id,
        before: ex,
        after,
      });
      return exercisesService.viewOf(tx, after, now);
    });
  },

  async release(ctx: Ctx, orgId: string, incidentId: string, injectId: string) {
    const { ex } = await exercisesService.load(ctx, orgId, incidentId, 'data.write');
    const inject = scenarioOf(ex).injects.find((i) => i.id === injectId);
    if (!inject) throw notFound('Inject', injectId);
    if (!ex.startedAt || ex.endedAt) {
      throw new AppError('conflict', ex.endedAt ? 'The exercise has ended' : 'Start the exercise first');
    }
    const now = new Date();
    return ctx.db.transaction(async (tx) => {
      const row = await released(tx, ctx, ex, inject, 'facilitator', now);
      if (!row) throw new AppError('conflict', `Inject ${injectId} was already released`);
      return exercisesService.viewOf(tx, ex, now);
    });
  },

  /** The job behind scheduled injects: releases every inject whose time has come in a running exercise. */
  async releaseDue(ctx: Ctx, real = new Date()) {
    let count = 0;
    for (const ex of await exRepo.running(ctx.db)) {
      await orgsService.access(ctx, ex.orgId, 'data.write');
      const done = new Set((await exRepo.injects(ctx.db, ex.incidentId)).map((r) => r.injectId));
      for (const inject of dueInjects(scenarioOf(ex), elapsedMinutes(ex, real), done)) {
        await ctx.db.transaction(async (tx) => {
          if (await released(tx, ctx, ex, inject, 'schedule', real)) count++;
        });
      }
    }
    return { released: count };
  },

  async end(ctx: Ctx, orgId: string, incidentId: string) {
    const { ex, incident } = await exercisesService.load(ctx, orgId, incidentId, 'data.write');
    if (!ex.startedAt) throw new AppError('conflict', 'The exercise has not started');
    if (ex.endedAt) throw new AppError('conflict', 'The exercise has already ended');
    const now = new Date();
    return ctx.db.transaction(async (tx) => {
      const [after] = await tx
        .update(incidentExercises)
        .set({ endedAt: now })
        .where(eq(incidentExercises.incidentId, incidentId))
        .returning();
      if (incident.status !== 'closed') {
        await repo.update(tx, incidentId, { status: 'closed', closedAt: now });
        await repo.insertTransition(tx, {
          orgId,
          incidentId,
          fromStatus: incident.status,
          toStatus: 'closed',
          kind: 'allowed-skip',
          reason: 'Tabletop exercise ended',
          at: now,
          actorId: actorId(ctx),
        });
      }
      await repo.insertTimeline(tx, [
        {
          orgId,
          incidentId,
          kind: 'exercise',
          text: 'Exercise ended',
          occurredAt: now,
          actorId: actorId(ctx),
          actorLabel: actorLabel(ctx),
        },
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.exercise.end',
        targetType: 'incident',
        targetId: incidentId,
        before: ex,
        after,
      });
      return exercisesService.viewOf(tx, after, now);
    });
  },

  async addReviewItem(ctx: Ctx, orgId: string, incidentId: string, input: z.infer<typeof CreateReviewItem>) {
    const { org, ex } = await exercisesService.load(ctx, orgId, incidentId, 'data.write');
    if (input.kind !== 'action' && (input.assigneeId || input.dueAt)) {
      throw invalid('Only improvement actions have an assignee and a due date', 'kind', 'use kind "action"');
    }
    await assertMembers(ctx.db, org, [input.assigneeId], 'assigneeId');
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(exerciseReviewItems)
        .values({
          orgId,
          incidentId: ex.incidentId,
          kind: input.kind,
          text: input.text,
          assigneeId: input.kind === 'action' ? (input.assigneeId ?? null) : null,
          dueAt: input.kind === 'action' ? (input.dueAt ?? null) : null,
          status: input.kind === 'action' ? 'open' : null,
        })
        .returning();
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.exercise.review.add',
        targetType: 'incident_exercise_review_item',
        targetId: row.id,
        after: row,
      });
      return reviewOut(row);
    });
  },

  async updateReviewItem(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    itemId: string,
    patch: z.infer<typeof UpdateReviewItem>,
  ) {
    const { org } = await exercisesService.load(ctx, orgId, incidentId, 'data.write');
    const [before] = await ctx.db
      .select()
      .from(exerciseReviewItems)
      .where(
        and(
          eq(exerciseReviewItems.orgId, orgId),
          eq(exerciseReviewItems.incidentId, incidentId),
          eq(exerciseReviewItems.id, itemId),
        ),
      );
    if (!before) throw notFound('Review item', itemId);
    if (
      before.kind !== 'action' &&
      (patch.status || patch.assigneeId !== undefined || patch.dueAt !== undefined)
    ) {
      throw invalid('Only improvement actions have a status, an assignee and a due date', 'status');
    }
    if (patch.assigneeId !== undefined) await assertMembers(ctx.db, org, [patch.assigneeId], 'assigneeId');
    const now = new Date();
    return ctx.db.transaction(async (tx) => {
      const completedAt =
        patch.status === undefined
          ? before.completedAt
          : patch.status === 'done'
            ? (before.completedAt ?? now)
            : null;
      const [after] = await tx
        .update(exerciseReviewItems)
        .set({ ...patch, completedAt, updatedAt: now })
        .where(eq(exerciseReviewItems.id, itemId))
        .returning();
      if (patch.status === 'done' && before.status !== 'done') {
        await repo.insertTimeline(tx, [
          {
            orgId,
            incidentId,
            kind: 'exercise',
            text: `Improvement action completed: ${after.text}`,
            ref: itemId,
            occurredAt: now,
            actorId: actorId(ctx),
            actorLabel: actorLabel(ctx),
          },
        ]);
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.exercise.review.update',
        targetType: 'incident_exercise_review_item',
        targetId: itemId,
        before,
        after,
      });
      return reviewOut(after);
    });
  },

  /** Improvement actions of every exercise of the organization, to track them to completion. */
  async actions(ctx: Ctx, orgId: string, status: 'open' | 'done' | 'all', limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const rows = (
      await ctx.db
        .select()
        .from(exerciseReviewItems)
        .where(and(eq(exerciseReviewItems.orgId, orgId), eq(exerciseReviewItems.kind, 'action')))
        .orderBy(asc(exerciseReviewItems.dueAt), asc(exerciseReviewItems.createdAt))
    ).filter((r) => status === 'all' || (status === 'done' ? r.status === 'done' : r.status !== 'done'));
    return { items: rows.slice(offset, offset + limit).map(reviewOut), total: rows.length, limit, offset };
  },
};

function reviewOut(r: ReviewRow) {
  return {
    id: r.id,
    incidentId: r.incidentId,
    kind: r.kind,
    text: r.text,
    assigneeId: r.assigneeId,
    dueAt: r.dueAt,
    status: r.status,
    completedAt: r.completedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
