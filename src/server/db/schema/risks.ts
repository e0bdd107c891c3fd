import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { FairScenario, RiskMatrix } from '../../../core/risk/index.js';
import { organizations, users } from './orgs.js';

export const RISK_STATUSES = ['open', 'treating', 'accepted', 'closed'] as const;
export const TREATMENTS = ['mitigate', 'transfer', 'avoid', 'accept'] as const;
export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];
export type Treatment = (typeof TREATMENTS)[number];
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** FAIR inputs stored with a risk: the scenario without its id (the risk id is used). */
export type FairInputs = Omit<FairScenario, 'id' | 'name'>;

export interface StoredSimulation {
  seed: number;
  trials: number;
  meanAnnualLoss: number;
  stdev: number;
  min: number;
  max: number;
  percentiles: { p10: number; p50: number; p90: number; p95: number; p99: number };
  lossExceedanceCurve: { loss: number; probability: number }[];
  probabilityOfEvent: number;
  meanEvents: number;
  ranAt: string;
}

export interface Kpi {
  id: string;
  name: string;
  unit: string;
  target: number;
  /** null while no value is known, always null for a KPI another module will feed ("pending"). */
  current: number | null;
  direction: 'increase' | 'decrease';
  /** 'manual': typed in; 'pending': declared now, fed later by the named module. */
  source: 'manual' | 'pending';
  sourceModule: string | null;
  /** The strategy indicator that measures the KPI; its current value is then read from live data. */
  indicatorKey?: string | null;
}

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const riskSettings = pgTable('risk_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  matrix: jsonb('matrix').$type<RiskMatrix>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const risks = pgTable(
  'risks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    threat: text('threat').notNull().default(''),
    scenario: text('scenario').notNull().default(''),
    attackTechniques: jsonb('attack_techniques').$type<string[]>().notNull().default([]),
    serviceIds: jsonb('service_ids').$type<string[]>().notNull().default([]),
    systemIds: jsonb('system_ids').$type<string[]>().notNull().default([]),
    owner: text('owner'),
    status: text('status').$type<RiskStatus>().notNull().default('open'),
    inherentLikelihood: integer('inherent_likelihood').notNull(),
    inherentImpact: integer('inherent_impact').notNull(),
    residualLikelihood: integer('residual_likelihood'),
    residualImpact: integer('residual_impact'),
    treatment: text('treatment').$type<Treatment>(),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    acceptedAt: ts('accepted_at'),
    acceptanceExpiresOn: date('acceptance_expires_on', { mode: 'string' }),
    acceptanceRationale: text('acceptance_rationale'),
    lastReviewedAt: ts('last_reviewed_at'),
    fair: jsonb('fair').$type<FairInputs>(),
    simulation: jsonb('simulation').$type<StoredSimulation>(),
    libraryKey: text('library_key'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('risks_org_idx').on(t.orgId, t.createdAt)],
);

export const riskEvents = pgTable(
  'risk_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    riskId: uuid('risk_id')
      .notNull()
      .references(() => risks.id, { onDelete: 'cascade' }),
    at: ts('at').notNull().defaultNow(),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    note: text('note').notNull().default(''),
  },
  (t) => [index('risk_events_risk_idx').on(t.orgId, t.riskId, t.at)],
);

export const treatmentActions = pgTable(
  'treatment_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    cost: integer('cost').notNull(),
    effortDays: doublePrecision('effort_days'),
    owner: text('owner'),
    dueDate: date('due_date', { mode: 'string' }),
    status: text('status').$type<ActionStatus>().notNull().default('planned'),
    riskIds: jsonb('risk_ids').$type<string[]>().notNull().default([]),
    requires: jsonb('requires').$type<string[]>().notNull().default([]),
    /** The objectives this action serves (ids of `objectives`), so the roadmap shows what each is for. */
    objectiveIds: jsonb('objective_ids').$type<string[]>().notNull().default([]),
    /** Share of loss events prevented and of each event's loss removed, as ranges in [0, 1]. */
    frequencyReduction: jsonb('frequency_reduction').$type<{ low: number; high: number }>(),
    magnitudeReduction: jsonb('magnitude_reduction').$type<{ low: number; high: number }>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('treatment_actions_org_idx').on(t.orgId)],
);

export const objectives = pgTable(
  'objectives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    owner: text('owner'),
    dueDate: date('due_date', { mode: 'string' }),
    kpis: jsonb('kpis').$type<Kpi[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('objectives_org_idx').on(t.orgId)],
);
