import { and, count, desc, eq, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { type JobStatus, jobSchedules, jobs } from '../../db/schema/index.js';

export type JobRow = typeof jobs.$inferSelect;

interface RawJob {
  id: string | number;
  name: string;
  org_id: string | null;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

export const jobsRepository = {
  async insert(db: DbOrTx, row: typeof jobs.$inferInsert): Promise<JobRow> {
    const [created] = await db.insert(jobs).values(row).returning();
    return created;
  },
  async pendingByDedupeKey(db: DbOrTx, key: string): Promise<JobRow | undefined> {
    const [row] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.dedupeKey, key), inArray(jobs.status, ['queued', 'running'])));
    return row;
  },
  /** Claims the next due job; SKIP LOCKED lets several workers poll one table without taking the same job. */
  async claim(db: DbOrTx, workerId: string, names: string[]): Promise<RawJob | undefined> {
    if (!names.length) return undefined;
    const nameList = sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    );
    const [row] = await rows<RawJob>(
      db,
      sql`update jobs set status = 'running', locked_by = ${workerId}, locked_at = now(), attempts = attempts + 1
          where id = (select id from jobs where status = 'queued' and run_at <= now() and name in (${nameList})
                      order by run_at, id for update skip locked limit 1)
          returning id, name, org_id, payload, attempts, max_attempts`,
    );
    return row;
  },
  async finish(db: DbOrTx, id: number, status: JobStatus, patch: Partial<typeof jobs.$inferInsert>) {
    await db
      .update(jobs)
      .set({ ...patch, status, lockedBy: null, lockedAt: null })
      .where(eq(jobs.id, id));
  },
  async progress(db: DbOrTx, id: number, progress: unknown) {
    await db.update(jobs).set({ progress }).where(eq(jobs.id, id));
  },
  /** A worker that died mid-job leaves it running; after the lease it goes back to the queue. */
  async requeueStale(db: DbOrTx, leaseSeconds: number): Promise<number> {
    const res = await rows<{ id: number }>(
      db,
      sql`update jobs set status = 'queued', locked_by = null, locked_at = null,
            last_error = 'the worker running this job stopped responding'
          where status = 'running' and locked_at < now() - make_interval(secs => ${leaseSeconds}) returning id`,
    );
    return res.length;
  },
  async dueSchedules(db: DbOrTx) {
    return rows<{ name: string; job_name: string; payload: unknown; interval_seconds: number }>(
      db,
      sql`select name, job_name, payload, interval_seconds from job_schedules where next_run_at <= now()
          for update skip locked`,
    );
  },
  async advanceSchedule(db: DbOrTx, name: string, intervalSeconds: number) {
    await db.execute(
      sql`update job_schedules set last_run_at = now(), next_run_at = now() + make_interval(secs => ${intervalSeconds}) where name = ${name}`,
    );
  },
  async upsertSchedule(db: DbOrTx, s: typeof jobSchedules.$inferInsert) {
    await db
      .insert(jobSchedules)
      .values(s)
      .onConflictDoUpdate({
        target: jobSchedules.name,
        set: { jobName: s.jobName, payload: s.payload, intervalSeconds: s.intervalSeconds },
      });
  },
  async schedules(db: DbOrTx) {
    return db.select().from(jobSchedules).orderBy(jobSchedules.name);
  },
  async byId(db: DbOrTx, id: number): Promise<JobRow | undefined> {
    const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
    return row;
  },
  async list(db: DbOrTx, f: { orgId?: string | null; status?: JobStatus; limit: number; offset: number }) {
    const where: SQL[] = [];
    if (f.orgId === null) where.push(isNull(jobs.orgId));
    else if (f.orgId) where.push(eq(jobs.orgId, f.orgId));
    if (f.status) where.push(eq(jobs.status, f.status));
    const cond = where.length ? and(...where) : undefined;
    const items = await db
      .select()
      .from(jobs)
      .where(cond)
      .orderBy(desc(jobs.id))
      .limit(f.limit)
      .offset(f.offset);
    const [{ n }] = await db.select({ n: count() }).from(jobs).where(cond);
    return { items, total: n };
  },
  async retry(db: DbOrTx, id: number): Promise<JobRow | undefined> {
    const [row] = await db
      .update(jobs)
      .set({ status: 'queued', runAt: new Date(), lastError: null, finishedAt: null, attempts: 0 })
      .where(and(eq(jobs.id, id), inArray(jobs.status, ['failed', 'cancelled'])))
      .returning();
    return row;
  },
  async purgeFinished(db: DbOrTx, before: Date) {
    await db
      .delete(jobs)
      .where(and(inArray(jobs.status, ['succeeded', 'cancelled']), lt(jobs.finishedAt, before)));
  },
};
