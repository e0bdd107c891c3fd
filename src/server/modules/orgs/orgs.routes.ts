import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../http/ctx.js';
import {
  AddMember,
  CreateOrganization,
  CreateUser,
  ListQuery,
  Member,
  Organization,
  OrganizationWithRoles,
  OrgParams,
  page,
  UpdateMember,
  UpdateOrganization,
  UpdateUser,
  User,
} from './orgs.schemas.js';
import { orgsService } from './orgs.service.js';

const tags = ['organizations'];
const MemberParams = z.strictObject({ orgId: z.uuid(), membershipId: z.uuid() });
const UserParams = z.strictObject({ userId: z.uuid() });
const WithPassword = <T extends z.ZodTypeAny>(s: T) =>
  z.object({ result: s, oneTimePassword: z.string().optional() });

export async function orgsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/orgs',
    {
      schema: {
        tags,
        summary: 'Organizations you hold a role in (and their subtrees where inherited)',
        response: { 200: z.object({ items: z.array(OrganizationWithRoles) }) },
      },
      config: { authz: {} },
    },
    async (req) => ({ items: await orgsService.listVisible(ctxOf(req)) }),
  );

  app.post(
    '/orgs',
    {
      schema: {
        tags,
        summary: 'Create an organization',
        body: CreateOrganization,
        response: { 201: Organization },
      },
      config: { authz: {} },
    },
    async (req, reply) => reply.status(201).send(await orgsService.create(ctxOf(req), req.body)),
  );

  app.get(
    '/orgs/:orgId',
    {
      schema: { tags, params: OrgParams, response: { 200: OrganizationWithRoles } },
      config: { authz: { permission: 'org.read' } },
    },
    async (req) => orgsService.get(ctxOf(req), req.params.orgId),
  );

  app.patch(
    '/orgs/:orgId',
    {
      schema: { tags, params: OrgParams, body: UpdateOrganization, response: { 200: Organization } },
      config: { authz: { permission: 'org.manage' } },
    },
    async (req) => orgsService.update(ctxOf(req), req.params.orgId, req.body),
  );

  app.delete(
    '/orgs/:orgId',
    {
      schema: { tags, params: OrgParams, response: { 204: z.null() } },
      config: { authz: { permission: 'org.manage', alsoOnParent: true } },
    },
    async (req, reply) => {
      await orgsService.remove(ctxOf(req), req.params.orgId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/orgs/:orgId/members',
    {
      schema: { tags, params: OrgParams, querystring: ListQuery, response: { 200: page(Member) } },
      config: { authz: { permission: 'members.read' } },
    },
    async (req) =>
      orgsService.listMembers(ctxOf(req), req.params.orgId, req.query.q, req.query.limit, req.query.offset),
  );

  app.post(
    '/orgs/:orgId/members',
    {
      schema: {
        tags,
        summary: 'Add a person (a new email creates the account with a one-time password)',
        params: OrgParams,
        body: AddMember,
        response: { 201: WithPassword(Member) },
      },
      config: { authz: { permission: 'members.manage' } },
    },
    async (req, reply) => {
      const { member, oneTimePassword } = await orgsService.addMember(ctxOf(req), req.params.orgId, req.body);
      return reply.status(201).send({ result: member, oneTimePassword });
    },
  );

  app.patch(
    '/orgs/:orgId/members/:membershipId',
    {
      schema: { tags, params: MemberParams, body: UpdateMember, response: { 200: Member } },
      config: { authz: { permission: 'members.manage' } },
    },
    async (req) => orgsService.updateMember(ctxOf(req), req.params.orgId, req.params.membershipId, req.body),
  );

  app.delete(
    '/orgs/:orgId/members/:membershipId',
    {
      schema: { tags, params: MemberParams, response: { 204: z.null() } },
      config: { authz: { permission: 'members.manage' } },
    },
    async (req, reply) => {
      await orgsService.removeMember(ctxOf(req), req.params.orgId, req.params.membershipId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/users',
    {
      schema: { tags: ['users'], querystring: ListQuery, response: { 200: page(User) } },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => orgsService.listUsers(ctxOf(req), req.query.q, req.query.limit, req.query.offset),
  );

  app.post(
    '/users',
    {
      schema: { tags: ['users'], body: CreateUser, response: { 201: WithPassword(User) } },
      config: { authz: { instanceAdmin: true } },
    },
    async (req, reply) => {
      const { user, oneTimePassword } = await orgsService.createUser(ctxOf(req), req.body);
      return reply.status(201).send({ result: user, oneTimePassword });
    },
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        tags: ['users'],
        params: UserParams,
        body: UpdateUser,
        response: { 200: WithPassword(User) },
      },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => {
      const { user, oneTimePassword } = await orgsService.updateUser(ctxOf(req), req.params.userId, req.body);
      return { result: user, oneTimePassword };
    },
  );
}
