import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from './orgs.js';

/**
 * An organization's own wording of a prose block of the strategy document (introduction, vision, governance…),
 * per language. Without a row the document uses the wording shipped with Citywall.
 */
export const strategyTextBlocks = pgTable(
  'strategy_text_blocks',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    blockKey: text('block_key').notNull(),
    lang: text('lang').notNull(),
    text: text('text').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.blockKey, t.lang] }),
    index('strategy_text_blocks_org_idx').on(t.orgId, t.lang),
  ],
);

export type TextBlockRow = typeof strategyTextBlocks.$inferSelect;
