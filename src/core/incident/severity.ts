import { z } from 'zod';

/**
 * Incident severity in the spirit of CISA's National Cyber Incident Scoring System (NCISS): a weighted arithmetic
 * mean of categorical impact factors, scaled to 0–100, then mapped to the levels of the US Cyber Incident Severity
 * Schema. NCISS scores from a national viewpoint; a city needs the same discipline at city scale, so the factor
 * scales follow the CISA Federal Incident Notification Guidelines while the weights and the population scale are
 * ours and tuned for municipal services (water, 911, traffic, payments).
 *
 * Weights (sum 100) and why:
 *   functional impact        25  what stops working is what residents feel first
 *   location of activity     20  the deeper into control/safety networks, the closer to physical harm (OT)
 *   information impact       15  confidentiality/integrity loss, up to destruction of critical systems
 *   recoverability           15  an incident we cannot recover from alone needs outside help and escalation
 *   population affected      15  log scale: 1 person ≈ 0, 1,000 ≈ 0.5, 1,000,000+ = 1
 *   cross-sector dependency  10  cascade into other sectors (e.g. water outage closing hospitals)
 *
 * Each factor value is normalized to 0–1 (position on its ordered scale); points = weight × normalized value.
 *
 * One floor, because a mean can hide a single catastrophic factor: activity in safety systems (location level 7)
 * combined with a significant impact on, or denial of, critical services is at least Severe, whatever the mean.
 */

export const FUNCTIONAL_IMPACT = [
  'no-impact',
  'no-impact-to-services',
  'minimal-impact-to-non-critical-services',
  'minimal-impact-to-critical-services',
  'significant-impact-to-non-critical-services',
  'denial-of-non-critical-services',
  'significant-impact-to-critical-services',
  'denial-of-critical-services',
] as const;

export const INFORMATION_IMPACT = [
  'no-impact',
  'suspected-but-not-identified',
  'privacy-data-breach',
  'proprietary-information-breach',
  'destruction-of-non-critical-system',
  'critical-systems-data-breach',
  'core-credential-compromise',
  'destruction-of-critical-system',
] as const;

export const RECOVERABILITY = ['regular', 'supplemented', 'extended', 'not-recoverable'] as const;

/** NCISS location of observed activity; 'unknown' is scored at the midpoint (see `locationValue`). */
export const LOCATION_LEVELS = {
  1: 'Business demilitarized zone',
  2: 'Business network',
  3: 'Business network management (administrative accounts, domain controllers)',
  4: 'Critical system DMZ',
  5: 'Critical system management',
  6: 'Critical systems (e.g. SCADA, PLCs)',
  7: 'Safety systems',
} as const;

export const CROSS_SECTOR_DEPENDENCY = ['none', 'low', 'medium', 'high'] as const;

export const WEIGHTS = {
  functionalImpact: 25,
  locationOfActivity: 20,
  informationImpact: 15,
  recoverability: 15,
  populationAffected: 15,
  crossSectorDependency: 10,
} as const;

export const SEVERITY_LEVELS = [
  {
    level: 0,
    name: 'Baseline',
    color: 'white',
    minScore: 0,
    meaning: 'Unsubstantiated or inconsequential event',
  },
  {
    level: 1,
    name: 'Low',
    color: 'green',
    minScore: 10,
    meaning: 'Unlikely to affect public health or safety or public confidence',
  },
  {
    level: 2,
    name: 'Medium',
    color: 'yellow',
    minScore: 30,
    meaning: 'May affect public health or safety or public confidence',
  },
  {
    level: 3,
    name: 'High',
    color: 'orange',
    minScore: 50,
    meaning: 'Likely to have a demonstrable impact on public health or safety or public confidence',
  },
  {
    level: 4,
    name: 'Severe',
    color: 'red',
    minScore: 65,
    meaning: 'Likely to have a significant impact on public health or safety',
  },
  {
    level: 5,
    name: 'Emergency',
    color: 'black',
    minScore: 80,
    meaning: 'Imminent threat to critical services or to lives',
  },
] as const;

export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];
export type SeverityName = SeverityLevel['name'];

export const SeverityInputSchema = z.strictObject({
  functionalImpact: z.enum(FUNCTIONAL_IMPACT),
  informationImpact: z.enum(INFORMATION_IMPACT),
  recoverability: z.enum(RECOVERABILITY),
  locationLevel: z.union([
    z.literal(1),
    z.literal(2),
    z.literal(3),
    z.literal(4),
    z.literal(5),
    z.literal(6),
    z.literal(7),
    z.literal('unknown'),
  ]),
  crossSectorDependency: z.enum(CROSS_SECTOR_DEPENDENCY),
  populationAffected: z
    .number({ error: 'must be a number' })
    .int('must be a whole number of people')
    .nonnegative('must not be negative'),
});

export type SeverityInput = z.infer<typeof SeverityInputSchema>;

export interface SeverityContribution {
  factor: keyof typeof WEIGHTS;
  input: string | number;
  weight: number;
  /** Position on the factor's scale, 0–1. */
  normalized: number;
  /** weight × normalized, rounded to one decimal. */
  points: number;
  note: string;
}

