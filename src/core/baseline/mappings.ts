import { CSF2_SUBCATEGORY_IDS } from './csf2.js';
import {
  type BaselineRequirement,
  CITY_BASELINE_REQUIREMENTS,
  type OlirRelationship,
} from './requirements.js';
import type { RequirementStatus } from './scoring.js';

export const CITY_BASELINE_CATALOG_NAME = 'Citywall City Baseline';
export const CSF2_CATALOG_NAME = 'NIST CSF 2.0';

/**
 * One OLIR-style relationship, read "source <relationship> target": `subset-of` means the source requirement
 * covers only part of the target element, `superset-of` that it covers all of it and more.
 */
export interface Mapping {
  sourceCatalog: string;
  sourceId: string;
  targetCatalog: string;
  targetId: string;
  relationship: OlirRelationship;
}

/** Relationships from every City Baseline requirement to the NIST CSF 2.0 subcategories it serves. */
export function cityBaselineMappings(
  requirements: readonly BaselineRequirement[] = CITY_BASELINE_REQUIREMENTS,
): Mapping[] {
  return requirements.flatMap((r) =>
    Object.entries(r.csf).map(([targetId, relationship]) => ({
      sourceCatalog: CITY_BASELINE_CATALOG_NAME,
      sourceId: r.id,
      targetCatalog: CSF2_CATALOG_NAME,
      targetId,
      relationship: relationship as OlirRelationship,
    })),
  );
}

export interface MappingIssue {
  index: number;
  field: 'sourceId' | 'targetId' | 'relationship';
  message: string;
}

export class MappingError extends Error {
  readonly issues: MappingIssue[];
  constructor(issues: MappingIssue[]) {
    super(
      issues
        .slice(0, 5)
        .map((i) => `mappings[${i.index}].${i.field}: ${i.message}`)
        .join('; '),
    );
    this.name = 'MappingError';
    this.issues = issues;
  }
}

const RELATIONSHIPS: ReadonlySet<string> = new Set([
  'subset-of',
  'intersects-with',
  'equal-to',
  'superset-of',
]);

/** Rejects mappings that name a control missing from either catalog, or an unknown relationship type. */
export function checkMappings(
  mappings: readonly Mapping[],
  catalogs: { sourceIds: Iterable<string>; targetIds: Iterable<string> },
): void {
  const sources = new Set(catalogs.sourceIds);
  const targets = new Set(catalogs.targetIds);
  const issues: MappingIssue[] = [];
  mappings.forEach((m, index) => {
    if (!sources.has(m.sourceId)) {
      issues.push({
        index,
        field: 'sourceId',
        message: `"${m.sourceId}" does not exist in ${m.sourceCatalog}`,
      });
    }
    if (!targets.has(m.targetId)) {
      issues.push({
        index,
        field: 'targetId',
        message: `"${m.targetId}" does not exist in ${m.targetCatalog}`,
      });
    }
    if (!RELATIONSHIPS.has(m.relationship)) {
      issues.push({
        index,
        field: 'relationship',
        message: `"${m.relationship}" is not an OLIR relationship`,
      });
    }
  });
  if (issues.length) throw new MappingError(issues);
}

export type CoverageState =
  | 'covered'
  | 'partial'
  | 'not-covered'
  | 'not-applicable'
  | 'not-assessed'
  | 'unmapped';

export interface TargetCoverage {
  targetId: string;
  state: CoverageState;
  contributions: {
    sourceId: string;
    relationship: OlirRelationship;
    status: RequirementStatus | 'not-assessed';
  }[];
}

export interface CoverageResult {
  targets: TargetCoverage[];
  counts: Record<CoverageState, number>;
  /** 0–100 over targets that apply: covered counts 1, partial 0.5. Null when nothing applies. */
  percent: number | null;
}

function contributionLevel(
  relationship: OlirRelationship,
  status: RequirementStatus | 'not-assessed',
): number {
  if (status === 'implemented') return relationship === 'equal-to' || relationship === 'superset-of' ? 2 : 1;
  if (status === 'partially-implemented') return 1;
  return 0;
}

/**
 * Coverage of a target catalog's controls given statuses assessed against the source catalog. A target is
 * covered only by an implemented source that is equal to or a superset of it: implemented subset or
 * intersecting sources make it partial, because the mapping alone cannot tell whether together they fill it.
 */
export function coverage(
  mappings: readonly Mapping[],
  assessedStatuses: Readonly<Record<string, RequirementStatus>> | ReadonlyMap<string, RequirementStatus>,
  options: { targetIds?: Iterable<string> } = {},
): CoverageResult {
  const statusOf = (id: string): RequirementStatus | 'not-assessed' =>
    (assessedStatuses instanceof Map
      ? assessedStatuses.get(id)
      : (assessedStatuses as Record<string, RequirementStatus>)[id]) ?? 'not-assessed';
  const byTarget = new Map<string, TargetCoverage['contributions']>();
  for (const id of options.targetIds ?? []) byTarget.set(id, []);
  for (const m of mappings) {
    const list = byTarget.get(m.targetId) ?? [];
    list.push({ sourceId: m.sourceId, relationship: m.relationship, status: statusOf(m.sourceId) });
    byTarget.set(m.targetId, list);
  }
  const counts: Record<CoverageState, number> = {
    covered: 0,
    partial: 0,
    'not-covered': 0,
    'not-applicable': 0,
    'not-assessed': 0,
    unmapped: 0,
  };
  const targets = [...byTarget].map<TargetCoverage>(([targetId, contributions]) => {
    let state: CoverageState;
    if (!contributions.length) state = 'unmapped';
    else {
      const level = Math.max(...contributions.map((c) => contributionLevel(c.relationship, c.status)));
      const assessed = contributions.filter((c) => c.status !== 'not-assessed');
      const applicable = assessed.filter((c) => c.status !== 'not-applicable');
      if (level === 2) state = 'covered';
      else if (level === 1) state = 'partial';
      else if (applicable.length) state = 'not-covered';
      else if (assessed.length === contributions.length) state = 'not-applicable';
      else state = 'not-assessed';
    }
    counts[state]++;
    return { targetId, state, contributions };
  });
  const applies = targets.length - counts['not-applicable'];
  const percent = applies
    ? Math.round((1000 * (counts.covered + 0.5 * counts.partial)) / applies) / 10
    : null;
  return { targets, counts, percent };
}

/** Coverage of the NIST CSF 2.0 subcategories from a City Baseline assessment, all 106 counted. */
export function csf2Coverage(
  assessedStatuses: Readonly<Record<string, RequirementStatus>> | ReadonlyMap<string, RequirementStatus>,
): CoverageResult {
  return coverage(cityBaselineMappings(), assessedStatuses, { targetIds: CSF2_SUBCATEGORY_IDS });
}
