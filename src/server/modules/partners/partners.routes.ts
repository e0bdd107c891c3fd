import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { ctxOf } from '../../http/ctx.js';
import { readUpload, sendDownload } from '../../http/upload.js';
import { Dependency, ImpactOut, Provider } from '../assets/assets.schemas.js';
import {
  Activity,
  ActivityQuery,
  AddPartnerDependent,
  Agreement,
  AgreementDocument,
  AgreementDocumentFields,
  AgreementQuery,
  Contact,
  CreateActivity,
  CreateAgreement,
  CreateContact,
  CreatePartner,
  ListQuery,
  OrgParams,
  Partner,
  page,
  UpdateActivity,
  UpdateAgreement,
  UpdateContact,
  UpdatePartner,
} from './partners.schemas.js';
import { AGREEMENT_DOCUMENT_MAX_BYTES, partnersService } from './partners.service.js';

const tags = ['partners'];
const PartnerParams = z.strictObject({ orgId: z.uuid(), partnerId: z.uuid() });
const ContactParams = z.strictObject({ orgId: z.uuid(), contactId: z.uuid() });
const AgreementParams = z.strictObject({ orgId: z.uuid(), agreementId: z.uuid() });
const DocumentParams = z.strictObject({
  orgId: z.uuid(),
  agreementId: z.uuid(),
  agreementDocumentId: z.uuid(),
});
const ActivityParams = z.strictObject({ orgId: z.uuid(), activityId: z.uuid() });
const PartnerDependents = z.object({
  provider: Provider.omit({ slug: true }).nullable(),
  eligible: z.boolean(),
  dependencies: z.array(Dependency),
  impact: ImpactOut.nullable(),
});
const read = { authz: { permission: 'data.read' as const } };
const write = { authz: { permission: 'data.write' as const } };

