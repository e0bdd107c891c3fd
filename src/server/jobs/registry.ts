import type { Config } from '../config.js';
import { smtpMailer } from '../mail.js';
import { authRepository } from '../modules/auth/auth.repository.js';
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

  const mailer = config ? smtpMailer(config) : undefined;
  runner.register('partners.agreement-reminders', async (_payload, { db }) =>
    partnersService.sendExpiryReminders(db, mailer),
  );
  await runner.schedule('partners.daily-reminders', 'partners.agreement-reminders', 86_400);
}
