/**
 * Where a chunked dataset's chunks are in the file and how they were
 * filtered: the data layout message (versions 1 to 3, chunks indexed by a
 * version 1 B-tree, as PyTables and h5py write by default), the filter
 * pipeline message, and the B-tree's leaves (chunk offset → address, stored
 * size, filter mask). Layout version 4 indexes (fixed/extensible arrays,
 * version 2 B-trees) are a FormatMismatch: HDF5 reads those.
 */
import { Cursor, FileBytes, mismatch } from './file-bytes.js';
import type { HeaderMessage } from './object-headers.js';

const MSG_LAYOUT = 0x0008;
const MSG_FILTERS = 0x000b;
const MAX_NODES = 100_000;

export interface PipelineFilter {
  id: number;
  /** optional filters may have been skipped when writing (see the chunk's filter mask) */
  optional: boolean;
  clientData: number[];
}

export interface ChunkRecord {
  /** chunk offset in elements along each dataset dimension */
  offset: number[];
  addr: number;
  /** stored (filtered) size in bytes */
  size: number;
  /** bit i set: filter i of the pipeline was not applied to this chunk */
  filterMask: number;
}

export interface ChunkLayout {
  /** chunk shape in elements, one entry per dataset dimension */
  chunkDims: number[];
  elementSize: number;
  filters: PipelineFilter[];
  /** chunks by their offset along dimension 0 (datasets chunked only along dimension 0) */
  chunks: ChunkRecord[];
}

export function readFilterPipeline(fb: FileBytes, body: Uint8Array): PipelineFilter[] {
  const c = new Cursor(body, fb);
  const version = c.u8();
  const n = c.u8();
  if (version === 1) c.skip(6);
  else if (version !== 2) mismatch(`filter pipeline version ${version}`);
  const out: PipelineFilter[] = [];
  for (let i = 0; i < n; i++) {
    const id = c.u16();
    const nameLen = version === 1 || id >= 256 ? c.u16() : 0;
    const flags = c.u16();
    const nValues = c.u16();
    if (version === 1)
      c.skip(nameLen); // already padded to 8
    else c.skip(nameLen);
    const clientData: number[] = [];
    for (let k = 0; k < nValues; k++) clientData.push(c.u32());
    if (version === 1 && nValues % 2 === 1) c.skip(4);
    out.push({ id, optional: (flags & 1) !== 0, clientData });
  }
  return out;
}

/** The chunk layout of the dataset whose header holds `msgs`. */
export function readChunkLayout(fb: FileBytes, msgs: HeaderMessage[]): ChunkLayout {
  const layout = msgs.find((m) => m.type === MSG_LAYOUT);
  if (!layout) mismatch('no layout message');
  const c = new Cursor(layout.body, fb);
  const version = c.u8();
  let dims: number[] = [];
  let btree: number;
  if (version === 1 || version === 2) {
    const rank = c.u8();
    const cls = c.u8();
    c.skip(5);
    if (cls !== 2) mismatch('not chunked');
    btree = c.offset();
    for (let i = 0; i < rank; i++) dims.push(c.u32());
  } else if (version === 3) {
    const cls = c.u8();
    if (cls !== 2) mismatch('not chunked');
    const rank = c.u8();
    btree = c.offset();
    for (let i = 0; i < rank; i++) dims.push(c.u32());
  } else {
    return mismatch(`layout version ${version}`);
  }
  if (dims.length < 2) mismatch('chunk dimensionality');
  const elementSize = dims[dims.length - 1];
  dims = dims.slice(0, -1);
  const filterMsg = msgs.find((m) => m.type === MSG_FILTERS);
  const filters = filterMsg ? readFilterPipeline(fb, filterMsg.body) : [];
  const chunks = btree < 0 ? [] : readChunkBTree(fb, btree, dims.length + 1);
  return { chunkDims: dims, elementSize, filters, chunks };
}

function readChunkBTree(fb: FileBytes, root: number, ndims: number): ChunkRecord[] {
  const out: ChunkRecord[] = [];
  const keySize = 8 + 8 * ndims;
  let visited = 0;
  const walk = (node: number, depth: number): void => {
    if (++visited > MAX_NODES || depth > 64) mismatch('chunk B-tree too large');
    const h = fb.cursor(node, 8 + 2 * fb.sizeOfOffsets);
    h.signature('TREE');
    if (h.u8() !== 1) mismatch('chunk B-tree node type');
    const level = h.u8();
    const used = h.u16();
    const headerLen = 8 + 2 * fb.sizeOfOffsets;
    const c = fb.cursor(node + headerLen, (used + 1) * keySize + used * fb.sizeOfOffsets);
    for (let i = 0; i < used; i++) {
      const size = c.u32();
      const filterMask = c.u32();
      const offset: number[] = [];
      for (let d = 0; d < ndims; d++) offset.push(c.uint(8));
      const child = c.offset();
      if (child < 0) mismatch('undefined chunk address');
      if (level > 0) walk(child, depth + 1);
      else out.push({ offset: offset.slice(0, -1), addr: child, size, filterMask });
    }
  };
  walk(root, 0);
  return out;
}
