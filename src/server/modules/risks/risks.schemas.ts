import { z } from 'zod';
import { ACTION_STATUSES, RISK_STATUSES, TREATMENTS } from '../../db/schema/risks.js';
import { Timestamp } from '../../http/types.js';
import { AttackTechniqueId } from '../intel/intel.techniques.js';
import { INDICATOR_KEYS } from '../strategy/strategy.model.js';

const optText = (max: number) => z.string().trim().max(max).nullable().optional();
const isoDate = z.iso.date();

const num = z.number().finite();
export const DistributionSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), value: num }),
  z.strictObject({ kind: z.literal('uniform'), low: num, high: num }),
  z.strictObject({ kind: z.literal('triangular'), low: num, mode: num, high: num }),
  z.strictObject({ kind: z.literal('pert'), low: num, mode: num, high: num, lambda: num.optional() }),
  z.strictObject({ kind: z.literal('lognormal'), low: num, high: num }),
  z.strictObject({ kind: z.literal('poisson'), lambda: num }),
]);

export const FairInputs = z.strictObject({
  lossEventFrequency: DistributionSpec.optional(),
  threatEventFrequency: DistributionSpec.optional(),
  vulnerability: z.union([DistributionSpec, num]).optional(),
  primaryLoss: DistributionSpec,
  secondaryLoss: z
    .strictObject({ probability: z.union([DistributionSpec, num]), magnitude: DistributionSpec })
    .optional(),
});

const rating = z.number().int().min(1).max(10);

const RiskFields = {
  title: z.string().trim().min(1).max(300),
  threat: z.string().trim().max(2000).optional(),
  scenario: z.string().trim().max(10_000).optional(),
  attackTechniques: z.array(AttackTechniqueId).max(50).optional(),
  serviceIds: z.array(z.uuid()).max(200).optional(),
  systemIds: z.array(z.uuid()).max(1000).optional(),
  owner: optText(200),
  inherentLikelihood: rating,
  inherentImpact: rating,
  residualLikelihood: rating.nullable().optional(),
  residualImpact: rating.nullable().optional(),
  treatment: z.enum(TREATMENTS).nullable().optional(),
  status: z.enum(['open', 'treating', 'closed']).optional(),
  fair: FairInputs.nullable().optional(),
  reviewed: z.boolean().optional(),
  note: z.string().max(2000).optional(),
};

export const CreateRisk = z.strictObject(RiskFields);
export const UpdateRisk = z.strictObject({
  ...RiskFields,
  title: RiskFields.title.optional(),
  inherentLikelihood: rating.optional(),
  inherentImpact: rating.optional(),
});

export const AcceptRisk = z.strictObject({
  expiresOn: isoDate,
  rationale: z.string().trim().min(1).max(5000),
});

export const SimulateRisk = z.strictObject({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  trials: z.number().int().min(1000).max(200_000).optional(),
});

const Level = z.object({ id: z.string(), name: z.string(), colour: z.string(), score: z.number() });

const Simulation = z.object({
  seed: z.number(),
  trials: z.number(),
  meanAnnualLoss: z.number(),
  stdev: z.number(),
  min: z.number(),
  max: z.number(),
  percentiles: z.object({
    p10: z.number(),
    p50: z.number(),
    p90: z.number(),
    p95: z.number(),
    p99: z.number(),
  }),
  lossExceedanceCurve: z.array(z.object({ loss: z.number(), probability: z.number() })),
  probabilityOfEvent: z.number(),
  meanEvents: z.number(),
  ranAt: z.string(),
});

export const Risk = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  threat: z.string(),
  scenario: z.string(),
  attackTechniques: z.array(z.string()),
  serviceIds: z.array(z.string()),
  systemIds: z.array(z.string()),
  owner: z.string().nullable(),
  status: z.enum(RISK_STATUSES),
  inherentLikelihood: z.number().int(),
  inherentImpact: z.number().int(),
  residualLikelihood: z.number().int().nullable(),
  residualImpact: z.number().int().nullable(),
  inherent: Level,
  residual: Level.nullable(),
  residualExceedsInherent: z.boolean(),
  treatment: z.enum(TREATMENTS).nullable(),
  acceptedBy: z.uuid().nullable(),
  acceptedAt: Timestamp.nullable(),
  acceptanceExpiresOn: z.string().nullable(),
  acceptanceRationale: z.string().nullable(),
  lastReviewedAt: Timestamp.nullable(),
  nextReviewOn: z.string(),
  fair: FairInputs.nullable(),
  expectedAnnualLoss: z.number().nullable(),
  simulation: Simulation.nullable(),
  libraryKey: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const RiskListQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: z.enum(RISK_STATUSES).optional(),
  level: z.string().max(50).optional(),
  /** Only risks that name this ATT&CK technique. */
  technique: AttackTechniqueId.optional(),
  sort: z
    .enum(['title', '-title', 'inherent', '-inherent', 'ale', '-ale', 'updatedAt', '-updatedAt'])
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const RiskEvent = z.object({
  id: z.uuid(),
  at: Timestamp,
  actorLabel: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string(),
});

