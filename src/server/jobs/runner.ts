import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { jobsRepository } from '../modules/jobs/jobs.repository.js';

export interface JobContext {
  db: Db;
  log: Logger;
  jobId: number;
  orgId: string | null;
  attempt: number;
  progress(p: { done: number; total?: number; message?: string }): Promise<void>;
  signal: AbortSignal;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  orgId?: string | null;
  runAt?: Date;
  maxAttempts?: number;
  dedupeKey?: string;
}

export const BACKOFF_BASE_SECONDS = 5;
export const BACKOFF_MAX_SECONDS = 3600;

export function backoffSeconds(attempt: number): number {
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
}

/**
 * The wait before retrying a job that failed with `error` on its `attempt`th try: the exponential backoff, or
 * longer when the error carries the wait a remote asked for (`retryAfterSeconds`, e.g. from a 429's
 * Retry-After), never more than the backoff's maximum.
 */
export function retryDelaySeconds(attempt: number, error: unknown): number {
  const asked = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  const base = backoffSeconds(attempt);
  return typeof asked === 'number' && Number.isFinite(asked) && asked > base
    ? Math.min(BACKOFF_MAX_SECONDS, asked)
    : base;
}

export async function enqueue(db: Db, name: string, payload: unknown = {}, opts: EnqueueOptions = {}) {
  if (opts.dedupeKey) {
    const existing = await jobsRepository.pendingByDedupeKey(db, opts.dedupeKey);
    if (existing) return existing;
  }
  return jobsRepository.insert(db, {
    name,
    payload,
    orgId: opts.orgId ?? null,
    runAt: opts.runAt ?? new Date(),
    maxAttempts: opts.maxAttempts ?? 5,
    dedupeKey: opts.dedupeKey ?? null,
  });
}

/**
 * A durable job queue in the application's own database, so it runs the same on PGlite and PostgreSQL and
 * needs no second service. Jobs are claimed with FOR UPDATE SKIP LOCKED: with several workers on one
 * PostgreSQL each job runs once.
 */
export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer?: NodeJS.Timeout;
  private running = 0;
  private stopping = false;
  private abort = new AbortController();
  readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private db: Db,
    private log: Logger,
    private opts: { pollMs?: number; concurrency?: number; leaseSeconds?: number } = {},
  ) {}

  register(name: string, handler: JobHandler) {
    this.handlers.set(name, handler);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }

  async schedule(name: string, jobName: string, intervalSeconds: number, payload: unknown = {}) {
    await jobsRepository.upsertSchedule(this.db, {
      name,
      jobName,
      intervalSeconds,
      payload,
      nextRunAt: new Date(),
    });
  }

  start() {
    this.stopping = false;
    const tick = async () => {
      if (this.stopping) return;
      try {
        await this.tick();
      } catch (e) {
        this.log.error({ err: e }, 'job runner tick failed');
      }
      if (!this.stopping) this.timer = setTimeout(tick, this.opts.pollMs ?? 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop() {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    while (this.running > 0) await new Promise((r) => setTimeout(r, 20));
  }

  /** Runs every job that is due now, however many passes that takes. */
  async drain(maxPasses = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxPasses; i++) {
      const ran = await this.tick();
      total += ran;
      if (ran === 0) break;
    }
    return total;
  }

  /** One pass: fire due schedules, recover stale jobs, run what can be claimed. Exposed for tests. */
  async tick(): Promise<number> {
    await this.db.transaction(async (tx) => {
      for (const s of await jobsRepository.dueSchedules(tx)) {
        const pending = await jobsRepository.pendingByDedupeKey(tx, `schedule:${s.name}`);
        if (!pending)
          await jobsRepository.insert(tx, {
            name: s.job_name,
            payload: s.payload,
            dedupeKey: `schedule:${s.name}`,
          });
        await jobsRepository.advanceSchedule(tx, s.name, s.interval_seconds);
      }
    });
    await jobsRepository.requeueStale(this.db, this.opts.leaseSeconds ?? 600);
    let ran = 0;
    const concurrency = this.opts.concurrency ?? 2;
    const batch: Promise<void>[] = [];
    while (this.running < concurrency && !this.stopping) {
      const job = await jobsRepository.claim(this.db, this.workerId, this.names());
      if (!job) break;
      ran++;
      this.running++;
      batch.push(this.execute(job).finally(() => this.running--));
    }
    await Promise.all(batch);
    return ran;
  }

  private async execute(job: {
    id: string | number;
    name: string;
    org_id: string | null;
    payload: unknown;
    attempts: number;
    max_attempts: number;
  }) {
    const id = Number(job.id);
    const handler = this.handlers.get(job.name)!;
    const log = this.log.child({ jobId: id, job: job.name });
    try {
      const result = await handler(job.payload, {
        db: this.db,
        log,
        jobId: id,
        orgId: job.org_id,
        attempt: job.attempts,
        signal: this.abort.signal,
        progress: (p) => jobsRepository.progress(this.db, id, p),
      });
      await jobsRepository.finish(this.db, id, 'succeeded', {
        result: result ?? null,
        finishedAt: new Date(),
        lastError: null,
      });
      log.info('job succeeded');
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (job.attempts < job.max_attempts && !this.stopping) {
        const delay = retryDelaySeconds(job.attempts, e);
        await jobsRepository.finish(this.db, id, 'queued', {
          lastError: message,
          runAt: new Date(Date.now() + delay * 1000),
        });
        log.warn({ err: message, retryInSeconds: delay }, 'job failed, will retry');
      } else {
        await jobsRepository.finish(this.db, id, 'failed', { lastError: message, finishedAt: new Date() });
        log.error({ err: message }, 'job failed for good');
      }
    }
  }
}
