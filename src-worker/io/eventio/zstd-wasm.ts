/**
 * The reference zstd library (facebook/zstd, C, compiled to WebAssembly) as
 * h5wasm-plugins ships it inside its Blosc plugin (libH5Zblosc.so, an
 * Emscripten side module exporting the whole ZSTD_* API), instantiated on a
 * small WebAssembly memory of its own, outside HDF5 and h5wasm: the
 * streaming decoder (ZSTD_decompressStream) for sim_telarray's .zst files,
 * 5–14× faster than fzstd on them, and the one-shot compressor for tools
 * and benchmarks.
 *
 * Each `ZstdWasm` owns its memory, so the whole decoder state (the DCtx, its
 * window, the input not yet decoded) is the memory's used bytes plus a few
 * numbers here: `snapshot()` copies them and `ZstdWasm.restore()` makes an
 * independent decoder from such a copy — a checkpoint for random access.
 *
 * The libc functions the library calls (malloc, free, memcpy, memset, …) are
 * given here; any other import throws (the caller reports the file as
 * unreadable rather than crash). `zstdWasmAvailable()` says whether the
 * module loads in this process (the reader falls back to fzstd otherwise).
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PAGE = 65536;
const MEMORY_BASE = 1024;
const STACK_SIZE = 256 << 10;
/** ZSTD_d_windowLogMax: refuse frames whose window would need more than 2^27 bytes (zstd's own default limit) */
const WINDOW_LOG_MAX = 27;
const ZSTD_d_windowLogMax = 100;
/** ZSTD_d_forceIgnoreChecksum (experimental parameter 3): frame checksums are not verified, as fzstd never did */
const ZSTD_d_forceIgnoreChecksum = 1002;
const ZSTD_c_compressionLevel = 100;
const ZSTD_c_windowLog = 101;
const ZSTD_c_checksumFlag = 201;
const ZSTD_e_end = 2;
/** decoded bytes per ZSTD_decompressStream call */
const OUT_CAP = 1 << 20;

interface Exports {
  __wasm_apply_data_relocs?: () => void;
  __wasm_call_ctors?: () => void;
  ZSTD_createDStream: () => number;
  ZSTD_initDStream: (zds: number) => number;
  ZSTD_decompressStream: (zds: number, output: number, input: number) => number;
  ZSTD_DCtx_setParameter: (dctx: number, param: number, value: number) => number;
  ZSTD_DCtx_reset: (dctx: number, reset: number) => number;
  ZSTD_isError: (code: number) => number;
  ZSTD_getErrorName: (code: number) => number;
  ZSTD_createCCtx: () => number;
  ZSTD_freeCCtx: (cctx: number) => number;
  ZSTD_CCtx_setParameter: (cctx: number, param: number, value: number) => number;
  ZSTD_compressStream2: (cctx: number, output: number, input: number, endOp: number) => number;
}

interface HeapState {
  top: number;
  live: [number, number][];
  free: { ptr: number; size: number }[];
}

/** First-fit allocator over the instance's memory (blocks 16-aligned). */
class Heap {
  top: number;
  live = new Map<number, number>();
  free: { ptr: number; size: number }[] = [];

  constructor(
    private readonly memory: WebAssembly.Memory,
    start: number,
  ) {
    this.top = start;
  }

  malloc(n: number): number {
    const size = Math.max(16, (n + 15) & ~15);
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i].size >= size && (best < 0 || this.free[i].size < this.free[best].size)) best = i;
    if (best >= 0) {
      const f = this.free[best];
      this.free.splice(best, 1);
      this.live.set(f.ptr, f.size);
      return f.ptr;
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > 0x7fff0000) return 0;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        return 0;
      }
    }
    this.top = end;
    this.live.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) return;
    this.live.delete(ptr);
    if (ptr + size === this.top) this.top = ptr;
    else this.free.push({ ptr, size });
  }

  state(): HeapState {
    return { top: this.top, live: [...this.live], free: this.free.map((f) => ({ ...f })) };
  }

  load(s: HeapState): void {
    this.top = s.top;
    this.live = new Map(s.live);
    this.free = s.free.map((f) => ({ ...f }));
  }
}

interface Loaded {
  module: WebAssembly.Module;
  memorySize: number;
  tableSize: number;
}

let loaded: Loaded | null | undefined;
let loadError = '';

function pluginDir(): string | null {
  const fromEnv = process.env.LIGHTPOOL_HDF5_PLUGIN_PATH;
  if (fromEnv !== undefined) return fromEnv && existsSync(fromEnv) ? fromEnv : null;
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('h5wasm-plugins/package.json')), 'plugins');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

