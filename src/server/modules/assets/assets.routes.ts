import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams, page } from '../orgs/orgs.schemas.js';
import {
  CreateDependency,
  CreateService,
  CreateSystem,
  Dependency,
  DependencyListQuery,
  ExportQuery,
  GapsOut,
  GraphOut,
  ImpactOut,
  ImpactQuery,
  ImportPreview,
  ImportRequest,
  ImportResult,
  Provider,
  SectorsIn,
  SectorsOut,
  Service,
  ServiceListQuery,
  SpofOut,
  SpofQuery,
  System,
  SystemListQuery,
  UpdateDependency,
  UpdateService,
  UpdateSystem,
} from './assets.schemas.js';
import { assetsService } from './assets.service.js';
import { assetsTransfer, type ImportInput } from './assets.transfer.js';
import { sectorsService } from './sectors.js';

const tags = ['assets'];
const ServiceParams = z.strictObject({ orgId: z.uuid(), serviceId: z.uuid() });
const SystemParams = z.strictObject({ orgId: z.uuid(), systemId: z.uuid() });
const DependencyParams = z.strictObject({ orgId: z.uuid(), dependencyId: z.uuid() });
const DeleteQuery = z.strictObject({ force: z.enum(['true', 'false']).optional() });

function importInput(body: z.infer<typeof ImportRequest>): ImportInput {
  const content = Buffer.from(body.content, 'base64');
  if (content.length === 0) throw new AppError('validation', 'content: the file is empty or not base64');
  return { ...body, content };
}

