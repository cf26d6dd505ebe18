/**
 * Accumulated pixel maps per telescope: mean and spread of the charge, and
 * how often each pixel survives cleaning, with hot and dead pixels flagged
 * (criteria in the LivePixelMap docs of live-contract.ts).
 *
 * A hot pixel is one that stands out against its own neighbours, not
 * against the whole camera: showers from a source at the pointing land in
 * the same part of the camera every time, so the pixels there have a high
 * mean charge and survive cleaning often, together with their neighbours.
 * Comparing with the camera median flagged hundreds of such pixels on every
 * simulated run; the median of the neighbours does not. Cameras whose
 * geometry is unknown fall back to the camera median.
 */
import type { LivePixelMap, LivePixelMaps } from '../api/live-contract.js';
import { computePixelNeighbors, type PixelNeighbors } from '../../src-worker/instrument/neighbors.js';
import { loadCameraGeometry } from '../../src-worker/io/assets/load-camera-geometry.js';

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

const neighborCache = new Map<string, PixelNeighbors | null>();

/** Neighbours of a shipped camera (ctapipe's rule), or undefined for cameras Lightpool does not know. */
export function shippedCameraNeighbors(camera: string): PixelNeighbors | undefined {
  let nb = neighborCache.get(camera);
  if (nb === undefined) {
    try {
      const g = loadCameraGeometry(camera);
      nb = computePixelNeighbors(g.pixX, g.pixY, g.pixType);
    } catch {
      nb = null;
    }
    neighborCache.set(camera, nb);
  }
  return nb ?? undefined;
}

/** per pixel, the mean of `values` over its neighbours (the pixel's own value when it has none) */
function neighborMean(values: Float32Array, nb: PixelNeighbors): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const a = nb.offsets[i],
      b = nb.offsets[i + 1];
    let sum = 0;
    for (let j = a; j < b; j++) sum += values[nb.indices[j]];
    out[i] = b > a ? sum / (b - a) : values[i];
  }
  return out;
}

/** per pixel, the median of `values` over its neighbours (the pixel's own value when it has none) */
function neighborMedian(values: Float32Array, nb: PixelNeighbors): Float32Array {
  const out = new Float32Array(values.length);
  const scratch = new Float32Array(16);
  for (let i = 0; i < values.length; i++) {
    const a = nb.offsets[i],
      b = nb.offsets[i + 1];
    const k = Math.min(b - a, scratch.length);
    if (k === 0) {
      out[i] = values[i];
      continue;
    }
    for (let j = 0; j < k; j++) {
      // insertion into the sorted prefix
      const v = values[nb.indices[a + j]];
      let m = j - 1;
      while (m >= 0 && scratch[m] > v) {
        scratch[m + 1] = scratch[m];
        m--;
      }
      scratch[m + 1] = v;
    }
    out[i] = k % 2 ? scratch[(k - 1) >> 1] : 0.5 * (scratch[k / 2 - 1] + scratch[k / 2]);
  }
  return out;
}

export class PixelMaps {
  private acc = new Map<number, Accumulator>();
  private seq = 0;

  /**
   * `hotPixelFactor`: see AlarmThresholds; `neighborsOf` gives a camera's
   * pixel neighbours (default: the shipped geometries).
   */
  constructor(
    private hotPixelFactor: () => number,
    private readonly neighborsOf: (camera: string) => PixelNeighbors | undefined = shippedCameraNeighbors,
  ) {}

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
      const nb = this.neighborsOf(a.camera);
      if (nb && nb.nPixels === n) {
        const refCharge = neighborMedian(meanImage, nb);
        // survival needs surviving neighbours (ctapipe's picture-neighbour rule), so at the edge of
        // the region showers cover the neighbours' mean, not their median, is the fair reference
        const refSurvival = neighborMean(survivalFraction, nb);
        for (let i = 0; i < n; i++) {
          if (stdImage[i] < DEAD_STD_PE) dead.push(i);
          else if (meanImage[i] > f * Math.max(refCharge[i], 0.5) || survivalFraction[i] > f * Math.max(refSurvival[i], 0.01)) hot.push(i);
        }
      } else {
        const chargeLimit = f * Math.max(median(meanImage), 0.5);
        const survivalLimit = f * Math.max(median(survivalFraction), 0.01);
        for (let i = 0; i < n; i++) {
          if (stdImage[i] < DEAD_STD_PE) dead.push(i);
          else if (meanImage[i] > chargeLimit || survivalFraction[i] > survivalLimit) hot.push(i);
        }
      }
    }
    return {
      telId,
      camera: a.camera,
      nPixels: n,
      images,
      meanImage,
      stdImage,
      survivalFraction,
      hotPixels: Uint32Array.from(hot),
      deadPixels: Uint32Array.from(dead),
    };
  }

  snapshot(): LivePixelMaps {
    const telescopes: LivePixelMap[] = [];
    for (const tel of [...this.acc.keys()].sort((a, b) => a - b)) telescopes.push(this.map(tel)!);
    return { seq: ++this.seq, time: Date.now() / 1000, telescopes };
  }
}
