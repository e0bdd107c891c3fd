import {
  type Bounds,
  type Distribution,
  DistributionError,
  type DistributionSpec,
  distribution,
  samplePoisson,
} from './distributions.js';
import { deriveSeed, Rng } from './random.js';
import { sortFloat64 } from './sort.js';

/**
 * FAIR (Factor Analysis of Information Risk) scenario: how often a loss event happens in a year and how much each
 * one costs. Frequencies are annual rates; magnitudes are in the organization's currency.
 */
export interface FairScenario {
  id: string;
  name?: string;
  /** Loss events per year. Give this, or threatEventFrequency together with vulnerability. */
  lossEventFrequency?: DistributionSpec;
  /** Threat events (attempts, contacts) per year. */
  threatEventFrequency?: DistributionSpec;
  /** Probability in [0, 1] that a threat event becomes a loss event. */
  vulnerability?: DistributionSpec | number;
  /** Primary loss per loss event (response, replacement, productivity). */
  primaryLoss: DistributionSpec;
  /** Secondary loss (fines, lawsuits, reputation) that follows a loss event with its own probability. */
  secondaryLoss?: { probability: DistributionSpec | number; magnitude: DistributionSpec };
}

export interface SimulationOptions {
  /** Monte Carlo trials (simulated years). Default 10,000. */
  trials?: number;
  /** Seed of the pseudo-random generator; the same seed and inputs give the same result. Default 1. */
  seed?: number;
  /** Points of the loss exceedance curve. Default 50. */
  curvePoints?: number;
  /** Return the per-trial annual losses (Float64Array) for charts or further analysis. */
  keepSamples?: boolean;
  /**
   * Above this many loss events in one simulated year, the year's total is drawn from the normal distribution
   * with the exact mean and variance of the sum (central limit theorem) instead of event by event. Default 1000.
   */
  exactEventLimit?: number;
}

