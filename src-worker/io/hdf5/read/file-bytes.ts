/**
 * Positioned reads of a file's bytes for the chunk fast path: a read-only
 * descriptor of our own (HDF5's stays inside h5wasm) and little-endian field
 * access with the file's sizes of offsets and lengths. Every read is bounds
 * checked; a bad address is a FormatMismatch, which makes the caller fall back
 * to HDF5 (and its error messages).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The file's structure is not one the fast path understands (HDF5 reads it instead). */
export class FormatMismatch extends Error {
  override readonly name = 'FormatMismatch';
}

export function mismatch(what: string): never {
  throw new FormatMismatch(what);
}

export class FileBytes {
  private fd: number | null;
  /** the HDF5 base address (start of the superblock); file addresses are relative to it */
  baseAddress = 0;
  sizeOfOffsets = 8;
  sizeOfLengths = 8;

  constructor(
    readonly path: string,
    readonly size: number,
  ) {
    this.fd = openSync(path, 'r');
  }

  /** Reads `n` bytes at absolute position `pos` into `into` (or a new buffer). */
  readAbs(pos: number, n: number, into?: Uint8Array): Uint8Array {
    if (this.fd === null) mismatch('closed');
    if (!(Number.isSafeInteger(pos) && Number.isSafeInteger(n) && pos >= 0 && n >= 0 && pos + n <= this.size)) {
      mismatch(`read of ${n} bytes at ${pos} is outside the file (${this.size} bytes)`);
    }
    const buf = into && into.byteLength >= n ? into : new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, buf, done, n - done, pos + done);
      if (got <= 0) mismatch(`short read at ${pos + done}`);
      done += got;
    }
    return buf.byteLength === n ? buf : buf.subarray(0, n);
  }

  private scratchBuf = new Uint8Array(0);

  /**
   * A read buffer of at least `n` bytes shared by all tables of the file
   * (reads are sequential; whoever reads into it consumes it before the next).
   */
  scratch(n: number): Uint8Array {
    if (this.scratchBuf.byteLength < n) this.scratchBuf = new Uint8Array(Math.max(n, this.scratchBuf.byteLength * 2, 64 * 1024));
    return this.scratchBuf;
  }

  /** Reads `n` bytes at HDF5 address `addr` (relative to the base address). */
  read(addr: number, n: number, into?: Uint8Array): Uint8Array {
    return this.readAbs(this.baseAddress + addr, n, into);
  }

  /** A cursor over `n` bytes at address `addr`. */
  cursor(addr: number, n: number): Cursor {
    const avail = Math.min(n, this.size - this.baseAddress - addr);
    if (!(avail > 0)) mismatch(`address ${addr} is outside the file`);
    return new Cursor(this.read(addr, avail), this);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Sequential little-endian reader over a buffer. */
export class Cursor {
  pos = 0;
  private view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private sizes: { sizeOfOffsets: number; sizeOfLengths: number },
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.byteLength || this.pos < 0) mismatch('structure runs past its buffer');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Unsigned little-endian integer of `n` bytes (n ≤ 8); undefined-address (all ones) gives -1. */
  uint(n: number): number {
    this.need(n);
    let v = 0;
    let allOnes = true;
    for (let i = n - 1; i >= 0; i--) {
      const b = this.bytes[this.pos + i];
      if (b !== 0xff) allOnes = false;
      v = v * 256 + b;
    }
    this.pos += n;
    if (allOnes) return -1;
    if (!Number.isSafeInteger(v)) mismatch('address beyond 2^53');
    return v;
  }

  offset(): number {
    return this.uint(this.sizes.sizeOfOffsets);
  }

  length(): number {
    return this.uint(this.sizes.sizeOfLengths);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  bytesAt(n: number): Uint8Array {
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  signature(sig: string): void {
    for (let i = 0; i < sig.length; i++) if (this.u8() !== sig.charCodeAt(i)) mismatch(`expected signature ${sig}`);
  }

  get remaining(): number {
    return this.bytes.byteLength - this.pos;
  }
}
