import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RiskMatrix } from '../../../core/risk/index.js';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams, page } from '../orgs/orgs.schemas.js';
import {
  AcceptRisk,
  Action,
  CreateAction,
  CreateObjective,
  CreateRisk,
  LibraryItem,
  Matrix,
  Objective,
  PlanQuery,
  PortfolioQuery,
  Risk,
  RiskEvent,
  RiskListQuery,
  SimulateRisk,
  UpdateAction,
  UpdateObjective,
  UpdateRisk,
} from './risks.schemas.js';
import { risksService } from './risks.service.js';

const tags = ['risks'];
const RiskParams = z.strictObject({ orgId: z.uuid(), riskId: z.uuid() });
const ActionParams = z.strictObject({ orgId: z.uuid(), actionId: z.uuid() });
const ObjectiveParams = z.strictObject({ orgId: z.uuid(), objectiveId: z.uuid() });
const LibraryParams = z.strictObject({ orgId: z.uuid(), libraryKey: z.string().max(100) });
const MatrixOut = z.object({
  matrix: Matrix,
  heatMap: z.array(
    z.array(z.object({ likelihood: z.number(), impact: z.number(), score: z.number(), levelId: z.string() })),
  ),
});
const Summary = z.object({
  trials: z.number(),
  meanAnnualLoss: z.number(),
  stdev: z.number(),
  min: z.number(),
  max: z.number(),
  percentiles: z.object({
    p10: z.number(),
    p50: z.number(),
    p90: z.number(),
    p95: z.number(),
    p99: z.number(),
  }),
  lossExceedanceCurve: z.array(z.object({ loss: z.number(), probability: z.number() })),
});
const Level = z.object({ id: z.string(), name: z.string(), colour: z.string(), score: z.number() });