function load(): Loaded | null {
  if (loaded !== undefined) return loaded;
  try {
    const dir = pluginDir();
    if (!dir) throw new Error('h5wasm-plugins not found');
    const module = new WebAssembly.Module(readFileSync(join(dir, 'libH5Zblosc.so')));
    const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
    for (const f of ['ZSTD_createDStream', 'ZSTD_decompressStream', 'ZSTD_compressStream2']) if (!names.has(f)) throw new Error(`${f} is not exported`);
    loaded = { module, ...readDylink(module) };
  } catch (e) {
    loadError = (e as Error).message;
    loaded = null;
  }
  return loaded;
}

/** Whether the WebAssembly zstd loads here (else: why not). */
export function zstdWasmAvailable(): { ok: boolean; why: string } {
  return load() ? { ok: true, why: '' } : { ok: false, why: loadError };
}

const align16 = (x: number) => (x + 15) & ~15;

/** streaming decoders given back, for the next file (each keeps its memory, a few MiB) */
const POOL: ZstdWasm[] = [];
const POOL_MAX = 2;
const ZSTD_reset_session_only = 1;

/** What a decoder is between calls, to copy. */
export interface ZstdWasmSnapshot {
  memory: Uint8Array;
  heap: HeapState;
  ptrs: { zds: number; io: number; out: number; inBuf: number; inCap: number; inPos: number; inEnd: number };
  frameOpen: boolean;
}

export class ZstdWasm {
  private readonly exports: Exports;
  private readonly heap: Heap;
  private zds = 0;
  private io = 0; // ZSTD_outBuffer at io, ZSTD_inBuffer at io + 16
  private out = 0;
  private readonly outCap = OUT_CAP;
  private inBuf = 0;
  private inCap = 0;
  /** undecoded input is inBuf[inPos, inEnd) */
  private inPos = 0;
  private inEnd = 0;
  /** the last ZSTD_decompressStream said a frame is not finished */
  frameOpen = false;

