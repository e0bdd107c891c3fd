import type { z } from 'zod';
import { NICE_COMPETENCY_AREAS, niceWorkRole, roleGaps } from '../../../core/workforce/index.js';
import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { type OutboundPolicy, type OutboundResponse, outboundFetch } from '../../http/outbound.js';
import { auditService } from '../audit/audit.service.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import { parseCsv, parseXlsx, splitList, type Table } from './tabular.js';
import {
  type AssignmentRow,
  assignmentsRepository,
  awarenessRepository,
  type CampaignRow,
  type PersonRow,
  peopleRepository,
  phishingRepository,
  type ResultRow,
  roleNeedsRepository,
  type TrainingRow,
  trainingsRepository,
} from './workforce.repository.js';
import type {
  CompletionBody,
  CreateAwarenessCampaign,
  CreatePerson,
  CreateTraining,
  GophishApiImportBody,
  ImportPeopleBody,
  PhishingImportBody,
  UpdateAwarenessCampaign,
  UpdatePerson,
  UpdateTraining,
} from './workforce.schemas.js';

const DAY = 86_400_000;
type RowError = { row: number; column: string; message: string };

/** Departments are the organizations below the person's organization. */
async function departmentsOf(db: DbOrTx, org: OrgRow): Promise<Map<string, OrgRow>> {
  const subtree = await orgsDirectory.visible(db, [], [org.path]);
  return new Map(subtree.filter((o) => o.id !== org.id).map((o) => [o.id, o]));
}

function view(p: PersonRow, depts: Map<string, OrgRow>) {
  return { ...p, departmentName: p.departmentOrgId ? (depts.get(p.departmentOrgId)?.name ?? null) : null };
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function rates(rows: ResultRow[]) {
  const sent = rows.filter((r) => r.sentAt);
  const minutesToReport = sent
    .filter((r) => r.reportedAt)
    .map((r) => Math.round(((r.reportedAt as Date).getTime() - (r.sentAt as Date).getTime()) / 600) / 100);
  const clicked = sent.filter((r) => r.clickedAt || r.submittedAt).length;
  const reported = sent.filter((r) => r.reportedAt).length;
  return {
    recipients: sent.length,
    opened: sent.filter((r) => r.openedAt || r.clickedAt || r.submittedAt).length,
    clicked,
    submitted: sent.filter((r) => r.submittedAt).length,
    reported,
    clickRate: ratio(clicked, sent.length),
    reportRate: ratio(reported, sent.length),
    medianMinutesToReport: median(minutesToReport),
  };
}

async function checkRefs(
  db: DbOrTx,
  org: OrgRow,
  input: { departmentOrgId?: string | null; managerId?: string | null },
  selfId?: string,
) {
  if (input.departmentOrgId && !(await departmentsOf(db, org)).has(input.departmentOrgId)) {
    throw new AppError('validation', 'The department is not an organization below this one', {
      errors: [{ path: 'departmentOrgId', message: 'not a department of this organization' }],
    });
  }
  if (input.managerId) {
    if (input.managerId === selfId || !(await peopleRepository.byId(db, org.id, input.managerId))) {
      throw new AppError('validation', 'The manager is not another person of this organization', {
        errors: [{ path: 'managerId', message: 'unknown person' }],
      });
    }
  }
}

async function uniqueUserName(db: DbOrTx, orgId: string, userName: string, selfId?: string) {
  const other = await peopleRepository.byUserName(db, orgId, userName);
  if (other && other.id !== selfId) {
    throw new AppError('conflict', `A person with user name "${userName}" already exists`, {
      errors: [{ path: 'userName', message: 'already taken' }],
    });
  }
}

/** People of an audience: everyone active, a department (and its sub-departments), holders of a role, OT staff. */
function audienceOf(t: TrainingRow, staff: PersonRow[], depts: Map<string, OrgRow>): PersonRow[] {
  const active = staff.filter((p) => p.active);
  switch (t.audienceKind) {
    case 'everyone':
      return active;
    case 'ot':
      return active.filter((p) => p.otStaff);
    case 'role':
      return active.filter((p) => t.audienceRoleId && p.workRoleIds.includes(t.audienceRoleId));
    case 'department': {
      const target = t.audienceDepartmentOrgId ? depts.get(t.audienceDepartmentOrgId) : undefined;
      if (!target) return [];
      return active.filter((p) => {
        const d = p.departmentOrgId ? depts.get(p.departmentOrgId) : undefined;
        return d?.path.startsWith(target.path) ?? false;
      });
    }
  }
}

function describeAssignments(
  rows: AssignmentRow[],
  staff: PersonRow[],
  ts: TrainingRow[],
  depts: Map<string, OrgRow>,
) {
  const byId = new Map(staff.map((p) => [p.id, p]));
  const tById = new Map(ts.map((t) => [t.id, t]));
  return rows.map((a) => {
    const p = byId.get(a.personId) as PersonRow;
    const m = p.managerId ? byId.get(p.managerId) : undefined;
    return {
      id: a.id,
      trainingId: a.trainingId,
      trainingTitle: tById.get(a.trainingId)?.title ?? '',
      personId: a.personId,
      personName: p.displayName,
      email: p.email,
      departmentOrgId: p.departmentOrgId,
      departmentName: p.departmentOrgId ? (depts.get(p.departmentOrgId)?.name ?? null) : null,
      managerId: m?.id ?? null,
      managerName: m?.displayName ?? null,
      dueAt: a.dueAt,
      reason: a.reason,
      completedAt: a.completedAt,
      completionSource: a.completionSource,
    };
  });
}

const GOPHISH_STAGE: Record<string, 'sent' | 'opened' | 'clicked' | 'submitted' | 'reported'> = {
  'email sent': 'sent',
  'email opened': 'opened',
  'clicked link': 'clicked',
  'submitted data': 'submitted',
  'email reported': 'reported',
};
const STAGE_ORDER = ['sent', 'opened', 'clicked', 'submitted'] as const;
const RESULTS_COLUMNS = ['email', 'status', 'senddate'];
const COLUMN_LABEL: Record<string, string> = { senddate: 'send_date', modifieddate: 'modified_date' };
const EVENTS_COLUMNS = ['email', 'time', 'message'];
const RESULTS_USED = new Set([
  ...RESULTS_COLUMNS,
  'reported',
  'modifieddate',
  'id',
  'firstname',
  'lastname',
  'position',
]);
const EVENTS_USED = new Set([...EVENTS_COLUMNS, 'campaignid']);

type Outcome = {
  email: string;
  sentAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  submittedAt: Date | null;
  reportedAt: Date | null;
};

function parseTime(v: string, row: number, column: string, errors: RowError[]): Date | null {
  if (!v) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    errors.push({ row, column, message: `"${v}" is not a date and time` });
    return null;
  }
  return d;
}

