/** A growable little-endian byte buffer for building HDF5 metadata blocks. */

export const UNDEF_ADDR = 0xffffffffffffffffn;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }

  /** 8-byte unsigned (addresses and lengths) */
  u64(v: number | bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.length, typeof v === 'bigint' ? v : BigInt(v), true);
    this.length += 8;
    return this;
  }

  /** an unsigned integer in `n` bytes */
  uint(v: number, n: number): this {
    for (let i = 0; i < n; i++) this.u8(Math.floor(v / 2 ** (8 * i)) & 0xff);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }

  /** NUL-terminated UTF-8 */
  cstring(s: string): this {
    this.bytes(new TextEncoder().encode(s));
    return this.u8(0);
  }

  setU32At(pos: number, v: number): void {
    this.view.setUint32(pos, v >>> 0, true);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  view_(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
