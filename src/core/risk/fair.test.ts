import { describe, expect, it } from 'vitest';
import { DistributionError } from './distributions.js';
import {
  expectedAnnualLoss,
  FairError,
  type FairScenario,
  simulate,
  simulatePortfolio,
  whatIf,
} from './fair.js';

const ransomware: FairScenario = {
  id: 'ransomware-911',
  lossEventFrequency: { kind: 'pert', low: 0.1, mode: 0.5, high: 2 },
  primaryLoss: { kind: 'lognormal', low: 50_000, high: 2_000_000 },
  secondaryLoss: {
    probability: { kind: 'pert', low: 0.1, mode: 0.3, high: 0.6 },
    magnitude: { kind: 'pert', low: 10_000, mode: 100_000, high: 1_000_000 },
  },
};

const phishing: FairScenario = {
  id: 'phishing',
  threatEventFrequency: { kind: 'lognormal', low: 20, high: 200 },
  vulnerability: { kind: 'pert', low: 0.01, mode: 0.03, high: 0.1 },
  primaryLoss: { kind: 'pert', low: 1_000, mode: 5_000, high: 50_000 },
};

describe('simulate', () => {
  it('mean annualized loss agrees with the closed form E[rate] × E[loss per event]', () => {
    for (const s of [ransomware, phishing]) {
      const r = simulate(s, { trials: 200_000, seed: 1 });
      const expected = expectedAnnualLoss(s);
      expect(Math.abs(r.meanAnnualLoss / expected - 1), s.id).toBeLessThan(0.02);
    }
  });
  it('Poisson frequency: events per year have mean E[λ] and variance E[λ] + Var[λ]', () => {
    const s: FairScenario = {
      id: 'f',
      lossEventFrequency: { kind: 'constant', value: 3 },
      primaryLoss: { kind: 'constant', value: 100 },
    };
    const r = simulate(s, { trials: 200_000, seed: 3 });
    expect(r.frequency.meanEvents).toBeCloseTo(3, 1);
    expect(r.frequency.stdevEvents ** 2).toBeCloseTo(3, 1);
    expect(r.frequency.probabilityOfEvent).toBeCloseTo(1 - Math.exp(-3), 2);
    expect(r.meanAnnualLoss).toBeCloseTo(300, -1);
    // Constant magnitude: annual loss is exactly 100 × events, so percentiles are Poisson(3) quantiles × 100.
    expect(r.percentiles.p50).toBe(300);
    expect(r.percentiles.p90).toBe(500);
  });
  it('is reproducible with the same seed and differs with another', () => {
    const a = simulate(ransomware, { trials: 20_000, seed: 99 });
    const b = simulate(ransomware, { trials: 20_000, seed: 99 });
    const c = simulate(ransomware, { trials: 20_000, seed: 100 });
    expect(a).toEqual(b);
    expect(a.meanAnnualLoss).not.toBe(c.meanAnnualLoss);
  });
  it('returns ordered percentiles and a monotone loss exceedance curve', () => {
    const r = simulate(ransomware, { trials: 50_000, seed: 5, keepSamples: true });
    const p = r.percentiles;
    expect(p.p10).toBeLessThanOrEqual(p.p50);
    expect(p.p50).toBeLessThanOrEqual(p.p90);
    expect(p.p90).toBeLessThanOrEqual(p.p95);
    expect(p.p95).toBeLessThanOrEqual(p.p99);
    const lec = r.lossExceedanceCurve;
    expect(lec.length).toBe(50);
    for (let i = 1; i < lec.length; i++) {
      expect(lec[i].loss).toBeGreaterThan(lec[i - 1].loss);
      expect(lec[i].probability).toBeLessThanOrEqual(lec[i - 1].probability);
    }
    expect(lec[lec.length - 1].loss).toBe(r.max);
    expect(lec[lec.length - 1].probability).toBeCloseTo(1 / 50_000, 10);
    // Exceedance at P90 is about 10 %.
    const samples = r.samples!;
    const above = samples.filter((x) => x >= p.p90).length / samples.length;
    expect(above).toBeCloseTo(0.1, 2);
  });
  it('large frequencies use the normal approximation with the exact mean', () => {
    const s: FairScenario = {
      id: 'spam',
      lossEventFrequency: { kind: 'constant', value: 20_000 },
      primaryLoss: { kind: 'pert', low: 1, mode: 5, high: 30 },
    };
    const r = simulate(s, { trials: 20_000, seed: 2 });
    expect(r.meanAnnualLoss / expectedAnnualLoss(s)).toBeCloseTo(1, 2);
  });
  it('rejects bad inputs with the field path', () => {
    expect(() =>
      simulate({ ...ransomware, primaryLoss: { kind: 'pert', low: 5, mode: 3, high: 1 } }),
    ).toThrow(DistributionError);
    try {
      simulate({ ...phishing, vulnerability: { kind: 'uniform', low: 0.5, high: 1.2 } });
    } catch (e) {
      expect((e as DistributionError).field).toBe('scenario.vulnerability.high');
    }
    expect(() => simulate({ id: 'x', primaryLoss: { kind: 'constant', value: 1 } })).toThrow(FairError);
    expect(() => simulate({ ...ransomware, threatEventFrequency: phishing.threatEventFrequency })).toThrow(
      /not both/,
    );
    expect(() => simulate(ransomware, { trials: 0 })).toThrow('trials: must be an integer');
    expect(() => simulate(ransomware, { seed: 0.5 })).toThrow('seed: must be a safe integer');
  });
});

