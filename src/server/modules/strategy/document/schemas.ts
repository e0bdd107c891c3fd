import { z } from 'zod';
import { Timestamp } from '../../../http/types.js';
import { BLOCK_KEYS, LANGS } from './text.js';

export { OrgParams, page } from '../../orgs/orgs.schemas.js';

export const Lang = z.enum(LANGS);
export const BlockKey = z.enum(BLOCK_KEYS);

/** "2027-2029" or one year "2027"; at most ten years. */
export const YearsParam = z
  .string()
  .regex(/^\d{4}(-\d{4})?$/, 'like 2027-2029')
  .transform((s, c) => {
    const [from, to = from] = s.split('-').map(Number);
    if (to < from) {
      c.addIssue({ code: 'custom', message: 'the last year comes before the first' });
      return z.NEVER;
    }
    if (to - from > 9) {
      c.addIssue({ code: 'custom', message: 'a strategy covers at most ten years' });
      return z.NEVER;
    }
    if (from < 2000 || to > 2100) {
      c.addIssue({ code: 'custom', message: 'years between 2000 and 2100' });
      return z.NEVER;
    }
    return { from, to };
  });

export const DocumentQuery = z.strictObject({
  format: z.enum(['docx', 'pdf', 'html']).default('pdf'),
  lang: Lang.default('en'),
  years: YearsParam.optional(),
  budget: z.coerce.number().int().min(0).max(10_000_000_000).optional(),
});

export const BoardSummaryQuery = z.strictObject({
  format: z.enum(['pdf']).default('pdf'),
  lang: Lang.default('en'),
  years: YearsParam.optional(),
  budget: z.coerce.number().int().min(0).max(10_000_000_000).optional(),
});

export const TextBlocksQuery = z.strictObject({
  lang: Lang.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const TextBlock = z.object({
  key: BlockKey,
  lang: Lang,
  text: z.string(),
  defaultText: z.string(),
  custom: z.boolean(),
  updatedBy: z.uuid().nullable(),
  updatedAt: Timestamp.nullable(),
});

export const PutTextBlock = z.strictObject({
  key: BlockKey,
  lang: Lang,
  /** The organization's wording; null returns the block to the shipped default. */
  text: z.string().trim().min(1).max(20_000).nullable(),
});
