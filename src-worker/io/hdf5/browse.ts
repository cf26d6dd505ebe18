/**
 * Generic browsing of any HDF5 file: the tree of groups and datasets with
 * attributes, shapes, dtypes, chunking and filters; hyperslabs of datasets
 * (bounded in size, never a large dataset whole); row ranges of compound
 * tables decoded into one typed array per column.
 */
import { Hdf5Error } from './h5-errors.js';
import type { H5File } from './h5-file.js';
import { readAttrInfos } from './h5-attrs.js';
import { compoundFields, dtypeText, elementSpec, hasPointers, isCompound } from './h5-dtype.js';
import { maxReadBytes, readRawHyperslab } from './raw-read.js';
import { decodeFixedStrings, typedView } from './column-decode.js';
import { ChunkCache, TableReader } from './table-reader.js';
import type { TreeNode } from './browse-types.js';
import type { SliceResult } from './browse-types.js';
import type { TableRowsResult } from './browse-types.js';
import type { ColumnData } from './browse-types.js';
import type { AttrValue } from './browse-types.js';
import type { AttrInfo } from './browse-types.js';

const MAX_ATTR_ITEMS = 64;
const MAX_ATTR_CHARS = 4000;

function clipAttr(v: AttrValue): AttrValue {
  if (typeof v === 'string' && v.length > MAX_ATTR_CHARS) return v.slice(0, MAX_ATTR_CHARS) + '…';
  if (Array.isArray(v) && v.length > MAX_ATTR_ITEMS) return [...v.slice(0, MAX_ATTR_ITEMS).map(clipAttr), '…'];
  return v;
}

function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export function describeNode(file: H5File, path: string): TreeNode {
  const name = path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
  const kind = file.kindOf(path);
  if (kind === null) throw new Hdf5Error('node-not-found', `${file.path}: ${path} does not exist`, file.path);
  let attrs: AttrInfo[] = [];
  try {
    attrs = readAttrInfos(file, path).map((a) => ({ ...a, value: clipAttr(a.value) }));
  } catch {
    attrs = [];
  }
  const node: TreeNode = { path, name, kind, attrs };
  if (kind === 'dataset') {
    const meta = file.metadata(path);
    const ds = file.dataset(path);
    node.shape = meta.shape ?? [];
    node.maxshape = meta.maxshape ? meta.maxshape.map((m) => (m > 2 ** 53 ? null : m)) : null;
    node.dtype = dtypeText(meta);
    node.chunks = meta.chunks;
    node.filters = file.guard(`filters of ${path}`, () => ds.filters.map((f) => ({ id: f.id, name: f.name, cdValues: f.cd_values })));
    node.nbytes = (meta.shape ?? []).reduce((a, b) => a * b, 1) * meta.size;
    if (isCompound(meta)) node.columns = compoundFields(meta).map((f) => ({ name: f.name, dtype: f.dtype, shape: f.shape }));
  }
  return node;
}

/** The tree below `path` (depth-limited, at most `maxNodes` nodes). */
export function tree(file: H5File, path = '/', maxDepth = 64, maxNodes = 20_000): TreeNode {
  let budget = maxNodes;
  const walk = (p: string, depth: number): TreeNode => {
    budget--;
    const node = describeNode(file, p);
    if (node.kind === 'group') {
      if (depth >= maxDepth || budget <= 0) {
        node.truncated = true;
        return node;
      }
      node.children = [];
      for (const k of file.keys(p)) {
        if (budget <= 0) {
          node.truncated = true;
          break;
        }
        node.children.push(walk(joinPath(p, k), depth + 1));
      }
    }
    return node;
  };
  return walk(path === '' ? '/' : path, 0);
}

/**
 * Reads the hyperslab start/count of a non-compound dataset (defaults: the
 * whole dataset, refused with 'too-large' beyond the read limit).
 */
export function readSlice(file: H5File, path: string, start?: number[], count?: number[]): SliceResult {
  const meta = file.metadata(path);
  const shape = meta.shape ?? [];
  if (isCompound(meta)) {
    throw new Hdf5Error('bad-request', `${file.path}: ${path} is a compound table; read it as table rows`, file.path);
  }
  const s = start ?? shape.map(() => 0);
  const c = count ?? shape.map((d, i) => d - s[i]);
  if (s.length !== shape.length || c.length !== shape.length) {
    throw new Hdf5Error('bad-request', `${file.path}: ${path} has ${shape.length} dimensions, got start/count of ${s.length}/${c.length}`, file.path);
  }
  for (let i = 0; i < shape.length; i++) {
    if (!(Number.isInteger(s[i]) && Number.isInteger(c[i]) && s[i] >= 0 && c[i] >= 0 && s[i] + c[i] <= shape[i])) {
      throw new Hdf5Error('bad-request', `${file.path}: slice start ${s[i]} count ${c[i]} is outside dimension ${i} (size ${shape[i]}) of ${path}`, file.path);
    }
  }
  const spec = elementSpec(meta);
  let data: ColumnData;
  if (hasPointers(meta)) {
    const n = c.reduce((a, b) => a * b, 1);
    if (n > 1_000_000)
      throw new Hdf5Error('too-large', `${file.path}: ${n} variable-length values of ${path} requested; read at most 1,000,000 at a time`, file.path);
    const v = file.guard(`dataset ${path}`, () => file.dataset(path).slice(s.map((x, i) => [x, x + c[i]]) as [number, number][]));
    data = flattenToStrings(v);
  } else {
    const raw = readRawHyperslab(file, path, s, c, meta.size);
    data = spec.kind === 'string' ? decodeFixedStrings(raw, spec.elemSize, raw.byteLength / spec.elemSize) : typedView(spec, raw);
  }
  return { path, dtype: spec.dtype, datasetShape: shape, start: s, shape: c, data };
}

/** Rows [start, start+count) of a 1-D (compound) table, one typed array per column. */
export function readTableRows(file: H5File, cache: ChunkCache, path: string, start: number, count: number, columns?: string[]): TableRowsResult {
  const t = new TableReader(file, path, cache);
  const n = Math.max(0, Math.min(count, t.nRows - start));
  if (n * t.rowSize > maxReadBytes()) {
    throw new Hdf5Error(
      'too-large',
      `${file.path}: ${n} rows of ${path} are ${((n * t.rowSize) / 2 ** 20).toFixed(0)} MiB; read fewer rows at a time`,
      file.path,
    );
  }
  const names = columns ?? t.fields.map((f) => f.name);
  const cols = t.columns(start, n, names);
  const out: TableRowsResult['columns'] = {};
  for (const name of names) {
    const f = t.field(name);
    let data = cols[name];
    // a single-block read returns views into the cache: copy so results can be transferred
    if (!Array.isArray(data) && data.byteLength !== data.buffer.byteLength) data = data.slice();
    out[name] = { dtype: f.dtype, shape: f.shape, data };
  }
  return { path, nRows: t.nRows, start, count: n, columns: out };
}

function flattenToStrings(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) flattenToStrings(x, out);
  else out.push(String(v));
  return out;
}