/**
 * Reads a gophish export: the campaign "Results" CSV (one row per recipient, final status and its time) or the
 * "Raw Events" CSV (one row per event, exact times). Only the columns named here are read, so a `details` or
 * payload column, which carries what recipients typed into the landing page, is dropped unread.
 */
export function readGophish(table: Table) {
  const errors: RowError[] = [];
  const isEvents = EVENTS_COLUMNS.every((c) => table.headers.includes(c));
  const required = isEvents ? EVENTS_COLUMNS : RESULTS_COLUMNS;
  const missing = required.filter((c) => !table.headers.includes(c));
  if (missing.length) {
    throw new AppError(
      'validation',
      `This is not a gophish results or raw events export: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => COLUMN_LABEL[c] ?? c).join(', ')}`,
      { errors: missing.map((c) => ({ path: `csv.${COLUMN_LABEL[c] ?? c}`, message: 'missing column' })) },
    );
  }
  const used = isEvents ? EVENTS_USED : RESULTS_USED;
  const droppedColumns = table.headers.filter((h) => h && !used.has(h));
  const byEmail = new Map<string, Outcome>();
  const get = (email: string) => {
    let o = byEmail.get(email);
    if (!o) {
      o = { email, sentAt: null, openedAt: null, clickedAt: null, submittedAt: null, reportedAt: null };
      byEmail.set(email, o);
    }
    return o;
  };
  table.rows.forEach((r, i) => {
    const row = i + 2;
    // "Campaign Created", sending errors and other bookkeeping events name no recipient.
    if (isEvents && !GOPHISH_STAGE[(r.message ?? '').toLowerCase()]) return;
    const email = (r.email ?? '').toLowerCase();
    if (!email.includes('@')) {
      errors.push({ row, column: 'email', message: 'missing or invalid email' });
      return;
    }
    if (isEvents) {
      const stage = GOPHISH_STAGE[(r.message ?? '').toLowerCase()];
      const at = parseTime(r.time, row, 'time', errors);
      const o = get(email);
      const key = `${stage}At` as const;
      if (at && (!o[key] || at < (o[key] as Date))) o[key] = at;
      return;
    }
    const o = get(email);
    o.sentAt = parseTime(r.senddate, row, 'send_date', errors);
    const status = (r.status ?? '').toLowerCase();
    const stage = GOPHISH_STAGE[status];
    // The results export keeps only the time of the latest event: earlier stages it implies get that time too.
    const last = parseTime(r.modifieddate ?? '', row, 'modified_date', errors) ?? o.sentAt;
    const reached = stage === 'reported' ? 0 : STAGE_ORDER.indexOf(stage as (typeof STAGE_ORDER)[number]);
    for (let s = 1; s <= reached; s++) o[`${STAGE_ORDER[s]}At`] = last;
    if (stage === 'reported' || /^true$/i.test(r.reported ?? '')) o.reportedAt = last;
    if (!stage && !['error', 'scheduled', 'sending', 'queued', 'retrying', ''].includes(status)) {
      errors.push({ row, column: 'status', message: `unknown gophish status "${r.status}"` });
    }
  });
  // An event export lists a report without the send when the campaign was pruned; keep only delivered mail.
  const outcomes = [...byEmail.values()].filter((o) => o.sentAt);
  return {
    source: isEvents ? ('gophish-events-csv' as const) : ('gophish-results-csv' as const),
    outcomes,
    errors,
    droppedColumns,
  };
}

