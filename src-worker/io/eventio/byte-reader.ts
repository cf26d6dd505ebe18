/**
 * A bounds-checked cursor over one EventIO object's bytes: the scalar and
 * array types sim_telarray writes (int16/32, float32/64, float16, var-ints,
 * eventio strings) in the byte order of the file. Every read checks that the
 * object holds the bytes, and every count read from the file is checked
 * against the bytes left before anything is allocated, so a corrupt count
 * becomes an ObjectParseError instead of a huge allocation or garbage.
 */
import { ObjectParseError } from './eventio-errors.js';
import { decodeUnsignedVarint, varintLength, zigzag } from './varint.js';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class ByteReader {
  readonly view: DataView;
  /** current position, relative to `bytes` */
  pos: number;
  /** end of the readable range, relative to `bytes` */
  readonly end: number;

  constructor(
    readonly bytes: Uint8Array,
    /** file byte order: true for little-endian (the usual sim_telarray files) */
    readonly littleEndian = true,
    start = 0,
    end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are there. */
  need(n: number, what: string): void {
    if (!(n >= 0) || this.pos + n > this.end) {
      throw new ObjectParseError(`${what}: needs ${n} bytes at byte ${this.pos}, the object has ${Math.max(0, this.end - this.pos)} left`);
    }
  }

  /** Checks a count read from the file: `count` elements of `size` bytes must fit in what is left. */
  count(count: number, size: number, what: string): number {
    if (!Number.isInteger(count) || count < 0) throw new ObjectParseError(`${what}: count ${count} is not a non-negative integer`);
    if (count * size > this.end - this.pos) {
      throw new ObjectParseError(`${what}: ${count} elements of ${size} bytes do not fit in the ${this.end - this.pos} bytes left at byte ${this.pos}`);
    }
    return count;
  }

  skip(n: number, what = 'skip'): void {
    this.need(n, what);
    this.pos += n;
  }

  uint8(): number {
    this.need(1, 'uint8');
    return this.bytes[this.pos++];
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.view.getInt16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  float32(): number {
    this.need(4, 'float32');
    const v = this.view.getFloat32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  float64(): number {
    this.need(8, 'float64');
    const v = this.view.getFloat64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** eventio's unsigned count (`get_count`). */
  uvarint(): number {
    const v = decodeUnsignedVarint(this.bytes, this.pos, this.end);
    this.pos += varintLength(this.bytes[this.pos]);
    return v;
  }

  /** eventio's signed count (`get_scount`, zig-zag). */
  svarint(): number {
    return zigzag(this.uvarint());
  }

  /** A copy of the next `n` bytes. */
  bytesCopy(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A view of the next `n` bytes (valid while the object's buffer is). */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** eventio string: int16 length, then the bytes (pyeventio's read_string). */
  shortString(): Uint8Array {
    const n = this.int16();
    if (n < 0) throw new ObjectParseError(`string length ${n} is negative at byte ${this.pos - 2}`);
    return this.bytesCopy(n, 'string');
  }

  /** eventio var-string: var-int length, then the bytes (pyeventio's read_var_string). */
  varString(): Uint8Array {
    const n = this.uvarint();
    return this.bytesCopy(this.count(n, 1, 'var-string'), 'var-string');
  }

  int16Array(n: number, what = 'int16 array'): Int16Array {
    this.count(n, 2, what);
    const out = new Int16Array(n);
    this.fill(out, 2, (p) => this.view.getInt16(p, this.littleEndian));
    return out;
  }

  uint16Array(n: number, what = 'uint16 array'): Uint16Array {
    this.count(n, 2, what);
    const out = new Uint16Array(n);
    this.fill(out, 2, (p) => this.view.getUint16(p, this.littleEndian));
    return out;
  }

  int32Array(n: number, what = 'int32 array'): Int32Array {
    this.count(n, 4, what);
    const out = new Int32Array(n);
    this.fill(out, 4, (p) => this.view.getInt32(p, this.littleEndian));
    return out;
  }

  uint8Array(n: number, what = 'uint8 array'): Uint8Array {
    return this.bytesCopy(this.count(n, 1, what), what);
  }

  float32Array(n: number, what = 'float32 array'): Float32Array {
    this.count(n, 4, what);
    const out = new Float32Array(n);
    this.fill(out, 4, (p) => this.view.getFloat32(p, this.littleEndian));
    return out;
  }

  /** `n` float32 values into `out[offset ..]` (no new array). */
  float32Into(out: Float32Array, offset: number, n: number, what = 'float32 array'): void {
    this.count(n, 4, what);
    if (offset < 0 || offset + n > out.length) throw new ObjectParseError(`${what}: ${n} values do not fit at ${offset} of ${out.length}`);
    this.fill(out.subarray(offset, offset + n), 4, (p) => this.view.getFloat32(p, this.littleEndian));
  }

  float64Array(n: number, what = 'float64 array'): Float64Array {
    this.count(n, 8, what);
    const out = new Float64Array(n);
    this.fill(out, 8, (p) => this.view.getFloat64(p, this.littleEndian));
    return out;
  }

  /** IEEE half-precision floats (numpy 'f2'), widened to float64 exactly. */
  float16Array(n: number, what = 'float16 array'): Float64Array {
    this.count(n, 2, what);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = halfToFloat(this.view.getUint16(this.pos + 2 * i, this.littleEndian));
    this.pos += 2 * n;
    return out;
  }

  /** `n` signed var-ints (pyeventio's varint_array). */
  svarintArray(n: number, what = 'var-int array'): Float64Array {
    this.count(n, 1, what);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.svarint();
    return out;
  }

  /** `n` unsigned var-ints (pyeventio's unsigned_varint_array). */
  uvarintArray(n: number, what = 'var-int array'): Float64Array {
    this.count(n, 1, what);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uvarint();
    return out;
  }

  /** Copies n elements of `size` bytes into a typed array: a byte copy when the byte order is the host's. */
  private fill(out: Int16Array | Uint16Array | Int32Array | Float32Array | Float64Array, size: number, get: (p: number) => number): void {
    const n = out.length;
    if (this.littleEndian === HOST_LITTLE_ENDIAN) {
      new Uint8Array(out.buffer, out.byteOffset, n * size).set(this.bytes.subarray(this.pos, this.pos + n * size));
    } else {
      for (let i = 0; i < n; i++) out[i] = get(this.pos + i * size);
    }
    this.pos += n * size;
  }
}

/** One IEEE 754 binary16 value as a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
