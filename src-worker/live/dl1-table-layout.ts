/**
 * Row layouts and PyTables attributes of the compound tables a recording
 * writes (Lightpool's HDF5 writer): columns by name and type, their byte
 * offsets in a row, and the attributes PyTables and ctapipe expect on a
 * table (CLASS, VERSION, TITLE, FIELD_i_NAME, NROWS, CTAFIELD_i_UNIT ...).
 */
import type { AttrSpec } from '../hdf5/writer/h5-writer.js';
import type { TypeDesc } from '../hdf5/writer/datatype-encode.js';
import { int64Attr, stringAttr } from '../hdf5/export/copy-attributes.js';

export type Scalar = 'i8' | 'i2' | 'u2' | 'u4' | 'f4' | 'f8' | 'b1';

export interface Col {
  name: string;
  t: Scalar;
  shape?: number[];
  /** fixed string length (type S); `t` is then ignored */
  str?: number;
  /** ctapipe unit (CTAFIELD_i_UNIT) */
  unit?: string;
}

function scalar(t: Scalar): TypeDesc {
  switch (t) {
    case 'i8': return { type: 0, size: 8, signed: true };
    case 'i2': return { type: 0, size: 2, signed: true };
    case 'u2': return { type: 0, size: 2, signed: false };
    case 'u4': return { type: 0, size: 4, signed: false };
    case 'f4': return { type: 1, size: 4 };
    case 'f8': return { type: 1, size: 8 };
    case 'b1': return { type: 4, size: 1 };
  }
}

export interface Layout {
  type: TypeDesc;
  offsets: Map<string, number>;
  size: number;
}

export function layoutOf(cols: Col[]): Layout {
  let offset = 0;
  const members: (TypeDesc & { name: string; offset: number })[] = [];
  const offsets = new Map<string, number>();
  for (const c of cols) {
    let t: TypeDesc;
    if (c.str) t = { type: 3, size: c.str, cset: 0, strpad: 0 };
    else {
      const base = scalar(c.t);
      const count = (c.shape ?? []).reduce((a, b) => a * b, 1);
      t = c.shape ? { type: 10, size: base.size * count, array_type: { ...base, shape: c.shape } } : base;
    }
    members.push({ ...t, name: c.name, offset });
    offsets.set(c.name, offset);
    offset += t.size;
  }
  return { type: { type: 6, size: offset, compound_type: { members } }, offsets, size: offset };
}

/** PyTables' table attributes, ctapipe's units and string lengths */
export function tableAttrs(cols: Col[], nRows: number, title: string): AttrSpec[] {
  const attrs: AttrSpec[] = [stringAttr('CLASS', 'TABLE'), stringAttr('VERSION', '2.7'), stringAttr('TITLE', title)];
  cols.forEach((c, i) => attrs.push(stringAttr(`FIELD_${i}_NAME`, c.name)));
  attrs.push(int64Attr('NROWS', nRows));
  cols.forEach((c, i) => {
    if (c.unit) attrs.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'quantity'), stringAttr(`CTAFIELD_${i}_UNIT`, c.unit));
    if (c.str) attrs.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'string'), int64Attr(`CTAFIELD_${i}_MAXLEN`, c.str));
  });
  return attrs;
}

export function float64Attr(name: string, value: number): AttrSpec {
  return { name, type: { type: 1, size: 8 }, shape: [], data: new Uint8Array(new Float64Array([value]).buffer) };
}

/** Fills rows of a table column by column (little-endian). */
export class RowWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly enc = new TextEncoder();

  constructor(readonly layout: Layout, readonly nRows: number) {
    this.bytes = new Uint8Array(layout.size * nRows);
    this.view = new DataView(this.bytes.buffer);
  }

  private at(row: number, col: string): number {
    const o = this.layout.offsets.get(col);
    if (o === undefined) throw new Error(`no column ${col}`);
    return row * this.layout.size + o;
  }

  i64(row: number, col: string, v: number): void {
    this.view.setBigInt64(this.at(row, col), BigInt(v), true);
  }

  u16(row: number, col: string, v: number): void {
    this.view.setUint16(this.at(row, col), v, true);
  }

  f64(row: number, col: string, v: number): void {
    this.view.setFloat64(this.at(row, col), v, true);
  }

  str(row: number, col: string, v: string, maxBytes: number): void {
    this.bytes.set(this.enc.encode(v).subarray(0, maxBytes), this.at(row, col));
  }
}

/** bytes of the longest UTF-8 string, at least 1 (ctapipe's column widths fit the values) */
export function maxLen(values: string[]): number {
  const enc = new TextEncoder();
  return Math.max(1, ...values.map((v) => enc.encode(v).length));
}
