/**
 * gzip (RFC 1952) whole-file decompression for the positioned reader:
 * member headers and trailers parsed here, the DEFLATE data inflated by
 * fflate's streaming `Inflate` (pure JavaScript, synchronous, so it runs in
 * a worker thread without callbacks, and its state between pushes is a small
 * plain object plus the 32 KiB window: a checkpoint costs ~32 KiB).
 *
 * Node's zlib inflates faster (README: measured) but has no synchronous
 * streaming API and no way to copy an inflate state, so a jump back into a
 * large .gz file would have to inflate from the start each time.
 *
 * Multi-member files (concatenated gzip streams) are read as one stream; the
 * ISIZE of each member's trailer is checked against what was inflated.
 * Snapshots use fflate 0.8's stream fields (`s`, `o`, `p`); when they are
 * not what we expect (another fflate version), `snapshot()` returns null and
 * the reader falls back to inflating from the start, never to wrong bytes.
 */
import { Inflate } from 'fflate';
import type { ChunkSink, DecoderSnapshot, StreamCodec, StreamDecoder } from './stream-decoder.js';
import { TruncatedStreamError } from './stream-decoder.js';

/** fflate 0.8 Inflate's stream state between pushes. */
interface InflateInternals {
  s: { f?: number; l?: unknown; p?: number; [k: string]: unknown };
  o: Uint8Array;
  p: Uint8Array;
  d?: boolean;
}

type Phase = 'header' | 'deflate' | 'trailer';

interface GzipState {
  phase: Phase;
  /** bytes collected for a member header or trailer */
  pending: Uint8Array;
  /** bytes inflated in the current member (mod 2^32 checked against ISIZE) */
  memberOut: number;
  /** members completed */
  members: number;
  inflate: { s: Record<string, unknown>; o: Uint8Array; p: Uint8Array } | null;
}

const MAX_HEADER = 1 << 16;
/** compressed bytes per fflate push: DEFLATE expands at most ~1032x, so one piece gives at most ~33 MB */
const INFLATE_PIECE = 32 * 1024;
/** a push returns once it has produced this much */
const MAX_OUTPUT = 8 * 1024 * 1024;

function internalsOk(inf: unknown): inf is InflateInternals {
  const i = inf as Partial<InflateInternals>;
  return !!i && typeof i.s === 'object' && i.s !== null && i.o instanceof Uint8Array && i.p instanceof Uint8Array;
}

class GzipDecoder implements StreamDecoder {
  readonly maxOutput = MAX_OUTPUT;
  /** bytes given to the sink so far */
  private produced = 0;
  private phase: Phase = 'header';
  private pending = new Uint8Array(0);
  private memberOut = 0;
  private members = 0;
  private inf: Inflate | null = null;
  private snapshotsWork = true;

  constructor(
    private readonly sink: ChunkSink,
    state?: GzipState,
  ) {
    if (state) {
      this.phase = state.phase;
      this.pending = state.pending.slice();
      this.memberOut = state.memberOut;
      this.members = state.members;
      if (state.inflate) {
        this.inf = this.newInflate();
        const i = this.inf as unknown as InflateInternals;
        i.s = { ...state.inflate.s } as InflateInternals['s'];
        i.o = state.inflate.o.slice();
        i.p = state.inflate.p.slice();
      }
    }
  }

  private newInflate(): Inflate {
    return new Inflate((data: Uint8Array) => {
      if (data.length) {
        this.memberOut += data.length;
        this.produced += data.length;
        this.sink(data);
      }
    });
  }

  push(chunk: Uint8Array): number {
    const start = this.produced;
    let used = 0;
    while (used < chunk.length && this.produced - start < MAX_OUTPUT) {
      const piece = chunk.subarray(used, Math.min(chunk.length, used + INFLATE_PIECE));
      used += piece.length;
      this.consume(piece);
    }
    return used;
  }

  /** Takes all of `c` through the phases (at most INFLATE_PIECE bytes: bounded output). */
  private consume(c: Uint8Array): void {
    while (c.length) {
      if (this.phase === 'deflate') {
        (this.inf as Inflate).push(c, false);
        c = this.afterInflate();
      } else if (this.phase === 'header') {
        c = c.subarray(this.takeHeader(c));
      } else {
        c = c.subarray(this.takeTrailer(c));
      }
    }
  }

  /** After an inflate push: when the DEFLATE data ended, returns what fflate holds beyond it (trailer, next member). */
  private afterInflate(): Uint8Array {
    const i = this.inf as unknown as InflateInternals;
    if (!internalsOk(i)) throw new Error('gzip: unexpected fflate version (stream state not found)');
    if (!(i.s.f && !i.s.l)) return new Uint8Array(0);
    // the final block ended at bit s.p (0..7) of p[0]: the trailer starts at the next byte
    const rest = i.p.subarray(((i.s.p ?? 0) & 7) === 0 ? 0 : 1).slice();
    this.inf = null;
    this.phase = 'trailer';
    this.pending = new Uint8Array(0);
    return rest;
  }

