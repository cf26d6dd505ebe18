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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPluginDir } from '../h5-runtime.js';

const PAGE = 65536;
const MEMORY_BASE = 1024;
const STACK_SIZE = 1 << 20;

interface Exports {
  __wasm_apply_data_relocs?: () => void;
  __wasm_call_ctors?: () => void;
  ZSTD_createDCtx: () => number;
  ZSTD_decompressDCtx: (dctx: number, dst: number, dstCap: number, src: number, srcSize: number) => number;
  ZSTD_isError: (code: number) => number;
  LZ4_decompress_safe: (src: number, dst: number, srcSize: number, dstCap: number) => number;
  ZSTD_createCCtx: () => number;
  ZSTD_compressCCtx: (cctx: number, dst: number, dstCap: number, src: number, srcSize: number, level: number) => number;
}

/** Bump allocator with first-fit reuse of freed blocks, over the instance's memory. */
class Heap {
  private top: number;
  private live = new Map<number, number>();
  private free: { ptr: number; size: number }[] = [];

  constructor(
    private memory: WebAssembly.Memory,
    start: number,
  ) {
    this.top = start;
  }

  malloc(n: number): number {
    const size = Math.max(16, (n + 15) & ~15);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.size >= size) {
        this.free.splice(i, 1);
        this.live.set(f.ptr, f.size);
        return f.ptr;
      }
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > 0x7fff0000) return 0;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    this.live.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) return;
    this.live.delete(ptr);
    this.free.push({ ptr, size });
  }
}

export class PluginCodecs {
  private exports: Exports;
  private heap: Heap;
  private dctx = 0;
  private cctx = 0;
  private regions: { ptr: number; cap: number }[] = [];

  private constructor(
    readonly memory: WebAssembly.Memory,
    module: WebAssembly.Module,
  ) {
    const dylink = readDylink(module);
    const dataEnd = MEMORY_BASE + dylink.memorySize;
    const stackTop = alignUp(dataEnd, 16) + STACK_SIZE;
    this.heap = new Heap(memory, stackTop);
    const table = new WebAssembly.Table({ initial: 1 + dylink.tableSize, element: 'anyfunc' });
    const heap = this.heap;
    const bytes = () => new Uint8Array(memory.buffer);
    const env: Record<string, WebAssembly.ImportValue> = {
      memory,
      __indirect_function_table: table,
      __stack_pointer: new WebAssembly.Global({ value: 'i32', mutable: true }, stackTop),
      __memory_base: new WebAssembly.Global({ value: 'i32', mutable: false }, MEMORY_BASE),
      __table_base: new WebAssembly.Global({ value: 'i32', mutable: false }, 1),
      malloc: (n: number) => heap.malloc(n >>> 0),
      calloc: (a: number, b: number) => {
        const n = (a >>> 0) * (b >>> 0);
        const p = heap.malloc(n);
        if (p) bytes().fill(0, p, p + n);
        return p;
      },
      posix_memalign: (out: number, align: number, n: number) => {
        const p = heap.malloc((n >>> 0) + (align >>> 0));
        if (!p) return 12; // ENOMEM
        const aligned = alignUp(p, Math.max(16, align >>> 0));
        if (aligned !== p) return 12; // every block is 16-aligned; larger alignments are not expected
        new DataView(memory.buffer).setUint32(out, aligned, true);
        return 0;
      },
      free: (p: number) => heap.release(p),
      memcpy: (d: number, s: number, n: number) => (bytes().copyWithin(d, s, s + n), d),
      memmove: (d: number, s: number, n: number) => (bytes().copyWithin(d, s, s + n), d),
      memset: (d: number, v: number, n: number) => (bytes().fill(v & 0xff, d, d + n), d),
      memcmp: (a: number, b: number, n: number) => {
        const m = bytes();
        for (let i = 0; i < n; i++) if (m[a + i] !== m[b + i]) return m[a + i] - m[b + i];
        return 0;
      },
      getenv: () => 0,
    };
    const got: Record<string, WebAssembly.ImportValue> = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.module === 'env' && !(imp.name in env)) {
        if (imp.kind === 'function') {
          env[imp.name] = () => {
            throw new Error(`Blosc codecs: unexpected call to ${imp.name}`);
          };
        }
      } else if (imp.module === 'GOT.mem' || imp.module === 'GOT.func') {
        got[imp.name] = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
      }
    }
    const instance = new WebAssembly.Instance(module, { env, 'GOT.mem': got, 'GOT.func': got });
    this.exports = instance.exports as unknown as Exports;
    this.exports.__wasm_apply_data_relocs?.();
    this.exports.__wasm_call_ctors?.();
  }

  static load(): PluginCodecs {
    const dir = findPluginDir();
    if (!dir) throw new Error('Blosc codecs: h5wasm-plugins not found');
    const module = new WebAssembly.Module(readFileSync(join(dir, 'libH5Zblosc.so')));
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 32768 });
    return new PluginCodecs(memory, module);
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

function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/** Memory and table sizes from the side module's dylink.0 section. */
function readDylink(module: WebAssembly.Module): { memorySize: number; tableSize: number } {
  const sec = WebAssembly.Module.customSections(module, 'dylink.0')[0];
  if (!sec) throw new Error('Blosc codecs: not an Emscripten side module');
  const b = new Uint8Array(sec);
  let p = 0;
  const leb = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const x = b[p++];
      v += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return v;
      shift += 7;
    }
  };
  while (p < b.length) {
    const type = b[p++];
    const len = leb();
    const end = p + len;
    if (type === 1) {
      const memorySize = leb();
      leb(); // memory alignment
      const tableSize = leb();
      return { memorySize, tableSize };
    }
    p = end;
  }
  throw new Error('Blosc codecs: no memory info in dylink.0');
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
