/** Seeded random numbers for simulations (reproducible from a seed). */
import { expNeg } from './fast-exp.js';

/** xoshiro128** by Blackman & Vigna: fast, 32-bit, good statistical quality. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    // splitmix32 to spread the seed over the state
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** uniform in [0, 1) */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** standard normal (Marsaglia polar method) */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /**
   * Poisson-distributed count with mean `lambda`: exact below 30 (inversion
   * of the CDF with one uniform, so a small mean costs one draw), the normal
   * approximation above
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const u = this.uniform();
      let p = expNeg(lambda);
      let cdf = p;
      let k = 0;
      // the CDF reaches 1 up to rounding; stop where the terms no longer add anything
      while (u >= cdf && p > 0) {
        k++;
        p *= lambda / k;
        cdf += p;
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }

  /** exponential waiting time with rate `rate` (1/unit) */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /** power law dN/dE ∝ E^-index between eMin and eMax (index != 1) */
  powerLaw(index: number, eMin: number, eMax: number): number {
    const g = 1 - index;
    const a = Math.pow(eMin, g);
    const b = Math.pow(eMax, g);
    return Math.pow(a + (b - a) * this.uniform(), 1 / g);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
