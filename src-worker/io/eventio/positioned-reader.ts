/**
 * Reads the decompressed bytes of a file at any position, synchronously
 * (a worker thread may block; nothing here waits on callbacks), holding only
 * what is being read in memory:
 *
 * - uncompressed files: positioned reads (fs.readSync) through a 1 MiB block;
 * - gzip / zstd: the file is decompressed as a stream; on the way, at most
 *   every `checkpointSpacing` decompressed bytes, the decoder state is kept
 *   as a checkpoint (decompressed offset, compressed offset, decoder
 *   snapshot). A jump to any offset resumes from the last checkpoint before
 *   it instead of decompressing from the start; reading forward continues
 *   the live decoder. The checkpoints together hold at most
 *   `checkpointBudget` bytes: when they would hold more, every other one is
 *   dropped and the spacing doubles, so a file of any size keeps a bounded,
 *   evenly spread set.
 *
 * Failures become EventIOErrors naming the file: 'truncated' when the
 * compressed stream ends early, 'corrupt' for decoder errors, 'unsupported'
 * for settings the decoder refuses, 'io' for read errors.
 */
import { readSync } from 'node:fs';
import { EventIOError } from './eventio-errors.js';
import type { DecoderSnapshot, StreamCodec, StreamDecoder } from './stream-decoder.js';
import { TruncatedStreamError, UnsupportedStreamError } from './stream-decoder.js';

export interface PositionedReaderOptions {
  /** decompressed bytes between checkpoints at first (default 16 MiB) */
  checkpointSpacing?: number;
  /** memory all checkpoints may hold together (default 128 MiB) */
  checkpointBudget?: number;
  /** compressed bytes per file read (default 256 KiB) */
  readSize?: number;
  /**
   * the file will be read once, in order (`process`, benchmarks): no
   * checkpoints are kept (a jump back decodes from the start), and gzip is
   * inflated by Node's zlib, ~3× faster than fflate
   */
  sequential?: boolean;
}

export interface PositionedReaderStats {
  /** checkpoints held now */
  checkpoints: number;
  /** memory they hold, bytes */
  checkpointBytes: number;
  /** spacing in force, decompressed bytes */
  checkpointSpacing: number;
  /** times a checkpoint was restored */
  restores: number;
  /** decompressed bytes produced since opening (all passes) */
  bytesDecoded: number;
  /** compressed bytes read since opening */
  bytesRead: number;
}

interface Checkpoint {
  outPos: number;
  inPos: number;
  snap: DecoderSnapshot | null;
}

const EMPTY = new Uint8Array(0);
const RAW_BLOCK = 1 << 20;
/** compressed bytes given to the decoder per step: output arrives in steps of a few 100 kB, the granularity of checkpoints */
const PUMP_INPUT = 64 << 10;
/**
 * sequential reading (no checkpoints): compressed bytes per file read, all
 * given to the decoder in one step, so that the output comes in chunks of
 * up to a MiB and an object (a sim_telarray event: a few 100 kB) is seldom
 * split between chunks, which `read` would have to join (a copy)
 */
const SEQUENTIAL_READ = 1 << 20;

export class PositionedReader {
  private readonly spacing0: number;
  private spacing: number;
  private readonly budget: number;
  private readonly readSize: number;
  private readonly sequential: boolean;
  private readonly pumpInput: number;
  /** the buffer of the last file read, used again when the decoder copies its input */
  private readBuffer: Uint8Array = EMPTY;

  // --- uncompressed ---
  private block: Uint8Array = EMPTY;
  private blockStart = 0;

  // --- compressed ---
  private decoder: StreamDecoder | null = null;
  private queue: Uint8Array[] = [];
  private qHead = 0;
  private qOff = 0;
  private buffered = 0;
  private decodedEnd = 0;
  private inbuf: Uint8Array = EMPTY;
  private inPos = 0;
  private fileReadPos = 0;
  private inputEOF = false;
  private ended = false;
  private checkpoints: Checkpoint[] = [{ outPos: 0, inPos: 0, snap: null }];
  private checkpointBytes = 0;
  private furthestCheckpoint = 0;

  /** decompressed offset of the next byte `read` returns */
  position = 0;
  readonly stats: PositionedReaderStats;

