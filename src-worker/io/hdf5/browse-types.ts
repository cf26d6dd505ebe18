/**
 * What browsing an HDF5 file gives (the tree, slices, table rows), as the API carries it:
 * types only, no reader code (browse.ts reads them).
 */

export type TypedArray =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export type ColumnData = TypedArray | string[];

export type AttrValue = string | number | boolean | null | AttrValue[];

export interface AttrInfo {
  name: string;
  dtype: string;
  shape: number[] | null;
  value: AttrValue;
}

export interface FilterInfo {
  id: number;
  name: string;
  cdValues: number[];
}

export interface TreeNode {
  path: string;
  name: string;
  kind: 'group' | 'dataset' | 'other';
  attrs: AttrInfo[];
  children?: TreeNode[];
  /** datasets */
  shape?: number[];
  maxshape?: (number | null)[] | null;
  dtype?: string;
  chunks?: number[] | null;
  filters?: FilterInfo[];
  /** bytes of the whole dataset in memory */
  nbytes?: number;
  /** compound columns (tables) */
  columns?: { name: string; dtype: string; shape: number[] }[];
  /** true when the listing stopped here (depth or node limit) */
  truncated?: boolean;
}

export interface SliceResult {
  path: string;
  dtype: string;
  /** shape of the dataset */
  datasetShape: number[];
  start: number[];
  /** shape of what was read */
  shape: number[];
  data: ColumnData;
}

export interface TableRowsResult {
  path: string;
  nRows: number;
  start: number;
  count: number;
  columns: Record<string, { dtype: string; shape: number[]; data: ColumnData }>;
}
