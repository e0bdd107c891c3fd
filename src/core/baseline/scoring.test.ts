import { describe, expect, it } from 'vitest';
import { CITY_BASELINE_REQUIREMENTS } from './requirements.js';
import {
  AssessmentError,
  applyEvidenceExpiry,
  carryForward,
  compareCycles,
  defineMaturityScale,
  gapAnalysis,
  type RequirementAssessment,
  type RequirementRef,
  scoreAssessment,
  validateAssessment,
} from './scoring.js';

const REQS: RequirementRef[] = [
  { id: 'GV-1', function: 'GV', tier: 'foundational', title: 'Lead' },
  { id: 'PR-1', function: 'PR', tier: 'foundational', title: 'MFA' },
  { id: 'PR-2', function: 'PR', tier: 'intermediate', title: 'Logs' },
  { id: 'DE-1', function: 'DE', tier: 'advanced', title: 'OT monitoring' },
];
const ASOF = new Date('2026-06-01T00:00:00Z');
const ctx = { requirements: REQS, asOf: ASOF };

const water: RequirementAssessment[] = [
  { requirementId: 'GV-1', department: 'water', status: 'implemented', maturity: 3 },
  {
    requirementId: 'PR-1',
    department: 'water',
    status: 'implemented',
    maturity: 2,
    evidence: [
      { id: 'e1', title: 'MFA report', kind: 'file', effectiveDate: '2025-05-01', expiresAt: '2026-05-01' },
    ],
  },
  { requirementId: 'PR-2', department: 'water', status: 'partially-implemented', maturity: 2 },
  {
    requirementId: 'DE-1',
    department: 'water',
    status: 'not-applicable',
    notApplicableReason: 'No OT monitoring tools exist for the legacy RTUs; covered by manual rounds.',
  },
];
const finance: RequirementAssessment[] = [
  { requirementId: 'GV-1', department: 'finance', status: 'implemented', maturity: 3 },
  { requirementId: 'PR-1', department: 'finance', status: 'planned', maturity: 1 },
];

describe('validation', () => {
  it('requires a reason for not-applicable and values on the scale', () => {
    const issues = validateAssessment(
      [
        { requirementId: 'PR-1', status: 'not-applicable', notApplicableReason: '  ' },
        { requirementId: 'PR-2', status: 'implemented', maturity: 7 },
        { requirementId: 'XX-9', status: 'implemented' },
        { requirementId: 'PR-2', status: 'planned' },
        {
          requirementId: 'GV-1',
          status: 'implemented',
          evidence: [{ id: 'e', kind: 'link', effectiveDate: '2026-01-01', expiresAt: '2025-01-01' }],
        },
      ],
      ctx,
    );
    expect(issues.map((i) => [i.requirementId, i.field])).toEqual([
      ['PR-1', 'notApplicableReason'],
      ['PR-2', 'maturity'],
      ['XX-9', 'requirementId'],
      ['PR-2', 'requirementId'],
      ['GV-1', 'evidence[0].expiresAt'],
    ]);
    expect(issues[1].message).toBe('7 is not a level of "NIST CSF 2.0 tiers" (1, 2, 3, 4)');
    expect(() => scoreAssessment([{ requirementId: 'PR-1', status: 'not-applicable' }], ctx)).toThrow(
      AssessmentError,
    );
  });

  it('accepts a custom maturity scale and rejects a malformed one', () => {
    const cmmi = defineMaturityScale(
      'cmmi',
      'CMMI 0–5',
      [0, 1, 2, 3, 4, 5].map((value) => ({ value, label: `L${value}` })),
    );
    expect(
      validateAssessment([{ requirementId: 'PR-1', status: 'implemented', maturity: 0 }], {
        ...ctx,
        scale: cmmi,
      }),
    ).toEqual([]);
    expect(
      validateAssessment([{ requirementId: 'PR-1', status: 'implemented', maturity: 0 }], ctx),
    ).toHaveLength(1);
    expect(() =>
      defineMaturityScale('x', 'x', [
        { value: 2, label: 'b' },
        { value: 1, label: 'a' },
      ]),
    ).toThrow('increasing order');
  });
});

