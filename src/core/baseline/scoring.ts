import { CSF2_FUNCTIONS, CSF2_TIERS, type CsfFunctionId } from './csf2.js';
import { TIERS, type Tier } from './requirements.js';

export const REQUIREMENT_STATUSES = [
  'implemented',
  'partially-implemented',
  'planned',
  'not-implemented',
  'not-applicable',
  'needs-review',
] as const;
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

/** Share of a requirement that counts as done; needs-review earns nothing until someone re-confirms it. */
export const STATUS_WEIGHTS: Record<Exclude<RequirementStatus, 'not-applicable'>, number> = {
  implemented: 1,
  'partially-implemented': 0.5,
  planned: 0,
  'not-implemented': 0,
  'needs-review': 0,
};

export interface MaturityLevel {
  value: number;
  label: string;
  description?: string;
}

export interface MaturityScale {
  id: string;
  name: string;
  levels: MaturityLevel[];
}

export const CSF_TIER_SCALE: MaturityScale = {
  id: 'csf-2.0-tiers',
  name: 'NIST CSF 2.0 tiers',
  levels: CSF2_TIERS.map((t) => ({ value: t.value, label: t.label })),
};

/** Capability levels 0–5 in the manner of CMMI, for organizations that already report on that scale. */
export const CMMI_SCALE: MaturityScale = {
  id: 'cmmi-0-5',
  name: 'CMMI levels 0–5',
  levels: [
    { value: 0, label: 'Incomplete' },
    { value: 1, label: 'Initial' },
    { value: 2, label: 'Managed' },
    { value: 3, label: 'Defined' },
    { value: 4, label: 'Quantitatively Managed' },
    { value: 5, label: 'Optimizing' },
  ],
};

export const MATURITY_SCALE_PRESETS: readonly MaturityScale[] = [CSF_TIER_SCALE, CMMI_SCALE];

/** The label of a level on a scale, or the bare number when the scale has no such level. */
export function maturityLabel(scale: MaturityScale, value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return scale.levels.find((l) => l.value === value)?.label ?? String(value);
}

/** A custom scale (e.g. 0–5 like CMMI); values must be distinct numbers, given from lowest to highest. */
export function defineMaturityScale(id: string, name: string, levels: MaturityLevel[]): MaturityScale {
  if (levels.length < 2)
    throw new AssessmentError([{ field: 'levels', message: 'a scale needs at least two levels' }]);
  levels.forEach((l, i) => {
    if (!l.label?.trim()) {
      throw new AssessmentError([{ field: `levels[${i}].label`, message: 'a level needs a label' }]);
    }
    if (!Number.isFinite(l.value)) {
      throw new AssessmentError([{ field: `levels[${i}].value`, message: 'must be a finite number' }]);
    }
    if (i > 0 && l.value <= levels[i - 1].value) {
      throw new AssessmentError([
        { field: `levels[${i}].value`, message: 'levels must be given in increasing order' },
      ]);
    }
  });
  return { id, name, levels: levels.map((l) => ({ ...l })) };
}

export interface Evidence {
  id: string;
  title?: string;
  kind: 'file' | 'link';
  /** When the evidence starts to count (e.g. the date of a test), separate from its upload date. */
  effectiveDate: string;
  expiresAt?: string | null;
}

export interface RequirementAssessment {
  requirementId: string;
  /** Department (or system) assessed; absent for an organization-wide assessment. */
  department?: string | null;
  status: RequirementStatus;
  maturity?: number | null;
  /** Required when the status is not-applicable. */
  notApplicableReason?: string;
  notes?: string;
  assessor?: string;
  assessedAt?: string;
  evidence?: Evidence[];
}

/** What scoring needs to know about a requirement; `BaselineRequirement` fits. */
export interface RequirementRef {
  id: string;
  function: CsfFunctionId;
  tier: Tier;
  title?: string;
}

