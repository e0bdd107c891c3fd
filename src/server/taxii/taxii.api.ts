import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../http/ctx.js';
import { OrgParams } from '../modules/orgs/orgs.schemas.js';
import { taxiiService } from './taxii.service.js';

const TaxiiOverview = z.object({
  discoveryUrl: z.string(),
  apiRootUrl: z.string(),
  maxContentLength: z.number().int(),
  collections: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['all', 'community']),
      title: z.string(),
      description: z.string(),
      canRead: z.boolean(),
      canWrite: z.boolean(),
      url: z.string(),
      objects: z.number().int(),
    }),
  ),
});

/** The organization's TAXII 2.1 server as the web UI shows it: where it is and what each collection holds. */
export async function taxiiApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/orgs/:orgId/taxii',
    {
      schema: {
        tags: ['communities'],
        summary: "This organization's TAXII 2.1 API root and collections, with their object counts",
        params: OrgParams,
        response: { 200: TaxiiOverview },
      },
      config: { authz: { permission: 'data.read' } },
    },
    async (req) =>
      taxiiService.overview(
        ctxOf(req),
        req.params.orgId,
        app.citywall.config.publicUrl ?? `${req.protocol}://${req.host}`,
        app.citywall.config.taxiiMaxContentLength,
      ),
  );
}