describe('evidence expiry', () => {
  it('downgrades to needs-review when all evidence has expired, and says why', () => {
    const [, pr1] = applyEvidenceExpiry(water, ASOF);
    expect(pr1).toMatchObject({
      status: 'needs-review',
      recordedStatus: 'implemented',
      downgradeReason: 'evidence expired: "MFA report" on 2026-05-01',
    });
  });

  it('keeps the status while any evidence is current, and ignores statuses that claim nothing', () => {
    const entry: RequirementAssessment = {
      requirementId: 'PR-1',
      status: 'implemented',
      evidence: [
        { id: 'old', kind: 'file', effectiveDate: '2024-01-01', expiresAt: '2025-01-01' },
        { id: 'new', kind: 'link', effectiveDate: '2026-01-01', expiresAt: '2027-01-01' },
      ],
    };
    expect(applyEvidenceExpiry([entry], ASOF)[0]).toMatchObject({
      status: 'implemented',
      downgradeReason: null,
    });
    expect(applyEvidenceExpiry([{ ...entry, status: 'planned' }], new Date('2030-01-01'))[0].status).toBe(
      'planned',
    );
    const future = { ...entry, evidence: [{ id: 'f', kind: 'file' as const, effectiveDate: '2026-09-01' }] };
    expect(applyEvidenceExpiry([future], ASOF)[0].downgradeReason).toBe(
      'evidence not yet in effect: "f" from 2026-09-01',
    );
  });
});

describe('scores', () => {
  const score = scoreAssessment([...water, ...finance], ctx);

  it('aggregates by function, tier and department, counting unassessed requirements', () => {
    expect(score.byDepartment.water).toMatchObject({
      total: 4,
      applicable: 3,
      counts: { implemented: 1, 'needs-review': 1, 'partially-implemented': 1, 'not-applicable': 1 },
      implementationScore: 50,
      averageMaturity: 2.33,
    });
    expect(score.byDepartment.finance).toMatchObject({
      total: 4,
      applicable: 4,
      counts: { implemented: 1, planned: 1, 'not-assessed': 2 },
      implementationScore: 25,
      averageMaturity: 2,
    });
    expect(score.byFunction.GV).toMatchObject({ total: 2, implementationScore: 100, averageMaturity: 3 });
    expect(score.byFunction.PR).toMatchObject({ total: 4, implementationScore: 12.5 });
    expect(score.byFunction.RC).toMatchObject({ total: 0, implementationScore: null });
    expect(score.byTier.advanced).toMatchObject({ total: 2, applicable: 1, implementationScore: 0 });
    expect(score.overall).toMatchObject({ total: 8, applicable: 7, implementationScore: 35.7 });
  });

  it('scores an organization-wide assessment of the shipped baseline', () => {
    const entries: RequirementAssessment[] = CITY_BASELINE_REQUIREMENTS.filter(
      (r) => r.tier === 'foundational',
    ).map((r) => ({
      requirementId: r.id,
      status: 'implemented',
      maturity: 2,
    }));
    const s = scoreAssessment(entries, { requirements: CITY_BASELINE_REQUIREMENTS, asOf: ASOF });
    expect(Object.keys(s.byDepartment)).toEqual(['organization']);
    expect(s.byTier.foundational.implementationScore).toBe(100);
    expect(s.byTier.advanced.implementationScore).toBe(0);
  });
});

describe('gaps against a target profile', () => {
  it('lists requirements below target with severity by status, maturity and tier', () => {
    const critical = gapAnalysis(
      [{ requirementId: 'PR-1', status: 'not-implemented' }],
      { tier: 'foundational' },
      ctx,
    );
    expect(critical.map((g) => [g.requirementId, g.severity])).toEqual([
      ['GV-1', 'critical'],
      ['PR-1', 'critical'],
    ]);
    const gaps = gapAnalysis([...water, ...finance], { tier: 'intermediate', targetMaturity: 3 }, ctx);
    expect(gaps.map((g) => [g.requirementId, g.department, g.severity])).toEqual([
      ['PR-1', 'finance', 'high'],
      ['PR-1', 'water', 'high'],
      ['PR-2', 'finance', 'high'],
      ['PR-2', 'water', 'medium'],
    ]);
    expect(gaps[1].reasons).toEqual([
      'status is needs-review',
      'evidence expired: "MFA report" on 2026-05-01',
      'maturity Risk Informed is below target Repeatable',
    ]);
    expect(gaps[2].reasons).toEqual(['not assessed']);
  });

  it('flags maturity shortfalls of implemented requirements and supports per-requirement targets', () => {
    const entries: RequirementAssessment[] = [
      { requirementId: 'GV-1', status: 'implemented', maturity: 1 },
      { requirementId: 'PR-1', status: 'implemented', maturity: 3 },
      { requirementId: 'PR-2', status: 'implemented' },
    ];
    const gaps = gapAnalysis(
      entries,
      { requirementIds: ['GV-1', 'PR-1', 'PR-2'], targetMaturity: { 'GV-1': 4, 'PR-1': 3, 'PR-2': 3 } },
      ctx,
    );
    expect(gaps.map((g) => [g.requirementId, g.severity, g.reasons])).toEqual([
      ['GV-1', 'high', ['maturity Partial is below target Adaptive']],
      ['PR-2', 'low', ['no maturity recorded (target Repeatable)']],
    ]);
    expect(() => gapAnalysis(entries, { requirementIds: ['ZZ'] }, ctx)).toThrow('ZZ');
  });
});

