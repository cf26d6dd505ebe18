/**
 * The WebAssembly SIMD kernels (simd-kernel-module.ts) behind a small API:
 * one module per trace length and thread, its memory laid out per call for
 * the camera at hand (neighbour lists stay in memory while the same
 * PixelNeighbors object comes back). Results are bit-identical to the
 * JavaScript functions they stand in for (the tests run both against
 * ctapipe); where WebAssembly SIMD is missing, `SimdCalibration.for`
 * returns null and the callers keep to JavaScript.
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';
import { calibrationKernelModule } from './simd-kernel-module.js';

/** Longer traces than this stay in JavaScript (the kernels keep a trace in registers). */
export const MAX_SIMD_SAMPLES = 256;

interface KernelExports {
  mem: WebAssembly.Memory;
  r1Selected(
    r0: number,
    ped: number,
    gain: number,
    sel: number,
    out: number,
    nPixels: number,
    nGains: number,
    threshold: number,
    selectionGiven: number,
    shift: number,
  ): void;
  neighborPeak(w: number, nPixels: number, offsets: number, indices: number, invalid: number, useInvalid: number, localWeight: number, out: number): void;
  localPeak(w: number, nRows: number, out: number): void;
  validSum(w: number, nPixels: number, invalid: number, useInvalid: number, acc: number): void;
  extract(w: number, nRows: number, peaks: number, width: number, shift: number, samplingRateGHz: number, charge: number, time: number): void;
}

interface Layout {
  nGains: number;
  nPixels: number;
  nRows: number;
  nIndices: number;
  offsets: number;
  indices: number;
  r0: number;
  ped: number;
  gain: number;
  sel: number;
  inv: number;
  out: number;
  acc: number;
  charge: number;
  time: number;
  w: number;
  end: number;
}

/** Typed views of the regions (made again when the layout or the memory's buffer changes). */
interface Views {
  buffer: ArrayBuffer;
  r0: Uint16Array;
  ped: Float32Array;
  gain: Float32Array;
  sel: Int8Array;
  inv: Uint8Array;
  out: Int32Array;
  acc: Float32Array;
  charge: Float32Array;
  time: Float32Array;
  w: Float32Array;
}

const align16 = (x: number) => (x + 15) & ~15;
const instances = new Map<number, SimdCalibration | null>();

export class SimdCalibration {
  private layout: Layout | null = null;
  private views: Views | null = null;
  private neighborsInMemory: PixelNeighbors | null = null;

  private constructor(
    readonly nSamples: number,
    private k: KernelExports,
  ) {}

  /** The kernels for traces of `nSamples` samples in this thread, or null (no SIMD, or traces out of range). */
  static for(nSamples: number): SimdCalibration | null {
    if (!Number.isInteger(nSamples) || nSamples < 2 || nSamples > MAX_SIMD_SAMPLES) return null;
    let s = instances.get(nSamples);
    if (s === undefined) {
      try {
        const bytes = calibrationKernelModule(nSamples);
        s = WebAssembly.validate(bytes)
          ? new SimdCalibration(nSamples, new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as KernelExports)
          : null;
      } catch {
        s = null;
      }
      instances.set(nSamples, s);
    }
    return s;
  }

  /**
   * Lays out the memory for a camera of (at least) `nGains` × `nPixels`
   * with `nRows` waveform rows, growing it if needed (which detaches
   * earlier views of it: call before taking views; a call that the current
   * layout already satisfies changes nothing). Copies the neighbour lists
   * when they are not those already in memory.
   */
  prepare(nGains: number, nPixels: number, nRows: number, neighbors: PixelNeighbors | null): void {
    const ns = this.nSamples;
    const nIndices = neighbors ? neighbors.indices.length : 0;
    let l = this.layout;
    // a layout that holds what is asked stays (so views taken after an earlier prepare stay valid)
    if (!l || l.nPixels !== nPixels || l.nRows !== nRows || l.nGains < nGains || l.nIndices < nIndices) {
      nGains = Math.max(nGains, l?.nPixels === nPixels ? l.nGains : 0);
      const offsets = 0;
      const indices = align16(offsets + 4 * (nPixels + 1));
      const r0 = align16(indices + 4 * Math.max(nIndices, l?.nIndices ?? 0));
      const ped = align16(r0 + 2 * nGains * nPixels * ns);
      const gain = align16(ped + 4 * nGains * nPixels);
      const sel = align16(gain + 4 * nGains * nPixels);
      const inv = align16(sel + nPixels);
      const out = align16(inv + nRows * nPixels);
      const acc = align16(out + 4 * nRows * nPixels);
      const charge = align16(acc + 4 * ns + 16);
      const time = align16(charge + 4 * nRows * nPixels);
      const w = align16(time + 4 * nRows * nPixels);
      const end = w + 4 * nRows * nPixels * ns + 16;
      l = { nGains, nPixels, nRows, nIndices: Math.max(nIndices, l?.nIndices ?? 0), offsets, indices, r0, ped, gain, sel, inv, out, acc, charge, time, w, end };
      this.layout = l;
      this.views = null;
      this.neighborsInMemory = null;
      const have = this.k.mem.buffer.byteLength;
      if (end > have) this.k.mem.grow(Math.ceil((end - have) / 65536));
    }
    if (neighbors && neighbors !== this.neighborsInMemory) {
      if (neighbors.nPixels !== nPixels) throw new RangeError(`SIMD kernels: neighbours of ${neighbors.nPixels} pixels for ${nPixels} pixels`);
      new Int32Array(this.k.mem.buffer, l.offsets, nPixels + 1).set(neighbors.offsets);
      new Int32Array(this.k.mem.buffer, l.indices, nIndices).set(neighbors.indices);
      this.neighborsInMemory = neighbors;
    }
  }

