import { Readable } from 'node:stream';
import type { z } from 'zod';
import { compareTlp, strictestTlp, type TlpLevel, tlpOf } from '../../../core/stix/index.js';
import { type FetchLike, type Status, TaxiiClient, TaxiiError } from '../../../core/taxii/index.js';
import { type Ctx, SYSTEM_ACTOR } from '../../context.js';
import type { Db } from '../../db/client.js';
import type { taxiiFeedRuns } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { checkOutboundUrl, DEFAULT_OUTBOUND, policyFetch } from '../../http/outbound.js';
import { enqueue } from '../../jobs/runner.js';
import { openSecret, sealSecret } from '../../secrets.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import {
  type FeedRow,
  type FeedRunRow,
  feedRunsRepository,
  feedsRepository,
  type PushRow,
  pushRepository,
} from './intel.repository.js';
import type { CreateFeed, UpdateFeed } from './intel.schemas.js';
import { intelService } from './intel.service.js';
import { markedAs, mayPush } from './tlp-policy.js';

export const POLL_JOB = 'intel.taxii.poll';
export const PUSH_JOB = 'intel.taxii.push';
const PAGE = 1000;
/** A run stops after this many pages and resumes from its cursor next time, so one feed cannot hog a worker. */
const MAX_PAGES_PER_RUN = 200;
/** Stored versions read per step of a push; they leave in as many requests as max_content_length needs. */
const PUSH_PAGE = 1000;
const MAX_PUSH_PAGES_PER_RUN = 200;
const MAX_RECORDED_FAILURES = 100;
/** Waits between status requests while the remote answers `pending`: doubling, bounded. */
export const STATUS_WAITS_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 16000];
/** The bytes of `{"objects":[` and `]}` around the objects of a TAXII envelope. */
const ENVELOPE_BYTES = Buffer.byteLength('{"objects":[]}');

type Failure = { id: string; version: string; message: string };
type PushCursor = NonNullable<FeedRow['pushCursor']>;

const publicFeed = ({ token, ...f }: FeedRow) => ({
  ...f,
  direction: f.direction as 'pull' | 'push',
  maxTlp: f.maxTlp as 'clear' | 'green' | 'amber' | 'amber+strict' | null,
  hasToken: !!token,
});

const publicRun = (r: FeedRunRow) => ({
  ...r,
  direction: r.direction as 'pull' | 'push',
  status: r.status as 'ok' | 'failed',
});

const jobOf = (f: Pick<FeedRow, 'direction'>) => (f.direction === 'push' ? PUSH_JOB : POLL_JOB);

const sameCursor = (x: PushCursor | null, y: PushCursor | null) =>
  x === y || (!!x && !!y && x.dateAdded === y.dateAdded && x.stixId === y.stixId && x.version === y.version);

/** A push run found its feed changed or deleted under it. */
class FeedChanged extends Error {
  constructor() {
    super(
      'The feed was changed or deleted during the run; the run stopped and the next one follows the new settings',
    );
  }
}

/**
 * A run's failure as the job runner sees it: the remote's own wait (Retry-After of a 429 or 503) travels with
 * it, so the retry waits at least that long (see retryDelaySeconds).
 */
