import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NICE_COMPETENCY_AREAS, NICE_WORK_ROLES } from '../../../core/workforce/index.js';
import { ctxOf } from '../../http/ctx.js';
import {
  Assignment,
  AssignResult,
  AwarenessCampaign,
  CompletionBody,
  CreateAwarenessCampaign,
  CreatePerson,
  CreateTraining,
  Dashboard,
  GophishApiImportBody,
  ImportPeopleBody,
  ImportPreview,
  ListQuery,
  LmsImportBody,
  LmsImportResult,
  OrgParams,
  OverdueReport,
  PeopleQuery,
  Person,
  PhishingCampaign,
  PhishingImportBody,
  PhishingImportResult,
  PhishingMetrics,
  page,
  RoleCoverage,
  RoleNeedsBody,
  Training,
  UpdateAwarenessCampaign,
  UpdatePerson,
  UpdatePhishingCampaign,
  UpdateTraining,
} from './workforce.schemas.js';
import { workforceService } from './workforce.service.js';

const tags = ['workforce'];
const PersonParams = z.strictObject({ orgId: z.uuid(), personId: z.uuid() });
const TrainingParams = z.strictObject({ orgId: z.uuid(), trainingId: z.uuid() });
const CampaignParams = z.strictObject({ orgId: z.uuid(), phishingCampaignId: z.uuid() });
const AwarenessParams = z.strictObject({ orgId: z.uuid(), awarenessCampaignId: z.uuid() });
const read = { authz: { permission: 'data.read' as const } };
const write = { authz: { permission: 'data.write' as const } };