  private get l(): Layout {
    if (!this.layout) throw new Error('SIMD kernels: prepare() first');
    return this.layout;
  }

  private get v(): Views {
    const buffer = this.k.mem.buffer;
    let v = this.views;
    if (!v || v.buffer !== buffer) {
      const l = this.l;
      const n = l.nRows * l.nPixels;
      v = {
        buffer,
        r0: new Uint16Array(buffer, l.r0, l.nGains * l.nPixels * this.nSamples),
        ped: new Float32Array(buffer, l.ped, l.nGains * l.nPixels),
        gain: new Float32Array(buffer, l.gain, l.nGains * l.nPixels),
        sel: new Int8Array(buffer, l.sel, l.nPixels),
        inv: new Uint8Array(buffer, l.inv, n),
        out: new Int32Array(buffer, l.out, n),
        acc: new Float32Array(buffer, l.acc, this.nSamples),
        charge: new Float32Array(buffer, l.charge, n),
        time: new Float32Array(buffer, l.time, n),
        w: new Float32Array(buffer, l.w, n * this.nSamples),
      };
      this.views = v;
    }
    return v;
  }

  /** The waveform rows in memory (a view: valid until the next prepare that grows memory). */
  waveformView(): Float32Array {
    return this.v.w;
  }

  /** Copies `waveforms` into memory unless they are the view of it already. */
  private waveformsIn(waveforms: Float32Array): number {
    const v = this.v;
    if (waveforms !== v.w && (waveforms.buffer !== v.buffer || waveforms.byteOffset !== this.l.w)) v.w.set(waveforms);
    return this.l.w;
  }

  private invalidIn(invalid: Uint8Array | null): number {
    if (!invalid) return 0;
    this.v.inv.set(invalid);
    return 1;
  }

  /**
   * Gain selection and R1 of uint16 R0 in memory: returns the R1 view
   * `(1, nPixels, nSamples)` and writes the selected gains to `selected`.
   * `gain` is dc_to_pe × calib_scale in float32; `threshold` an integer in
   * 0..65534, or null when `selected` is already filled (e.g. one gain).
   */
  r1Selected(r0: Uint16Array, pedestal: Float32Array, gain: Float32Array, selected: Int8Array, threshold: number | null, shift: number): Float32Array {
    const l = this.l;
    const v = this.v;
    v.r0.set(r0);
    v.ped.set(pedestal);
    v.gain.set(gain);
    if (threshold === null) v.sel.set(selected);
    this.k.r1Selected(l.r0, l.ped, l.gain, l.sel, l.w, l.nPixels, l.nGains, threshold ?? 0, threshold === null ? 1 : 0, shift);
    if (threshold !== null) selected.set(v.sel);
    return v.w;
  }

  /** NeighborPeakWindowSum's peaks of every row (kept in memory for extract); false when a row held a NaN (its peak is -1: redo in JavaScript). */
  neighborPeaks(waveforms: Float32Array, nRows: number, localWeight: number, invalid: Uint8Array | null, out: Int32Array): boolean {
    const l = this.l;
    const w = this.waveformsIn(waveforms);
    const useInvalid = this.invalidIn(invalid);
    const rowBytes = 4 * l.nPixels * this.nSamples;
    for (let r = 0; r < nRows; r++) {
      this.k.neighborPeak(w + r * rowBytes, l.nPixels, l.offsets, l.indices, l.inv + r * l.nPixels, useInvalid, localWeight, l.out + 4 * r * l.nPixels);
    }
    return this.peaksOut(out);
  }

  /** LocalPeakWindowSum's peaks (argmax of each row, kept in memory for extract); false when a row held a NaN. */
  localPeaks(waveforms: Float32Array, nRows: number, out: Int32Array): boolean {
    const l = this.l;
    this.k.localPeak(this.waveformsIn(waveforms), nRows * l.nPixels, l.out);
    return this.peaksOut(out);
  }

  /** Σ of the valid pixels' waveforms of row `row`, float32 from +0, into `acc` (nSamples). */
  validSum(waveforms: Float32Array, row: number, invalid: Uint8Array | null, acc: Float32Array): void {
    const l = this.l;
    const w = this.waveformsIn(waveforms);
    const useInvalid = this.invalidIn(invalid);
    this.k.validSum(w + row * 4 * l.nPixels * this.nSamples, l.nPixels, l.inv + row * l.nPixels, useInvalid, l.acc);
    acc.set(this.v.acc);
  }

  /**
   * extract_around_peak of every row of `waveforms` around `peakIndex`
   * (copied into memory unless it is what the last peak search left there).
   */
  extract(
    waveforms: Float32Array,
    peakIndex: Int32Array,
    peaksInMemory: boolean,
    windowWidth: number,
    windowShift: number,
    samplingRateGHz: number,
    charge: Float32Array,
    peakTime: Float32Array,
  ): void {
    const l = this.l;
    const v = this.v;
    const w = this.waveformsIn(waveforms);
    if (!peaksInMemory) v.out.set(peakIndex);
    this.k.extract(w, l.nRows * l.nPixels, l.out, windowWidth, windowShift, samplingRateGHz, l.charge, l.time);
    charge.set(v.charge);
    peakTime.set(v.time);
  }

  private peaksOut(out: Int32Array): boolean {
    const peaks = this.v.out;
    out.set(peaks);
    for (let i = 0; i < peaks.length; i++) if (peaks[i] < 0) return false;
    return true;
  }
}
