/**
 * Arrays of one live batch carved out of a few large ArrayBuffers instead of
 * one small buffer each: thousands of images, peak times and masks per
 * batch then cost a handful of allocations and transfer as a handful of
 * buffers. Views are aligned to 8 bytes.
 */
export class BatchSlab {
  private chunk: ArrayBuffer | undefined;
  private used = 0;
  /** every buffer handed out from (for the transfer list) */
  readonly buffers: ArrayBuffer[] = [];

  constructor(private readonly chunkBytes = 1 << 20) {}

  private take(bytes: number): [ArrayBuffer, number] {
    const aligned = (bytes + 7) & ~7;
    if (!this.chunk || this.used + aligned > this.chunk.byteLength) {
      this.chunk = new ArrayBuffer(Math.max(this.chunkBytes, aligned));
      this.buffers.push(this.chunk);
      this.used = 0;
    }
    const offset = this.used;
    this.used += aligned;
    return [this.chunk, offset];
  }

  f32(n: number): Float32Array<ArrayBuffer> {
    const [b, o] = this.take(4 * n);
    return new Float32Array(b, o, n);
  }

  u8(n: number): Uint8Array<ArrayBuffer> {
    const [b, o] = this.take(n);
    return new Uint8Array(b, o, n);
  }
}
