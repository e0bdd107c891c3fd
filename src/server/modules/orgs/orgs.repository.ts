import { and, asc, count, eq, ilike, inArray, like, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { memberships, organizations, users } from '../../db/schema/index.js';

export type OrgRow = typeof organizations.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;

export const orgsRepository = {
  async byId(db: DbOrTx, id: string): Promise<OrgRow | undefined> {
    const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
    return row;
  },
  async bySlug(db: DbOrTx, slug: string): Promise<OrgRow | undefined> {
    const [row] = await db.select().from(organizations).where(eq(organizations.slug, slug));
    return row;
  },
  async all(db: DbOrTx): Promise<OrgRow[]> {
    return db.select().from(organizations).orderBy(asc(organizations.path));
  },
  /** Organizations whose path starts with one of the prefixes (the subtrees) or whose id is listed. */
  async visible(db: DbOrTx, ids: string[], subtreePaths: string[]): Promise<OrgRow[]> {
    const conds = [];
    if (ids.length) conds.push(inArray(organizations.id, ids));
    for (const p of subtreePaths) conds.push(like(organizations.path, `${p}%`));
    if (!conds.length) return [];
    return db
      .select()
      .from(organizations)
      .where(or(...conds))
      .orderBy(asc(organizations.path));
  },
  async insert(
    db: DbOrTx,
    row: Omit<typeof organizations.$inferInsert, 'path'> & { id: string; path: string },
  ) {
    const [created] = await db.insert(organizations).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof organizations.$inferInsert>) {
    const [row] = await db
      .update(organizations)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(organizations.id, id))
      .returning();
    return row;
  },
  async childCount(db: DbOrTx, id: string): Promise<number> {
    const [r] = await db.select({ n: count() }).from(organizations).where(eq(organizations.parentId, id));
    return r.n;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(organizations).where(eq(organizations.id, id));
  },
};

export const usersRepository = {
  async byId(db: DbOrTx, id: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(eq(users.id, id));
    return row;
  },
  async byEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
    return row;
  },
  async bySubject(db: DbOrTx, subject: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(eq(users.oidcSubject, subject));
    return row;
  },
  async insert(db: DbOrTx, row: typeof users.$inferInsert): Promise<UserRow> {
    const [created] = await db.insert(users).values(row).returning();
    return created;
  },
  async update(db: DbOrTx, id: string, patch: Partial<typeof users.$inferInsert>): Promise<UserRow> {
    const [row] = await db
      .update(users)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    return row;
  },
  async list(db: DbOrTx, q: string | undefined, limit: number, offset: number) {
    const where = q ? or(ilike(users.email, `%${q}%`), ilike(users.name, `%${q}%`)) : undefined;
    const items = await db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(users.email))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db.select({ n: count() }).from(users).where(where);
    return { items, total: n };
  },
  async count(db: DbOrTx): Promise<number> {
    const [{ n }] = await db.select({ n: count() }).from(users);
    return n;
  },
};

export const membershipsRepository = {
  async grantsOf(db: DbOrTx, userId: string) {
    return db
      .select({
        orgId: memberships.orgId,
        orgPath: organizations.path,
        role: memberships.role,
        inherit: memberships.inherit,
      })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.userId, userId));
  },
  async byId(db: DbOrTx, id: string): Promise<MembershipRow | undefined> {
    const [row] = await db.select().from(memberships).where(eq(memberships.id, id));
    return row;
  },
  async find(db: DbOrTx, userId: string, orgId: string): Promise<MembershipRow | undefined> {
    const [row] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)));
    return row;
  },
  async listForOrg(db: DbOrTx, orgId: string, q: string | undefined, limit: number, offset: number) {
    const where = and(
      eq(memberships.orgId, orgId),
      q ? or(ilike(users.email, `%${q}%`), ilike(users.name, `%${q}%`)) : undefined,
    );
    const items = await db
      .select({ m: memberships, u: users })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(where)
      .orderBy(asc(users.email))
      .limit(limit)
      .offset(offset);
    const [{ n }] = await db
      .select({ n: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(where);
    return { items, total: n };
  },
  async adminsOf(db: DbOrTx, orgId: string): Promise<number> {
    const [{ n }] = await db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'admin')));
    return n;
  },
  async insert(db: DbOrTx, row: typeof memberships.$inferInsert): Promise<MembershipRow> {
    const [created] = await db.insert(memberships).values(row).returning();
    return created;
  },
  async update(
    db: DbOrTx,
    id: string,
    patch: Partial<typeof memberships.$inferInsert>,
  ): Promise<MembershipRow> {
    const [row] = await db.update(memberships).set(patch).where(eq(memberships.id, id)).returning();
    return row;
  },
  async delete(db: DbOrTx, id: string) {
    await db.delete(memberships).where(eq(memberships.id, id));
  },
};