  /** Bytes of `c` taken for the member header (all of them while it is incomplete). */
  private takeHeader(c: Uint8Array): number {
    const had = this.pending.length;
    const buf = concat(this.pending, c);
    const n = gzipHeaderLength(buf);
    if (n < 0) {
      if (buf.length > MAX_HEADER) throw new Error('gzip: member header longer than 64 KiB (corrupt file name or extra field)');
      this.pending = buf.slice();
      return c.length;
    }
    this.pending = new Uint8Array(0);
    this.phase = 'deflate';
    this.memberOut = 0;
    this.inf = this.newInflate();
    return n - had;
  }

  /** Bytes of `c` taken for the 8-byte member trailer. */
  private takeTrailer(c: Uint8Array): number {
    const had = this.pending.length;
    const take = Math.min(c.length, 8 - had);
    const buf = concat(this.pending, c.subarray(0, take));
    if (buf.length < 8) {
      this.pending = buf.slice();
      return take;
    }
    const isize = (buf[4] | (buf[5] << 8) | (buf[6] << 16) | (buf[7] << 24)) >>> 0;
    if (isize !== this.memberOut % 2 ** 32) {
      throw new Error(`gzip: member ${this.members + 1} says ${isize} bytes (mod 2^32) but ${this.memberOut} were inflated (corrupt data)`);
    }
    this.members++;
    this.pending = new Uint8Array(0);
    this.phase = 'header';
    return take;
  }

  finish(): void {
    if (this.phase === 'header' && this.pending.length === 0 && this.members > 0) return;
    if (this.phase === 'header' && this.members === 0 && this.pending.length === 0) throw new TruncatedStreamError('gzip: empty stream');
    if (this.phase === 'deflate') {
      // let fflate say whether the data ended inside a block
      try {
        (this.inf as Inflate).push(new Uint8Array(0), true);
      } catch {
        /* unexpected EOF: reported below */
      }
      throw new TruncatedStreamError(`gzip: the compressed data ends inside member ${this.members + 1} (after ${this.memberOut} inflated bytes)`);
    }
    if (this.phase === 'trailer') throw new TruncatedStreamError(`gzip: the file ends inside the trailer of member ${this.members + 1}`);
    throw new TruncatedStreamError(`gzip: the file ends inside a member header (${this.pending.length} bytes after member ${this.members})`);
  }

  snapshot(): DecoderSnapshot | null {
    if (!this.snapshotsWork) return null;
    let inflate: GzipState['inflate'] = null;
    if (this.inf) {
      const i = this.inf as unknown as InflateInternals;
      if (!internalsOk(i)) {
        this.snapshotsWork = false;
        return null;
      }
      inflate = { s: { ...i.s }, o: i.o.slice(), p: i.p.slice() };
    }
    const state: GzipState = { phase: this.phase, pending: this.pending.slice(), memberOut: this.memberOut, members: this.members, inflate };
    return { bytes: 256 + (inflate ? inflate.o.length + inflate.p.length : 0) + state.pending.length, state };
  }
}

/** Length of the gzip member header at the start of `b`, or -1 when more bytes are needed. Throws when it is not gzip. */
export function gzipHeaderLength(b: Uint8Array): number {
  if (b.length >= 1 && b[0] !== 0x1f) throw new Error(`gzip: member header expected, found byte 0x${b[0].toString(16)} (garbage after the data?)`);
  if (b.length >= 2 && b[1] !== 0x8b) throw new Error('gzip: member header expected (second magic byte wrong)');
  if (b.length < 10) return -1;
  if (b[2] !== 8) throw new Error(`gzip: compression method ${b[2]} is not DEFLATE`);
  const flg = b[3];
  if (flg & 0xe0) throw new Error('gzip: reserved header flags set');
  let p = 10;
  if (flg & 4) {
    if (b.length < p + 2) return -1;
    p += 2 + (b[p] | (b[p + 1] << 8));
    if (b.length < p) return -1;
  }
  for (const bit of [8, 16]) {
    if (flg & bit) {
      while (p < b.length && b[p] !== 0) p++;
      if (p >= b.length) return -1;
      p++;
    }
  }
  if (flg & 2) p += 2;
  return b.length < p ? -1 : p;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export const gzipCodec: StreamCodec = {
  name: 'gzip',
  create: (sink) => new GzipDecoder(sink),
  restore: (snap, sink) => new GzipDecoder(sink, snap.state as GzipState),
};
