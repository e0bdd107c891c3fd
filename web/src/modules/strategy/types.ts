/** The strategy API's answers (see src/server/modules/strategy/strategy.schemas.ts). */
export type StepKey =
  | 'risk'
  | 'priorities'
  | 'baselines'
  | 'sharing'
  | 'incidents'
  | 'workforce'
  | 'cooperation';
export type Unit = 'percent' | 'count' | 'days' | 'hours' | 'score';

export interface Indicator {
  key: string;
  label: string;
  value: number | null;
  unit: Unit;
  numerator: number | null;
  denominator: number | null;
  computation: string;
  source: { module: string; records: string };
  noDataReason: string | null;
}

export interface Criterion {
  level: number;
  key: string;
  indicatorKey: string;
  comparison: '>=' | '<=';
  threshold: number;
  text: string;
  met: boolean;
}

export interface StepMaturity {
  step: number;
  key: StepKey;
  title: string;
  level: number;
  computedLevel: number;
  override: {
    level: number;
    justification: string;
    by: { id: string | null; name: string };
    at: string;
  } | null;
  criteria: Criterion[];
  indicators: Indicator[];
}

export interface MaturityReport {
  orgId: string;
  computedAt: string;
  overall: number;
  steps: StepMaturity[];
}

export interface Snapshot {
  id: string;
  takenAt: string;
  quarter: string;
  trigger: 'schedule' | 'manual';
  takenBy: string;
  steps: { step: number; key: StepKey; level: number; computedLevel: number; overridden: boolean }[];
  indicators: Record<string, number | null>;
}

export interface MeasuredKpi {
  id: string;
  name: string;
  unit: string;
  target: number;
  direction: 'increase' | 'decrease';
  indicatorKey: string | null;
  current: number | null;
  measured: boolean;
  progress: number | null;
  met: boolean | null;
}

export interface ObjectiveProgress {
  id: string;
  title: string;
  owner: string | null;
  dueDate: string | null;
  kpis: MeasuredKpi[];
  actions: { id: string; title: string; status: string; dueDate: string | null }[];
}

export interface Dashboard {
  orgId: string;
  computedAt: string;
  overall: number;
  steps: {
    step: number;
    key: StepKey;
    title: string;
    level: number;
    computedLevel: number;
    overridden: boolean;
  }[];
  topRisks: {
    id: string;
    title: string;
    status: string;
    score: number;
    levelName: string;
    colour: string;
    expectedAnnualLoss: number | null;
  }[];
  kev: { open: number; overdue: number; systems: number; medianDaysToRemediate: number | null };
  incidents: {
    id: string;
    title: string;
    status: string;
    severityName: string | null;
    detectedAt: string;
    nextClock: { ruleId: string; title: string; dueAt: string; overdue: boolean } | null;
  }[];
  training: { completion: number | null; completed: number | null; assigned: number | null };
  expiringAgreements: {
    id: string;
    title: string;
    partnerId: string;
    partnerName: string;
    endsAt: string;
    daysToExpiry: number;
    autoRenews: boolean;
  }[];
  objectives: ObjectiveProgress[];
}
