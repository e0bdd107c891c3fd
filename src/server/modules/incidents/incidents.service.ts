import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import {
  applicableClocks,
  assertTimeZone,
  checkFacts,
  formatLocal,
  type IncidentEvents,
  type IncidentFacts,
  renderDraft,
  SHIPPED_RULES,
} from '../../../core/clocks/index.js';
import {
  aggregateMetrics,
  buildIncidentBundle,
  exerciseNow,
  matchIndicators,
  metrics,
  nextPhases,
  ObservableError,
  type Phase,
  type Playbook,
  SHIPPED_PLAYBOOKS,
  ShareError,
  type ShareOptions,
  scoreSeverity,
  severityHintsFromCascade,
  toSco,
  transition,
  validatePlaybook,
  WorkflowError,
} from '../../../core/incident/index.js';
import type { TlpLevel } from '../../../core/stix/index.js';
import type { Ctx, Permission } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import type { AffectedRef, ChecklistItem } from '../../db/schema/incidents.js';
import { AppError, type FieldError, notFound } from '../../errors.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import { intelService } from '../intel/intel.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import {
  type EvidenceMeta,
  type IncidentRow,
  type ObservableRow,
  incidentsRepository as repo,
  type TaskRow,
  type TransitionRow,
} from './incidents.repository.js';
import type {
  ChangeStatus,
  CreateCommunication,
  CreateIncident,
  CreateObservable,
  CreatePlaybook,
  CreateTask,
  CreateTimelineEntry,
  IndicatorHit as IndicatorHitOut,
  MarkSent,
  MetricsQuery,
  ShareIncident,
  TransferEvidence,
  UpdateIncident,
  UpdateTask,
} from './incidents.schemas.js';

/** A generous clock skew between a responder's laptop and the server; beyond it an entry is "in the future". */
const FUTURE_SKEW_MS = 60_000;
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
/** Observables per incident: enough for a large intrusion, small enough to match on every read. */
export const MAX_OBSERVABLES = 2000;

