import { and, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  evidenceCustody,
  incidentCommunications,
  incidentEvidence,
  incidentExercises,
  incidentNotifications,
  incidentObservables,
  incidentPlaybooks,
  incidents,
  incidentTasks,
  incidentTimeline,
  incidentTransitions,
  users,
} from '../../db/schema/index.js';

export type IncidentRow = typeof incidents.$inferSelect;
export type TaskRow = typeof incidentTasks.$inferSelect;
export type TimelineRow = typeof incidentTimeline.$inferSelect;
export type TransitionRow = typeof incidentTransitions.$inferSelect;
export type NotificationRow = typeof incidentNotifications.$inferSelect;
export type PlaybookRow = typeof incidentPlaybooks.$inferSelect;
export type EvidenceRow = typeof incidentEvidence.$inferSelect;
export type CommunicationRow = typeof incidentCommunications.$inferSelect;
export type ObservableRow = typeof incidentObservables.$inferSelect;

/** Evidence without its content: lists and metadata never load the bytes. */
const evidenceMeta = {
  id: incidentEvidence.id,
  orgId: incidentEvidence.orgId,
  incidentId: incidentEvidence.incidentId,
  fileName: incidentEvidence.fileName,
  contentType: incidentEvidence.contentType,
  size: incidentEvidence.size,
  sha256: incidentEvidence.sha256,
  description: incidentEvidence.description,
  custodian: incidentEvidence.custodian,
  uploadedBy: incidentEvidence.uploadedBy,
  uploadedAt: incidentEvidence.uploadedAt,
};
export type EvidenceMeta = Omit<EvidenceRow, 'content'>;

