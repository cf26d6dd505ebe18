/**
 * Zstandard whole-file decompression for the positioned reader: the
 * reference zstd library compiled to WebAssembly (./zstd-wasm.ts, from
 * h5wasm-plugins; fzstd's streaming `Decompress`, pure JavaScript, where it
 * cannot be loaded) fed by a small frame walker of our own that reads the
 * frame and block headers (RFC 8878) before the decoder sees them. The
 * walker
 *
 * - refuses windows larger than `MAX_WINDOW` (fzstd would allocate up to
 *   2 GiB for whatever a corrupt header says; 128 MiB is zstd's own default
 *   decoder limit) and dictionaries (the files carry none);
 * - hands the decoder only whole blocks, and a push decodes a bounded amount
 *   (`MAX_OUTPUT`, ≤ 128 KiB per block): RLE-block bombs cannot fill the
 *   memory;
 * - knows where a frame ends, so a file cut inside a frame is reported as
 *   truncated.
 *
 * Snapshots: the WebAssembly decoder's whole state is its memory in use (the
 * DCtx with its window, 1–8 MiB for sim_telarray's zstd settings, and the
 * input not decoded yet), copied; fzstd's is its stream state (frame state
 * `s` with its window and repeat offsets, pending chunks `c`/`l`, `z`, as in
 * fzstd 0.1). When fzstd's fields are not what we expect (another version),
 * `snapshot()` returns null and the reader falls back to decoding from the
 * start, never to wrong bytes.
 */
import { Decompress } from 'fzstd';
import type { ChunkSink, DecoderSnapshot, StreamCodec, StreamDecoder } from './stream-decoder.js';
import { TruncatedStreamError, UnsupportedStreamError } from './stream-decoder.js';
import { ZstdWasm, zstdWasmAvailable, type ZstdWasmSnapshot } from './zstd-wasm.js';

export const MAX_WINDOW = 128 * 1024 * 1024;
const MAX_OUTPUT = 8 * 1024 * 1024;
const MAX_BLOCK = 128 * 1024;

/** fzstd 0.1 Decompress fields between pushes. */
interface FzstdInternals {
  s: unknown;
  c: Uint8Array[];
  l: number;
  z: number;
}

interface FrameStateLike {
  w: Uint8Array;
  o: Int32Array;
  [k: string]: unknown;
}

type WalkPhase = 'magic' | 'block-header' | 'checksum' | 'skippable';

interface WalkerState {
  phase: WalkPhase;
  /** bytes still to pass in the current phase (body, checksum, skippable content) */
  left: number;
  last: boolean;
  checksum: boolean;
  frames: number;
}

interface ZstdState {
  walker: WalkerState;
  pending: Uint8Array;
  fz: { s: unknown; c: Uint8Array[]; l: number; z: number } | null;
  wasm: ZstdWasmSnapshot | null;
}

/** Which decoder does the work: 'wasm' where it loads (default), else 'fzstd'. */
export type ZstdBackend = 'wasm' | 'fzstd';

export function defaultZstdBackend(): ZstdBackend {
  return zstdWasmAvailable().ok ? 'wasm' : 'fzstd';
}

function frameStateOk(s: unknown): s is FrameStateLike {
  const f = s as Partial<FrameStateLike>;
  return !!f && typeof f === 'object' && f.w instanceof Uint8Array && f.o instanceof Int32Array;
}

function internalsOk(d: unknown): d is FzstdInternals {
  const i = d as Partial<FzstdInternals>;
  return !!i && Array.isArray(i.c) && typeof i.l === 'number' && typeof i.z === 'number';
}

/** A copy of fzstd's frame state: the window and repeat offsets share one buffer there. */
function copyFrameState(s: FrameStateLike): FrameStateLike {
  if (s.w.buffer === s.o.buffer) {
    const nb = (s.w.buffer as ArrayBuffer).slice(0);
    return { ...s, w: new Uint8Array(nb, s.w.byteOffset, s.w.length), o: new Int32Array(nb, s.o.byteOffset, s.o.length) };
  }
  return { ...s, w: s.w.slice(), o: s.o.slice() };
}

class ZstdDecoder implements StreamDecoder {
  readonly maxOutput = MAX_OUTPUT;
  /** input is appended to `pending` (and fzstd is given copies of it) */
  readonly copiesInput = true;
  private dec: Decompress | null = null;
  private wasm: ZstdWasm | null = null;
  /** output still allowed in the current push (WebAssembly decoder) */
  private budget = MAX_OUTPUT;
  private walker: WalkerState = { phase: 'magic', left: 0, last: false, checksum: false, frames: 0 };
  /** complete units walked but not yet pushed, plus an incomplete header */
  private pending = new Uint8Array(1 << 16);
  private pendingLen = 0;
  /** how many of the pending bytes the walker has passed (all complete units) */
  private walked = 0;
  /** the most the walked bytes not yet pushed can decode to */
  private walkedBound = 0;
  private produced = 0;
  private snapshotsWork = true;