export async function risksRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const o = '/orgs/:orgId';

  app.get(
    `${o}/risk-matrix`,
    {
      schema: {
        tags,
        summary: 'The qualitative matrix and its heat map',
        params: OrgParams,
        response: { 200: MatrixOut },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.getMatrix(ctxOf(req), req.params.orgId),
  );
  app.put(
    `${o}/risk-matrix`,
    {
      schema: {
        tags,
        summary: 'Replace the matrix (labels, colours, levels)',
        params: OrgParams,
        body: Matrix,
        response: { 200: MatrixOut },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req) => risksService.setMatrix(ctxOf(req), req.params.orgId, req.body as RiskMatrix),
  );

  app.get(
    `${o}/risks`,
    {
      schema: {
        tags,
        summary: 'The risk register: search, filter by status or level, sort, paginate',
        params: OrgParams,
        querystring: RiskListQuery,
        response: { 200: page(Risk) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.list(ctxOf(req), req.params.orgId, req.query),
  );
  app.post(
    `${o}/risks`,
    {
      schema: { tags, params: OrgParams, body: CreateRisk, response: { 201: Risk } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await risksService.create(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    `${o}/risks/:riskId`,
    {
      schema: { tags, params: RiskParams, response: { 200: Risk } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.get(ctxOf(req), req.params.orgId, req.params.riskId),
  );
  app.patch(
    `${o}/risks/:riskId`,
    {
      schema: { tags, params: RiskParams, body: UpdateRisk, response: { 200: Risk } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => risksService.update(ctxOf(req), req.params.orgId, req.params.riskId, req.body),
  );
  app.delete(
    `${o}/risks/:riskId`,
    {
      schema: { tags, params: RiskParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await risksService.remove(ctxOf(req), req.params.orgId, req.params.riskId);
      return reply.status(204).send(null);
    },
  );
  app.post(
    `${o}/risks/:riskId/accept`,
    {
      schema: {
        tags,
        summary: 'Accept a risk: you are recorded as approver; the acceptance expires',
        params: RiskParams,
        body: AcceptRisk,
        response: { 200: Risk },
      },
      config: { authz: { permission: 'data.analyze' } },
    },
    async (req) => risksService.accept(ctxOf(req), req.params.orgId, req.params.riskId, req.body),
  );
  app.post(
    `${o}/risks/:riskId/simulate`,
    {
      schema: {
        tags,
        summary: 'Run the FAIR Monte Carlo (seeded, reproducible) and store the result',
        params: RiskParams,
        body: SimulateRisk,
        response: { 200: Risk },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => risksService.simulate(ctxOf(req), req.params.orgId, req.params.riskId, req.body),
  );
  app.get(
    `${o}/risks/:riskId/history`,
    {
      schema: {
        tags,
        summary: 'Status history',
        params: RiskParams,
        response: { 200: z.object({ items: z.array(RiskEvent) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.history(ctxOf(req), req.params.orgId, req.params.riskId),
  );

  app.get(
    `${o}/risk-ranking`,
    {
      schema: {
        tags,
        summary: 'Risks ranked by quantified annual loss, with the qualitative level beside it',
        params: OrgParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                rank: z.number(),
                id: z.string(),
                title: z.string(),
                status: z.string(),
                meanAnnualLoss: z.number().nullable(),
                p90: z.number().nullable(),
                quantified: z.boolean(),
                simulated: z.boolean(),
                level: Level,
              }),
            ),
          }),
        },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.ranking(ctxOf(req), req.params.orgId),
  );
  app.get(
    `${o}/risk-portfolio`,
    {
      schema: {
        tags,
        summary: 'Portfolio of all open quantified risks: total annual loss and loss exceedance curve',
        params: OrgParams,
        querystring: PortfolioQuery,
        response: {
          200: z.object({
            seed: z.number(),
            trials: z.number(),
            risks: z.number(),
            total: Summary.nullable(),
            scenarios: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                meanAnnualLoss: z.number(),
                percentiles: z.object({
                  p10: z.number(),
                  p50: z.number(),
                  p90: z.number(),
                  p95: z.number(),
                  p99: z.number(),
                }),
              }),
            ),
          }),
        },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.portfolio(ctxOf(req), req.params.orgId, req.query.seed, req.query.trials),
  );
  app.get(
    `${o}/risk-library`,
    {
      schema: {
        tags,
        summary: 'Starter library of municipal scenarios',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(LibraryItem) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async () => risksService.library(),
  );
  app.post(
    `${o}/risk-library/:libraryKey`,
    {
      schema: {
        tags,
        summary: 'Add a library scenario to the register, to adapt',
        params: LibraryParams,
        response: { 201: Risk },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await risksService.adopt(ctxOf(req), req.params.orgId, req.params.libraryKey)),
  );

  app.get(
    `${o}/treatment-actions`,
    {
      schema: {
        tags,
        params: OrgParams,
        response: { 200: z.object({ items: z.array(Action), total: z.number() }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.listActions(ctxOf(req), req.params.orgId),
  );
  app.post(
    `${o}/treatment-actions`,
    {
      schema: { tags, params: OrgParams, body: CreateAction, response: { 201: Action } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await risksService.createAction(ctxOf(req), req.params.orgId, req.body)),
  );
  app.patch(
    `${o}/treatment-actions/:actionId`,
    {
      schema: { tags, params: ActionParams, body: UpdateAction, response: { 200: Action } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => risksService.updateAction(ctxOf(req), req.params.orgId, req.params.actionId, req.body),
  );
  app.delete(
    `${o}/treatment-actions/:actionId`,
    {
      schema: { tags, params: ActionParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await risksService.removeAction(ctxOf(req), req.params.orgId, req.params.actionId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    `${o}/risk-plan`,
    {
      schema: {
        tags,
        summary:
          'Budget-constrained plan: the set of open actions that removes the most expected annual loss, and its roadmap by quarter',
        params: OrgParams,
        querystring: PlanQuery,
        response: {
          200: z.object({
            budget: z.number(),
            seed: z.number(),
            method: z.string(),
            optimal: z.boolean(),
            totalCost: z.number(),
            totalReduction: z.number(),
            budgetLeft: z.number(),
            upperBound: z.number(),
            reasoning: z.array(z.string()),
            actions: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                cost: z.number(),
                reduction: z.number(),
                chosen: z.boolean(),
                reason: z.string(),
                notes: z.array(z.string()),
              }),
            ),
            roadmap: z.array(
              z.object({
                quarter: z.string(),
                cost: z.number(),
                notes: z.array(z.string()),
                actions: z.array(
                  z.object({ id: z.string(), title: z.string(), cost: z.number(), reduction: z.number() }),
                ),
              }),
            ),
          }),
        },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.plan(ctxOf(req), req.params.orgId, req.query),
  );

  app.get(
    `${o}/objectives`,
    {
      schema: {
        tags: ['strategy'],
        params: OrgParams,
        response: { 200: z.object({ items: z.array(Objective), total: z.number() }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => risksService.listObjectives(ctxOf(req), req.params.orgId),
  );
  app.post(
    `${o}/objectives`,
    {
      schema: { tags: ['strategy'], params: OrgParams, body: CreateObjective, response: { 201: Objective } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await risksService.createObjective(ctxOf(req), req.params.orgId, req.body)),
  );
  app.patch(
    `${o}/objectives/:objectiveId`,
    {
      schema: {
        tags: ['strategy'],
        params: ObjectiveParams,
        body: UpdateObjective,
        response: { 200: Objective },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) =>
      risksService.updateObjective(ctxOf(req), req.params.orgId, req.params.objectiveId, req.body),
  );
  app.delete(
    `${o}/objectives/:objectiveId`,
    {
      schema: { tags: ['strategy'], params: ObjectiveParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await risksService.removeObjective(ctxOf(req), req.params.orgId, req.params.objectiveId);
      return reply.status(204).send(null);
    },
  );
}
