import { and, asc, desc, eq, gt, gte, ilike, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditEvents, settings } from '../../db/schema/index.js';

export type AuditRow = typeof auditEvents.$inferSelect;
export type NewAuditRow = typeof auditEvents.$inferInsert;

const CHAIN_LOCK = 727_465_002;
const HEAD_KEY = 'audit.head';

export const auditRepository = {
  /** Serializes appends to the chain across processes until the transaction ends. */
  async lockChain(tx: DbOrTx) {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  },
  async head(tx: DbOrTx): Promise<{ seq: number; hash: string } | null> {
    const [row] = await tx.select().from(settings).where(eq(settings.key, HEAD_KEY));
    return row ? (JSON.parse(row.value) as { seq: number; hash: string }) : null;
  },
  async insert(tx: DbOrTx, row: NewAuditRow): Promise<AuditRow> {
    const [inserted] = await tx.insert(auditEvents).values(row).returning();
    const head = JSON.stringify({ seq: inserted.seq, hash: inserted.hash });
    await tx
      .insert(settings)
      .values({ key: HEAD_KEY, value: head })
      .onConflictDoUpdate({ target: settings.key, set: { value: head, updatedAt: new Date() } });
    return inserted;
  },
  async list(
    db: DbOrTx,
    f: {
      orgIds?: string[] | null;
      action?: string;
      actor?: string;
      targetType?: string;
      targetId?: string;
      from?: Date;
      to?: Date;
      q?: string;
      beforeSeq?: number;
      limit: number;
    },
  ): Promise<AuditRow[]> {
    const where: SQL[] = [];
    if (f.orgIds)
      where.push(
        inArray(auditEvents.orgId, f.orgIds.length ? f.orgIds : ['00000000-0000-0000-0000-000000000000']),
      );
    if (f.action) where.push(ilike(auditEvents.action, `${f.action}%`));
    if (f.actor) where.push(ilike(auditEvents.actorLabel, `%${f.actor}%`));
    if (f.targetType) where.push(eq(auditEvents.targetType, f.targetType));
    if (f.targetId) where.push(eq(auditEvents.targetId, f.targetId));
    if (f.from) where.push(gte(auditEvents.at, f.from));
    if (f.to) where.push(lte(auditEvents.at, f.to));
    if (f.beforeSeq) where.push(lt(auditEvents.seq, f.beforeSeq));
    if (f.q) {
      const like = `%${f.q}%`;
      where.push(
        or(
          ilike(auditEvents.action, like),
          ilike(auditEvents.actorLabel, like),
          ilike(auditEvents.targetId, like),
        )!,
      );
    }
    return db
      .select()
      .from(auditEvents)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(auditEvents.seq))
      .limit(f.limit);
  },
  async *walk(db: DbOrTx, batch = 2000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const page = await db
        .select()
        .from(auditEvents)
        .where(gt(auditEvents.seq, after))
        .orderBy(asc(auditEvents.seq))
        .limit(batch);
      for (const row of page) yield row;
      if (page.length < batch) return;
      after = page[page.length - 1].seq;
    }
  },
};