function remoteFailure(feedName: string, e: unknown) {
  const failure = new AppError('unavailable', `Feed ${feedName}: ${errorMessage(e)}`);
  const asked = e instanceof TaxiiError ? e.retryAfterSeconds : undefined;
  return asked === undefined ? failure : Object.assign(failure, { retryAfterSeconds: asked });
}

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const feedsService = {
  async list(ctx: Ctx, orgId: string) {
    await orgsService.access(ctx, orgId, 'data.read');
    return { items: (await feedsRepository.list(ctx.db, orgId)).map(publicFeed) };
  },

  async create(ctx: Ctx, orgId: string, input: z.infer<typeof CreateFeed>, policy = DEFAULT_OUTBOUND) {
    await orgsService.access(ctx, orgId, 'data.write');
    await checkOutboundUrl(input.apiRoot, policy, 'apiRoot', { allowUnresolved: true });
    return ctx.db.transaction(async (tx) => {
      const feed = await feedsRepository.insert(tx, {
        orgId,
        name: input.name,
        apiRoot: input.apiRoot,
        collectionId: input.collectionId,
        direction: input.direction,
        maxTlp: input.direction === 'push' ? (input.maxTlp ?? 'green') : null,
        token: input.token ? sealSecret(input.token) : null,
      });
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.feed.create',
        targetType: 'taxii-feed',
        targetId: feed.id,
        after: publicFeed(feed),
      });
      return publicFeed(feed);
    });
  },

  /**
   * Changes a feed. A new address or collection starts both cursors over; a new maximum TLP starts the push
   * over, so what the new maximum allows is sent (the remote keeps one copy of each version).
   */
  async update(
    ctx: Ctx,
    orgId: string,
    feedId: string,
    input: z.infer<typeof UpdateFeed>,
    policy = DEFAULT_OUTBOUND,
  ) {
    await orgsService.access(ctx, orgId, 'data.write');
    if (input.apiRoot !== undefined) {
      await checkOutboundUrl(input.apiRoot, policy, 'apiRoot', { allowUnresolved: true });
    }
    return ctx.db.transaction(async (tx) => {
      const before = await feedsRepository.byId(tx, orgId, feedId);
      if (!before) throw notFound('Feed', feedId);
      if (input.maxTlp !== undefined && before.direction !== 'push') {
        throw new AppError('validation', 'Only a push feed has a maximum TLP', {
          errors: [{ path: 'body.maxTlp', message: 'only a push feed has a maximum TLP' }],
        });
      }
      const patch: Partial<FeedRow> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.token !== undefined) patch.token = input.token === null ? null : sealSecret(input.token);
      const moved =
        (input.apiRoot !== undefined && input.apiRoot !== before.apiRoot) ||
        (input.collectionId !== undefined && input.collectionId !== before.collectionId);
      if (input.apiRoot !== undefined) patch.apiRoot = input.apiRoot;
      // A token entered for one server never goes to another: a new host needs its own token (or none).
      if (
        input.apiRoot !== undefined &&
        input.token === undefined &&
        before.token &&
        new URL(input.apiRoot).origin !== new URL(before.apiRoot).origin
      ) {
        patch.token = null;
      }
      if (input.collectionId !== undefined) patch.collectionId = input.collectionId;
      if (moved) {
        patch.addedAfter = null;
        patch.pushCursor = null;
      }
      if (input.maxTlp !== undefined && input.maxTlp !== before.maxTlp) {
        patch.maxTlp = input.maxTlp;
        patch.pushCursor = null;
      }
      const after = Object.keys(patch).length
        ? await feedsRepository.patch(tx, orgId, feedId, patch)
        : before;
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.feed.update',
        targetType: 'taxii-feed',
        targetId: feedId,
        before: publicFeed(before),
        after: publicFeed(after),
      });
      return publicFeed(after);
    });
  },

  async runs(ctx: Ctx, orgId: string, feedId: string, limit: number, offset: number) {
    await orgsService.access(ctx, orgId, 'data.read');
    if (!(await feedsRepository.byId(ctx.db, orgId, feedId))) throw notFound('Feed', feedId);
    const { items, total } = await feedRunsRepository.list(ctx.db, orgId, feedId, limit, offset);
    return { items: items.map(publicRun), total, limit, offset };
  },

  async remove(ctx: Ctx, orgId: string, feedId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    await ctx.db.transaction(async (tx) => {
      const removed = await feedsRepository.delete(tx, orgId, feedId);
      if (!removed) throw notFound('Feed', feedId);
      await auditService.record(tx, ctx, {
        orgId,
        action: 'intel.feed.delete',
        targetType: 'taxii-feed',
        targetId: feedId,
        before: publicFeed(removed),
      });
    });
  },

  /** Queues a run now; the job runner does the work (with its retries and backoff). */
  async runNow(ctx: Ctx, orgId: string, feedId: string) {
    await orgsService.access(ctx, orgId, 'data.write');
    const feed = await feedsRepository.byId(ctx.db, orgId, feedId);
    if (!feed) throw notFound('Feed', feedId);
    const job = await enqueue(
      ctx.db as Db,
      jobOf(feed),
      { orgId, feedId },
      { orgId, dedupeKey: `feed:${feedId}` },
    );
    return { jobId: Number(job.id) };
  },

  /**
   * Pulls what is new in the remote collection since the feed's cursor, page by page, importing each page as it
   * arrives. The cursor advances only after a page is stored, so a failed run resumes where it stopped.
   */
  async poll(
    db: Db,
    orgId: string,
    feedId: string,
    fetchFn: FetchLike = policyFetch(DEFAULT_OUTBOUND),
    limits: { pageSize: number; maxPages: number } = { pageSize: PAGE, maxPages: MAX_PAGES_PER_RUN },
  ) {
    const feed = await feedsRepository.byId(db, orgId, feedId);
    if (!feed) throw notFound('Feed', feedId);
    if (feed.direction !== 'pull') throw new AppError('conflict', `Feed ${feed.name} is not a pull feed`);
    const client = new TaxiiClient({
      fetch: fetchFn,
      authorization: feed.token ? `Bearer ${openSecret(feed.token)}` : undefined,
    });
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR };
    const startedAt = new Date();
    let received = 0;
    const failures: Failure[] = [];
    let imported = 0;
    let failed = 0;
    let pages = 0;
    let cursor = feed.addedAfter ?? undefined;
    try {
      for await (const page of client.allObjects(feed.apiRoot, feed.collectionId, {
        added_after: cursor,
        limit: limits.pageSize,
      })) {
        received += page.items.length;
        if (page.items.length) {
          // Recorded as received in the import's own transaction: what is stored is never shareable onward.
          const report = await intelService.importBundle(
            ctx,
            orgId,
            Readable.from([JSON.stringify({ objects: page.items })]),
            { receivedFrom: feed.id },
          );
          imported += report.imported;
          failed += report.failed;
          for (const f of report.failures) {
            if (failures.length >= MAX_RECORDED_FAILURES) break;
            const item = page.items[f.index] as { modified?: unknown; created?: unknown } | undefined;
            failures.push({
              id: f.id ?? `object ${f.index}`,
              version: String(item?.modified ?? item?.created ?? ''),
              message: f.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
            });
          }
        }
        if (page.dateAddedLast) cursor = page.dateAddedLast;
        await feedsRepository.update(db, feed.id, { addedAfter: cursor ?? null });
        if (++pages >= limits.maxPages) break;
      }
    } catch (e) {
      await feedsService.finishRun(db, feed, {
        direction: 'pull',
        startedAt,
        status: 'failed',
        objects: received,
        succeeded: imported,
        failed,
        failures,
        pages,
        message: errorMessage(e),
      });
      throw e instanceof AppError ? e : remoteFailure(feed.name, e);
    }
    const message = `${imported} new objects, ${failed} invalid, ${pages} pages`;
    await feedsService.finishRun(db, feed, {
      direction: 'pull',
      startedAt,
      status: 'ok',
      objects: received,
      succeeded: imported,
      failed,
      failures,
      pages,
      message,
    });
    return { imported, failed, pages, addedAfter: cursor ?? null };
  },

  /** Records a run in the feed's history and as the feed's last outcome. */
  async finishRun(db: Db, feed: FeedRow, run: Omit<typeof taxiiFeedRuns.$inferInsert, 'orgId' | 'feedId'>) {
    const finishedAt = new Date();
    await feedRunsRepository.insert(db, { ...run, orgId: feed.orgId, feedId: feed.id, finishedAt });
    await feedsRepository.update(db, feed.id, {
      lastRunAt: finishedAt,
      lastStatus: run.status,
      lastMessage: run.message ?? null,
    });
  },

  /**
   * Sends the organization's own stored object versions, added since the feed's cursor, to the remote
   * collection. Versions whose TLP is above the feed's maximum (and every TLP:RED one) are held back. Pages are
   * cut to the remote's `max_content_length` (a 413 splits a request further), each request's status resource
   * is followed until complete (bounded), and the cursor advances after each accepted request, so a failed run
   * (429, 5xx, network) is retried by the job runner with its backoff and resumes where it stopped.
   */
  async push(
    db: Db,
    orgId: string,
    feedId: string,
    fetchFn: FetchLike = policyFetch(DEFAULT_OUTBOUND),
    opts: {
      statusWaitsMs?: readonly number[];
      /**
       * Versions added less than this many seconds ago wait for a later run. On PostgreSQL an import still in
       * progress commits rows stamped with its start time: without the wait, the cursor could pass them by.
       */
      settleSeconds?: number;
    } = {},
  ) {
    const feed = await feedsRepository.byId(db, orgId, feedId);
    if (!feed) throw notFound('Feed', feedId);
    if (feed.direction !== 'push') throw new AppError('conflict', `Feed ${feed.name} is not a push feed`);
    const maxTlp = (feed.maxTlp ?? 'green') as TlpLevel;
    const waits = opts.statusWaitsMs ?? STATUS_WAITS_MS;
    const client = new TaxiiClient({
      fetch: fetchFn,
      authorization: feed.token ? `Bearer ${openSecret(feed.token)}` : undefined,
    });
    const startedAt = new Date();
    const run = { objects: 0, succeeded: 0, failed: 0, pending: 0, withheld: 0, pages: 0 };
    const failures: Failure[] = [];
    const recordFailures = (list: readonly Failure[]) => {
      for (const f of list) if (failures.length < MAX_RECORDED_FAILURES) failures.push(f);
    };
    const record = (status: 'ok' | 'failed', message: string) =>
      feedsService.finishRun(db, feed, { direction: 'push', startedAt, status, ...run, failures, message });
    let cursor: PushCursor | null = feed.pushCursor ?? null;
    const advance = async (to: PushCursor | null) => {
      if (!to || to === cursor) return;
      // The feed may have been changed (address, maximum TLP, a reset) or deleted while this run sent: stop.
      if (!(await feedsRepository.advancePush(db, feed, cursor, to))) throw new FeedChanged();
      cursor = to;
    };

    /** Nothing goes out under settings the feed no longer has. */
    const unchanged = async () => {
      const now = await feedsRepository.byId(db, orgId, feed.id);
      if (
        !now ||
        now.apiRoot !== feed.apiRoot ||
        now.collectionId !== feed.collectionId ||
        now.maxTlp !== feed.maxTlp ||
        now.token !== feed.token ||
        !sameCursor(now.pushCursor ?? null, cursor)
      )
        throw new FeedChanged();
    };

    type Item = { row: PushRow; object: Record<string, unknown>; bytes: number };

    /** Follows a pending status resource until it is complete or the waits run out. */
    const follow = async (status: Status): Promise<Status> => {
      let current = status;
      for (const wait of waits) {
        if (current.status !== 'pending') break;
        await sleep(wait);
        current = await client.status(feed.apiRoot, current.id);
      }
      return current;
    };

    /** POSTs the items; a 413 splits them in halves, down to one object the remote will not take. */
    const send = async (items: Item[]): Promise<void> => {
      let status: Status;
      try {
        status = await client.addObjects(
          feed.apiRoot,
          feed.collectionId,
          items.map((i) => i.object),
        );
      } catch (e) {
        if (e instanceof TaxiiError && e.status === 413) {
          if (items.length > 1) {
            const half = Math.ceil(items.length / 2);
            await send(items.slice(0, half));
            await send(items.slice(half));
            return;
          }
          run.failed++;
          recordFailures([
            {
              id: items[0].row.stix_id,
              version: items[0].row.version,
              message: `refused by the remote as too large (413, ${items[0].bytes} bytes)`,
            },
          ]);
          return;
        }
        throw e;
      }
      run.objects += items.length;
      run.pages++;
      try {
        status = await follow(status);
      } catch (e) {
        // The objects were delivered; only their outcome is unknown.
        status = { ...status, status: 'pending', message: errorMessage(e) } as Status;
      }
      run.succeeded += status.success_count ?? 0;
      run.failed += status.failure_count ?? 0;
      run.pending += status.status === 'pending' ? (status.pending_count ?? 0) : 0;
      recordFailures(
        (status.failures ?? []).map((f) => ({
          id: String(f.id),
          version: String(f.version ?? ''),
          message: String(f.message ?? ''),
        })),
      );
    };

    try {
      const info = await client.apiRoot(feed.apiRoot);
      const limit =
        Number.isFinite(info?.max_content_length) && info.max_content_length > 0
          ? info.max_content_length
          : Number.POSITIVE_INFINITY;
      for (let step = 0; step < MAX_PUSH_PAGES_PER_RUN; step++) {
        const rows = await pushRepository.after(db, orgId, cursor, PUSH_PAGE, opts.settleSeconds ?? 0);
        if (!rows.length) break;
        let chunk: Item[] = [];
        let bytes = ENVELOPE_BYTES;
        // The position of the last row looked at: everything up to it is sent, held back or failed.
        let consumed: PushCursor | null = cursor;
        const flush = async () => {
          if (chunk.length) {
            await unchanged();
            await send(chunk);
          }
          chunk = [];
          bytes = ENVELOPE_BYTES;
          await advance(consumed);
        };
        for (const row of rows) {
          const position = { dateAdded: row.date_added, stixId: row.stix_id, version: row.version };
          const own = tlpOf(row.object);
          const levels = [row.tlp as TlpLevel, row.latest_tlp as TlpLevel | null, own];
          const effective = strictestTlp(levels.filter((l): l is TlpLevel => !!l)) as TlpLevel | undefined;
          if (
            !mayPush(levels, maxTlp) ||
            !effective ||
            // An older version whose own marking is laxer than the object's now would travel under it.
            (own && compareTlp(own, effective) < 0) ||
            // What came from someone else's server goes on only at CLEAR or GREEN (TLP 2.0).
            (row.received && compareTlp(effective, 'green') > 0)
          ) {
            run.withheld++;
            consumed = position;
            continue;
          }
          const object = markedAs(row.object, effective);
          const size = Buffer.byteLength(JSON.stringify(object));
          if (ENVELOPE_BYTES + size > limit) {
            run.failed++;
            recordFailures([
              {
                id: row.stix_id,
                version: row.version,
                message: `larger (${size} bytes) than the remote's max_content_length (${limit} bytes)`,
              },
            ]);
            consumed = position;
            continue;
          }
          const added = size + (chunk.length ? 1 : 0);
          if (chunk.length && bytes + added > limit) await flush();
          bytes += size + (chunk.length ? 1 : 0);
          chunk.push({ row, object, bytes: size });
          consumed = position;
        }
        await flush();
        if (rows.length < PUSH_PAGE) break;
      }
    } catch (e) {
      const message = errorMessage(e);
      if (e instanceof FeedChanged) {
        // Its record belongs to the feed as it is now (if it still exists); the next run starts from there.
        if (await feedsRepository.byId(db, orgId, feed.id)) await record('failed', message);
        return { ...run, failures, cursor, stopped: message };
      }
      await record('failed', message);
      throw e instanceof AppError ? e : remoteFailure(feed.name, e);
    }
    await record(
      'ok',
      `${run.objects} sent, ${run.succeeded} accepted, ${run.failed} failed, ${run.withheld} held back by TLP`,
    );
    return { ...run, failures, cursor };
  },

  /** The scheduled sweep: queues one run per feed (deduplicated while one is pending). */
  async queueAll(db: Db) {
    const feeds = await feedsRepository.all(db);
    for (const f of feeds) {
      await enqueue(
        db,
        jobOf(f),
        { orgId: f.orgId, feedId: f.id },
        { orgId: f.orgId, dedupeKey: `feed:${f.id}` },
      );
    }
    return { queued: feeds.length };
  },
};
