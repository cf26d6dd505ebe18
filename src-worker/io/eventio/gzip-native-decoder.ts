/**
 * gzip whole-file decompression by Node's own zlib (C), driven synchronously
 * through minizlib (the zlib streams npm's tar uses: each write inflates at
 * once and hands the output over before it returns), for files read once in
 * order (`sequential` reading: `process`, benchmarks). About 3× faster than
 * fflate's JavaScript inflate on sim_telarray data, but zlib's state cannot
 * be copied: this decoder gives no snapshots, so a reader using it keeps no
 * checkpoints and a jump back decodes from the start (random access keeps
 * the fflate decoder, ./gzip-decoder.ts).
 *
 * zlib reads the member headers and trailers itself (CRC-32 and length
 * checked), several members as one stream, zero padding after the last one;
 * anything else after a member is an error ("incorrect header check"), and a
 * stream that ends inside a member is reported as truncated.
 */
import { Gunzip } from 'minizlib';
import type { ChunkSink, DecoderSnapshot, StreamCodec, StreamDecoder } from './stream-decoder.js';
import { TruncatedStreamError } from './stream-decoder.js';

/** compressed bytes per zlib write: DEFLATE expands at most ~1032×, so one piece gives at most ~17 MB */
const PIECE = 16 * 1024;
/** a push returns once it has produced this much */
const MAX_OUTPUT = 8 * 1024 * 1024;

class NativeGzipDecoder implements StreamDecoder {
  readonly maxOutput = MAX_OUTPUT;
  private readonly z: Gunzip;
  private produced = 0;
  private consumed = 0;
  private error: Error | null = null;

  constructor(private readonly sink: ChunkSink) {
    this.z = new Gunzip({});
    this.z.on('data', (b: Buffer) => {
      if (b.length) {
        this.produced += b.length;
        // a view of a Buffer that nothing writes to again (minizlib copies zlib's own output buffer)
        this.sink(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      }
    });
    this.z.on('error', (e: unknown) => {
      this.error ??= e instanceof Error ? e : new Error(String(e));
    });
  }

  private check(): void {
    if (this.error) throw new Error(`gzip: ${this.error.message}`);
  }

  push(chunk: Uint8Array): number {
    const start = this.produced;
    let used = 0;
    while (used < chunk.length && this.produced - start < MAX_OUTPUT) {
      const piece = chunk.subarray(used, Math.min(chunk.length, used + PIECE));
      used += piece.length;
      this.consumed += piece.length;
      this.z.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      this.check();
    }
    return used;
  }

  finish(): void {
    if (this.consumed === 0) throw new TruncatedStreamError('gzip: empty stream');
    this.z.end();
    if (this.error) {
      const msg = this.error.message;
      if (/unexpected end of file/i.test(msg))
        throw new TruncatedStreamError(`gzip: the compressed data ends inside a member (after ${this.produced} inflated bytes)`);
      throw new Error(`gzip: ${msg}`);
    }
  }

  snapshot(): DecoderSnapshot | null {
    return null;
  }
}

export const gzipNativeCodec: StreamCodec = {
  name: 'gzip',
  create: (sink) => new NativeGzipDecoder(sink),
  // never called: this decoder gives no snapshots
  restore: (_snap, sink) => new NativeGzipDecoder(sink),
};
