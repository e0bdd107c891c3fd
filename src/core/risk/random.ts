import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

const ZIG_R = 3.442619855899;
const KN = new Float64Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
{
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}

/**
 * Seeded pseudo-random source for Monte Carlo work. A run is reproducible from its seed alone, which is what lets
 * a risk analyst re-create last quarter's figures exactly. Built on pure-rand's xoroshiro128+ (fast, 2^128 period).
 */
export class Rng {
  private readonly gen: JumpableRandomGenerator;

  constructor(seed: number | JumpableRandomGenerator) {
    if (typeof seed === 'number') {
      this.gen = xoroshiro128plus(normalizeSeed(seed));
      // The seeding places the seed almost verbatim in the state; a short warm-up decorrelates seeds 1, 2, 3 …
      for (let i = 0; i < 16; i++) this.gen.next();
    } else {
      this.gen = seed;
    }
  }

  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  getState(): readonly number[] {
    return this.gen.getState();
  }

  clone(): Rng {
    return new Rng(this.gen.clone());
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.gen.next() >>> 0;
  }

  /**
   * Uniform double strictly inside (0, 1) with 53 random bits. The open interval matters: callers take log(u)
   * and feed u to inverse CDFs, where 0 or 1 would produce infinities.
   */
  next(): number {
    const hi = this.gen.next() >>> 5; // 27 bits
    const lo = this.gen.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) * 1.1102230246251565e-16;
  }

  /**
   * Uniform double in (0, 1) from a single 32-bit draw: half the cost of {@link next}, for acceptance tests in
   * rejection samplers where 32 bits of resolution are plenty.
   */
  next32(): number {
    return ((this.gen.next() >>> 0) + 0.5) * 2.3283064365386963e-10;
  }

  /**
   * Standard normal deviate by the Marsaglia–Tsang ziggurat (128 layers): about 99 % of draws cost two integer
   * draws and a table lookup, no logarithm or trigonometry, which matters because gamma (hence PERT) and
   * lognormal sampling call it millions of times. The layer index comes from a separate draw than the magnitude
   * (Doornik's fix for the correlation in the original).
   */
  normal(): number {
    for (;;) {
      const hz = this.gen.next() | 0;
      const iz = this.gen.next() >>> 25;
      if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
      if (iz === 0) {
        // Base layer: sample the tail beyond R exactly (Marsaglia 1964).
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.next()) / ZIG_R;
          y = -Math.log(this.next());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = hz * WN[iz];
      if (FN[iz] + this.next() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** Independent stream derived from this generator's seed lineage and a key (see {@link deriveSeed}). */
  static forStream(seed: number, key: string | number): Rng {
    return new Rng(deriveSeed(seed, key));
  }
}

/** Folds any safe integer into 32 bits so seeds larger than 2^32 are still honoured rather than truncated. */
export function normalizeSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${String(seed)}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return (lo ^ Math.imul(hi, 0x9e3779b1)) | 0;
}

/**
 * Derives a 32-bit seed for a named sub-stream. Giving each scenario its own stream keyed by its id means a
 * scenario's result does not change when other scenarios are added to or removed from a portfolio.
 */
export function deriveSeed(seed: number, key: string | number): number {
  let h = normalizeSeed(seed) ^ 0x811c9dc5;
  const text = typeof key === 'number' ? `#${key}` : key;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  // murmur3 finalizer: FNV alone leaves nearby keys with correlated low bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export function createRng(seed: number): Rng {
  return new Rng(seed);
}
