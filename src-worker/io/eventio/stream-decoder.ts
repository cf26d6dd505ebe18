/**
 * What the positioned reader needs from a whole-file decompressor: push
 * compressed bytes in, get decompressed chunks out (in order, never reused),
 * say when the input ended too early, and, between pushes, a snapshot of the
 * decoder state that a new decoder can resume from (a checkpoint for random
 * access; null when the decoder cannot give one).
 */
export interface DecoderSnapshot {
  /** approximate memory the snapshot holds, bytes */
  bytes: number;
  /** opaque state for `restore` */
  state: unknown;
}

export type ChunkSink = (chunk: Uint8Array) => void;

export interface StreamDecoder {
  /**
   * Feeds compressed bytes; decoded chunks go to the sink given at creation.
   * Returns how many bytes of `chunk` were taken: fewer than all when one
   * call has produced `maxOutput` bytes (call again with the rest once the
   * output is used), so a compression bomb cannot fill the memory.
   * Throws Error on corrupt data.
   */
  push(chunk: Uint8Array): number;
  /** No more input: throws a truncation Error when the stream is incomplete. */
  finish(): void;
  /** The state between pushes, or null when this decoder cannot resume from it. */
  snapshot(): DecoderSnapshot | null;
  /** About the most bytes one `push` decodes before it returns. */
  readonly maxOutput: number;
  /** The decoder keeps no reference to the arrays given to `push` (it copies what it keeps): the caller may reuse them. */
  readonly copiesInput?: boolean;
  /** The decoder will not be used again (it may give its resources to the next one). */
  dispose?(): void;
}

export interface StreamCodec {
  /** 'gzip' or 'zstd' */
  readonly name: string;
  create(sink: ChunkSink): StreamDecoder;
  restore(snapshot: DecoderSnapshot, sink: ChunkSink): StreamDecoder;
}

/** Thrown by decoders when the compressed input ends inside the stream. */
export class TruncatedStreamError extends Error {
  override readonly name = 'TruncatedStreamError';
}

/** Thrown by decoders for settings we refuse (e.g. a zstd window beyond the memory limit). */
export class UnsupportedStreamError extends Error {
  override readonly name = 'UnsupportedStreamError';
}