  private readonly emit = (data: Uint8Array): void => {
    if (data.length) {
      this.produced += data.length;
      this.sink(data);
    }
  };

  constructor(
    private readonly sink: ChunkSink,
    state?: ZstdState,
    backend: ZstdBackend = defaultZstdBackend(),
  ) {
    if (state?.wasm) this.wasm = ZstdWasm.restore(state.wasm);
    else if (!state && backend === 'wasm') this.wasm = ZstdWasm.decoder();
    else this.dec = new Decompress(this.emit);
    if (state) {
      this.walker = { ...state.walker };
      this.append(state.pending);
      if (state.fz && this.dec) {
        const i = this.dec as unknown as FzstdInternals;
        i.s = frameStateOk(state.fz.s) ? copyFrameState(state.fz.s) : state.fz.s;
        i.c = state.fz.c.map((c) => c.slice());
        i.l = state.fz.l;
        i.z = state.fz.z;
      }
    }
  }

  private append(c: Uint8Array): void {
    if (this.pendingLen + c.length > this.pending.length) {
      const n = new Uint8Array(Math.max(this.pending.length * 2, this.pendingLen + c.length));
      n.set(this.pending.subarray(0, this.pendingLen));
      this.pending = n;
    }
    this.pending.set(c, this.pendingLen);
    this.pendingLen += c.length;
  }

  push(chunk: Uint8Array): number {
    const start = this.produced;
    this.budget = MAX_OUTPUT;
    // first whatever an earlier push left undecoded in the WebAssembly decoder, or walked but not pushed
    if (this.wasm && this.wasm.pendingInput) {
      this.budget -= this.wasm.decode(this.budget, this.emit);
      if (this.produced - start >= MAX_OUTPUT) return 0;
    }
    this.walk(start);
    let used = 0;
    // take input in pieces of at most a block's worth, so output stays bounded; the walked blocks go
    // to the decoder together (at the end, or when they may decode to MAX_OUTPUT / 2): a large push
    // comes out in large chunks, which the reader then seldom has to join
    while (used < chunk.length && this.produced - start < MAX_OUTPUT) {
      const piece = chunk.subarray(used, Math.min(chunk.length, used + 64 * 1024));
      used += piece.length;
      this.append(piece);
      this.walk(start);
    }
    this.flush();
    return used;
  }

  /** Walks complete units in `pending`, pushing them to the decoder in batches of bounded output. */
  private walk(start: number): void {
    for (;;) {
      const before = this.walked;
      const outBound = this.step();
      if (this.walked === before) break; // needs more bytes
      this.walkedBound += outBound;
      if (this.walkedBound >= MAX_OUTPUT / 2) {
        this.flush();
        if (this.produced - start >= MAX_OUTPUT) return;
      }
    }
  }

  /** Pushes the walked bytes to fzstd and keeps the rest. */
  private flush(): void {
    this.walkedBound = 0;
    if (this.walked === 0) return;
    let out: Uint8Array;
    if (this.wasm) {
      // copied into the decoder's memory
      this.wasm.feed(this.pending.subarray(0, this.walked));
    } else {
      // fzstd may keep references to the pushed array: give it its own copy
      out = this.pending.slice(0, this.walked);
    }
    this.pending.copyWithin(0, this.walked, this.pendingLen);
    this.pendingLen -= this.walked;
    this.walked = 0;
    if (this.wasm) {
      if (this.budget > 0) this.budget -= this.wasm.decode(this.budget, this.emit);
    } else {
      (this.dec as Decompress).push(out!, false);
    }
  }

