import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../context.js';
import { ctxOf } from '../../http/ctx.js';
import { AuditEvent } from '../audit/audit.schemas.js';
import { listAudit } from '../audit/audit.service.js';
import { OrganizationWithRoles, OrgParams } from './orgs.schemas.js';
import { orgsService } from './orgs.service.js';

const Overview = z.object({
  organization: OrganizationWithRoles,
  children: z.array(OrganizationWithRoles),
  memberCount: z.number().int().nullable(),
  recentActivity: z.array(AuditEvent).nullable(),
});

export async function homeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/orgs/:orgId/overview',
    {
      schema: {
        tags: ['organizations'],
        summary: "The organization's home page",
        params: OrgParams,
        response: { 200: Overview },
      },
      config: { authz: { permission: 'org.read' } },
    },
    async (req) => {
      const ctx = ctxOf(req);
      const organization = await orgsService.get(ctx, req.params.orgId);
      const visible = await orgsService.listVisible(ctx);
      const children = visible.filter((o) => o.parentId === organization.id);
      const memberCount = can(ctx.actor, organization, 'members.read')
        ? (await orgsService.listMembers(ctx, organization.id, undefined, 1, 0)).total
        : null;
      const recentActivity = can(ctx.actor, organization, 'audit.read')
        ? (await listAudit(ctx.db, [organization.id], { limit: 10 })).items
        : null;
      return { organization, children, memberCount, recentActivity };
    },
  );
}