export async function partnersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await app.register(multipart, {
    limits: { fileSize: AGREEMENT_DOCUMENT_MAX_BYTES, files: 1, fields: 2, fieldSize: 1000 },
  });
  const base = '/orgs/:orgId/partners';

  app.get(
    base,
    {
      schema: { tags, params: OrgParams, querystring: ListQuery, response: { 200: page(Partner) } },
      config: read,
    },
    async (req) =>
      partnersService.list(ctxOf(req), req.params.orgId, req.query.q, req.query.limit, req.query.offset),
  );
  app.post(
    base,
    { schema: { tags, params: OrgParams, body: CreatePartner, response: { 201: Partner } }, config: write },
    async (req, reply) =>
      reply.status(201).send(await partnersService.create(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    `${base}/:partnerId`,
    { schema: { tags, params: PartnerParams, response: { 200: Partner } }, config: read },
    async (req) => partnersService.get(ctxOf(req), req.params.orgId, req.params.partnerId),
  );
  app.patch(
    `${base}/:partnerId`,
    {
      schema: { tags, params: PartnerParams, body: UpdatePartner, response: { 200: Partner } },
      config: write,
    },
    async (req) => partnersService.update(ctxOf(req), req.params.orgId, req.params.partnerId, req.body),
  );
  app.delete(
    `${base}/:partnerId`,
    { schema: { tags, params: PartnerParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await partnersService.remove(ctxOf(req), req.params.orgId, req.params.partnerId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/contacts',
    {
      schema: { tags, params: OrgParams, response: { 200: z.object({ items: z.array(Contact) }) } },
      config: read,
    },
    async (req) => partnersService.listContacts(ctxOf(req), req.params.orgId),
  );
  app.post(
    '/orgs/:orgId/contacts',
    { schema: { tags, params: OrgParams, body: CreateContact, response: { 201: Contact } }, config: write },
    async (req, reply) =>
      reply.status(201).send(await partnersService.createContact(ctxOf(req), req.params.orgId, req.body)),
  );
  app.patch(
    '/orgs/:orgId/contacts/:contactId',
    {
      schema: { tags, params: ContactParams, body: UpdateContact, response: { 200: Contact } },
      config: write,
    },
    async (req) =>
      partnersService.updateContact(ctxOf(req), req.params.orgId, req.params.contactId, req.body),
  );
  app.delete(
    '/orgs/:orgId/contacts/:contactId',
    { schema: { tags, params: ContactParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await partnersService.removeContact(ctxOf(req), req.params.orgId, req.params.contactId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/roster',
    {
      schema: {
        tags,
        summary: 'The crisis contact roster, by service, incident type and escalation order',
        params: OrgParams,
        response: { 200: z.object({ items: z.array(Contact) }) },
      },
      config: read,
    },
    async (req) => ({ items: await partnersService.roster(ctxOf(req), req.params.orgId) }),
  );
  app.get(
    '/orgs/:orgId/roster.csv',
    {
      schema: { tags, params: OrgParams, produces: ['text/csv'], response: { 200: z.string() } },
      config: read,
    },
    async (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="crisis-roster.csv"')
        .send(await partnersService.rosterCsv(ctxOf(req), req.params.orgId)),
  );
  app.get(
    '/orgs/:orgId/roster.vcf',
    {
      schema: { tags, params: OrgParams, produces: ['text/vcard'], response: { 200: z.string() } },
      config: read,
    },
    async (req, reply) =>
      reply
        .type('text/vcard; charset=utf-8')
        .header('content-disposition', 'attachment; filename="crisis-roster.vcf"')
        .send(await partnersService.rosterVcf(ctxOf(req), req.params.orgId)),
  );

  app.get(
    '/orgs/:orgId/agreements',
    {
      schema: { tags, params: OrgParams, querystring: AgreementQuery, response: { 200: page(Agreement) } },
      config: read,
    },
    async (req) =>
      partnersService.listAgreements(
        ctxOf(req),
        req.params.orgId,
        req.query.q,
        req.query.status,
        req.query.limit,
        req.query.offset,
      ),
  );
  app.post(
    '/orgs/:orgId/agreements',
    {
      schema: { tags, params: OrgParams, body: CreateAgreement, response: { 201: Agreement } },
      config: write,
    },
    async (req, reply) =>
      reply.status(201).send(await partnersService.createAgreement(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    '/orgs/:orgId/agreements/:agreementId',
    { schema: { tags, params: AgreementParams, response: { 200: Agreement } }, config: read },
    async (req) => partnersService.getAgreement(ctxOf(req), req.params.orgId, req.params.agreementId),
  );
  app.patch(
    '/orgs/:orgId/agreements/:agreementId',
    {
      schema: { tags, params: AgreementParams, body: UpdateAgreement, response: { 200: Agreement } },
      config: write,
    },
    async (req) =>
      partnersService.updateAgreement(ctxOf(req), req.params.orgId, req.params.agreementId, req.body),
  );
  app.post(
    '/orgs/:orgId/agreements/:agreementId/documents',
    {
      schema: {
        tags,
        summary:
          'Upload a signed agreement or annex (multipart/form-data: title, then file; PDF, DOCX, XLSX, PNG, JPEG, text, CSV, JSON; at most 10 MiB)',
        params: AgreementParams,
        response: { 201: AgreementDocument },
      },
      config: write,
    },
    async (req, reply) => {
      const { fields, file } = await readUpload(req, {
        label: 'agreement document',
        maxBytes: AGREEMENT_DOCUMENT_MAX_BYTES,
      });
      const parsed = AgreementDocumentFields.safeParse({ title: fields.title || file.fileName });
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new AppError(
          'validation',
          `The upload's fields are not valid: ${errors[0].path}: ${errors[0].message}`,
          {
            errors,
          },
        );
      }
      return reply
        .status(201)
        .send(
          await partnersService.addDocument(
            ctxOf(req),
            req.params.orgId,
            req.params.agreementId,
            parsed.data.title,
            file,
          ),
        );
    },
  );
  app.get(
    '/orgs/:orgId/agreements/:agreementId/documents/:agreementDocumentId/content',
    { schema: { tags, summary: 'Download an agreement document', params: DocumentParams }, config: read },
    async (req, reply) => {
      const d = await partnersService.documentContent(
        ctxOf(req),
        req.params.orgId,
        req.params.agreementId,
        req.params.agreementDocumentId,
      );
      return sendDownload(reply.header('x-content-sha256', d.sha256), d.fileName, d.mediaType, d.content);
    },
  );
  app.delete(
    '/orgs/:orgId/agreements/:agreementId/documents/:agreementDocumentId',
    { schema: { tags, params: DocumentParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await partnersService.removeDocument(
        ctxOf(req),
        req.params.orgId,
        req.params.agreementId,
        req.params.agreementDocumentId,
      );
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/orgs/:orgId/agreements/:agreementId',
    { schema: { tags, params: AgreementParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await partnersService.removeAgreement(ctxOf(req), req.params.orgId, req.params.agreementId);
      return reply.status(204).send(null);
    },
  );

  // ---- the partner in the city model ----
  app.get(
    `${base}/:partnerId/dependents`,
    {
      schema: {
        tags,
        summary:
          'What of the city depends on this partner (dependencies on its organization) and the cascade if it fails',
        params: PartnerParams,
        response: { 200: PartnerDependents },
      },
      config: read,
    },
    async (req) => partnersService.dependents(ctxOf(req), req.params.orgId, req.params.partnerId),
  );
  app.post(
    `${base}/:partnerId/dependents`,
    {
      schema: {
        tags,
        summary: 'Record that a service or system of the city depends on this partner',
        params: PartnerParams,
        body: AddPartnerDependent,
        response: { 201: Dependency },
      },
      config: write,
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await partnersService.addDependent(ctxOf(req), req.params.orgId, req.params.partnerId, req.body),
        ),
  );

  // ---- cooperation activities ----
  app.get(
    '/orgs/:orgId/activities',
    {
      schema: {
        tags,
        summary:
          'Cooperation activities: joint exercises, research projects, internships, information sharing',
        params: OrgParams,
        querystring: ActivityQuery,
        response: { 200: page(Activity) },
      },
      config: read,
    },
    async (req) => {
      const { limit, offset, ...f } = req.query;
      return partnersService.listActivities(ctxOf(req), req.params.orgId, f, limit, offset);
    },
  );
  app.get(
    '/orgs/:orgId/activities/communities',
    {
      schema: {
        tags,
        summary: 'Communities an activity may name: those this organization is a member of',
        params: OrgParams,
        response: {
          200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), slug: z.string() })) }),
        },
      },
      config: read,
    },
    async (req) => partnersService.activityCommunities(ctxOf(req), req.params.orgId),
  );
  app.post(
    '/orgs/:orgId/activities',
    {
      schema: { tags, params: OrgParams, body: CreateActivity, response: { 201: Activity } },
      config: write,
    },
    async (req, reply) =>
      reply.status(201).send(await partnersService.createActivity(ctxOf(req), req.params.orgId, req.body)),
  );
  app.get(
    '/orgs/:orgId/activities/:activityId',
    { schema: { tags, params: ActivityParams, response: { 200: Activity } }, config: read },
    async (req) => partnersService.getActivity(ctxOf(req), req.params.orgId, req.params.activityId),
  );
  app.patch(
    '/orgs/:orgId/activities/:activityId',
    {
      schema: { tags, params: ActivityParams, body: UpdateActivity, response: { 200: Activity } },
      config: write,
    },
    async (req) =>
      partnersService.updateActivity(ctxOf(req), req.params.orgId, req.params.activityId, req.body),
  );
  app.delete(
    '/orgs/:orgId/activities/:activityId',
    { schema: { tags, params: ActivityParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await partnersService.removeActivity(ctxOf(req), req.params.orgId, req.params.activityId);
      return reply.status(204).send(null);
    },
  );
}
