import { and, asc, count, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, containsLike as like } from '../../db/client.js';
import { objectives, riskEvents, riskSettings, risks, treatmentActions } from '../../db/schema/index.js';

export type RiskRow = typeof risks.$inferSelect;
export type RiskInsert = typeof risks.$inferInsert;
export type ActionRow = typeof treatmentActions.$inferSelect;
export type ObjectiveRow = typeof objectives.$inferSelect;

export const risksRepository = {
  async matrix(db: DbOrTx, orgId: string) {
    const [row] = await db.select().from(riskSettings).where(eq(riskSettings.orgId, orgId));
    return row?.matrix;
  },
  async setMatrix(db: DbOrTx, orgId: string, matrix: (typeof riskSettings.$inferInsert)['matrix']) {
    await db
      .insert(riskSettings)
      .values({ orgId, matrix })
      .onConflictDoUpdate({ target: riskSettings.orgId, set: { matrix, updatedAt: new Date() } });
  },
  /** All risks of an organization matching the text, status and technique filters (levels are computed by the caller). */
  async all(
    db: DbOrTx,
    orgId: string,
    f: { q?: string; status?: string; technique?: string } = {},
  ): Promise<RiskRow[]> {
    const where: SQL | undefined = and(
      eq(risks.orgId, orgId),
      f.q
        ? or(ilike(risks.title, like(f.q)), ilike(risks.scenario, like(f.q)), ilike(risks.threat, like(f.q)))
        : undefined,
      f.status ? eq(risks.status, f.status as RiskRow['status']) : undefined,
      f.technique ? sql`${risks.attackTechniques} @> ${JSON.stringify([f.technique])}::jsonb` : undefined,
    );
    return db.select().from(risks).where(where).orderBy(asc(risks.createdAt), asc(risks.id));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<RiskRow | undefined> {
    const [row] = await db
      .select()
      .from(risks)
      .where(and(eq(risks.orgId, orgId), eq(risks.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: RiskInsert): Promise<RiskRow> {
    const [created] = await db.insert(risks).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<RiskInsert>): Promise<RiskRow> {
    const [row] = await db
      .update(risks)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(risks.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(risks).where(eq(risks.id, id));
  },
  async maxRatings(db: DbOrTx, orgId: string) {
    const [r] = await db
      .select({
        l: sql<number>`coalesce(max(greatest(${risks.inherentLikelihood}, coalesce(${risks.residualLikelihood}, 0))), 0)::int`,
        i: sql<number>`coalesce(max(greatest(${risks.inherentImpact}, coalesce(${risks.residualImpact}, 0))), 0)::int`,
        n: count(),
      })
      .from(risks)
      .where(eq(risks.orgId, orgId));
    return r;
  },
  async addEvent(db: DbOrTx, row: typeof riskEvents.$inferInsert) {
    await db.insert(riskEvents).values(row);
  },
  async events(db: DbOrTx, orgId: string, riskId: string) {
    return db
      .select()
      .from(riskEvents)
      .where(and(eq(riskEvents.orgId, orgId), eq(riskEvents.riskId, riskId)))
      .orderBy(desc(riskEvents.at), desc(riskEvents.id));
  },
};

export const actionsRepository = {
  /** Forget a deleted objective in the actions that served it. */
  async dropObjective(db: DbOrTx, orgId: string, objectiveId: string) {
    await db
      .update(treatmentActions)
      .set({ objectiveIds: sql`${treatmentActions.objectiveIds} - ${objectiveId}::text` })
      .where(
        and(eq(treatmentActions.orgId, orgId), sql`${treatmentActions.objectiveIds} ? ${objectiveId}::text`),
      );
  },
  async all(db: DbOrTx, orgId: string): Promise<ActionRow[]> {
    return db
      .select()
      .from(treatmentActions)
      .where(eq(treatmentActions.orgId, orgId))
      .orderBy(asc(treatmentActions.createdAt), asc(treatmentActions.id));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<ActionRow | undefined> {
    const [row] = await db
      .select()
      .from(treatmentActions)
      .where(and(eq(treatmentActions.orgId, orgId), eq(treatmentActions.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof treatmentActions.$inferInsert): Promise<ActionRow> {
    const [created] = await db.insert(treatmentActions).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof treatmentActions.$inferInsert>) {
    const [row] = await db
      .update(treatmentActions)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(treatmentActions.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(treatmentActions).where(eq(treatmentActions.id, id));
  },
};

export const objectivesRepository = {
  async all(db: DbOrTx, orgId: string): Promise<ObjectiveRow[]> {
    return db
      .select()
      .from(objectives)
      .where(eq(objectives.orgId, orgId))
      .orderBy(asc(objectives.createdAt), asc(objectives.id));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<ObjectiveRow | undefined> {
    const [row] = await db
      .select()
      .from(objectives)
      .where(and(eq(objectives.orgId, orgId), eq(objectives.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof objectives.$inferInsert): Promise<ObjectiveRow> {
    const [created] = await db.insert(objectives).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof objectives.$inferInsert>) {
    const [row] = await db
      .update(objectives)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(objectives.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(objectives).where(eq(objectives.id, id));
  },
};
