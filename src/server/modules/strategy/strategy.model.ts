import type { Criterion, Indicator, IndicatorUnit, StepKey } from './strategy.schemas.js';

/**
 * The maturity model: which indicators each step reads and what each level (2–5) requires. Level 1 needs
 * nothing; a step reaches level n when every criterion of levels 2…n is met. An indicator without data meets
 * no criterion, so a step never climbs on data the city has not recorded. docs/strategy.md says the same in prose.
 */

export interface CriterionDef {
  level: 2 | 3 | 4 | 5;
  indicatorKey: string;
  comparison: '>=' | '<=';
  threshold: number;
}

export interface StepDef {
  step: number;
  key: StepKey;
  title: string;
  criteria: CriterionDef[];
}

const c = (
  level: CriterionDef['level'],
  indicatorKey: string,
  comparison: CriterionDef['comparison'],
  threshold: number,
): CriterionDef => ({ level, indicatorKey, comparison, threshold });

export const STEPS: readonly StepDef[] = [
  {
    step: 1,
    key: 'risk',
    title: 'Know what the city runs and depends on',
    criteria: [
      c(2, 'criticalServices', '>=', 1),
      c(3, 'criticalServicesWithOwner', '>=', 80),
      c(3, 'criticalServicesWithRto', '>=', 50),
      c(4, 'criticalServicesWithRto', '>=', 80),
      c(4, 'criticalServicesWithDependencies', '>=', 80),
      c(4, 'systemsWithCpe', '>=', 50),
      c(5, 'criticalServicesWithOwner', '>=', 100),
      c(5, 'criticalServicesWithRto', '>=', 100),
      c(5, 'criticalServicesWithDependencies', '>=', 100),
      c(5, 'systemsWithCpe', '>=', 80),
    ],
  },
  {
    step: 2,
    key: 'priorities',
    title: 'Assess risk and set priorities',
    criteria: [
      c(2, 'risksRegistered', '>=', 1),
      c(3, 'criticalServicesWithRisk', '>=', 50),
      c(4, 'criticalServicesWithRisk', '>=', 80),
      c(4, 'criticalServicesWithQuantifiedRisk', '>=', 30),
      c(4, 'risksPastReview', '<=', 20),
      c(5, 'criticalServicesWithRisk', '>=', 100),
      c(5, 'criticalServicesWithQuantifiedRisk', '>=', 60),
      c(5, 'risksPastReview', '<=', 0),
      c(5, 'treatmentActionsOnTime', '>=', 80),
    ],
  },
  {
    step: 3,
    key: 'baselines',
    title: 'Adopt a baseline and measure against it',
    criteria: [
      c(2, 'baselineCoverage', '>=', 1),
      c(3, 'baselineCoverage', '>=', 80),
      c(3, 'baselineScore', '>=', 40),
      c(4, 'baselineCoverage', '>=', 95),
      c(4, 'baselineScore', '>=', 60),
      c(4, 'baselineLowestFunctionScore', '>=', 40),
      c(5, 'baselineScore', '>=', 80),
      c(5, 'baselineLowestFunctionScore', '>=', 60),
      c(5, 'evidenceExpired', '<=', 0),
    ],
  },
  {
    step: 4,
    key: 'sharing',
    title: 'Share threat and vulnerability information',
    criteria: [
      c(2, 'communityMemberships', '>=', 1),
      c(3, 'objectsShared90Days', '>=', 1),
      c(3, 'kevFindingsOverdue', '<=', 0),
      c(4, 'kevMedianDaysToRemediate', '<=', 30),
      c(4, 'objectsShared90Days', '>=', 5),
      c(5, 'kevFindingsOpen', '<=', 0),
      c(5, 'kevMedianDaysToRemediate', '<=', 14),
      c(5, 'communityMemberships', '>=', 2),
    ],
  },
  {
    step: 5,
    key: 'incidents',
    title: 'Prepare for and respond to incidents',
    criteria: [
      c(2, 'playbooksInPlace', '>=', 1),
      c(3, 'exercisesLast12Months', '>=', 1),
      c(4, 'incidentsWithOverdueClocks', '<=', 0),
      c(4, 'medianHoursToContain', '<=', 24),
      c(5, 'exercisesLast12Months', '>=', 2),
      c(5, 'medianHoursToContain', '<=', 8),
      c(5, 'ownPlaybooks', '>=', 1),
    ],
  },
  {
    step: 6,
    key: 'workforce',
    title: 'Build the workforce and awareness',
    criteria: [
      c(2, 'trainingCompletion', '>=', 1),
      c(3, 'trainingCompletion', '>=', 60),
      c(3, 'phishingClickRate', '<=', 100),
      c(4, 'trainingCompletion', '>=', 80),
      c(4, 'phishingClickRate', '<=', 15),
      c(4, 'phishingReportRate', '>=', 30),
      c(5, 'trainingCompletion', '>=', 95),
      c(5, 'phishingClickRate', '<=', 5),
      c(5, 'phishingReportRate', '>=', 60),
      c(5, 'workRoleCoverage', '>=', 90),
    ],
  },
  {
    step: 7,
    key: 'cooperation',
    title: 'Cooperate with partners',
    criteria: [
      c(2, 'partners', '>=', 1),
      c(3, 'activeAgreements', '>=', 1),
      c(3, 'rosterCoverage', '>=', 50),
      c(4, 'rosterCoverage', '>=', 80),
      c(4, 'mutualAidAgreements', '>=', 1),
      c(5, 'rosterCoverage', '>=', 100),
      c(5, 'activeAgreements', '>=', 3),
      c(5, 'communityMemberships', '>=', 1),
    ],
  },
];

