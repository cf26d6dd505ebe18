/**
 * Accumulated pixel maps per telescope: mean and spread of the charge, and
 * how often each pixel survives cleaning, with hot and dead pixels flagged
 * (criteria in the LivePixelMap docs of live-contract.ts).
 */
import type { LivePixelMap, LivePixelMaps } from '../api/live-contract.js';

/** images needed before pixels are flagged */
export const MIN_IMAGES_FOR_FLAGS = 50;
/** a pixel whose charge never varies by more than this is dead, p.e. */
export const DEAD_STD_PE = 1e-3;

interface Accumulator {
  camera: string;
  n: number;
  images: number;
  sum: Float64Array;
  sumSq: Float64Array;
  survived: Uint32Array;
}

function median(a: Float32Array): number {
  const s = a.slice().sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

export class PixelMaps {
  private acc = new Map<number, Accumulator>();
  private seq = 0;

  /** `hotPixelFactor`: see AlarmThresholds */
  constructor(private hotPixelFactor: () => number) {}

  add(telId: number, camera: string, image: Float32Array, mask: Uint8Array): void {
    let a = this.acc.get(telId);
    const n = image.length;
    if (!a || a.n !== n) {
      a = { camera, n, images: 0, sum: new Float64Array(n), sumSq: new Float64Array(n), survived: new Uint32Array(n) };
      this.acc.set(telId, a);
    }
    a.images++;
    const { sum, sumSq, survived } = a;
    for (let i = 0; i < n; i++) {
      const v = image[i];
      sum[i] += v;
      sumSq[i] += v * v;
      survived[i] += mask[i];
    }
  }

  /** merges sums over a batch of images (computed in the worker: pixelSumsOf) */
  addSums(telId: number, camera: string, images: number, sum: Float64Array, sumSq: Float64Array, survived: Uint32Array): void {
    let a = this.acc.get(telId);
    const n = sum.length;
    if (!a || a.n !== n) {
      a = { camera, n, images: 0, sum: new Float64Array(n), sumSq: new Float64Array(n), survived: new Uint32Array(n) };
      this.acc.set(telId, a);
    }
    a.images += images;
    for (let i = 0; i < n; i++) {
      a.sum[i] += sum[i];
      a.sumSq[i] += sumSq[i];
      a.survived[i] += survived[i];
    }
  }

  reset(telIds?: readonly number[]): void {
    if (!telIds) this.acc.clear();
    else for (const t of telIds) this.acc.delete(t);
  }

  map(telId: number): LivePixelMap | undefined {
    const a = this.acc.get(telId);
    if (!a) return undefined;
    const { n, images } = a;
    const meanImage = new Float32Array(n);
    const stdImage = new Float32Array(n);
    const survivalFraction = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const m = a.sum[i] / images;
      meanImage[i] = m;
      stdImage[i] = Math.sqrt(Math.max(0, a.sumSq[i] / images - m * m));
      survivalFraction[i] = a.survived[i] / images;
    }
    const hot: number[] = [];
    const dead: number[] = [];
    if (images >= MIN_IMAGES_FOR_FLAGS) {
      const f = this.hotPixelFactor();
      const chargeLimit = f * Math.max(median(meanImage), 0.5);
      const survivalLimit = f * Math.max(median(survivalFraction), 0.01);
      for (let i = 0; i < n; i++) {
        if (stdImage[i] < DEAD_STD_PE) dead.push(i);
        else if (meanImage[i] > chargeLimit || survivalFraction[i] > survivalLimit) hot.push(i);
      }
    }
    return { telId, camera: a.camera, nPixels: n, images, meanImage, stdImage, survivalFraction, hotPixels: Uint32Array.from(hot), deadPixels: Uint32Array.from(dead) };
  }

  snapshot(): LivePixelMaps {
    const telescopes: LivePixelMap[] = [];
    for (const tel of [...this.acc.keys()].sort((a, b) => a - b)) telescopes.push(this.map(tel)!);
    return { seq: ++this.seq, time: Date.now() / 1000, telescopes };
  }
}
