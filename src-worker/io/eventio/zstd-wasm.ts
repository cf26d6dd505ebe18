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
import { bloscSideModule, instantiateSideModule, WASM_PAGE, type HeapState, type SideModule, type SideModuleHeap } from '../wasm/blosc-side-module.js';

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

let loaded: SideModule | null | undefined;
let loadError = '';

/** The Blosc plugin's module, checked for the zstd streaming API (null: not here, `loadError` says why). */
function load(): SideModule | null {
  if (loaded !== undefined) return loaded;
  try {
    const m = bloscSideModule();
    const names = new Set(WebAssembly.Module.exports(m.module).map((e) => e.name));
    for (const f of ['ZSTD_createDStream', 'ZSTD_decompressStream', 'ZSTD_compressStream2']) if (!names.has(f)) throw new Error(`${f} is not exported`);
    loaded = m;
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
  private readonly heap: SideModuleHeap;
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
    m: SideModule,
  ) {
    const inst = instantiateSideModule<Exports>(m, memory, STACK_SIZE, 'zstd (WebAssembly)');
    this.exports = inst.exports;
    this.heap = inst.heap;
  }

  private static instance(): ZstdWasm {
    const l = load();
    if (!l) throw new Error(`zstd (WebAssembly) is not available: ${loadError}`);
    // 16 MiB from the start (committed only where used): the module's memory is not shared, so
    // growing it would detach its buffer, which slows every typed-array loop of this thread from
    // then on (see sharedMemorySection in util/wasm-bytes.ts); the decoders of the shipped files
    // use ~5 MiB, a window of 8 MiB (zstd -19) fits
    return new ZstdWasm(new WebAssembly.Memory({ initial: 256, maximum: 32768 }), l);
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
    if (z.memory.buffer.byteLength < need) z.memory.grow(Math.ceil((need - z.memory.buffer.byteLength) / WASM_PAGE));
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
