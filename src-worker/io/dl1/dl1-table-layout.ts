/**
 * Writing the compound tables of a recording (Lightpool's HDF5 writer): the
 * column layouts and PyTables/ctapipe attributes come from the process
 * writer's table-rows.ts; here the row filler and small helpers.
 */
import type { AttrSpec } from '../hdf5/writer/h5-writer.js';
import { compoundLayoutOf, pyTablesAttributes, type ColumnSpec, type CompoundLayout } from './table-rows.js';

/** a recording's table column (the process writer's column spec) */
export type Col = ColumnSpec;
export type Layout = CompoundLayout;
/** the layout and the PyTables attributes of a table are the process writer's */
export const layoutOf = compoundLayoutOf;
export const tableAttrs = pyTablesAttributes;

export function float64Attr(name: string, value: number): AttrSpec {
  return { name, type: { type: 1, size: 8 }, shape: [], data: new Uint8Array(new Float64Array([value]).buffer) };
}

/** Fills rows of a table column by column (little-endian). */
export class RowWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly enc = new TextEncoder();

  constructor(
    readonly layout: Layout,
    readonly nRows: number,
  ) {
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

  u64(row: number, col: string, v: number): void {
    this.view.setBigUint64(this.at(row, col), BigInt(v), true);
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
