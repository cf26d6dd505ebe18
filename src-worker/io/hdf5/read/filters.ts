/**
 * The HDF5 filters the chunk fast path undoes outside WebAssembly, bit for
 * bit as HDF5 does: deflate (id 1, Node's native zlib), shuffle (id 2, byte
 * transposition) and fletcher32 (id 3, checksum verified, including HDF5's
 * byte-swapped legacy form). A failed check or a corrupt stream throws, and
 * the caller lets HDF5 read the chunk (and report the error).
 */
import { inflateSync } from 'node:zlib';
import { fletcherBlocks, fletcherBlocksAt } from './fletcher-simd.js';
import { unshuffleToKernelMemory } from './unshuffle-wasm.js';

export const FILTER_DEFLATE = 1;
export const FILTER_SHUFFLE = 2;
export const FILTER_FLETCHER32 = 3;
export const FILTER_BLOSC = 32001;

/**
 * H5_checksum_fletcher32 over `data`: big-endian 16-bit words, both sums
 * folded after every block of 360 words (32-bit wrap-around as in C). Whole
 * blocks go to the SIMD kernel (or four bytes per load), the last partial
 * block through HDF5's own loop, so the block structure is HDF5's exactly.
 */
export function fletcher32(data: Uint8Array): number {
  const n = data.byteLength;
  const fullBlocks = Math.floor(n / 720);
  let sum1 = 0;
  let sum2 = 0;
  let p = 0;
  const simd = fullBlocks >= 4 ? fletcherBlocks(data) : null;
  if (simd) {
    [sum1, sum2, p] = simd;
  } else if ((data.byteOffset & 3) === 0 && fullBlocks > 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, fullBlocks * 180);
    for (let i = 0; i < words.length;) {
      for (const stop = i + 180; i < stop; i++) {
        const v = words[i];
        sum1 += ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
        sum2 += sum1;
        sum1 += ((v >>> 8) & 0xff00) | (v >>> 24);
        sum2 += sum1;
      }
      sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
      sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
    }
    p = fullBlocks * 720;
  }
  return fletcherFinish(data, sum1, sum2, p);
}

/** HDF5's loop from byte `p` (a block boundary) of `data` with sums so far, and the final fold. */
export function fletcherFinish(data: Uint8Array, sum1: number, sum2: number, p: number): number {
  const n = data.byteLength;
  let len = (n - p) >>> 1;
  while (len) {
    let t = len > 360 ? 360 : len;
    len -= t;
    do {
      sum1 += (data[p] << 8) | data[p + 1];
      p += 2;
      sum2 += sum1;
    } while (--t);
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (n & 1) {
    sum1 += data[p] << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}

/** Throws unless `sum` matches the stored checksum (or its byte-swapped legacy form). */
export function checkFletcher(sum: number, buf: Uint8Array, n: number): void {
  const stored = (buf[n] | (buf[n + 1] << 8) | (buf[n + 2] << 16) | (buf[n + 3] << 24)) >>> 0;
  if (sum === stored) return;
  // files written by HDF5 1.6/1.8 on some platforms store the checksum byte-swapped in pairs
  const reversed = (((sum & 0x000000ff) << 8) | ((sum & 0x0000ff00) >>> 8) | ((sum & 0x00ff0000) << 8) | ((sum & 0xff000000) >>> 8)) >>> 0;
  if (reversed !== stored) throw new Error('fletcher32: checksum mismatch');
}

/** Verifies and strips the 4-byte fletcher32 trailer. */
export function undoFletcher32(buf: Uint8Array): Uint8Array {
  if (buf.byteLength < 4) throw new Error('fletcher32: chunk shorter than its checksum');
  const n = buf.byteLength - 4;
  const data = buf.subarray(0, n);
  checkFletcher(fletcher32(data), buf, n);
  return data;
}

/**
 * Unshuffle, then (when `verify`) check and strip the fletcher32 trailer, in
 * the WebAssembly kernels' memory: one copy in, one copy out (into `into`
 * when it is large enough). Falls back to the JS versions.
 */
export function unshuffleThenFletcher(src: Uint8Array, size: number, verify: boolean, into?: Uint8Array): Uint8Array {
  const r = unshuffleToKernelMemory(src, size);
  if (!r) {
    const d = unshuffle(src, size, into);
    return verify ? undoFletcher32(d) : d;
  }
  const [mem, ptr] = r;
  const heap = new Uint8Array(mem.buffer, ptr, src.byteLength);
  let len = src.byteLength;
  if (verify) {
    if (len < 4) throw new Error('fletcher32: chunk shorter than its checksum');
    len -= 4;
    const [s1, s2, p] = fletcherBlocksAt(ptr, len);
    checkFletcher(fletcherFinish(heap.subarray(0, len), s1, s2, p), heap, len);
  }
  const out = into && into.byteLength >= len && into.buffer !== src.buffer ? into.subarray(0, len) : new Uint8Array(len);
  out.set(heap.subarray(0, len));
  return out;
}

/** Reverses HDF5's shuffle filter (element size `size`) into `into` (4-byte aligned, not `src`) or a new buffer. */
export function unshuffle(src: Uint8Array, size: number, into?: Uint8Array): Uint8Array {
  const nbytes = src.byteLength;
  const dst =
    into && into.byteLength >= nbytes && (into.byteOffset & 3) === 0 && into.buffer !== src.buffer ? into.subarray(0, nbytes) : new Uint8Array(nbytes);
  const n = Math.floor(nbytes / size);
  if (size <= 1 || n <= 1) {
    dst.set(src);
    return dst;
  }
  // dst[e*size + b] = src[b*n + e]: write each element's bytes in order, four at a time
  const dst32 = new Uint32Array(dst.buffer, dst.byteOffset, nbytes >>> 2);
  const n2 = 2 * n;
  const n3 = 3 * n;
  const n4 = 4 * n;
  for (let e = 0; e < n; e++) {
    let d = e * size;
    let s = e;
    const end = d + size;
    for (; (d & 3) !== 0 && d < end; d++, s += n) dst[d] = src[s];
    for (; d + 4 <= end; d += 4, s += n4) dst32[d >>> 2] = src[s] | (src[s + n] << 8) | (src[s + n2] << 16) | (src[s + n3] << 24);
    for (; d < end; d++, s += n) dst[d] = src[s];
  }
  const leftover = nbytes - n * size;
  if (leftover > 0) dst.set(src.subarray(nbytes - leftover), nbytes - leftover);
  return dst;
}

/** zlib-format inflate (HDF5's deflate filter) with native zlib. */
export function inflate(src: Uint8Array, expected: number): Uint8Array {
  // one output chunk a little larger than expected, so zlib never has to concatenate
  // (and never more than that: a damaged stream cannot inflate without bound)
  const out = inflateSync(src, { chunkSize: Math.max(64 * 1024, Math.min(expected + 1024, 64 << 20)), maxOutputLength: expected + 1024 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
