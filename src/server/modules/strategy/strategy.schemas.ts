import { z } from 'zod';
import { Timestamp } from '../../http/types.js';

export { OrgParams } from '../orgs/orgs.schemas.js';

/** The seven steps of a city's cybersecurity strategy, in order. */
export const STEP_KEYS = [
  'risk',
  'priorities',
  'baselines',
  'sharing',
  'incidents',
  'workforce',
  'cooperation',
] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export const INDICATOR_UNITS = ['percent', 'count', 'days', 'hours', 'score'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];

export const Indicator = z.object({
  /** Stable identifier, unique over all steps (KPIs reference it). */
  key: z.string(),
  /** English label; the web UI shows its own translation of the key. */
  label: z.string(),
  /** null when the data needed does not exist yet ("no data"); never a guess. */
  value: z.number().nullable(),
  unit: z.enum(INDICATOR_UNITS),
  /** For shares: how many records meet the condition, and of how many. null for other units. */
  numerator: z.number().int().nullable(),
  denominator: z.number().int().nullable(),
  /** How it was computed, in one plain sentence. */
  computation: z.string(),
  source: z.object({ module: z.string(), records: z.string() }),
  /** Why the value is null, when it is. */
  noDataReason: z.string().nullable(),
});
export type Indicator = z.infer<typeof Indicator>;

export const Criterion = z.object({
  /** The level this criterion is needed for (2–5; level 1 needs nothing). */
  level: z.number().int().min(2).max(5),
  key: z.string(),
  /** The indicator it reads. */
  indicatorKey: z.string(),
  /** Comparison and threshold, e.g. ">= 80". */
  comparison: z.enum(['>=', '<=']),
  threshold: z.number(),
  text: z.string(),
  met: z.boolean(),
});
export type Criterion = z.infer<typeof Criterion>;

export const Override = z.object({
  level: z.number().int().min(1).max(5),
  justification: z.string(),
  by: z.object({ id: z.uuid().nullable(), name: z.string() }),
  at: Timestamp,
});
export type Override = z.infer<typeof Override>;

export const StepMaturity = z.object({
  step: z.number().int().min(1).max(7),
  key: z.enum(STEP_KEYS),
  title: z.string(),
  /** The level that counts: the override when there is one, else the computed level. */
  level: z.number().int().min(1).max(5),
  computedLevel: z.number().int().min(1).max(5),
  override: Override.nullable(),
  criteria: z.array(Criterion),
  indicators: z.array(Indicator),
});
export type StepMaturity = z.infer<typeof StepMaturity>;

export const MaturityReport = z.object({
  orgId: z.uuid(),
  computedAt: Timestamp,
  /** Mean of the seven levels, one decimal. */
  overall: z.number(),
  steps: z.array(StepMaturity),
});
export type MaturityReport = z.infer<typeof MaturityReport>;

export const SetOverride = z.strictObject({
  level: z.number().int().min(1).max(5),
  justification: z.string().trim().min(10, 'say why, in at least 10 characters').max(5000),
});

export const StepParams = z.strictObject({
  orgId: z.uuid(),
  step: z.coerce.number().int().min(1).max(7),
});

export const Snapshot = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  takenAt: Timestamp,
  quarter: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  takenBy: z.string(),
  steps: z.array(
    z.object({
      step: z.number().int(),
      key: z.string(),
      level: z.number().int(),
      computedLevel: z.number().int(),
      overridden: z.boolean(),
    }),
  ),
  indicators: z.record(z.string(), z.number().nullable()),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const HistoryQuery = z.strictObject({
  q: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(40),
  offset: z.coerce.number().int().min(0).default(0),
});

export const MeasuredKpi = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  target: z.number(),
  direction: z.enum(['increase', 'decrease']),
  /** The indicator measuring it; null for a KPI whose value is declared. */
  indicatorKey: z.string().nullable(),
  /** Measured from the indicator when there is one, else the declared value. */
  current: z.number().nullable(),
  measured: z.boolean(),
  /** 0–1 toward the target; null when the value is unknown. */
  progress: z.number().nullable(),
  met: z.boolean().nullable(),
});
export type MeasuredKpi = z.infer<typeof MeasuredKpi>;

export const ObjectiveProgress = z.object({
  id: z.uuid(),
  title: z.string(),
  owner: z.string().nullable(),
  dueDate: z.string().nullable(),
  kpis: z.array(MeasuredKpi),
  /** Treatment actions serving the objective. */
  actions: z.array(
    z.object({ id: z.uuid(), title: z.string(), status: z.string(), dueDate: z.string().nullable() }),
  ),
});
export type ObjectiveProgress = z.infer<typeof ObjectiveProgress>;

export const Dashboard = z.object({
  orgId: z.uuid(),
  computedAt: Timestamp,
  overall: z.number(),
  steps: z.array(
    z.object({
      step: z.number().int(),
      key: z.enum(STEP_KEYS),
      title: z.string(),
      level: z.number().int(),
      computedLevel: z.number().int(),
      overridden: z.boolean(),
    }),
  ),
  topRisks: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      status: z.string(),
      score: z.number(),
      levelName: z.string(),
      colour: z.string(),
      expectedAnnualLoss: z.number().nullable(),
    }),
  ),
  kev: z.object({
    open: z.number().int(),
    overdue: z.number().int(),
    systems: z.number().int(),
    medianDaysToRemediate: z.number().nullable(),
  }),
  incidents: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      status: z.string(),
      severityName: z.string().nullable(),
      detectedAt: Timestamp,
      /** The earliest clock not yet met (running or overdue). */
      nextClock: z
        .object({
          ruleId: z.string(),
          title: z.string(),
          dueAt: Timestamp,
          overdue: z.boolean(),
        })
        .nullable(),
    }),
  ),
  training: z.object({
    completion: z.number().nullable(),
    completed: z.number().int().nullable(),
    assigned: z.number().int().nullable(),
  }),
  expiringAgreements: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      partnerId: z.uuid(),
      partnerName: z.string(),
      endsAt: Timestamp,
      daysToExpiry: z.number().int(),
      autoRenews: z.boolean(),
    }),
  ),
  objectives: z.array(ObjectiveProgress),
});
export type Dashboard = z.infer<typeof Dashboard>;