export interface Percentiles {
  p10: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface ExceedancePoint {
  /** Annual loss. */
  loss: number;
  /** Probability that the annual loss is at least `loss`. */
  probability: number;
}

export interface FrequencyStats {
  /** Mean of the sampled annual loss event rate. */
  meanRate: number;
  /** Mean and standard deviation of the simulated number of loss events per year. */
  meanEvents: number;
  stdevEvents: number;
  /** Share of simulated years with at least one loss event. */
  probabilityOfEvent: number;
  maxEvents: number;
  eventPercentiles: Percentiles;
}

export interface LossSummary {
  trials: number;
  meanAnnualLoss: number;
  stdev: number;
  min: number;
  max: number;
  percentiles: Percentiles;
  lossExceedanceCurve: ExceedancePoint[];
}

export interface SimulationResult extends LossSummary {
  scenarioId: string;
  seed: number;
  frequency: FrequencyStats;
  samples?: Float64Array;
}

export interface PortfolioResult {
  seed: number;
  trials: number;
  /** Distribution of the sum of all scenarios' losses in the same simulated year. */
  total: LossSummary & { samples?: Float64Array };
  scenarios: SimulationResult[];
}

/** A reduction expressed as a fraction in [0, 1]: uniform between low and high, or PERT when mode is given. */
export type ReductionRange = { low: number; high: number; mode?: number } | DistributionSpec;

export interface Control {
  name?: string;
  /** Fraction of loss events the control prevents. */
  frequencyReduction?: ReductionRange;
  /** Fraction of each event's loss the control removes. */
  magnitudeReduction?: ReductionRange;
  /** Annual cost of the control (annualize one-off costs over the control's life). */
  cost: number;
}

export interface WhatIfResult {
  scenarioId: string;
  seed: number;
  before: SimulationResult;
  after: SimulationResult;
  /** Mean annualized loss before minus after. */
  riskReduction: number;
  /** Spread of the per-year reduction (the same simulated years with and without the control). */
  reductionPercentiles: Percentiles;
  cost: number;
  /** Risk reduction per unit of annual cost; Infinity for a free control that reduces risk. */
  reductionPerUnitCost: number;
  /** (riskReduction − cost) / cost. */
  returnOnControl: number;
}

/** Structural error in a scenario or options; `field` points at the offending input. */
export class FairError extends Error {
  override readonly name = 'FairError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const NON_NEGATIVE: Bounds = { min: 0 };
const PROBABILITY: Bounds = { min: 0, max: 1 };

interface Compiled {
  id: string;
  lef: Distribution | null;
  tef: Distribution | null;
  vuln: Distribution | null;
  primary: Distribution;
  secProb: Distribution | null;
  secondary: Distribution | null;
}

function probabilitySpec(v: DistributionSpec | number): DistributionSpec {
  return typeof v === 'number' ? { kind: 'constant', value: v } : v;
}

function compile(scenario: FairScenario, field: string): Compiled {
  if (scenario === null || typeof scenario !== 'object')
    throw new FairError(field, 'must be a scenario object');
  if (typeof scenario.id !== 'string' || scenario.id.length === 0) {
    throw new FairError(`${field}.id`, 'must be a non-empty string');
  }
  const hasLef = scenario.lossEventFrequency !== undefined;
  const hasTef = scenario.threatEventFrequency !== undefined || scenario.vulnerability !== undefined;
  if (hasLef && hasTef) {
    throw new FairError(
      `${field}.lossEventFrequency`,
      'give either lossEventFrequency or threatEventFrequency × vulnerability, not both',
    );
  }
  if (!hasLef && !hasTef) {
    throw new FairError(
      `${field}.lossEventFrequency`,
      'missing: give lossEventFrequency, or threatEventFrequency and vulnerability',
    );
  }
  let lef: Distribution | null = null;
  let tef: Distribution | null = null;
  let vuln: Distribution | null = null;
  if (hasLef) {
    lef = distribution(scenario.lossEventFrequency, `${field}.lossEventFrequency`, NON_NEGATIVE);
  } else {
    if (scenario.threatEventFrequency === undefined) {
      throw new FairError(`${field}.threatEventFrequency`, 'missing (vulnerability was given without it)');
    }
    if (scenario.vulnerability === undefined) {
      throw new FairError(`${field}.vulnerability`, 'missing (threatEventFrequency was given without it)');
    }
    tef = distribution(scenario.threatEventFrequency, `${field}.threatEventFrequency`, NON_NEGATIVE);
    vuln = distribution(probabilitySpec(scenario.vulnerability), `${field}.vulnerability`, PROBABILITY);
  }
  if (scenario.primaryLoss === undefined) throw new FairError(`${field}.primaryLoss`, 'missing');
  const primary = distribution(scenario.primaryLoss, `${field}.primaryLoss`, NON_NEGATIVE);
  let secProb: Distribution | null = null;
  let secondary: Distribution | null = null;
  if (scenario.secondaryLoss !== undefined) {
    const sl = scenario.secondaryLoss;
    if (sl === null || typeof sl !== 'object')
      throw new FairError(`${field}.secondaryLoss`, 'must be an object');
    if (sl.probability === undefined) throw new FairError(`${field}.secondaryLoss.probability`, 'missing');
    if (sl.magnitude === undefined) throw new FairError(`${field}.secondaryLoss.magnitude`, 'missing');
    secProb = distribution(
      probabilitySpec(sl.probability),
      `${field}.secondaryLoss.probability`,
      PROBABILITY,
    );
    secondary = distribution(sl.magnitude, `${field}.secondaryLoss.magnitude`, NON_NEGATIVE);
  }
  return { id: scenario.id, lef, tef, vuln, primary, secProb, secondary };
}

function reductionDistribution(r: ReductionRange, field: string): Distribution {
  if (r === null || typeof r !== 'object')
    throw new FairError(field, 'must be a range {low, high} or a distribution');
  if ('kind' in r) return distribution(r, field, PROBABILITY);
  const spec: DistributionSpec =
    r.mode === undefined
      ? { kind: 'uniform', low: r.low, high: r.high }
      : { kind: 'pert', low: r.low, mode: r.mode, high: r.high };
  return distribution(spec, field, PROBABILITY);
}

interface Opts {
  trials: number;
  seed: number;
  curvePoints: number;
  keepSamples: boolean;
  exactEventLimit: number;
}

function options(o: SimulationOptions | undefined): Opts {
  const trials = o?.trials ?? 10_000;
  if (!Number.isInteger(trials) || trials < 1 || trials > 50_000_000) {
    throw new FairError('trials', `must be an integer between 1 and 50,000,000, got ${trials}`);
  }
  const seed = o?.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new FairError('seed', `must be a safe integer, got ${seed}`);
  const curvePoints = o?.curvePoints ?? 50;
  if (!Number.isInteger(curvePoints) || curvePoints < 2 || curvePoints > 10_000) {
    throw new FairError('curvePoints', `must be an integer between 2 and 10,000, got ${curvePoints}`);
  }
  const exactEventLimit = o?.exactEventLimit ?? 1000;
  if (!Number.isInteger(exactEventLimit) || exactEventLimit < 1) {
    throw new FairError('exactEventLimit', `must be a positive integer, got ${exactEventLimit}`);
  }
  return { trials, seed, curvePoints, keepSamples: o?.keepSamples ?? false, exactEventLimit };
}

interface ControlState {
  rng: Rng;
  freq: Distribution | null;
  mag: Distribution | null;
  after: Float64Array;
}

/**
 * The Monte Carlo kernel: fills `losses[t]` and `events[t]` for each simulated year. Each loss event draws its own
 * primary (and possibly secondary) magnitude, so the annual loss is a compound Poisson sum.
 *
 * With a control, the same base draws are reused (common random numbers) and the control's own randomness comes
 * from a separate stream: prevented events are removed by thinning (each event survives with probability 1 − r,
 * which turns Poisson(λ) into Poisson(λ(1 − r)) exactly) and surviving losses are scaled by 1 − m. Hence the
 * "before" years are identical to a plain simulation and the difference before − after has low variance.
 */
function runKernel(
  c: Compiled,
  o: Opts,
  rng: Rng,
  losses: Float64Array,
  events: Int32Array,
  rates: Float64Array,
  control: ControlState | null,
): void {
  const { lef, tef, vuln, primary, secProb, secondary } = c;
  const limit = o.exactEventLimit;
  const pm = primary.mean;
  const pv = primary.variance;
  const sm = secondary ? secondary.mean : 0;
  const sv = secondary ? secondary.variance : 0;
  const crng = control ? control.rng : null;
  const cf = control ? control.freq : null;
  const cm = control ? control.mag : null;
  const after = control ? control.after : null;
  for (let t = 0; t < o.trials; t++) {
    const rate = lef !== null ? lef.sample(rng) : tef!.sample(rng) * vuln!.sample(rng);
    rates[t] = rate;
    const n = samplePoisson(rng, rate);
    events[t] = n;
    let loss = 0;
    let lossAfter = 0;
    if (n > 0) {
      const ps = secProb !== null ? secProb.sample(rng) : 0;
      const fr = cf !== null ? cf.sample(crng!) : 0;
      const mr = cm !== null ? cm.sample(crng!) : 0;
      if (n <= limit) {
        for (let k = 0; k < n; k++) {
          let x = primary.sample(rng);
          if (secondary !== null && rng.next32() < ps) x += secondary.sample(rng);
          loss += x;
          if (crng !== null && (fr === 0 || crng.next32() >= fr)) lossAfter += x;
        }
      } else {
        const em = pm + ps * sm;
        const ev = pv + ps * (sv + sm * sm) - ps * ps * sm * sm;
        loss = Math.max(0, n * em + Math.sqrt(n * ev) * rng.normal());
        if (crng !== null) {
          const kept = Math.round(n * (1 - fr) + Math.sqrt(n * fr * (1 - fr)) * crng.normal());
          lossAfter = (loss * Math.min(n, Math.max(0, kept))) / n;
        }
      }
      lossAfter *= 1 - mr;
    }
    losses[t] = loss;
    if (after !== null) after[t] = lossAfter;
  }
}

function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0];
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function percentilesOf(sorted: Float64Array): Percentiles {
  return {
    p10: quantileSorted(sorted, 0.1),
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
  };
}

/** Index of the first element ≥ x in a sorted array. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (sorted[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Loss exceedance curve at log-spaced losses between the smallest positive simulated loss (floored at max/10⁶ so
 * a few tiny losses do not stretch the axis) and the largest.
 */
function exceedanceCurve(sorted: Float64Array, points: number): ExceedancePoint[] {
  const n = sorted.length;
  const max = sorted[n - 1];
  if (!(max > 0)) return [];
  const firstPositive = lowerBound(sorted, Number.MIN_VALUE);
  const lo = Math.max(sorted[firstPositive], max * 1e-6);
  const curve: ExceedancePoint[] = [];
  if (lo === max) return [{ loss: max, probability: (n - firstPositive) / n }];
  const step = Math.log(max / lo) / (points - 1);
  for (let i = 0; i < points; i++) {
    const loss = i === points - 1 ? max : lo * Math.exp(step * i);
    curve.push({ loss, probability: (n - lowerBound(sorted, loss)) / n });
  }
  return curve;
}

function summarize(
  values: Float64Array,
  scratch: Float64Array,
  tmp: Float64Array,
  points: number,
): LossSummary {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  scratch.set(values);
  sortFloat64(scratch, tmp);
  return {
    trials: n,
    meanAnnualLoss: mean,
    stdev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: scratch[0],
    max: scratch[n - 1],
    percentiles: percentilesOf(scratch),
    lossExceedanceCurve: exceedanceCurve(scratch, points),
  };
}

function frequencyStats(events: Int32Array, rates: Float64Array): FrequencyStats {
  const n = events.length;
  let sum = 0;
  let sumRate = 0;
  let max = 0;
  let atLeastOne = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i];
    sum += e;
    sumRate += rates[i];
    if (e > max) max = e;
    if (e > 0) atLeastOne++;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (events[i] - mean) * (events[i] - mean);
  // Counts are small integers, so a histogram gives exact percentiles without sorting.
  const hist = new Float64Array(max + 1);
  for (let i = 0; i < n; i++) hist[events[i]]++;
  const pct = (p: number) => {
    const target = Math.ceil(p * n);
    let acc = 0;
    for (let k = 0; k <= max; k++) {
      acc += hist[k];
      if (acc >= target) return k;
    }
    return max;
  };
  return {
    meanRate: sumRate / n,
    meanEvents: mean,
    stdevEvents: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    probabilityOfEvent: atLeastOne / n,
    maxEvents: max,
    eventPercentiles: { p10: pct(0.1), p50: pct(0.5), p90: pct(0.9), p95: pct(0.95), p99: pct(0.99) },
  };
}