export const incidentsRepository = {
  async byId(db: DbOrTx, orgId: string, id: string): Promise<IncidentRow | undefined> {
    const [row] = await db
      .select()
      .from(incidents)
      .where(and(eq(incidents.orgId, orgId), eq(incidents.id, id)));
    return row;
  },
  async list(
    db: DbOrTx,
    orgId: string,
    f: {
      q?: string;
      status?: string;
      type?: string;
      technique?: string;
      exercises: 'exclude' | 'include' | 'only';
    },
    limit: number,
    offset: number,
  ) {
    const conds: (SQL | undefined)[] = [eq(incidents.orgId, orgId)];
    if (f.q) conds.push(or(ilike(incidents.title, `%${f.q}%`), ilike(incidents.summary, `%${f.q}%`)));
    if (f.status) conds.push(eq(incidents.status, f.status));
    if (f.type) conds.push(eq(incidents.type, f.type));
    if (f.technique)
      conds.push(sql`${incidents.attackTechniques} @> ${JSON.stringify([f.technique])}::jsonb`);
    if (f.exercises === 'exclude') conds.push(eq(incidents.exercise, false));
    if (f.exercises === 'only') conds.push(eq(incidents.exercise, true));
    const where = and(...conds);
    const items = await db
      .select()
      .from(incidents)
      .where(where)
      .orderBy(desc(incidents.detectedAt), asc(incidents.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(incidents).where(where);
    return { items, total: n };
  },
  async allForOrg(db: DbOrTx, orgId: string, exercise: boolean): Promise<IncidentRow[]> {
    return db
      .select()
      .from(incidents)
      .where(and(eq(incidents.orgId, orgId), eq(incidents.exercise, exercise)))
      .orderBy(asc(incidents.detectedAt));
  },
  async orgIdsWithOpenWork(db: DbOrTx): Promise<string[]> {
    const rows = await db
      .selectDistinct({ orgId: incidents.orgId })
      .from(incidents)
      .where(eq(incidents.exercise, false));
    return rows.map((r) => r.orgId);
  },
  async insert(db: DbOrTx, row: typeof incidents.$inferInsert): Promise<IncidentRow> {
    const [created] = await db.insert(incidents).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof incidents.$inferInsert>): Promise<IncidentRow> {
    const [row] = await db
      .update(incidents)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(incidents.id, id))
      .returning();
    return row;
  },
  async people(db: DbOrTx, ids: string[]) {
    if (!ids.length) return [];
    return db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, ids));
  },

  async transitions(db: DbOrTx, orgId: string, incidentIds: string[]): Promise<TransitionRow[]> {
    if (!incidentIds.length) return [];
    return db
      .select()
      .from(incidentTransitions)
      .where(and(eq(incidentTransitions.orgId, orgId), inArray(incidentTransitions.incidentId, incidentIds)))
      .orderBy(asc(incidentTransitions.at));
  },
  async insertTransition(db: DbOrTx, row: typeof incidentTransitions.$inferInsert) {
    await db.insert(incidentTransitions).values(row);
  },

  async tasks(db: DbOrTx, orgId: string, incidentId: string): Promise<TaskRow[]> {
    return db
      .select()
      .from(incidentTasks)
      .where(and(eq(incidentTasks.orgId, orgId), eq(incidentTasks.incidentId, incidentId)))
      .orderBy(asc(incidentTasks.position));
  },
  async task(db: DbOrTx, orgId: string, incidentId: string, id: string): Promise<TaskRow | undefined> {
    const [row] = await db
      .select()
      .from(incidentTasks)
      .where(
        and(
          eq(incidentTasks.orgId, orgId),
          eq(incidentTasks.incidentId, incidentId),
          eq(incidentTasks.id, id),
        ),
      );
    return row;
  },
  async insertTasks(db: DbOrTx, rows: (typeof incidentTasks.$inferInsert)[]): Promise<TaskRow[]> {
    if (!rows.length) return [];
    return db.insert(incidentTasks).values(rows).returning();
  },
  async updateTask(
    db: DbOrTx,
    id: string,
    patch: Partial<typeof incidentTasks.$inferInsert>,
  ): Promise<TaskRow> {
    const [row] = await db
      .update(incidentTasks)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(incidentTasks.id, id))
      .returning();
    return row;
  },
  async nextTaskPosition(db: DbOrTx, incidentId: string): Promise<number> {
    const [r] = await db
      .select({ n: count() })
      .from(incidentTasks)
      .where(eq(incidentTasks.incidentId, incidentId));
    return r.n;
  },

  async timeline(
    db: DbOrTx,
    orgId: string,
    incidentId: string,
    q: string | undefined,
    limit: number,
    offset: number,
  ) {
    const where = and(
      eq(incidentTimeline.orgId, orgId),
      eq(incidentTimeline.incidentId, incidentId),
      q ? ilike(incidentTimeline.text, `%${q}%`) : undefined,
    );
    const items = await db
      .select()
      .from(incidentTimeline)
      .where(where)
      .orderBy(asc(incidentTimeline.occurredAt), asc(incidentTimeline.recordedAt))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(incidentTimeline).where(where);
    return { items, total: n };
  },
  async insertTimeline(db: DbOrTx, rows: (typeof incidentTimeline.$inferInsert)[]): Promise<TimelineRow[]> {
    if (!rows.length) return [];
    return db.insert(incidentTimeline).values(rows).returning();
  },
  async hasTimelineRef(db: DbOrTx, incidentId: string, kind: string, ref: string): Promise<boolean> {
    const [r] = await db
      .select({ n: count() })
      .from(incidentTimeline)
      .where(
        and(
          eq(incidentTimeline.incidentId, incidentId),
          eq(incidentTimeline.kind, kind),
          eq(incidentTimeline.ref, ref),
        ),
      );
    return r.n > 0;
  },

  async notifications(db: DbOrTx, orgId: string, incidentIds: string[]): Promise<NotificationRow[]> {
    if (!incidentIds.length) return [];
    return db
      .select()
      .from(incidentNotifications)
      .where(
        and(eq(incidentNotifications.orgId, orgId), inArray(incidentNotifications.incidentId, incidentIds)),
      );
  },
  async insertNotification(
    db: DbOrTx,
    row: typeof incidentNotifications.$inferInsert,
  ): Promise<NotificationRow> {
    const [created] = await db.insert(incidentNotifications).values(row).returning();
    return created;
  },

  async playbooks(db: DbOrTx, orgId: string): Promise<PlaybookRow[]> {
    return db
      .select()
      .from(incidentPlaybooks)
      .where(eq(incidentPlaybooks.orgId, orgId))
      .orderBy(asc(incidentPlaybooks.key), desc(incidentPlaybooks.createdAt));
  },
  async playbook(db: DbOrTx, orgId: string, id: string): Promise<PlaybookRow | undefined> {
    const [row] = await db
      .select()
      .from(incidentPlaybooks)
      .where(and(eq(incidentPlaybooks.orgId, orgId), eq(incidentPlaybooks.id, id)));
    return row;
  },
  async playbookVersions(db: DbOrTx, orgId: string, key: string): Promise<PlaybookRow[]> {
    return db
      .select()
      .from(incidentPlaybooks)
      .where(and(eq(incidentPlaybooks.orgId, orgId), eq(incidentPlaybooks.key, key)));
  },
  async insertPlaybook(db: DbOrTx, row: typeof incidentPlaybooks.$inferInsert): Promise<PlaybookRow> {
    const [created] = await db.insert(incidentPlaybooks).values(row).returning();
    return created;
  },

  async evidenceList(db: DbOrTx, orgId: string, incidentId: string): Promise<EvidenceMeta[]> {
    return db
      .select(evidenceMeta)
      .from(incidentEvidence)
      .where(and(eq(incidentEvidence.orgId, orgId), eq(incidentEvidence.incidentId, incidentId)))
      .orderBy(asc(incidentEvidence.uploadedAt));
  },
  async evidence(
    db: DbOrTx,
    orgId: string,
    incidentId: string,
    id: string,
  ): Promise<EvidenceMeta | undefined> {
    const [row] = await db
      .select(evidenceMeta)
      .from(incidentEvidence)
      .where(
        and(
          eq(incidentEvidence.orgId, orgId),
          eq(incidentEvidence.incidentId, incidentId),
          eq(incidentEvidence.id, id),
        ),
      );
    return row;
  },
  async evidenceContent(db: DbOrTx, id: string): Promise<Buffer> {
    const [row] = await db
      .select({ content: incidentEvidence.content })
      .from(incidentEvidence)
      .where(eq(incidentEvidence.id, id));
    return row.content;
  },
  async insertEvidence(db: DbOrTx, row: typeof incidentEvidence.$inferInsert): Promise<EvidenceMeta> {
    const [created] = await db.insert(incidentEvidence).values(row).returning(evidenceMeta);
    return created;
  },
  async updateEvidence(db: DbOrTx, id: string, patch: { custodian: string }) {
    await db.update(incidentEvidence).set(patch).where(eq(incidentEvidence.id, id));
  },
  async custody(db: DbOrTx, orgId: string, evidenceId: string) {
    return db
      .select()
      .from(evidenceCustody)
      .where(and(eq(evidenceCustody.orgId, orgId), eq(evidenceCustody.evidenceId, evidenceId)))
      .orderBy(asc(evidenceCustody.at));
  },
  async insertCustody(db: DbOrTx, row: typeof evidenceCustody.$inferInsert) {
    const [created] = await db.insert(evidenceCustody).values(row).returning();
    return created;
  },

  async exercise(db: DbOrTx, orgId: string, incidentId: string) {
    const [row] = await db
      .select()
      .from(incidentExercises)
      .where(and(eq(incidentExercises.orgId, orgId), eq(incidentExercises.incidentId, incidentId)));
    return row as typeof incidentExercises.$inferSelect | undefined;
  },
  async observablesAll(db: DbOrTx, orgId: string, incidentId: string): Promise<ObservableRow[]> {
    return db
      .select()
      .from(incidentObservables)
      .where(and(eq(incidentObservables.orgId, orgId), eq(incidentObservables.incidentId, incidentId)))
      .orderBy(asc(incidentObservables.createdAt), asc(incidentObservables.id));
  },
  async observable(db: DbOrTx, orgId: string, incidentId: string, id: string) {
    const [row] = await db
      .select()
      .from(incidentObservables)
      .where(
        and(
          eq(incidentObservables.orgId, orgId),
          eq(incidentObservables.incidentId, incidentId),
          eq(incidentObservables.id, id),
        ),
      );
    return row as ObservableRow | undefined;
  },
  async observableByStixId(db: DbOrTx, incidentId: string, stixId: string) {
    const [row] = await db
      .select({ id: incidentObservables.id })
      .from(incidentObservables)
      .where(and(eq(incidentObservables.incidentId, incidentId), eq(incidentObservables.stixId, stixId)));
    return row;
  },
  async insertObservable(db: DbOrTx, row: typeof incidentObservables.$inferInsert): Promise<ObservableRow> {
    const [r] = await db.insert(incidentObservables).values(row).returning();
    return r;
  },
  async deleteObservable(db: DbOrTx, id: string) {
    await db.delete(incidentObservables).where(eq(incidentObservables.id, id));
  },

  async communications(
    db: DbOrTx,
    orgId: string,
    incidentId: string,
    q: string | undefined,
    limit: number,
    offset: number,
  ) {
    const where = and(
      eq(incidentCommunications.orgId, orgId),
      eq(incidentCommunications.incidentId, incidentId),
      q
        ? or(
            ilike(incidentCommunications.summary, `%${q}%`),
            ilike(incidentCommunications.contactName, `%${q}%`),
          )
        : undefined,
    );
    const items = await db
      .select()
      .from(incidentCommunications)
      .where(where)
      .orderBy(asc(incidentCommunications.occurredAt))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(incidentCommunications).where(where);
    return { items, total: n };
  },
  async insertCommunication(
    db: DbOrTx,
    row: typeof incidentCommunications.$inferInsert,
  ): Promise<CommunicationRow> {
    const [created] = await db.insert(incidentCommunications).values(row).returning();
    return created;
  },
};