export const workforceService = {
  // ---- people ----
  async listPeople(
    ctx: Ctx,
    orgId: string,
    f: { q?: string; departmentOrgId?: string; active?: boolean },
    limit: number,
    offset: number,
  ) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const depts = await departmentsOf(ctx.db, org);
    const { items, total } = await peopleRepository.list(ctx.db, orgId, f, limit, offset);
    return { items: items.map((p) => view(p, depts)), total, limit, offset };
  },

  async getPerson(ctx: Ctx, orgId: string, personId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const p = await peopleRepository.byId(ctx.db, orgId, personId);
    if (!p) throw notFound('Person', personId);
    return view(p, await departmentsOf(ctx.db, org));
  },

  /** Shared by the API, the SCIM endpoint and imports; the caller has checked access. */
  async insertPerson(
    tx: DbOrTx,
    ctx: Ctx,
    org: OrgRow,
    input: z.infer<typeof CreatePerson>,
    action = 'person.create',
  ) {
    await checkRefs(tx, org, input);
    await uniqueUserName(tx, org.id, input.userName);
    const p = await peopleRepository.insert(tx, { ...input, orgId: org.id });
    await auditService.record(tx, ctx, {
      orgId: org.id,
      action,
      targetType: 'person',
      targetId: p.id,
      after: p,
    });
    return p;
  },

  async patchPerson(
    tx: DbOrTx,
    ctx: Ctx,
    org: OrgRow,
    before: PersonRow,
    patch: z.infer<typeof UpdatePerson>,
    action = 'person.update',
  ) {
    await checkRefs(tx, org, patch, before.id);
    if (patch.userName) await uniqueUserName(tx, org.id, patch.userName, before.id);
    const after = await peopleRepository.update(tx, before.id, patch);
    await auditService.record(tx, ctx, {
      orgId: org.id,
      action,
      targetType: 'person',
      targetId: before.id,
      before,
      after,
    });
    return after;
  },

  async deletePerson(tx: DbOrTx, ctx: Ctx, org: OrgRow, before: PersonRow, action = 'person.delete') {
    await peopleRepository.delete(tx, org.id, before.id);
    await auditService.record(tx, ctx, {
      orgId: org.id,
      action,
      targetType: 'person',
      targetId: before.id,
      before,
    });
  },

  async createPerson(ctx: Ctx, orgId: string, input: z.infer<typeof CreatePerson>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const p = await ctx.db.transaction((tx) => workforceService.insertPerson(tx, ctx, org, input));
    return view(p, await departmentsOf(ctx.db, org));
  },

  async updatePerson(ctx: Ctx, orgId: string, personId: string, patch: z.infer<typeof UpdatePerson>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const p = await ctx.db.transaction(async (tx) => {
      const before = await peopleRepository.byId(tx, orgId, personId);
      if (!before) throw notFound('Person', personId);
      return workforceService.patchPerson(tx, ctx, org, before, patch);
    });
    return view(p, await departmentsOf(ctx.db, org));
  },

  async removePerson(ctx: Ctx, orgId: string, personId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await peopleRepository.byId(tx, orgId, personId);
      if (!before) throw notFound('Person', personId);
      await workforceService.deletePerson(tx, ctx, org, before);
    });
  },

  /**
   * Reads a staff CSV/XLSX (columns user_name or email, display_name or given/family name, job_title, department
   * (name or slug of an organization below this one), manager (user name), work_roles, competencies, ot_staff).
   * Without `commit` it only previews; with it, all rows are written in one transaction, or none when any row fails.
   */
  async importPeople(ctx: Ctx, orgId: string, body: z.infer<typeof ImportPeopleBody>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const table = body.csv !== undefined ? parseCsv(body.csv) : await parseXlsx(body.xlsxBase64 as string);
    if (!table.headers.includes('username') && !table.headers.includes('email')) {
      throw new AppError('validation', 'The file needs a user_name or an email column', {
        errors: [{ path: 'file.user_name', message: 'missing column' }],
      });
    }
    const depts = await departmentsOf(ctx.db, org);
    const deptByKey = new Map<string, OrgRow>();
    for (const d of depts.values()) {
      deptByKey.set(d.name.toLowerCase(), d);
      deptByKey.set(d.slug.toLowerCase(), d);
    }
    const errors: RowError[] = [];
    const seen = new Map<string, number>();
    const parsed = table.rows.map((r, i) => {
      const row = i + 2;
      const userName = (r.username || r.email || '').trim();
      if (!userName) errors.push({ row, column: 'user_name', message: 'missing' });
      else if (seen.has(userName.toLowerCase()))
        errors.push({
          row,
          column: 'user_name',
          message: `"${userName}" repeats row ${seen.get(userName.toLowerCase())}`,
        });
      seen.set(userName.toLowerCase(), row);
      const email = (r.email ?? '').trim();
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        errors.push({ row, column: 'email', message: `"${email}" is not an email address` });
      const displayName = (
        r.displayname ||
        [r.givenname, r.familyname].filter(Boolean).join(' ') ||
        userName
      ).trim();
      let departmentOrgId: string | null = null;
      const deptText = (r.department ?? '').trim();
      if (deptText) {
        const d = deptByKey.get(deptText.toLowerCase());
        if (!d) errors.push({ row, column: 'department', message: `unknown department "${deptText}"` });
        else departmentOrgId = d.id;
      }
      const workRoleIds = splitList(r.workroles);
      for (const id of workRoleIds)
        if (!niceWorkRole(id))
          errors.push({ row, column: 'work_roles', message: `unknown NICE work role "${id}"` });
      const competencyIds = splitList(r.competencies);
      for (const id of competencyIds)
        if (!NICE_COMPETENCY_AREAS.some((c) => c.id === id))
          errors.push({ row, column: 'competencies', message: `unknown NICE competency area "${id}"` });
      const ot = (r.otstaff ?? '').trim().toLowerCase();
      if (ot && !['true', 'false', 'yes', 'no', '1', '0'].includes(ot))
        errors.push({ row, column: 'ot_staff', message: `"${r.otstaff}" is not yes or no` });
      return {
        row,
        manager: (r.manager ?? '').trim(),
        input: {
          userName,
          email,
          givenName: (r.givenname ?? '').trim(),
          familyName: (r.familyname ?? '').trim(),
          displayName,
          jobTitle: (r.jobtitle ?? '').trim(),
          departmentOrgId,
          workRoleIds,
          competencyIds,
          otStaff: ['true', 'yes', '1'].includes(ot),
        },
      };
    });
    const existing = new Map(
      (await peopleRepository.all(ctx.db, orgId)).map((p) => [p.userName.toLowerCase(), p]),
    );
    for (const p of parsed) {
      if (p.manager && !seen.has(p.manager.toLowerCase()) && !existing.has(p.manager.toLowerCase()))
        errors.push({ row: p.row, column: 'manager', message: `unknown person "${p.manager}"` });
    }
    const preview = parsed.map((p) => ({
      row: p.row,
      userName: p.input.userName,
      displayName: p.input.displayName,
      department: p.input.departmentOrgId ? (depts.get(p.input.departmentOrgId)?.name ?? null) : null,
      action: existing.has(p.input.userName.toLowerCase()) ? ('update' as const) : ('create' as const),
    }));
    const created = preview.filter((p) => p.action === 'create').length;
    const result = { rows: parsed.length, created, updated: parsed.length - created, errors, preview };
    if (!body.commit) return { committed: false, ...result };
    if (errors.length) {
      throw new AppError('validation', `The file has ${errors.length} error(s): nothing was imported`, {
        errors: errors.map((e) => ({ path: `row ${e.row}.${e.column}`, message: e.message })),
      });
    }
    await ctx.db.transaction(async (tx) => {
      const ids = new Map<string, string>();
      for (const p of parsed) {
        const before = await peopleRepository.byUserName(tx, orgId, p.input.userName);
        const { email, ...rest } = p.input;
        const data = { ...rest, email, active: true };
        const row = before
          ? await workforceService.patchPerson(tx, ctx, org, before, data, 'person.import')
          : await workforceService.insertPerson(
              tx,
              ctx,
              org,
              { ...data, externalId: null, managerId: null },
              'person.import',
            );
        ids.set(p.input.userName.toLowerCase(), row.id);
      }
      // Managers second: a manager may appear on a later row than their reports.
      for (const p of parsed) {
        if (!p.manager) continue;
        const managerId = ids.get(p.manager.toLowerCase()) ?? existing.get(p.manager.toLowerCase())?.id;
        await peopleRepository.update(tx, ids.get(p.input.userName.toLowerCase()) as string, { managerId });
      }
    });
    return { committed: true, ...result };
  },

  // ---- roles ----
  async roleCoverage(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    return coverageOf(ctx.db, orgId);
  },

  async setRoleNeeds(ctx: Ctx, orgId: string, needs: { roleId: string; count: number }[]) {
    await orgsService.access(ctx, orgId, 'data.write');
    const dup = needs.findIndex((n, i) => needs.findIndex((m) => m.roleId === n.roleId) !== i);
    if (dup >= 0) {
      throw new AppError('validation', `Work role ${needs[dup].roleId} is listed twice`, {
        errors: [{ path: `needs.${dup}.roleId`, message: 'listed twice' }],
      });
    }
    await ctx.db.transaction(async (tx) => {
      const before = await roleNeedsRepository.list(tx, orgId);
      await roleNeedsRepository.replace(tx, orgId, needs);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'role_needs.update',
        targetType: 'organization',
        targetId: orgId,
        before,
        after: needs,
      });
    });
    return coverageOf(ctx.db, orgId);
  },

  // ---- trainings ----
  async listTrainings(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await trainingsRepository.list(ctx.db, orgId, q, limit, offset);
    const counts = new Map(
      (await trainingsRepository.counts(ctx.db, orgId, new Date())).map((c) => [c.trainingId, c]),
    );
    return {
      items: items.map((t) => ({
        ...t,
        assigned: counts.get(t.id)?.assigned ?? 0,
        completed: counts.get(t.id)?.completed ?? 0,
        overdue: counts.get(t.id)?.overdue ?? 0,
      })),
      total,
      limit,
      offset,
    };
  },

  async createTraining(ctx: Ctx, orgId: string, input: z.infer<typeof CreateTraining>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    if (input.audienceKind === 'department')
      await checkRefs(ctx.db, org, { departmentOrgId: input.audienceDepartmentOrgId });
    const t = await ctx.db.transaction(async (tx) => {
      const row = await trainingsRepository.insert(tx, {
        ...input,
        orgId,
        audienceDepartmentOrgId: input.audienceKind === 'department' ? input.audienceDepartmentOrgId : null,
        audienceRoleId: input.audienceKind === 'role' ? input.audienceRoleId : null,
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'training.create',
        targetType: 'training',
        targetId: row.id,
        after: row,
      });
      return row;
    });
    return { ...t, assigned: 0, completed: 0, overdue: 0 };
  },

  async updateTraining(ctx: Ctx, orgId: string, trainingId: string, patch: z.infer<typeof UpdateTraining>) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    const row = await ctx.db.transaction(async (tx) => {
      const before = await trainingsRepository.byId(tx, orgId, trainingId);
      if (!before) throw notFound('Training', trainingId);
      const audienceKind = patch.audienceKind ?? before.audienceKind;
      const dept =
        patch.audienceDepartmentOrgId === undefined
          ? before.audienceDepartmentOrgId
          : patch.audienceDepartmentOrgId;
      const role = patch.audienceRoleId === undefined ? before.audienceRoleId : patch.audienceRoleId;
      if (audienceKind === 'department' && !dept) {
        throw new AppError('validation', 'A training for a department needs the department', {
          errors: [{ path: 'audienceDepartmentOrgId', message: 'required for a department' }],
        });
      }
      if (audienceKind === 'role' && !role) {
        throw new AppError('validation', 'A training for a role needs the work role', {
          errors: [{ path: 'audienceRoleId', message: 'required for a role audience' }],
        });
      }
      if (audienceKind === 'department') await checkRefs(tx, org, { departmentOrgId: dept });
      const after = await trainingsRepository.update(tx, trainingId, {
        ...patch,
        audienceKind,
        audienceDepartmentOrgId: audienceKind === 'department' ? dept : null,
        audienceRoleId: audienceKind === 'role' ? role : null,
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'training.update',
        targetType: 'training',
        targetId: trainingId,
        before,
        after,
      });
      return after;
    });
    const counts = (await trainingsRepository.counts(ctx.db, orgId, new Date())).find(
      (c) => c.trainingId === trainingId,
    );
    return {
      ...row,
      assigned: counts?.assigned ?? 0,
      completed: counts?.completed ?? 0,
      overdue: counts?.overdue ?? 0,
    };
  },

  async removeTraining(ctx: Ctx, orgId: string, trainingId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await trainingsRepository.byId(tx, orgId, trainingId);
      if (!before) throw notFound('Training', trainingId);
      await trainingsRepository.delete(tx, trainingId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'training.delete',
        targetType: 'training',
        targetId: trainingId,
        before,
      });
    });
  },

  /** Assigns the training to everyone of its audience who has no open assignment for it yet. */
  async assignAudience(ctx: Ctx, orgId: string, trainingId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const t = await trainingsRepository.byId(tx, orgId, trainingId);
      if (!t) throw notFound('Training', trainingId);
      const audience = audienceOf(t, await peopleRepository.all(tx, orgId), await departmentsOf(tx, org));
      const open = new Set((await assignmentsRepository.openFor(tx, trainingId)).map((a) => a.personId));
      const rows = await assignmentsRepository.insertMany(
        tx,
        audience
          .filter((p) => !open.has(p.id))
          .map((p) => ({ orgId, trainingId, personId: p.id, dueAt: t.dueAt })),
      );
      await auditService.record(tx, ctx, {
        orgId,
        action: 'training.assign',
        targetType: 'training',
        targetId: trainingId,
        after: { created: rows.length },
      });
      return { created: rows.length };
    });
  },

  async listAssignments(ctx: Ctx, orgId: string, trainingId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const t = await trainingsRepository.byId(ctx.db, orgId, trainingId);
    if (!t) throw notFound('Training', trainingId);
    const rows = await assignmentsRepository.forTraining(ctx.db, trainingId);
    const items = describeAssignments(
      rows,
      await peopleRepository.all(ctx.db, orgId),
      [t],
      await departmentsOf(ctx.db, org),
    );
    return { items: items.sort((a, b) => a.personName.localeCompare(b.personName)) };
  },

  async recordCompletion(ctx: Ctx, orgId: string, trainingId: string, body: z.infer<typeof CompletionBody>) {
    await orgsService.access(ctx, orgId, 'data.write');
    if (!body.personId === !body.userName) {
      throw new AppError('validation', 'Name the person by exactly one of personId or userName', {
        errors: [{ path: 'personId', message: 'send personId or userName' }],
      });
    }
    return ctx.db.transaction(async (tx) => {
      const t = await trainingsRepository.byId(tx, orgId, trainingId);
      if (!t) throw notFound('Training', trainingId);
      const person = body.personId
        ? await peopleRepository.byId(tx, orgId, body.personId)
        : await peopleRepository.byUserName(tx, orgId, body.userName as string);
      if (!person)
        throw new AppError('validation', 'No such person in this organization', {
          errors: [{ path: body.personId ? 'personId' : 'userName', message: 'unknown person' }],
        });
      const done = await completeOne(
        tx,
        ctx,
        orgId,
        t,
        person.id,
        body.completedAt ?? new Date(),
        ctx.actor.via === 'token' ? 'api' : 'manual',
      );
      if (!done)
        throw new AppError('conflict', `${person.displayName} has no open assignment for this training`);
      return { completed: 1 };
    });
  },

  /** An LMS export: one row per completion with the learner (user_name or email) and a completion date. */
  async importCompletions(ctx: Ctx, orgId: string, trainingId: string, csv: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    const table = parseCsv(csv);
    const who = ['username', 'email', 'learneremail', 'useremail'].find((c) => table.headers.includes(c));
    const when = ['completedat', 'completiondate', 'completed', 'datecompleted'].find((c) =>
      table.headers.includes(c),
    );
    if (!who || !when) {
      throw new AppError(
        'validation',
        'The LMS export needs a learner column (user_name or email) and a completion date column (completed_at or completion_date)',
        {
          errors: [
            ...(who ? [] : [{ path: 'csv.email', message: 'missing column' }]),
            ...(when ? [] : [{ path: 'csv.completed_at', message: 'missing column' }]),
          ],
        },
      );
    }
    return ctx.db.transaction(async (tx) => {
      const t = await trainingsRepository.byId(tx, orgId, trainingId);
      if (!t) throw notFound('Training', trainingId);
      const staff = await peopleRepository.all(tx, orgId);
      const byKey = new Map<string, PersonRow>();
      for (const p of staff) {
        byKey.set(p.userName.toLowerCase(), p);
        if (p.email) byKey.set(p.email.toLowerCase(), p);
      }
      const errors: RowError[] = [];
      let completed = 0;
      for (const [i, r] of table.rows.entries()) {
        const p = byKey.get((r[who] ?? '').toLowerCase());
        if (!p) {
          errors.push({ row: i + 2, column: who, message: `unknown person "${r[who]}"` });
          continue;
        }
        const at = parseTime(r[when], i + 2, when, errors);
        if (!at) continue;
        if (await completeOne(tx, ctx, orgId, t, p.id, at, 'lms')) completed++;
        else errors.push({ row: i + 2, column: who, message: `${p.displayName} has no open assignment` });
      }
      return { completed, errors };
    });
  },

  async overdue(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const rows = await assignmentsRepository.overdue(ctx.db, orgId, new Date());
    const { items: ts } = await trainingsRepository.list(ctx.db, orgId, undefined, 10_000, 0);
    const items = describeAssignments(
      rows,
      await peopleRepository.all(ctx.db, orgId),
      ts,
      await departmentsOf(ctx.db, org),
    );
    const group = <K extends string | null>(
      key: (a: (typeof items)[number]) => K,
      name: (a: (typeof items)[number]) => string,
    ) => {
      const m = new Map<K, { name: string; overdue: number }>();
      for (const a of items) {
        const g = m.get(key(a)) ?? { name: name(a), overdue: 0 };
        g.overdue++;
        m.set(key(a), g);
      }
      return [...m.entries()].sort((a, b) => b[1].overdue - a[1].overdue);
    };
    return {
      items,
      byDepartment: group(
        (a) => a.departmentOrgId,
        (a) => a.departmentName ?? 'No department',
      ).map(([departmentOrgId, g]) => ({ departmentOrgId, ...g })),
      byManager: group(
        (a) => a.managerId,
        (a) => a.managerName ?? 'No manager',
      ).map(([managerId, g]) => ({ managerId, ...g })),
    };
  },

  // ---- phishing ----
  async importPhishing(ctx: Ctx, orgId: string, body: z.infer<typeof PhishingImportBody>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return storePhishing(ctx, orgId, body.name, readGophish(parseCsv(body.csv)), body.enrollTrainingId);
  },

  /**
   * Reads a campaign's results from a gophish server's REST API (`/api/campaigns/:id/results`). Its timeline is
   * the raw events export in JSON, so it goes through the same reader; event details (which carry submitted
   * form data) are never read.
   */
  async importPhishingFromGophish(
    ctx: Ctx,
    orgId: string,
    body: z.infer<typeof GophishApiImportBody>,
    policy: OutboundPolicy,
  ) {
    await orgsService.access(ctx, orgId, 'data.write');
    const url = `${body.baseUrl.replace(/\/$/, '')}/api/campaigns/${body.campaignId}/results`;
    let res: OutboundResponse;
    try {
      res = await outboundFetch(url, policy, {
        headers: { authorization: `Bearer ${body.apiKey}`, accept: 'application/json' },
        timeoutMs: 30_000,
        field: 'baseUrl',
      });
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError(
        'unavailable',
        `The gophish server at ${body.baseUrl} cannot be reached: ${(e as Error).message}`,
      );
    }
    if (!res.ok) {
      throw new AppError(
        'bad_request',
        res.status === 401 || res.status === 403
          ? 'The gophish server refused the API key'
          : `The gophish server answered ${res.status} for campaign ${body.campaignId}`,
      );
    }
    const data = ((): { name?: unknown; timeline?: unknown } | null => {
      try {
        return res.json() as { name?: unknown; timeline?: unknown } | null;
      } catch {
        return null;
      }
    })();
    if (!data || !Array.isArray(data.timeline)) {
      throw new AppError(
        'bad_request',
        'The gophish server did not answer with campaign results (no timeline)',
      );
    }
    const rows = (data.timeline as Record<string, unknown>[]).map((t) => ({
      email: String(t.email ?? ''),
      time: String(t.time ?? ''),
      message: String(t.message ?? ''),
    }));
    const parsed = readGophish({ headers: ['email', 'time', 'message'], rows });
    const name =
      body.name ??
      (typeof data.name === 'string' && data.name ? data.name : `gophish campaign ${body.campaignId}`);
    return storePhishing(ctx, orgId, name, { ...parsed, source: 'gophish-api' }, body.enrollTrainingId);
  },
  async listCampaigns(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    const { items, total } = await phishingRepository.campaigns(ctx.db, orgId, q, limit, offset);
    const results = await phishingRepository.results(
      ctx.db,
      orgId,
      items.map((c) => c.id),
    );
    return {
      items: items.map((c) => {
        const r = rates(results.filter((x) => x.campaignId === c.id));
        return { ...c, recipients: r.recipients, clicked: r.clicked, reported: r.reported };
      }),
      total,
      limit,
      offset,
    };
  },

  async renameCampaign(ctx: Ctx, orgId: string, campaignId: string, name: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    const row = await ctx.db.transaction(async (tx) => {
      const before = await phishingRepository.campaignById(tx, orgId, campaignId);
      if (!before) throw notFound('Phishing campaign', campaignId);
      const after = await phishingRepository.renameCampaign(tx, campaignId, name);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'phishing.update',
        targetType: 'phishing_campaign',
        targetId: campaignId,
        before,
        after,
      });
      return after;
    });
    const r = rates(await phishingRepository.results(ctx.db, orgId, [campaignId]));
    return { ...row, recipients: r.recipients, clicked: r.clicked, reported: r.reported };
  },

  async removeCampaign(ctx: Ctx, orgId: string, campaignId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await phishingRepository.campaignById(tx, orgId, campaignId);
      if (!before) throw notFound('Phishing campaign', campaignId);
      await phishingRepository.deleteCampaign(tx, campaignId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'phishing.delete',
        targetType: 'phishing_campaign',
        targetId: campaignId,
        before,
      });
    });
  },

  async phishingMetrics(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    return phishingMetricsOf(ctx.db, org);
  },

  // ---- public awareness ----
  async listAwareness(ctx: Ctx, orgId: string, q: string | undefined, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    return { ...(await awarenessRepository.list(ctx.db, orgId, q, limit, offset)), limit, offset };
  },

  async createAwareness(ctx: Ctx, orgId: string, input: z.infer<typeof CreateAwarenessCampaign>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const row = await awarenessRepository.insert(tx, { ...input, orgId });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'awareness.create',
        targetType: 'awareness_campaign',
        targetId: row.id,
        after: row,
      });
      return row;
    });
  },

  async updateAwareness(
    ctx: Ctx,
    orgId: string,
    campaignId: string,
    patch: z.infer<typeof UpdateAwarenessCampaign>,
  ) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const before = await awarenessRepository.byId(tx, orgId, campaignId);
      if (!before) throw notFound('Awareness campaign', campaignId);
      const startsAt = patch.startsAt ?? before.startsAt;
      const endsAt = patch.endsAt ?? before.endsAt;
      if (endsAt < startsAt) {
        throw new AppError(
          'validation',
          `The campaign would end (${endsAt.toISOString().slice(0, 10)}) before it starts (${startsAt.toISOString().slice(0, 10)})`,
          {
            errors: [{ path: patch.endsAt ? 'endsAt' : 'startsAt', message: 'must not be before startsAt' }],
          },
        );
      }
      const after = await awarenessRepository.update(tx, campaignId, patch);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'awareness.update',
        targetType: 'awareness_campaign',
        targetId: campaignId,
        before,
        after,
      });
      return after;
    });
  },

  async removeAwareness(ctx: Ctx, orgId: string, campaignId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const before = await awarenessRepository.byId(tx, orgId, campaignId);
      if (!before) throw notFound('Awareness campaign', campaignId);
      await awarenessRepository.delete(tx, campaignId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'awareness.delete',
        targetType: 'awareness_campaign',
        targetId: campaignId,
        before,
      });
    });
  },

  // ---- dashboard ----
  async dashboard(ctx: Ctx, orgId: string) {
    const org = await orgsService.access(ctx, orgId, 'data.read');
    const depts = await departmentsOf(ctx.db, org);
    const staff = (await peopleRepository.all(ctx.db, orgId)).filter((p) => p.active);
    const assignments = await assignmentsRepository.all(ctx.db, orgId);
    const coverage = await coverageOf(ctx.db, orgId);
    const phishing = await phishingMetricsOf(ctx.db, org);
    const now = new Date();
    const deptOf = new Map(staff.map((p) => [p.id, p.departmentOrgId]));
    // Completion counts duties already due or done; a training due next year does not lower today's figure.
    const countable = assignments.filter((a) => deptOf.has(a.personId) && (a.completedAt || a.dueAt < now));
    const completion = (rows: AssignmentRow[]) =>
      ratio(rows.filter((a) => a.completedAt).length, rows.length);
    const deptIds = [...new Set(staff.map((p) => p.departmentOrgId))];
    return {
      people: staff.length,
      roleCoverage: coverage.coverage,
      roleGap: coverage.totalNeeded - coverage.totalAssigned,
      trainingCompletion: completion(countable),
      overdue: assignments.filter((a) => deptOf.has(a.personId) && !a.completedAt && a.dueAt < now).length,
      byDepartment: deptIds
        .map((d) => {
          const ph = phishing.byDepartment.find((x) => x.departmentOrgId === d);
          return {
            departmentOrgId: d,
            name: d ? (depts.get(d)?.name ?? 'Unknown') : 'No department',
            people: staff.filter((p) => p.departmentOrgId === d).length,
            completion: completion(countable.filter((a) => deptOf.get(a.personId) === d)),
            clickRate: ph?.clickRate ?? null,
            reportRate: ph?.reportRate ?? null,
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name)),
      phishingTrend: phishing.overTime.map((c) => ({
        name: c.name,
        launchedAt: c.launchedAt,
        clickRate: c.clickRate,
        reportRate: c.reportRate,
      })),
    };
  },
};