interface Buffers {
  losses: Float64Array;
  events: Int32Array;
  rates: Float64Array;
  scratch: Float64Array;
  tmp: Float64Array;
}

function buffers(trials: number): Buffers {
  return {
    losses: new Float64Array(trials),
    events: new Int32Array(trials),
    rates: new Float64Array(trials),
    scratch: new Float64Array(trials),
    tmp: new Float64Array(trials),
  };
}

function result(c: Compiled, o: Opts, b: Buffers, losses: Float64Array): SimulationResult {
  const summary = summarize(losses, b.scratch, b.tmp, o.curvePoints);
  const r: SimulationResult = {
    scenarioId: c.id,
    seed: o.seed,
    ...summary,
    frequency: frequencyStats(b.events, b.rates),
  };
  if (o.keepSamples) r.samples = losses.slice();
  return r;
}

/** Seed of a scenario's stream: keyed by id so a scenario's draws do not depend on its neighbours. */
function scenarioRng(seed: number, id: string): Rng {
  return new Rng(deriveSeed(seed, `scenario:${id}`));
}

/** Monte Carlo simulation of one scenario's annualized loss. */
export function simulate(scenario: FairScenario, opts?: SimulationOptions): SimulationResult {
  const o = options(opts);
  const c = compile(scenario, 'scenario');
  const b = buffers(o.trials);
  runKernel(c, o, scenarioRng(o.seed, c.id), b.losses, b.events, b.rates, null);
  return result(c, o, b, b.losses);
}

