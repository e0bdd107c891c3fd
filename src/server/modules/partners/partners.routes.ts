import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../http/ctx.js';
import {
  Agreement,
  AgreementQuery,
  Contact,
  CreateAgreement,
  CreateContact,
  CreatePartner,
  ListQuery,
  OrgParams,
  Partner,
  page,
  UpdatePartner,
} from './partners.schemas.js';
import { partnersService } from './partners.service.js';

const tags = ['partners'];
const PartnerParams = z.strictObject({ orgId: z.uuid(), partnerId: z.uuid() });
const ContactParams = z.strictObject({ orgId: z.uuid(), contactId: z.uuid() });
const AgreementParams = z.strictObject({ orgId: z.uuid(), agreementId: z.uuid() });
const read = { authz: { permission: 'data.read' as const } };
const write = { authz: { permission: 'data.write' as const } };

export async function partnersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
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
  app.delete(
    '/orgs/:orgId/agreements/:agreementId',
    { schema: { tags, params: AgreementParams, response: { 204: z.null() } }, config: write },
    async (req, reply) => {
      await partnersService.removeAgreement(ctxOf(req), req.params.orgId, req.params.agreementId);
      return reply.status(204).send(null);
    },
  );
}
