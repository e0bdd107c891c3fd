import { describe, expect, it } from 'vitest';
import {
  DistributionError,
  distribution,
  lognormalParams,
  pertMean,
  sampleGamma,
  samplePoisson,
  validateDistribution,
  Z95,
} from './distributions.js';
import { deriveSeed, Rng } from './random.js';
import { sortFloat64 } from './sort.js';
import { gammaQ, incompleteBeta, normalCdf, normalQuantile } from './special.js';

const N = 200_000;

function draw(spec: Parameters<typeof distribution>[0], seed = 42, n = N): Float64Array {
  const d = distribution(spec);
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = d.sample(rng);
  return out;
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s / a.length;
}

function variance(a: Float64Array): number {
  const m = mean(a);
  let s = 0;
  for (const x of a) s += (x - m) * (x - m);
  return s / (a.length - 1);
}

function empiricalQuantile(a: Float64Array, p: number): number {
  const s = a.slice().sort();
  return s[Math.floor(p * (s.length - 1))];
}

describe('special functions (reference values from SciPy)', () => {
  it('normal quantile', () => {
    const cases: [number, number][] = [
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, z] of cases) expect(normalQuantile(p)).toBeCloseTo(z, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(Z95, 14);
  });
  it('normal CDF', () => {
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 8);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 14);
    expect(normalCdf(-1.5)).toBeCloseTo(0.06680720126885807, 14);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(0.7)).toBeCloseTo(0.758036347776927, 14);
    expect(normalCdf(2.5)).toBeCloseTo(0.9937903346742238, 14);
  });
  it('incomplete beta and gamma', () => {
    const al = 1 + (4 * 30) / 190;
    const be = 1 + (4 * 160) / 190;
    expect(incompleteBeta(90 / 190, al, be)).toBeCloseTo(0.8661607859658217, 12);
    // Poisson CDF P(N ≤ k) = Q(k + 1, λ)
    expect(gammaQ(4, 2.5)).toBeCloseTo(0.7575761331330662, 13);
    expect(gammaQ(121, 100)).toBeCloseTo(0.9773306709216473, 12);
  });
});

describe('PERT', () => {
  const spec = { kind: 'pert', low: 10, mode: 40, high: 200 } as const;
  it('closed-form mean (a + 4m + b) / 6 and variance', () => {
    const d = distribution(spec);
    expect(d.mean).toBeCloseTo((10 + 160 + 200) / 6, 12);
    expect(pertMean(10, 40, 200)).toBeCloseTo(370 / 6, 12);
    const mu = 370 / 6;
    expect(d.variance).toBeCloseTo(((mu - 10) * (200 - mu)) / 7, 10);
  });
  it('quantiles match SciPy beta.ppf', () => {
    const d = distribution(spec);
    expect(d.quantile(0.05)).toBeCloseTo(18.694568112818896, 8);
    expect(d.quantile(0.5)).toBeCloseTo(56.63663921401796, 8);
    expect(d.quantile(0.95)).toBeCloseTo(121.9381509057191, 8);
    expect(d.quantile(0.99)).toBeCloseTo(147.16472219763654, 8);
  });
  it('samples agree with closed forms (fixed seed)', () => {
    const d = distribution(spec);
    const x = draw(spec);
    const se = Math.sqrt(d.variance / N);
    expect(Math.abs(mean(x) - d.mean)).toBeLessThan(4 * se);
    expect(variance(x) / d.variance).toBeCloseTo(1, 1);
    for (const p of [0.1, 0.5, 0.9, 0.95]) {
      expect(Math.abs(empiricalQuantile(x, p) - d.quantile(p)) / d.quantile(p)).toBeLessThan(0.01);
    }
    expect(x.every((v) => v >= 10 && v <= 200)).toBe(true);
  });
  it('custom lambda and degenerate range', () => {
    expect(distribution({ kind: 'pert', low: 0, mode: 1, high: 4, lambda: 2 }).mean).toBeCloseTo(6 / 4, 12);
    const d = distribution({ kind: 'pert', low: 5, mode: 5, high: 5 });
    expect(d.sample(new Rng(1))).toBe(5);
    expect(d.quantile(0.3)).toBe(5);
  });
});

describe('lognormal from a 90 % interval', () => {
  const spec = { kind: 'lognormal', low: 10_000, high: 1_000_000 } as const;
  it('5th and 95th percentiles are low and high; closed-form mean', () => {
    const d = distribution(spec);
    expect(d.quantile(0.05)).toBeCloseTo(10_000, 6);
    expect(d.quantile(0.95)).toBeCloseTo(1_000_000, 4);
    expect(d.quantile(0.5)).toBeCloseTo(100_000, 6);
    const { mu, sigma } = lognormalParams(10_000, 1_000_000);
    expect(d.mean).toBeCloseTo(Math.exp(mu + (sigma * sigma) / 2), 6);
    expect(d.cdf(1_000_000)).toBeCloseTo(0.95, 12);
  });
  it('samples agree with closed forms (fixed seed)', () => {
    const d = distribution(spec);
    const x = draw(spec, 7);
    expect(Math.abs(mean(x) / d.mean - 1)).toBeLessThan(0.02);
    for (const p of [0.05, 0.5, 0.95]) {
      expect(Math.abs(empiricalQuantile(x, p) / d.quantile(p) - 1)).toBeLessThan(0.02);
    }
  });
});