  private constructor(
    readonly memory: WebAssembly.Memory,
    l: Loaded,
  ) {
    const dataEnd = MEMORY_BASE + l.memorySize;
    const stackTop = align16(dataEnd) + STACK_SIZE;
    if (memory.buffer.byteLength < stackTop) memory.grow(Math.ceil((stackTop - memory.buffer.byteLength) / PAGE));
    this.heap = new Heap(memory, stackTop);
    const heap = this.heap;
    // one view of the memory, made again only after the memory grew (which detaches the old buffer)
    let view = new Uint8Array(memory.buffer);
    const bytes = (): Uint8Array => (view.byteLength === 0 ? (view = new Uint8Array(memory.buffer)) : view);
    // the library copies many short runs (literals, matches): a loop beats copyWithin's call there
    const move = (d: number, s: number, n: number): number => {
      const m = bytes();
      if (n > 32) m.copyWithin(d, s, s + n);
      else if (d <= s || d >= s + n) for (let i = 0; i < n; i++) m[d + i] = m[s + i];
      else for (let i = n - 1; i >= 0; i--) m[d + i] = m[s + i];
      return d;
    };
    const table = new WebAssembly.Table({ initial: 1 + l.tableSize, element: 'anyfunc' });
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
      free: (p: number) => heap.release(p),
      memcpy: move,
      memmove: move,
      memset: (d: number, v: number, n: number) => (bytes().fill(v & 0xff, d, d + n), d),
      memcmp: (a: number, b: number, n: number) => {
        const m = bytes();
        for (let i = 0; i < n; i++) if (m[a + i] !== m[b + i]) return m[a + i] - m[b + i];
        return 0;
      },
      getenv: () => 0,
      clock: () => 0,
      // diagnostics the library may print: nothing to print to
      __small_fprintf: () => 0,
      fiprintf: () => 0,
      fwrite: () => 0,
      fflush: () => 0,
      fputc: () => 0,
    };
    const got: Record<string, WebAssembly.ImportValue> = {};
    for (const imp of WebAssembly.Module.imports(l.module)) {
      if (imp.module === 'env' && !(imp.name in env)) {
        if (imp.kind === 'function') {
          env[imp.name] = () => {
            throw new Error(`zstd (WebAssembly): unexpected call to ${imp.name}`);
          };
        }
      } else if (imp.module === 'GOT.mem' || imp.module === 'GOT.func') {
        got[imp.name] = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
      }
    }
    const instance = new WebAssembly.Instance(l.module, { env, 'GOT.mem': got, 'GOT.func': got });
    this.exports = instance.exports as unknown as Exports;
    this.exports.__wasm_apply_data_relocs?.();
    this.exports.__wasm_call_ctors?.();
  }

  private static instance(): ZstdWasm {
    const l = load();
    if (!l) throw new Error(`zstd (WebAssembly) is not available: ${loadError}`);
    return new ZstdWasm(new WebAssembly.Memory({ initial: 16, maximum: 32768 }), l);
  }

  /** A fresh streaming decoder (one given back by `release` when there is one: no new instance and memory). */
  static decoder(): ZstdWasm {
    const old = POOL.pop();
    if (old) {
      old.check(old.exports.ZSTD_DCtx_reset(old.zds, ZSTD_reset_session_only));
      old.inPos = old.inEnd = 0;
      old.frameOpen = false;
      return old;
    }
    const z = ZstdWasm.instance();
    z.zds = z.exports.ZSTD_createDStream();
    if (!z.zds) throw new Error('zstd: out of memory (ZSTD_createDStream)');
    z.check(z.exports.ZSTD_initDStream(z.zds));
    z.check(z.exports.ZSTD_DCtx_setParameter(z.zds, ZSTD_d_windowLogMax, WINDOW_LOG_MAX));
    z.check(z.exports.ZSTD_DCtx_setParameter(z.zds, ZSTD_d_forceIgnoreChecksum, 1));
    z.io = z.alloc(32);
    z.out = z.alloc(z.outCap);
    return z;
  }

  /** A streaming decoder that will not be used again, for `decoder()` to hand out again (a few are kept). */
  static release(z: ZstdWasm): void {
    if (z.zds && POOL.length < POOL_MAX && !POOL.includes(z)) POOL.push(z);
  }

  /** A decoder in the state of `s` (independent of the one it was taken from). */
  static restore(s: ZstdWasmSnapshot): ZstdWasm {
    const z = ZstdWasm.instance();
    const need = s.memory.length;
    if (z.memory.buffer.byteLength < need) z.memory.grow(Math.ceil((need - z.memory.buffer.byteLength) / PAGE));
    new Uint8Array(z.memory.buffer).set(s.memory);
    z.heap.load(s.heap);
    z.zds = s.ptrs.zds;
    z.io = s.ptrs.io;
    z.out = s.ptrs.out;
    z.inBuf = s.ptrs.inBuf;
    z.inCap = s.ptrs.inCap;
    z.inPos = s.ptrs.inPos;
    z.inEnd = s.ptrs.inEnd;
    z.frameOpen = s.frameOpen;
    return z;
  }

  /** The decoder state (memory in use and pointers), to restore later. */
  snapshot(): ZstdWasmSnapshot {
    return {
      memory: new Uint8Array(this.memory.buffer, 0, this.heap.top).slice(),
      heap: this.heap.state(),
      ptrs: { zds: this.zds, io: this.io, out: this.out, inBuf: this.inBuf, inCap: this.inCap, inPos: this.inPos, inEnd: this.inEnd },
      frameOpen: this.frameOpen,
    };
  }

  /** Bytes a snapshot copies now. */
  get stateBytes(): number {
    return this.heap.top;
  }

  /** Compressed bytes given but not decoded yet. */
  get pendingInput(): number {
    return this.inEnd - this.inPos;
  }

  private alloc(n: number): number {
    const p = this.heap.malloc(n);
    if (!p) throw new Error(`zstd: out of memory (${n} bytes)`);
    return p;
  }

  private check(code: number): number {
    const c = code >>> 0;
    if (this.exports.ZSTD_isError(c)) throw new Error(`zstd: ${this.errorName(c)}`);
    return c;
  }

  private errorName(code: number): string {
    const p = this.exports.ZSTD_getErrorName(code);
    const m = new Uint8Array(this.memory.buffer);
    let e = p;
    while (e < m.length && m[e] !== 0 && e - p < 200) e++;
    return new TextDecoder().decode(m.subarray(p, e));
  }

  /** Appends compressed bytes to the input not yet decoded. */
  feed(data: Uint8Array): void {
    if (!data.length) return;
    const left = this.inEnd - this.inPos;
    if (left + data.length > this.inCap) {
      const cap = Math.max(left + data.length, 2 * this.inCap, 64 << 10);
      const nb = this.alloc(cap);
      const m = new Uint8Array(this.memory.buffer);
      if (left) m.copyWithin(nb, this.inBuf + this.inPos, this.inBuf + this.inEnd);
      if (this.inBuf) this.heap.release(this.inBuf);
      this.inBuf = nb;
      this.inCap = cap;
    } else if (this.inPos > 0) {
      const m = new Uint8Array(this.memory.buffer);
      m.copyWithin(this.inBuf, this.inBuf + this.inPos, this.inBuf + this.inEnd);
    }
    this.inEnd = left;
    this.inPos = 0;
    new Uint8Array(this.memory.buffer).set(data, this.inBuf + this.inEnd);
    this.inEnd += data.length;
  }

  /**
   * Decodes the input given so far, handing each decoded piece (a fresh
   * copy) to `sink`, until the input is used up or about `maxOutput` bytes
   * came out; returns the bytes produced.
   */
  decode(maxOutput: number, sink: (chunk: Uint8Array) => void): number {
    let produced = 0;
    const ex = this.exports;
    for (;;) {
      const dv = new DataView(this.memory.buffer);
      // ZSTD_outBuffer { dst, size, pos }, ZSTD_inBuffer { src, size, pos } (size_t is 32-bit here)
      dv.setUint32(this.io, this.out, true);
      dv.setUint32(this.io + 4, this.outCap, true);
      dv.setUint32(this.io + 8, 0, true);
      dv.setUint32(this.io + 16, this.inBuf + this.inPos, true);
      dv.setUint32(this.io + 20, this.inEnd - this.inPos, true);
      dv.setUint32(this.io + 24, 0, true);
      const r = this.check(ex.ZSTD_decompressStream(this.zds, this.io, this.io + 16));
      const dv2 = new DataView(this.memory.buffer);
      const outPos = dv2.getUint32(this.io + 8, true);
      const inUsed = dv2.getUint32(this.io + 24, true);
      this.inPos += inUsed;
      this.frameOpen = r !== 0;
      if (outPos) {
        sink(new Uint8Array(this.memory.buffer, this.out, outPos).slice());
        produced += outPos;
      }
      // a full output buffer may hold more: call again; otherwise stop when the input is used up
      if (outPos < this.outCap && this.inPos >= this.inEnd) break;
      if (outPos === 0 && inUsed === 0) break;
      if (produced >= maxOutput) break;
    }
    if (this.inPos === this.inEnd) this.inPos = this.inEnd = 0;
    return produced;
  }

  /**
   * One-shot compression (a single frame with a checksum, like the zstd
   * command line); `windowLog` (10–27) limits how far back a match may
   * reach (default: the level's).
   */
  static compress(data: Uint8Array, level = 3, windowLog?: number): Uint8Array {
    const z = ZstdWasm.instance();
    const ex = z.exports;
    const cctx = ex.ZSTD_createCCtx();
    if (!cctx) throw new Error('zstd: out of memory (ZSTD_createCCtx)');
    z.check(ex.ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level));
    z.check(ex.ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1));
    if (windowLog !== undefined) z.check(ex.ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, windowLog));
    const io = z.alloc(32);
    const inCap = 1 << 20;
    const outCap = 1 << 20;
    const src = z.alloc(inCap);
    const dst = z.alloc(outCap);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let p = 0; ;) {
      const n = Math.min(inCap, data.length - p);
      new Uint8Array(z.memory.buffer).set(data.subarray(p, p + n), src);
      p += n;
      const last = p >= data.length;
      let inPos = 0;
      for (;;) {
        const dv = new DataView(z.memory.buffer);
        dv.setUint32(io, dst, true);
        dv.setUint32(io + 4, outCap, true);
        dv.setUint32(io + 8, 0, true);
        dv.setUint32(io + 16, src, true);
        dv.setUint32(io + 20, n, true);
        dv.setUint32(io + 24, inPos, true);
        const left = z.check(ex.ZSTD_compressStream2(cctx, io, io + 16, last ? ZSTD_e_end : 0));
        const dv2 = new DataView(z.memory.buffer);
        const outPos = dv2.getUint32(io + 8, true);
        inPos = dv2.getUint32(io + 24, true);
        if (outPos) {
          parts.push(new Uint8Array(z.memory.buffer, dst, outPos).slice());
          total += outPos;
        }
        if (last ? left === 0 : inPos >= n) break;
      }
      if (last) break;
    }
    ex.ZSTD_freeCCtx(cctx);
    const out = new Uint8Array(total);
    let o = 0;
    for (const part of parts) {
      out.set(part, o);
      o += part.length;
    }
    return out;
  }
}

/** Memory and table sizes from the side module's dylink.0 section. */
function readDylink(module: WebAssembly.Module): { memorySize: number; tableSize: number } {
  const sec = WebAssembly.Module.customSections(module, 'dylink.0')[0];
  if (!sec) throw new Error('not an Emscripten side module');
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
  throw new Error('no memory info in dylink.0');
}