/**
 * Simulates several scenarios over the same simulated years and sums their losses per year. Scenarios are treated
 * as independent; each has its own stream keyed by its id, so its marginal result equals `simulate` with the same
 * seed.
 */
export function simulatePortfolio(
  scenarios: readonly FairScenario[],
  opts?: SimulationOptions,
): PortfolioResult {
  const o = options(opts);
  if (!Array.isArray(scenarios)) throw new FairError('scenarios', 'must be an array');
  const compiled = scenarios.map((s, i) => compile(s, `scenarios[${i}]`));
  const seen = new Map<string, number>();
  compiled.forEach((c, i) => {
    const prev = seen.get(c.id);
    if (prev !== undefined) {
      throw new FairError(`scenarios[${i}].id`, `duplicate id "${c.id}" (also scenarios[${prev}])`);
    }
    seen.set(c.id, i);
  });
  const b = buffers(o.trials);
  const total = new Float64Array(o.trials);
  const results: SimulationResult[] = [];
  for (const c of compiled) {
    runKernel(c, o, scenarioRng(o.seed, c.id), b.losses, b.events, b.rates, null);
    for (let t = 0; t < o.trials; t++) total[t] += b.losses[t];
    results.push(result(c, o, b, b.losses));
  }
  const totalSummary: LossSummary & { samples?: Float64Array } = summarize(
    total,
    b.scratch,
    b.tmp,
    o.curvePoints,
  );
  if (o.keepSamples) totalSummary.samples = total;
  return { seed: o.seed, trials: o.trials, total: totalSummary, scenarios: results };
}

