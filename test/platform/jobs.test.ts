import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/client.js';
import { openDatabase } from '../../src/server/db/client.js';
import { backoffSeconds, enqueue, JobRunner } from '../../src/server/jobs/runner.js';
import { jobsRepository } from '../../src/server/modules/jobs/jobs.repository.js';
import { dbKind, freshDatabase, TEST_DATABASE_URL } from '../helpers/db.js';

const log = pino({ level: 'silent' });
let database: Database & { drop(): Promise<void>; url?: string };
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

describe('job runner', () => {
  it('runs a queued job once and records its result and progress', async () => {
    const runner = new JobRunner(database.db, log);
    let calls = 0;
    runner.register('test.ok', async (payload, ctx) => {
      calls++;
      await ctx.progress({ done: 1, total: 1 });
      return { echoed: payload };
    });
    const job = await enqueue(database.db, 'test.ok', { n: 7 });
    await runner.tick();
    await runner.tick();
    expect(calls).toBe(1);
    const after = await jobsRepository.byId(database.db, job.id);
    expect(after).toMatchObject({
      status: 'succeeded',
      result: { echoed: { n: 7 } },
      progress: { done: 1, total: 1 },
      attempts: 1,
    });
  });

  it('retries a failing job with backoff, then fails it for good', async () => {
    const runner = new JobRunner(database.db, log);
    runner.register('test.fail', async () => {
      throw new Error('feed unreachable');
    });
    const job = await enqueue(database.db, 'test.fail', {}, { maxAttempts: 2 });
    await runner.tick();
    let row = await jobsRepository.byId(database.db, job.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: 'feed unreachable' });
    expect(row!.runAt.getTime()).toBeGreaterThan(Date.now() + (backoffSeconds(1) - 1) * 1000);
    await database.db.execute(`update jobs set run_at = now() where id = ${job.id}` as never);
    await runner.tick();
    row = await jobsRepository.byId(database.db, job.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(backoffSeconds(1)).toBe(5);
    expect(backoffSeconds(3)).toBe(20);
    expect(backoffSeconds(30)).toBe(3600);
  });

  it('collapses duplicate enqueues with a dedupe key while one is pending', async () => {
    const a = await enqueue(database.db, 'test.dedupe', {}, { dedupeKey: 'k1' });
    const b = await enqueue(database.db, 'test.dedupe', {}, { dedupeKey: 'k1' });
    expect(b.id).toBe(a.id);
  });

  it('fires schedules and requeues jobs whose worker died', async () => {
    const runner = new JobRunner(database.db, log, { leaseSeconds: 1 });
    let ran = 0;
    runner.register('test.scheduled', async () => {
      ran++;
    });
    await runner.schedule('every-hour', 'test.scheduled', 3600);
    await runner.tick();
    await runner.tick();
    expect(ran).toBe(1);
    const stale = await enqueue(database.db, 'test.scheduled');
    await database.db.execute(
      `update jobs set status = 'running', locked_at = now() - interval '1 hour', attempts = 1 where id = ${stale.id}` as never,
    );
    await runner.tick();
    expect((await jobsRepository.byId(database.db, stale.id))!.status).toBe('succeeded');
  });

  it.skipIf(dbKind !== 'postgres')('runs each job once with two workers on PostgreSQL', async () => {
    const second = await openDatabase({ url: database.url!, migrate: false, poolSize: 4 });
    try {
      const seen: number[] = [];
      const make = (db: typeof database.db) => {
        const r = new JobRunner(db, log, { concurrency: 4 });
        r.register('test.race', async (p) => {
          await new Promise((res) => setTimeout(res, 5));
          seen.push((p as { i: number }).i);
        });
        return r;
      };
      for (let i = 0; i < 60; i++) await enqueue(database.db, 'test.race', { i });
      const a = make(database.db);
      const b = make(second.db);
      for (let round = 0; round < 30; round++) await Promise.all([a.tick(), b.tick()]);
      expect(seen.length).toBe(60);
      expect(new Set(seen).size).toBe(60);
    } finally {
      await second.close();
    }
  });
  void TEST_DATABASE_URL;
});
