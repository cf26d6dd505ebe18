/**
 * Attributes of HDF5 objects as plain JSON-able values (bigints to numbers,
 * typed arrays to arrays, bytes to strings), plus their dtype text.
 */
import type { H5File } from './h5-file.js';
import { dtypeText } from './h5-dtype.js';
import type { AttrValue } from './browse-types.js';
import type { AttrInfo } from './browse-types.js';

export function toAttrValue(v: unknown): AttrValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array && v.length === 1) return v[0];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? Number(x) : x));
  if (Array.isArray(v)) return v.map(toAttrValue);
  return String(v);
}

/** All attributes of the object at `path`, by name. Unreadable ones are skipped. */
export function readAttrInfos(file: H5File, path: string): AttrInfo[] {
  return file.guard(`attributes of ${path}`, () => {
    const obj = path === '/' ? file.file : file.file.get(path);
    if (!obj || !('attrs' in obj)) return [];
    const out: AttrInfo[] = [];
    for (const [name, attr] of Object.entries(obj.attrs)) {
      try {
        out.push({ name, dtype: dtypeText(attr.metadata), shape: attr.shape, value: toAttrValue(attr.value) });
      } catch {
        out.push({ name, dtype: '?', shape: null, value: null });
      }
    }
    return out;
  });
}

export function readAttrs(file: H5File, path: string): Record<string, AttrValue> {
  return Object.fromEntries(readAttrInfos(file, path).map((a) => [a.name, a.value]));
}
