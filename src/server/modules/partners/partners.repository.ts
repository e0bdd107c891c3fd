import { and, asc, count, eq, ilike, isNotNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agreements, partnerContacts, partners } from '../../db/schema/index.js';

export type PartnerRow = typeof partners.$inferSelect;
export type ContactRow = typeof partnerContacts.$inferSelect;
export type AgreementRow = typeof agreements.$inferSelect;

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