export interface SeverityResult {
  score: number;
  level: SeverityLevel;
  explanation: SeverityContribution[];
  /** Rules that raised the level above what the score alone gives. */
  overrides: string[];
}

export class SeverityInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid severity input: ${issues.join('; ')}`);
    this.name = 'SeverityInputError';
  }
}

const position = (scale: readonly string[], v: string) => scale.indexOf(v) / (scale.length - 1);
const round1 = (n: number) => Math.round(n * 10) / 10;

function populationValue(p: number): number {
  return Math.min(1, Math.log10(p + 1) / 6);
}

function locationValue(l: SeverityInput['locationLevel']): number {
  return l === 'unknown' ? 0.5 : (l - 1) / 6;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : '(input)';
    if (i.code === 'invalid_value' && 'values' in i) {
      return `${path}: must be one of ${(i.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    if (i.code === 'invalid_union' && path === 'locationLevel') return `${path}: must be 1–7 or "unknown"`;
    return `${path}: ${i.message}`;
  });
}

export function levelForScore(score: number): SeverityLevel {
  let found: SeverityLevel = SEVERITY_LEVELS[0];
  for (const l of SEVERITY_LEVELS) if (score >= l.minScore) found = l;
  return found;
}

export function scoreSeverity(input: unknown): SeverityResult {
  const parsed = SeverityInputSchema.safeParse(input);
  if (!parsed.success) throw new SeverityInputError(describeIssues(parsed.error));
  const i = parsed.data;

  const parts: Array<Omit<SeverityContribution, 'points' | 'weight'>> = [
    {
      factor: 'functionalImpact',
      input: i.functionalImpact,
      normalized: position(FUNCTIONAL_IMPACT, i.functionalImpact),
      note: 'Effect on the services the city delivers',
    },
    {
      factor: 'locationOfActivity',
      input: i.locationLevel,
      normalized: locationValue(i.locationLevel),
      note:
        i.locationLevel === 'unknown'
          ? 'Location unknown: scored at the midpoint until the investigation places it'
          : `Level ${i.locationLevel}: ${LOCATION_LEVELS[i.locationLevel]}`,
    },
    {
      factor: 'informationImpact',
      input: i.informationImpact,
      normalized: position(INFORMATION_IMPACT, i.informationImpact),
      note: 'Confidentiality and integrity of information and systems',
    },
    {
      factor: 'recoverability',
      input: i.recoverability,
      normalized: position(RECOVERABILITY, i.recoverability),
      note: 'Resources needed to recover',
    },
    {
      factor: 'populationAffected',
      input: i.populationAffected,
      normalized: populationValue(i.populationAffected),
      note: 'log10(people + 1) / 6, capped at 1 (one million people or more)',
    },
    {
      factor: 'crossSectorDependency',
      input: i.crossSectorDependency,
      normalized: position(CROSS_SECTOR_DEPENDENCY, i.crossSectorDependency),
      note: 'Cascade into other sectors that depend on the affected services',
    },
  ];
  const explanation: SeverityContribution[] = parts
    .map((p) => {
      const weight = WEIGHTS[p.factor];
      return {
        ...p,
        weight,
        normalized: Math.round(p.normalized * 1000) / 1000,
        points: round1(weight * p.normalized),
      };
    })
    .sort((a, b) => b.points - a.points);

  const score = round1(parts.reduce((sum, p) => sum + WEIGHTS[p.factor] * p.normalized, 0));
  let level = levelForScore(score);
  const overrides: string[] = [];
  const criticalServicesHit =
    i.functionalImpact === 'significant-impact-to-critical-services' ||
    i.functionalImpact === 'denial-of-critical-services';
  if (i.locationLevel === 7 && criticalServicesHit && level.level < 4) {
    level = SEVERITY_LEVELS[4];
    overrides.push(
      'Activity in safety systems with a significant impact on critical services: at least Severe',
    );
  }
  return { score, level, explanation, overrides };
}

/**
 * Severity inputs the city model can give: who stops, from the cascade of the affected services and systems.
 *
 *  - population affected: the population of the largest stopped service. Residents use several services, so the
 *    sum over services counts many of them twice; the largest one is a lower bound on distinct residents.
 *  - cross-sector dependency: distinct sectors among the stopped services (a service without a sector counts as
 *    its own): one sector → none, two → low, three → medium, four or more → high.
 *
 * These are suggestions for the person scoring: they are shown beside the severity form, never applied silently.
 */
export function severityHintsFromCascade(stopped: readonly { sector: string | null; population: number }[]): {
  populationAffected: number;
  crossSectorDependency: (typeof CROSS_SECTOR_DEPENDENCY)[number];
  sectors: string[];
} {
  const sectors = new Set<string>();
  let unnamed = 0;
  let largest = 0;
  for (const s of stopped) {
    if (s.sector?.trim()) sectors.add(s.sector.trim());
    else unnamed++;
    largest = Math.max(largest, s.population);
  }
  const n = sectors.size + unnamed;
  const crossSectorDependency = n <= 1 ? 'none' : n === 2 ? 'low' : n === 3 ? 'medium' : 'high';
  return { populationAffected: largest, crossSectorDependency, sectors: [...sectors].sort() };
}