export interface ScoringContext {
  /** The requirements in scope (a baseline or a resolved profile). */
  requirements: readonly RequirementRef[];
  scale?: MaturityScale;
  /** Reference time for evidence expiry. Default: now. */
  asOf?: Date;
  /**
   * Every department in scope (null for the organization as a whole). Without it, only departments with at
   * least one answer count, so a department nobody has started would vanish from scores and gaps.
   */
  departments?: readonly (string | null)[];
}

export interface AssessmentIssue {
  requirementId?: string;
  department?: string | null;
  field: string;
  message: string;
}

export class AssessmentError extends Error {
  readonly issues: AssessmentIssue[];
  constructor(issues: AssessmentIssue[]) {
    super(
      issues
        .slice(0, 5)
        .map(
          (i) =>
            `${i.requirementId ? `${i.requirementId}${i.department ? ` (${i.department})` : ''}: ` : ''}${i.field}: ${i.message}`,
        )
        .join('; ') + (issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''),
    );
    this.name = 'AssessmentError';
    this.issues = issues;
  }
}

const ORGANIZATION = 'organization';

function deptKey(entry: { department?: string | null }): string {
  return entry.department ?? ORGANIZATION;
}

function time(value: string): number {
  return Date.parse(value);
}

/** Problems that make an assessment unusable: unknown requirements, reasons missing, values off the scale. */
export function validateAssessment(
  entries: readonly RequirementAssessment[],
  ctx: ScoringContext,
): AssessmentIssue[] {
  const scale = ctx.scale ?? CSF_TIER_SCALE;
  const known = new Set(ctx.requirements.map((r) => r.id));
  const allowed = new Set(scale.levels.map((l) => l.value));
  const seen = new Set<string>();
  const issues: AssessmentIssue[] = [];
  for (const e of entries) {
    const where = { requirementId: e.requirementId, department: e.department ?? null };
    if (!known.has(e.requirementId)) {
      issues.push({
        ...where,
        field: 'requirementId',
        message: 'not a requirement of this baseline or profile',
      });
    }
    const key = `${e.requirementId}\u0000${deptKey(e)}`;
    if (seen.has(key))
      issues.push({ ...where, field: 'requirementId', message: 'assessed twice in the same cycle' });
    seen.add(key);
    if (!REQUIREMENT_STATUSES.includes(e.status)) {
      issues.push({ ...where, field: 'status', message: `"${String(e.status)}" is not a status` });
    }
    if (e.status === 'not-applicable' && !e.notApplicableReason?.trim()) {
      issues.push({ ...where, field: 'notApplicableReason', message: 'not-applicable needs a reason' });
    }
    if (e.maturity !== undefined && e.maturity !== null && !allowed.has(e.maturity)) {
      issues.push({
        ...where,
        field: 'maturity',
        message: `${e.maturity} is not a level of "${scale.name}" (${[...allowed].join(', ')})`,
      });
    }
    e.evidence?.forEach((ev, i) => {
      if (Number.isNaN(time(ev.effectiveDate))) {
        issues.push({ ...where, field: `evidence[${i}].effectiveDate`, message: 'not a date' });
      }
      if (ev.expiresAt && Number.isNaN(time(ev.expiresAt))) {
        issues.push({ ...where, field: `evidence[${i}].expiresAt`, message: 'not a date' });
      } else if (ev.expiresAt && time(ev.expiresAt) <= time(ev.effectiveDate)) {
        issues.push({
          ...where,
          field: `evidence[${i}].expiresAt`,
          message: 'expires before it takes effect',
        });
      }
    });
  }
  return issues;
}

function assertValid(entries: readonly RequirementAssessment[], ctx: ScoringContext): void {
  const issues = validateAssessment(entries, ctx);
  if (issues.length) throw new AssessmentError(issues);
}

export interface EffectiveAssessment extends RequirementAssessment {
  /** The status the assessor recorded; `status` is what counts after evidence checks. */
  recordedStatus: RequirementStatus;
  downgradeReason: string | null;
}