/** Allowed evidence by extension, with the type we store and, where the format has one, its leading bytes. */
export const EVIDENCE_TYPES: Record<string, { type: string; magic?: number[] }> = {
  pdf: { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46] },
  png: { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
  jpg: { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  jpeg: { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  zip: { type: 'application/zip', magic: [0x50, 0x4b, 0x03, 0x04] },
  pcap: { type: 'application/vnd.tcpdump.pcap' },
  pcapng: { type: 'application/x-pcapng', magic: [0x0a, 0x0d, 0x0d, 0x0a] },
  eml: { type: 'message/rfc822' },
  txt: { type: 'text/plain' },
  log: { type: 'text/plain' },
  csv: { type: 'text/csv' },
  json: { type: 'application/json' },
};

const invalid = (message: string, errors: FieldError[]) => new AppError('validation', message, { errors });

function actorLabel(ctx: Ctx): string {
  return ctx.actor.via === 'system' ? 'system' : ctx.actor.name || ctx.actor.email;
}
function actorId(ctx: Ctx): string | null {
  return ctx.actor.via === 'system' ? null : ctx.actor.userId;
}

function notInFuture(at: Date | null | undefined, path: string, now = new Date()) {
  if (at && at.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    throw invalid(`${path} is in the future`, [
      { path, message: `must not be after now (${now.toISOString()})` },
    ]);
  }
}

function checkTimeZone(tz: string) {
  try {
    assertTimeZone(tz);
  } catch (e) {
    throw invalid(`Unknown time zone "${tz}"`, [{ path: 'timeZone', message: (e as Error).message }]);
  }
}

function checkIncidentFacts(facts: Record<string, unknown>) {
  const problems = checkFacts(facts as IncidentFacts);
  if (problems.length) {
    throw invalid(
      `Invalid incident facts: ${problems.join('; ')}`,
      problems.map((message) => ({ path: 'facts', message })),
    );
  }
}

function severityColumns(input: unknown) {
  if (input === null) {
    return {
      severityInput: null,
      severityScore: null,
      severityLevel: null,
      severityName: null,
      severityExplanation: null,
    };
  }
  const r = scoreSeverity(input);
  return {
    severityInput: input,
    severityScore: r.score,
    severityLevel: r.level.level,
    severityName: r.level.name,
    severityExplanation: { contributions: r.explanation, overrides: r.overrides, meaning: r.level.meaning },
  };
}

/** Lead, team and assignees must hold a role in the organization itself (directly or inherited from above). */
export async function assertMembers(
  db: DbOrTx,
  org: OrgRow,
  ids: (string | null | undefined)[],
  path: string,
) {
  for (const id of ids) {
    if (!id) continue;
    const grants = await orgsDirectory.grantsOf(db, id);
    const member = grants.some((g) => g.orgId === org.id || (g.inherit && org.path.startsWith(g.orgPath)));
    if (!member) {
      throw invalid(`User ${id} is not a member of this organization`, [
        { path, message: `user ${id} is not a member of ${org.name}` },
      ]);
    }
  }
}

/**
 * Affected services and systems must exist in the organization's city model; their names are taken from it.
 * Reads the model without a permission check: callers have checked theirs on the same organization.
 */
async function resolveAffected(
  db: DbOrTx,
  orgId: string,
  input: readonly { kind: 'service' | 'system'; ref: string }[],
): Promise<AffectedRef[]> {
  if (!input.length) return [];
  const g = await assetsService.loadGraph(db, orgId);
  const out: AffectedRef[] = [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.forEach((a, k) => {
    const row = a.kind === 'service' ? g.services.get(a.ref) : g.systems.get(a.ref);
    if (!row) {
      errors.push({
        path: `affected.${k}.ref`,
        message: `no ${a.kind} ${a.ref} in this organization's city model`,
      });
      return;
    }
    if (seen.has(a.ref)) return;
    seen.add(a.ref);
    out.push({ kind: a.kind, ref: a.ref, name: row.name });
  });
  if (errors.length) throw invalid('Unknown affected services or systems', errors);
  return out;
}

interface ResolvedPlaybook {
  ref: string;
  playbook: Playbook;
}

async function resolvePlaybook(db: DbOrTx, orgId: string, ref: string): Promise<ResolvedPlaybook> {
  const shipped = SHIPPED_PLAYBOOKS.find((p) => p.id === ref);
  if (shipped) return { ref, playbook: shipped };
  if (/^[0-9a-f-]{36}$/i.test(ref)) {
    const row = await repo.playbook(db, orgId, ref);
    if (row) return { ref: row.id, playbook: row.body as Playbook };
  }
  throw invalid(`Unknown playbook "${ref}"`, [
    {
      path: 'playbook',
      message: `use a shipped playbook (${SHIPPED_PLAYBOOKS.map((p) => p.id).join(', ')}) or one of the organization's`,
    },
  ]);
}

function timelineOf(
  ctx: Ctx,
  i: IncidentRow,
  kind: string,
  text: string,
  occurredAt: Date,
  ref: string | null = null,
) {
  return {
    orgId: i.orgId,
    incidentId: i.id,
    kind,
    text,
    ref,
    occurredAt,
    actorId: actorId(ctx),
    actorLabel: actorLabel(ctx),
  };
}

function metricsOf(i: IncidentRow, transitions: TransitionRow[]) {
  return metrics({
    type: i.type,
    occurredAt: i.occurredAt ?? undefined,
    detectedAt: i.detectedAt,
    transitions: transitions.map((t) => ({ to: t.toStatus as Phase, at: t.at })),
  });
}

function csvCell(v: string): string {
  // A cell starting like a formula would run in a spreadsheet that opens the export.
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function clockEvents(i: IncidentRow, sent: Record<string, Date>): IncidentEvents {
  return {
    awareness: i.awarenessAt ?? i.detectedAt,
    breachDetermined: i.breachDeterminedAt ?? undefined,
    reasonableBelief: i.reasonableBeliefAt ?? undefined,
    ransomPaid: i.ransomPaidAt ?? undefined,
    notificationSent: sent,
  };
}

export const incidentsService = {
  async load(ctx: Ctx, orgId: string, incidentId: string, permission: Permission) {
    const org = await orgsService.access(ctx, orgId, permission);
    const incident = await repo.byId(ctx.db, orgId, incidentId);
    if (!incident) throw notFound('Incident', incidentId);
    return { org, incident };
  },

  async view(db: DbOrTx, i: IncidentRow) {
    const people = await repo.people(db, [...(i.leadId ? [i.leadId] : []), ...i.team]);
    const byId = new Map(people.map((p) => [p.id, p]));
    const transitions = await repo.transitions(db, i.orgId, [i.id]);
    const next = nextPhases(i.status as Phase);
    return {
      ...i,
      type: i.type as z.infer<typeof CreateIncident>['type'],
      status: i.status as Phase,
      tlp: i.tlp as z.infer<typeof CreateIncident>['tlp'],
      lead: (i.leadId && byId.get(i.leadId)) || null,
      team: i.team.map((id) => byId.get(id)).filter((p) => p !== undefined),
      severity:
        i.severityScore === null
          ? null
          : {
              input: i.severityInput,
              score: i.severityScore,
              level: i.severityLevel ?? 0,
              name: i.severityName ?? '',
              explanation: i.severityExplanation,
            },
      metrics: metricsOf(i, transitions),
      nextPhases: {
        forward: next.forward,
        back: next.back,
        skips: next.skips.map((s) => ({ to: s.to, label: s.label })),
      },
    };
  },

  async list(
    ctx: Ctx,
    orgId: string,
    query: {
      q?: string;
      status?: string;
      type?: string;
      technique?: string;
      exercises: 'exclude' | 'include' | 'only';
      limit: number;
      offset: number;
    },
  ) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await repo.list(ctx.db, orgId, query, query.limit, query.offset);
    const people = await repo.people(ctx.db, [
      ...new Set(items.map((i) => i.leadId).filter((x): x is string => !!x)),
    ]);
    const byId = new Map(people.map((p) => [p.id, p]));
    return {
      items: items.map((i) => ({
        ...i,
        type: i.type as z.infer<typeof CreateIncident>['type'],
        status: i.status as Phase,
        tlp: i.tlp as z.infer<typeof CreateIncident>['tlp'],
        lead: (i.leadId && byId.get(i.leadId)) || null,
      })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  },

  async get(ctx: Ctx, orgId: string, incidentId: string) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    return incidentsService.view(ctx.db, incident);
  },

  /** Who else stops: the cascade of the affected services and systems through the city model. */
  async impact(ctx: Ctx, orgId: string, incidentId: string) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const g = await assetsService.loadGraph(ctx.db, orgId);
    const affected = incident.affected.map((a) => ({
      ...a,
      inModel: (a.kind === 'service' ? g.services : g.systems).has(a.ref),
    }));
    const present = affected.filter((a) => a.inModel).map((a) => a.ref);
    const cascade = present.length
      ? await assetsService.impact(ctx, orgId, present, false)
      : {
          initial: [],
          services: [],
          impacted: [],
          populationAffected: 0,
          largestPopulation: 0,
          counts: { service: 0, system: 0, provider: 0 },
        };
    const listed = new Set(present);
    return {
      affected,
      cascade,
      alsoStopped: cascade.services
        .filter((s) => !listed.has(s.id))
        .map((s) => ({ id: s.id, name: s.name, population: s.population })),
      severityHints: severityHintsFromCascade(cascade.services),
    };
  },

  async create(ctx: Ctx, orgId: string, input: z.infer<typeof CreateIncident>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const now = new Date();
    checkTimeZone(input.timeZone);
    checkIncidentFacts(input.facts);
    const detectedAt = input.detectedAt ?? now;
    for (const k of [
      'detectedAt',
      'occurredAt',
      'awarenessAt',
      'breachDeterminedAt',
      'reasonableBeliefAt',
      'ransomPaidAt',
    ] as const) {
      notInFuture(k === 'detectedAt' ? detectedAt : input[k], k, now);
    }
    if (input.occurredAt && input.occurredAt > detectedAt) {
      throw invalid('The incident cannot have occurred after it was detected', [
        { path: 'occurredAt', message: 'must not be after detectedAt' },
      ]);
    }
    await assertMembers(ctx.db, org, [input.leadId], 'leadId');
    await assertMembers(ctx.db, org, input.team, 'team');
    const affected = await resolveAffected(ctx.db, orgId, input.affected);
    const playbook = input.playbook ? await resolvePlaybook(ctx.db, orgId, input.playbook) : null;
    return ctx.db.transaction(async (tx) => {
      const incident = await repo.insert(tx, {
        orgId,
        title: input.title,
        summary: input.summary,
        type: input.type,
        tlp: input.tlp,
        exercise: input.exercise,
        leadId: input.leadId,
        team: [...new Set(input.team)],
        attackTechniques: [...new Set(input.attackTechniques)],
        affected,
        facts: input.facts,
        timeZone: input.timeZone,
        ...severityColumns(input.severity),
        playbookRef: playbook?.ref ?? null,
        playbookVersion: playbook?.playbook.version ?? null,
        occurredAt: input.occurredAt ?? null,
        detectedAt,
        awarenessAt: input.awarenessAt ?? null,
        breachDeterminedAt: input.breachDeterminedAt ?? null,
        reasonableBeliefAt: input.reasonableBeliefAt ?? null,
        ransomPaidAt: input.ransomPaidAt ?? null,
        createdBy: actorId(ctx),
      });
      const tasks = await repo.insertTasks(
        tx,
        (playbook?.playbook.tasks ?? []).map((t, position) => ({
          orgId,
          incidentId: incident.id,
          position,
          playbookTaskId: t.id,
          title: t.title,
          description: t.description,
          phase: t.phase,
          csf: t.csf,
          role: t.role,
          // The lead owns the lead's tasks from the start; the rest wait for the lead to hand them out.
          assigneeId: t.role === 'incident-lead' ? input.leadId : null,
          checklist: t.checklist.map((text) => ({ text, done: false })),
        })),
      );
      await repo.insertTimeline(tx, [
        timelineOf(
          ctx,
          incident,
          'status',
          `${input.exercise ? 'Exercise incident' : 'Incident'} opened (detected)` +
            (playbook
              ? ` from playbook "${playbook.playbook.title}" v${playbook.playbook.version} with ${tasks.length} tasks`
              : ''),
          detectedAt,
        ),
        ...(incident.severityName
          ? [
              timelineOf(
                ctx,
                incident,
                'severity',
                `Severity scored ${incident.severityName} (${incident.severityScore})`,
                now,
              ),
            ]
          : []),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.create',
        targetType: 'incident',
        targetId: incident.id,
        after: { ...incident, tasks: tasks.length },
      });
      return incidentsService.view(tx, incident);
    });
  },

  async update(ctx: Ctx, orgId: string, incidentId: string, patch: z.infer<typeof UpdateIncident>) {
    const { org, incident: before } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const now = new Date();
    if (patch.timeZone !== undefined) checkTimeZone(patch.timeZone);
    if (patch.facts !== undefined) checkIncidentFacts(patch.facts);
    for (const k of [
      'detectedAt',
      'occurredAt',
      'awarenessAt',
      'breachDeterminedAt',
      'reasonableBeliefAt',
      'ransomPaidAt',
    ] as const) {
      notInFuture(patch[k], k, now);
    }
    const occurredAt = patch.occurredAt === undefined ? before.occurredAt : patch.occurredAt;
    const detectedAt = patch.detectedAt ?? before.detectedAt;
    if (occurredAt && occurredAt > detectedAt) {
      throw invalid('The incident cannot have occurred after it was detected', [
        { path: 'occurredAt', message: 'must not be after detectedAt' },
      ]);
    }
    if (patch.leadId !== undefined) await assertMembers(ctx.db, org, [patch.leadId], 'leadId');
    if (patch.team !== undefined) await assertMembers(ctx.db, org, patch.team, 'team');
    const affected =
      patch.affected === undefined ? undefined : await resolveAffected(ctx.db, orgId, patch.affected);
    const { severity, team, attackTechniques, affected: _affected, ...rest } = patch;
    return ctx.db.transaction(async (tx) => {
      const after = await repo.update(tx, incidentId, {
        ...rest,
        ...(affected !== undefined ? { affected } : {}),
        ...(team !== undefined ? { team: [...new Set(team)] } : {}),
        ...(attackTechniques !== undefined ? { attackTechniques: [...new Set(attackTechniques)] } : {}),
        ...(severity !== undefined ? severityColumns(severity) : {}),
      });
      const entries = [];
      if (severity !== undefined && after.severityName !== before.severityName) {
        entries.push(
          timelineOf(
            ctx,
            after,
            'severity',
            after.severityName
              ? `Severity scored ${after.severityName} (${after.severityScore})`
              : 'Severity cleared',
            now,
          ),
        );
      }
      if (patch.leadId !== undefined && patch.leadId !== before.leadId) {
        const [lead] = await repo.people(tx, patch.leadId ? [patch.leadId] : []);
        entries.push(
          timelineOf(ctx, after, 'incident', lead ? `Lead set to ${lead.name}` : 'Lead removed', now),
        );
      }
      if (affected !== undefined && JSON.stringify(affected) !== JSON.stringify(before.affected)) {
        entries.push(
          timelineOf(
            ctx,
            after,
            'incident',
            affected.length
              ? `Affected services and systems: ${affected.map((a) => a.name).join(', ')}`
              : 'Affected services and systems cleared',
            now,
          ),
        );
      }
      if (
        attackTechniques !== undefined &&
        JSON.stringify(after.attackTechniques) !== JSON.stringify(before.attackTechniques)
      ) {
        entries.push(
          timelineOf(
            ctx,
            after,
            'incident',
            after.attackTechniques.length
              ? `ATT&CK techniques: ${after.attackTechniques.join(', ')}`
              : 'ATT&CK techniques cleared',
            now,
          ),
        );
      }
      if (patch.facts !== undefined && JSON.stringify(patch.facts) !== JSON.stringify(before.facts)) {
        entries.push(timelineOf(ctx, after, 'incident', 'Facts for regulatory clocks updated', now));
      }
      await repo.insertTimeline(tx, entries);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.update',
        targetType: 'incident',
        targetId: incidentId,
        before,
        after,
      });
      return incidentsService.view(tx, after);
    });
  },

  async changeStatus(ctx: Ctx, orgId: string, incidentId: string, input: z.infer<typeof ChangeStatus>) {
    const { incident: before } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const now = new Date();
    const at = input.at ?? now;
    notInFuture(at, 'at', now);
    if (at < before.detectedAt) {
      throw invalid('A status change cannot precede detection', [
        { path: 'at', message: 'must not be before detectedAt' },
      ]);
    }
    let t: ReturnType<typeof transition>;
    try {
      t = transition(before.status as Phase, input.to, { reason: input.reason });
    } catch (e) {
      if (e instanceof WorkflowError)
        throw invalid(e.message, [
          { path: e.code === 'reason-required' ? 'reason' : 'to', message: e.message },
        ]);
      throw e;
    }
    return ctx.db.transaction(async (tx) => {
      const after = await repo.update(tx, incidentId, {
        status: t.to,
        closedAt: t.to === 'closed' ? at : null,
      });
      await repo.insertTransition(tx, {
        orgId,
        incidentId,
        fromStatus: t.from,
        toStatus: t.to,
        kind: t.kind,
        reason: t.reason ?? null,
        at,
        actorId: actorId(ctx),
      });
      const text =
        `Status ${t.from} → ${t.to}` +
        (t.kind === 'back' ? ' (back)' : '') +
        (t.skipped.length ? ` (skipped ${t.skipped.join(', ')})` : '') +
        (t.reason ? `: ${t.reason}` : '');
      await repo.insertTimeline(tx, [timelineOf(ctx, after, 'status', text, at)]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.status',
        targetType: 'incident',
        targetId: incidentId,
        before: { status: before.status },
        after: { status: after.status, kind: t.kind, reason: t.reason ?? null, at },
      });
      return incidentsService.view(tx, after);
    });
  },

  // ----------------------------------------------------------------------------------------------------------
  // Tasks

  async listTasks(ctx: Ctx, orgId: string, incidentId: string) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const items = await repo.tasks(ctx.db, orgId, incidentId);
    return { items, total: items.length, limit: items.length, offset: 0 };
  },

  async createTask(ctx: Ctx, orgId: string, incidentId: string, input: z.infer<typeof CreateTask>) {
    const { org, incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    await assertMembers(ctx.db, org, [input.assigneeId], 'assigneeId');
    return ctx.db.transaction(async (tx) => {
      const [task] = await repo.insertTasks(tx, [
        { orgId, incidentId, position: await repo.nextTaskPosition(tx, incidentId), ...input },
      ]);
      await repo.insertTimeline(tx, [
        timelineOf(ctx, incident, 'task', `Task added: ${task.title}`, new Date(), task.id),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.task.create',
        targetType: 'incident_task',
        targetId: task.id,
        after: task,
      });
      return task;
    });
  },

  async updateTask(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    taskId: string,
    patch: z.infer<typeof UpdateTask>,
  ) {
    const { org, incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const before = await repo.task(ctx.db, orgId, incidentId, taskId);
    if (!before) throw notFound('Task', taskId);
    if (patch.assigneeId !== undefined) await assertMembers(ctx.db, org, [patch.assigneeId], 'assigneeId');
    const now = new Date();
    return ctx.db.transaction(async (tx) => {
      const completedAt =
        patch.status === undefined
          ? before.completedAt
          : patch.status === 'done'
            ? (before.completedAt ?? now)
            : null;
      const after = await repo.updateTask(tx, taskId, { ...patch, completedAt });
      const entries = [];
      if (patch.status !== undefined && patch.status !== before.status) {
        entries.push(
          timelineOf(
            ctx,
            incident,
            'task',
            `Task "${after.title}": ${before.status} → ${after.status}`,
            now,
            taskId,
          ),
        );
      }
      if (patch.assigneeId !== undefined && patch.assigneeId !== before.assigneeId) {
        const [who] = await repo.people(tx, patch.assigneeId ? [patch.assigneeId] : []);
        entries.push(
          timelineOf(
            ctx,
            incident,
            'task',
            `Task "${after.title}" ${who ? `assigned to ${who.name}` : 'unassigned'}`,
            now,
            taskId,
          ),
        );
      }
      await repo.insertTimeline(tx, entries);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.task.update',
        targetType: 'incident_task',
        targetId: taskId,
        before,
        after,
      });
      return after;
    });
  },

  // ----------------------------------------------------------------------------------------------------------
  // Timeline

  async timeline(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    q: string | undefined,
    limit: number,
    offset: number,
  ) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const { items, total } = await repo.timeline(ctx.db, orgId, incidentId, q, limit, offset);
    return { items, total, limit, offset };
  },

  async addTimelineEntry(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    input: z.infer<typeof CreateTimelineEntry>,
  ) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    notInFuture(input.occurredAt, 'occurredAt');
    return ctx.db.transaction(async (tx) => {
      const [entry] = await repo.insertTimeline(tx, [
        timelineOf(ctx, incident, 'note', input.text, input.occurredAt),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.timeline.add',
        targetType: 'incident_timeline',
        targetId: entry.id,
        after: entry,
      });
      return entry;
    });
  },

  async timelineCsv(ctx: Ctx, orgId: string, incidentId: string): Promise<string> {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const { items } = await repo.timeline(ctx.db, orgId, incidentId, undefined, 100_000, 0);
    const rows = items.map((e) => [
      e.occurredAt.toISOString(),
      formatLocal(e.occurredAt, incident.timeZone),
      e.recordedAt.toISOString(),
      e.kind,
      csvCell(e.actorLabel),
      csvCell(e.text),
    ]);
    return stringify([
      [
        `occurred_at_utc`,
        `occurred_at_local (${incident.timeZone})`,
        'recorded_at_utc',
        'kind',
        'by',
        'text',
      ],
      ...rows,
    ]);
  },

  // ----------------------------------------------------------------------------------------------------------
  // Regulatory clocks

  async clockReport(db: DbOrTx, org: OrgRow, i: IncidentRow, now: Date) {
    const sentRows = await repo.notifications(db, i.orgId, [i.id]);
    const sent = Object.fromEntries(sentRows.map((n) => [n.ruleId, n.sentAt]));
    const report = applicableClocks(
      SHIPPED_RULES,
      i.facts as IncidentFacts,
      clockEvents(i, sent),
      now,
      i.timeZone,
    );
    const clocks = report.clocks.map((c) => {
      const draft = renderDraft(c.rule, {
        clock: c,
        facts: i.facts as IncidentFacts,
        timeZone: i.timeZone,
        values: {
          organizationName: org.name,
          incidentId: i.id,
          incidentTitle: i.title,
          incidentSummary: i.summary || undefined,
          incidentType: i.type,
          occurredAt: i.occurredAt,
          affectedServices: i.affected.map((a) => a.name).join(', ') || undefined,
          ransomPaidAt: i.ransomPaidAt,
        } as Record<string, string | Date | null | undefined>,
      });
      return {
        ruleId: c.id,
        title: c.rule.title,
        regime: c.rule.regime,
        jurisdiction: c.rule.jurisdiction,
        citation: c.rule.citation,
        notes: c.rule.notes ?? null,
        recipients: c.rule.recipients,
        startEvent: c.startEvent,
        start: c.start,
        deadline: c.deadline,
        target: c.target,
        dueAt: c.dueAt,
        dueAtLocal: c.dueAt ? formatLocal(c.dueAt, i.timeZone) : null,
        statutory: c.statutory,
        remainingMs: c.remainingMs,
        status: c.status,
        sentAt: c.sentAt,
        late: c.late,
        draft: { subject: draft.subject, body: draft.body, missing: draft.missing },
      };
    });
    return { timeZone: i.timeZone, now, clocks, earliest: report.earliest?.id ?? null };
  },

  async clocks(ctx: Ctx, orgId: string, incidentId: string, now = new Date()) {
    const { org, incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    // An exercise's clocks run in exercise time.
    const ex = incident.exercise ? await repo.exercise(ctx.db, orgId, incidentId) : undefined;
    return incidentsService.clockReport(ctx.db, org, incident, (ex && exerciseNow(ex, now)) ?? now);
  },

  async markSent(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    ruleId: string,
    input: z.infer<typeof MarkSent>,
  ) {
    const { org, incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    notInFuture(input.sentAt, 'sentAt');
    const report = await incidentsService.clockReport(ctx.db, org, incident, new Date());
    const clock = report.clocks.find((c) => c.ruleId === ruleId);
    if (!clock) throw notFound('Clock', ruleId);
    if (clock.sentAt)
      throw new AppError('conflict', `The notification for ${ruleId} was already marked sent`);
    if (!clock.start) {
      throw invalid(`The clock ${ruleId} has not started`, [
        { path: 'sentAt', message: `waiting for ${clock.startEvent}` },
      ]);
    }
    if (input.sentAt < clock.start) {
      throw invalid('A notification cannot be sent before its clock started', [
        { path: 'sentAt', message: `must not be before ${clock.start.toISOString()}` },
      ]);
    }
    return ctx.db.transaction(async (tx) => {
      const n = await repo.insertNotification(tx, {
        orgId,
        incidentId,
        ruleId,
        sentAt: input.sentAt,
        reference: input.reference,
        actorId: actorId(ctx),
      });
      const late = clock.dueAt && input.sentAt > clock.dueAt ? ' (late)' : '';
      await repo.insertTimeline(tx, [
        timelineOf(ctx, incident, 'clock', `Notification sent: ${clock.title}${late}`, input.sentAt, ruleId),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.notification.sent',
        targetType: 'incident',
        targetId: incidentId,
        after: n,
      });
      return incidentsService.clockReport(tx, org, incident, new Date());
    });
  },

  async overdueClocks(ctx: Ctx, orgId: string, now = new Date()) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return incidentsService.overdueIn(ctx.db, org, now);
  },

  async overdueIn(db: DbOrTx, org: OrgRow, now: Date) {
    const list = await repo.allForOrg(db, org.id, false);
    const sentRows = await repo.notifications(
      db,
      org.id,
      list.map((i) => i.id),
    );
    const items = [];
    for (const i of list) {
      const sent = Object.fromEntries(
        sentRows.filter((n) => n.incidentId === i.id).map((n) => [n.ruleId, n.sentAt]),
      );
      const report = applicableClocks(
        SHIPPED_RULES,
        i.facts as IncidentFacts,
        clockEvents(i, sent),
        now,
        i.timeZone,
      );
      for (const c of report.overdue) {
        const dueAt = c.dueAt as Date;
        items.push({
          incidentId: i.id,
          incidentTitle: i.title,
          ruleId: c.id,
          title: c.rule.title,
          regime: c.rule.regime,
          dueAt,
          overdueMs: now.getTime() - dueAt.getTime(),
        });
      }
    }
    items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    return { items, total: items.length, limit: items.length, offset: 0 };
  },

  /** The job behind the overdue alert: one timeline entry per overdue clock, written once. */
  async raiseOverdueAlerts(ctx: Ctx, now = new Date()) {
    let raised = 0;
    for (const orgId of await repo.orgIdsWithOpenWork(ctx.db)) {
      const org = await orgsService.access(ctx, orgId, 'data.write');
      const { items } = await incidentsService.overdueIn(ctx.db, org, now);
      for (const o of items) {
        await ctx.db.transaction(async (tx) => {
          if (await repo.hasTimelineRef(tx, o.incidentId, 'alert', o.ruleId)) return;
          const incident = await repo.byId(tx, orgId, o.incidentId);
          if (!incident) return;
          const [entry] = await repo.insertTimeline(tx, [
            timelineOf(
              ctx,
              incident,
              'alert',
              `Overdue: ${o.title} was due ${formatLocal(o.dueAt, incident.timeZone)}`,
              now,
              o.ruleId,
            ),
          ]);
          await auditService.record(tx, ctx, {
            orgId,
            action: 'incident.clock.overdue',
            targetType: 'incident',
            targetId: o.incidentId,
            after: entry,
          });
          raised++;
        });
      }
    }
    return { raised };
  },

  // ----------------------------------------------------------------------------------------------------------
  // Metrics

  async metrics(ctx: Ctx, orgId: string, query: z.infer<typeof MetricsQuery>) {
    await orgsService.access(ctx, orgId, 'data.read');
    checkTimeZone(query.timeZone);
    const list = await repo.allForOrg(ctx.db, orgId, query.exercises === 'only');
    const transitions = await repo.transitions(
      ctx.db,
      orgId,
      list.map((i) => i.id),
    );
    const groups = aggregateMetrics(
      list.map((i) => ({
        id: i.id,
        type: i.type,
        occurredAt: i.occurredAt ?? undefined,
        detectedAt: i.detectedAt,
        transitions: transitions
          .filter((t) => t.incidentId === i.id)
          .map((t) => ({ to: t.toStatus as Phase, at: t.at })),
      })),
      query.by,
      query.timeZone,
    );
    return { items: groups };
  },

  // ----------------------------------------------------------------------------------------------------------
  // Playbooks

  async listPlaybooks(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    const own = await repo.playbooks(ctx.db, orgId);
    return {
      items: [
        ...SHIPPED_PLAYBOOKS.map((p) => ({
          ref: p.id,
          source: 'shipped' as const,
          readOnly: true,
          createdAt: null,
          playbook: p,
        })),
        ...own.map((r) => ({
          ref: r.id,
          source: 'organization' as const,
          readOnly: false,
          createdAt: r.createdAt,
          playbook: r.body as Playbook,
        })),
      ],
    };
  },

  async createPlaybook(ctx: Ctx, orgId: string, input: z.infer<typeof CreatePlaybook>) {
    await orgsService.access(ctx, orgId, 'data.admin');
    if ((input.from === undefined) === (input.playbook === undefined)) {
      throw invalid('Give either "from" (a playbook to copy) or "playbook" (a whole playbook)', [
        { path: 'from', message: 'exactly one of from, playbook' },
      ]);
    }
    let body: unknown = input.playbook;
    if (input.from) {
      const src = await resolvePlaybook(ctx.db, orgId, input.from);
      // A copy gets its own key, so the shipped template and the city's version never share an identity.
      body = { ...src.playbook, id: `${src.playbook.id}-city`, version: '1.0.0' };
    }
    return incidentsService.savePlaybookVersion(ctx, orgId, body, null);
  },

  async updatePlaybook(ctx: Ctx, orgId: string, playbookId: string, body: unknown) {
    await orgsService.access(ctx, orgId, 'data.admin');
    const current = await repo.playbook(ctx.db, orgId, playbookId);
    if (!current) throw notFound('Playbook', playbookId);
    return incidentsService.savePlaybookVersion(ctx, orgId, body, current.key);
  },

  async savePlaybookVersion(ctx: Ctx, orgId: string, body: unknown, key: string | null) {
    await orgsService.access(ctx, orgId, 'data.admin');
    const problems = validatePlaybook(body);
    if (problems.length) {
      throw invalid(
        `Invalid playbook: ${problems.join('; ')}`,
        problems.map((message) => ({ path: 'playbook', message })),
      );
    }
    const p = body as Playbook;
    if (SHIPPED_PLAYBOOKS.some((s) => s.id === p.id)) {
      throw invalid('Shipped playbooks are read-only', [
        { path: 'playbook.id', message: `"${p.id}" is a shipped playbook: copy it under another id` },
      ]);
    }
    if (key !== null && p.id !== key) {
      throw invalid('A new version keeps the playbook id', [
        { path: 'playbook.id', message: `must stay "${key}"` },
      ]);
    }
    const versions = await repo.playbookVersions(ctx.db, orgId, p.id);
    if (key === null && versions.length)
      throw new AppError('conflict', `A playbook "${p.id}" already exists: save a new version of it`);
    const parse = (v: string) => v.split('.').map(Number);
    const newer = (a: string, b: string) => {
      const [x, y] = [parse(a), parse(b)];
      for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k] > y[k];
      return false;
    };
    const latest = versions.reduce<string | null>(
      (m, v) => (m === null || newer(v.version, m) ? v.version : m),
      null,
    );
    if (latest && !newer(p.version, latest)) {
      throw invalid(`Version ${p.version} is not newer than ${latest}`, [
        { path: 'playbook.version', message: `must be greater than ${latest}` },
      ]);
    }
    return ctx.db.transaction(async (tx) => {
      const row = await repo.insertPlaybook(tx, {
        orgId,
        key: p.id,
        version: p.version,
        title: p.title,
        incidentType: p.incidentType,
        body: p,
        createdBy: actorId(ctx),
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.playbook.save',
        targetType: 'incident_playbook',
        targetId: row.id,
        after: row,
      });
      return {
        ref: row.id,
        source: 'organization' as const,
        readOnly: false,
        createdAt: row.createdAt,
        playbook: p,
      };
    });
  },

  // ----------------------------------------------------------------------------------------------------------
  // Evidence

  async listEvidence(ctx: Ctx, orgId: string, incidentId: string) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const items = await repo.evidenceList(ctx.db, orgId, incidentId);
    return { items, total: items.length, limit: items.length, offset: 0 };
  },

  async uploadEvidence(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    file: { fileName: string; content: Buffer; description: string },
  ): Promise<EvidenceMeta> {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const ext = /\.([a-z0-9]+)$/i.exec(file.fileName)?.[1]?.toLowerCase() ?? '';
    const allowed = EVIDENCE_TYPES[ext];
    if (!allowed) {
      throw new AppError('unsupported_media_type', `Evidence of type ".${ext || '?'}" is not accepted`, {
        errors: [
          {
            path: 'file',
            message: `allowed: ${Object.keys(EVIDENCE_TYPES)
              .map((e) => `.${e}`)
              .join(', ')}`,
          },
        ],
      });
    }
    if (allowed.magic && !allowed.magic.every((b, k) => file.content[k] === b)) {
      throw new AppError('unsupported_media_type', `The file does not look like a .${ext} file`, {
        errors: [{ path: 'file', message: `content does not match .${ext}` }],
      });
    }
    if (file.content.length === 0) throw invalid('The file is empty', [{ path: 'file', message: 'empty' }]);
    if (file.content.length > EVIDENCE_MAX_BYTES) {
      throw new AppError(
        'payload_too_large',
        `Evidence files are limited to ${EVIDENCE_MAX_BYTES / 1024 / 1024} MiB`,
      );
    }
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    return ctx.db.transaction(async (tx) => {
      const ev = await repo.insertEvidence(tx, {
        orgId,
        incidentId,
        fileName: file.fileName,
        contentType: allowed.type,
        size: file.content.length,
        sha256,
        description: file.description,
        content: file.content,
        custodian: actorLabel(ctx),
        uploadedBy: actorId(ctx),
      });
      await repo.insertCustody(tx, {
        orgId,
        evidenceId: ev.id,
        action: 'uploaded',
        note: `sha256 ${sha256}`,
        actorId: actorId(ctx),
        actorLabel: actorLabel(ctx),
      });
      await repo.insertTimeline(tx, [
        timelineOf(
          ctx,
          incident,
          'evidence',
          `Evidence added: ${ev.fileName} (sha256 ${sha256.slice(0, 12)}…)`,
          new Date(),
          ev.id,
        ),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.evidence.upload',
        targetType: 'incident_evidence',
        targetId: ev.id,
        after: ev,
      });
      return ev;
    });
  },

  async downloadEvidence(ctx: Ctx, orgId: string, incidentId: string, evidenceId: string) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const ev = await repo.evidence(ctx.db, orgId, incidentId, evidenceId);
    if (!ev) throw notFound('Evidence', evidenceId);
    // Reading evidence is itself a custody event: the log must show everyone who had the file.
    return ctx.db.transaction(async (tx) => {
      await repo.insertCustody(tx, {
        orgId,
        evidenceId,
        action: 'downloaded',
        actorId: actorId(ctx),
        actorLabel: actorLabel(ctx),
      });
      return { meta: ev, content: await repo.evidenceContent(tx, evidenceId) };
    });
  },

  async custody(ctx: Ctx, orgId: string, incidentId: string, evidenceId: string) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const ev = await repo.evidence(ctx.db, orgId, incidentId, evidenceId);
    if (!ev) throw notFound('Evidence', evidenceId);
    return ctx.db.transaction(async (tx) => {
      await repo.insertCustody(tx, {
        orgId,
        evidenceId,
        action: 'viewed',
        note: 'custody log viewed',
        actorId: actorId(ctx),
        actorLabel: actorLabel(ctx),
      });
      const items = await repo.custody(tx, orgId, evidenceId);
      return {
        evidence: ev,
        items: items.map((c) => ({
          ...c,
          action: c.action as 'uploaded' | 'viewed' | 'downloaded' | 'transferred',
        })),
      };
    });
  },

  async transferEvidence(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    evidenceId: string,
    input: z.infer<typeof TransferEvidence>,
  ) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const ev = await repo.evidence(ctx.db, orgId, incidentId, evidenceId);
    if (!ev) throw notFound('Evidence', evidenceId);
    return ctx.db.transaction(async (tx) => {
      await repo.updateEvidence(tx, evidenceId, { custodian: input.to });
      const note = `from ${ev.custodian} to ${input.to}${input.note ? `: ${input.note}` : ''}`;
      const c = await repo.insertCustody(tx, {
        orgId,
        evidenceId,
        action: 'transferred',
        note,
        actorId: actorId(ctx),
        actorLabel: actorLabel(ctx),
      });
      await repo.insertTimeline(tx, [
        timelineOf(
          ctx,
          incident,
          'evidence',
          `Evidence ${ev.fileName} transferred ${note}`,
          c.at,
          evidenceId,
        ),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.evidence.transfer',
        targetType: 'incident_evidence',
        targetId: evidenceId,
        before: { custodian: ev.custodian },
        after: { custodian: input.to },
      });
      return { ...ev, custodian: input.to };
    });
  },

  // ----------------------------------------------------------------------------------------------------------
  // Observables

  /**
   * Every observable of the incident with the indicators it matches, among those the reader's organization may
   * see under TLP (read through the intel module, never around it). Matching runs on each read, so a newly
   * shared or revoked indicator shows at once and nobody ever sees a hit their clearance hides.
   */
  async matchObservables(ctx: Ctx, orgId: string, list: ObservableRow[], now = new Date()) {
    const types = [...new Set(list.map((o) => o.type))];
    const { items: indicators, truncated } = await intelService.visibleIndicators(ctx, orgId, types);
    const { hits, unusable } = matchIndicators(
      list.map((o) => ({ sco: o.object, seenAt: o.seenAt })),
      indicators.map((i) => String(i.object.pattern ?? '')),
    );
    const byObservable = new Map<string, z.infer<typeof IndicatorHitOut>[]>();
    for (const [k, obsIdx] of hits) {
      const ind = indicators[k];
      const validUntil = typeof ind.object.valid_until === 'string' ? ind.object.valid_until : null;
      const hit = {
        indicatorId: ind.stixId,
        name: typeof ind.object.name === 'string' ? ind.object.name : null,
        pattern: String(ind.object.pattern),
        tlp: ind.tlp,
        source: { orgId: ind.ownerOrgId, name: ind.ownerOrgName },
        createdByRef: typeof ind.object.created_by_ref === 'string' ? ind.object.created_by_ref : null,
        validUntil,
        expired: validUntil !== null && new Date(validUntil).getTime() < now.getTime(),
      };
      for (const i of obsIdx) {
        const id = list[i].id;
        byObservable.set(id, [...(byObservable.get(id) ?? []), hit]);
      }
    }
    return {
      hitsOf: (id: string) => byObservable.get(id) ?? [],
      check: { indicators: indicators.length, truncated, unusable: unusable.length },
    };
  },

  async observables(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    q: string | undefined,
    limit: number,
    offset: number,
  ) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const all = await repo.observablesAll(ctx.db, orgId, incidentId);
    const { hitsOf, check } = await incidentsService.matchObservables(ctx, orgId, all);
    const needle = q?.trim().toLowerCase();
    const selected = needle
      ? all.filter(
          (o) =>
            o.value.toLowerCase().includes(needle) ||
            o.type.includes(needle) ||
            o.note.toLowerCase().includes(needle),
        )
      : all;
    return {
      items: selected.slice(offset, offset + limit).map((o) => ({ ...observableOut(o), hits: hitsOf(o.id) })),
      total: selected.length,
      limit,
      offset,
      check,
    };
  },

  async addObservable(ctx: Ctx, orgId: string, incidentId: string, input: z.infer<typeof CreateObservable>) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const now = new Date();
    notInFuture(input.seenAt, 'seenAt', now);
    if (input.hashAlgorithm && input.type !== 'file') {
      throw invalid('Only a file observable has a hash algorithm', [
        { path: 'hashAlgorithm', message: 'only with type "file"' },
      ]);
    }
    let made: ReturnType<typeof toSco>;
    try {
      made = toSco({ type: input.type, value: input.value, hashAlgorithm: input.hashAlgorithm });
    } catch (e) {
      if (e instanceof ObservableError)
        throw invalid(`Invalid observable: ${e.message}`, [{ path: e.path, message: e.message }]);
      throw e;
    }
    const stixId = made.sco.id as string;
    if (await repo.observableByStixId(ctx.db, incidentId, stixId)) {
      throw new AppError(
        'conflict',
        `The observable ${input.type} ${made.value} is already on this incident`,
      );
    }
    const existing = await repo.observablesAll(ctx.db, orgId, incidentId);
    if (existing.length >= MAX_OBSERVABLES) {
      throw invalid(`An incident holds at most ${MAX_OBSERVABLES} observables`, [
        { path: 'value', message: `limit of ${MAX_OBSERVABLES} reached` },
      ]);
    }
    const row = await ctx.db.transaction(async (tx) => {
      const o = await repo.insertObservable(tx, {
        orgId,
        incidentId,
        type: input.type,
        value: made.value,
        stixId,
        object: made.sco,
        note: input.note,
        seenAt: input.seenAt ?? now,
        createdBy: actorId(ctx),
      });
      await repo.insertTimeline(tx, [
        timelineOf(ctx, incident, 'observable', `Observable added: ${o.type} ${o.value}`, o.seenAt, o.id),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.observable.add',
        targetType: 'incident_observable',
        targetId: o.id,
        after: o,
      });
      return o;
    });
    const { hitsOf } = await incidentsService.matchObservables(ctx, orgId, [...existing, row]);
    return { ...observableOut(row), hits: hitsOf(row.id) };
  },

  async removeObservable(ctx: Ctx, orgId: string, incidentId: string, observableId: string) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    const o = await repo.observable(ctx.db, orgId, incidentId, observableId);
    if (!o) throw notFound('Observable', observableId);
    await ctx.db.transaction(async (tx) => {
      await repo.deleteObservable(tx, observableId);
      await repo.insertTimeline(tx, [
        timelineOf(ctx, incident, 'observable', `Observable removed: ${o.type} ${o.value}`, new Date(), o.id),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.observable.remove',
        targetType: 'incident_observable',
        targetId: observableId,
        before: o,
      });
    });
  },

  // ----------------------------------------------------------------------------------------------------------
  // Sharing

  /**
   * The incident as a STIX 2.1 bundle with the Incident Core Extension (see core/incident/sharing.ts for what is
   * stripped). Indicators are those its observables match among the ones the organization may read.
   */
  async stixBundle(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    choices: Omit<ShareOptions, 'tlp'> & { tlp?: string },
  ) {
    const { org, incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const list = await repo.observablesAll(ctx.db, orgId, incidentId);
    const { items: indicators } = await intelService.visibleIndicators(ctx, orgId, [
      ...new Set(list.map((o) => o.type)),
    ]);
    const { hits } = matchIndicators(
      list.map((o) => ({ sco: o.object, seenAt: o.seenAt })),
      indicators.map((i) => String(i.object.pattern ?? '')),
    );
    const hitsOf = new Map<number, string[]>();
    const matched = new Map<string, (typeof indicators)[number]>();
    for (const [k, obsIdx] of hits) {
      matched.set(indicators[k].stixId, indicators[k]);
      for (const i of obsIdx) hitsOf.set(i, [...(hitsOf.get(i) ?? []), indicators[k].stixId]);
    }
    const severityInput = incident.severityInput as { recoverability?: string } | null;
    try {
      const bundle = buildIncidentBundle({
        organization: { id: org.id, name: org.name, createdAt: org.createdAt },
        incident: {
          id: incident.id,
          title: incident.title,
          summary: incident.summary,
          type: incident.type,
          status: incident.status,
          tlp: incident.tlp as TlpLevel,
          exercise: incident.exercise,
          severityScore: incident.severityScore,
          severityName: incident.severityName,
          recoverability: severityInput?.recoverability ?? null,
          attackTechniques: incident.attackTechniques,
          detectedAt: incident.detectedAt,
          createdAt: incident.createdAt,
          updatedAt: incident.updatedAt,
        },
        observables: list.map((o, k) => ({
          recordId: o.id,
          sco: o.object,
          seenAt: o.seenAt,
          hits: hitsOf.get(k) ?? [],
        })),
        indicators: [...matched.values()].map((i) => ({
          object: i.object,
          tlp: i.tlp,
          own: i.ownerOrgId === orgId,
        })),
        options: { ...choices, tlp: (choices.tlp ?? incident.tlp) as TlpLevel },
      });
      const ownIndicatorIds = [...matched.values()]
        .filter((i) => i.ownerOrgId === orgId)
        .map((i) => i.stixId);
      return { ...bundle, ownIndicatorIds };
    } catch (e) {
      if (e instanceof ShareError) throw invalid(e.message, [{ path: e.path, message: e.message }]);
      throw e;
    }
  },

  /**
   * Publishes the incident to a community through the intel module: the objects the bundle creates (and this
   * organization's own indicators) are stored as this organization's, then shared to the community. Indicators
   * of other organizations are referenced, never copied as ours. Exercises and TLP:RED never leave.
   */
  async share(ctx: Ctx, orgId: string, incidentId: string, input: z.infer<typeof ShareIncident>) {
    await orgsService.access(ctx, orgId, 'data.analyze');
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    if (incident.exercise) {
      throw invalid('Exercises are not shared', [{ path: 'incidentId', message: 'an exercise incident' }]);
    }
    const tlp = (input.tlp ?? incident.tlp) as TlpLevel;
    if (tlp === 'red') {
      throw invalid('TLP:RED is never shared to a community; choose a less restrictive marking', [
        { path: 'tlp', message: 'red cannot be shared to a community' },
      ]);
    }
    const community = await orgsDirectory.byId(ctx.db, input.communityId);
    if (community?.kind !== 'community' || !(await intelService.mayShareTo(ctx.db, orgId, community))) {
      throw invalid('Publish to a community this organization is a member of', [
        { path: 'communityId', message: 'not a community of this organization' },
      ]);
    }
    const { communityId, ...choices } = input;
    const bundle = await incidentsService.stixBundle(ctx, orgId, incidentId, { ...choices, tlp });
    const ownIndicators = new Set(bundle.ownIndicatorIds);
    const ours = bundle.objects.filter(
      (o) => o.type !== 'marking-definition' && (o.type !== 'indicator' || ownIndicators.has(String(o.id))),
    );
    const report = await intelService.importBundle(
      ctx,
      orgId,
      Readable.from([JSON.stringify({ type: 'bundle', id: bundle.id, objects: ours })]),
      { atomic: true, tlp },
    );
    const ids = ours.map((o) => String(o.id));
    await intelService.shareMany(ctx, orgId, ids, communityId);
    await ctx.db.transaction(async (tx) => {
      await repo.insertTimeline(tx, [
        timelineOf(
          ctx,
          incident,
          'sharing',
          `Shared to ${community.name} as a STIX bundle marked TLP:${tlp.toUpperCase()} (${bundle.objects.length} objects)`,
          new Date(),
          bundle.id,
        ),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.share',
        targetType: 'incident',
        targetId: incidentId,
        after: { bundleId: bundle.id, communityId, tlp, objects: ids, stripped: bundle.stripped },
      });
    });
    return {
      bundleId: bundle.id,
      community: { id: community.id, name: community.name },
      tlp,
      objects: bundle.objects.length,
      imported: report.imported,
      shared: ids.length,
      stripped: bundle.stripped,
    };
  },

  // ----------------------------------------------------------------------------------------------------------
  // Communications

  async communications(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    q: string | undefined,
    limit: number,
    offset: number,
  ) {
    await incidentsService.load(ctx, orgId, incidentId, 'data.read');
    const { items, total } = await repo.communications(ctx.db, orgId, incidentId, q, limit, offset);
    return { items, total, limit, offset };
  },

  async addCommunication(
    ctx: Ctx,
    orgId: string,
    incidentId: string,
    input: z.infer<typeof CreateCommunication>,
  ) {
    const { incident } = await incidentsService.load(ctx, orgId, incidentId, 'data.write');
    notInFuture(input.occurredAt, 'occurredAt');
    return ctx.db.transaction(async (tx) => {
      const c = await repo.insertCommunication(tx, { orgId, incidentId, ...input, actorId: actorId(ctx) });
      await repo.insertTimeline(tx, [
        timelineOf(
          ctx,
          incident,
          'communication',
          `${input.direction} ${input.channel} with ${input.contactName} (${input.contactRole}): ${input.summary}`,
          input.occurredAt,
          c.id,
        ),
      ]);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'incident.communication.add',
        targetType: 'incident_communication',
        targetId: c.id,
        after: c,
      });
      return c;
    });
  },
};

function observableOut(o: ObservableRow) {
  return {
    id: o.id,
    incidentId: o.incidentId,
    type: o.type as z.infer<typeof CreateObservable>['type'],
    value: o.value,
    stixId: o.stixId,
    object: o.object,
    note: o.note,
    seenAt: o.seenAt,
    createdAt: o.createdAt,
  };
}

export type { ChecklistItem, TaskRow };
