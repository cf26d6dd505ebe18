/**
 * Reads one column of every DL1 parameter table (/dl1/event/telescope/parameters/tel_NNN)
 * of an open file in row chunks through the HDF5 worker (or of parameter
 * tables already in memory: a sim_telarray file's), applies a cut
 * expression over the same table's columns, and hands the selected rows to a
 * callback. The main thread only evaluates the cut and bins: the reading and
 * decompression happen in the HDF5 worker, and every chunk is an `await`, so
 * other requests are served between chunks.
 */
import type { Hdf5Client } from './hdf5-client.js';
import { toFloat64 } from '../../src-worker/io/hdf5/column-decode.js';
import { CutSyntaxError, cutColumns, parseCut, passes, type CutNode } from '../../src-worker/selection/cut-expression.js';
import { ApiError } from '../util/errors.js';
import { DL1_PATHS } from '../../src-worker/io/dl1/dl1-layout.js';
import type { TreeNode } from '../../src-worker/io/hdf5/browse-types.js';

/** rows per read (≈ 18 MB for a 45-column float64 parameter table) */
const CHUNK_ROWS = 50_000;

export interface ParameterTable {
  telId: number;
  path: string;
  nRows: number;
  columns: { name: string; dtype: string; shape: number[] }[];
  /** ctapipe's units of the columns (CTAFIELD_<i>_UNIT attributes), by column name */
  units: Record<string, string>;
}

/** The parameter tables of an open file, by file id and path (files do not change while open). */
const tableCache = new Map<string, Promise<ParameterTable[]>>();

/** The parameter tables of a DL1 file, ordered by telescope id (cached per open file). */
export function parameterTables(hdf5: Hdf5Client, fileId: string, filePath: string): Promise<ParameterTable[]> {
  const key = `${fileId}\u0000${filePath}`;
  let tables = tableCache.get(key);
  if (!tables) {
    tables = readParameterTables(hdf5, fileId, filePath);
    tables.catch(() => tableCache.delete(key));
    if (tableCache.size > 32) tableCache.delete(tableCache.keys().next().value!);
    tableCache.set(key, tables);
  }
  return tables;
}

async function readParameterTables(hdf5: Hdf5Client, fileId: string, filePath: string): Promise<ParameterTable[]> {
  let node: TreeNode;
  try {
    node = await hdf5.request({ type: 'tree', fileId, path: DL1_PATHS.parameters, maxDepth: 1 });
  } catch (err) {
    throw new ApiError('not-found', `${filePath} has no ${DL1_PATHS.parameters} group (is it a ctapipe DL1 file with parameters?): ${(err as Error).message}`);
  }
  const tables: ParameterTable[] = [];
  for (const child of node.children ?? []) {
    const m = /^tel_(\d+)$/.exec(child.name);
    if (!m || child.kind !== 'dataset' || !child.columns) continue;
    const units: Record<string, string> = {};
    for (const a of child.attrs) {
      const u = /^CTAFIELD_(\d+)_UNIT$/.exec(a.name);
      const col = u ? child.columns[Number(u[1])] : undefined;
      if (col && typeof a.value === 'string') units[col.name] = a.value;
    }
    tables.push({ telId: Number(m[1]), path: child.path, nRows: child.shape?.[0] ?? 0, columns: child.columns, units });
  }
  if (tables.length === 0) throw new ApiError('not-found', `${filePath}: ${DL1_PATHS.parameters} holds no tel_NNN parameter tables`);
  return tables.sort((a, b) => a.telId - b.telId);
}

export function isNumericScalar(c: { dtype: string; shape: number[] }): boolean {
  return c.shape.length === 0 && !/^[|<>=]?[SUO]|str|string|bytes|enum|compound/i.test(c.dtype);
}

export interface ScanOptions {
  column: string;
  where?: string;
  telIds?: number[];
  /** extra columns to hand to the callback (e.g. obs_id, event_id) */
  extra?: string[];
}

export interface ScanChunk {
  telId: number;
  /** number of rows in this chunk (before the cut) */
  n: number;
  /** the columns, as Float64Array of length n */
  columns: Record<string, Float64Array>;
  /** 1 where the row passes the cut */
  selected: Uint8Array;
}

export interface ScanSummary {
  rowsRead: number;
  rowsSelected: number;
  telIds: number[];
}

function parseWhere(where: string | undefined): CutNode | undefined {
  if (!where || !where.trim()) return undefined;
  try {
    return parseCut(where);
  } catch (err) {
    if (err instanceof CutSyntaxError) throw new ApiError('bad-request', `the cut "${where}" is not valid: ${err.message}`);
    throw err;
  }
}

