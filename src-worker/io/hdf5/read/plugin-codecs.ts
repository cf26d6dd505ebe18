/**
 * The zstd and LZ4 decoders of h5wasm-plugins' Blosc plugin
 * (libH5Zblosc.so, an Emscripten side module that exports ZSTD_* and LZ4_*),
 * instantiated on their own small WebAssembly memory, outside HDF5: the chunk
 * fast path hands them Blosc blocks directly, with no HDF5 filter pipeline,
 * chunk cache copies or per-read dataset opening around them. The few libc
 * functions the decoders call (malloc, free, memcpy, memset, ...) are given
 * here; any other import throws, which retires the instance (the caller then
 * lets HDF5 read the chunk).
 */
import { bloscSideModule, instantiateSideModule, type SideModuleHeap } from '../../wasm/blosc-side-module.js';

const STACK_SIZE = 1 << 20;

interface Exports {
  ZSTD_createDCtx: () => number;
  ZSTD_decompressDCtx: (dctx: number, dst: number, dstCap: number, src: number, srcSize: number) => number;
  ZSTD_isError: (code: number) => number;
  LZ4_decompress_safe: (src: number, dst: number, srcSize: number, dstCap: number) => number;
  ZSTD_createCCtx: () => number;
  ZSTD_compressCCtx: (cctx: number, dst: number, dstCap: number, src: number, srcSize: number, level: number) => number;
}

export class PluginCodecs {
  private exports: Exports;
  private heap: SideModuleHeap;
  private dctx = 0;
  private cctx = 0;
  private regions: { ptr: number; cap: number }[] = [];

  private constructor(readonly memory: WebAssembly.Memory) {
    const inst = instantiateSideModule<Exports>(bloscSideModule(), memory, STACK_SIZE, 'Blosc codecs');
    this.exports = inst.exports;
    this.heap = inst.heap;
  }

  static load(): PluginCodecs {
    return new PluginCodecs(new WebAssembly.Memory({ initial: 64, maximum: 32768 }));
  }

  /**
   * Region `slot` (0, 1, 2, ...) of at least `n` bytes in the instance's memory,
   * reused between calls; growing one region leaves the others' bytes alone
   * (but may grow the memory: take new views afterwards).
   */
  region(slot: number, n: number): number {
    const r = (this.regions[slot] ??= { ptr: 0, cap: 0 });
    if (r.cap < n) {
      if (r.ptr) this.heap.release(r.ptr);
      r.cap = Math.max(n, 1 << 20);
      r.ptr = this.heap.malloc(r.cap);
      if (!r.ptr) {
        r.cap = 0;
        throw new Error('Blosc codecs: out of memory');
      }
    }
    return r.ptr;
  }

  get heapU8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** zstd frame at [src, src+srcSize) into [dst, dst+dstCap); returns the decoded size (throws on error). */
  zstd(dst: number, dstCap: number, src: number, srcSize: number): number {
    if (!this.dctx) this.dctx = this.exports.ZSTD_createDCtx();
    if (!this.dctx) throw new Error('Blosc codecs: ZSTD_createDCtx failed');
    const r = this.exports.ZSTD_decompressDCtx(this.dctx, dst, dstCap, src, srcSize) >>> 0;
    if (this.exports.ZSTD_isError(r)) throw new Error('zstd: corrupt block');
    return r;
  }

  /**
   * zstd frame of [src, src+srcSize) at `level` into [dst, dst+dstCap);
   * returns its size, or 0 when it does not fit in dstCap (the caller then
   * stores the bytes as they are, as Blosc does).
   */
  zstdCompress(dst: number, dstCap: number, src: number, srcSize: number, level: number): number {
    if (!this.cctx) this.cctx = this.exports.ZSTD_createCCtx();
    if (!this.cctx) throw new Error('Blosc codecs: ZSTD_createCCtx failed');
    const r = this.exports.ZSTD_compressCCtx(this.cctx, dst, dstCap, src, srcSize, level) >>> 0;
    return this.exports.ZSTD_isError(r) ? 0 : r;
  }

  lz4(dst: number, dstCap: number, src: number, srcSize: number): number {
    const r = this.exports.LZ4_decompress_safe(src, dst, srcSize, dstCap);
    if (r < 0) throw new Error('lz4: corrupt block');
    return r;
  }
}

let codecs: PluginCodecs | null | undefined;

/** The shared instance, created on first use; null when it cannot be loaded here. */
export function pluginCodecs(): PluginCodecs | null {
  if (codecs === undefined) {
    try {
      codecs = PluginCodecs.load();
    } catch {
      codecs = null;
    }
  }
  return codecs;
}

/** Drops the instance after a failure inside it (the next use loads a fresh one). */
export function resetPluginCodecs(): void {
  codecs = undefined;
}
