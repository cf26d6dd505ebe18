/**
 * WebAssembly SIMD kernels for the hot loops of calibration, written out as
 * bytes for one trace length (nSamples is built in: the sample loops are
 * unrolled into v128 registers, 4 float32 samples each, the rest scalar).
 * They do the same IEEE float32 operations in the same order as the
 * scalar JavaScript (and as numpy / numba in ctapipe), so results are bit
 * for bit the same; scalar JavaScript was ~5–10× slower than ctapipe's
 * numba here (no SIMD), these are faster than numba.
 *
 * Functions (all pointers are byte offsets into the module's memory):
 *
 * - `r1Selected(r0, ped, gain, sel, out, nPixels, nGains, threshold, selectionGiven, shift)`:
 *   uint16 R0 `(nGains, nPixels, nSamples)` → float32 R1 of the selected gain
 *   `(nPixels, nSamples)`: ((r0 − ped) × gain) + shift per sample, with
 *   ped/gain float32 `(nGains, nPixels)`. Unless `selectionGiven`, first
 *   selects the gain (int8 at `sel`): low when any high-gain sample is
 *   above `threshold` (an integer 0..65534) and the camera has 2 gains.
 * - `neighborPeak(w, nPixels, offsets, indices, invalid, useInvalid, localWeight, out)`:
 *   per pixel, argmax over samples of w[pixel]·localWeight + Σ w[valid neighbour]
 *   (float32, neighbours in CSR order); int32 at `out`.
 * - `localPeak(w, nRows, out)`: argmax of each row.
 * - `validSum(w, nPixels, invalid, useInvalid, acc)`: Σ over valid pixels,
 *   pixel after pixel, from +0; nSamples float32 at `acc`.
 * - `extract(w, nRows, peaks, width, shift, samplingRateGHz, charge, time)`:
 *   extract_around_peak of every row (see extractBody).
 *
 * argmax is numpy's (the first of equal maxima; +0 and −0 equal); a row with
 * a NaN gets −1 for the caller to redo in JavaScript (numpy: first NaN).
 */
import { name, section, sharedMemorySection, sleb, uleb } from '../util/wasm-bytes.js';
import {
  BLOCK,
  BR,
  BR_IF,
  ELSE,
  END,
  F32,
  F32X4_ADD,
  F32X4_CONVERT_I32X4_U,
  F32X4_EQ,
  F32X4_EXTRACT_LANE,
  F32X4_MAX,
  F32X4_MUL,
  F32X4_SPLAT,
  F32X4_SUB,
  F32_ADD,
  F32_CONVERT_I32_U,
  F32_DEMOTE_F64,
  F32_EQ,
  F32_LOAD,
  F32_MAX,
  F32_MUL,
  F32_NE,
  F32_STORE,
  F32_SUB,
  F64,
  F64_ABS,
  F64_ADD,
  F64_CONVERT_I32_S,
  F64_DIV,
  F64_GT,
  F64_MUL,
  F64_NE,
  F64_PROMOTE_F32,
  F64_SUB,
  LOCAL_GET as GET,
  I16X8_GT_U,
  I16X8_SPLAT,
  I32,
  I32X4_BITMASK,
  I32_ADD,
  I32_CONST,
  I32_CTZ,
  I32_EQ,
  I32_EQZ,
  I32_GE_S,
  I32_GT_S,
  I32_GT_U,
  I32_LOAD,
  I32_LOAD16_U,
  I32_LOAD8_S,
  I32_LOAD8_U,
  I32_LT_S,
  I32_MUL,
  I32_OR,
  I32_STORE,
  I32_STORE8,
  I32_SUB,
  IF,
  LOOP,
  SELECT,
  LOCAL_SET as SET,
  LOCAL_TEE as TEE,
  V128,
  V128_ANY_TRUE,
  V128_CONST,
  V128_LOAD,
  V128_LOAD16X4_U,
  V128_OR,
  V128_STORE,
  VOID,
} from '../util/wasm-opcodes.js';