  constructor(
    private readonly fd: number,
    /** size of the file on disk, bytes */
    readonly fileSize: number,
    private readonly codec: StreamCodec | null,
    /** the file as the caller named it, for messages */
    readonly fileName: string,
    options: PositionedReaderOptions = {},
  ) {
    this.spacing0 = this.spacing = Math.max(1 << 16, options.checkpointSpacing ?? 16 << 20);
    this.budget = Math.max(0, options.checkpointBudget ?? 128 << 20);
    this.sequential = options.sequential === true;
    this.readSize = Math.max(4096, options.readSize ?? (this.sequential ? SEQUENTIAL_READ : 256 << 10));
    this.pumpInput = this.sequential ? this.readSize : PUMP_INPUT;
    this.stats = { checkpoints: 1, checkpointBytes: 0, checkpointSpacing: this.spacing, restores: 0, bytesDecoded: 0, bytesRead: 0 };
    if (codec) this.decoder = codec.create(this.sink);
  }

  /** Whether the file is compressed (positions are decompressed offsets). */
  get compressed(): boolean {
    return this.codec !== null;
  }

  /** The decompressed size when known (uncompressed files, or after the end was reached). */
  get knownSize(): number | null {
    if (!this.codec) return this.fileSize;
    return this.ended ? this.decodedEnd : null;
  }

  /** How far into the file (compressed bytes) the reading has come: for progress. */
  get filePosition(): number {
    return this.codec ? this.fileReadPos - (this.inbuf.length - this.inPos) : this.position;
  }

  /**
   * Up to `n` bytes from the current position (fewer only at the end of the
   * data). The returned array is never overwritten by later reads.
   */
  read(n: number): Uint8Array {
    if (n <= 0) return EMPTY;
    return this.codec ? this.readDecoded(n) : this.readRaw(n);
  }

  /**
   * Up to `n` bytes from the current position without moving it (fewer only
   * at the end of the data); the array may be a view of buffered data: use it
   * before the next read.
   */
  peek(n: number): Uint8Array {
    if (n <= 0) return EMPTY;
    if (!this.codec) {
      const at = this.position;
      const out = this.readRaw(n);
      this.position = at;
      return out;
    }
    while (this.buffered < n && this.pump()) {
      /* decode more */
    }
    const want = Math.min(n, this.buffered);
    if (want === 0) return EMPTY;
    const head = this.queue[this.qHead];
    if (head.length - this.qOff >= want) return head.subarray(this.qOff, this.qOff + want);
    const out = new Uint8Array(want);
    let w = 0;
    for (let q = this.qHead, off = this.qOff; w < want; q++, off = 0) {
      const c = this.queue[q];
      const k = Math.min(want - w, c.length - off);
      out.set(c.subarray(off, off + k), w);
      w += k;
    }
    return out;
  }

  /** Skips up to `n` bytes; returns how many were skipped (fewer only at the end). */
  skip(n: number): number {
    if (n <= 0) return 0;
    if (!this.codec) {
      const k = Math.min(n, Math.max(0, this.fileSize - this.position));
      this.position += k;
      return k;
    }
    let left = n;
    while (left > 0) {
      if (this.buffered === 0 && !this.pump()) break;
      left -= this.consume(left);
    }
    return n - left;
  }

