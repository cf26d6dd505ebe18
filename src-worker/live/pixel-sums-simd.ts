/**
 * The per-pixel sums of the live pixel maps (Σ charge, Σ charge²) with
 * WebAssembly SIMD: four float32 charges per step, widened to float64 and
 * added to float64 accumulators, the same operations as the scalar loop
 * (so bit for bit the same sums). It was the largest single cost of a live
 * image after the simulation (~7 µs of scalar JS per LSTCam image). The
 * module is written out here as bytes, no toolchain needed; without SIMD
 * the caller keeps its scalar loop.
 */

import { name, section, sharedMemorySection, simd, uleb } from '../util/wasm-bytes.js';
import { I32_ADD, I32_CONST, I32_SUB, LOCAL_GET, LOCAL_SET, LOCAL_TEE, SHUFFLE, V128_LOAD, V128_STORE } from '../util/wasm-opcodes.js';

const PROMOTE_LOW = simd(0x5f);
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
/** memarg: 16-byte alignment hint, offset */
const mem = (offset: number) => [4, offset];

// params: image (f32), sum (f64), sumSq (f64), groups of 4 pixels (> 0)
const [IMG, SUM, SQ, N, V, LO, HI] = [0, 1, 2, 3, 4, 5, 6];
// prettier-ignore
const body = [
  1, 3, 0x7b, // locals: v, lo, hi: v128
  0x03, 0x40, // loop
  LOCAL_GET, IMG, ...V128_LOAD, ...mem(0), LOCAL_TEE, V,
  ...PROMOTE_LOW, LOCAL_SET, LO,
  LOCAL_GET, V, LOCAL_GET, V, ...SHUFFLE, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7,
  ...PROMOTE_LOW, LOCAL_SET, HI,
  LOCAL_GET, SUM, LOCAL_GET, SUM, ...V128_LOAD, ...mem(0), LOCAL_GET, LO, ...F64X2_ADD, ...V128_STORE, ...mem(0),
  LOCAL_GET, SUM, LOCAL_GET, SUM, ...V128_LOAD, ...mem(16), LOCAL_GET, HI, ...F64X2_ADD, ...V128_STORE, ...mem(16),
  LOCAL_GET, SQ, LOCAL_GET, SQ, ...V128_LOAD, ...mem(0), LOCAL_GET, LO, LOCAL_GET, LO, ...F64X2_MUL, ...F64X2_ADD, ...V128_STORE, ...mem(0),
  LOCAL_GET, SQ, LOCAL_GET, SQ, ...V128_LOAD, ...mem(16), LOCAL_GET, HI, LOCAL_GET, HI, ...F64X2_MUL, ...F64X2_ADD, ...V128_STORE, ...mem(16),
  LOCAL_GET, IMG, I32_CONST, 16, I32_ADD, LOCAL_SET, IMG,
  LOCAL_GET, SUM, I32_CONST, 32, I32_ADD, LOCAL_SET, SUM,
  LOCAL_GET, SQ, I32_CONST, 32, I32_ADD, LOCAL_SET, SQ,
  LOCAL_GET, N, I32_CONST, 1, I32_SUB, LOCAL_TEE, N, 0x0d, 0, // br_if loop
  0x0b, // end loop
  0x0b,
];

// prettier-ignore
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // type (i32 ×4) -> ()
  ...section(3, [1, 0]),
  ...sharedMemorySection(1, 32768), // memory, 1 page to start, shared (see sharedMemorySection)
  ...section(7, [2, ...name('mem'), 0x02, 0, ...name('accumulate'), 0x00, 0]),
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

export interface SimdSumsKernel {
  readonly memory: WebAssembly.Memory;
  /** adds the float32 charges at byte `image` to the float64 sums at `sum` and `sumSq`, for 4·groups pixels */
  accumulate(image: number, sum: number, sumSq: number, groups: number): void;
}

let kernel: SimdSumsKernel | null | undefined;

/** The kernel (one per thread), or null where WebAssembly SIMD is not available. */
export function simdSumsKernel(): SimdSumsKernel | null {
  if (kernel === undefined) {
    try {
      if (!WebAssembly.validate(MODULE)) kernel = null;
      else {
        const e = new WebAssembly.Instance(new WebAssembly.Module(MODULE)).exports as { mem: WebAssembly.Memory; accumulate: SimdSumsKernel['accumulate'] };
        kernel = { memory: e.mem, accumulate: e.accumulate };
      }
    } catch {
      kernel = null;
    }
  }
  return kernel;
}
