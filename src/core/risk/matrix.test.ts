import { describe, expect, it } from 'vitest';
import {
  defaultMatrix,
  heatMap,
  inherentVsResidual,
  MatrixError,
  nextReviewDate,
  type RiskMatrix,
  reviewCadenceDays,
  riskLevel,
  validateMatrix,
} from './matrix.js';

function fieldOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof MatrixError) return e.field;
    throw e;
  }
  return undefined;
}

describe('risk matrix', () => {
  it('default 5 × 5 is valid and maps every cell', () => {
    const m = defaultMatrix();
    expect(() => validateMatrix(m)).not.toThrow();
    expect(riskLevel(m, 1, 1).level.id).toBe('low');
    expect(riskLevel(m, 3, 3).level.id).toBe('medium');
    expect(riskLevel(m, 4, 4).level.id).toBe('high');
    expect(riskLevel(m, 5, 4).level.id).toBe('critical');
    expect(riskLevel(m, 5, 5).score).toBe(25);
    const grid = heatMap(m);
    expect(grid.length).toBe(5);
    expect(grid[0][4].level.id).toBe('critical');
    expect(grid[4][0].level.id).toBe('low');
  });
  it('rejects a matrix without a level, gaps and overlaps precisely', () => {
    const m = defaultMatrix();
    expect(() => validateMatrix({ ...m, levels: [] })).toThrow('levels: the matrix has no level');
    const gap: RiskMatrix = { ...m, levels: m.levels.filter((l) => l.id !== 'medium') };
    expect(() => validateMatrix(gap)).toThrow(/gap: likelihood 1 × impact 5 \(score 5\)/);
    const overlap: RiskMatrix = {
      ...m,
      levels: m.levels.map((l) => (l.id === 'high' ? { ...l, minScore: 9 } : l)),
    };
    expect(() => validateMatrix(overlap)).toThrow(/overlaps 5–9 of "medium"/);
    expect(fieldOf(() => validateMatrix({ ...m, levels: [{ ...m.levels[0], colour: 'red' }] }))).toBe(
      'levels[0].colour',
    );
    expect(fieldOf(() => validateMatrix({ ...m, likelihoods: [{ value: 2, label: 'x' }] }))).toBe(
      'likelihoods[0].value',
    );
  });
  it('supports explicit cells and editable labels', () => {
    const m = defaultMatrix();
    const cells: string[][] = m.likelihoods.map(() =>
      m.impacts.map((_, i) => (i === 4 ? 'critical' : 'low')),
    );
    const custom: RiskMatrix = { ...m, cells };
    validateMatrix(custom);
    expect(riskLevel(custom, 1, 5).level.id).toBe('critical');
    cells[2][1] = 'nope';
    expect(() => validateMatrix(custom)).toThrow(
      'cells[2][1]: likelihood 3 × impact 2 maps to unknown level',
    );
  });
  it('rejects ratings outside the scale', () => {
    expect(() => riskLevel(defaultMatrix(), 6, 1)).toThrow('likelihood: must be an integer from 1 to 5');
    expect(() => riskLevel(defaultMatrix(), 1, 0)).toThrow('impact');
  });
  it('review cadence and inherent vs residual', () => {
    const m = defaultMatrix();
    expect(reviewCadenceDays(m, 'critical')).toBe(30);
    expect(
      nextReviewDate(m, { likelihood: 5, impact: 5 }, new Date('2026-01-01T00:00:00Z')).toISOString(),
    ).toBe('2026-01-31T00:00:00.000Z');
    const r = inherentVsResidual(m, { likelihood: 5, impact: 4 }, { likelihoodSteps: 3 });
    expect(r.inherent.level.id).toBe('critical');
    expect(r.residual.likelihood).toBe(2);
    expect(r.residual.level.id).toBe('medium');
    expect(r.levelsReduced).toBe(2);
    expect(r.consistent).toBe(true);
    const bad = inherentVsResidual(m, { likelihood: 2, impact: 2 }, { likelihood: 3, impact: 2 });
    expect(bad.consistent).toBe(false);
  });
});
