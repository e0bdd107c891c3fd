import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organizations } from './orgs.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A person's decision that a step of the strategy stands at another level than the one computed from the data,
 * with the reason. One per organization and step; each change is kept in the audit log.
 */
export const strategyOverrides = pgTable(
  'strategy_overrides',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    level: integer('level').notNull(),
    justification: text('justification').notNull(),
    // No foreign key to users: the name is kept so the override reads the same after the account is gone.
    byUserId: uuid('by_user_id'),
    byName: text('by_name').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.step] }),
    check('strategy_overrides_step_check', sql`${t.step} between 1 and 7`),
    check('strategy_overrides_level_check', sql`${t.level} between 1 and 5`),
  ],
);

export interface SnapshotStep {
  step: number;
  key: string;
  level: number;
  computedLevel: number;
  overridden: boolean;
}

/** Levels and indicator values at one moment, so progress shows quarter by quarter. */
export const strategySnapshots = pgTable(
  'strategy_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    takenAt: ts('taken_at').notNull().defaultNow(),
    /** Calendar quarter of `takenAt` in UTC, like 2026-Q4. */
    quarter: text('quarter').notNull(),
    trigger: text('trigger').$type<'schedule' | 'manual'>().notNull(),
    takenBy: text('taken_by').notNull(),
    steps: jsonb('steps').$type<SnapshotStep[]>().notNull(),
    indicators: jsonb('indicators').$type<Record<string, number | null>>().notNull(),
  },
  (t) => [index('strategy_snapshots_org_idx').on(t.orgId, t.takenAt)],
);
