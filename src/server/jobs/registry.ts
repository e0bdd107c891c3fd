import { NvdApiClient } from '../../core/vuln/index.js';
import type { Config } from '../config.js';
import { SYSTEM_ACTOR } from '../context.js';
import type { Db } from '../db/client.js';
import type { FeedRunRow } from '../db/schema/index.js';
import { DEFAULT_OUTBOUND, policyFetch } from '../http/outbound.js';
import { smtpMailer } from '../mail.js';
import { authRepository } from '../modules/auth/auth.repository.js';
import { exercisesService } from '../modules/incidents/exercises.service.js';
import { incidentsService } from '../modules/incidents/incidents.service.js';
import { feedsService, POLL_JOB, PUSH_JOB } from '../modules/intel/intel.feeds.js';
import { feedRunsRepository } from '../modules/intel/intel.repository.js';
import { jobsRepository } from '../modules/jobs/jobs.repository.js';
import { partnersService } from '../modules/partners/partners.service.js';
import { strategyService } from '../modules/strategy/strategy.service.js';
import { syncNvdApi, syncUrlFeed } from '../modules/vulns/vulns.ingest.js';
import { vulnNotifyService } from '../modules/vulns/vulns.notify.js';
import { vulnsService } from '../modules/vulns/vulns.service.js';
import type { JobRunner } from './runner.js';

/** Every job handler and schedule of the instance. Modules add their feed syncs and pollers here. */
export async function registerJobs(
  runner: JobRunner,
  config?: Pick<Config, 'smtpUrl' | 'mailFrom'> &
    Partial<Pick<Config, 'outbound' | 'vulnFeeds' | 'databaseUrl'>>,
) {
  // Requests to addresses people entered (TAXII servers, webhooks) follow the outbound policy.
  const outbound = config?.outbound ?? DEFAULT_OUTBOUND;
  runner.register('maintenance.cleanup', async (_payload, { db }) => {
    const now = new Date();
    await authRepository.deleteExpiredSessions(db, now);
    await jobsRepository.purgeFinished(db, new Date(now.getTime() - 30 * 86_400_000));
    await feedRunsRepository.purgeBefore(db, new Date(now.getTime() - 30 * 86_400_000));
    return { cleanedAt: now.toISOString() };
  });
  await runner.schedule('maintenance.hourly', 'maintenance.cleanup', 3600);

  runner.register(POLL_JOB, async (payload, { db }) => {
    const { orgId, feedId } = payload as { orgId: string; feedId: string };
    return feedsService.poll(db, orgId, feedId, policyFetch(outbound, 'apiRoot'));
  });
  runner.register(PUSH_JOB, async (payload, { db }) => {
    const { orgId, feedId } = payload as { orgId: string; feedId: string };
    // On PostgreSQL several jobs and requests write at once: versions wait five minutes before they are pushed.
    return feedsService.push(db, orgId, feedId, policyFetch(outbound, 'apiRoot'), {
      settleSeconds: config?.databaseUrl ? 300 : 0,
    });
  });
  // Every feed, pull or push, on the same sweep.
  runner.register('intel.taxii.poll-all', async (_payload, { db }) => feedsService.queueAll(db));
  await runner.schedule('intel.taxii.every-15-minutes', 'intel.taxii.poll-all', 900);
  runner.register('incidents.clock-alerts', async (_payload, { db }) =>
    incidentsService.raiseOverdueAlerts({ db, actor: SYSTEM_ACTOR }),
  );
  await runner.schedule('incidents.clock-alerts', 'incidents.clock-alerts', 900);
  runner.register('incidents.exercise-injects', async (_payload, { db }) =>
    exercisesService.releaseDue({ db, actor: SYSTEM_ACTOR }),
  );
  await runner.schedule('incidents.exercise-injects', 'incidents.exercise-injects', 60);
  const mailer = config ? smtpMailer(config) : undefined;
  runner.register('partners.agreement-reminders', async (_payload, { db }) =>
    partnersService.sendExpiryReminders(db, mailer),
  );
  await runner.schedule('partners.daily-reminders', 'partners.agreement-reminders', 86_400);
  runner.register('vulns.digest', async (_payload, { db }) =>
    vulnNotifyService.sendAll(db, mailer, policyFetch(outbound, 'webhooks')),
  );
  await runner.schedule('vulns.daily-digest', 'vulns.digest', 86_400);
  registerVulnFeedJobs(runner, config?.vulnFeeds);
  if (config?.vulnFeeds?.enabled) {
    await runner.schedule('vulns.nvd.every-2-hours', 'vulns.nvd.sync', 7200);
    await runner.schedule('vulns.kev.daily', 'vulns.kev.sync', 86_400);
    await runner.schedule('vulns.epss.daily', 'vulns.epss.sync', 86_400);
  }
  runner.register('vulns.trend-snapshot', async (_payload, { db }) => vulnsService.snapshotTrends(db));
  await runner.schedule('vulns.daily-trend-snapshot', 'vulns.trend-snapshot', 86_400);
  runner.register('strategy.quarterly-snapshots', async (_payload, { db }) =>
    strategyService.quarterlySnapshots(db),
  );
  // Daily: the first run of each quarter takes the quarter's snapshot; the rest find it taken.
  await runner.schedule('strategy.daily-snapshot-check', 'strategy.quarterly-snapshots', 86_400);
}

/**
 * The vulnerability feed downloads (NVD API, KEV and EPSS files), each followed by a rematch of every
 * organization's systems when it brought anything. The handlers are always registered (a queued or retried run
 * finds its handler); the schedules exist only with CITYWALL_VULN_FEEDS=true. The addresses are the instance's own
 * configuration: public services.
 */
function registerVulnFeedJobs(runner: JobRunner, feeds: Config['vulnFeeds'] | undefined) {
  const ctx = (db: Db) => ({ db, actor: SYSTEM_ACTOR });
  const then = async (db: Db, run: FeedRunRow) => {
    const changed = run.status === 'succeeded' && Object.values(run.counts).some((n) => n > 0);
    const rematched = changed ? await vulnsService.rematchAll(db) : null;
    return { run: run.id, status: run.status, counts: run.counts, error: run.error, rematched };
  };
  runner.register('vulns.nvd.sync', async (_payload, { db }) => {
    const client = new NvdApiClient({
      fetch: (u, i) => fetch(u, i),
      ...(feeds?.nvdApiUrl ? { baseUrl: feeds.nvdApiUrl } : {}),
      ...(feeds?.nvdApiKey ? { apiKey: feeds.nvdApiKey } : {}),
    });
    return then(db, await syncNvdApi(ctx(db), client));
  });
  for (const feed of ['kev', 'epss'] as const) {
    runner.register(`vulns.${feed}.sync`, async (_payload, { db }) => {
      const url = feed === 'kev' ? feeds?.kevUrl : feeds?.epssUrl;
      if (!url) throw new Error(`no URL configured for the ${feed.toUpperCase()} feed`);
      return then(db, await syncUrlFeed(ctx(db), feed, url, (u, i) => fetch(u, i)));
    });
  }
}
