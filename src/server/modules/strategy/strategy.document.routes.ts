import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf } from '../../http/ctx.js';
import { strategyDocumentService } from './document/document.service.js';
import {
  BoardSummaryQuery,
  DocumentQuery,
  OrgParams,
  PutTextBlock,
  page,
  TextBlock,
  TextBlocksQuery,
} from './document/schemas.js';
import { textBlocksService } from './document/textblocks.js';

const tags = ['strategy'];
const read = { authz: { permission: 'data.read' as const } };
const write = { authz: { permission: 'data.write' as const } };

/** The strategy document (DOCX, PDF, HTML), its one-page board summary and its editable text blocks. */
export async function strategyDocumentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/orgs/:orgId/strategy';

  app.get(
    `${base}/document`,
    {
      schema: {
        tags,
        summary:
          'The strategy document generated from live data, as DOCX, PDF or HTML, in English or Spanish',
        params: OrgParams,
        querystring: DocumentQuery,
        produces: [
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'application/pdf',
          'text/html',
        ],
      },
      config: read,
    },
    async (req, reply) => {
      const q = req.query;
      const out = await strategyDocumentService.document(ctxOf(req), req.params.orgId, q.format, {
        lang: q.lang,
        ...(q.years ? { years: q.years } : {}),
        ...(q.budget !== undefined ? { budget: q.budget } : {}),
      });
      return reply
        .type(out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('cache-control', 'no-store')
        .send(out.body);
    },
  );

  app.get(
    `${base}/board-summary`,
    {
      schema: {
        tags,
        summary: 'A one-page board summary of the strategy (PDF)',
        params: OrgParams,
        querystring: BoardSummaryQuery,
        produces: ['application/pdf'],
      },
      config: read,
    },
    async (req, reply) => {
      const q = req.query;
      const out = await strategyDocumentService.boardSummary(ctxOf(req), req.params.orgId, {
        lang: q.lang,
        ...(q.years ? { years: q.years } : {}),
        ...(q.budget !== undefined ? { budget: q.budget } : {}),
      });
      return reply
        .type(out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('cache-control', 'no-store')
        .send(out.body);
    },
  );

  app.get(
    `${base}/text-blocks`,
    {
      schema: {
        tags,
        summary: 'The prose blocks of the strategy document: the organization’s wording, else the default',
        params: OrgParams,
        querystring: TextBlocksQuery,
        response: { 200: page(TextBlock) },
      },
      config: read,
    },
    async (req) => textBlocksService.list(ctxOf(req), req.params.orgId, req.query),
  );

  app.put(
    `${base}/text-blocks`,
    {
      schema: {
        tags,
        summary: 'Rewrite one prose block in one language (text null returns it to the default)',
        params: OrgParams,
        body: PutTextBlock,
        response: { 200: TextBlock },
      },
      config: write,
    },
    async (req) => textBlocksService.put(ctxOf(req), req.params.orgId, req.body),
  );
}