// core opcodes
const f64 = (x: number) => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)];
// SIMD opcodes

/** memarg: alignment hint 0 (any address), constant offset */
const at = (offset: number) => [0, ...uleb(offset)];
const i32 = (n: number) => [I32_CONST, ...sleb(n)];
const ZERO_V128 = [...V128_CONST, ...new Array<number>(16).fill(0)];

/** Locals of one function after its parameters, grouped by type as the binary format declares them. */
class Locals {
  private types: number[] = [];
  constructor(readonly nParams: number) {}
  add(type: number, count = 1): number {
    const first = this.nParams + this.types.length;
    for (let i = 0; i < count; i++) this.types.push(type);
    return first;
  }
  declaration(): number[] {
    const runs: [number, number][] = [];
    for (const t of this.types) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    return [...uleb(runs.length), ...runs.flatMap(([n, t]) => [...uleb(n), t])];
  }
}

/** The trace split into v128 groups of 4 samples and scalar tail samples. */
interface TraceRegs {
  nv: number;
  nt: number;
  /** first v128 local of the nv accumulators */
  a: number;
  /** first f32 local of the nt tail accumulators */
  t: number;
}

/**
 * The argmax of the trace held in regs (leaves nothing on the stack; sets
 * `bi`): the maximum M, then the first sample equal to M (+0 and −0 are
 * equal, as in numpy); -1 when the trace holds a NaN (M is then NaN).
 * `m` f32 and `mv` v128 and `mask` i32 are scratch.
 */
function argmaxCode(r: TraceRegs, bi: number, m: number, mv: number, mask: number): number[] {
  const c: number[] = [BLOCK, VOID];
  // the maximum M (f32x4.max and f32.max give NaN when any operand is NaN)
  if (r.nv > 0) {
    c.push(GET, r.a);
    for (let j = 1; j < r.nv; j++) c.push(GET, r.a + j, ...F32X4_MAX);
    c.push(TEE, mv, ...F32X4_EXTRACT_LANE, 0, GET, mv, ...F32X4_EXTRACT_LANE, 1, F32_MAX);
    c.push(GET, mv, ...F32X4_EXTRACT_LANE, 2, GET, mv, ...F32X4_EXTRACT_LANE, 3, F32_MAX, F32_MAX);
    for (let j = 0; j < r.nt; j++) c.push(GET, r.t + j, F32_MAX);
  } else {
    c.push(GET, r.t);
    for (let j = 1; j < r.nt; j++) c.push(GET, r.t + j, F32_MAX);
  }
  // NaN anywhere: -1
  c.push(TEE, m, GET, m, F32_NE, IF, VOID, ...i32(-1), SET, bi, BR, 1, END);
  // the first sample equal to M
  if (r.nv > 0) c.push(GET, m, ...F32X4_SPLAT, SET, mv);
  for (let j = 0; j < r.nv; j++) {
    c.push(GET, r.a + j, GET, mv, ...F32X4_EQ, ...I32X4_BITMASK, TEE, mask);
    c.push(IF, VOID, GET, mask, I32_CTZ, ...i32(4 * j), I32_ADD, SET, bi, BR, 1, END);
  }
  for (let j = 0; j < r.nt; j++) {
    c.push(GET, r.t + j, GET, m, F32_EQ, IF, VOID, ...i32(4 * r.nv + j), SET, bi, BR, 1, END);
  }
  c.push(...i32(0), SET, bi, END);
  return c;
}

