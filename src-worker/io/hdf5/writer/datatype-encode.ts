/**
 * Encodes HDF5 datatype messages (format spec IV.A.2.d) from the type
 * description h5wasm gives for what it reads (its Metadata), so a dataset or
 * attribute can be written back with exactly its source type: integers,
 * IEEE floats, fixed strings, bitfields (PyTables bools), enums (h5py bools),
 * arrays (PyTables array columns), compounds (tables) and variable-length
 * strings. Little-endian throughout (h5wasm reads into little-endian memory).
 */
import { ByteWriter } from './byte-writer.js';

export interface TypeDesc {
  type: number;
  size: number;
  signed?: boolean;
  vlen?: boolean;
  cset?: number;
  strpad?: number;
  compound_type?: { members: (TypeDesc & { name: string; offset: number })[] };
  array_type?: TypeDesc & { shape?: number[] };
  enum_type?: { members: Record<string, number>; type?: number };
  vlen_type?: TypeDesc;
}

export const T = { INTEGER: 0, FLOAT: 1, STRING: 3, BITFIELD: 4, OPAQUE: 5, COMPOUND: 6, REFERENCE: 7, ENUM: 8, VLEN: 9, ARRAY: 10 } as const;

/** Bytes one element of `t` takes in the file (vlen: length + global heap id). */
export function fileSize(t: TypeDesc): number {
  if (isVlenString(t)) return 16;
  return t.size;
}

export function isVlenString(t: TypeDesc): boolean {
  return (t.type === T.STRING && !!t.vlen) || (t.type === T.VLEN && t.vlen_type?.type === T.STRING);
}

export function hasVlen(t: TypeDesc): boolean {
  if (t.vlen || t.type === T.VLEN) return true;
  if (t.type === T.ARRAY && t.array_type) return hasVlen(t.array_type);
  if (t.type === T.COMPOUND && t.compound_type) return t.compound_type.members.some(hasVlen);
  return false;
}

function header(w: ByteWriter, version: number, cls: number, bits: number, size: number): void {
  w.u8((version << 4) | cls);
  w.u8(bits & 0xff);
  w.u8((bits >> 8) & 0xff);
  w.u8((bits >> 16) & 0xff);
  w.u32(size);
}

export function encodeDatatype(t: TypeDesc, w: ByteWriter = new ByteWriter()): ByteWriter {
  if (isVlenString(t)) {
    // variable-length string of UTF-8 (or ASCII) bytes: type 1 = string, padding 0 = null-terminated
    const cset = t.cset ?? t.vlen_type?.cset ?? 1;
    header(w, 1, T.VLEN, 1 | (0 << 4) | (cset << 8), 16);
    encodeDatatype({ type: T.INTEGER, size: 1, signed: false }, w);
    return w;
  }
  switch (t.type) {
    case T.INTEGER:
      header(w, 1, T.INTEGER, t.signed ? 0x08 : 0, t.size);
      w.u16(0).u16(t.size * 8);
      return w;
    case T.FLOAT: {
      if (t.size !== 4 && t.size !== 8) throw new Error(`cannot write a ${t.size}-byte float type`);
      const d = t.size === 8;
      // byte order LE, mantissa normalisation "implied 1" (2 << 4), sign bit location
      header(w, 1, T.FLOAT, 0x20 | ((d ? 63 : 31) << 8), t.size);
      w.u16(0)
        .u16(t.size * 8)
        .u8(d ? 52 : 23)
        .u8(d ? 11 : 8)
        .u8(0)
        .u8(d ? 52 : 23)
        .u32(d ? 1023 : 127);
      return w;
    }
    case T.STRING:
      header(w, 1, T.STRING, (t.strpad ?? 0) | ((t.cset ?? 0) << 4), t.size);
      return w;
    case T.BITFIELD:
      header(w, 1, T.BITFIELD, 0, t.size);
      w.u16(0).u16(t.size * 8);
      return w;
    case T.OPAQUE:
      header(w, 1, T.OPAQUE, 0, t.size);
      return w;
    case T.COMPOUND: {
      const members = t.compound_type?.members ?? [];
      header(w, 3, T.COMPOUND, members.length, t.size);
      const offBytes = t.size < 256 ? 1 : t.size < 65536 ? 2 : t.size < 2 ** 24 ? 3 : 4;
      for (const m of members) {
        w.cstring(m.name);
        w.uint(m.offset, offBytes);
        encodeDatatype(m, w);
      }
      return w;
    }
    case T.ENUM: {
      const entries = Object.entries(t.enum_type?.members ?? {});
      header(w, 3, T.ENUM, entries.length, t.size);
      const base: TypeDesc = { type: T.INTEGER, size: t.size, signed: true };
      encodeDatatype(base, w);
      for (const [name] of entries) w.cstring(name);
      for (const [, value] of entries) {
        let v = BigInt(value);
        if (v < 0n) v += 1n << BigInt(8 * t.size);
        for (let i = 0; i < t.size; i++) w.u8(Number((v >> BigInt(8 * i)) & 0xffn));
      }
      return w;
    }
    case T.ARRAY: {
      const base = t.array_type;
      if (!base) throw new Error('array type without a base type');
      const dims = base.shape ?? [];
      header(w, 3, T.ARRAY, 0, t.size);
      w.u8(dims.length);
      for (const d of dims) w.u32(d);
      encodeDatatype({ ...base, shape: undefined } as TypeDesc, w);
      return w;
    }
    default:
      throw new Error(`cannot write HDF5 type class ${t.type}`);
  }
}