/**
 * Evidence lapses: a requirement claimed (partially) implemented whose evidence has all expired, or is not yet
 * in effect, is counted as needs-review, with the reason, until someone renews the evidence.
 */
export function applyEvidenceExpiry(
  entries: readonly RequirementAssessment[],
  asOf: Date = new Date(),
): EffectiveAssessment[] {
  const now = asOf.getTime();
  return entries.map((e) => {
    const base: EffectiveAssessment = { ...e, recordedStatus: e.status, downgradeReason: null };
    const claims = e.status === 'implemented' || e.status === 'partially-implemented';
    if (!claims || !e.evidence?.length) return base;
    const current = e.evidence.filter(
      (ev) => time(ev.effectiveDate) <= now && (!ev.expiresAt || time(ev.expiresAt) > now),
    );
    if (current.length) return base;
    const expired = e.evidence.filter((ev) => ev.expiresAt && time(ev.expiresAt) <= now);
    const reason = expired.length
      ? `evidence expired: ${expired.map((ev) => `"${ev.title ?? ev.id}" on ${ev.expiresAt?.slice(0, 10)}`).join(', ')}`
      : `evidence not yet in effect: ${e.evidence.map((ev) => `"${ev.title ?? ev.id}" from ${ev.effectiveDate.slice(0, 10)}`).join(', ')}`;
    return { ...base, status: 'needs-review', downgradeReason: reason };
  });
}

export type StatusCounts = Record<RequirementStatus | 'not-assessed', number>;

export interface ScoreBucket {
  /** Requirement × department pairs in the bucket. */
  total: number;
  counts: StatusCounts;
  /** Pairs that count: all but not-applicable. */
  applicable: number;
  /** 0–100: weighted share of applicable requirements done (see STATUS_WEIGHTS); null when none apply. */
  implementationScore: number | null;
  /** Mean recorded maturity of applicable, assessed requirements; null when none has one. */
  averageMaturity: number | null;
  maturityCount: number;
}

export interface AssessmentScore {
  overall: ScoreBucket;
  byFunction: Record<CsfFunctionId, ScoreBucket>;
  byTier: Record<Tier, ScoreBucket>;
  byDepartment: Record<string, ScoreBucket>;
}

function emptyBucket(): ScoreBucket & { weight: number; maturitySum: number } {
  const counts = Object.fromEntries(
    [...REQUIREMENT_STATUSES, 'not-assessed'].map((s) => [s, 0]),
  ) as StatusCounts;
  return {
    total: 0,
    counts,
    applicable: 0,
    implementationScore: null,
    averageMaturity: null,
    maturityCount: 0,
    weight: 0,
    maturitySum: 0,
  };
}

type Working = ReturnType<typeof emptyBucket>;

function addTo(bucket: Working, entry: EffectiveAssessment | null): void {
  bucket.total++;
  const status = entry?.status ?? 'not-assessed';
  bucket.counts[status]++;
  if (status === 'not-applicable') return;
  bucket.applicable++;
  if (status !== 'not-assessed') bucket.weight += STATUS_WEIGHTS[status];
  if (entry?.maturity !== undefined && entry?.maturity !== null) {
    bucket.maturitySum += entry.maturity;
    bucket.maturityCount++;
  }
}

function finish(bucket: Working): ScoreBucket {
  const { weight, maturitySum, ...rest } = bucket;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    ...rest,
    implementationScore: bucket.applicable ? round((100 * weight) / bucket.applicable) : null,
    averageMaturity: bucket.maturityCount
      ? Math.round((100 * maturitySum) / bucket.maturityCount) / 100
      : null,
  };
}

