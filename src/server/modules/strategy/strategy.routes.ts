import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../http/ctx.js';
import {
  Dashboard,
  HistoryQuery,
  MaturityReport,
  ObjectiveProgress,
  OrgParams,
  SetOverride,
  Snapshot,
  StepParams,
} from './strategy.schemas.js';
import { strategyService } from './strategy.service.js';

const tags = ['strategy'];
const read = { authz: { permission: 'data.read' as const } };
const analyze = { authz: { permission: 'data.analyze' as const } };

export async function strategyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/orgs/:orgId/strategy';

  app.get(
    `${base}/maturity`,
    {
      schema: {
        tags,
        summary: 'Maturity of the seven steps: levels, criteria and indicators measured from live data',
        params: OrgParams,
        response: { 200: MaturityReport },
      },
      config: read,
    },
    async (req) => strategyService.maturity(ctxOf(req), req.params.orgId),
  );
  app.put(
    `${base}/steps/:step/override`,
    {
      schema: {
        tags,
        summary: "Set a step's level by judgement, with the justification (audited)",
        params: StepParams,
        body: SetOverride,
        response: { 200: MaturityReport },
      },
      config: analyze,
    },
    async (req) => strategyService.setOverride(ctxOf(req), req.params.orgId, req.params.step, req.body),
  );
  app.delete(
    `${base}/steps/:step/override`,
    {
      schema: {
        tags,
        summary: 'Remove the override: the computed level counts again',
        params: StepParams,
        response: { 200: MaturityReport },
      },
      config: analyze,
    },
    async (req) => strategyService.clearOverride(ctxOf(req), req.params.orgId, req.params.step),
  );
  app.get(
    `${base}/snapshots`,
    {
      schema: {
        tags,
        summary: 'History: snapshots of levels and indicator values, newest first (q filters by quarter)',
        params: OrgParams,
        querystring: HistoryQuery,
        response: {
          200: z.object({
            items: z.array(Snapshot),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
        },
      },
      config: read,
    },
    async (req) =>
      strategyService.history(ctxOf(req), req.params.orgId, req.query.q, req.query.limit, req.query.offset),
  );
  app.post(
    `${base}/snapshots`,
    {
      schema: {
        tags,
        summary: 'Take a snapshot of levels and indicators now',
        params: OrgParams,
        response: { 201: Snapshot },
      },
      config: analyze,
    },
    async (req, reply) =>
      reply.status(201).send(await strategyService.snapshot(ctxOf(req), req.params.orgId)),
  );
  app.get(
    `${base}/objectives`,
    {
      schema: {
        tags,
        summary: 'Objectives with KPIs measured from the indicators, and the actions serving each',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(ObjectiveProgress) }) },
      },
      config: read,
    },
    async (req) => ({ items: await strategyService.objectives(ctxOf(req), req.params.orgId) }),
  );
  app.get(
    `${base}/dashboard`,
    {
      schema: {
        tags,
        summary:
          "The strategy dashboard: levels, top risks, KEV exposure, open incidents' clocks, training, expiring agreements",
        params: OrgParams,
        response: { 200: Dashboard },
      },
      config: read,
    },
    async (req) => strategyService.dashboard(ctxOf(req), req.params.orgId),
  );
}
