import { and, asc, count, desc, eq, ilike, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  awarenessCampaigns,
  people,
  phishingCampaigns,
  phishingResults,
  roleNeeds,
  trainingAssignments,
  trainings,
} from '../../db/schema/index.js';

export type PersonRow = typeof people.$inferSelect;
export type TrainingRow = typeof trainings.$inferSelect;
export type AssignmentRow = typeof trainingAssignments.$inferSelect;
export type CampaignRow = typeof phishingCampaigns.$inferSelect;
export type ResultRow = typeof phishingResults.$inferSelect;

export const peopleRepository = {
  async list(
    db: DbOrTx,
    orgId: string,
    f: { q?: string; departmentOrgId?: string; active?: boolean },
    limit: number,
    offset: number,
  ) {
    const conds: SQL[] = [eq(people.orgId, orgId)];
    if (f.q) {
      const like = `%${f.q}%`;
      conds.push(
        or(
          ilike(people.displayName, like),
          ilike(people.userName, like),
          ilike(people.email, like),
          ilike(people.jobTitle, like),
        )!,
      );
    }
    if (f.departmentOrgId) conds.push(eq(people.departmentOrgId, f.departmentOrgId));
    if (f.active !== undefined) conds.push(eq(people.active, f.active));
    const where = and(...conds);
    const items = await db
      .select()
      .from(people)
      .where(where)
      .orderBy(asc(people.displayName), asc(people.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(people).where(where);
    return { items, total: n };
  },
  async all(db: DbOrTx, orgId: string): Promise<PersonRow[]> {
    return db.select().from(people).where(eq(people.orgId, orgId)).orderBy(asc(people.displayName));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<PersonRow | undefined> {
    const [row] = await db
      .select()
      .from(people)
      .where(and(eq(people.orgId, orgId), eq(people.id, id)));
    return row;
  },
  async byUserName(db: DbOrTx, orgId: string, userName: string): Promise<PersonRow | undefined> {
    const [row] = await db
      .select()
      .from(people)
      .where(and(eq(people.orgId, orgId), sql`lower(${people.userName}) = ${userName.toLowerCase()}`));
    return row;
  },
  async byExternalId(db: DbOrTx, orgId: string, externalId: string): Promise<PersonRow | undefined> {
    const [row] = await db
      .select()
      .from(people)
      .where(and(eq(people.orgId, orgId), eq(people.externalId, externalId)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof people.$inferInsert): Promise<PersonRow> {
    const [created] = await db.insert(people).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof people.$inferInsert>): Promise<PersonRow> {
    const [row] = await db
      .update(people)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(people.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, orgId: string, id: string) {
    await db
      .update(people)
      .set({ managerId: null })
      .where(and(eq(people.orgId, orgId), eq(people.managerId, id)));
    await db.delete(people).where(and(eq(people.orgId, orgId), eq(people.id, id)));
  },
};

export const roleNeedsRepository = {
  async list(db: DbOrTx, orgId: string) {
    return db
      .select({ roleId: roleNeeds.roleId, count: roleNeeds.count })
      .from(roleNeeds)
      .where(eq(roleNeeds.orgId, orgId))
      .orderBy(asc(roleNeeds.position));
  },
  async replace(db: DbOrTx, orgId: string, needs: { roleId: string; count: number }[]) {
    await db.delete(roleNeeds).where(eq(roleNeeds.orgId, orgId));
    if (needs.length)
      await db.insert(roleNeeds).values(needs.map((n, position) => ({ orgId, ...n, position })));
  },
};

export const trainingsRepository = {
  async list(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(
      eq(trainings.orgId, orgId),
      q ? or(ilike(trainings.title, `%${q}%`), ilike(trainings.topic, `%${q}%`)) : undefined,
    );
    const items = await db
      .select()
      .from(trainings)
      .where(where)
      .orderBy(asc(trainings.dueAt), asc(trainings.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(trainings).where(where);
    return { items, total: n };
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<TrainingRow | undefined> {
    const [row] = await db
      .select()
      .from(trainings)
      .where(and(eq(trainings.orgId, orgId), eq(trainings.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof trainings.$inferInsert): Promise<TrainingRow> {
    const [created] = await db.insert(trainings).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof trainings.$inferInsert>): Promise<TrainingRow> {
    const [row] = await db
      .update(trainings)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(trainings.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(trainings).where(eq(trainings.id, id));
  },
  /** Assigned, completed and overdue counts per training (latest cycle only is not needed: every row is a duty). */
  async counts(db: DbOrTx, orgId: string, now: Date) {
    return db
      .select({
        trainingId: trainingAssignments.trainingId,
        assigned: count(),
        completed: sql<number>`count(${trainingAssignments.completedAt})::int`,
        overdue: sql<number>`count(*) filter (where ${trainingAssignments.completedAt} is null and ${trainingAssignments.dueAt} < ${now})::int`,
      })
      .from(trainingAssignments)
      .where(eq(trainingAssignments.orgId, orgId))
      .groupBy(trainingAssignments.trainingId);
  },
};

export const assignmentsRepository = {
  async openFor(db: DbOrTx, trainingId: string): Promise<AssignmentRow[]> {
    return db
      .select()
      .from(trainingAssignments)
      .where(and(eq(trainingAssignments.trainingId, trainingId), isNull(trainingAssignments.completedAt)));
  },
  async forTraining(db: DbOrTx, trainingId: string): Promise<AssignmentRow[]> {
    return db.select().from(trainingAssignments).where(eq(trainingAssignments.trainingId, trainingId));
  },
  async insertMany(db: DbOrTx, rows: (typeof trainingAssignments.$inferInsert)[]) {
    if (!rows.length) return [];
    return db.insert(trainingAssignments).values(rows).onConflictDoNothing().returning();
  },
  async complete(db: DbOrTx, id: string, at: Date, source: 'manual' | 'lms' | 'api') {
    const [row] = await db
      .update(trainingAssignments)
      .set({ completedAt: at, completionSource: source })
      .where(eq(trainingAssignments.id, id))
      .returning();
    return row;
  },
  async overdue(db: DbOrTx, orgId: string, now: Date): Promise<AssignmentRow[]> {
    return db
      .select()
      .from(trainingAssignments)
      .where(
        and(
          eq(trainingAssignments.orgId, orgId),
          isNull(trainingAssignments.completedAt),
          lt(trainingAssignments.dueAt, now),
        ),
      )
      .orderBy(asc(trainingAssignments.dueAt));
  },
  async all(db: DbOrTx, orgId: string): Promise<AssignmentRow[]> {
    return db.select().from(trainingAssignments).where(eq(trainingAssignments.orgId, orgId));
  },
};

export const phishingRepository = {
  async campaigns(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(
      eq(phishingCampaigns.orgId, orgId),
      q ? ilike(phishingCampaigns.name, `%${q}%`) : undefined,
    );
    const items = await db
      .select()
      .from(phishingCampaigns)
      .where(where)
      .orderBy(desc(phishingCampaigns.launchedAt), asc(phishingCampaigns.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(phishingCampaigns).where(where);
    return { items, total: n };
  },
  async campaignById(db: DbOrTx, orgId: string, id: string): Promise<CampaignRow | undefined> {
    const [row] = await db
      .select()
      .from(phishingCampaigns)
      .where(and(eq(phishingCampaigns.orgId, orgId), eq(phishingCampaigns.id, id)));
    return row;
  },
  async insertCampaign(db: DbOrTx, row: typeof phishingCampaigns.$inferInsert): Promise<CampaignRow> {
    const [created] = await db.insert(phishingCampaigns).values(row).returning();
    return created;
  },
  async insertResults(db: DbOrTx, rows: (typeof phishingResults.$inferInsert)[]) {
    for (let i = 0; i < rows.length; i += 500)
      await db.insert(phishingResults).values(rows.slice(i, i + 500));
  },
  async renameCampaign(db: DbOrTx, id: string, name: string): Promise<CampaignRow> {
    const [row] = await db
      .update(phishingCampaigns)
      .set({ name })
      .where(eq(phishingCampaigns.id, id))
      .returning();
    return row;
  },
  async deleteCampaign(db: DbOrTx, id: string) {
    await db.delete(phishingCampaigns).where(eq(phishingCampaigns.id, id));
  },
  async results(db: DbOrTx, orgId: string, campaignIds?: string[]): Promise<ResultRow[]> {
    return db
      .select()
      .from(phishingResults)
      .where(
        and(
          eq(phishingResults.orgId, orgId),
          campaignIds ? inArray(phishingResults.campaignId, campaignIds) : undefined,
        ),
      );
  },
  async allCampaigns(db: DbOrTx, orgId: string): Promise<CampaignRow[]> {
    return db
      .select()
      .from(phishingCampaigns)
      .where(eq(phishingCampaigns.orgId, orgId))
      .orderBy(asc(phishingCampaigns.launchedAt));
  },
};

export const awarenessRepository = {
  async list(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(
      eq(awarenessCampaigns.orgId, orgId),
      q
        ? or(ilike(awarenessCampaigns.title, `%${q}%`), ilike(awarenessCampaigns.audience, `%${q}%`))
        : undefined,
    );
    const items = await db
      .select()
      .from(awarenessCampaigns)
      .where(where)
      .orderBy(desc(awarenessCampaigns.startsAt), asc(awarenessCampaigns.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(awarenessCampaigns).where(where);
    return { items, total: n };
  },
  async byId(db: DbOrTx, orgId: string, id: string) {
    const [row] = await db
      .select()
      .from(awarenessCampaigns)
      .where(and(eq(awarenessCampaigns.orgId, orgId), eq(awarenessCampaigns.id, id)));
    return row;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof awarenessCampaigns.$inferInsert>) {
    const [row] = await db
      .update(awarenessCampaigns)
      .set(patch)
      .where(eq(awarenessCampaigns.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(awarenessCampaigns).where(eq(awarenessCampaigns.id, id));
  },
  async insert(db: DbOrTx, row: typeof awarenessCampaigns.$inferInsert) {
    const [created] = await db.insert(awarenessCampaigns).values(row).returning();
    return created;
  },
};