/** Every requirement × department pair with its effective entry (null when not assessed). */
function pairs(
  entries: readonly RequirementAssessment[],
  ctx: ScoringContext,
): { requirement: RequirementRef; department: string; entry: EffectiveAssessment | null }[] {
  const effective = applyEvidenceExpiry(entries, ctx.asOf ?? new Date());
  const byKey = new Map(effective.map((e) => [`${e.requirementId}\u0000${deptKey(e)}`, e]));
  const departments = [
    ...new Set([...(ctx.departments ?? []).map((d) => d ?? ORGANIZATION), ...effective.map(deptKey)]),
  ];
  if (!departments.length) departments.push(ORGANIZATION);
  return departments.flatMap((department) =>
    ctx.requirements.map((requirement) => ({
      requirement,
      department,
      entry: byKey.get(`${requirement.id}\u0000${department}`) ?? null,
    })),
  );
}

/** Scores by CSF function, by tier and by department; every requirement in scope counts, assessed or not. */
export function scoreAssessment(
  entries: readonly RequirementAssessment[],
  ctx: ScoringContext,
): AssessmentScore {
  assertValid(entries, ctx);
  const overall = emptyBucket();
  const byFunction = new Map<CsfFunctionId, Working>(CSF2_FUNCTIONS.map((f) => [f.id, emptyBucket()]));
  const byTier = new Map<Tier, Working>(TIERS.map((t) => [t, emptyBucket()]));
  const byDepartment = new Map<string, Working>();
  for (const { requirement, department, entry } of pairs(entries, ctx)) {
    addTo(overall, entry);
    addTo(byFunction.get(requirement.function) as Working, entry);
    addTo(byTier.get(requirement.tier) as Working, entry);
    if (!byDepartment.has(department)) byDepartment.set(department, emptyBucket());
    addTo(byDepartment.get(department) as Working, entry);
  }
  const out = <K extends string>(m: Map<K, Working>) =>
    Object.fromEntries([...m].map(([k, b]) => [k, finish(b)])) as Record<K, ScoreBucket>;
  return {
    overall: finish(overall),
    byFunction: out(byFunction),
    byTier: out(byTier),
    byDepartment: out(byDepartment),
  };
}

export interface TargetProfile {
  /** Requirements the target covers; default: those of `tier` and below, or all in scope. */
  requirementIds?: readonly string[];
  tier?: Tier;
  /** Target maturity for all requirements, or per requirement id. */
  targetMaturity?: number | Readonly<Record<string, number>>;
}

export type GapSeverity = 'critical' | 'high' | 'medium' | 'low';
const SEVERITY_ORDER: GapSeverity[] = ['critical', 'high', 'medium', 'low'];

export interface Gap {
  requirementId: string;
  title?: string;
  department: string;
  function: CsfFunctionId;
  tier: Tier;
  status: RequirementStatus | 'not-assessed';
  maturity: number | null;
  targetMaturity: number | null;
  reasons: string[];
  severity: GapSeverity;
}

function targetFor(target: TargetProfile, id: string): number | null {
  if (typeof target.targetMaturity === 'number') return target.targetMaturity;
  return target.targetMaturity?.[id] ?? null;
}

const STATUS_GAP_POINTS: Record<RequirementStatus | 'not-assessed', number> = {
  'not-assessed': 3,
  'not-implemented': 3,
  planned: 2,
  'needs-review': 2,
  'partially-implemented': 2,
  implemented: 0,
  'not-applicable': 0,
};

/**
 * Requirements below target: not implemented (fully), or below the target maturity. Severity weighs how far
 * off the requirement is and its tier, so a missing foundational control outranks a missing advanced one.
 */
