import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { apiTokens, sessions, users } from '../../db/schema/index.js';

export type TokenRow = typeof apiTokens.$inferSelect;

export const authRepository = {
  async insertSession(db: DbOrTx, row: typeof sessions.$inferInsert) {
    await db.insert(sessions).values(row);
  },
  async sessionWithUser(db: DbOrTx, idHash: string) {
    const [row] = await db
      .select({ s: sessions, u: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.idHash, idHash));
    return row;
  },
  async deleteSession(db: DbOrTx, idHash: string) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
  },
  async deleteSessionsOf(db: DbOrTx, userId: string, exceptIdHash?: string) {
    const rows = await db.select({ h: sessions.idHash }).from(sessions).where(eq(sessions.userId, userId));
    for (const r of rows) if (r.h !== exceptIdHash) await db.delete(sessions).where(eq(sessions.idHash, r.h));
  },
  async deleteExpiredSessions(db: DbOrTx, now: Date) {
    await db.delete(sessions).where(lt(sessions.expiresAt, now));
  },
  async tokenWithUser(db: DbOrTx, tokenHash: string) {
    const [row] = await db
      .select({ t: apiTokens, u: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, tokenHash));
    return row;
  },
  async touchToken(db: DbOrTx, id: string, at: Date) {
    await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
  },
  async insertToken(db: DbOrTx, row: typeof apiTokens.$inferInsert): Promise<TokenRow> {
    const [created] = await db.insert(apiTokens).values(row).returning();
    return created;
  },
  async tokensOf(db: DbOrTx, userId: string): Promise<TokenRow[]> {
    return db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt));
  },
  async tokenById(db: DbOrTx, id: string): Promise<TokenRow | undefined> {
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
    return row;
  },
  async revokeToken(db: DbOrTx, id: string, at: Date): Promise<TokenRow> {
    const [row] = await db.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id)).returning();
    return row;
  },
};
