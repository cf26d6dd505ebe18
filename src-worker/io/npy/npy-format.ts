/**
 * NumPy's .npy format (versions 1-3): the header dict ('descr', 'fortran_order',
 * 'shape') and the array's numbers as float32, for point clouds. Numeric
 * dtypes of either byte order and bool; structured and object arrays are
 * refused with the reason. Pure (no Node APIs).
 */

export interface NpyHeader {
  /** e.g. "<f4" */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** byte offset of the data */
  dataOffset: number;
}

export class NpyError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && MAGIC.every((b, i) => bytes[i] === b);
}

export function parseNpyHeader(bytes: Uint8Array, name = 'array'): NpyHeader {
  if (!isNpy(bytes)) throw new NpyError(`${name}: not a NumPy .npy array (no \\x93NUMPY magic)`);
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let len: number;
  let start: number;
  if (major === 1) {
    len = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    len = dv.getUint32(8, true);
    start = 12;
  } else {
    throw new NpyError(`${name}: .npy format version ${major} is not known (1, 2 or 3 are)`);
  }
  if (start + len > bytes.length) throw new NpyError(`${name}: the .npy header is cut short (file truncated?)`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + len));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  if (!descr) {
    if (/'descr'\s*:\s*\[/.test(text))
      throw new NpyError(`${name}: a structured (record) array; save the columns as one N×C numeric array to show it as points`);
    throw new NpyError(`${name}: the .npy header has no dtype ('descr')`);
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!fortran || !shape) throw new NpyError(`${name}: the .npy header lacks 'fortran_order' or 'shape'`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`${name}: bad shape (${shape[1]}) in the .npy header`);
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims, dataOffset: start + len };
}

interface DtypeInfo {
  kind: 'f' | 'i' | 'u' | 'b';
  size: number;
  little: boolean;
}

export function dtypeInfo(descr: string, name = 'array'): DtypeInfo {
  const m = /^([<>|=]?)([fiub])(\d+)$/.exec(descr);
  if (!m) throw new NpyError(`${name}: dtype "${descr}" is not numeric (float, int, uint or bool arrays can be shown as points)`);
  const size = Number(m[3]);
  const kind = m[2] as DtypeInfo['kind'];
  const ok = kind === 'f' ? size === 4 || size === 8 : kind === 'b' ? size === 1 : [1, 2, 4, 8].includes(size);
  if (!ok) throw new NpyError(`${name}: dtype "${descr}" (${size}-byte ${kind}) is not supported`);
  return { kind, size, little: m[1] !== '>' };
}

/** The array's values as float32, in C (row-major) order. */
export function npyToFloat32(bytes: Uint8Array, name = 'array'): { header: NpyHeader; values: Float32Array } {
  const header = parseNpyHeader(bytes, name);
  const dt = dtypeInfo(header.descr, name);
  const n = header.shape.reduce((a, b) => a * b, 1);
  const need = header.dataOffset + n * dt.size;
  if (bytes.length < need) throw new NpyError(`${name}: ${n} values need ${need} bytes but the data holds ${bytes.length} (file truncated?)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, n * dt.size);
  const out = new Float32Array(n);
  const le = dt.little;
  const s = dt.size;
  if (dt.kind === 'f' && s === 4) for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, le);
  else if (dt.kind === 'f') for (let i = 0; i < n; i++) out[i] = dv.getFloat64(i * 8, le);
  else if (dt.kind === 'b') for (let i = 0; i < n; i++) out[i] = dv.getUint8(i) ? 1 : 0;
  else if (dt.kind === 'i') {
    for (let i = 0; i < n; i++)
      out[i] = s === 1 ? dv.getInt8(i) : s === 2 ? dv.getInt16(i * 2, le) : s === 4 ? dv.getInt32(i * 4, le) : Number(dv.getBigInt64(i * 8, le));
  } else {
    for (let i = 0; i < n; i++)
      out[i] = s === 1 ? dv.getUint8(i) : s === 2 ? dv.getUint16(i * 2, le) : s === 4 ? dv.getUint32(i * 4, le) : Number(dv.getBigUint64(i * 8, le));
  }
  if (header.fortranOrder && header.shape.length > 1) return { header, values: fortranToC(out, header.shape) };
  return { header, values: out };
}

function fortranToC(f: Float32Array, shape: number[]): Float32Array {
  const n = f.length;
  const out = new Float32Array(n);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  // walk C order, compute the Fortran offset
  const fStride = new Array<number>(nd);
  fStride[0] = 1;
  for (let d = 1; d < nd; d++) fStride[d] = fStride[d - 1] * shape[d - 1];
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < nd; d++) off += idx[d] * fStride[d];
    out[i] = f[off];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * How an array of this shape is read as points: (N, C) with C ≥ 3 as N points
 * of C columns; (…, C) with more leading axes flattened to rows (e.g. WatChMaL
 * positions (N, 1, 3)). Null with the reason when it cannot be.
 */
export function pointTableShape(shape: number[]): { rows: number; columns: number } | { reason: string } {
  if (shape.length < 2) return { reason: `a ${shape.length}-D array of shape (${shape.join(', ')}) has no columns; points need an N×3 (or N×C, C ≥ 3) array` };
  const columns = shape[shape.length - 1];
  if (columns < 3) return { reason: `shape (${shape.join(', ')}) has ${columns} column(s); points need at least 3 (x, y, z)` };
  if (columns > 64)
    return { reason: `shape (${shape.join(', ')}) has ${columns} columns; points are read from arrays of at most 64 columns (x, y, z, values…)` };
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { rows, columns };
}