export function gapAnalysis(
  entries: readonly RequirementAssessment[],
  target: TargetProfile,
  ctx: ScoringContext,
): Gap[] {
  assertValid(entries, ctx);
  const scale = ctx.scale ?? CSF_TIER_SCALE;
  const inScope = target.requirementIds
    ? new Set(target.requirementIds)
    : target.tier
      ? new Set(
          ctx.requirements
            .filter((r) => TIERS.indexOf(r.tier) <= TIERS.indexOf(target.tier as Tier))
            .map((r) => r.id),
        )
      : null;
  if (target.requirementIds) {
    const known = new Set(ctx.requirements.map((r) => r.id));
    const unknown = target.requirementIds.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new AssessmentError(
        unknown.map((id) => ({
          requirementId: id,
          field: 'requirementIds',
          message: 'not a requirement in scope',
        })),
      );
    }
  }
  const label = (v: number) => scale.levels.find((l) => l.value === v)?.label ?? String(v);
  const gaps: Gap[] = [];
  for (const { requirement, department, entry } of pairs(entries, ctx)) {
    if (inScope && !inScope.has(requirement.id)) continue;
    const status = entry?.status ?? 'not-assessed';
    if (status === 'not-applicable') continue;
    const maturity = entry?.maturity ?? null;
    const wanted = targetFor(target, requirement.id);
    const reasons: string[] = [];
    let points = STATUS_GAP_POINTS[status];
    if (status === 'not-assessed') reasons.push('not assessed');
    else if (status !== 'implemented') reasons.push(`status is ${status}`);
    if (entry?.downgradeReason) reasons.push(entry.downgradeReason);
    if (wanted !== null) {
      if (maturity === null) {
        if (status === 'implemented') {
          reasons.push(`no maturity recorded (target ${label(wanted)})`);
          points = Math.max(points, 1);
        }
      } else if (maturity < wanted) {
        reasons.push(`maturity ${label(maturity)} is below target ${label(wanted)}`);
        const levelsShort =
          scale.levels.findIndex((l) => l.value === wanted) -
          scale.levels.findIndex((l) => l.value === maturity);
        points = Math.max(points, levelsShort >= 2 ? 2 : 1);
      }
    }
    if (!reasons.length) continue;
    const tierShift = requirement.tier === 'foundational' ? 1 : requirement.tier === 'advanced' ? -1 : 0;
    const score = points + tierShift;
    const severity: GapSeverity =
      score >= 4 ? 'critical' : score === 3 ? 'high' : score === 2 ? 'medium' : 'low';
    gaps.push({
      requirementId: requirement.id,
      title: requirement.title,
      department,
      function: requirement.function,
      tier: requirement.tier,
      status,
      maturity,
      targetMaturity: wanted,
      reasons,
      severity,
    });
  }
  return gaps.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) ||
      a.requirementId.localeCompare(b.requirementId) ||
      a.department.localeCompare(b.department),
  );
}

export type ChangeKind = 'improved' | 'regressed' | 'changed' | 'unchanged' | 'added' | 'removed';

export interface RequirementChange {
  requirementId: string;
  department: string;
  before: { status: RequirementStatus; maturity: number | null } | null;
  after: { status: RequirementStatus; maturity: number | null } | null;
  kind: ChangeKind;
  maturityDelta: number | null;
}

export interface CycleComparison {
  changes: RequirementChange[];
  summary: Record<ChangeKind, number>;
  /** Current minus previous implementation score (percentage points); null where either side has none. */
  scoreDelta: {
    overall: number | null;
    byFunction: Record<CsfFunctionId, number | null>;
    byTier: Record<Tier, number | null>;
    byDepartment: Record<string, number | null>;
  };
  previous: AssessmentScore;
  current: AssessmentScore;
}

const PROGRESS: Record<Exclude<RequirementStatus, 'not-applicable'>, number> = {
  'not-implemented': 0,
  planned: 1,
  'needs-review': 1,
  'partially-implemented': 2,
  implemented: 3,
};

