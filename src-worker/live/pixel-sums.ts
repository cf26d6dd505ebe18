/**
 * Pixel-map sums per telescope over the images of one batch (the backend
 * merges one set of arrays per telescope and batch, not one per image).
 * Σ charge and Σ charge² run in the thread's WebAssembly SIMD kernel
 * (pixel-sums-simd.ts) when there is one, in plain JS otherwise; the
 * survival counts walk only the surviving pixels.
 */
import type { LiveProcessedEvent, PixelSums } from './live-types.js';
import { simdSumsKernel, type SimdSumsKernel } from './pixel-sums-simd.js';

interface Entry {
  telId: number;
  camera: string;
  n: number;
  images: number;
  survived: Uint32Array;
  /** scalar path */
  sum?: Float64Array;
  sumSq?: Float64Array;
  /** SIMD path: byte offsets in the kernel's memory */
  imagePtr: number;
  sumPtr: number;
  sumSqPtr: number;
}

/** the batch whose sums occupy the kernel's memory (one batch at a time per thread) */
let arenaOwner = 0;

export class PixelSumsAccumulator {
  private readonly byTel = new Map<number, Entry>();
  private readonly kernel: SimdSumsKernel | null;
  /** which batch owns the kernel's memory (only the SIMD path uses it) */
  private readonly generation: number;
  private used = 0;

  /** `simd: false` forces the scalar loop (tests compare the two) */
  constructor(opts: { simd?: boolean } = {}) {
    this.kernel = opts.simd === false ? null : simdSumsKernel();
    this.generation = this.kernel ? ++arenaOwner : 0;
  }

  /** bytes of the kernel's memory for this batch, zeroed, 16-byte aligned */
  private alloc(bytes: number): number {
    const k = this.kernel!;
    const at = this.used;
    this.used += (bytes + 15) & ~15;
    const have = k.memory.buffer.byteLength;
    if (this.used > have) k.memory.grow(Math.ceil((this.used - have) / 65536));
    new Uint8Array(k.memory.buffer, at, this.used - at).fill(0);
    return at;
  }

  private entry(telId: number, camera: string, n: number): Entry {
    let s = this.byTel.get(telId);
    if (s && s.n === n) return s;
    s = { telId, camera, n, images: 0, survived: new Uint32Array(n), imagePtr: 0, sumPtr: 0, sumSqPtr: 0 };
    if (this.kernel) {
      s.imagePtr = this.alloc(4 * n);
      s.sumPtr = this.alloc(8 * n);
      s.sumSqPtr = this.alloc(8 * n);
    } else {
      s.sum = new Float64Array(n);
      s.sumSq = new Float64Array(n);
    }
    this.byTel.set(telId, s);
    return s;
  }

  private checkOwner(): void {
    if (this.kernel && arenaOwner !== this.generation)
      throw new Error("pixel sums: a newer batch took over this thread's SIMD memory; accumulate one batch at a time");
  }

  /** one image: its charges and the indices of the pixels that survived cleaning */
  add(telId: number, camera: string, image: Float32Array, survivors: Int32Array, nSurvivors: number): void {
    this.checkOwner();
    const n = image.length;
    const s = this.entry(telId, camera, n);
    s.images++;
    if (this.kernel) {
      const buf = this.kernel.memory.buffer;
      new Float32Array(buf, s.imagePtr, n).set(image);
      const whole = n & ~3;
      if (whole) this.kernel.accumulate(s.imagePtr, s.sumPtr, s.sumSqPtr, whole >> 2);
      if (whole < n) {
        const sum = new Float64Array(buf, s.sumPtr, n);
        const sumSq = new Float64Array(buf, s.sumSqPtr, n);
        for (let i = whole; i < n; i++) {
          const v = image[i];
          sum[i] += v;
          sumSq[i] += v * v;
        }
      }
    } else {
      const sum = s.sum!,
        sumSq = s.sumSq!;
      for (let i = 0; i < n; i++) {
        const v = image[i];
        sum[i] += v;
        sumSq[i] += v * v;
      }
    }
    const survived = s.survived;
    for (let k = 0; k < nSurvivors; k++) survived[survivors[k]]++;
  }

  /** the sums, as arrays of their own (to transfer) */
  result(): PixelSums[] {
    this.checkOwner();
    const out: PixelSums[] = [];
    for (const s of this.byTel.values()) {
      let sum = s.sum,
        sumSq = s.sumSq;
      if (this.kernel) {
        const buf = this.kernel.memory.buffer;
        sum = new Float64Array(buf, s.sumPtr, s.n).slice();
        sumSq = new Float64Array(buf, s.sumSqPtr, s.n).slice();
      }
      out.push({ telId: s.telId, camera: s.camera, images: s.images, sum: sum!, sumSq: sumSq!, survived: s.survived });
    }
    return out;
  }
}

/** The sums over processed events, from their cleaning masks. */
export function pixelSumsOf(events: LiveProcessedEvent[], opts: { simd?: boolean } = {}): PixelSums[] {
  const acc = new PixelSumsAccumulator(opts);
  let idx = new Int32Array(0);
  for (const e of events) {
    for (const img of e.images) {
      if (idx.length < img.mask.length) idx = new Int32Array(img.mask.length);
      let m = 0;
      for (let i = 0; i < img.mask.length; i++) if (img.mask[i]) idx[m++] = i;
      acc.add(img.telId, img.camera, img.image, idx, m);
    }
  }
  return acc.result();
}
