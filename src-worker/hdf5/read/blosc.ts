/**
 * Decoding of a Blosc (c-blosc 1.x format, HDF5 filter 32001) chunk as
 * blosc_decompress does it: the 16-byte header, the block start table, each
 * block's split streams (stored, zstd, LZ4 or zlib), then the per-block byte
 * unshuffle. zstd and LZ4 run in the plugin's own decoders (plugin-codecs.ts),
 * zlib in Node's. BloscLZ, Snappy and bit-shuffle are not handled here: the
 * caller lets HDF5 (and the plugin) decode those chunks.
 */
import { inflateSync } from 'node:zlib';
import { pluginCodecs, resetPluginCodecs } from './plugin-codecs.js';

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

function i32(b: Uint8Array, p: number): number {
  if (p < 0 || p + 4 > b.byteLength) throw new Error('blosc: truncated chunk');
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/** The decompressed bytes of the Blosc buffer `src` (into `into` when it is large enough). Throws on anything unexpected. */
export function bloscDecompress(src: Uint8Array, into?: Uint8Array): Uint8Array {
  if (src.byteLength < 16) throw new Error('blosc: truncated header');
  const version = src[0];
  const flags = src[2];
  const typesize = src[3];
  const nbytes = i32(src, 4);
  const blocksize = i32(src, 8);
  const ctbytes = i32(src, 12);
  if (version > 2 || nbytes < 0 || ctbytes > src.byteLength || ctbytes < 16) throw new BloscUnsupported('blosc: unknown header');
  const out = into && into.byteLength >= nbytes && into.buffer !== src.buffer ? into.subarray(0, nbytes) : new Uint8Array(nbytes);
  if (nbytes === 0) return out;
  if (flags & MEMCPYED) {
    if (16 + nbytes > src.byteLength) throw new Error('blosc: truncated stored chunk');
    out.set(src.subarray(16, 16 + nbytes));
    return out;
  }
  if (blocksize <= 0 || blocksize > nbytes) throw new Error('blosc: bad block size');
  if (flags & DOBITSHUFFLE && blocksize >= typesize) throw new BloscUnsupported('blosc: bit-shuffle');
  const compformat = (flags & 0xe0) >> 5;
  if (compformat !== FORMAT_ZSTD && compformat !== FORMAT_LZ4 && compformat !== FORMAT_ZLIB) throw new BloscUnsupported('blosc: codec');
  const codecs = pluginCodecs();
  if (!codecs) throw new BloscUnsupported('blosc: decoders unavailable');
  const doShuffle = (flags & DOSHUFFLE) !== 0 && typesize > 1;
  const dontSplit = (flags & DONT_SPLIT) !== 0;
  const leftover = nbytes % blocksize;
  const nblocks = Math.floor(nbytes / blocksize) + (leftover ? 1 : 0);
  if (16 + 4 * nblocks > ctbytes) throw new Error('blosc: truncated block table');
  try {
    // compressed buffer, then one block of output, in the decoders' memory
    const srcPtr = codecs.scratch(ctbytes + blocksize + 16);
    const blkPtr = srcPtr + ((ctbytes + 15) & ~15);
    let heap = codecs.heapU8;
    heap.set(src.subarray(0, ctbytes), srcPtr);
    for (let j = 0; j < nblocks; j++) {
      const isLeftover = leftover > 0 && j === nblocks - 1;
      const bsize = isLeftover ? leftover : blocksize;
      const nsplits = !dontSplit && typesize <= MAX_SPLITS && bsize / typesize >= MIN_BUFFERSIZE && !isLeftover ? typesize : 1;
      const neblock = Math.floor(bsize / nsplits);
      let p = i32(src, 16 + 4 * j);
      let w = 0;
      for (let k = 0; k < nsplits; k++) {
        const cbytes = i32(src, p);
        p += 4;
        if (cbytes <= 0 || p + cbytes > ctbytes) throw new Error('blosc: bad stream size');
        if (cbytes === neblock) {
          heap.copyWithin(blkPtr + w, srcPtr + p, srcPtr + p + cbytes);
        } else {
          let got: number;
          if (compformat === FORMAT_ZSTD) got = codecs.zstd(blkPtr + w, neblock, srcPtr + p, cbytes);
          else if (compformat === FORMAT_LZ4) got = codecs.lz4(blkPtr + w, neblock, srcPtr + p, cbytes);
          else {
            const z = inflateSync(src.subarray(p, p + cbytes), { chunkSize: Math.max(1024, neblock + 64) });
            heap = codecs.heapU8;
            heap.set(z, blkPtr + w);
            got = z.byteLength;
          }
          if (got !== neblock) throw new Error('blosc: block decoded to the wrong size');
          heap = codecs.heapU8;
        }
        p += cbytes;
        w += neblock;
      }
      const block = heap.subarray(blkPtr, blkPtr + bsize);
      const at = j * blocksize;
      if (doShuffle) unshuffleInto(block, typesize, out, at);
      else out.set(block, at);
    }
  } catch (err) {
    if (!(err instanceof BloscUnsupported) && !/^(blosc|zstd|lz4):/.test(String((err as Error).message))) resetPluginCodecs();
    throw err;
  }
  return out;
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