export async function workforceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/orgs/:orgId/workforce';

  app.get(
    '/workforce/nice',
    {
      schema: {
        tags,
        summary: 'NICE Framework 2.0 work roles and competency areas',
        response: {
          200: z.object({
            workRoles: z.array(z.object({ id: z.string(), name: z.string(), category: z.string() })),
            competencyAreas: z.array(z.object({ id: z.string(), name: z.string() })),
          }),
        },
      },
      config: { authz: {} },
    },
    async () => ({ workRoles: [...NICE_WORK_ROLES], competencyAreas: [...NICE_COMPETENCY_AREAS] }),
  );

  app.get(
    `${base}/people`,
    {
      schema: { tags, params: OrgParams, querystring: PeopleQuery, response: { 200: page(Person) } },
      config: read,
    },
    async (req) => {
      const { q, departmentOrgId, active, limit, offset } = req.query;
      return workforceService.listPeople(
        ctxOf(req),
        req.params.orgId,
        { q, departmentOrgId, active: active === undefined ? undefined : active === 'true' },
        limit,
        offset,
      );
    },
  );

  app.post(
    `${base}/people`,
    { schema: { tags, params: OrgParams, body: CreatePerson, response: { 201: Person } }, config: write },
    async (req, reply) =>
      reply.status(201).send(await workforceService.createPerson(ctxOf(req), req.params.orgId, req.body)),
  );

  app.get(
    `${base}/people/:personId`,
    { schema: { tags, params: PersonParams, response: { 200: Person } }, config: read },
    async (req) => workforceService.getPerson(ctxOf(req), req.params.orgId, req.params.personId),
  );

  app.patch(
    `${base}/people/:personId`,
    { schema: { tags, params: PersonParams, body: UpdatePerson, response: { 200: Person } }, config: write },
    async (req) => workforceService.updatePerson(ctxOf(req), req.params.orgId, req.params.personId, req.body),
  );

  app.delete(
    `${base}/people/:personId`,
    { schema: { tags, params: PersonParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await workforceService.removePerson(ctxOf(req), req.params.orgId, req.params.personId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/people/import`,
    {
      schema: {
        tags,
        summary: 'Preview or import staff from CSV or XLSX (base64); a commit writes every row or none',
        params: OrgParams,
        body: ImportPeopleBody,
        response: { 200: ImportPreview },
      },
      config: write,
    },
    async (req) => workforceService.importPeople(ctxOf(req), req.params.orgId, req.body),
  );

  app.get(
    `${base}/roles`,
    {
      schema: {
        tags,
        summary: 'Needed NICE work roles and the gaps',
        params: OrgParams,
        response: { 200: RoleCoverage },
      },
      config: read,
    },
    async (req) => workforceService.roleCoverage(ctxOf(req), req.params.orgId),
  );

  app.put(
    `${base}/roles`,
    {
      schema: { tags, params: OrgParams, body: RoleNeedsBody, response: { 200: RoleCoverage } },
      config: write,
    },
    async (req) => workforceService.setRoleNeeds(ctxOf(req), req.params.orgId, req.body.needs),
  );

  app.get(
    `${base}/trainings`,
    {
      schema: { tags, params: OrgParams, querystring: ListQuery, response: { 200: page(Training) } },
      config: read,
    },
    async (req) =>
      workforceService.listTrainings(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );

  app.post(
    `${base}/trainings`,
    { schema: { tags, params: OrgParams, body: CreateTraining, response: { 201: Training } }, config: write },
    async (req, reply) =>
      reply.status(201).send(await workforceService.createTraining(ctxOf(req), req.params.orgId, req.body)),
  );

  app.patch(
    `${base}/trainings/:trainingId`,
    {
      schema: { tags, params: TrainingParams, body: UpdateTraining, response: { 200: Training } },
      config: write,
    },
    async (req) =>
      workforceService.updateTraining(ctxOf(req), req.params.orgId, req.params.trainingId, req.body),
  );

  app.delete(
    `${base}/trainings/:trainingId`,
    { schema: { tags, params: TrainingParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await workforceService.removeTraining(ctxOf(req), req.params.orgId, req.params.trainingId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/trainings/:trainingId/assign`,
    {
      schema: {
        tags,
        summary: 'Assign the training to its audience',
        params: TrainingParams,
        response: { 200: AssignResult },
      },
      config: write,
    },
    async (req) => workforceService.assignAudience(ctxOf(req), req.params.orgId, req.params.trainingId),
  );

  app.get(
    `${base}/trainings/:trainingId/assignments`,
    {
      schema: { tags, params: TrainingParams, response: { 200: z.object({ items: z.array(Assignment) }) } },
      config: read,
    },
    async (req) => workforceService.listAssignments(ctxOf(req), req.params.orgId, req.params.trainingId),
  );

  app.post(
    `${base}/trainings/:trainingId/completions`,
    {
      schema: {
        tags,
        params: TrainingParams,
        body: CompletionBody,
        response: { 200: z.object({ completed: z.number().int() }) },
      },
      config: write,
    },
    async (req) =>
      workforceService.recordCompletion(ctxOf(req), req.params.orgId, req.params.trainingId, req.body),
  );

  app.post(
    `${base}/trainings/:trainingId/completions/import`,
    {
      schema: {
        tags,
        summary: 'Import completions from an LMS CSV export',
        params: TrainingParams,
        body: LmsImportBody,
        response: { 200: LmsImportResult },
      },
      config: write,
    },
    async (req) =>
      workforceService.importCompletions(ctxOf(req), req.params.orgId, req.params.trainingId, req.body.csv),
  );

  app.get(
    `${base}/overdue`,
    {
      schema: {
        tags,
        summary: 'Overdue trainings, per department and manager',
        params: OrgParams,
        response: { 200: OverdueReport },
      },
      config: read,
    },
    async (req) => workforceService.overdue(ctxOf(req), req.params.orgId),
  );

  app.get(
    `${base}/phishing`,
    {
      schema: { tags, params: OrgParams, querystring: ListQuery, response: { 200: page(PhishingCampaign) } },
      config: read,
    },
    async (req) =>
      workforceService.listCampaigns(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );

  app.post(
    `${base}/phishing/import`,
    {
      schema: {
        tags,
        summary: 'Import a gophish results or raw events CSV export (submitted data is never stored)',
        params: OrgParams,
        body: PhishingImportBody,
        response: { 201: PhishingImportResult },
      },
      config: write,
    },
    async (req, reply) =>
      reply.status(201).send(await workforceService.importPhishing(ctxOf(req), req.params.orgId, req.body)),
  );

  app.post(
    `${base}/phishing/import-gophish`,
    {
      schema: {
        tags,
        summary: "Import a campaign's results from a gophish server's REST API (the API key is not stored)",
        params: OrgParams,
        body: GophishApiImportBody,
        response: { 201: PhishingImportResult },
      },
      config: write,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await workforceService.importPhishingFromGophish(
            ctxOf(req),
            req.params.orgId,
            req.body,
            req.server.citywall.config.outbound,
          ),
        ),
  );

  app.patch(
    `${base}/phishing/:phishingCampaignId`,
    {
      schema: {
        tags,
        summary: "Rename an imported campaign (its results are gophish's and stay as imported)",
        params: CampaignParams,
        body: UpdatePhishingCampaign,
        response: { 200: PhishingCampaign },
      },
      config: write,
    },
    async (req) =>
      workforceService.renameCampaign(
        ctxOf(req),
        req.params.orgId,
        req.params.phishingCampaignId,
        req.body.name,
      ),
  );

  app.delete(
    `${base}/phishing/:phishingCampaignId`,
    { schema: { tags, params: CampaignParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await workforceService.removeCampaign(ctxOf(req), req.params.orgId, req.params.phishingCampaignId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${base}/phishing-metrics`,
    {
      schema: {
        tags,
        summary: 'Click, report and time-to-report rates by department and over time',
        params: OrgParams,
        response: { 200: PhishingMetrics },
      },
      config: read,
    },
    async (req) => workforceService.phishingMetrics(ctxOf(req), req.params.orgId),
  );

  app.get(
    `${base}/awareness`,
    {
      schema: { tags, params: OrgParams, querystring: ListQuery, response: { 200: page(AwarenessCampaign) } },
      config: read,
    },
    async (req) =>
      workforceService.listAwareness(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.limit,
        req.query.offset,
      ),
  );

  app.post(
    `${base}/awareness`,
    {
      schema: {
        tags,
        params: OrgParams,
        body: CreateAwarenessCampaign,
        response: { 201: AwarenessCampaign },
      },
      config: write,
    },
    async (req, reply) =>
      reply.status(201).send(await workforceService.createAwareness(ctxOf(req), req.params.orgId, req.body)),
  );

  app.patch(
    `${base}/awareness/:awarenessCampaignId`,
    {
      schema: {
        tags,
        params: AwarenessParams,
        body: UpdateAwarenessCampaign,
        response: { 200: AwarenessCampaign },
      },
      config: write,
    },
    async (req) =>
      workforceService.updateAwareness(
        ctxOf(req),
        req.params.orgId,
        req.params.awarenessCampaignId,
        req.body,
      ),
  );

  app.delete(
    `${base}/awareness/:awarenessCampaignId`,
    { schema: { tags, params: AwarenessParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await workforceService.removeAwareness(ctxOf(req), req.params.orgId, req.params.awarenessCampaignId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${base}/dashboard`,
    { schema: { tags, params: OrgParams, response: { 200: Dashboard } }, config: read },
    async (req) => workforceService.dashboard(ctxOf(req), req.params.orgId),
  );
}
