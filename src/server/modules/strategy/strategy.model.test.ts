import { describe, expect, it } from 'vitest';
import { criterionMet, evaluate, INDICATOR_KEYS, quarterOf, STEPS } from './strategy.model.js';
import type { Indicator } from './strategy.schemas.js';

const ind = (key: string, value: number | null, unit: Indicator['unit'] = 'percent'): Indicator => ({
  key,
  label: key,
  value,
  unit,
  numerator: null,
  denominator: null,
  computation: 'test',
  source: { module: 'test', records: 'test' },
  noDataReason: value === null ? 'no data' : null,
});

const cooperation = STEPS.find((s) => s.key === 'cooperation')!;
const world = (values: Record<string, number | null>) =>
  new Map(
    ['partners', 'activeAgreements', 'rosterCoverage', 'mutualAidAgreements', 'communityMemberships'].map(
      (k) => [k, ind(k, values[k] ?? null, k === 'rosterCoverage' ? 'percent' : 'count')],
    ),
  );

describe('maturity model', () => {
  it('has seven steps whose criteria read known indicators, for levels 2 to 5 each', () => {
    expect(STEPS.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const s of STEPS) {
      expect(new Set(s.criteria.map((c) => c.level))).toEqual(new Set([2, 3, 4, 5]));
      for (const c of s.criteria) expect(INDICATOR_KEYS).toContain(c.indicatorKey);
    }
  });

  it('climbs level by level and stops at the first level with an unmet criterion', () => {
    expect(evaluate(cooperation, world({})).computedLevel).toBe(1);
    expect(evaluate(cooperation, world({ partners: 1 })).computedLevel).toBe(2);
    expect(
      evaluate(cooperation, world({ partners: 1, activeAgreements: 1, rosterCoverage: 50 })).computedLevel,
    ).toBe(3);
    // Level-5 criteria met but level 4 not: stays at 3.
    const skip = world({ partners: 3, activeAgreements: 3, rosterCoverage: 100, communityMemberships: 1 });
    expect(evaluate(cooperation, skip).computedLevel).toBe(3);
    const all = world({
      partners: 3,
      activeAgreements: 3,
      rosterCoverage: 100,
      communityMemberships: 1,
      mutualAidAgreements: 1,
    });
    const r = evaluate(cooperation, all);
    expect(r.computedLevel).toBe(5);
    expect(r.criteria.every((c) => c.met)).toBe(true);
    expect(r.criteria.find((c) => c.level === 5 && c.indicatorKey === 'rosterCoverage')?.text).toBe(
      'rosterCoverage: all',
    );
  });

  it('never counts missing data as met', () => {
    expect(criterionMet({ level: 2, indicatorKey: 'x', comparison: '<=', threshold: 0 }, null)).toBe(false);
    expect(criterionMet({ level: 2, indicatorKey: 'x', comparison: '<=', threshold: 0 }, 0)).toBe(true);
    expect(criterionMet({ level: 2, indicatorKey: 'x', comparison: '>=', threshold: 80 }, 79.9)).toBe(false);
  });

  it('refuses a criterion on an unknown indicator', () => {
    expect(() => evaluate(cooperation, new Map())).toThrow(/unknown indicator partners/);
  });

  it('names quarters in UTC', () => {
    expect(quarterOf(new Date('2026-03-31T23:59:59Z'))).toBe('2026-Q1');
    expect(quarterOf(new Date('2026-04-01T00:00:00Z'))).toBe('2026-Q2');
    expect(quarterOf(new Date('2026-12-31T12:00:00Z'))).toBe('2026-Q4');
  });
});
