/**
 * HDF5's fletcher32 over whole 360-word blocks with WebAssembly SIMD, eight
 * 16-bit words per step (the checksum was the largest JS cost of the chunk
 * fast path). Per block of 360 big-endian words w_k the scalar loop does
 * sum1 += w_k; sum2 += sum1, then folds both; here lanes keep running sums
 * R_l and their totals A_l, so that for the block
 *   S = Σ w_k = Σ_l R_l,   T = Σ (361 − k) w_k = 8 Σ_l A_l − Σ_l l·R_l,
 * sum2 += 360·sum1 + T, sum1 += S, then the same fold: the result is bit for
 * bit HDF5's (32-bit wrap-around included). The module is written out here
 * as bytes (no toolchain needed); the tail of a buffer stays in JS.
 */

import { name, section, simd, uleb } from '../../../util/wasm-bytes.js';
import { I32_ADD, I32_CONST, I32_MUL, I32_SUB, LOCAL_GET, LOCAL_SET, LOCAL_TEE, SHUFFLE, V128_CONST, V128_LOAD } from '../../../util/wasm-opcodes.js';

const u = (...b: number[]) => b;

const I32_AND = 0x71;
const I32_SHR_U = 0x76;
const EXTRACT = simd(0x1b);
const EXT_LOW_U = simd(0xa9);
const EXT_HIGH_U = simd(0xaa);
const V_SHL = simd(0xab);
const V_ADD = simd(0xae);
const V_SUB = simd(0xb1);
const V_MUL = simd(0xb5);

// locals: 0 p, 1 nBlocks, 2 sum1, 3 sum2 (params); 4 Rlo, 5 Rhi, 6 Alo, 7 Ahi, 8 v (v128); 9 j, 10 t (i32)
const [P, N, S1, S2, RLO, RHI, ALO, AHI, V, J, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const i32x4 = (a: number, b: number, c: number, d: number) => [a, b, c, d].flatMap((x) => [x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff]);
const sumLanes = (local: number) => [
  ...u(LOCAL_GET, local),
  ...EXTRACT,
  0,
  ...u(LOCAL_GET, local),
  ...EXTRACT,
  1,
  I32_ADD,
  ...u(LOCAL_GET, local),
  ...EXTRACT,
  2,
  I32_ADD,
  ...u(LOCAL_GET, local),
  ...EXTRACT,
  3,
  I32_ADD,
];
const fold = (local: number) => [
  ...u(LOCAL_GET, local, I32_CONST, 0xff, 0xff, 0x03, I32_AND, LOCAL_GET, local, I32_CONST, 16, I32_SHR_U, I32_ADD, LOCAL_SET, local),
];

// prettier-ignore
const body = [
  2, 5, 0x7b, 2, 0x7f, // locals: 5 × v128, 2 × i32
  0x02, 0x40, // block
  LOCAL_GET, N, 0x45, 0x0d, 0, // if nBlocks == 0 break
  0x03, 0x40, // loop over blocks
  ...V128_CONST, ...new Array(16).fill(0), LOCAL_TEE, RLO, LOCAL_TEE, RHI, LOCAL_TEE, ALO, LOCAL_SET, AHI,
  I32_CONST, 45, LOCAL_SET, J,
  0x03, 0x40, // loop over 45 vectors of 8 words
  LOCAL_GET, P, ...V128_LOAD, 0, 0, LOCAL_SET, V,
  LOCAL_GET, V, LOCAL_GET, V, ...SHUFFLE, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14, LOCAL_SET, V,
  LOCAL_GET, RLO, LOCAL_GET, V, ...EXT_LOW_U, ...V_ADD, LOCAL_TEE, RLO, LOCAL_GET, ALO, ...V_ADD, LOCAL_SET, ALO,
  LOCAL_GET, RHI, LOCAL_GET, V, ...EXT_HIGH_U, ...V_ADD, LOCAL_TEE, RHI, LOCAL_GET, AHI, ...V_ADD, LOCAL_SET, AHI,
  LOCAL_GET, P, I32_CONST, 16, I32_ADD, LOCAL_SET, P,
  LOCAL_GET, J, I32_CONST, 1, I32_SUB, LOCAL_TEE, J, 0x0d, 0,
  0x0b, // end vector loop
  // v = (Alo << 3) − Rlo·[0,1,2,3] + (Ahi << 3) − Rhi·[4,5,6,7]
  LOCAL_GET, ALO, I32_CONST, 3, ...V_SHL, LOCAL_GET, RLO, ...V128_CONST, ...i32x4(0, 1, 2, 3), ...V_MUL, ...V_SUB,
  LOCAL_GET, AHI, I32_CONST, 3, ...V_SHL, LOCAL_GET, RHI, ...V128_CONST, ...i32x4(4, 5, 6, 7), ...V_MUL, ...V_SUB,
  ...V_ADD, LOCAL_SET, V,
  ...sumLanes(V), LOCAL_SET, T,
  LOCAL_GET, S2, LOCAL_GET, S1, I32_CONST, 0xe8, 0x02, I32_MUL, I32_ADD, LOCAL_GET, T, I32_ADD, LOCAL_SET, S2,
  LOCAL_GET, RLO, LOCAL_GET, RHI, ...V_ADD, LOCAL_SET, V,
  LOCAL_GET, S1, ...sumLanes(V), I32_ADD, LOCAL_SET, S1,
  ...fold(S1), ...fold(S2),
  LOCAL_GET, N, I32_CONST, 1, I32_SUB, LOCAL_TEE, N, 0x0d, 0,
  0x0b, // end block loop
  0x0b, // end block
  LOCAL_GET, S2, 0x24, 0, // global.set sum2
  LOCAL_GET, S1,
  0x0b,
];

/** The module with its own memory (exported as "mem"), or with memory imported from env.mem. */
function moduleBytes(importMemory: boolean): Uint8Array<ArrayBuffer> {
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...(importMemory ? section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x00, 1]) : []),
    ...section(3, [1, 0]),
    ...(importMemory ? [] : section(5, [1, 0x00, 1])),
    ...section(6, [1, 0x7f, 0x01, I32_CONST, 0, 0x0b]),
    ...(importMemory
      ? section(7, [2, ...name('blocks'), 0x00, 0, ...name('sum2'), 0x03, 0])
      : section(7, [3, ...name('mem'), 0x02, 0, ...name('blocks'), 0x00, 0, ...name('sum2'), 0x03, 0])),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
