import { and, asc, count, desc, eq, exists, ilike, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  agreementDocuments,
  agreements,
  cooperationActivities,
  cooperationActivityPartners,
  partnerContacts,
  partners,
} from '../../db/schema/index.js';

export type PartnerRow = typeof partners.$inferSelect;
export type ContactRow = typeof partnerContacts.$inferSelect;
export type AgreementRow = typeof agreements.$inferSelect;
export type ActivityRow = typeof cooperationActivities.$inferSelect;
export type DocumentRow = typeof agreementDocuments.$inferSelect;

export const partnersRepository = {
  async list(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(
      eq(partners.orgId, orgId),
      q ? or(ilike(partners.name, `%${q}%`), ilike(partners.sector, `%${q}%`)) : undefined,
    );
    const items = await db
      .select()
      .from(partners)
      .where(where)
      .orderBy(asc(partners.name), asc(partners.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(partners).where(where);
    return { items, total: n };
  },
  async all(db: DbOrTx, orgId: string): Promise<PartnerRow[]> {
    return db.select().from(partners).where(eq(partners.orgId, orgId));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<PartnerRow | undefined> {
    const [row] = await db
      .select()
      .from(partners)
      .where(and(eq(partners.orgId, orgId), eq(partners.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof partners.$inferInsert): Promise<PartnerRow> {
    const [created] = await db.insert(partners).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof partners.$inferInsert>): Promise<PartnerRow> {
    const [row] = await db
      .update(partners)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(partners.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(partners).where(eq(partners.id, id));
  },
};

export const contactsRepository = {
  async list(db: DbOrTx, orgId: string): Promise<ContactRow[]> {
    return db
      .select()
      .from(partnerContacts)
      .where(eq(partnerContacts.orgId, orgId))
      .orderBy(asc(partnerContacts.name), asc(partnerContacts.id));
  },
  /** The crisis roster: contacts with an escalation order, by service, incident type and order. */
  async roster(db: DbOrTx, orgId: string): Promise<ContactRow[]> {
    return db
      .select()
      .from(partnerContacts)
      .where(and(eq(partnerContacts.orgId, orgId), isNotNull(partnerContacts.escalationOrder)))
      .orderBy(
        asc(partnerContacts.service),
        asc(partnerContacts.incidentType),
        asc(partnerContacts.escalationOrder),
        asc(partnerContacts.name),
      );
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<ContactRow | undefined> {
    const [row] = await db
      .select()
      .from(partnerContacts)
      .where(and(eq(partnerContacts.orgId, orgId), eq(partnerContacts.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof partnerContacts.$inferInsert): Promise<ContactRow> {
    const [created] = await db.insert(partnerContacts).values(row).returning();
    return created;
  },
  async update(
    db: DbOrTx,
    id: string,
    patch: Partial<typeof partnerContacts.$inferInsert>,
  ): Promise<ContactRow> {
    const [row] = await db.update(partnerContacts).set(patch).where(eq(partnerContacts.id, id)).returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(partnerContacts).where(eq(partnerContacts.id, id));
  },
};

export const agreementsRepository = {
  async list(db: DbOrTx, orgId: string, q: string | undefined) {
    return db
      .select()
      .from(agreements)
      .where(and(eq(agreements.orgId, orgId), q ? ilike(agreements.title, `%${q}%`) : undefined))
      .orderBy(sql`${agreements.endsAt} asc nulls last`, asc(agreements.id));
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<AgreementRow | undefined> {
    const [row] = await db
      .select()
      .from(agreements)
      .where(and(eq(agreements.orgId, orgId), eq(agreements.id, id)));
    return row;
  },
  async insert(db: DbOrTx, row: typeof agreements.$inferInsert): Promise<AgreementRow> {
    const [created] = await db.insert(agreements).values(row).returning();
    return created;
  },
  async update(
    db: DbOrTx,
    id: string,
    patch: Partial<typeof agreements.$inferInsert>,
  ): Promise<AgreementRow> {
    const [row] = await db
      .update(agreements)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(agreements.id, id))
      .returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(agreements).where(eq(agreements.id, id));
  },
  /** Agreements inside their reminder window, not yet expired, not yet reminded for this end date. */
  async due(db: DbOrTx, now: Date): Promise<AgreementRow[]> {
    return db
      .select()
      .from(agreements)
      .where(
        and(
          isNotNull(agreements.endsAt),
          sql`${agreements.endsAt} > ${now}`,
          sql`${agreements.endsAt} - make_interval(days => ${agreements.reminderDays}) <= ${now}`,
          sql`${agreements.remindedForEnd} is distinct from ${agreements.endsAt}`,
          sql`${agreements.notifyEmail} <> ''`,
        ),
      )
      .orderBy(asc(agreements.endsAt));
  },
  async markReminded(db: DbOrTx, id: string, end: Date) {
    await db.update(agreements).set({ remindedForEnd: end }).where(eq(agreements.id, id));
  },
};

const documentMeta = {
  id: agreementDocuments.id,
  orgId: agreementDocuments.orgId,
  agreementId: agreementDocuments.agreementId,
  title: agreementDocuments.title,
  fileName: agreementDocuments.fileName,
  mediaType: agreementDocuments.mediaType,
  size: agreementDocuments.size,
  sha256: agreementDocuments.sha256,
  uploadedBy: agreementDocuments.uploadedBy,
  createdAt: agreementDocuments.createdAt,
};
export type DocumentMeta = Omit<DocumentRow, 'content'>;

export const documentsRepository = {
  /** Documents of these agreements, without their content. */
  async meta(db: DbOrTx, orgId: string, agreementIds: string[]): Promise<DocumentMeta[]> {
    if (!agreementIds.length) return [];
    return db
      .select(documentMeta)
      .from(agreementDocuments)
      .where(and(eq(agreementDocuments.orgId, orgId), inArray(agreementDocuments.agreementId, agreementIds)))
      .orderBy(asc(agreementDocuments.createdAt), asc(agreementDocuments.id));
  },
  async byId(db: DbOrTx, orgId: string, agreementId: string, id: string): Promise<DocumentRow | undefined> {
    const [row] = await db
      .select()
      .from(agreementDocuments)
      .where(
        and(
          eq(agreementDocuments.orgId, orgId),
          eq(agreementDocuments.agreementId, agreementId),
          eq(agreementDocuments.id, id),
        ),
      );
    return row;
  },
  async insert(db: DbOrTx, row: typeof agreementDocuments.$inferInsert): Promise<DocumentMeta> {
    const [created] = await db.insert(agreementDocuments).values(row).returning(documentMeta);
    return created;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(agreementDocuments).where(eq(agreementDocuments.id, id));
  },
};

export interface ActivityFilter {
  q?: string;
  kind?: string;
  status?: string;
  partnerId?: string;
}

export const activitiesRepository = {
  async list(db: DbOrTx, orgId: string, f: ActivityFilter, limit: number, offset: number) {
    const where = and(
      eq(cooperationActivities.orgId, orgId),
      f.q
        ? or(
            ilike(cooperationActivities.title, `%${f.q}%`),
            ilike(cooperationActivities.description, `%${f.q}%`),
            ilike(cooperationActivities.outcomes, `%${f.q}%`),
          )
        : undefined,
      f.kind ? eq(cooperationActivities.kind, f.kind as ActivityRow['kind']) : undefined,
      f.status ? eq(cooperationActivities.status, f.status as ActivityRow['status']) : undefined,
      f.partnerId
        ? exists(
            db
              .select({ one: sql`1` })
              .from(cooperationActivityPartners)
              .where(
                and(
                  eq(cooperationActivityPartners.activityId, cooperationActivities.id),
                  eq(cooperationActivityPartners.partnerId, f.partnerId),
                ),
              ),
          )
        : undefined,
    );
    const items = await db
      .select()
      .from(cooperationActivities)
      .where(where)
      .orderBy(desc(cooperationActivities.startsOn), asc(cooperationActivities.id))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(cooperationActivities).where(where);
    return { items, total: n };
  },
  async byId(db: DbOrTx, orgId: string, id: string): Promise<ActivityRow | undefined> {
    const [row] = await db
      .select()
      .from(cooperationActivities)
      .where(and(eq(cooperationActivities.orgId, orgId), eq(cooperationActivities.id, id)));
    return row;
  },
  /** Partner ids and names of these activities. */
  async partnersOf(db: DbOrTx, orgId: string, activityIds: string[]) {
    if (!activityIds.length) return [];
    return db
      .select({
        activityId: cooperationActivityPartners.activityId,
        id: partners.id,
        name: partners.name,
      })
      .from(cooperationActivityPartners)
      .innerJoin(partners, eq(partners.id, cooperationActivityPartners.partnerId))
      .where(
        and(
          eq(cooperationActivityPartners.orgId, orgId),
          inArray(cooperationActivityPartners.activityId, activityIds),
        ),
      )
      .orderBy(asc(partners.name));
  },
  async insert(db: DbOrTx, row: typeof cooperationActivities.$inferInsert): Promise<ActivityRow> {
    const [created] = await db.insert(cooperationActivities).values(row).returning();
    return created;
  },
  async update(
    db: DbOrTx,
    id: string,
    patch: Partial<typeof cooperationActivities.$inferInsert>,
  ): Promise<ActivityRow> {
    const [row] = await db
      .update(cooperationActivities)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(cooperationActivities.id, id))
      .returning();
    return row;
  },
  async setPartners(db: DbOrTx, orgId: string, activityId: string, partnerIds: string[]) {
    await db
      .delete(cooperationActivityPartners)
      .where(eq(cooperationActivityPartners.activityId, activityId));
    if (partnerIds.length) {
      await db
        .insert(cooperationActivityPartners)
        .values(partnerIds.map((partnerId) => ({ activityId, partnerId, orgId })));
    }
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(cooperationActivities).where(eq(cooperationActivities.id, id));
  },
};
