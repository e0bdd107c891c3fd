import type { BlockKey, Lang } from './text.js';

/** Where a table or figure comes from: the appendix "Sources and method" lists every one. */
export interface SourceNote {
  id: string;
  module: string;
  /** What was read: the service call and filter, in plain words. */
  filter: string;
  computedAt: Date;
}

export interface Years {
  from: number;
  to: number;
}

export interface ServiceLine {
  name: string;
  department: string | null;
  tier: number | null;
  populationServed: number | null;
  lifeSafety: boolean;
}

export interface TopRisk {
  title: string;
  status: string;
  levelName: string;
  levelColour: string;
  annualLoss: number | null;
  p90: number | null;
}

export interface HeatMap {
  likelihoods: string[];
  impacts: string[];
  /** counts[likelihoodIndex][impactIndex] */
  counts: number[][];
  /** Colour of each cell on the city's matrix. */
  colours: string[][];
}

export interface RoadmapQuarter {
  quarter: string;
  cost: number;
  actions: { title: string; cost: number; reduction: number }[];
}

export interface ActionLine {
  title: string;
  owner: string | null;
  dueDate: string | null;
  status: string;
  cost: number;
  reduction: number | null;
  chosen: boolean;
  /** The roadmap quarter the plan puts it in, when chosen. */
  quarter: string | null;
}

export interface KpiLine {
  objective: string;
  name: string;
  unit: string;
  current: number | null;
  target: number;
  direction: 'increase' | 'decrease';
  progress: number | null;
  /** manual, pending:<module>, or indicator:<label> when an indicator of the strategy module measures it */
  measuredBy: string;
  dueDate: string | null;
}

export interface ObjectiveLine {
  title: string;
  description: string;
  owner: string | null;
  dueDate: string | null;
}

export interface FunctionScore {
  id: string;
  score: number | null;
  applicable: number;
  implemented: number;
}

export interface GapLine {
  requirementId: string;
  title: string | null;
  department: string;
  function: string;
  severity: string;
}

export interface MaturityIndicator {
  name: string;
  value: string;
  source: string;
}

export interface MaturityStep {
  step: number;
  name: string;
  level: number;
  overridden: boolean;
  indicators: MaturityIndicator[];
}

/**
 * The maturity of the seven steps, as measured by the `strategy` module. Optional: a document can be built
 * without it, and then says so.
 */
export interface MaturityInput {
  computedAt: Date;
  /** Mean of the seven levels. */
  overall: number;
  steps: MaturityStep[];
  source: SourceNote;
}

export interface DocumentData {
  lang: Lang;
  years: Years;
  generatedAt: Date;
  generatedBy: string;
  org: { id: string; name: string; description: string };
  blocks: Record<BlockKey, string>;
  context: {
    departments: { name: string; services: number }[];
    services: ServiceLine[];
    totals: { services: number; systems: number; critical: number; maxPopulation: number | null };
    source: SourceNote;
  };
  risks: {
    total: number;
    quantified: number;
    top: TopRisk[];
    heatMap: HeatMap;
    portfolio: {
      meanAnnualLoss: number;
      p50: number;
      p90: number;
      p95: number;
      curve: { loss: number; probability: number }[];
      trials: number;
      seed: number;
    } | null;
    source: SourceNote;
    portfolioSource: SourceNote;
  };
  priorities: {
    plan: {
      budget: number;
      totalCost: number;
      totalReduction: number;
      roadmap: RoadmapQuarter[];
    };
    actions: ActionLine[];
    objectives: ObjectiveLine[];
    kpis: KpiLine[];
    source: SourceNote;
    objectivesSource: SourceNote;
  };
  baseline: {
    assessment: {
      title: string;
      status: string;
      updatedAt: Date;
      overall: number | null;
      applicable: number;
      implemented: number;
      byFunction: FunctionScore[];
      gapCounts: Record<string, number>;
      topGaps: GapLine[];
    } | null;
    source: SourceNote;
  };
  sharing: {
    communities: string[];
    feeds: { name: string; lastRunAt: Date | null; lastStatus: string | null }[];
    intelByTlp: { tlp: string; count: number }[];
    kev: { openFindings: number; openKev: number; kevSystems: number; kevOverdue: number };
    source: SourceNote;
    kevSource: SourceNote;
  };
  incidents: {
    playbooks: { title: string; own: boolean }[];
    exercises: { title: string; date: Date }[];
    byType: {
      type: string;
      count: number;
      detectH: number | null;
      containH: number | null;
      recoverH: number | null;
    }[];
    regimes: {
      regime: string;
      jurisdiction: string;
      title: string;
      /** A fixed legal deadline, or "without undue delay" with an internal target. */
      deadline: { fixed: boolean; value: number | null; unit: string | null };
    }[];
    source: SourceNote;
  };
  workforce: {
    people: number;
    trainingCompletion: number | null;
    overdue: number;
    clickRate: number | null;
    reportRate: number | null;
    byDepartment: {
      name: string;
      people: number;
      completion: number | null;
      clickRate: number | null;
      reportRate: number | null;
    }[];
    roles: { role: string; needed: number; assigned: number }[];
    roleCoverage: number | null;
    source: SourceNote;
  };
  partners: {
    partners: { name: string; category: string; services: string }[];
    agreements: { title: string; partner: string; kind: string; status: string; endsAt: Date | null }[];
    roster: { contacts: number; contacts247: number; services: number };
    source: SourceNote;
  };
  maturity: MaturityInput | null;
  sources: SourceNote[];
}