function classify(
  before: { status: RequirementStatus; maturity: number | null },
  after: { status: RequirementStatus; maturity: number | null },
): ChangeKind {
  if (before.status !== after.status) {
    if (before.status === 'not-applicable' || after.status === 'not-applicable') return 'changed';
    const d = PROGRESS[after.status] - PROGRESS[before.status];
    return d > 0 ? 'improved' : d < 0 ? 'regressed' : 'changed';
  }
  if (before.maturity !== null && after.maturity !== null && before.maturity !== after.maturity) {
    return after.maturity > before.maturity ? 'improved' : 'regressed';
  }
  return before.maturity === after.maturity ? 'unchanged' : 'changed';
}

function delta(a: ScoreBucket | undefined, b: ScoreBucket | undefined): number | null {
  if (a?.implementationScore == null || b?.implementationScore == null) return null;
  return Math.round((b.implementationScore - a.implementationScore) * 10) / 10;
}

/** What changed between two assessment cycles, each judged with its own evidence-expiry date. */
export function compareCycles(
  previous: readonly RequirementAssessment[],
  current: readonly RequirementAssessment[],
  ctx: ScoringContext & { previousAsOf?: Date },
): CycleComparison {
  const prevCtx = { ...ctx, asOf: ctx.previousAsOf ?? ctx.asOf };
  const prevScore = scoreAssessment(previous, prevCtx);
  const curScore = scoreAssessment(current, ctx);
  const state = (list: EffectiveAssessment[]) =>
    new Map(list.map((e) => [`${e.requirementId}\u0000${deptKey(e)}`, e]));
  const before = state(applyEvidenceExpiry(previous, prevCtx.asOf ?? new Date()));
  const after = state(applyEvidenceExpiry(current, ctx.asOf ?? new Date()));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const snap = (e: EffectiveAssessment | undefined) =>
    e ? { status: e.status, maturity: e.maturity ?? null } : null;
  const changes = keys.map<RequirementChange>((key) => {
    const [requirementId, department] = key.split('\u0000');
    const b = snap(before.get(key));
    const a = snap(after.get(key));
    const kind: ChangeKind = !b ? 'added' : !a ? 'removed' : classify(b, a);
    const maturityDelta = b?.maturity != null && a?.maturity != null ? a.maturity - b.maturity : null;
    return { requirementId, department, before: b, after: a, kind, maturityDelta };
  });
  const summary = { improved: 0, regressed: 0, changed: 0, unchanged: 0, added: 0, removed: 0 };
  for (const c of changes) summary[c.kind]++;
  const departments = [
    ...new Set([...Object.keys(prevScore.byDepartment), ...Object.keys(curScore.byDepartment)]),
  ];
  return {
    changes,
    summary,
    scoreDelta: {
      overall: delta(prevScore.overall, curScore.overall),
      byFunction: Object.fromEntries(
        CSF2_FUNCTIONS.map((f) => [f.id, delta(prevScore.byFunction[f.id], curScore.byFunction[f.id])]),
      ) as Record<CsfFunctionId, number | null>,
      byTier: Object.fromEntries(
        TIERS.map((t) => [t, delta(prevScore.byTier[t], curScore.byTier[t])]),
      ) as Record<Tier, number | null>,
      byDepartment: Object.fromEntries(
        departments.map((d) => [d, delta(prevScore.byDepartment[d], curScore.byDepartment[d])]),
      ),
    },
    previous: prevScore,
    current: curScore,
  };
}

/**
 * Starts the next cycle from the last one: statuses, maturity, reasons and evidence carry over so the assessor
 * only confirms or changes them; who assessed and when, and the notes, start empty.
 */
export function carryForward(previous: readonly RequirementAssessment[]): RequirementAssessment[] {
  return previous.map((e) => {
    const next: RequirementAssessment = { requirementId: e.requirementId, status: e.status };
    if (e.department !== undefined) next.department = e.department;
    if (e.maturity !== undefined) next.maturity = e.maturity;
    if (e.notApplicableReason !== undefined) next.notApplicableReason = e.notApplicableReason;
    if (e.evidence) next.evidence = e.evidence.map((ev) => ({ ...ev }));
    return next;
  });
}