/** regs = load of the trace at the address in local `base` (optionally × the f32 splat in `scaleV` / f32 `scale`) */
function loadTrace(r: TraceRegs, base: number, op: 'set' | 'add' | 'mul', scaleV = -1, scale = -1): number[] {
  const c: number[] = [];
  for (let j = 0; j < r.nv; j++) {
    if (op === 'add') c.push(GET, r.a + j);
    c.push(GET, base, ...V128_LOAD, ...at(16 * j));
    if (op === 'mul') c.push(GET, scaleV, ...F32X4_MUL);
    if (op === 'add') c.push(...F32X4_ADD);
    c.push(SET, r.a + j);
  }
  for (let j = 0; j < r.nt; j++) {
    if (op === 'add') c.push(GET, r.t + j);
    c.push(GET, base, F32_LOAD, ...at(4 * (4 * r.nv + j)));
    if (op === 'mul') c.push(GET, scale, F32_MUL);
    if (op === 'add') c.push(F32_ADD);
    c.push(SET, r.t + j);
  }
  return c;
}

function traceRegs(locals: Locals, ns: number): TraceRegs {
  const nv = Math.floor(ns / 4);
  const nt = ns % 4;
  return { nv, nt, a: nv > 0 ? locals.add(V128, nv) : -1, t: nt > 0 ? locals.add(F32, nt) : -1 };
}

/** `for (p = 0; p < n; p++) { body }` with p and n locals; nothing when n is 0 */
function forEach(p: number, n: number, body: number[]): number[] {
  return [
    ...i32(0),
    SET,
    p,
    BLOCK,
    VOID,
    GET,
    n,
    I32_EQZ,
    BR_IF,
    0,
    LOOP,
    VOID,
    ...body,
    GET,
    p,
    ...i32(1),
    I32_ADD,
    TEE,
    p,
    GET,
    n,
    I32_LT_S,
    BR_IF,
    0,
    END,
    END,
  ];
}

