/**
 * The two products of list-mode MLEM over a system matrix stored as runs
 * (run-matrix.ts): forward projection q[row] += Σ v·x[col…] and
 * backprojection bp[col…] += v·y[row], as WebAssembly SIMD kernels written
 * out as bytes (no toolchain; src-worker/util/wasm-bytes.ts). Values are
 * float32 (eight per step, widened to float64) or float64 (two per step);
 * sums and products are float64 throughout. Each run is a record of
 * 16 bytes (row, byte offset of its first column = 8·col, groups of 8 or 2
 * values), its values follow the previous run's. A plain-JS version of the
 * same loops serves where SIMD is missing and checks the kernels in the
 * tests.
 */
import { name, section, simd, uleb } from '../../util/wasm-bytes.js';
import { I32_ADD, I32_CONST, I32_SUB, LOCAL_GET, LOCAL_SET, SHUFFLE, V128_CONST, V128_LOAD, V128_STORE } from '../../util/wasm-opcodes.js';

const PROMOTE_LOW = simd(0x5f);
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
const F64X2_SPLAT = simd(0x14);
const F64X2_EXTRACT = simd(0x21);
const I32_LOAD = 0x28;
const F64_LOAD = 0x2b;
const F64_STORE = 0x39;
const I32_EQZ = 0x45;
const I32_SHL = 0x74;
const F64_ADD = 0xa0;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR_IF = 0x0d;
const ZERO = [...V128_CONST, ...new Array<number>(16).fill(0)];
const HIGH_HALF = [...SHUFFLE, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const vload = (offset: number) => [...V128_LOAD, 0, ...uleb(offset)];
const vstore = (offset: number) => [...V128_STORE, 0, ...uleb(offset)];
const i32load = (offset: number) => [I32_LOAD, 2, ...uleb(offset)];

// params: runs, nRuns, values, vectorIn/Out base, rowVector base; locals: row, ptr, groups (i32), acc0, acc1, v, acc2, acc3 (v128)
const [RUNS, NRUNS, VALS, VEC, ROWV, ROW, PTR, G, ACC0, ACC1, V, ACC2, ACC3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const LOCALS = [2, 3, 0x7f, 5, 0x7b];

/** the per-run header: row, ptr = VEC + byte offset, groups; then `inner` while groups > 0; then `after` */
function overRuns(inner: number[], before: number[], after: number[]): number[] {
  // prettier-ignore
  return [
    ...LOCALS,
    ...BLOCK,
    LOCAL_GET, NRUNS, I32_EQZ, BR_IF, 0,
    ...LOOP,
    LOCAL_GET, RUNS, ...i32load(0), LOCAL_SET, ROW,
    LOCAL_GET, RUNS, ...i32load(4), LOCAL_GET, VEC, I32_ADD, LOCAL_SET, PTR,
    LOCAL_GET, RUNS, ...i32load(8), LOCAL_SET, G,
    ...before,
    ...BLOCK,
    LOCAL_GET, G, I32_EQZ, BR_IF, 0,
    ...LOOP,
    ...inner,
    LOCAL_GET, G, I32_CONST, 1, I32_SUB, LOCAL_SET, G,
    LOCAL_GET, G, BR_IF, 0,
    END,
    END,
    ...after,
    LOCAL_GET, RUNS, I32_CONST, 16, I32_ADD, LOCAL_SET, RUNS,
    LOCAL_GET, NRUNS, I32_CONST, 1, I32_SUB, LOCAL_SET, NRUNS,
    LOCAL_GET, NRUNS, BR_IF, 0,
    END,
    END,
    END,
  ];
}

const advance = (reg: number, bytes: number) => [LOCAL_GET, reg, I32_CONST, ...sleb32(bytes), I32_ADD, LOCAL_SET, reg];
function sleb32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** address of rowVector[row] (f64) on the stack */
const rowAddress = [LOCAL_GET, ROWV, LOCAL_GET, ROW, I32_CONST, 3, I32_SHL, I32_ADD];

/** four float32 values at VALS + `at` times x at PTR + 2·`at` into accumulators a and b (four in all: short add chains) */
const forward4 = (at: number, a: number, b: number) => [
  LOCAL_GET,
  VALS,
  ...vload(at),
  LOCAL_SET,
  V,
  LOCAL_GET,
  a,
  LOCAL_GET,
  V,
  ...PROMOTE_LOW,
  LOCAL_GET,
  PTR,
  ...vload(2 * at),
  ...F64X2_MUL,
  ...F64X2_ADD,
  LOCAL_SET,
  a,
  LOCAL_GET,
  b,
  LOCAL_GET,
  V,
  LOCAL_GET,
  V,
  ...HIGH_HALF,
  ...PROMOTE_LOW,
  LOCAL_GET,
  PTR,
  ...vload(2 * at + 16),
  ...F64X2_MUL,
  ...F64X2_ADD,
  LOCAL_SET,
  b,
];
/** bp at PTR + 2·`at` += four float32 values at VALS + `at` times splat(y) in ACC1 */
const backward4 = (at: number) => [
  LOCAL_GET,
  VALS,
  ...vload(at),
  LOCAL_SET,
  V,
  LOCAL_GET,
  PTR,
  LOCAL_GET,
  PTR,
  ...vload(2 * at),
  LOCAL_GET,
  V,
  ...PROMOTE_LOW,
  LOCAL_GET,
  ACC1,
  ...F64X2_MUL,
  ...F64X2_ADD,
  ...vstore(2 * at),
  LOCAL_GET,
  PTR,
  LOCAL_GET,
  PTR,
  ...vload(2 * at + 16),
  LOCAL_GET,
  V,
  LOCAL_GET,
  V,
  ...HIGH_HALF,
  ...PROMOTE_LOW,
  LOCAL_GET,
  ACC1,
  ...F64X2_MUL,
  ...F64X2_ADD,
  ...vstore(2 * at + 16),
];

/** float32 groups: F32_GROUP values per loop step (two blocks of four) */
export const F32_GROUP = 8;

function forwardBody(f32: boolean): number[] {
  // prettier-ignore
  const inner = f32
    ? [...forward4(0, ACC0, ACC1), ...forward4(16, ACC2, ACC3), ...advance(VALS, 32), ...advance(PTR, 64)]
    : [
        LOCAL_GET, ACC0, LOCAL_GET, VALS, ...vload(0), LOCAL_GET, PTR, ...vload(0), ...F64X2_MUL, ...F64X2_ADD, LOCAL_SET, ACC0,
        ...advance(VALS, 16), ...advance(PTR, 16),
      ];
  // prettier-ignore
  const after = [
    LOCAL_GET, ACC0, LOCAL_GET, ACC1, ...F64X2_ADD, LOCAL_GET, ACC2, LOCAL_GET, ACC3, ...F64X2_ADD, ...F64X2_ADD, LOCAL_SET, ACC0,
    ...rowAddress,
    ...rowAddress, F64_LOAD, 3, 0,
    LOCAL_GET, ACC0, ...F64X2_EXTRACT, 0, LOCAL_GET, ACC0, ...F64X2_EXTRACT, 1, F64_ADD,
    F64_ADD,
    F64_STORE, 3, 0,
  ];
  return overRuns(inner, [...ZERO, LOCAL_SET, ACC0, ...ZERO, LOCAL_SET, ACC1, ...ZERO, LOCAL_SET, ACC2, ...ZERO, LOCAL_SET, ACC3], after);
}

function backwardBody(f32: boolean): number[] {
  // ACC1 holds splat(y[row])
  // prettier-ignore
  const inner = f32
    ? [...backward4(0), ...backward4(16), ...advance(VALS, 32), ...advance(PTR, 64)]
    : [
        LOCAL_GET, PTR, LOCAL_GET, PTR, ...vload(0), LOCAL_GET, VALS, ...vload(0), LOCAL_GET, ACC1, ...F64X2_MUL, ...F64X2_ADD, ...vstore(0),
        ...advance(VALS, 16), ...advance(PTR, 16),
      ];
  return overRuns(inner, [...rowAddress, F64_LOAD, 3, 0, ...F64X2_SPLAT, LOCAL_SET, ACC1], []);
}

const F64X2_DIV = simd(0xf3);
const F64X2_GT = simd(0x4a);
const V128_AND = simd(0x4e);

/**
 * The MLEM update of the image, two pixels per step over `pairs` pairs:
 * x = x·bp (scale), or x = (x / s)·bp with 0 where s ≤ 0 (scaleDivide).
 * params: x, bp, pairs [, s]
 */
function scaleBody(divide: boolean): number[] {
  const [X, BP, N, S] = [0, 1, 2, 3];
  // prettier-ignore
  const product = divide
    ? [
        LOCAL_GET, X, ...vload(0), LOCAL_GET, S, ...vload(0), ...F64X2_DIV, LOCAL_GET, BP, ...vload(0), ...F64X2_MUL,
        LOCAL_GET, S, ...vload(0), ...ZERO, ...F64X2_GT, ...V128_AND,
      ]
    : [LOCAL_GET, X, ...vload(0), LOCAL_GET, BP, ...vload(0), ...F64X2_MUL];
  // prettier-ignore
  return [
    0, // no locals
    ...BLOCK,
    LOCAL_GET, N, I32_EQZ, BR_IF, 0,
    ...LOOP,
    LOCAL_GET, X, ...product, ...vstore(0),
    ...advance(X, 16), ...advance(BP, 16), ...(divide ? advance(S, 16) : []),
    LOCAL_GET, N, I32_CONST, 1, I32_SUB, LOCAL_SET, N,
    LOCAL_GET, N, BR_IF, 0,
    END,
    END,
    END,
  ];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const bodies = [forwardBody(true), backwardBody(true), forwardBody(false), backwardBody(false), scaleBody(false), scaleBody(true)];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [3,
      0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0, // 0: (i32 ×5) -> ()
      0x60, 3, 0x7f, 0x7f, 0x7f, 0, // 1: (i32 ×3) -> ()
      0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0, // 2: (i32 ×4) -> ()
    ]),
    ...section(3, [6, 0, 0, 0, 0, 1, 2]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [7, ...name('mem'), 0x02, 0, ...name('forward32'), 0x00, 0, ...name('backward32'), 0x00, 1, ...name('forward64'), 0x00, 2, ...name('backward64'), 0x00, 3,
      ...name('scale'), 0x00, 4, ...name('scaleDivide'), 0x00, 5]),
    ...section(10, [6, ...bodies.flatMap((b) => [...uleb(b.length), ...b])]),
  ]);
}

export type Kernel = (runs: number, nRuns: number, values: number, vector: number, rowVector: number) => void;

export interface ProjectionKernels {
  readonly memory: WebAssembly.Memory;
  forward32: Kernel;
  backward32: Kernel;
  forward64: Kernel;
  backward64: Kernel;
  /** x = x·bp over `pairs` pairs of float64 */
  scale: (x: number, bp: number, pairs: number) => void;
  /** x = (x / s)·bp, 0 where s ≤ 0 */
  scaleDivide: (x: number, bp: number, pairs: number, s: number) => void;
}

/** A fresh kernel instance with its own memory (one per reconstruction), or null without WebAssembly SIMD. */
export function projectionKernels(): ProjectionKernels | null {
  if (process.env.LIGHTPOOL_NO_SIMD === '1') return null;
  try {
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as { mem: WebAssembly.Memory } & Omit<ProjectionKernels, 'memory'>;
    return {
      memory: e.mem,
      forward32: e.forward32,
      backward32: e.backward32,
      forward64: e.forward64,
      backward64: e.backward64,
      scale: e.scale,
      scaleDivide: e.scaleDivide,
    };
  } catch {
    return null;
  }
}