describe('simulatePortfolio', () => {
  it('sums per trial; each scenario equals its own simulation with the same seed', () => {
    const opts = { trials: 20_000, seed: 8 };
    const p = simulatePortfolio([ransomware, phishing], opts);
    const a = simulate(ransomware, opts);
    const b = simulate(phishing, opts);
    expect(p.scenarios[0].meanAnnualLoss).toBe(a.meanAnnualLoss);
    expect(p.scenarios[1].percentiles).toEqual(b.percentiles);
    expect(p.total.meanAnnualLoss).toBeCloseTo(a.meanAnnualLoss + b.meanAnnualLoss, 0);
    // Order of scenarios does not change results.
    const q = simulatePortfolio([phishing, ransomware], opts);
    expect(q.total.meanAnnualLoss).toBeCloseTo(p.total.meanAnnualLoss, 4);
    expect(q.total.percentiles.p99).toBe(p.total.percentiles.p99);
  });
  it('rejects duplicate ids', () => {
    expect(() => simulatePortfolio([ransomware, ransomware])).toThrow('scenarios[1].id: duplicate id');
  });
});

describe('whatIf', () => {
  it('frequency reduction r removes about r of the expected loss, with common random numbers', () => {
    const res = whatIf(
      ransomware,
      { frequencyReduction: { low: 0.4, high: 0.6 }, cost: 50_000 },
      { trials: 100_000, seed: 4 },
    );
    const base = simulate(ransomware, { trials: 100_000, seed: 4 });
    expect(res.before.meanAnnualLoss).toBe(base.meanAnnualLoss);
    expect(res.riskReduction / res.before.meanAnnualLoss).toBeCloseTo(0.5, 1);
    expect(res.reductionPerUnitCost).toBeCloseTo(res.riskReduction / 50_000, 10);
    expect(res.reductionPercentiles.p10).toBeGreaterThanOrEqual(0);
    expect(res.after.meanAnnualLoss).toBeLessThan(res.before.meanAnnualLoss);
  });
  it('magnitude reduction scales losses; a free effective control has infinite value per cost', () => {
    const res = whatIf(
      phishing,
      { magnitudeReduction: { kind: 'constant', value: 0.25 }, cost: 0 },
      { trials: 20_000, seed: 4 },
    );
    expect(res.after.meanAnnualLoss).toBeCloseTo(0.75 * res.before.meanAnnualLoss, 6);
    expect(res.reductionPerUnitCost).toBe(Number.POSITIVE_INFINITY);
  });
  it('validates the control', () => {
    expect(() => whatIf(phishing, { cost: 10 })).toThrow(/frequencyReduction and\/or magnitudeReduction/);
    expect(() => whatIf(phishing, { frequencyReduction: { low: 0.2, high: 1.3 }, cost: 1 })).toThrow(
      'control.frequencyReduction.high',
    );
    expect(() => whatIf(phishing, { magnitudeReduction: { low: 0.1, high: 0.2 }, cost: -5 })).toThrow(
      'control.cost: must not be negative',
    );
  });
});