type GophishRead = Omit<ReturnType<typeof readGophish>, 'source'> & { source: CampaignRow['source'] };

async function storePhishing(
  ctx: Ctx,
  orgId: string,
  name: string,
  { source, outcomes, errors, droppedColumns }: GophishRead,
  enrollTrainingId: string | undefined,
) {
  if (errors.length) {
    throw new AppError(
      'validation',
      `The gophish export has ${errors.length} error(s): nothing was imported`,
      {
        errors: errors.map((e) => ({ path: `row ${e.row}.${e.column}`, message: e.message })),
      },
    );
  }
  if (!outcomes.length) throw new AppError('validation', 'The gophish export lists no delivered email');
  return ctx.db.transaction(async (tx) => {
    const training = enrollTrainingId
      ? await trainingsRepository.byId(tx, orgId, enrollTrainingId)
      : undefined;
    if (enrollTrainingId && !training) {
      throw new AppError('validation', 'The training to enroll clickers in is not one of this organization', {
        errors: [{ path: 'enrollTrainingId', message: 'unknown training' }],
      });
    }
    const staff = await peopleRepository.all(tx, orgId);
    const byEmail = new Map(staff.filter((p) => p.email).map((p) => [p.email.toLowerCase(), p]));
    const launchedAt = new Date(Math.min(...outcomes.map((o) => (o.sentAt as Date).getTime())));
    const campaign = await phishingRepository.insertCampaign(tx, {
      orgId,
      name,
      source,
      launchedAt,
    });
    const rows = outcomes.map((o) => {
      const p = byEmail.get(o.email);
      return {
        ...o,
        orgId,
        campaignId: campaign.id,
        personId: p?.id ?? null,
        departmentOrgId: p?.departmentOrgId ?? null,
      };
    });
    await phishingRepository.insertResults(tx, rows);
    let enrolled = 0;
    if (training) {
      const open = new Set((await assignmentsRepository.openFor(tx, training.id)).map((a) => a.personId));
      const clickers = rows.filter(
        (r) => r.personId && (r.clickedAt || r.submittedAt) && !open.has(r.personId),
      );
      const dueAt = new Date(Math.max(training.dueAt.getTime(), Date.now() + 30 * DAY));
      enrolled = (
        await assignmentsRepository.insertMany(
          tx,
          clickers.map((r) => ({
            orgId,
            trainingId: training.id,
            personId: r.personId as string,
            dueAt,
            reason: `phishing: ${campaign.name}`,
          })),
        )
      ).length;
    }
    const summary = rates(rows as ResultRow[]);
    await auditService.record(tx, ctx, {
      orgId,
      action: 'phishing.import',
      targetType: 'phishing_campaign',
      targetId: campaign.id,
      after: {
        ...campaign,
        recipients: summary.recipients,
        clicked: summary.clicked,
        reported: summary.reported,
        enrolled,
        droppedColumns,
      },
    });
    return {
      campaign: {
        ...campaign,
        recipients: summary.recipients,
        clicked: summary.clicked,
        reported: summary.reported,
      },
      unmatched: rows.filter((r) => !r.personId).map((r) => r.email),
      droppedColumns,
      enrolled,
    };
  });
}