export async function assetsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/orgs/:orgId/assets';

  // ------------------------------------------------------------ services
  app.get(
    `${base}/services`,
    {
      schema: {
        tags,
        summary: 'Services residents rely on: search (q), filter, sort (-field for descending), paginate',
        params: OrgParams,
        querystring: ServiceListQuery,
        response: { 200: page(Service) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => {
      const { q, sort, limit, offset, ...f } = req.query;
      return assetsService.listServices(ctxOf(req), req.params.orgId, { q, ...f }, sort, limit, offset);
    },
  );
  app.post(
    `${base}/services`,
    {
      schema: { tags, params: OrgParams, body: CreateService, response: { 201: Service } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await assetsService.createService(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    `${base}/services/:serviceId`,
    {
      schema: { tags, params: ServiceParams, response: { 200: Service } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => assetsService.getService(ctxOf(req), req.params.orgId, req.params.serviceId),
  );
  app.patch(
    `${base}/services/:serviceId`,
    {
      schema: { tags, params: ServiceParams, body: UpdateService, response: { 200: Service } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => assetsService.updateService(ctxOf(req), req.params.orgId, req.params.serviceId, req.body),
  );
  app.delete(
    `${base}/services/:serviceId`,
    {
      schema: {
        tags,
        summary: 'Delete a service; refused while others depend on it unless force=true',
        params: ServiceParams,
        querystring: DeleteQuery,
        response: { 204: z.null() },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await assetsService.deleteService(
        ctxOf(req),
        req.params.orgId,
        req.params.serviceId,
        req.query.force === 'true',
      );
      return reply.status(204).send(null);
    },
  );

  // ------------------------------------------------------------ systems
  app.get(
    `${base}/systems`,
    {
      schema: {
        tags,
        summary: 'Systems: search (q), filter, sort (-field for descending), paginate',
        params: OrgParams,
        querystring: SystemListQuery,
        response: { 200: page(System) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => {
      const { q, sort, limit, offset, ...f } = req.query;
      return assetsService.listSystems(ctxOf(req), req.params.orgId, { q, ...f }, sort, limit, offset);
    },
  );
  app.post(
    `${base}/systems`,
    {
      schema: { tags, params: OrgParams, body: CreateSystem, response: { 201: System } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await assetsService.createSystem(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    `${base}/systems/:systemId`,
    {
      schema: { tags, params: SystemParams, response: { 200: System } },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => assetsService.getSystem(ctxOf(req), req.params.orgId, req.params.systemId),
  );
  app.patch(
    `${base}/systems/:systemId`,
    {
      schema: { tags, params: SystemParams, body: UpdateSystem, response: { 200: System } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => assetsService.updateSystem(ctxOf(req), req.params.orgId, req.params.systemId, req.body),
  );
  app.delete(
    `${base}/systems/:systemId`,
    {
      schema: {
        tags,
        summary: 'Delete a system; refused while others depend on it unless force=true',
        params: SystemParams,
        querystring: DeleteQuery,
        response: { 204: z.null() },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await assetsService.deleteSystem(
        ctxOf(req),
        req.params.orgId,
        req.params.systemId,
        req.query.force === 'true',
      );
      return reply.status(204).send(null);
    },
  );

  // ------------------------------------------------------------ dependencies
  app.get(
    `${base}/dependencies`,
    {
      schema: {
        tags,
        summary: 'Dependencies ("from depends on to"), optionally those touching one node',
        params: OrgParams,
        querystring: DependencyListQuery,
        response: { 200: page(Dependency) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => {
      const { q, nodeId, limit, offset } = req.query;
      return assetsService.listDependencies(ctxOf(req), req.params.orgId, { q, nodeId }, limit, offset);
    },
  );
  app.post(
    `${base}/dependencies`,
    {
      schema: {
        tags,
        summary: 'Add a dependency; both ends must exist in this organization (or be a provider of its tree)',
        params: OrgParams,
        body: CreateDependency,
        response: { 201: Dependency },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) =>
      reply.status(201).send(await assetsService.createDependency(ctxOf(req), req.params.orgId, req.body)),
  );
  app.patch(
    `${base}/dependencies/:dependencyId`,
    {
      schema: { tags, params: DependencyParams, body: UpdateDependency, response: { 200: Dependency } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) =>
      assetsService.updateDependency(ctxOf(req), req.params.orgId, req.params.dependencyId, req.body),
  );
  app.delete(
    `${base}/dependencies/:dependencyId`,
    {
      schema: { tags, params: DependencyParams, response: { 204: z.null() } },
      config: { authz: { permission: 'data.write' } },
    },
    async (req, reply) => {
      await assetsService.deleteDependency(ctxOf(req), req.params.orgId, req.params.dependencyId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    `${base}/providers`,
    {
      schema: {
        tags,
        summary: 'External providers a dependency may point at: utilities and partners of this tree',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(Provider) }) },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => assetsService.providers(ctxOf(req), req.params.orgId),
  );

  // ------------------------------------------------------------ analyses
  app.get(
    `${base}/graph`,
    {
      schema: {
        tags,
        summary: 'The whole dependency graph (nodes, edges) and its cycles',
        params: OrgParams,
        response: { 200: GraphOut },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => assetsService.graph(ctxOf(req), req.params.orgId),
  );
  app.get(
    `${base}/impact`,
    {
      schema: {
        tags,
        summary:
          'Cascade: if these nodes fail or are compromised, which services stop, residents affected, time to impact',
        params: OrgParams,
        querystring: ImpactQuery,
        response: { 200: ImpactOut },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => {
      const ids = req.query.nodes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return assetsService.impact(ctxOf(req), req.params.orgId, ids, req.query.paths ?? true);
    },
  );
  app.get(
    `${base}/spof`,
    {
      schema: {
        tags,
        summary:
          'Single points of failure: systems and providers whose loss alone stops the most critical services',
        params: OrgParams,
        querystring: SpofQuery,
        response: { 200: SpofOut },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => assetsService.spof(ctxOf(req), req.params.orgId, req.query.limit),
  );
  app.get(
    `${base}/gaps`,
    {
      schema: {
        tags,
        summary: 'Services without an owner, an RTO or any known dependency',
        params: OrgParams,
        response: { 200: GapsOut },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => assetsService.gaps(ctxOf(req), req.params.orgId),
  );

  // ------------------------------------------------------------ sectors
  app.get(
    `${base}/sectors`,
    {
      schema: {
        tags,
        summary:
          "The organization's critical-infrastructure sectors (its own, an ancestor's, or the 16 US sectors)",
        params: OrgParams,
        response: { 200: SectorsOut },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) => sectorsService.get(ctxOf(req), req.params.orgId),
  );
  app.put(
    `${base}/sectors`,
    {
      schema: {
        tags,
        summary: "Set the organization's own list of sectors, or null to use the inherited one",
        params: OrgParams,
        body: SectorsIn,
        response: { 200: SectorsOut },
      },
      config: { authz: { permission: 'data.admin' } },
    },
    async (req) => sectorsService.set(ctxOf(req), req.params.orgId, req.body.sectors),
  );

  // ------------------------------------------------------------ import / export
  app.post(
    `${base}/import/preview`,
    {
      schema: {
        tags,
        summary: 'Read a CSV or XLSX file, map its columns and check every row; writes nothing',
        params: OrgParams,
        body: ImportRequest,
        response: { 200: ImportPreview },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => assetsTransfer.preview(ctxOf(req), req.params.orgId, importInput(req.body)),
  );
  app.post(
    `${base}/import/commit`,
    {
      schema: {
        tags,
        summary:
          'Import a CSV or XLSX file in one transaction: all rows, or nothing when any row has an error',
        params: OrgParams,
        body: ImportRequest,
        response: { 200: ImportResult },
      },
      config: { authz: { permission: 'data.write' } },
    },
    async (req) => assetsTransfer.commit(ctxOf(req), req.params.orgId, importInput(req.body)),
  );
  app.get(
    `${base}/export`,
    {
      schema: {
        tags,
        summary: 'Export services, systems or dependencies as CSV or XLSX (the import format)',
        params: OrgParams,
        querystring: ExportQuery,
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req, reply) => {
      const { kind, format } = req.query;
      const buf = await assetsTransfer.export(ctxOf(req), req.params.orgId, kind, format);
      reply
        .header('content-disposition', `attachment; filename="${kind}.${format}"`)
        .type(
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
      return reply.send(buf);
    },
  );
}
