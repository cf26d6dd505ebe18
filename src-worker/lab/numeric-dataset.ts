/**
 * Numeric HDF5 datasets as the lab analyses read them (signals N × samples,
 * a system matrix cones × pixels, CSR arrays): the checks before reading
 * (exists, numeric, the expected rank) with errors that name the file and
 * dataset and say what was found, and row slices decoded into typed arrays
 * of the dataset's own type (big-endian data swapped, 64-bit integers
 * converted to float64).
 */
import type { H5File } from '../io/hdf5/h5-file.js';
import { Hdf5Error } from '../io/hdf5/h5-errors.js';
import { H5T, dtypeText } from '../io/hdf5/h5-dtype.js';
import { readRawHyperslab } from '../io/hdf5/raw-read.js';
import type { NumericSamples } from './waveform/trapezoidal-shaper.js';

export interface NumericDatasetInfo {
  file: string;
  path: string;
  shape: number[];
  kind: 'int' | 'uint' | 'float';
  /** bytes per element */
  elemSize: number;
  littleEndian: boolean;
  /** numpy-like type text, e.g. <i2, <f4 */
  dtype: string;
}

/** Describes dataset `path` and checks it is numeric with one of the ranks in `ranks`. */
export function numericDatasetInfo(file: H5File, path: string, ranks: number[], what: string): NumericDatasetInfo {
  if (!file.has(path)) {
    throw new Hdf5Error('node-not-found', `${file.path}: no dataset ${path} (${what}); the file holds ${describeRoot(file)}`, file.path);
  }
  if (!file.hasDataset(path)) throw new Hdf5Error('bad-request', `${file.path}: ${path} is a group, not a dataset (${what})`, file.path);
  const meta = file.metadata(path);
  const shape = meta.shape ?? [];
  const dtype = dtypeText(meta);
  let kind: NumericDatasetInfo['kind'];
  if (meta.type === H5T.INTEGER) kind = meta.signed ? 'int' : 'uint';
  else if (meta.type === H5T.FLOAT && (meta.size === 4 || meta.size === 8)) kind = 'float';
  else throw new Hdf5Error('bad-request', `${file.path}: ${path} has type ${dtype}; ${what} must be integers or float32/float64`, file.path);
  if (!ranks.includes(shape.length)) {
    throw new Hdf5Error(
      'bad-request',
      `${file.path}: ${path} has shape (${shape.join(', ')}); ${what} must have ${ranks.map((r) => `${r}`).join(' or ')} dimension${ranks.length === 1 && ranks[0] === 1 ? '' : 's'}`,
      file.path,
    );
  }
  return { file: file.path, path, shape, kind, elemSize: meta.size, littleEndian: meta.littleEndian || meta.size === 1, dtype };
}

function describeRoot(file: H5File): string {
  try {
    const keys = file.keys('/');
    return keys.length
      ? keys
          .slice(0, 12)
          .map((k) => `/${k}`)
          .join(', ') + (keys.length > 12 ? ', …' : '')
      : 'nothing at its root';
  } catch {
    return 'an unreadable root group';
  }
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Typed array of the element type over `bytes` (a fresh, aligned copy). */
export function decodeNumeric(info: Pick<NumericDatasetInfo, 'kind' | 'elemSize' | 'littleEndian'>, bytes: Uint8Array): NumericSamples {
  if (!info.littleEndian && info.elemSize > 1) swapBytes(bytes, info.elemSize);
  const { buffer, byteOffset, byteLength } = bytes;
  const n = byteLength / info.elemSize;
  if (info.kind === 'float') return info.elemSize === 4 ? new Float32Array(buffer, byteOffset, n) : new Float64Array(buffer, byteOffset, n);
  switch (info.elemSize) {
    case 1:
      return info.kind === 'int' ? new Int8Array(buffer, byteOffset, n) : new Uint8Array(buffer, byteOffset, n);
    case 2:
      return info.kind === 'int' ? new Int16Array(buffer, byteOffset, n) : new Uint16Array(buffer, byteOffset, n);
    case 4:
      return info.kind === 'int' ? new Int32Array(buffer, byteOffset, n) : new Uint32Array(buffer, byteOffset, n);
    case 8: {
      const src = info.kind === 'int' ? new BigInt64Array(buffer, byteOffset, n) : new BigUint64Array(buffer, byteOffset, n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(src[i]);
      return out;
    }
    default:
      throw new Error(`unsupported integer size ${info.elemSize}`);
  }
}

/** Rows [start, start + count) of a 2-D dataset (all columns), or elements of a 1-D one. */
export function readNumericRows(file: H5File, info: NumericDatasetInfo, start: number, count: number): NumericSamples {
  const rest = info.shape.slice(1);
  const bytes = readRawHyperslab(file, info.path, [start, ...rest.map(() => 0)], [count, ...rest], info.elemSize);
  // readRawHyperslab returns a fresh copy whose byteOffset is 0, so any view is aligned
  return decodeNumeric(info, bytes);
}

/** A whole 1-D or 2-D dataset as float64. */
export function readAsFloat64(file: H5File, info: NumericDatasetInfo): Float64Array {
  const a = readNumericRows(file, info, 0, info.shape[0] ?? 1);
  return a instanceof Float64Array ? a : Float64Array.from(a);
}
