/**
 * Reads the attributes of an object as the writer's AttrSpec: raw bytes in
 * the source layout (so numbers, fixed strings, PyTables bools and enums are
 * copied exactly), variable-length strings as strings. Attributes of types
 * the writer cannot encode (references, opaque, nested vlen) are skipped and
 * reported.
 */
import type { Metadata } from 'h5wasm/node';
import type { H5File } from '../hdf5/h5-file.js';
import { hasVlen, isVlenString, type TypeDesc } from '../hdf5/writer/datatype-encode.js';
import type { AttrSpec } from '../hdf5/writer/h5-writer.js';

const encoder = new TextEncoder();

function writable(t: TypeDesc): boolean {
  if (isVlenString(t)) return true;
  if (hasVlen(t)) return false;
  if (t.type === 7 || t.type === 5) return false;
  if (t.type === 10) return !!t.array_type && writable(t.array_type);
  if (t.type === 6) return (t.compound_type?.members ?? []).every(writable);
  return t.type === 0 || t.type === 1 || t.type === 3 || t.type === 4 || t.type === 8;
}

export function readAttributeSpecs(file: H5File, path: string, skipped: string[] = []): AttrSpec[] {
  return file.guard(`attributes of ${path}`, () => {
    const obj = path === '/' ? file.file : file.file.get(path);
    if (!obj || !('attrs' in obj)) return [];
    const out: AttrSpec[] = [];
    for (const [name, attr] of Object.entries(obj.attrs)) {
      const meta = attr.metadata as Metadata;
      const shape = attr.shape;
      const t = meta as unknown as TypeDesc;
      if (shape === null) {
        // an empty attribute (NULL dataspace), e.g. PyTables' TITLE=''
        out.push({ name, type: isVlenString(t) ? { type: 3, size: 16, vlen: true, cset: meta.cset ?? 1 } : t, shape: null });
        continue;
      }
      if (!writable(t)) {
        skipped.push(`${path}:${name}`);
        continue;
      }
      if (isVlenString(t)) {
        const v = attr.value;
        const strings = Array.isArray(v) ? v.map((x) => String(x)) : [String(v)];
        out.push({ name, type: { type: 3, size: 16, vlen: true, cset: meta.cset ?? 1 }, shape, strings });
        continue;
      }
      const n = shape.reduce((a, b) => a * b, 1);
      const nbytes = n * meta.size;
      const m = file.module;
      const ptr = m._malloc(Math.max(1, nbytes));
      try {
        m.get_attribute_data(file.fileId, path, name, BigInt(ptr));
        out.push({ name, type: t, shape, data: m.HEAPU8.slice(ptr, ptr + nbytes) });
      } finally {
        m._free(ptr);
      }
    }
    return out;
  });
}

/** A fixed-length UTF-8 string attribute (as PyTables writes them). */
export function stringAttr(name: string, value: string): AttrSpec {
  const data = encoder.encode(value);
  return { name, type: { type: 3, size: Math.max(1, data.length), cset: 1, strpad: 0 }, shape: [], data: data.length ? data : new Uint8Array(1) };
}

/** A fixed-length ASCII string attribute (PyTables unpickles pickles stored this way, as ctapipe's enum classes are; not UTF-8 ones). */
export function asciiAttr(name: string, value: string): AttrSpec {
  const a = stringAttr(name, value);
  return { ...a, type: { ...a.type, cset: 0 } };
}

/** A variable-length string attribute (as h5py writes str). */
export function vlenStringAttr(name: string, value: string): AttrSpec {
  return { name, type: { type: 3, size: 16, vlen: true, cset: 1 }, shape: [], strings: [value] };
}

export function int64Attr(name: string, value: number): AttrSpec {
  return { name, type: { type: 0, size: 8, signed: true }, shape: [], data: new Uint8Array(new BigInt64Array([BigInt(value)]).buffer) };
}

/** Replaces (or adds) the attribute `a.name` in `attrs`. */
export function setAttr(attrs: AttrSpec[], a: AttrSpec): AttrSpec[] {
  const i = attrs.findIndex((x) => x.name === a.name);
  if (i >= 0) attrs[i] = a;
  else attrs.push(a);
  return attrs;
}