  /** Moves to decompressed offset `target` (reading forward, or from the nearest checkpoint). */
  seek(target: number): void {
    if (!(target >= 0)) throw new EventIOError('range', this.fileName, `cannot seek to ${target}`);
    if (!this.codec) {
      this.position = target;
      return;
    }
    if (target === this.position) return;
    // the last checkpoint at or before the target
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid].outPos <= target) lo = mid;
      else hi = mid - 1;
    }
    const cp = this.checkpoints[lo];
    const forward = target >= this.position;
    // restore when going back, or when the checkpoint is beyond what is already decoded
    if (!forward || cp.outPos > this.decodedEnd) this.restore(cp);
    const want = target - this.position;
    const got = this.skip(want);
    if (got < want) {
      throw new EventIOError('range', this.fileName, `offset ${target} is beyond the end of the decompressed data (${this.position} bytes)`, target);
    }
  }

  // --- uncompressed files ---------------------------------------------------

  private readRaw(n: number): Uint8Array {
    const avail = Math.max(0, this.fileSize - this.position);
    const want = Math.min(n, avail);
    if (want === 0) return EMPTY;
    const inBlock = this.position >= this.blockStart && this.position + want <= this.blockStart + this.block.length;
    if (!inBlock) {
      if (want > RAW_BLOCK / 4) {
        const out = new Uint8Array(want);
        this.readFully(out, this.position);
        this.position += want;
        return out;
      }
      const len = Math.min(RAW_BLOCK, avail);
      const blk = new Uint8Array(len);
      this.readFully(blk, this.position);
      this.block = blk;
      this.blockStart = this.position;
    }
    const off = this.position - this.blockStart;
    this.position += want;
    return this.block.subarray(off, off + want);
  }

  private readFully(out: Uint8Array, at: number): void {
    let done = 0;
    while (done < out.length) {
      let got: number;
      try {
        got = readSync(this.fd, out, done, out.length - done, at + done);
      } catch (e) {
        throw new EventIOError('io', this.fileName, `${this.fileName}: read failed at byte ${at + done}: ${(e as Error).message}`, at + done);
      }
      if (got <= 0)
        throw new EventIOError('truncated', this.fileName, `${this.fileName}: the file became shorter while reading (at byte ${at + done})`, at + done);
      done += got;
      this.stats.bytesRead += got;
    }
  }

  // --- compressed files -----------------------------------------------------

  private readonly sink = (chunk: Uint8Array): void => {
    this.queue.push(chunk);
    this.buffered += chunk.length;
    this.decodedEnd += chunk.length;
    this.stats.bytesDecoded += chunk.length;
  };

  private readDecoded(n: number): Uint8Array {
    while (this.buffered < n && this.pump()) {
      /* decode more */
    }
    const want = Math.min(n, this.buffered);
    if (want === 0) return EMPTY;
    const head = this.queue[this.qHead];
    if (head.length - this.qOff >= want) {
      const out = head.subarray(this.qOff, this.qOff + want);
      this.consume(want);
      return out;
    }
    const out = new Uint8Array(want);
    let w = 0;
    while (w < want) {
      const c = this.queue[this.qHead];
      const k = Math.min(want - w, c.length - this.qOff);
      out.set(c.subarray(this.qOff, this.qOff + k), w);
      w += k;
      this.consume(k);
    }
    return out;
  }

  /** Drops up to `n` buffered bytes from the front; returns how many. */
  private consume(n: number): number {
    let left = Math.min(n, this.buffered);
    const k = left;
    while (left > 0) {
      const c = this.queue[this.qHead];
      const avail = c.length - this.qOff;
      if (avail > left) {
        this.qOff += left;
        left = 0;
      } else {
        left -= avail;
        this.qHead++;
        this.qOff = 0;
      }
    }
    if (this.qHead > 64 || this.qHead === this.queue.length) {
      this.queue = this.queue.slice(this.qHead);
      this.qHead = 0;
    }
    this.buffered -= k;
    this.position += k;
    return k;
  }

  /** Decodes some more; false at the end of the data. */
  private pump(): boolean {
    if (this.ended) return false;
    const dec = this.decoder as StreamDecoder;
    const before = this.decodedEnd;
    try {
      if (this.inPos >= this.inbuf.length && !this.inputEOF) {
        const len = Math.min(this.readSize, Math.max(0, this.fileSize - this.fileReadPos));
        if (len === 0) {
          this.inputEOF = true;
        } else {
          // a decoder that copies its input has none of the last buffer left: it can take the next read
          const reuse = this.decoder?.copiesInput === true && this.readBuffer.length >= len;
          const buf = reuse ? this.readBuffer.subarray(0, len) : new Uint8Array(len);
          if (this.decoder?.copiesInput) this.readBuffer = reuse ? this.readBuffer : buf;
          let got: number;
          try {
            got = readSync(this.fd, buf, 0, len, this.fileReadPos);
          } catch (e) {
            throw new EventIOError('io', this.fileName, `${this.fileName}: read failed at compressed byte ${this.fileReadPos}: ${(e as Error).message}`);
          }
          this.stats.bytesRead += got;
          if (got <= 0) this.inputEOF = true;
          this.inbuf = got < len ? buf.subarray(0, got) : buf;
          this.inPos = 0;
          this.fileReadPos += got;
          return true;
        }
      }
      if (this.inPos >= this.inbuf.length) {
        // no more input: let the decoder finish what it holds, then check it ended cleanly
        dec.push(EMPTY);
        if (this.decodedEnd > before) {
          this.maybeCheckpoint();
          return true;
        }
        dec.finish();
        this.ended = true;
        return false;
      }
      const used = dec.push(this.inbuf.subarray(this.inPos, this.inPos + this.pumpInput));
      this.inPos += used;
      if (used === 0 && this.decodedEnd === before) {
        throw new Error('the decoder made no progress');
      }
    } catch (e) {
      throw this.decodeError(e);
    }
    this.maybeCheckpoint();
    return true;
  }

  private decodeError(e: unknown): EventIOError {
    if (e instanceof EventIOError) return e;
    const msg = e instanceof Error ? e.message : String(e);
    const where = `at compressed byte ~${this.filePosition}, decompressed byte ${this.decodedEnd}`;
    if (e instanceof TruncatedStreamError) {
      return new EventIOError('truncated', this.fileName, `${this.fileName}: the ${this.codec?.name} data is truncated (${msg})`, this.decodedEnd);
    }
    if (e instanceof UnsupportedStreamError) return new EventIOError('unsupported', this.fileName, `${this.fileName}: ${msg}`, this.decodedEnd);
    return new EventIOError('corrupt', this.fileName, `${this.fileName}: the ${this.codec?.name} data is corrupt ${where}: ${msg}`, this.decodedEnd);
  }

  private maybeCheckpoint(): void {
    if (this.sequential || this.decodedEnd <= this.furthestCheckpoint) return;
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (this.decodedEnd - last.outPos < this.spacing || this.decodedEnd < this.furthestCheckpoint + this.spacing) return;
    const snap = (this.decoder as StreamDecoder).snapshot();
    if (!snap) return;
    this.checkpoints.push({ outPos: this.decodedEnd, inPos: this.filePosition, snap });
    this.checkpointBytes += snap.bytes;
    this.furthestCheckpoint = this.decodedEnd;
    while (this.checkpointBytes > this.budget && this.checkpoints.length > 1) this.thin();
    this.stats.checkpoints = this.checkpoints.length;
    this.stats.checkpointBytes = this.checkpointBytes;
    this.stats.checkpointSpacing = this.spacing;
  }

  /** Keeps every other checkpoint (and the start) and doubles the spacing. */
  private thin(): void {
    const kept: Checkpoint[] = [this.checkpoints[0]];
    let bytes = 0;
    for (let i = 2; i < this.checkpoints.length; i += 2) {
      kept.push(this.checkpoints[i]);
      bytes += this.checkpoints[i].snap?.bytes ?? 0;
    }
    if (kept.length === this.checkpoints.length) {
      // a single checkpoint larger than the budget: keep only the start
      kept.length = 1;
      bytes = 0;
    }
    this.checkpoints = kept;
    this.checkpointBytes = bytes;
    this.spacing *= 2;
  }

  /** The reader will not be used again: lets the decoder go. */
  close(): void {
    this.decoder?.dispose?.();
    this.decoder = null;
    this.ended = true;
  }

  private restore(cp: Checkpoint): void {
    const codec = this.codec as StreamCodec;
    this.decoder?.dispose?.();
    this.decoder = cp.snap ? codec.restore(cp.snap, this.sink) : codec.create(this.sink);
    this.queue = [];
    this.qHead = 0;
    this.qOff = 0;
    this.buffered = 0;
    this.decodedEnd = cp.outPos;
    this.position = cp.outPos;
    this.inbuf = EMPTY;
    this.inPos = 0;
    this.fileReadPos = cp.inPos;
    this.inputEOF = false;
    this.ended = false;
    this.stats.restores++;
  }

  /** The spacing the reader started with (before any thinning). */
  get initialCheckpointSpacing(): number {
    return this.spacing0;
  }
}
