import type { Ctx } from '../../context.js';
import type { JobStatus } from '../../db/schema/jobs.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import { orgsService } from '../orgs/orgs.service.js';
import { type JobRow, jobsRepository } from './jobs.repository.js';

/** Payloads may carry feed URLs with credentials; only names and outcomes leave the server. */
function publicJob(j: JobRow) {
  const { lockedBy: _l, lockedAt: _a, dedupeKey: _d, ...rest } = j;
  return { ...rest, id: Number(j.id) };
}

export const jobsService = {
  async listForOrg(ctx: Ctx, orgId: string, q: { status?: JobStatus; limit: number; offset: number }) {
    await orgsService.access(ctx, orgId, 'jobs.read');
    const { items, total } = await jobsRepository.list(ctx.db, { orgId, ...q });
    return { items: items.map(publicJob), total, limit: q.limit, offset: q.offset };
  },
  async listSystem(ctx: Ctx, q: { status?: JobStatus; limit: number; offset: number }) {
    if (!ctx.actor.isInstanceAdmin) throw forbidden('Only an instance administrator may see instance jobs');
    const { items, total } = await jobsRepository.list(ctx.db, q);
    return { items: items.map(publicJob), total, limit: q.limit, offset: q.offset };
  },
  async schedules(ctx: Ctx) {
    if (!ctx.actor.isInstanceAdmin) throw forbidden('Only an instance administrator may see schedules');
    return jobsRepository.schedules(ctx.db);
  },
  async retry(ctx: Ctx, jobId: number) {
    const job = await jobsRepository.byId(ctx.db, jobId);
    if (!job) throw notFound('Job', String(jobId));
    if (job.orgId) await orgsService.access(ctx, job.orgId, 'jobs.manage');
    else if (!ctx.actor.isInstanceAdmin) throw notFound('Job', String(jobId));
    return ctx.db.transaction(async (tx) => {
      const row = await jobsRepository.retry(tx, jobId);
      if (!row)
        throw new AppError(
          'conflict',
          `Job ${jobId} is ${job.status}: only failed or cancelled jobs can be retried`,
        );
      await auditService.record(tx, ctx, {
        orgId: job.orgId,
        action: 'job.retry',
        targetType: 'job',
        targetId: String(jobId),
      });
      return publicJob(row);
    });
  },
};
