/** Values of a read slice or column as plain numbers / display text (64-bit integers as numbers). */
import type { SliceResult } from '../../src-main/api/file-contract.js';

type Data = SliceResult['data'];

export function toNumbers(data: Data): Float64Array {
  if (Array.isArray(data)) return Float64Array.from(data, Number);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data as ArrayLike<bigint>, Number);
  return Float64Array.from(data as ArrayLike<number>);
}

export function formatValue(v: number | bigint | string | boolean): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Number.isInteger(v)) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(4) : String(Number(v.toPrecision(7)));
}