/**
 * Where the rows of parameter tables come from: a DL1 file's HDF5 tables (read in chunks by the HDF5
 * worker), or tables already in memory (a sim_telarray file's parameter pass).
 */
export interface ParameterTableSource {
  tables: ParameterTable[];
  /** rows [start, start + count) of `columns` of `table`, as Float64Arrays */
  read(table: ParameterTable, start: number, count: number, columns: string[]): Promise<Record<string, Float64Array>>;
}

/** The parameter tables of an open DL1 file, read through the HDF5 worker. */
export async function hdf5ParameterSource(hdf5: Hdf5Client, fileId: string, filePath: string): Promise<ParameterTableSource> {
  return {
    tables: await parameterTables(hdf5, fileId, filePath),
    read: async (table, start, count, wanted) => {
      const rows = await hdf5.request({ type: 'readTableRows', fileId, path: table.path, start, count, columns: wanted });
      const columns: Record<string, Float64Array> = {};
      for (const name of wanted) columns[name] = toFloat64(rows.columns[name].data);
      return columns;
    },
  };
}

/** Scans `column` (plus the cut's and `extra` columns) of the selected telescopes' tables of an open DL1 file. */
export async function scanParameterColumn(
  hdf5: Hdf5Client,
  fileId: string,
  filePath: string,
  options: ScanOptions,
  onChunk: (chunk: ScanChunk) => void,
  signal?: AbortSignal,
  onProgress?: (rowsRead: number, rowsTotal: number) => void,
): Promise<ScanSummary> {
  return scanParameterTables(await hdf5ParameterSource(hdf5, fileId, filePath), filePath, options, onChunk, signal, onProgress);
}

/** Scans `column` (plus the cut's and `extra` columns) of the selected telescopes' tables of `source`. */
export async function scanParameterTables(
  source: ParameterTableSource,
  filePath: string,
  options: ScanOptions,
  onChunk: (chunk: ScanChunk) => void,
  signal?: AbortSignal,
  onProgress?: (rowsRead: number, rowsTotal: number) => void,
): Promise<ScanSummary> {
  const all = source.tables;
  if (all.length === 0) throw new ApiError('not-found', `${filePath} has no telescope images to histogram`);
  const tables = options.telIds?.length ? all.filter((t) => options.telIds!.includes(t.telId)) : all;
  if (tables.length === 0) {
    throw new ApiError(
      'not-found',
      `${filePath} has no parameter table for telescope(s) ${options.telIds!.join(', ')}; it has ${all.map((t) => t.telId).join(', ')}`,
    );
  }
  const cut = parseWhere(options.where);
  const needed = new Set([options.column, ...(options.extra ?? []), ...(cut ? cutColumns(cut) : [])]);
  const names = tables[0].columns.map((c) => c.name);
  for (const name of needed) {
    const col = tables[0].columns.find((c) => c.name === name);
    if (!col) {
      throw new ApiError(
        'bad-request',
        `${filePath}: the parameter tables have no column "${name}"; numeric columns are ${names.filter((n) => isNumericScalar(tables[0].columns.find((c) => c.name === n)!)).join(', ')}`,
      );
    }
    if (!isNumericScalar(col)) throw new ApiError('bad-request', `${filePath}: column "${name}" (${col.dtype}) is not a numeric scalar column`);
  }
  const summary: ScanSummary = { rowsRead: 0, rowsSelected: 0, telIds: tables.map((t) => t.telId) };
  const wanted = [...needed];
  const rowsTotal = tables.reduce((a, t) => a + t.nRows, 0);
  for (const table of tables) {
    for (let start = 0; start < table.nRows; start += CHUNK_ROWS) {
      if (signal?.aborted) throw new ApiError('failed', `the histogram of ${options.column} over ${filePath} was cancelled`);
      const count = Math.min(CHUNK_ROWS, table.nRows - start);
      const columns = await source.read(table, start, count, wanted);
      const n = columns[wanted[0]].length;
      const selected = new Uint8Array(n);
      if (cut) {
        let row = 0;
        const get = (name: string) => columns[name][row];
        for (row = 0; row < n; row++) if (passes(cut, get)) selected[row] = 1;
      } else selected.fill(1);
      let k = 0;
      for (let i = 0; i < n; i++) k += selected[i];
      summary.rowsRead += n;
      summary.rowsSelected += k;
      onChunk({ telId: table.telId, n, columns, selected });
      onProgress?.(summary.rowsRead, rowsTotal);
    }
  }
  return summary;
}
