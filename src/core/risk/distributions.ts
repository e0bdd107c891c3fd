import type { Rng } from './random.js';
import { gammaQ, incompleteBeta, lnGamma, normalCdf, normalQuantile } from './special.js';

/** z such that Φ(z) = 0.95: a 90 % interval spans ±Z95 standard deviations. */
export const Z95 = 1.6448536269514722;

export type DistributionSpec =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'triangular'; low: number; mode: number; high: number }
  /** Beta-PERT from low / most likely / high; lambda weights the most likely value (default 4). */
  | { kind: 'pert'; low: number; mode: number; high: number; lambda?: number }
  /** Lognormal calibrated on a 90 % confidence interval: low is the 5th percentile, high the 95th. */
  | { kind: 'lognormal'; low: number; high: number }
  | { kind: 'poisson'; lambda: number };

export type DistributionKind = DistributionSpec['kind'];

/** Invalid distribution input. `field` names the offending input (e.g. `primaryLoss.low`) for forms and imports. */
export class DistributionError extends Error {
  override readonly name = 'DistributionError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface Bounds {
  /** Smallest admissible value (default 0: every quantity in the risk model is a count, a rate or money). */
  min?: number;
  /** Largest admissible value (1 for probabilities). */
  max?: number;
}

export interface Distribution {
  readonly spec: DistributionSpec;
  readonly mean: number;
  readonly variance: number;
  /** Support of the distribution (max may be Infinity). */
  readonly min: number;
  readonly max: number;
  sample(rng: Rng): number;
  /** Inverse CDF. Closed form for uniform, triangular, lognormal; numerical inversion for PERT and Poisson. */
  quantile(p: number): number;
  cdf(x: number): number;
}

const KINDS: readonly DistributionKind[] = [
  'constant',
  'uniform',
  'triangular',
  'pert',
  'lognormal',
  'poisson',
];

function num(field: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new DistributionError(
      field,
      `must be a number, got ${value === undefined ? 'nothing' : typeof value}`,
    );
  }
  if (Number.isNaN(value)) throw new DistributionError(field, 'must be a number, got NaN');
  if (!Number.isFinite(value)) throw new DistributionError(field, `must be finite, got ${value}`);
  return value;
}

function checkBounds(field: string, value: number, bounds: Bounds): void {
  const min = bounds.min ?? 0;
  if (value < min) {
    throw new DistributionError(
      field,
      min === 0 ? `must not be negative, got ${value}` : `must be at least ${min}, got ${value}`,
    );
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new DistributionError(field, `must be at most ${bounds.max}, got ${value}`);
  }
}

/**
 * Checks a distribution specification and returns a clean copy (unknown properties dropped). Throws
 * {@link DistributionError} naming the first offending field, prefixed with `field`.
 */