describe('Poisson, uniform, triangular, gamma', () => {
  it('Poisson mean and variance equal λ, small and large λ', () => {
    for (const lambda of [0.3, 2.5, 9.9, 10, 100, 5000]) {
      const rng = new Rng(11);
      const x = new Float64Array(N);
      for (let i = 0; i < N; i++) x[i] = samplePoisson(rng, lambda);
      const se = Math.sqrt(lambda / N);
      expect(Math.abs(mean(x) - lambda)).toBeLessThan(4.5 * se);
      expect(Math.abs(variance(x) / lambda - 1)).toBeLessThan(0.02);
      expect(x.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    }
    expect(samplePoisson(new Rng(1), 0)).toBe(0);
  });
  it('Poisson CDF and quantile', () => {
    const d = distribution({ kind: 'poisson', lambda: 100 });
    expect(d.cdf(120)).toBeCloseTo(0.9773306709216473, 12);
    expect(d.quantile(0.9)).toBe(113);
    expect(distribution({ kind: 'poisson', lambda: 2.5 }).quantile(0.5)).toBe(2);
  });
  it('uniform and triangular closed forms', () => {
    const u = distribution({ kind: 'uniform', low: 2, high: 6 });
    expect([u.mean, u.variance, u.quantile(0.25)]).toEqual([4, 16 / 12, 3]);
    const t = distribution({ kind: 'triangular', low: 0, mode: 3, high: 6 });
    expect(t.mean).toBe(3);
    expect(t.quantile(0.5)).toBeCloseTo(3, 12);
    expect(t.cdf(t.quantile(0.2))).toBeCloseTo(0.2, 12);
    const x = draw({ kind: 'triangular', low: 0, mode: 1, high: 10 });
    expect(Math.abs(mean(x) - 11 / 3)).toBeLessThan(0.02);
  });
  it('gamma mean = shape for shapes below and above 1', () => {
    for (const shape of [0.4, 1, 3.7]) {
      const rng = new Rng(5);
      let s = 0;
      for (let i = 0; i < N; i++) s += sampleGamma(rng, shape);
      expect(Math.abs(s / N - shape)).toBeLessThan(4 * Math.sqrt(shape / N));
    }
  });
  it('ziggurat normal has the right tails', () => {
    const rng = new Rng(9);
    let beyond2 = 0;
    let beyond35 = 0;
    const n = 1_000_000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      if (Math.abs(z) > 2) beyond2++;
      if (z > 3.5) beyond35++;
    }
    expect(beyond2 / n).toBeCloseTo(2 * normalCdf(-2), 3);
    expect(Math.abs(beyond35 - n * normalCdf(-3.5))).toBeLessThan(4 * Math.sqrt(n * normalCdf(-3.5)));
  });
});

describe('seeded generator', () => {
  it('same seed → same sequence; different seeds differ', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const c = new Rng(124);
    const sa = Array.from({ length: 5 }, () => a.next());
    const sb = Array.from({ length: 5 }, () => b.next());
    const sc = Array.from({ length: 5 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(sa.every((x) => x > 0 && x < 1)).toBe(true);
  });
  it('state round-trips and streams are keyed', () => {
    const a = new Rng(1);
    a.next();
    const b = Rng.fromState(a.getState());
    expect(b.next()).toBe(a.next());
    expect(deriveSeed(1, 'x')).toBe(deriveSeed(1, 'x'));
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(1, 'y'));
    expect(() => new Rng(1.5)).toThrow(/safe integer/);
  });
});

describe('validation', () => {
  it('low > high, negative, NaN, bad mode, bad kind', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'pert', low: 10, mode: 5, high: 1 }, 'd.low'],
      [{ kind: 'pert', low: 1, mode: 50, high: 10 }, 'd.mode'],
      [{ kind: 'uniform', low: -1, high: 1 }, 'd.low'],
      [{ kind: 'lognormal', low: Number.NaN, high: 1 }, 'd.low'],
      [{ kind: 'lognormal', low: 0, high: 1 }, 'd.low'],
      [{ kind: 'triangular', low: 0, mode: 0, high: Number.POSITIVE_INFINITY }, 'd.high'],
      [{ kind: 'weibull', low: 0, high: 1 }, 'd.kind'],
      [{ kind: 'poisson', lambda: -2 }, 'd.lambda'],
      [{ kind: 'pert', low: 0, mode: 0.5, high: 1, lambda: 0 }, 'd.lambda'],
      [null, 'd'],
    ];
    for (const [spec, field] of cases) {
      let err: unknown;
      try {
        validateDistribution(spec, 'd');
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(spec)).toBeInstanceOf(DistributionError);
      expect((err as DistributionError).field, JSON.stringify(spec)).toBe(field);
    }
    expect(() => validateDistribution({ kind: 'pert', low: 10, mode: 5, high: 1 }, 'x')).toThrow(
      'x.low: low (10) must not exceed high (1)',
    );
    expect(() => validateDistribution({ kind: 'uniform', low: 0, high: 1.5 }, 'p', { max: 1 })).toThrow(
      'p.high: must be at most 1, got 1.5',
    );
  });
});

describe('radix sort', () => {
  it('sorts non-negative values and falls back for others', () => {
    const rng = new Rng(2);
    for (const gen of [
      () => (rng.next() < 0.3 ? 0 : Math.exp(rng.next() * 30)),
      () => 1e6 + rng.next() * 1e-3,
      () => Math.floor(rng.next() * 5),
      () => rng.next() - 0.5,
    ]) {
      const a = new Float64Array(5000);
      for (let i = 0; i < a.length; i++) a[i] = gen();
      const expected = a.slice().sort();
      sortFloat64(a);
      expect(Array.from(a)).toEqual(Array.from(expected));
    }
  });
});
