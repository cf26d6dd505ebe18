/**
 * Decoding of a Blosc (c-blosc 1.x format, HDF5 filter 32001) chunk as
 * blosc_decompress does it: the 16-byte header, the block start table, each
 * block's split streams (stored, zstd, LZ4 or zlib), then the per-block byte
 * unshuffle. zstd and LZ4 run in the plugin's own decoders (plugin-codecs.ts),
 * zlib in Node's. BloscLZ, Snappy and bit-shuffle are not handled here: the
 * caller lets HDF5 (and the plugin) decode those chunks.
 */
import { inflateSync } from 'node:zlib';
import { pluginCodecs, resetPluginCodecs, type PluginCodecs } from './plugin-codecs.js';
import { checkFletcher, fletcherFinish } from './filters.js';
import { fletcherOn } from './fletcher-simd.js';

const DOSHUFFLE = 0x1;
const MEMCPYED = 0x2;
const DOBITSHUFFLE = 0x4;
const DONT_SPLIT = 0x10;
const MAX_SPLITS = 16;
const MIN_BUFFERSIZE = 128;
const FORMAT_LZ4 = 1;
const FORMAT_ZLIB = 3;
const FORMAT_ZSTD = 4;

export class BloscUnsupported extends Error {}

export function bloscSupported(): boolean {
  return pluginCodecs() !== null;
}

