/**
 * Blosc (c-blosc 1.x format, HDF5 filter 32001) chunks with zstd, as
 * PyTables writes them for ctapipe (`blosc:zstd`, level 5, byte shuffle):
 * the 16-byte header, the block start table, then per block one zstd stream
 * (zstd blocks are not split, DONT_SPLIT), stored as is where zstd does not
 * make it smaller, and the whole buffer stored as is (MEMCPYED) when that is
 * smaller still. zstd runs in h5wasm-plugins' own libH5Zblosc.so (the
 * compressor of the same zstd the reader decodes with: read/plugin-codecs.ts);
 * the byte shuffle is Blosc's per block. HDF5's Blosc plugin (h5py,
 * PyTables, ctapipe) and our reader (read/blosc.ts) decode it.
 */
import { pluginCodecs } from '../read/plugin-codecs.js';

const BLOSC_VERSION_FORMAT = 2;
const BLOSC_ZSTD_VERSION_FORMAT = 1;
const DOSHUFFLE = 0x1;
const MEMCPYED = 0x2;
const DONT_SPLIT = 0x10;
const FORMAT_ZSTD = 4;
/** Blosc's compcode for zstd, in the HDF5 filter's client data */
export const BLOSC_COMPCODE_ZSTD = 5;
/** the HDF5 filter's version (hdf5-blosc FILTER_BLOSC_VERSION) */
export const FILTER_BLOSC_VERSION = 2;
const MAX_TYPESIZE = 255;
/** block size for zstd at the middle levels (c-blosc: L1 × 8) */
const BLOCK = 256 * 1024;

export function bloscAvailable(): boolean {
  return pluginCodecs() !== null;
}

/** Blosc's element size for a dataset type of `size` bytes: wider types are compressed as bytes. */
export function bloscTypesize(size: number): number {
  return size > MAX_TYPESIZE || size < 1 ? 1 : size;
}

/** Blosc's byte shuffle of one block (`size`-byte elements), the trailing partial element copied. */
function shuffleInto(src: Uint8Array, size: number, out: Uint8Array, at: number): void {
  const n = Math.floor(src.byteLength / size);
  for (let b = 0; b < size; b++) {
    let d = at + b * n;
    for (let e = 0, s = b; e < n; e++, s += size) out[d++] = src[s];
  }
  const rem = src.byteLength - n * size;
  if (rem > 0) out.set(src.subarray(src.byteLength - rem), at + n * size);
}

/** The Blosc/zstd buffer of `data`. Throws when the plugin's codecs are not available. */
export function bloscCompress(data: Uint8Array, opts: { typesize: number; level: number; shuffle: boolean }): Uint8Array {
  const codecs = pluginCodecs();
  if (!codecs) throw new Error('Blosc: the zstd compressor of h5wasm-plugins is not available');
  const nbytes = data.byteLength;
  const typesize = bloscTypesize(opts.typesize);
  let blocksize = Math.min(nbytes, BLOCK);
  if (blocksize > typesize) blocksize -= blocksize % typesize;
  blocksize = Math.max(1, blocksize);
  const nblocks = nbytes === 0 ? 0 : Math.ceil(nbytes / blocksize);
  const doShuffle = opts.shuffle && typesize > 1;
  const flags = (opts.shuffle ? DOSHUFFLE : 0) | DONT_SPLIT | (FORMAT_ZSTD << 5);
  const headerBytes = 16 + 4 * nblocks;
  const cap = headerBytes + nbytes + 4 * nblocks + 64;
  // regions: 0 the input, 1 the output, 2 a shuffled block
  const srcPtr = codecs.region(0, nbytes + 16);
  const outPtr = codecs.region(1, cap);
  const tmpPtr = doShuffle ? codecs.region(2, blocksize + 16) : 0;
  let heap = codecs.heapU8;
  heap.set(data, srcPtr);
  let at = headerBytes;
  for (let j = 0; j < nblocks; j++) {
    const start = j * blocksize;
    const bsize = Math.min(blocksize, nbytes - start);
    let blockPtr = srcPtr + start;
    if (doShuffle) {
      shuffleInto(heap.subarray(blockPtr, blockPtr + bsize), typesize, heap, tmpPtr);
      blockPtr = tmpPtr;
    }
    // the block start, then [int32 size][stream]
    new DataView(heap.buffer, outPtr).setInt32(16 + 4 * j, at, true);
    const got = codecs.zstdCompress(outPtr + at + 4, bsize - 1, blockPtr, bsize, opts.level);
    heap = codecs.heapU8;
    const view = new DataView(heap.buffer, outPtr);
    if (got > 0 && got < bsize) {
      view.setInt32(at, got, true);
      at += 4 + got;
    } else {
      view.setInt32(at, bsize, true);
      heap.copyWithin(outPtr + at + 4, blockPtr, blockPtr + bsize);
      at += 4 + bsize;
    }
  }
  if (at >= nbytes + 16) {
    const out = new Uint8Array(16 + nbytes);
    header(out, flags | MEMCPYED, typesize, nbytes, blocksize, 16 + nbytes);
    out.set(data, 16);
    return out;
  }
  const out = heap.slice(outPtr, outPtr + at);
  header(out, flags, typesize, nbytes, blocksize, at);
  return out;
}

function header(out: Uint8Array, flags: number, typesize: number, nbytes: number, blocksize: number, ctbytes: number): void {
  out[0] = BLOSC_VERSION_FORMAT;
  out[1] = BLOSC_ZSTD_VERSION_FORMAT;
  out[2] = flags;
  out[3] = typesize;
  const v = new DataView(out.buffer, out.byteOffset);
  v.setInt32(4, nbytes, true);
  v.setInt32(8, blocksize, true);
  v.setInt32(12, ctbytes, true);
}
