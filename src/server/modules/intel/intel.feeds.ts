import { Readable } from 'node:stream';
import type { z } from 'zod';
import { type FetchLike, TaxiiClient } from '../../../core/taxii/index.js';
import { type Ctx, SYSTEM_ACTOR } from '../../context.js';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { checkOutboundUrl, DEFAULT_OUTBOUND, policyFetch } from '../../http/outbound.js';
import { enqueue } from '../../jobs/runner.js';
import { openSecret, sealSecret } from '../../secrets.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import { type FeedRow, feedsRepository } from './intel.repository.js';
import type { CreateFeed } from './intel.schemas.js';
import { intelService } from './intel.service.js';

export const POLL_JOB = 'intel.taxii.poll';
const PAGE = 1000;
/** A run stops after this many pages and resumes from its cursor next time, so one feed cannot hog a worker. */
const MAX_PAGES_PER_RUN = 200;

const publicFeed = ({ token, ...f }: FeedRow) => ({ ...f, hasToken: !!token });

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
        ...input,
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
    if (!(await feedsRepository.byId(ctx.db, orgId, feedId))) throw notFound('Feed', feedId);
    const job = await enqueue(
      ctx.db as Db,
      POLL_JOB,
      { orgId, feedId },
      { orgId, dedupeKey: `feed:${feedId}` },
    );
    return { jobId: Number(job.id) };
  },

  /**
   * Pulls what is new in the remote collection since the feed's cursor, page by page, importing each page as it
   * arrives. The cursor advances only after a page is stored, so a failed run resumes where it stopped.
   */
  async poll(db: Db, orgId: string, feedId: string, fetchFn: FetchLike = policyFetch(DEFAULT_OUTBOUND)) {
    const feed = await feedsRepository.byId(db, orgId, feedId);
    if (!feed) throw notFound('Feed', feedId);
    const client = new TaxiiClient({
      fetch: fetchFn,
      authorization: feed.token ? `Bearer ${openSecret(feed.token)}` : undefined,
    });
    const ctx: Ctx = { db, actor: SYSTEM_ACTOR };
    let imported = 0;
    let failed = 0;
    let pages = 0;
    let cursor = feed.addedAfter ?? undefined;
    try {
      for await (const page of client.allObjects(feed.apiRoot, feed.collectionId, {
        added_after: cursor,
        limit: PAGE,
      })) {
        if (page.items.length) {
          const report = await intelService.importBundle(
            ctx,
            orgId,
            Readable.from([JSON.stringify({ objects: page.items })]),
          );
          imported += report.imported;
          failed += report.failed;
        }
        if (page.dateAddedLast) cursor = page.dateAddedLast;
        await feedsRepository.update(db, feed.id, { addedAfter: cursor ?? null });
        if (++pages >= MAX_PAGES_PER_RUN) break;
      }
    } catch (e) {
      await feedsRepository.update(db, feed.id, {
        lastRunAt: new Date(),
        lastStatus: 'failed',
        lastMessage: (e as Error).message.slice(0, 500),
      });
      throw e instanceof AppError
        ? e
        : new AppError('unavailable', `Feed ${feed.name}: ${(e as Error).message}`);
    }
    const message = `${imported} new objects, ${failed} invalid, ${pages} pages`;
    await feedsRepository.update(db, feed.id, {
      lastRunAt: new Date(),
      lastStatus: 'ok',
      lastMessage: message,
    });
    return { imported, failed, pages, addedAfter: cursor ?? null };
  },

  /** The scheduled sweep: queues one run per feed (deduplicated while one is pending). */
  async queueAll(db: Db) {
    const feeds = await feedsRepository.all(db);
    for (const f of feeds) {
      await enqueue(
        db,
        POLL_JOB,
        { orgId: f.orgId, feedId: f.id },
        { orgId: f.orgId, dedupeKey: `feed:${f.id}` },
      );
    }
    return { queued: feeds.length };
  },
};