/** Which step shows an indicator: the step of the first criterion reading it, else where it was measured. */
export const INDICATOR_STEP: Record<string, number> = {
  criticalServices: 1,
  criticalServicesWithOwner: 1,
  criticalServicesWithRto: 1,
  criticalServicesWithDependencies: 1,
  systemsWithCpe: 1,
  risksRegistered: 2,
  criticalServicesWithRisk: 2,
  criticalServicesWithQuantifiedRisk: 2,
  risksPastReview: 2,
  treatmentActionsOnTime: 2,
  baselineCoverage: 3,
  baselineScore: 3,
  baselineScoreGV: 3,
  baselineScoreID: 3,
  baselineScorePR: 3,
  baselineScoreDE: 3,
  baselineScoreRS: 3,
  baselineScoreRC: 3,
  baselineLowestFunctionScore: 3,
  evidenceExpired: 3,
  communityMemberships: 4,
  objectsShared90Days: 4,
  kevFindingsOpen: 4,
  kevFindingsOverdue: 4,
  kevMedianDaysToRemediate: 4,
  playbooksInPlace: 5,
  ownPlaybooks: 5,
  exercisesLast12Months: 5,
  incidentsFromPlaybook: 5,
  medianHoursToContain: 5,
  incidentsWithOverdueClocks: 5,
  trainingCompletion: 6,
  phishingClickRate: 6,
  phishingReportRate: 6,
  workRoleCoverage: 6,
  partners: 7,
  activeAgreements: 7,
  mutualAidAgreements: 7,
  agreementsExpiring90Days: 7,
  rosterCoverage: 7,
};

/** Every indicator key, for KPIs that name one. */
export const INDICATOR_KEYS = Object.keys(INDICATOR_STEP);

const UNIT_TEXT: Record<IndicatorUnit, string> = {
  percent: ' %',
  count: '',
  days: ' days',
  hours: ' hours',
  score: '',
};

export function criterionText(d: CriterionDef, label: string, unit: IndicatorUnit): string {
  if (d.comparison === '<=' && d.threshold === 0) return `${label}: none`;
  if (unit === 'percent' && d.comparison === '>=' && d.threshold === 100) return `${label}: all`;
  if (unit === 'percent' && d.comparison === '<=' && d.threshold === 100) return `${label}: measured`;
  const op = d.comparison === '>=' ? 'at least' : 'at most';
  return `${label}: ${op} ${d.threshold}${UNIT_TEXT[unit]}`;
}

/** A criterion is met only on data: a null value meets nothing. */
export function criterionMet(d: CriterionDef, value: number | null): boolean {
  if (value === null) return false;
  // Shares are rounded to one decimal for display; compare on that, so "66.7 %" and its test agree.
  return d.comparison === '>=' ? value >= d.threshold : value <= d.threshold;
}

export function evaluate(
  def: StepDef,
  indicators: Map<string, Indicator>,
): { computedLevel: number; criteria: Criterion[] } {
  const criteria: Criterion[] = def.criteria.map((d, i) => {
    const ind = indicators.get(d.indicatorKey);
    if (!ind) throw new Error(`step ${def.step} reads unknown indicator ${d.indicatorKey}`);
    return {
      level: d.level,
      key: `${def.key}.${d.level}.${i}`,
      indicatorKey: d.indicatorKey,
      comparison: d.comparison,
      threshold: d.threshold,
      text: criterionText(d, ind.label, ind.unit),
      met: criterionMet(d, ind.value),
    };
  });
  let computedLevel = 1;
  for (const level of [2, 3, 4, 5]) {
    const at = criteria.filter((x) => x.level === level);
    if (at.length && at.every((x) => x.met)) computedLevel = level;
    else break;
  }
  return { computedLevel, criteria };
}

/** Calendar quarter in UTC, like 2026-Q4. */
export function quarterOf(d: Date): string {
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}
