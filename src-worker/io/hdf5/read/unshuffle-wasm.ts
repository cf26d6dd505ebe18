/**
 * HDF5's unshuffle as a WebAssembly kernel generated for one element count
 * n (the chunk's rows): dst[e*size + b] = src[b*n + e], eight source bytes
 * gathered with constant offsets (k·n) into one 64-bit store. It works in the
 * fletcher kernel's memory, so the checksum that follows runs on the result
 * in place. Modules are written out as bytes here and cached per n.
 */
import { kernelMemory } from './fletcher-simd.js';
import { name, section, sleb, uleb } from '../../../util/wasm-bytes.js';
import {
  BR,
  BR_IF,
  LOCAL_GET as GET,
  I32_ADD,
  I32_CONST,
  I32_GE_U,
  I32_GT_U,
  I32_LOAD8_U,
  I32_LT_U,
  I32_MUL,
  I32_STORE8,
  I64_CONST,
  I64_LOAD8_U,
  I64_OR,
  I64_SHL,
  I64_STORE,
  LOCAL_SET as SET,
  LOCAL_TEE as TEE,
} from '../../../util/wasm-opcodes.js';

/** The module for element count `n` (params: src, dst, size). */
function moduleBytes(n: number): Uint8Array<ArrayBuffer> {
  const [SRC, DST, SIZE, E, D, S, END] = [0, 1, 2, 3, 4, 5, 6];
  const gather: number[] = [GET, D, GET, S, I64_LOAD8_U, 0, ...uleb(0)];
  for (let k = 1; k < 8; k++) gather.push(GET, S, I64_LOAD8_U, 0, ...uleb(k * n), I64_CONST, ...sleb(8 * k), I64_SHL, I64_OR);
  // prettier-ignore
  const body = [
    1, 4, 0x7f, // locals e, d, s, end: i32
    I32_CONST, 0, SET, E,
    0x03, 0x40, // loop over elements
    GET, DST, GET, E, GET, SIZE, I32_MUL, I32_ADD, TEE, D, GET, SIZE, I32_ADD, SET, END,
    GET, SRC, GET, E, I32_ADD, SET, S,
    0x02, 0x40, 0x03, 0x40, // block { loop: 8 bytes at a time
    GET, D, I32_CONST, 8, I32_ADD, GET, END, I32_GT_U, BR_IF, 1,
    ...gather, I64_STORE, 0, 0,
    GET, D, I32_CONST, 8, I32_ADD, SET, D,
    GET, S, I32_CONST, ...sleb(8 * n), I32_ADD, SET, S,
    BR, 0,
    0x0b, 0x0b,
    0x02, 0x40, 0x03, 0x40, // block { loop: the remaining bytes
    GET, D, GET, END, I32_GE_U, BR_IF, 1,
    GET, D, GET, S, I32_LOAD8_U, 0, 0, I32_STORE8, 0, 0,
    GET, D, I32_CONST, 1, I32_ADD, SET, D,
    GET, S, I32_CONST, ...sleb(n), I32_ADD, SET, S,
    BR, 0,
    0x0b, 0x0b,
    GET, E, I32_CONST, 1, I32_ADD, TEE, E, I32_CONST, ...sleb(n), I32_LT_U, BR_IF, 0,
    0x0b, // end element loop
    0x0b,
  ];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 0]),
    ...section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('unshuffle'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

type Kernel = (src: number, dst: number, size: number) => void;
const kernels = new Map<number, Kernel | null>();

function kernelFor(n: number, mem: WebAssembly.Memory): Kernel | null {
  let k = kernels.get(n);
  if (k === undefined) {
    try {
      const bytes = moduleBytes(n);
      k = WebAssembly.validate(bytes)
        ? (new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } }).exports as { unshuffle: Kernel }).unshuffle
        : null;
    } catch {
      k = null;
    }
    kernels.set(n, k);
  }
  return k;
}

const align8 = (x: number) => (x + 7) & ~7;

/**
 * Unshuffles `src` (elements of `size` bytes) into the kernels' memory and
 * returns [memory, offset of the result]; null when the kernels are not
 * available (the caller uses the JS version).
 */
export function unshuffleToKernelMemory(src: Uint8Array, size: number): [WebAssembly.Memory, number] | null {
  const nbytes = src.byteLength;
  const n = Math.floor(nbytes / size);
  if (n < 8 || size < 8 || 8 * n > 0x3fffffff) return null;
  const dst = align8(nbytes);
  const mem = kernelMemory(dst + nbytes + 8);
  if (!mem) return null;
  const k = kernelFor(n, mem);
  if (!k) return null;
  const heap = new Uint8Array(mem.buffer);
  heap.set(src, 0);
  k(0, dst, size);
  const leftover = nbytes - n * size;
  if (leftover > 0) heap.copyWithin(dst + n * size, nbytes - leftover, nbytes);
  return [mem, dst];
}