  /**
   * One step of the frame walker over pending[walked..pendingLen): passes one
   * whole unit (header, block, checksum) when its bytes are all there and
   * returns the most bytes that unit can decode to; passes nothing when it
   * needs more bytes.
   */
  private step(): number {
    const b = this.pending;
    const p = this.walked;
    const have = this.pendingLen - p;
    const w = this.walker;
    switch (w.phase) {
      case 'magic': {
        if (have < 4) return 0;
        const m = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
        if ((m & 0xfffffff0) === 0x184d2a50) {
          if (have < 8) return 0;
          w.left = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
          w.phase = 'skippable';
          this.walked = p + 8;
          return 0;
        }
        if (m !== 0xfd2fb528) {
          throw new Error(`zstd: frame ${w.frames + 1} does not start with the zstd magic number (garbage after the data, or corrupt)`);
        }
        if (have < 5) return 0;
        const fhd = b[p + 4];
        const fcsFlag = fhd >> 6;
        const single = (fhd >> 5) & 1;
        if (fhd & 0x08) throw new Error('zstd: reserved bit set in a frame header (corrupt)');
        const dictBytes = [0, 1, 2, 4][fhd & 3];
        const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
        const len = 5 + (single ? 0 : 1) + dictBytes + fcsBytes;
        if (have < len) return 0;
        let q = p + 5;
        let window = 0;
        if (!single) {
          const wd = b[q++];
          const base = 2 ** (10 + (wd >> 3));
          window = base + (base / 8) * (wd & 7);
        }
        let dictId = 0;
        for (let i = 0; i < dictBytes; i++) dictId += b[q++] * 2 ** (8 * i);
        let fcs = 0;
        for (let i = 0; i < fcsBytes; i++) fcs += b[q++] * 2 ** (8 * i);
        if (fcsBytes === 2) fcs += 256;
        if (single) window = fcs;
        if (dictId !== 0) throw new UnsupportedStreamError(`zstd: frame ${w.frames + 1} needs dictionary ${dictId}, which the file does not carry`);
        if (window > MAX_WINDOW) {
          throw new UnsupportedStreamError(
            `zstd: frame ${w.frames + 1} asks for a ${(window / 2 ** 20).toFixed(0)} MiB window, more than the ${MAX_WINDOW / 2 ** 20} MiB this reader allows`,
          );
        }
        w.checksum = ((fhd >> 2) & 1) === 1;
        w.last = false;
        w.phase = 'block-header';
        this.walked = p + len;
        return 0;
      }
      case 'block-header': {
        if (have < 3) return 0;
        const b0 = b[p];
        const type = (b0 >> 1) & 3;
        const size = (b0 >> 3) | (b[p + 1] << 5) | (b[p + 2] << 13);
        if (type === 3) throw new Error('zstd: reserved block type (corrupt)');
        if (size > MAX_BLOCK) throw new Error(`zstd: block of ${size} bytes, more than the ${MAX_BLOCK} allowed (corrupt)`);
        const body = type === 1 ? 1 : size;
        // header and body go together to fzstd: pass only when the body is complete
        if (have < 3 + body) return 0;
        w.last = (b0 & 1) === 1;
        this.walked = p + 3 + body;
        w.phase = w.last ? (w.checksum ? 'checksum' : 'magic') : 'block-header';
        if (w.last && !w.checksum) w.frames++;
        return type === 2 ? MAX_BLOCK : size;
      }
      case 'checksum': {
        if (have < 4) return 0;
        this.walked = p + 4;
        w.phase = 'magic';
        w.frames++;
        return 0;
      }
      case 'skippable': {
        if (have === 0) return 0;
        const take = Math.min(have, w.left);
        w.left -= take;
        this.walked = p + take;
        if (w.left === 0) w.phase = 'magic';
        return 0;
      }
      default:
        return 0;
    }
  }

  dispose(): void {
    if (this.wasm) ZstdWasm.release(this.wasm);
    this.wasm = null;
  }

  finish(): void {
    this.budget = Infinity;
    this.flush();
    if (this.wasm && this.wasm.pendingInput) this.wasm.decode(Infinity, this.emit);
    const w = this.walker;
    if (w.phase === 'magic' && this.pendingLen === 0 && w.frames > 0) return;
    if (w.frames === 0 && w.phase === 'magic' && this.pendingLen === 0) throw new TruncatedStreamError('zstd: empty stream');
    throw new TruncatedStreamError(
      `zstd: the compressed data ends inside frame ${w.frames + 1} (${w.phase === 'magic' ? 'frame header' : w.phase.replace('-', ' ')})`,
    );
  }

  snapshot(): DecoderSnapshot | null {
    if (this.wasm) {
      const wasm = this.wasm.snapshot();
      const state: ZstdState = { walker: { ...this.walker }, pending: this.pending.slice(0, this.pendingLen), fz: null, wasm };
      return { bytes: 256 + wasm.memory.length + state.pending.length, state };
    }
    if (!this.snapshotsWork) return null;
    const i = this.dec as unknown as FzstdInternals;
    if (!internalsOk(i) || (typeof i.s === 'object' && i.s !== null && !frameStateOk(i.s))) {
      this.snapshotsWork = false;
      return null;
    }
    const s = frameStateOk(i.s) ? copyFrameState(i.s) : i.s;
    const state: ZstdState = {
      walker: { ...this.walker },
      pending: this.pending.slice(0, this.pendingLen),
      fz: { s, c: i.c.map((c) => c.slice()), l: i.l, z: i.z },
      wasm: null,
    };
    const windowBytes = frameStateOk(s) ? s.w.buffer.byteLength : 0;
    return { bytes: 256 + windowBytes + state.pending.length + i.l, state };
  }
}

export const zstdCodec: StreamCodec = {
  name: 'zstd',
  create: (sink) => new ZstdDecoder(sink),
  restore: (snap, sink) => new ZstdDecoder(sink, snap.state as ZstdState),
};

/** The same with fzstd (pure JavaScript) doing the decoding: for comparison, and where WebAssembly is not wanted. */
export const zstdCodecFzstd: StreamCodec = {
  name: 'zstd',
  create: (sink) => new ZstdDecoder(sink, undefined, 'fzstd'),
  restore: (snap, sink) => new ZstdDecoder(sink, snap.state as ZstdState, 'fzstd'),
};