function r1SelectedBody(ns: number): number[] {
  const [R0, PED, GAIN, SEL, OUT, NPIX, NGAINS, THR, GIVEN, SHIFT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const L = new Locals(10);
  const P = L.add(I32),
    K = L.add(I32),
    SRC = L.add(I32),
    DST = L.add(I32),
    LOW = L.add(I32);
  const PEDV = L.add(F32),
    GAINV = L.add(F32);
  const ANY = L.add(V128),
    THRV = L.add(V128),
    PEDS = L.add(V128),
    GAINS = L.add(V128),
    SHIFTS = L.add(V128);
  const n8 = Math.floor(ns / 8);
  const select: number[] = [...i32(0), SET, LOW, GET, NGAINS, ...i32(2), I32_EQ, IF, VOID];
  select.push(GET, R0, GET, P, ...i32(2 * ns), I32_MUL, I32_ADD, SET, SRC);
  select.push(...ZERO_V128, SET, ANY);
  for (let j = 0; j < n8; j++) select.push(GET, ANY, GET, SRC, ...V128_LOAD, ...at(16 * j), GET, THRV, ...I16X8_GT_U, ...V128_OR, SET, ANY);
  select.push(GET, ANY, ...V128_ANY_TRUE, SET, LOW);
  for (let s = 8 * n8; s < ns; s++) select.push(GET, LOW, GET, SRC, I32_LOAD16_U, ...at(2 * s), GET, THR, I32_GT_U, I32_OR, SET, LOW);
  select.push(END, GET, SEL, GET, P, I32_ADD, GET, LOW, I32_STORE8, ...at(0));

  const body: number[] = [GET, GIVEN, I32_EQZ, IF, VOID, ...select, END];
  // k = sel[p] * nPixels + p
  body.push(GET, SEL, GET, P, I32_ADD, I32_LOAD8_S, ...at(0), GET, NPIX, I32_MUL, GET, P, I32_ADD, SET, K);
  body.push(GET, PED, GET, K, ...i32(4), I32_MUL, I32_ADD, F32_LOAD, ...at(0), TEE, PEDV, ...F32X4_SPLAT, SET, PEDS);
  body.push(GET, GAIN, GET, K, ...i32(4), I32_MUL, I32_ADD, F32_LOAD, ...at(0), TEE, GAINV, ...F32X4_SPLAT, SET, GAINS);
  body.push(GET, R0, GET, K, ...i32(2 * ns), I32_MUL, I32_ADD, SET, SRC);
  body.push(GET, OUT, GET, P, ...i32(4 * ns), I32_MUL, I32_ADD, SET, DST);
  const nv = Math.floor(ns / 4);
  for (let j = 0; j < nv; j++) {
    body.push(GET, DST, GET, SRC, ...V128_LOAD16X4_U, ...at(8 * j), ...F32X4_CONVERT_I32X4_U);
    body.push(GET, PEDS, ...F32X4_SUB, GET, GAINS, ...F32X4_MUL, GET, SHIFTS, ...F32X4_ADD, ...V128_STORE, ...at(16 * j));
  }
  for (let s = 4 * nv; s < ns; s++) {
    body.push(GET, DST, GET, SRC, I32_LOAD16_U, ...at(2 * s), F32_CONVERT_I32_U);
    body.push(GET, PEDV, F32_SUB, GET, GAINV, F32_MUL, GET, SHIFT, F32_ADD, F32_STORE, ...at(4 * s));
  }
  const code = [GET, THR, ...I16X8_SPLAT, SET, THRV, GET, SHIFT, ...F32X4_SPLAT, SET, SHIFTS, ...forEach(P, NPIX, body), END];
  return [...L.declaration(), ...code];
}

function neighborPeakBody(ns: number): number[] {
  const [W, NPIX, OFF, IDX, INV, USEINV, LW, OUT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const P = L.add(I32),
    K = L.add(I32),
    KEND = L.add(I32),
    B = L.add(I32),
    BI = L.add(I32),
    MASK = L.add(I32);
  const M = L.add(F32),
    LWV = L.add(V128),
    MV = L.add(V128);
  const r = traceRegs(L, ns);
  const body: number[] = [GET, W, GET, P, ...i32(4 * ns), I32_MUL, I32_ADD, SET, B, ...loadTrace(r, B, 'mul', LWV, LW)];
  body.push(GET, OFF, GET, P, ...i32(4), I32_MUL, I32_ADD, TEE, K, I32_LOAD, ...at(4), SET, KEND);
  body.push(GET, K, I32_LOAD, ...at(0), SET, K);
  // for (; k < kEnd; k++) { nb = indices[k]; if (!(useInvalid && invalid[nb])) regs += w[nb] }
  body.push(BLOCK, VOID, LOOP, VOID, GET, K, GET, KEND, I32_GE_S, BR_IF, 1);
  body.push(GET, IDX, GET, K, ...i32(4), I32_MUL, I32_ADD, I32_LOAD, ...at(0), SET, B);
  body.push(BLOCK, VOID, GET, USEINV, IF, I32, GET, INV, GET, B, I32_ADD, I32_LOAD8_U, ...at(0), ELSE, ...i32(0), END, BR_IF, 0);
  body.push(GET, W, GET, B, ...i32(4 * ns), I32_MUL, I32_ADD, SET, B, ...loadTrace(r, B, 'add'), END);
  body.push(GET, K, ...i32(1), I32_ADD, SET, K, BR, 0, END, END);
  body.push(...argmaxCode(r, BI, M, MV, MASK));
  body.push(GET, OUT, GET, P, ...i32(4), I32_MUL, I32_ADD, GET, BI, I32_STORE, ...at(0));
  const code = [GET, LW, ...F32X4_SPLAT, SET, LWV, ...forEach(P, NPIX, body), END];
  return [...L.declaration(), ...code];
}

function localPeakBody(ns: number): number[] {
  const [W, NROWS, OUT] = [0, 1, 2];
  const L = new Locals(3);
  const P = L.add(I32),
    B = L.add(I32),
    BI = L.add(I32),
    MASK = L.add(I32),
    M = L.add(F32),
    MV = L.add(V128);
  const r = traceRegs(L, ns);
  const body = [GET, W, GET, P, ...i32(4 * ns), I32_MUL, I32_ADD, SET, B, ...loadTrace(r, B, 'set'), ...argmaxCode(r, BI, M, MV, MASK)];
  body.push(GET, OUT, GET, P, ...i32(4), I32_MUL, I32_ADD, GET, BI, I32_STORE, ...at(0));
  return [...L.declaration(), ...forEach(P, NROWS, body), END];
}

function validSumBody(ns: number): number[] {
  const [W, NPIX, INV, USEINV, ACC] = [0, 1, 2, 3, 4];
  const L = new Locals(5);
  const P = L.add(I32),
    B = L.add(I32);
  const r = traceRegs(L, ns);
  const init: number[] = [];
  for (let j = 0; j < r.nv; j++) init.push(...ZERO_V128, SET, r.a + j);
  for (let j = 0; j < r.nt; j++) init.push(0x43, 0, 0, 0, 0, SET, r.t + j); // f32.const +0
  const body = [BLOCK, VOID, GET, USEINV, IF, I32, GET, INV, GET, P, I32_ADD, I32_LOAD8_U, ...at(0), ELSE, ...i32(0), END, BR_IF, 0];
  body.push(GET, W, GET, P, ...i32(4 * ns), I32_MUL, I32_ADD, SET, B, ...loadTrace(r, B, 'add'), END);
  const store: number[] = [];
  for (let j = 0; j < r.nv; j++) store.push(GET, ACC, GET, r.a + j, ...V128_STORE, ...at(16 * j));
  for (let j = 0; j < r.nt; j++) store.push(GET, ACC, GET, r.t + j, F32_STORE, ...at(4 * (4 * r.nv + j)));
  return [...L.declaration(), ...init, ...forEach(P, NPIX, body), ...store, END];
}

/**
 * extract_around_peak for every row: window [peak − shift, peak − shift +
 * width) clipped to the trace; charge = Σ samples (float64, stored float32);
 * time = Σ s·v⁺ / Σ v⁺ over the positive samples (else the peak), stored
 * float32, divided by the rate (GHz) and stored float32 again. The positive
 * part is (v + |v|) / 2 (no branch); a row whose sum is not finite (a NaN
 * or ±inf sample) is redone with the exact `v > 0` test.
 */
function extractBody(ns: number): number[] {
  const [W, NROWS, PEAKS, WIDTH, SHIFT, RATE, CHARGE, TIME] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const ROW = L.add(I32),
    PEAK = L.add(I32),
    START = L.add(I32),
    END = L.add(I32),
    S = L.add(I32),
    B = L.add(I32);
  const SUM = L.add(F64),
    NUM = L.add(F64),
    DEN = L.add(F64),
    V = L.add(F64),
    POS = L.add(F64);
  const sample = [GET, B, GET, S, ...i32(4), I32_MUL, I32_ADD, F32_LOAD, ...at(0), F64_PROMOTE_F32, SET, V];
  const loop = (inner: number[]) => [
    GET,
    START,
    SET,
    S,
    BLOCK,
    VOID,
    LOOP,
    VOID,
    GET,
    S,
    GET,
    END,
    I32_GE_S,
    BR_IF,
    1,
    ...inner,
    GET,
    S,
    ...i32(1),
    I32_ADD,
    SET,
    S,
    BR,
    0,
    END,
    END,
  ];
  const body: number[] = [];
  body.push(GET, PEAKS, GET, ROW, ...i32(4), I32_MUL, I32_ADD, I32_LOAD, ...at(0), TEE, PEAK, GET, SHIFT, I32_SUB, TEE, START, GET, WIDTH, I32_ADD, SET, END);
  body.push(...i32(0), GET, START, GET, START, ...i32(0), I32_LT_S, SELECT, SET, START);
  body.push(...i32(ns), GET, END, GET, END, ...i32(ns), I32_GT_S, SELECT, SET, END);
  body.push(GET, W, GET, ROW, ...i32(4 * ns), I32_MUL, I32_ADD, SET, B);
  body.push(...f64(0), SET, SUM, ...f64(0), SET, NUM, ...f64(0), SET, DEN);
  body.push(
    ...loop([
      ...sample,
      GET,
      SUM,
      GET,
      V,
      F64_ADD,
      SET,
      SUM,
      GET,
      V,
      GET,
      V,
      F64_ABS,
      F64_ADD,
      ...f64(0.5),
      F64_MUL,
      TEE,
      POS,
      GET,
      S,
      F64_CONVERT_I32_S,
      F64_MUL,
      GET,
      NUM,
      F64_ADD,
      SET,
      NUM,
      GET,
      DEN,
      GET,
      POS,
      F64_ADD,
      SET,
      DEN,
    ]),
  );
  body.push(GET, SUM, GET, SUM, F64_SUB, ...f64(0), F64_NE, IF, VOID, ...f64(0), SET, NUM, ...f64(0), SET, DEN);
  body.push(
    ...loop([
      ...sample,
      GET,
      V,
      ...f64(0),
      F64_GT,
      IF,
      VOID,
      GET,
      NUM,
      GET,
      V,
      GET,
      S,
      F64_CONVERT_I32_S,
      F64_MUL,
      F64_ADD,
      SET,
      NUM,
      GET,
      DEN,
      GET,
      V,
      F64_ADD,
      SET,
      DEN,
      END,
    ]),
    END,
  );
  body.push(GET, CHARGE, GET, ROW, ...i32(4), I32_MUL, I32_ADD, GET, SUM, F32_DEMOTE_F64, F32_STORE, ...at(0));
  body.push(GET, TIME, GET, ROW, ...i32(4), I32_MUL, I32_ADD);
  body.push(GET, NUM, GET, DEN, F64_DIV, GET, PEAK, F64_CONVERT_I32_S, GET, DEN, ...f64(0), F64_GT, SELECT);
  body.push(F32_DEMOTE_F64, F64_PROMOTE_F32, GET, RATE, F64_DIV, F32_DEMOTE_F64, F32_STORE, ...at(0));
  return [...L.declaration(), ...forEach(ROW, NROWS, body), END];
}

const fn = (body: number[]) => [...uleb(body.length), ...body];

/** The module for traces of `nSamples` samples (memory exported as `mem`, 1 page to start). */
export function calibrationKernelModule(nSamples: number): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(nSamples) || nSamples < 1) throw new RangeError(`SIMD kernels: nSamples must be a positive integer, got ${nSamples}`);
  const types = [
    [0x60, 10, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, 0], // r1Selected
    [0x60, 8, I32, I32, I32, I32, I32, I32, F32, I32, 0], // neighborPeak
    [0x60, 3, I32, I32, I32, 0], // localPeak
    [0x60, 5, I32, I32, I32, I32, I32, 0], // validSum
    [0x60, 8, I32, I32, I32, I32, I32, F64, I32, I32, 0], // extract
  ];
  const exportsList: [string, number][] = [
    ['r1Selected', 0],
    ['neighborPeak', 1],
    ['localPeak', 2],
    ['validSum', 3],
    ['extract', 4],
  ];
  const bodies = [r1SelectedBody(nSamples), neighborPeakBody(nSamples), localPeakBody(nSamples), validSumBody(nSamples), extractBody(nSamples)];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [types.length, ...types.flat()]),
    ...section(3, [5, 0, 1, 2, 3, 4]),
    ...sharedMemorySection(1, 32768),
    ...section(7, [1 + exportsList.length, ...name('mem'), 0x02, 0, ...exportsList.flatMap(([n, i]) => [...name(n), 0x00, i])]),
    ...section(10, [bodies.length, ...bodies.flatMap(fn)]),
  ]);
}