const ScaleStep = z.strictObject({
  value: z.number().int(),
  label: z.string(),
  description: z.string().optional(),
});
export const Matrix = z.strictObject({
  likelihoods: z.array(ScaleStep),
  impacts: z.array(ScaleStep),
  levels: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      colour: z.string(),
      minScore: z.number(),
      maxScore: z.number(),
      reviewDays: z.number(),
    }),
  ),
  cells: z.array(z.array(z.string())).optional(),
});

export const PortfolioQuery = z.strictObject({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  trials: z.coerce.number().int().min(1000).max(200_000).default(10_000),
});

export const LibraryItem = z.object({
  key: z.string(),
  title: z.string(),
  threat: z.string(),
  scenario: z.string(),
  attackTechniques: z.array(z.string()),
  appliesTo: z.array(z.string()),
  inherentLikelihood: z.number(),
  inherentImpact: z.number(),
  fair: FairInputs,
});

const Range = z
  .strictObject({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) })
  .refine((r) => r.low <= r.high, { message: 'low must not exceed high' });

const ActionFields = {
  title: z.string().trim().min(1).max(300),
  description: z.string().max(5000).optional(),
  cost: z.number().int().min(0).max(1_000_000_000),
  effortDays: z.number().min(0).max(100_000).nullable().optional(),
  owner: optText(200),
  dueDate: isoDate.nullable().optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  riskIds: z.array(z.uuid()).max(200).optional(),
  requires: z.array(z.uuid()).max(100).optional(),
  /** Objectives the action serves. */
  objectiveIds: z.array(z.uuid()).max(50).optional(),
  frequencyReduction: Range.nullable().optional(),
  magnitudeReduction: Range.nullable().optional(),
};
export const CreateAction = z.strictObject(ActionFields);
export const UpdateAction = z.strictObject({
  ...ActionFields,
  title: ActionFields.title.optional(),
  cost: ActionFields.cost.optional(),
});

export const Action = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  description: z.string(),
  cost: z.number(),
  effortDays: z.number().nullable(),
  owner: z.string().nullable(),
  dueDate: z.string().nullable(),
  status: z.enum(ACTION_STATUSES),
  riskIds: z.array(z.string()),
  requires: z.array(z.string()),
  objectiveIds: z.array(z.string()),
  frequencyReduction: z.object({ low: z.number(), high: z.number() }).nullable(),
  magnitudeReduction: z.object({ low: z.number(), high: z.number() }).nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const PlanQuery = z.strictObject({
  budget: z.coerce.number().int().min(0).max(10_000_000_000).default(0),
  startQuarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/, 'like 2026-Q1')
    .optional(),
  quarterlyCapacity: z.coerce.number().int().min(1).optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
});

const Kpi = z.strictObject({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(200),
  unit: z.string().trim().min(1).max(50),
  target: z.number().finite(),
  current: z.number().finite().nullable().optional(),
  direction: z.enum(['increase', 'decrease']).default('increase'),
  source: z.enum(['manual', 'pending']).default('manual'),
  sourceModule: z.string().trim().max(50).nullable().optional(),
  /** A strategy indicator measuring the KPI: its value is then read from live data, never typed in. */
  indicatorKey: z
    .enum(INDICATOR_KEYS as [string, ...string[]])
    .nullable()
    .optional(),
});

const ObjectiveFields = {
  title: z.string().trim().min(1).max(300),
  description: z.string().max(5000).optional(),
  owner: optText(200),
  dueDate: isoDate.nullable().optional(),
  kpis: z.array(Kpi).max(50).optional(),
};
export const CreateObjective = z.strictObject(ObjectiveFields);
export const UpdateObjective = z.strictObject({
  ...ObjectiveFields,
  title: ObjectiveFields.title.optional(),
});

export const Objective = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  description: z.string(),
  owner: z.string().nullable(),
  dueDate: z.string().nullable(),
  kpis: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      unit: z.string(),
      target: z.number(),
      current: z.number().nullable(),
      direction: z.enum(['increase', 'decrease']),
      source: z.enum(['manual', 'pending']),
      sourceModule: z.string().nullable(),
      indicatorKey: z.string().nullable().optional(),
      progress: z.number().nullable(),
    }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
