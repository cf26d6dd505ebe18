/**
 * Arrays of one live batch carved out of a few large ArrayBuffers instead of
 * one small buffer each: thousands of images, peak times and masks per
 * batch then cost a handful of allocations and transfer as a handful of
 * buffers. Views are aligned to 8 bytes.
 *
 * Chunks the backend is done with come back with later tasks
 * (recycleSlabChunks) and are used again before anything new is allocated:
 * a fresh 1 MB ArrayBuffer costs ~100 µs here (page faults and zeroing), a
 * recycled one nothing. Recycled memory is NOT cleared: callers write every
 * element of what they take (toy images and cleaning masks do).
 */
const CHUNK_BYTES = 1 << 20;
/** recycled chunks kept per thread at most (a batch uses a few) */
const MAX_FREE = 16;
const free: ArrayBuffer[] = [];

/** chunks the backend no longer needs, for this thread's next batches */
export function recycleSlabChunks(chunks: readonly ArrayBuffer[] | undefined): void {
  if (!chunks) return;
  for (const c of chunks) if (free.length < MAX_FREE && c.byteLength === CHUNK_BYTES) free.push(c);
}

export class BatchSlab {
  private chunk: ArrayBuffer | undefined;
  private used = 0;
  /** bytes the batch may still need (an upper bound), so that a small batch gets a small chunk */
  private remaining: number;
  /** every buffer handed out from (for the transfer list) */
  readonly buffers: ArrayBuffer[] = [];

  /**
   * @param expectedBytes at most what the batch will take (rounded up per
   * array); a batch that needs less than half a chunk gets a buffer of its
   * size instead: at low rates a batch holds one event, and every event the
   * backend keeps (the ring holds 200) would otherwise keep a whole 1 MB chunk
   */
  constructor(expectedBytes = Infinity) {
    this.remaining = expectedBytes;
  }

  private take(bytes: number): [ArrayBuffer, number] {
    const aligned = (bytes + 7) & ~7;
    if (!this.chunk || this.used + aligned > this.chunk.byteLength) {
      const want = Math.max(aligned, Math.min(this.remaining, CHUNK_BYTES));
      this.chunk = aligned <= CHUNK_BYTES && want > CHUNK_BYTES / 2 ? (free.pop() ?? new ArrayBuffer(CHUNK_BYTES)) : new ArrayBuffer((want + 7) & ~7);
      this.buffers.push(this.chunk);
      this.used = 0;
    }
    this.remaining -= aligned;
    const offset = this.used;
    this.used += aligned;
    return [this.chunk, offset];
  }

  /** n float32 values, not cleared */
  f32(n: number): Float32Array<ArrayBuffer> {
    const [b, o] = this.take(4 * n);
    return new Float32Array(b, o, n);
  }

  /** n bytes, not cleared */
  u8(n: number): Uint8Array<ArrayBuffer> {
    const [b, o] = this.take(n);
    return new Uint8Array(b, o, n);
  }
}
