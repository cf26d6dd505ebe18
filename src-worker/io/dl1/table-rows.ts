/**
 * Rows of PyTables tables built from numbers: the column layout comes from a
 * table of the input file (so names, dtypes and order are exactly ctapipe's)
 * or, when the input has no such table, from a column list written as
 * PyTables writes it (little-endian numbers, bools as 8-bit bitfields, array
 * columns as HDF5 arrays, CLASS/VERSION/TITLE/FIELD_n_NAME/NROWS attributes).
 */
import type { Metadata } from 'h5wasm/node';
import { compoundFields, type FieldSpec } from '../hdf5/h5-dtype.js';
import type { TypeDesc } from '../hdf5/writer/datatype-encode.js';
import type { AttrSpec } from '../hdf5/writer/h5-writer.js';
import { int64Attr, stringAttr } from '../export/copy-attributes.js';

export type ColumnType = 'f8' | 'f4' | 'i8' | 'i4' | 'i2' | 'i1' | 'u8' | 'u4' | 'u2' | 'u1' | 'b1';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** per-row shape of an array column, e.g. [15] */
  shape?: number[];
  /** a fixed-length byte string of this many bytes (`type` is then ignored) */
  str?: number;
  /** ctapipe unit of the column (CTAFIELD_i_UNIT) */
  unit?: string;
  /**
   * ctapipe's container field of the column (CTAFIELD_i_NAME: the column
   * name without its prefix), written as ctapipe's HDF5TableWriter does:
   * its reader maps columns to fields by this name when no prefix is given
   */
  field?: string;
  /** the field's description (CTAFIELD_i_DESC) */
  desc?: string;
  /** a ctapipe column transform other than quantity/string (CTAFIELD_i_TRANSFORM), e.g. tel_list_to_mask */
  transform?: string;
}

function scalarType(t: ColumnType): TypeDesc {
  switch (t) {
    case 'f8':
      return { type: 1, size: 8 };
    case 'f4':
      return { type: 1, size: 4 };
    case 'i8':
      return { type: 0, size: 8, signed: true };
    case 'i4':
      return { type: 0, size: 4, signed: true };
    case 'i2':
      return { type: 0, size: 2, signed: true };
    case 'u8':
      return { type: 0, size: 8, signed: false };
    case 'u4':
      return { type: 0, size: 4, signed: false };
    case 'u2':
      return { type: 0, size: 2, signed: false };
    case 'i1':
      return { type: 0, size: 1, signed: true };
    case 'u1':
      return { type: 0, size: 1, signed: false };
    case 'b1':
      return { type: 4, size: 1 };
  }
}

export interface CompoundLayout {
  type: TypeDesc;
  /** byte offset of each column in a row */
  offsets: Map<string, number>;
  /** bytes per row */
  size: number;
}

/** The compound type of a table with `columns`, packed in order (as PyTables/numpy lay them out), with the columns' offsets. */
export function compoundLayoutOf(columns: ColumnSpec[]): CompoundLayout {
  let offset = 0;
  const members: (TypeDesc & { name: string; offset: number })[] = [];
  const offsets = new Map<string, number>();
  for (const c of columns) {
    let t: TypeDesc;
    if (c.str) t = { type: 3, size: c.str, cset: 0, strpad: 0 };
    else {
      const base = scalarType(c.type);
      const count = (c.shape ?? []).reduce((a, b) => a * b, 1);
      t = c.shape && c.shape.length ? { type: 10, size: base.size * count, array_type: { ...base, shape: c.shape } } : base;
    }
    members.push({ ...t, name: c.name, offset });
    offsets.set(c.name, offset);
    offset += t.size;
  }
  return { type: { type: 6, size: offset, compound_type: { members } }, offsets, size: offset };
}

/** The compound type of a table with `columns` (see compoundLayoutOf). */
export function compoundTypeOf(columns: ColumnSpec[]): TypeDesc {
  return compoundLayoutOf(columns).type;
}

/** PyTables' table attributes for a table written without a template, with ctapipe's units and string lengths. */
export function pyTablesAttributes(columns: ColumnSpec[], nRows: number, title = ''): AttrSpec[] {
  const attrs: AttrSpec[] = [stringAttr('CLASS', 'TABLE'), stringAttr('VERSION', '2.7'), stringAttr('TITLE', title)];
  columns.forEach((c, i) => attrs.push(stringAttr(`FIELD_${i}_NAME`, c.name)));
  attrs.push(int64Attr('NROWS', nRows));
  columns.forEach((c, i) => {
    if (c.field) attrs.push(stringAttr(`CTAFIELD_${i}_NAME`, c.field));
    if (c.desc) attrs.push(stringAttr(`CTAFIELD_${i}_DESC`, c.desc));
    if (c.unit) attrs.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'quantity'), stringAttr(`CTAFIELD_${i}_UNIT`, c.unit));
    if (c.str) attrs.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'string'), int64Attr(`CTAFIELD_${i}_MAXLEN`, c.str));
    if (c.transform) attrs.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, c.transform));
  });
  return attrs;
}

/** Encodes numbers into rows of a compound type. */
export class RowEncoder {
  readonly fields: FieldSpec[];
  readonly rowSize: number;
  private byName: Map<string, FieldSpec>;

  constructor(readonly type: TypeDesc) {
    this.fields = compoundFields(type as unknown as Metadata);
    this.rowSize = type.size;
    this.byName = new Map(this.fields.map((f) => [f.name, f]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  field(name: string): FieldSpec | undefined {
    return this.byName.get(name);
  }

  /** Writes number `v` (or element `k` of an array column) of field `f` into row `row` of `view`. */
  static set(view: DataView, rowOffset: number, f: FieldSpec, v: number, k = 0): void {
    const o = rowOffset + f.offset + k * f.elemSize;
    switch (f.kind) {
      case 'float':
        if (f.elemSize === 8) view.setFloat64(o, v, true);
        else view.setFloat32(o, v, true);
        return;
      case 'int':
      case 'enum':
      case 'uint': {
        const x = Number.isFinite(v) ? Math.trunc(v) : -1;
        if (f.elemSize === 8) {
          if (f.kind === 'uint') view.setBigUint64(o, BigInt(Math.max(0, x)), true);
          else view.setBigInt64(o, BigInt(x), true);
        } else if (f.elemSize === 4) {
          if (f.kind === 'uint') view.setUint32(o, x, true);
          else view.setInt32(o, x, true);
        } else if (f.elemSize === 2) {
          if (f.kind === 'uint') view.setUint16(o, x, true);
          else view.setInt16(o, x, true);
        } else {
          view.setUint8(o, x & 0xff);
        }
        return;
      }
      case 'bool':
        view.setUint8(o, v ? 1 : 0);
        return;
      default:
        throw new Error(`cannot write a number into column ${f.name} (${f.dtype})`);
    }
  }
}