function i32(b: Uint8Array, p: number, end: number): number {
  if (p < 0 || p + 4 > end) throw new Error('blosc: truncated chunk');
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/**
 * Decodes the Blosc buffer of `avail` bytes at `srcPtr` in the decoders'
 * memory into region 1 of that memory; returns where and how many bytes.
 */
function decodeInMemory(codecs: PluginCodecs, srcPtr: number, avail: number, maxOut: number): { outPtr: number; nbytes: number } {
  let heap = codecs.heapU8;
  const end = srcPtr + avail;
  if (avail < 16) throw new Error('blosc: truncated header');
  const version = heap[srcPtr];
  const flags = heap[srcPtr + 2];
  const typesize = heap[srcPtr + 3];
  const nbytes = i32(heap, srcPtr + 4, end);
  const blocksize = i32(heap, srcPtr + 8, end);
  const ctbytes = i32(heap, srcPtr + 12, end);
  if (version > 2 || nbytes < 0 || ctbytes > avail || ctbytes < 16) throw new BloscUnsupported('blosc: unknown header');
  if (nbytes > maxOut) throw new Error('blosc: chunk larger than the dataset chunk');
  if (flags & DOBITSHUFFLE && blocksize >= typesize) throw new BloscUnsupported('blosc: bit-shuffle');
  const compformat = (flags & 0xe0) >> 5;
  if (!(flags & MEMCPYED) && compformat !== FORMAT_ZSTD && compformat !== FORMAT_LZ4 && compformat !== FORMAT_ZLIB) throw new BloscUnsupported('blosc: codec');
  const outPtr = codecs.region(1, nbytes + 16);
  if (nbytes === 0) return { outPtr, nbytes };
  if (flags & MEMCPYED) {
    if (16 + nbytes > avail) throw new Error('blosc: truncated stored chunk');
    codecs.heapU8.copyWithin(outPtr, srcPtr + 16, srcPtr + 16 + nbytes);
    return { outPtr, nbytes };
  }
  if (blocksize <= 0 || blocksize > nbytes) throw new Error('blosc: bad block size');
  const doShuffle = (flags & DOSHUFFLE) !== 0 && typesize > 1;
  const blkPtr = doShuffle ? codecs.region(2, blocksize + 16) : 0;
  heap = codecs.heapU8;
  const dontSplit = (flags & DONT_SPLIT) !== 0;
  const leftover = nbytes % blocksize;
  const nblocks = Math.floor(nbytes / blocksize) + (leftover ? 1 : 0);
  if (16 + 4 * nblocks > ctbytes) throw new Error('blosc: truncated block table');
  const ctEnd = srcPtr + ctbytes;
  for (let j = 0; j < nblocks; j++) {
    const isLeftover = leftover > 0 && j === nblocks - 1;
    const bsize = isLeftover ? leftover : blocksize;
    const nsplits = !dontSplit && typesize <= MAX_SPLITS && bsize / typesize >= MIN_BUFFERSIZE && !isLeftover ? typesize : 1;
    const neblock = Math.floor(bsize / nsplits);
    const dest = doShuffle ? blkPtr : outPtr + j * blocksize;
    let p = srcPtr + i32(heap, srcPtr + 16 + 4 * j, ctEnd);
    let w = 0;
    for (let k = 0; k < nsplits; k++) {
      const cbytes = i32(heap, p, ctEnd);
      p += 4;
      if (cbytes <= 0 || p + cbytes > ctEnd) throw new Error('blosc: bad stream size');
      if (cbytes === neblock) {
        heap.copyWithin(dest + w, p, p + cbytes);
      } else {
        let got: number;
        if (compformat === FORMAT_ZSTD) got = codecs.zstd(dest + w, neblock, p, cbytes);
        else if (compformat === FORMAT_LZ4) got = codecs.lz4(dest + w, neblock, p, cbytes);
        else {
          const z = inflateSync(heap.subarray(p, p + cbytes), { chunkSize: Math.max(1024, neblock + 64) });
          if (z.byteLength > neblock) throw new Error('blosc: block decoded to the wrong size');
          codecs.heapU8.set(z, dest + w);
          got = z.byteLength;
        }
        if (got !== neblock) throw new Error('blosc: block decoded to the wrong size');
        heap = codecs.heapU8;
      }
      p += cbytes;
      w += neblock;
    }
    if (doShuffle) unshuffleInto(heap.subarray(blkPtr, blkPtr + bsize), typesize, heap, outPtr + j * blocksize);
  }
  return { outPtr, nbytes };
}

function withCodecs<T>(fn: (codecs: PluginCodecs) => T): T {
  const codecs = pluginCodecs();
  if (!codecs) throw new BloscUnsupported('blosc: decoders unavailable');
  try {
    return fn(codecs);
  } catch (err) {
    // an error inside the decoders' own code (not a format check here) retires the instance
    if (!(err instanceof BloscUnsupported) && !/^(blosc|zstd|lz4|fletcher32):/.test(String((err as Error).message))) resetPluginCodecs();
    throw err;
  }
}

function copyOut(heap: Uint8Array, ptr: number, n: number, into?: Uint8Array): Uint8Array {
  if (!(into && into.byteLength >= n && into.buffer !== heap.buffer)) return heap.slice(ptr, ptr + n);
  const out = into.subarray(0, n);
  out.set(heap.subarray(ptr, ptr + n));
  return out;
}

/** The decompressed bytes of the Blosc buffer `src` (into `into` when it is large enough). Throws on anything unexpected. */
export function bloscDecompress(src: Uint8Array, maxOut: number, into?: Uint8Array): Uint8Array {
  return withCodecs((codecs) => {
    const srcPtr = codecs.region(0, src.byteLength + 16);
    codecs.heapU8.set(src, srcPtr);
    const { outPtr, nbytes } = decodeInMemory(codecs, srcPtr, src.byteLength, maxOut);
    return copyOut(codecs.heapU8, outPtr, nbytes, into);
  });
}

/**
 * A stored Blosc chunk of `storedSize` bytes, which `fill` reads straight
 * into the decoders' memory, decoded there; with `verify`, the fletcher32
 * trailer that PyTables puts inside the Blosc data is checked in place and
 * stripped. One copy out (into `into` when it is large enough). A header
 * announcing more than `maxOut` bytes is an error (a damaged chunk).
 */
export function bloscDecodeStored(fill: (dst: Uint8Array) => void, storedSize: number, verify: boolean, maxOut: number, into?: Uint8Array): Uint8Array {
  return withCodecs((codecs) => {
    const srcPtr = codecs.region(0, storedSize + 16);
    fill(codecs.heapU8.subarray(srcPtr, srcPtr + storedSize));
    const { outPtr, nbytes } = decodeInMemory(codecs, srcPtr, storedSize, maxOut);
    const heap = codecs.heapU8;
    let len = nbytes;
    if (verify) {
      if (len < 4) throw new Error('fletcher32: chunk shorter than its checksum');
      len -= 4;
      const kernel = fletcherOn(codecs.memory);
      const [s1, s2, p] = kernel ? kernel(outPtr, len) : [0, 0, 0];
      const data = heap.subarray(outPtr, outPtr + len);
      checkFletcher(fletcherFinish(data, s1, s2, p), heap.subarray(outPtr, outPtr + nbytes), len);
    }
    return copyOut(heap, outPtr, len, into);
  });
}

/** Blosc's byte unshuffle of one block (`size`-byte elements) into out[at…]. */
function unshuffleInto(src: Uint8Array, size: number, out: Uint8Array, at: number): void {
  const n = Math.floor(src.byteLength / size);
  for (let e = 0; e < n; e++) {
    let d = at + e * size;
    for (let b = 0, s = e; b < size; b++, s += n) out[d++] = src[s];
  }
  const rem = src.byteLength - n * size;
  if (rem > 0) out.set(src.subarray(src.byteLength - rem), at + n * size);
}
