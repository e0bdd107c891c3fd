import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Ctx } from '../../../context.js';
import type { DbOrTx } from '../../../db/client.js';
import { strategyTextBlocks, type TextBlockRow } from '../../../db/schema/strategydoc.js';
import { auditService } from '../../audit/audit.service.js';
import { orgsService } from '../../orgs/orgs.service.js';
import type { PutTextBlock } from './schemas.js';
import { BLOCK_KEYS, type BlockKey, DEFAULT_BLOCKS, LANGS, type Lang } from './text.js';

export const textBlocksRepository = {
  async all(db: DbOrTx, orgId: string, lang?: Lang): Promise<TextBlockRow[]> {
    return db
      .select()
      .from(strategyTextBlocks)
      .where(and(eq(strategyTextBlocks.orgId, orgId), lang ? eq(strategyTextBlocks.lang, lang) : undefined));
  },
  async get(db: DbOrTx, orgId: string, key: string, lang: string) {
    const [row] = await db
      .select()
      .from(strategyTextBlocks)
      .where(
        and(
          eq(strategyTextBlocks.orgId, orgId),
          eq(strategyTextBlocks.blockKey, key),
          eq(strategyTextBlocks.lang, lang),
        ),
      );
    return row;
  },
  async upsert(
    db: DbOrTx,
    row: { orgId: string; blockKey: string; lang: string; text: string; updatedBy: string | null },
  ) {
    const now = new Date();
    const [out] = await db
      .insert(strategyTextBlocks)
      .values({ ...row, updatedAt: now })
      .onConflictDoUpdate({
        target: [strategyTextBlocks.orgId, strategyTextBlocks.blockKey, strategyTextBlocks.lang],
        set: { text: row.text, updatedBy: row.updatedBy, updatedAt: now },
      })
      .returning();
    return out;
  },
  async delete(db: DbOrTx, orgId: string, key: string, lang: string) {
    await db
      .delete(strategyTextBlocks)
      .where(
        and(
          eq(strategyTextBlocks.orgId, orgId),
          eq(strategyTextBlocks.blockKey, key),
          eq(strategyTextBlocks.lang, lang),
        ),
      );
  },
};

function view(key: BlockKey, lang: Lang, row: TextBlockRow | undefined) {
  return {
    key,
    lang,
    text: row?.text ?? DEFAULT_BLOCKS[lang][key],
    defaultText: DEFAULT_BLOCKS[lang][key],
    custom: row !== undefined,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** The editable prose blocks of the strategy document: the organization's wording, else the shipped default. */
export const textBlocksService = {
  async list(ctx: Ctx, orgId: string, f: { lang?: Lang; q?: string; limit: number; offset: number }) {
    await orgsService.access(ctx, orgId, 'data.read');
    const rows = await textBlocksRepository.all(ctx.db, orgId, f.lang);
    const byKey = new Map(rows.map((r) => [`${r.blockKey}/${r.lang}`, r]));
    const q = f.q?.toLowerCase();
    const items = (f.lang ? [f.lang] : [...LANGS])
      .flatMap((lang) => BLOCK_KEYS.map((key) => view(key, lang, byKey.get(`${key}/${lang}`))))
      .filter((b) => !q || b.key.toLowerCase().includes(q) || b.text.toLowerCase().includes(q));
    return {
      items: items.slice(f.offset, f.offset + f.limit),
      total: items.length,
      limit: f.limit,
      offset: f.offset,
    };
  },

  /** The wording the document uses for one language, by key (only the organization's own; defaults fill the rest). */
  async own(ctx: Ctx, orgId: string, lang: Lang): Promise<Partial<Record<BlockKey, string>>> {
    await orgsService.access(ctx, orgId, 'data.read');
    const rows = await textBlocksRepository.all(ctx.db, orgId, lang);
    return Object.fromEntries(rows.map((r) => [r.blockKey, r.text]));
  },

  async put(ctx: Ctx, orgId: string, input: z.infer<typeof PutTextBlock>) {
    await orgsService.access(ctx, orgId, 'data.write');
    return ctx.db.transaction(async (tx) => {
      const before = await textBlocksRepository.get(tx, orgId, input.key, input.lang);
      let after: TextBlockRow | undefined;
      if (input.text === null) {
        if (before) await textBlocksRepository.delete(tx, orgId, input.key, input.lang);
      } else {
        after = await textBlocksRepository.upsert(tx, {
          orgId,
          blockKey: input.key,
          lang: input.lang,
          text: input.text,
          updatedBy: ctx.actor.via === 'system' ? null : ctx.actor.userId,
        });
      }
      await auditService.record(tx, ctx, {
        orgId,
        action: input.text === null ? 'strategy.text_block.reset' : 'strategy.text_block.update',
        targetType: 'strategy_text_block',
        targetId: `${input.key}/${input.lang}`,
        before: before ?? null,
        after: after ?? null,
      });
      return view(input.key, input.lang, after);
    });
  },
};
