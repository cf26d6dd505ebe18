/**
 * Pieces shared by the DL1 and WatChMaL subset exports: walking the source
 * tree, copying a dataset whole (in blocks), choosing output chunk sizes, and
 * the provenance attributes written on the root group.
 */
import type { Metadata } from 'h5wasm/node';
import { Hdf5Error } from '../hdf5/h5-errors.js';
import type { H5File } from '../hdf5/h5-file.js';
import { hasPointers } from '../hdf5/h5-dtype.js';
import { readRawHyperslab } from '../hdf5/raw-read.js';
import { isVlenString, type TypeDesc } from '../hdf5/writer/datatype-encode.js';
import type { AttrSpec, ChunkOptions, H5Writer } from '../hdf5/writer/h5-writer.js';
import type { FilterChoice } from '../hdf5/writer/output-filters.js';
import type { ExportProgress } from './export-types.js';
import { int64Attr, stringAttr, vlenStringAttr } from './copy-attributes.js';

export interface ExportEnv {
  progress: (p: ExportProgress) => void;
  checkCancel: () => void;
  /** deflate level of the output (default 4) */
  level: number;
  command: string;
  software: { name: string; version: string };
  /** notes on what could not be copied */
  skipped: string[];
}

export interface TreeListing {
  groups: string[];
  datasets: string[];
}

/** Groups and datasets below the root, depth first in the file's link order. */
export function listTree(file: H5File): TreeListing {
  const out: TreeListing = { groups: [], datasets: [] };
  const walk = (p: string) => {
    for (const k of file.keys(p)) {
      const child = p === '/' ? `/${k}` : `${p}/${k}`;
      const kind = file.kindOf(child);
      if (kind === 'group') {
        out.groups.push(child);
        walk(child);
      } else if (kind === 'dataset') {
        out.datasets.push(child);
      }
    }
  };
  walk('/');
  return out;
}

/** Output chunking: the source's rows per chunk when chunked, else about 256 KiB of rows. */
export function chunkOptions(meta: Metadata, rowBytes: number, level: number): ChunkOptions {
  const src = meta.chunks?.[0];
  const chunkRows = Math.max(1, src ?? Math.floor((256 * 1024) / Math.max(1, rowBytes)));
  return { chunkRows: Math.min(chunkRows, Math.max(1, Math.floor(0xffffffff / Math.max(1, rowBytes)))), deflateLevel: level, shuffle: true };
}

export function rowShapeOf(meta: Metadata): number[] {
  return (meta.shape ?? []).slice(1);
}

/** Copies dataset `path` whole, block by block, with its attributes. Returns the rows written. */
/** `filters`: the output filters instead of shuffle + deflate at env.level (e.g. the source's own: writer/output-filters.ts). */
export function copyDataset(file: H5File, w: H5Writer, path: string, attrs: AttrSpec[], env: ExportEnv, filters?: FilterChoice): number {
  const meta = file.metadata(path);
  const shape = meta.shape ?? [];
  const type = meta as unknown as TypeDesc;
  if (shape.length === 0) {
    env.skipped.push(`${path} (scalar dataset)`);
    return 0;
  }
  const n = shape[0];
  const rest = shape.slice(1);
  const perRow = rest.reduce((a, b) => a * b, 1);
  if (isVlenString(type)) {
    if (rest.length) {
      env.skipped.push(`${path} (multi-dimensional variable-length strings)`);
      return 0;
    }
    const strings = readStrings(file, path, 0, n);
    const dw = w.stringDataset(path, strings, { ...chunkOptions(meta, 16, env.level), ...filters }, meta.cset ?? 1);
    dw.finish(attrs);
    return n;
  }
  if (hasPointers(meta)) {
    env.skipped.push(`${path} (variable-length or reference data)`);
    return 0;
  }
  const rowBytes = perRow * meta.size;
  const dw = w.dataset(path, type, rest, { ...chunkOptions(meta, rowBytes, env.level), ...filters });
  const block = Math.max(1, Math.floor((16 << 20) / Math.max(1, rowBytes)));
  for (let s = 0; s < n; s += block) {
    env.checkCancel();
    const c = Math.min(block, n - s);
    dw.appendRows(readRawHyperslab(file, path, [s, ...rest.map(() => 0)], [c, ...rest], meta.size), c);
  }
  dw.finish(attrs);
  return n;
}

/** Variable-length strings [start, start+count) of a 1-D dataset. */
export function readStrings(file: H5File, path: string, start: number, count: number): string[] {
  if (count === 0) return [];
  return file.guard(`dataset ${path}`, () => {
    const v = file.dataset(path).slice([[start, start + count]]);
    const arr = Array.isArray(v) ? v : [v];
    return arr.map((x) => (x === null || x === undefined ? '' : String(x)));
  });
}

/** The input must exist and differ from the output. */
export function checkPaths(input: string, output: string): void {
  if (input === output) throw new Hdf5Error('bad-request', `${input}: the output must be a different file than the input`, input);
}

/**
 * The provenance attributes of a written file: software and version, command
 * or UI action, timestamp, source file, then `extra` (e.g. the selection).
 * PyTables files (DL1) get upper-case LIGHTPOOL_* fixed-length strings like
 * their other attributes; h5py files (WatChMaL) lower-case lightpool_*
 * variable-length strings. Numbers are written as int64.
 */
export function provenanceAttributes(
  env: ExportEnv,
  sourceFile: string,
  extra: [key: string, value: string | number][],
  style: 'pytables' | 'h5py',
): AttrSpec[] {
  const entries: [string, string | number][] = [
    ['software', env.software.name],
    ['software_version', env.software.version],
    ['command', env.command],
    ['timestamp', new Date().toISOString()],
    ['source_file', sourceFile],
    ...extra,
  ];
  return entries.map(([key, value]) => {
    const name = style === 'pytables' ? `LIGHTPOOL_${key.toUpperCase()}` : `lightpool_${key}`;
    if (typeof value === 'number') return int64Attr(name, value);
    return style === 'pytables' ? stringAttr(name, value) : vlenStringAttr(name, value);
  });
}
