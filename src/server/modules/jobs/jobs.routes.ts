import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams } from '../orgs/orgs.schemas.js';
import { Job, JobPage, JobQuery, Schedule } from './jobs.schemas.js';
import { jobsService } from './jobs.service.js';

const tags = ['jobs'];

export async function jobsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/orgs/:orgId/jobs',
    {
      schema: { tags, params: OrgParams, querystring: JobQuery, response: { 200: JobPage } },
      config: { authz: { permission: 'jobs.read' } },
    },
    async (req) => jobsService.listForOrg(ctxOf(req), req.params.orgId, req.query),
  );

  app.get(
    '/jobs',
    {
      schema: {
        tags,
        summary: 'Every job of the instance (instance administrators)',
        querystring: JobQuery,
        response: { 200: JobPage },
      },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => jobsService.listSystem(ctxOf(req), req.query),
  );

  app.get(
    '/jobs/schedules',
    {
      schema: { tags, response: { 200: z.object({ items: z.array(Schedule) }) } },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => ({ items: await jobsService.schedules(ctxOf(req)) }),
  );

  app.post(
    '/jobs/:jobId/retry',
    {
      schema: {
        tags,
        params: z.strictObject({ jobId: z.coerce.number().int().positive() }),
        response: { 200: Job },
      },
      config: { authz: {} },
    },
    async (req) => jobsService.retry(ctxOf(req), req.params.jobId),
  );
}