describe('cycles', () => {
  it('compares two cycles: improved, regressed, changed, added, removed and score deltas', () => {
    const last: RequirementAssessment[] = [
      { requirementId: 'GV-1', status: 'partially-implemented', maturity: 2 },
      { requirementId: 'PR-1', status: 'implemented', maturity: 3 },
      { requirementId: 'PR-2', status: 'planned', maturity: 1 },
      { requirementId: 'DE-1', status: 'not-implemented' },
    ];
    const now: RequirementAssessment[] = [
      { requirementId: 'GV-1', status: 'implemented', maturity: 3 },
      { requirementId: 'PR-1', status: 'implemented', maturity: 2 },
      { requirementId: 'PR-2', status: 'planned', maturity: 1 },
      { requirementId: 'DE-1', status: 'not-applicable', notApplicableReason: 'OT moved to the county.' },
    ];
    const cmp = compareCycles(last, now, { ...ctx, previousAsOf: new Date('2025-06-01T00:00:00Z') });
    expect(cmp.changes.map((c) => [c.requirementId, c.kind, c.maturityDelta])).toEqual([
      ['DE-1', 'changed', null],
      ['GV-1', 'improved', 1],
      ['PR-1', 'regressed', -1],
      ['PR-2', 'unchanged', 0],
    ]);
    expect(cmp.summary).toMatchObject({ improved: 1, regressed: 1, changed: 1, unchanged: 1 });
    expect(cmp.scoreDelta.overall).toBe(29.2); // 66.7 now (2 of 3 applicable) against 37.5 then
    expect(cmp.scoreDelta.byFunction.GV).toBe(50);
    expect(cmp.scoreDelta.byFunction.RC).toBeNull();
    const grown = compareCycles(last.slice(0, 1), [{ requirementId: 'PR-1', status: 'implemented' }], ctx);
    expect(grown.changes.map((c) => c.kind)).toEqual(['removed', 'added']);
  });

  it('treats an evidence lapse between cycles as a regression', () => {
    const entry: RequirementAssessment = {
      requirementId: 'PR-1',
      status: 'implemented',
      evidence: [{ id: 'e', kind: 'file', effectiveDate: '2025-01-01', expiresAt: '2026-01-01' }],
    };
    const cmp = compareCycles([entry], [entry], { ...ctx, previousAsOf: new Date('2025-06-01T00:00:00Z') });
    expect(cmp.changes[0]).toMatchObject({
      kind: 'regressed',
      before: { status: 'implemented' },
      after: { status: 'needs-review' },
    });
  });

  it('starts next year from last year without assessor, date or notes', () => {
    const next = carryForward([
      { ...water[1], assessor: 'Dana', assessedAt: '2025-05-02', notes: 'ok' },
      water[3],
    ]);
    expect(next[0]).toEqual({
      requirementId: 'PR-1',
      department: 'water',
      status: 'implemented',
      maturity: 2,
      evidence: water[1].evidence,
    });
    expect(next[0].evidence).not.toBe(water[1].evidence);
    expect(next[1].notApplicableReason).toBe(water[3].notApplicableReason);
  });
});

describe('departments in scope', () => {
  it('counts a department nobody has answered for, in scores and in gaps', () => {
    const entries: RequirementAssessment[] = [
      { requirementId: 'GV-1', department: 'water', status: 'implemented' },
    ];
    const withScope = { ...ctx, departments: ['water', 'transit'] };
    const score = scoreAssessment(entries, withScope);
    expect(Object.keys(score.byDepartment)).toEqual(['water', 'transit']);
    expect(score.byDepartment.transit.counts['not-assessed']).toBe(REQS.length);
    expect(score.overall.implementationScore).toBe(12.5);
    expect(scoreAssessment(entries, ctx).overall.implementationScore).toBe(25);
    const gaps = gapAnalysis(entries, {}, withScope);
    expect(gaps.filter((g) => g.department === 'transit')).toHaveLength(REQS.length);
  });

  it('names the organization as a whole by null', () => {
    const score = scoreAssessment([], { ...ctx, departments: [null] });
    expect(Object.keys(score.byDepartment)).toEqual(['organization']);
  });
});
