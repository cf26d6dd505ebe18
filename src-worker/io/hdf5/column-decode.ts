/**
 * Decoding of packed rows (raw bytes in the file's layout) into one typed
 * array per column. Array columns (e.g. an LSTCam `image`, float32[1855])
 * are copied row by row with memcpy-speed `set`, then viewed as the right
 * typed array; scalars go through a byte loop. Every result owns its buffer
 * (safe to transfer to another thread).
 */
import type { FieldSpec } from './h5-dtype.js';
import type { TypedArray } from './browse-types.js';
import type { ColumnData } from './browse-types.js';

/** A typed array of the element kind of `f` over `bytes` (which must be aligned). */
export function typedView(f: Pick<FieldSpec, 'kind' | 'elemSize'>, bytes: Uint8Array): TypedArray {
  const { buffer, byteOffset, byteLength } = bytes;
  const n = byteLength / f.elemSize;
  switch (f.kind) {
    case 'float':
      if (f.elemSize === 4) return new Float32Array(buffer, byteOffset, n);
      if (f.elemSize === 8) return new Float64Array(buffer, byteOffset, n);
      break;
    case 'int':
    case 'enum':
      if (f.elemSize === 1) return new Int8Array(buffer, byteOffset, n);
      if (f.elemSize === 2) return new Int16Array(buffer, byteOffset, n);
      if (f.elemSize === 4) return new Int32Array(buffer, byteOffset, n);
      if (f.elemSize === 8) return new BigInt64Array(buffer, byteOffset, n);
      break;
    case 'uint':
    case 'bool':
      if (f.elemSize === 1) return new Uint8Array(buffer, byteOffset, n);
      if (f.elemSize === 2) return new Uint16Array(buffer, byteOffset, n);
      if (f.elemSize === 4) return new Uint32Array(buffer, byteOffset, n);
      if (f.elemSize === 8) return new BigUint64Array(buffer, byteOffset, n);
      break;
    default:
      break;
  }
  return new Uint8Array(buffer, byteOffset, byteLength);
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Fixed-length HDF5 strings (NUL-terminated or -padded) to JS strings. */
export function decodeFixedStrings(bytes: Uint8Array, size: number, n: number): string[] {
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = bytes.subarray(i * size, (i + 1) * size);
    let end = s.indexOf(0);
    if (end < 0) end = size;
    let ascii = true;
    for (let k = 0; k < end; k++) if (s[k] > 127) ascii = false;
    out[i] = (ascii ? latin1 : utf8).decode(s.subarray(0, end)).replace(/ +$/, '');
  }
  return out;
}

/** Gathers the bytes of field `f` of rows [0, nRows) into a new contiguous buffer. */
export function gatherFieldBytes(rows: Uint8Array, rowSize: number, nRows: number, f: Pick<FieldSpec, 'offset' | 'size'>): Uint8Array {
  const size = f.size;
  // one row (event stepping): a single copy, no zero-filled buffer first
  if (nRows === 1) return rows.slice(f.offset, f.offset + size);
  const out = new Uint8Array(nRows * size);
  if (size === rowSize && f.offset === 0) {
    out.set(rows.subarray(0, nRows * size));
    return out;
  }
  if (size >= 64) {
    for (let r = 0, src = f.offset, dst = 0; r < nRows; r++, src += rowSize, dst += size) {
      out.set(rows.subarray(src, src + size), dst);
    }
  } else {
    for (let r = 0, src = f.offset, dst = 0; r < nRows; r++, src += rowSize) {
      for (let k = 0; k < size; k++) out[dst++] = rows[src + k];
    }
  }
  return out;
}

/** Column `f` of rows [0, nRows) as a typed array of nRows × f.count elements (strings as string[]). */
export function decodeColumn(rows: Uint8Array, rowSize: number, nRows: number, f: FieldSpec): ColumnData {
  const bytes = gatherFieldBytes(rows, rowSize, nRows, f);
  if (f.kind === 'string') return decodeFixedStrings(bytes, f.elemSize, nRows * f.count);
  return typedView(f, bytes);
}

/** One element of a typed column as a JS number (int64 through Number), boolean for bools. */
export function scalarAt(col: ColumnData, i: number, kind: FieldSpec['kind']): number | string | boolean {
  const v = col[i];
  if (typeof v === 'string') return v;
  if (kind === 'bool') return v !== 0 && v !== 0n;
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/**
 * A scalar (count 1) numeric or bool field of the first row of `rows`, read in
 * place (no column buffer): the same value as scalarAt(decodeColumn(...), 0).
 * Undefined for kinds this does not cover (strings, odd sizes).
 */
export function readScalarField(rows: Uint8Array, f: FieldSpec): number | boolean | undefined {
  if (f.count !== 1 || f.offset + f.elemSize > rows.byteLength) return undefined;
  const dv = new DataView(rows.buffer, rows.byteOffset + f.offset, f.elemSize);
  switch (f.kind) {
    case 'float':
      if (f.elemSize === 4) return dv.getFloat32(0, true);
      if (f.elemSize === 8) return dv.getFloat64(0, true);
      return undefined;
    case 'int':
    case 'enum':
      if (f.elemSize === 1) return dv.getInt8(0);
      if (f.elemSize === 2) return dv.getInt16(0, true);
      if (f.elemSize === 4) return dv.getInt32(0, true);
      if (f.elemSize === 8) return Number(dv.getBigInt64(0, true));
      return undefined;
    case 'uint':
      if (f.elemSize === 1) return dv.getUint8(0);
      if (f.elemSize === 2) return dv.getUint16(0, true);
      if (f.elemSize === 4) return dv.getUint32(0, true);
      if (f.elemSize === 8) return Number(dv.getBigUint64(0, true));
      return undefined;
    case 'bool':
      if (f.elemSize === 1) return dv.getUint8(0) !== 0;
      if (f.elemSize === 2) return dv.getUint16(0, true) !== 0;
      if (f.elemSize === 4) return dv.getUint32(0, true) !== 0;
      if (f.elemSize === 8) return dv.getBigUint64(0, true) !== 0n;
      return undefined;
    default:
      return undefined;
  }
}

/** Any numeric column as Float64Array (int64 via Number; exact below 2^53). */
export function toFloat64(col: ColumnData): Float64Array {
  if (Array.isArray(col)) return Float64Array.from(col, (s) => Number(s));
  if (col instanceof BigInt64Array || col instanceof BigUint64Array) {
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = Number(col[i]);
    return out;
  }
  return col instanceof Float64Array ? col : Float64Array.from(col as ArrayLike<number>);
}
