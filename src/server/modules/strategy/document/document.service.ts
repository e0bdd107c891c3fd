import type { Ctx } from '../../../context.js';
import { auditService } from '../../audit/audit.service.js';
import { orgsService } from '../../orgs/orgs.service.js';
import { collectDocument } from './collector.js';
import { renderDocx } from './docx.js';
import { renderHtml } from './html.js';
import { loadMaturity, measuredKpis } from './maturity.js';
import type { DocumentData, MaturityInput, Years } from './model.js';
import { renderBoardSummary, renderPdf } from './pdf.js';
import { DEFAULT_BLOCKS, type Lang } from './text.js';
import { textBlocksService } from './textblocks.js';

export type DocumentFormat = 'docx' | 'pdf' | 'html';

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

/** The default period: the three years after the current one. */
export function defaultYears(now = new Date()): Years {
  const y = now.getUTCFullYear() + 1;
  return { from: y, to: y + 2 };
}

export interface GenerateInput {
  lang: Lang;
  years?: Years;
  budget?: number;
  /** Given (null: leave the section out); by default measured by the strategy module. */
  maturity?: MaturityInput | null;
}

function slug(s: string) {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'city'
  );
}

export const strategyDocumentService = {
  /** The document's data, read as the caller (tenancy, permissions and TLP enforced by each module). */
  async data(ctx: Ctx, orgId: string, input: GenerateInput): Promise<DocumentData> {
    await orgsService.access(ctx, orgId, 'data.read');
    return collectDocument(ctx, orgId, {
      lang: input.lang,
      years: input.years ?? defaultYears(),
      blocks: await textBlocksService.own(ctx, orgId, input.lang),
      defaults: DEFAULT_BLOCKS[input.lang],
      ...(input.budget !== undefined ? { budget: input.budget } : {}),
      maturity: input.maturity === undefined ? await loadMaturity(ctx, orgId, input.lang) : input.maturity,
      kpiMeasures: await measuredKpis(ctx, orgId, input.lang),
    });
  },

  async render(data: DocumentData, format: DocumentFormat): Promise<Buffer> {
    if (format === 'docx') return renderDocx(data);
    if (format === 'pdf') return renderPdf(data);
    return Buffer.from(renderHtml(data), 'utf8');
  },

  /** Generates the strategy document and records the export in the audit log. */
  async document(ctx: Ctx, orgId: string, format: DocumentFormat, input: GenerateInput) {
    const data = await strategyDocumentService.data(ctx, orgId, input);
    const body = await strategyDocumentService.render(data, format);
    await recordExport(ctx, orgId, 'document', format, data);
    return {
      body,
      contentType: CONTENT_TYPES[format],
      filename: `${slug(data.org.name)}-cybersecurity-strategy-${data.years.from}-${data.years.to}-${data.lang}.${format}`,
    };
  },

  async boardSummary(ctx: Ctx, orgId: string, input: GenerateInput) {
    const data = await strategyDocumentService.data(ctx, orgId, input);
    const body = await renderBoardSummary(data);
    await recordExport(ctx, orgId, 'board-summary', 'pdf', data);
    return {
      body,
      contentType: CONTENT_TYPES.pdf,
      filename: `${slug(data.org.name)}-cybersecurity-strategy-${data.years.from}-${data.years.to}-board-summary-${data.lang}.pdf`,
    };
  },
};

async function recordExport(ctx: Ctx, orgId: string, kind: string, format: string, d: DocumentData) {
  await ctx.db.transaction((tx) =>
    auditService.record(tx, ctx, {
      orgId,
      action: 'strategy.document.export',
      targetType: 'organization',
      targetId: orgId,
      after: {
        kind,
        format,
        lang: d.lang,
        years: `${d.years.from}-${d.years.to}`,
        sources: d.sources.map((s) => ({ id: s.id, module: s.module, computedAt: s.computedAt })),
      },
    }),
  );
}