async function completeOne(
  tx: DbOrTx,
  ctx: Ctx,
  orgId: string,
  t: TrainingRow,
  personId: string,
  at: Date,
  source: 'manual' | 'lms' | 'api',
): Promise<boolean> {
  const open = (await assignmentsRepository.openFor(tx, t.id))
    .filter((a) => a.personId === personId)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  if (!open) return false;
  const after = await assignmentsRepository.complete(tx, open.id, at, source);
  if (t.recurrence === 'annual') {
    // Annual awareness: the next cycle is due a year after this one, whenever this one was actually done.
    const next = new Date(open.dueAt);
    next.setUTCFullYear(next.getUTCFullYear() + 1);
    await assignmentsRepository.insertMany(tx, [
      { orgId, trainingId: t.id, personId, dueAt: next, reason: open.reason },
    ]);
  }
  await auditService.record(tx, ctx, {
    orgId,
    action: 'training.complete',
    targetType: 'training_assignment',
    targetId: open.id,
    before: open,
    after,
  });
  return true;
}

async function coverageOf(db: DbOrTx, orgId: string) {
  const needs = await roleNeedsRepository.list(db, orgId);
  const staff = (await peopleRepository.all(db, orgId)).filter((p) => p.active);
  const gaps = roleGaps(
    needs,
    staff.map((p) => ({ id: p.id, roleIds: p.workRoleIds })),
  );
  const totalNeeded = gaps.reduce((s, g) => s + g.needed, 0);
  const totalAssigned = gaps.reduce((s, g) => s + g.assigned, 0);
  return { needs, gaps, totalNeeded, totalAssigned, coverage: ratio(totalAssigned, totalNeeded) };
}

async function phishingMetricsOf(db: DbOrTx, org: OrgRow) {
  const depts = await departmentsOf(db, org);
  const results = await phishingRepository.results(db, org.id);
  const campaigns = await phishingRepository.allCampaigns(db, org.id);
  const deptIds = [...new Set(results.map((r) => r.departmentOrgId))];
  return {
    overall: rates(results),
    byDepartment: deptIds
      .map((d) => ({
        departmentOrgId: d,
        name: d ? (depts.get(d)?.name ?? 'Unknown') : 'No department',
        ...rates(results.filter((r) => r.departmentOrgId === d)),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    overTime: campaigns.map((c) => ({
      campaignId: c.id,
      name: c.name,
      launchedAt: c.launchedAt,
      ...rates(results.filter((r) => r.campaignId === c.id)),
    })),
  };
}
