import type { Config } from '../config.js';
import { SYSTEM_ACTOR } from '../context.js';
import { smtpMailer } from '../mail.js';
import { authRepository } from '../modules/auth/auth.repository.js';
import { exercisesService } from '../modules/incidents/exercises.service.js';
import { incidentsService } from '../modules/incidents/incidents.service.js';
import { feedsService, POLL_JOB } from '../modules/intel/intel.feeds.js';
import { jobsRepository } from '../modules/jobs/jobs.repository.js';
import { partnersService } from '../modules/partners/partners.service.js';
import type { JobRunner } from './runner.js';

/** Every job handler and schedule of the instance. Modules add their feed syncs and pollers here. */
export async function registerJobs(runner: JobRunner, config?: Pick<Config, 'smtpUrl' | 'mailFrom'>) {
  runner.register('maintenance.cleanup', async (_payload, { db }) => {
    const now = new Date();
    await authRepository.deleteExpiredSessions(db, now);
    await jobsRepository.purgeFinished(db, new Date(now.getTime() - 30 * 86_400_000));
    return { cleanedAt: now.toISOString() };
  });
  await runner.schedule('maintenance.hourly', 'maintenance.cleanup', 3600);

  runner.register(POLL_JOB, async (payload, { db }) => {
    const { orgId, feedId } = payload as { orgId: string; feedId: string };
    return feedsService.poll(db, orgId, feedId);
  });
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
}
