/**
 * List-mode MLEM for a Compton camera, as the seed writes it:
 *
 *   img = sysmat.sum(axis=0)                                   (backprojection)
 *   img = img / s * (sysmat.T @ (1 / (sysmat @ img)))           (one iteration)
 *
 * with s the sensitivity of each pixel (default ones). In float64
 * throughout. Where numpy would make inf/NaN the reconstruction defines the
 * result: a cone whose projection is 0 (no image intensity on it) adds
 * nothing (1/0 taken as 0; counted in `emptyCones`); a pixel of zero
 * sensitivity stays 0. The products run in the WebAssembly SIMD kernels
 * (projection-kernels.ts) on the matrix's runs (run-matrix.ts), or in plain
 * JS where SIMD is missing. One iterate() is one iteration: a caller (a
 * worker serving a view) runs as many as it wants, looks at the image
 * between them, stops and continues.
 */
import { projectionKernels, type ProjectionKernels } from './projection-kernels.js';
import type { RunMatrix } from './run-matrix.js';

const align16 = (n: number) => Math.ceil(n / 16) * 16;

export class MlemReconstruction {
  readonly nCones: number;
  readonly nPixels: number;
  /** sysmat.sum(axis=0), float64 */
  readonly backprojection: Float64Array<ArrayBuffer>;
  /** 'wasm-simd' or 'js' */
  readonly engine: 'wasm-simd' | 'js';
  iteration = 0;
  /** cones with a zero projection in the last iteration */
  emptyCones = 0;
  private kernels: ProjectionKernels | null;
  private x: Float64Array;
  private bp: Float64Array;
  private q: Float64Array;
  private sens: Float64Array | null;
  private offsets = { runs: 0, values: 0, x: 0, bp: 0, q: 0, s: 0 };

  constructor(
    readonly matrix: RunMatrix,
    sensitivity?: ArrayLike<number>,
    engine: 'auto' | 'js' = 'auto',
  ) {
    const m = matrix;
    // small integers (HDF5 shapes can arrive as doubles, which slows every index)
    this.nCones = m.nCones | 0;
    this.nPixels = m.nPixels | 0;
    const padded = m.nPixels + m.group;
    if (sensitivity) {
      if (sensitivity.length !== m.nPixels) throw new Error(`the sensitivity has ${sensitivity.length} values, the image ${m.nPixels} pixels`);
      this.sens = new Float64Array(m.nPixels);
      for (let j = 0; j < m.nPixels; j++) {
        const s = sensitivity[j];
        if (!(s >= 0) || s === Infinity) throw new Error(`sensitivity of pixel ${j} is ${s}: need finite values ≥ 0`);
        this.sens[j] = s;
      }
    } else this.sens = null;
    this.kernels = engine === 'js' ? null : projectionKernels();
    this.engine = this.kernels ? 'wasm-simd' : 'js';
    if (this.kernels) {
      const o = this.offsets;
      o.runs = 16;
      o.values = align16(o.runs + m.runs.byteLength);
      o.x = align16(o.values + m.values.byteLength);
      o.bp = align16(o.x + 8 * padded);
      o.q = align16(o.bp + 8 * padded);
      o.s = align16(o.q + 8 * m.nCones);
      const total = o.s + 8 * padded + 16;
      const mem = this.kernels.memory;
      const need = Math.ceil((total - mem.buffer.byteLength) / 65536);
      if (need > 0) mem.grow(need);
      const buf = mem.buffer;
      new Int32Array(buf, o.runs, m.runs.length).set(m.runs);
      if (m.values instanceof Float32Array) new Float32Array(buf, o.values, m.values.length).set(m.values);
      else new Float64Array(buf, o.values, m.values.length).set(m.values);
      this.x = new Float64Array(buf, o.x, padded);
      this.bp = new Float64Array(buf, o.bp, padded);
      this.q = new Float64Array(buf, o.q, m.nCones);
      if (this.sens) new Float64Array(buf, o.s, padded).set(this.sens);
    } else {
      this.x = new Float64Array(padded);
      this.bp = new Float64Array(padded);
      this.q = new Float64Array(m.nCones);
    }
    // backprojection: sysmat.T @ ones
    this.q.fill(1);
    this.backproject();
    this.backprojection = this.bp.slice(0, m.nPixels) as Float64Array<ArrayBuffer>;
    this.x.set(this.backprojection);
  }

  /** The current image (a copy), pixels in the matrix's column order. */
  image(): Float64Array<ArrayBuffer> {
    return this.x.slice(0, this.nPixels) as Float64Array<ArrayBuffer>;
  }

  /** Back to the backprojection (iteration 0). */
  reset(): void {
    this.x.fill(0);
    this.x.set(this.backprojection);
    this.iteration = 0;
  }

  private project(): void {
    this.q.fill(0);
    const m = this.matrix;
    const k = this.kernels;
    if (k) {
      const o = this.offsets;
      (m.valueType === 'f32' ? k.forward32 : k.forward64)(o.runs, m.nRuns, o.values, o.x, o.q);
      return;
    }
    const { runs, values } = m;
    const x = this.x;
    const q = this.q;
    let v = 0;
    for (let r = 0; r < m.nRuns; r++) {
      const row = runs[4 * r];
      let c = runs[4 * r + 1] / 8;
      const n = runs[4 * r + 2] * m.group;
      let s = 0;
      for (let i = 0; i < n; i++) s += values[v++] * x[c++];
      q[row] += s;
    }
  }

  private backproject(): void {
    this.bp.fill(0);
    const m = this.matrix;
    const k = this.kernels;
    if (k) {
      const o = this.offsets;
      (m.valueType === 'f32' ? k.backward32 : k.backward64)(o.runs, m.nRuns, o.values, o.bp, o.q);
      return;
    }
    const { runs, values } = m;
    const bp = this.bp;
    const y = this.q;
    let v = 0;
    for (let r = 0; r < m.nRuns; r++) {
      const yr = y[runs[4 * r]];
      let c = runs[4 * r + 1] / 8;
      const n = runs[4 * r + 2] * m.group;
      for (let i = 0; i < n; i++) bp[c++] += values[v++] * yr;
    }
  }

  /** One MLEM iteration. */
  iterate(): void {
    this.project();
    const q = this.q;
    let empty = 0;
    for (let i = 0; i < this.nCones; i++) {
      if (q[i] > 0) q[i] = 1 / q[i];
      else {
        q[i] = 0;
        empty++;
      }
    }
    this.emptyCones = empty;
    this.backproject();
    this.iteration++;
    if (this.kernels) {
      // the image update in the kernel too (in JS over a view of the wasm memory it took as long as a product)
      const o = this.offsets;
      const pairs = Math.ceil(this.nPixels / 2);
      if (this.sens) this.kernels.scaleDivide(o.x, o.bp, pairs, o.s);
      else this.kernels.scale(o.x, o.bp, pairs);
      return;
    }
    const x = this.x;
    const bp = this.bp;
    const s = this.sens;
    if (s) for (let j = 0; j < this.nPixels; j++) x[j] = s[j] > 0 ? (x[j] / s[j]) * bp[j] : 0;
    else for (let j = 0; j < this.nPixels; j++) x[j] = x[j] * bp[j];
  }
}