/**
 * Effect of a control on one scenario, estimated with common random numbers: the same simulated years are
 * replayed with the control in place, so the difference reflects the control rather than sampling noise.
 */
export function whatIf(scenario: FairScenario, control: Control, opts?: SimulationOptions): WhatIfResult {
  const o = options(opts);
  const c = compile(scenario, 'scenario');
  if (control === null || typeof control !== 'object') throw new FairError('control', 'must be an object');
  if (typeof control.cost !== 'number' || !Number.isFinite(control.cost)) {
    throw new FairError('control.cost', `must be a finite number, got ${String(control.cost)}`);
  }
  if (control.cost < 0) throw new FairError('control.cost', `must not be negative, got ${control.cost}`);
  if (control.frequencyReduction === undefined && control.magnitudeReduction === undefined) {
    throw new FairError('control', 'give frequencyReduction and/or magnitudeReduction');
  }
  const freq =
    control.frequencyReduction === undefined
      ? null
      : reductionDistribution(control.frequencyReduction, 'control.frequencyReduction');
  const mag =
    control.magnitudeReduction === undefined
      ? null
      : reductionDistribution(control.magnitudeReduction, 'control.magnitudeReduction');
  const b = buffers(o.trials);
  const after = new Float64Array(o.trials);
  const state: ControlState = { rng: new Rng(deriveSeed(o.seed, `control:${c.id}`)), freq, mag, after };
  runKernel(c, o, scenarioRng(o.seed, c.id), b.losses, b.events, b.rates, state);
  const before = result(c, o, b, b.losses);
  const afterResult = result(c, o, b, after);
  // Event statistics of the "after" world are not tracked event by event; report the expected thinning instead.
  const keep = freq === null ? 1 : 1 - freq.mean;
  afterResult.frequency = {
    ...before.frequency,
    meanRate: before.frequency.meanRate * keep,
    meanEvents: before.frequency.meanEvents * keep,
  };
  const diff = new Float64Array(o.trials);
  for (let t = 0; t < o.trials; t++) diff[t] = b.losses[t] - after[t];
  sortFloat64(diff, b.tmp);
  const riskReduction = before.meanAnnualLoss - afterResult.meanAnnualLoss;
  const cost = control.cost;
  return {
    scenarioId: c.id,
    seed: o.seed,
    before,
    after: afterResult,
    riskReduction,
    reductionPercentiles: percentilesOf(diff),
    cost,
    reductionPerUnitCost: cost > 0 ? riskReduction / cost : riskReduction > 0 ? Number.POSITIVE_INFINITY : 0,
    returnOnControl:
      cost > 0 ? (riskReduction - cost) / cost : riskReduction > 0 ? Number.POSITIVE_INFINITY : 0,
  };
}

/**
 * Closed-form expected annualized loss: E[rate] × (E[primary] + E[p_secondary] × E[secondary]). Useful as a cross
 * check of the simulation and for ranking without simulating.
 */
export function expectedAnnualLoss(scenario: FairScenario): number {
  const c = compile(scenario, 'scenario');
  const rate = c.lef !== null ? c.lef.mean : c.tef!.mean * c.vuln!.mean;
  const perEvent = c.primary.mean + (c.secProb !== null ? c.secProb.mean * c.secondary!.mean : 0);
  return rate * perEvent;
}

/** Validates a scenario without simulating it; throws FairError or DistributionError with the field path. */
export function validateScenario(scenario: FairScenario, field = 'scenario'): void {
  compile(scenario, field);
}

export { DistributionError };
