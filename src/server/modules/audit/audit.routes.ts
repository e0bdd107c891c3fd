import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { can } from '../../context.js';
import { ctxOf } from '../../http/ctx.js';
import { OrgParams } from '../orgs/orgs.schemas.js';
import { orgsService } from '../orgs/orgs.service.js';
import { AuditPage, AuditQuery, AuditVerification } from './audit.schemas.js';
import { auditService, listAudit } from './audit.service.js';

const tags = ['audit'];

export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/orgs/:orgId/audit',
    {
      schema: {
        tags,
        summary: "The organization's audit events, newest first",
        params: OrgParams,
        querystring: AuditQuery,
        response: { 200: AuditPage },
      },
      config: { authz: { permission: 'audit.read' } },
    },
    async (req) => {
      const ctx = ctxOf(req);
      const org = await orgsService.access(ctx, req.params.orgId, 'audit.read');
      let orgIds = [org.id];
      if (req.query.includeDescendants === 'true') {
        const visible = await orgsService.listVisible(ctx);
        orgIds = visible
          .filter((o) => o.path.startsWith(org.path) && can(ctx.actor, o, 'audit.read'))
          .map((o) => o.id);
      }
      return listAudit(ctx.db, orgIds, req.query);
    },
  );

  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'Every audit event of the instance (instance administrators)',
        querystring: AuditQuery,
        response: { 200: AuditPage },
      },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => listAudit(ctxOf(req).db, null, req.query),
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the hash chain and report any edited or deleted event',
        response: { 200: AuditVerification },
      },
      config: { authz: { instanceAdmin: true } },
    },
    async (req) => auditService.verify(ctxOf(req).db),
  );
}