export function validateDistribution(
  spec: unknown,
  field = 'distribution',
  bounds: Bounds = {},
): DistributionSpec {
  if (spec === null || typeof spec !== 'object') {
    throw new DistributionError(field, 'must be an object with a "kind"');
  }
  const s = spec as Record<string, unknown>;
  if (typeof s.kind !== 'string' || !KINDS.includes(s.kind as DistributionKind)) {
    throw new DistributionError(`${field}.kind`, `must be one of ${KINDS.join(', ')}, got ${String(s.kind)}`);
  }
  const kind = s.kind as DistributionKind;
  const f = (name: string) => `${field}.${name}`;
  switch (kind) {
    case 'constant': {
      const value = num(f('value'), s.value);
      checkBounds(f('value'), value, bounds);
      return { kind: 'constant', value };
    }
    case 'poisson': {
      const lambda = num(f('lambda'), s.lambda);
      if (lambda < 0) throw new DistributionError(f('lambda'), `must not be negative, got ${lambda}`);
      return { kind: 'poisson', lambda };
    }
    case 'uniform':
    case 'lognormal': {
      const low = num(f('low'), s.low);
      const high = num(f('high'), s.high);
      if (low > high) throw new DistributionError(f('low'), `low (${low}) must not exceed high (${high})`);
      checkBounds(f('low'), low, bounds);
      checkBounds(f('high'), high, bounds);
      if (kind === 'lognormal' && low <= 0) {
        throw new DistributionError(
          f('low'),
          `a lognormal needs low > 0 (it is the 5th percentile), got ${low}`,
        );
      }
      return kind === 'uniform' ? { kind, low, high } : { kind: 'lognormal', low, high };
    }
    case 'triangular':
    case 'pert': {
      const low = num(f('low'), s.low);
      const mode = num(f('mode'), s.mode);
      const high = num(f('high'), s.high);
      if (low > high) throw new DistributionError(f('low'), `low (${low}) must not exceed high (${high})`);
      if (mode < low) throw new DistributionError(f('mode'), `most likely (${mode}) is below low (${low})`);
      if (mode > high)
        throw new DistributionError(f('mode'), `most likely (${mode}) is above high (${high})`);
      checkBounds(f('low'), low, bounds);
      checkBounds(f('high'), high, bounds);
      if (kind === 'triangular') return { kind, low, mode, high };
      if (s.lambda === undefined) return { kind, low, mode, high };
      const lambda = num(f('lambda'), s.lambda);
      if (lambda <= 0) throw new DistributionError(f('lambda'), `must be positive, got ${lambda}`);
      return { kind, low, mode, high, lambda };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Samplers. Kept as free functions on the Rng so the Monte Carlo loop does no allocation.

/** Gamma(shape, 1) by Marsaglia–Tsang; shapes below 1 use the u^(1/a) boost. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    return sampleGamma(rng, shape + 1) * rng.next() ** (1 / shape);
  }
  const d = shape - 1 / 3;
  return gammaMT(rng, d, 1 / Math.sqrt(9 * d));
}

/** Marsaglia–Tsang core with d = shape − 1/3 and c = 1/√(9d) precomputed by the caller (shape ≥ 1). */
function gammaMT(rng: Rng, d: number, c: number): number {
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next32();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(rng: Rng, alpha: number, beta: number): number {
  const x = sampleGamma(rng, alpha);
  const y = sampleGamma(rng, beta);
  return x / (x + y);
}

/** Beta sampler with the gamma constants precomputed; PERT shapes are always ≥ 1. */
function betaSampler(alpha: number, beta: number): (rng: Rng) => number {
  if (alpha < 1 || beta < 1) return (rng) => sampleBeta(rng, alpha, beta);
  const da = alpha - 1 / 3;
  const ca = 1 / Math.sqrt(9 * da);
  const db = beta - 1 / 3;
  const cb = 1 / Math.sqrt(9 * db);
  return (rng) => {
    const x = gammaMT(rng, da, ca);
    return x / (x + gammaMT(rng, db, cb));
  };
}

/**
 * Poisson deviate. Inversion by sequential search below λ = 10 (one uniform, O(λ) steps); Hörmann's PTRS
 * transformed rejection above, whose cost does not grow with λ, so thousands of events a year stay cheap.
 */
export function samplePoisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 10) {
    let p = Math.exp(-lambda);
    let s = p;
    const u = rng.next32();
    let k = 0;
    while (u > s && k < 200) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * loglam - lnGamma(k + 1)
    ) {
      return k;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Closed forms.

export function pertShape(
  low: number,
  mode: number,
  high: number,
  lambda = 4,
): { alpha: number; beta: number } {
  const range = high - low;
  if (range === 0) return { alpha: 1, beta: 1 };
  return { alpha: 1 + (lambda * (mode - low)) / range, beta: 1 + (lambda * (high - mode)) / range };
}

/** Mean of a beta-PERT: (low + λ·mode + high) / (λ + 2), i.e. (a + 4m + b) / 6 for the usual λ = 4. */
export function pertMean(low: number, mode: number, high: number, lambda = 4): number {
  return (low + lambda * mode + high) / (lambda + 2);
}

export function pertVariance(low: number, mode: number, high: number, lambda = 4): number {
  const mu = pertMean(low, mode, high, lambda);
  return ((mu - low) * (high - mu)) / (lambda + 3);
}

/** Parameters (μ, σ) of the underlying normal for a lognormal whose 5th / 95th percentiles are low / high. */
export function lognormalParams(low: number, high: number): { mu: number; sigma: number } {
  const ll = Math.log(low);
  const lh = Math.log(high);
  return { mu: (ll + lh) / 2, sigma: (lh - ll) / (2 * Z95) };
}

function bisect(cdf: (x: number) => number, p: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a), Math.abs(b)); i++) {
    const m = (a + b) / 2;
    if (cdf(m) < p) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

/** Returns p after checking it is a probability, so quantile functions can stay single expressions. */
function checkP(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new DistributionError('p', `a probability must be within [0, 1], got ${p}`);
  return p;
}

/** Builds a validated distribution with sampler and closed-form moments. */
export function distribution(
  spec: DistributionSpec | unknown,
  field = 'distribution',
  bounds: Bounds = {},
): Distribution {
  const s = validateDistribution(spec, field, bounds);
  switch (s.kind) {
    case 'constant': {
      const v = s.value;
      return {
        spec: s,
        mean: v,
        variance: 0,
        min: v,
        max: v,
        sample: () => v,
        quantile: (p) => {
          checkP(p);
          return v;
        },
        cdf: (x) => (x < v ? 0 : 1),
      };
    }
    case 'uniform': {
      const { low, high } = s;
      const w = high - low;
      return {
        spec: s,
        mean: (low + high) / 2,
        variance: (w * w) / 12,
        min: low,
        max: high,
        sample: (rng) => low + w * rng.next(),
        quantile: (p) => low + w * checkP(p),
        cdf: (x) => (x <= low ? (x < low || w > 0 ? 0 : 1) : x >= high ? 1 : (x - low) / w),
      };
    }
    case 'triangular': {
      const { low: a, mode: c, high: b } = s;
      const w = b - a;
      const fc = w === 0 ? 0 : (c - a) / w;
      const q = (p: number) =>
        p < fc ? a + Math.sqrt(p * w * (c - a)) : b - Math.sqrt((1 - p) * w * (b - c));
      return {
        spec: s,
        mean: (a + b + c) / 3,
        variance: (a * a + b * b + c * c - a * b - a * c - b * c) / 18,
        min: a,
        max: b,
        sample: (rng) => q(rng.next()),
        quantile: (p) => q(checkP(p)),
        cdf: (x) => {
          if (x < a) return 0;
          if (x >= b) return 1;
          if (x <= c) return ((x - a) * (x - a)) / (w * (c - a));
          return 1 - ((b - x) * (b - x)) / (w * (b - c));
        },
      };
    }
    case 'pert': {
      const { low, mode, high } = s;
      const lambda = s.lambda ?? 4;
      const w = high - low;
      const { alpha, beta } = pertShape(low, mode, high, lambda);
      const cdf = (x: number) => (x < low ? 0 : x >= high ? 1 : incompleteBeta((x - low) / w, alpha, beta));
      const beta01 = betaSampler(alpha, beta);
      return {
        spec: s,
        mean: pertMean(low, mode, high, lambda),
        variance: pertVariance(low, mode, high, lambda),
        min: low,
        max: high,
        sample: w === 0 ? () => low : (rng) => low + w * beta01(rng),
        quantile: (p) => {
          checkP(p);
          if (w === 0 || p === 0) return low;
          if (p === 1) return high;
          return bisect(cdf, p, low, high);
        },
        cdf,
      };
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(s.low, s.high);
      const s2 = sigma * sigma;
      return {
        spec: s,
        mean: Math.exp(mu + s2 / 2),
        variance: Math.expm1(s2) * Math.exp(2 * mu + s2),
        min: 0,
        max: sigma === 0 ? s.low : Number.POSITIVE_INFINITY,
        sample: (rng) => Math.exp(mu + sigma * rng.normal()),
        quantile: (p) => (checkP(p) === 0 ? 0 : Math.exp(mu + sigma * normalQuantile(p))),
        cdf: (x) => (x <= 0 ? 0 : sigma === 0 ? (x < s.low ? 0 : 1) : normalCdf((Math.log(x) - mu) / sigma)),
      };
    }
    case 'poisson': {
      const { lambda } = s;
      const cdf = (x: number) => (x < 0 ? 0 : lambda === 0 ? 1 : gammaQ(Math.floor(x) + 1, lambda));
      return {
        spec: s,
        mean: lambda,
        variance: lambda,
        min: 0,
        max: lambda === 0 ? 0 : Number.POSITIVE_INFINITY,
        sample: (rng) => samplePoisson(rng, lambda),
        quantile: (p) => {
          checkP(p);
          if (p === 1) return lambda === 0 ? 0 : Number.POSITIVE_INFINITY;
          let hi = Math.ceil(lambda + 10 * Math.sqrt(lambda) + 10);
          while (cdf(hi) < p) hi *= 2;
          let lo = -1;
          while (hi - lo > 1) {
            const m = Math.floor((lo + hi) / 2);
            if (cdf(m) >= p) hi = m;
            else lo = m;
          }
          return hi;
        },
        cdf,
      };
    }
  }
}

/** Convenience constructors. */
export const pert = (low: number, mode: number, high: number, lambda?: number): DistributionSpec =>
  lambda === undefined ? { kind: 'pert', low, mode, high } : { kind: 'pert', low, mode, high, lambda };
export const lognormal90 = (low: number, high: number): DistributionSpec => ({
  kind: 'lognormal',
  low,
  high,
});
export const uniform = (low: number, high: number): DistributionSpec => ({ kind: 'uniform', low, high });
export const triangular = (low: number, mode: number, high: number): DistributionSpec => ({
  kind: 'triangular',
  low,
  mode,
  high,
});
export const constant = (value: number): DistributionSpec => ({ kind: 'constant', value });