const MODULE = moduleBytes(false);

interface Kernel {
  mem: WebAssembly.Memory;
  blocks: (p: number, n: number, s1: number, s2: number) => number;
  sum2: WebAssembly.Global;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel === undefined) {
    try {
      kernel = WebAssembly.validate(MODULE) ? (new WebAssembly.Instance(new WebAssembly.Module(MODULE)).exports as unknown as Kernel) : null;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

const BLOCK_BYTES = 720;

/** The kernels' memory, grown to hold at least `bytes`; null when SIMD is unavailable. */
export function kernelMemory(bytes: number): WebAssembly.Memory | null {
  const k = load();
  if (!k) return null;
  const have = k.mem.buffer.byteLength;
  if (bytes > have) k.mem.grow(Math.ceil((bytes - have) / 65536));
  return k.mem;
}

/**
 * Runs the whole 360-word blocks of the `nbytes` at `ptr` in the kernels'
 * memory from sums (0, 0); returns [sum1, sum2, bytes consumed].
 */
export function fletcherBlocksAt(ptr: number, nbytes: number): [number, number, number] {
  const k = load()!;
  const nBlocks = Math.floor(nbytes / BLOCK_BYTES);
  if (nBlocks === 0) return [0, 0, 0];
  const s1 = k.blocks(ptr, nBlocks, 0, 0) >>> 0;
  return [s1, (k.sum2.value as number) >>> 0, nBlocks * BLOCK_BYTES];
}

/**
 * Runs the whole 360-word blocks at the start of `data` from sums (0, 0);
 * returns [sum1, sum2, bytes consumed], or null when SIMD is unavailable.
 */
export function fletcherBlocks(data: Uint8Array): [number, number, number] | null {
  const bytes = Math.floor(data.byteLength / BLOCK_BYTES) * BLOCK_BYTES;
  const mem = kernelMemory(bytes);
  if (!mem) return null;
  if (bytes === 0) return [0, 0, 0];
  new Uint8Array(mem.buffer, 0, bytes).set(data.subarray(0, bytes));
  return fletcherBlocksAt(0, bytes);
}

const onMemory = new WeakMap<WebAssembly.Memory, Kernel | null>();

/**
 * The block kernel working on another module's memory `mem` (the Blosc
 * decoders'), so a decoded chunk is checked where it lies; null without SIMD.
 */
export function fletcherOn(mem: WebAssembly.Memory): ((ptr: number, nbytes: number) => [number, number, number]) | null {
  let k = onMemory.get(mem);
  if (k === undefined) {
    try {
      const bytes = moduleBytes(true);
      k = WebAssembly.validate(bytes) ? (new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } }).exports as unknown as Kernel) : null;
    } catch {
      k = null;
    }
    onMemory.set(mem, k);
  }
  if (!k) return null;
  const kernel = k;
  return (ptr, nbytes) => {
    const nBlocks = Math.floor(nbytes / BLOCK_BYTES);
    if (nBlocks === 0) return [0, 0, 0];
    const s1 = kernel.blocks(ptr, nBlocks, 0, 0) >>> 0;
    return [s1, (kernel.sum2.value as number) >>> 0, nBlocks * BLOCK_BYTES];
  };
}

/** Whether the SIMD kernel loaded (for tests). */
export function fletcherSimdAvailable(): boolean {
  return load() !== null;
}
