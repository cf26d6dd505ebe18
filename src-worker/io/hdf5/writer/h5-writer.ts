/**
 * A small HDF5 writer in TypeScript, for subset exports. h5wasm cannot write
 * array members in compound types (every PyTables image table has them), nor
 * enums or bitfields, nor a shuffle+deflate pipeline, so Lightpool writes the
 * file format itself (HDF5 File Format Specification, version 2 structures,
 * readable by HDF5 >= 1.8: h5py, PyTables, ctapipe):
 *
 *   superblock v2 | raw data chunks (shuffle + deflate) ... | global heaps |
 *   v1 B-trees of chunks | object headers v2 (datasets, then groups bottom-up)
 *
 * Groups use compact link storage; datasets are chunked along their first
 * dimension (unlimited maximum size, as PyTables makes its tables), with the
 * datatype given as the h5wasm-style description of the source type and the
 * rows as raw bytes in that layout. The superblock is written last, so a file
 * is only valid once close() returned.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { ByteWriter, UNDEF_ADDR } from './byte-writer.js';
import { encodeDatatype, fileSize, isVlenString, type TypeDesc } from './datatype-encode.js';
import { lookup3 } from './lookup3.js';
import { BLOSC_COMPCODE_ZSTD, FILTER_BLOSC_VERSION, bloscCompress, bloscTypesize } from './blosc-encode.js';
import { fletcher32 } from '../read/filters.js';

const FILTER_FLETCHER32 = 3;
const FILTER_BLOSC = 32001;

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const SUPERBLOCK_SIZE = 48;
/** v1 B-tree 'K' for chunk indexes (HDF5's default): nodes hold up to 2K = 64 entries */
const BTREE_K = 32;
const UNLIMITED = 0xffffffffffffffffn;

const MSG = {
  DATASPACE: 0x0001,
  LINK_INFO: 0x0002,
  DATATYPE: 0x0003,
  FILL_VALUE: 0x0005,
  LINK: 0x0006,
  LAYOUT: 0x0008,
  GROUP_INFO: 0x000a,
  FILTERS: 0x000b,
  ATTRIBUTE: 0x000c,
} as const;

export interface AttrSpec {
  name: string;
  type: TypeDesc;
  /** [] for a scalar, null for an empty attribute (NULL dataspace, as PyTables writes '') */
  shape: number[] | null;
  /** raw element bytes in the type's layout (non-vlen types) */
  data?: Uint8Array;
  /** the values of a variable-length string attribute */
  strings?: string[];
}

export interface ChunkOptions {
  /** rows (first-dimension entries) per chunk */
  chunkRows: number;
  /** deflate (gzip) level 0-9, null for none (ignored with blosc) */
  deflateLevel: number | null;
  /** byte shuffle: HDF5's shuffle filter before deflate, or Blosc's own shuffle */
  shuffle: boolean;
  /** Blosc/zstd at this level (1-9) instead of deflate, as PyTables writes ctapipe's files */
  blosc?: { level: number } | null;
  /** HDF5's fletcher32 checksum, applied first (before the compression) */
  fletcher32?: boolean;
}

interface Node {
  name: string;
  kind: 'group' | 'dataset';
  attrs: AttrSpec[];
  children: Map<string, Node>;
  address?: number;
}

interface ChunkRecord {
  index: number;
  address: number;
  size: number;
}

function shuffleBytes(src: Uint8Array, elemSize: number): Uint8Array {
  const n = Math.floor(src.length / elemSize);
  if (elemSize <= 1 || n <= 1) return src;
  const out = new Uint8Array(src.length);
  for (let j = 0; j < elemSize; j++) {
    const base = j * n;
    for (let i = 0, s = j; i < n; i++, s += elemSize) out[base + i] = src[s];
  }
  out.set(src.subarray(n * elemSize), n * elemSize);
  return out;
}

/** `data` with HDF5's fletcher32 checksum appended (4 bytes, little-endian). */
function withFletcher32(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.byteLength + 4);
  out.set(data);
  new DataView(out.buffer).setUint32(data.byteLength, fletcher32(data), true);
  return out;
}

/**
 * A whole chunk (chunkRows × row bytes, rows past the end zero) through the
 * filters of `opts`, as stored in the file: fletcher32, then Blosc or
 * shuffle + deflate. Pure: a worker may encode chunks that the writer then
 * stores with DatasetWriter.appendEncodedChunk.
 */
export function encodeChunk(chunk: Uint8Array, elemSize: number, opts: Pick<ChunkOptions, 'deflateLevel' | 'shuffle' | 'blosc' | 'fletcher32'>): Uint8Array {
  let data = chunk;
  if (opts.fletcher32) data = withFletcher32(data);
  if (opts.blosc) return bloscCompress(data, { typesize: elemSize, level: opts.blosc.level, shuffle: opts.shuffle });
  if (opts.shuffle) data = shuffleBytes(data, elemSize);
  if (opts.deflateLevel !== null) data = deflateSync(data, { level: opts.deflateLevel });
  return data;
}

export class H5Writer {
  private fd: number;
  private eof = SUPERBLOCK_SIZE;
  private root: Node = { name: '', kind: 'group', attrs: [], children: new Map() };
  private open = new Set<string>();
  private closed = false;

  private constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    // room for the superblock, written at close()
    writeSync(this.fd, new Uint8Array(SUPERBLOCK_SIZE), 0, SUPERBLOCK_SIZE, 0);
  }

  static create(path: string): H5Writer {
    return new H5Writer(path);
  }

  /** Appends bytes at the end of the file (8-byte aligned) and returns their address. */
  private append(bytes: Uint8Array): number {
    const pad = (8 - (this.eof % 8)) % 8;
    if (pad) {
      writeSync(this.fd, new Uint8Array(pad), 0, pad, this.eof);
      this.eof += pad;
    }
    const addr = this.eof;
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, addr + off);
    this.eof += bytes.length;
    return addr;
  }

  private node(path: string, create: 'group' | 'dataset' | null): Node {
    const parts = path.split('/').filter(Boolean);
    let cur = this.root;
    for (let i = 0; i < parts.length; i++) {
      let next = cur.children.get(parts[i]);
      if (!next) {
        if (!create) throw new Error(`HDF5 writer: ${path} was not created`);
        next = { name: parts[i], kind: i === parts.length - 1 ? create : 'group', attrs: [], children: new Map() };
        cur.children.set(parts[i], next);
      } else if (i === parts.length - 1 && create === 'dataset') {
        throw new Error(`HDF5 writer: ${path} exists already`);
      }
      if (next.kind !== 'group' && i < parts.length - 1) throw new Error(`HDF5 writer: ${parts.slice(0, i + 1).join('/')} is not a group`);
      cur = next;
    }
    return cur;
  }

  /** Creates a group (and its parents) and sets its attributes. */
  group(path: string, attrs: AttrSpec[] = []): void {
    const n = this.node(path, 'group');
    if (n.kind !== 'group') throw new Error(`HDF5 writer: ${path} is a dataset`);
    n.attrs = attrs;
  }

  /** Sets the root group's attributes. */
  rootAttributes(attrs: AttrSpec[]): void {
    this.root.attrs = attrs;
  }

  /**
   * Starts a chunked dataset of rows of `type` with per-row shape `rowShape`
   * ([] for scalars); rows are appended as raw bytes and the dataset is
   * complete after finish().
   */
  dataset(path: string, type: TypeDesc, rowShape: number[], opts: ChunkOptions): DatasetWriter {
    if (this.open.has(path)) throw new Error(`HDF5 writer: ${path} is being written`);
    const node = this.node(path, 'dataset');
    this.open.add(path);
    return new DatasetWriter(this, node, path, type, rowShape, opts, () => this.open.delete(path));
  }

  /** A one-dimensional dataset of variable-length strings. */
  stringDataset(path: string, values: string[], opts: ChunkOptions, cset = 1): DatasetWriter {
    const type: TypeDesc = { type: 3, size: 16, vlen: true, cset };
    const ids = this.heapIds(values);
    const w = this.dataset(path, type, [], opts);
    w.appendRows(ids, values.length);
    return w;
  }

  /** Writes strings to global heap collections; returns their 16-byte vlen descriptors. */
  heapIds(values: string[]): Uint8Array {
    const enc = new TextEncoder();
    const out = new ByteWriter(values.length * 16 + 16);
    let i = 0;
    while (i < values.length) {
      // one collection of up to ~1 MiB of objects
      const objs: Uint8Array[] = [];
      let bytes = 16;
      while (i + objs.length < values.length && objs.length < 65535) {
        const b = enc.encode(values[i + objs.length]);
        const need = 16 + Math.ceil(b.length / 8) * 8;
        if (objs.length && bytes + need > 1 << 20) break;
        objs.push(b);
        bytes += need;
      }
      const size = Math.max(4096, bytes + 16);
      const g = new ByteWriter(size);
      g.bytes(new TextEncoder().encode('GCOL')).u8(1).zeros(3).u64(size);
      objs.forEach((b, k) => {
        g.u16(k + 1)
          .u16(1)
          .u32(0)
          .u64(b.length)
          .bytes(b);
        g.zeros((8 - (b.length % 8)) % 8);
      });
      const free = size - g.length;
      // free space: object 0, its size counting its own header
      g.u16(0).u16(0).u32(0).u64(free);
      g.zeros(size - g.length);
      const addr = this.append(g.result());
      objs.forEach((b, k) => {
        out
          .u32(b.length)
          .u64(addr)
          .u32(k + 1);
      });
      i += objs.length;
    }
    return out.result();
  }

  /** @internal writes a dataset's chunk */
  writeChunk(bytes: Uint8Array): number {
    return this.append(bytes);
  }

  /** @internal writes the v1 B-tree over the chunks, returns the root address (UNDEF when empty) */
  writeChunkIndex(chunks: ChunkRecord[], chunkDims: number[], elemSize: number): bigint {
    if (!chunks.length) return UNDEF_ADDR;
    const ndims = chunkDims.length + 1;
    const keySize = 8 + 8 * ndims;
    const nodeSize = 8 + 16 + 2 * BTREE_K * 8 + (2 * BTREE_K + 1) * keySize;
    interface Key {
      size: number;
      offsets: number[];
    }
    const keyOf = (c: ChunkRecord): Key => ({ size: c.size, offsets: [c.index * chunkDims[0], ...chunkDims.slice(1).map(() => 0), 0] });
    const last = chunks[chunks.length - 1];
    const endKey: Key = { size: 0, offsets: [last.index * chunkDims[0] + chunkDims[0], ...chunkDims.slice(1), elemSize] };
    const writeKey = (w: ByteWriter, k: Key) => {
      w.u32(k.size).u32(0);
      for (const o of k.offsets) w.u64(o);
    };
    // entries of the current level: [left key, child address]
    let level = 0;
    let entries = chunks.map((c) => ({ key: keyOf(c), addr: c.address }));
    for (;;) {
      const groups: (typeof entries)[] = [];
      for (let i = 0; i < entries.length; i += 2 * BTREE_K) groups.push(entries.slice(i, i + 2 * BTREE_K));
      // addresses are known before writing: nodes of a level are written back to back
      const pad = (8 - (this.eof % 8)) % 8;
      const first = this.eof + pad;
      const addrs = groups.map((_, g) => first + g * nodeSize);
      const block = new ByteWriter(nodeSize * groups.length);
      groups.forEach((grp, g) => {
        const start = block.length;
        block.bytes(new TextEncoder().encode('TREE')).u8(1).u8(level).u16(grp.length);
        block.u64(g > 0 ? addrs[g - 1] : UNDEF_ADDR).u64(g < groups.length - 1 ? addrs[g + 1] : UNDEF_ADDR);
        grp.forEach((e) => {
          writeKey(block, e.key);
          block.u64(e.addr);
        });
        writeKey(block, g < groups.length - 1 ? groups[g + 1][0].key : endKey);
        block.zeros(nodeSize - (block.length - start));
      });
      const at = this.append(block.result());
      if (at !== first) throw new Error('HDF5 writer: B-tree node placement');
      if (groups.length === 1) return BigInt(addrs[0]);
      entries = groups.map((grp, g) => ({ key: grp[0].key, addr: addrs[g] }));
      level++;
    }
  }

  /** Encodes the attribute messages of a node, writing vlen strings to a global heap. */
  private attributeMessages(attrs: AttrSpec[]): { type: number; body: Uint8Array }[] {
    return attrs.map((a) => {
      const w = new ByteWriter();
      const name = new TextEncoder().encode(a.name);
      const dt = encodeDatatype(a.type).result();
      const ds = a.shape === null ? nullDataspace() : dataspace(a.shape, null);
      let data: Uint8Array;
      if (a.shape === null) data = new Uint8Array(0);
      else if (isVlenString(a.type)) data = this.heapIds(a.strings ?? []);
      else data = a.data ?? new Uint8Array(a.shape.reduce((x, y) => x * y, 1) * a.type.size);
      w.u8(3)
        .u8(0)
        .u16(name.length + 1)
        .u16(dt.length)
        .u16(ds.length)
        .u8(1);
      w.bytes(name).u8(0).bytes(dt).bytes(ds).bytes(data);
      return { type: MSG.ATTRIBUTE, body: w.result() };
    });
  }

  /** @internal writes an object header with the given messages plus the attributes, returns its address */
  writeObjectHeader(messages: { type: number; body: Uint8Array }[], attrs: AttrSpec[]): number {
    const all = [...messages, ...this.attributeMessages(attrs)];
    for (const m of all) if (m.body.length > 0xffff) throw new Error('HDF5 writer: object header message larger than 64 KiB');
    const chunkSize = all.reduce((s, m) => s + 4 + m.body.length, 0);
    const w = new ByteWriter(chunkSize + 32);
    // version 2; flags: 4-byte chunk size (2), attribute phase change values stored (0x10)
    w.bytes(new TextEncoder().encode('OHDR'))
      .u8(2)
      .u8(0x02 | 0x10);
    w.u16(0xffff).u16(0xffff);
    w.u32(chunkSize);
    for (const m of all) w.u8(m.type).u16(m.body.length).u8(0).bytes(m.body);
    w.u32(lookup3(w.view_()));
    return this.append(w.result());
  }

  /** Writes the group headers (children first), then the superblock, and closes the file. */
  close(): void {
    if (this.closed) return;
    if (this.open.size) throw new Error(`HDF5 writer: datasets not finished: ${[...this.open].join(', ')}`);
    const writeGroup = (n: Node): number => {
      const links: { type: number; body: Uint8Array }[] = [];
      for (const [name, child] of n.children) {
        const addr = child.kind === 'group' ? writeGroup(child) : child.address;
        if (addr === undefined) throw new Error(`HDF5 writer: dataset ${name} was not finished`);
        const nb = new TextEncoder().encode(name);
        const w = new ByteWriter();
        // version 1; flags: 1- or 2-byte name length, charset field present (UTF-8)
        const lenBytes = nb.length < 256 ? 0 : 1;
        w.u8(1)
          .u8(lenBytes | 0x10)
          .u8(1);
        if (lenBytes === 0) w.u8(nb.length);
        else w.u16(nb.length);
        w.bytes(nb).u64(addr);
        links.push({ type: MSG.LINK, body: w.result() });
      }
      const linkInfo = new ByteWriter().u8(0).u8(0).u64(UNDEF_ADDR).u64(UNDEF_ADDR).result();
      // group info with link phase change values: compact storage for up to 65535 links
      const groupInfo = new ByteWriter().u8(0).u8(1).u16(0xffff).u16(0xfffe).result();
      n.address = this.writeObjectHeader([{ type: MSG.LINK_INFO, body: linkInfo }, { type: MSG.GROUP_INFO, body: groupInfo }, ...links], n.attrs);
      return n.address;
    };
    const rootAddr = writeGroup(this.root);
    const sb = new ByteWriter(SUPERBLOCK_SIZE);
    sb.bytes(Uint8Array.from(SIGNATURE)).u8(2).u8(8).u8(8).u8(0);
    sb.u64(0).u64(UNDEF_ADDR).u64(this.eof).u64(rootAddr);
    sb.u32(lookup3(sb.view_()));
    writeSync(this.fd, sb.result(), 0, SUPERBLOCK_SIZE, 0);
    closeSync(this.fd);
    this.closed = true;
  }

  /** Closes the file without making it valid (the caller removes it). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  get bytesWritten(): number {
    return this.eof;
  }
}

/** A NULL dataspace (no elements). */
function nullDataspace(): Uint8Array {
  return new ByteWriter().u8(2).u8(0).u8(0).u8(2).result();
}

/** Dataspace message (version 2) for `dims`, with `maxdims` (null: same as dims; -1 entries: unlimited). */
function dataspace(dims: number[], maxdims: number[] | null): Uint8Array {
  const w = new ByteWriter();
  if (dims.length === 0) return w.u8(2).u8(0).u8(0).u8(0).result();
  w.u8(2)
    .u8(dims.length)
    .u8(maxdims ? 1 : 0)
    .u8(1);
  for (const d of dims) w.u64(d);
  if (maxdims) for (const m of maxdims) w.u64(m < 0 ? UNLIMITED : BigInt(m));
  return w.result();
}

export class DatasetWriter {
  private pending: Uint8Array;
  private pendingRows = 0;
  private rows = 0;
  private chunks: ChunkRecord[] = [];
  private done = false;
  readonly elemSize: number;
  readonly rowBytes: number;
  readonly chunkBytes: number;

  constructor(
    private writer: H5Writer,
    private node: Node,
    readonly path: string,
    readonly type: TypeDesc,
    readonly rowShape: number[],
    readonly opts: ChunkOptions,
    private onFinish: () => void,
  ) {
    this.elemSize = fileSize(type);
    this.rowBytes = this.elemSize * rowShape.reduce((a, b) => a * b, 1);
    if (!(opts.chunkRows >= 1)) throw new Error('HDF5 writer: chunkRows must be >= 1');
    this.chunkBytes = this.rowBytes * opts.chunkRows;
    if (this.chunkBytes > 0xffffffff) throw new Error('HDF5 writer: chunk larger than 4 GiB');
    this.pending = new Uint8Array(this.chunkBytes);
  }

  get nRows(): number {
    return this.rows;
  }

  /** Appends `n` rows given as raw bytes (n × rowBytes). */
  appendRows(bytes: Uint8Array, n: number): void {
    if (this.done) throw new Error(`HDF5 writer: ${this.path} is finished`);
    if (bytes.length !== n * this.rowBytes) throw new Error(`HDF5 writer: ${this.path}: ${bytes.length} bytes for ${n} rows of ${this.rowBytes}`);
    if (this.rows % this.opts.chunkRows !== this.pendingRows) throw new Error(`HDF5 writer: ${this.path}: rows after a partial encoded chunk`);
    let off = 0;
    while (off < bytes.length) {
      const take = Math.min(bytes.length - off, this.chunkBytes - this.pendingRows * this.rowBytes);
      this.pending.set(bytes.subarray(off, off + take), this.pendingRows * this.rowBytes);
      this.pendingRows += take / this.rowBytes;
      off += take;
      if (this.pendingRows === this.opts.chunkRows) this.flushChunk();
    }
    this.rows += n;
  }

  /**
   * Appends `rows` rows given as one chunk already encoded with this
   * dataset's filters (encodeChunk with the same options, rows past `rows`
   * zero). Only at a chunk boundary; a chunk of fewer than chunkRows rows
   * must be the last.
   */
  appendEncodedChunk(stored: Uint8Array, rows: number): void {
    if (this.done) throw new Error(`HDF5 writer: ${this.path} is finished`);
    if (this.pendingRows !== 0 || this.rows % this.opts.chunkRows !== 0) throw new Error(`HDF5 writer: ${this.path}: an encoded chunk must start a chunk`);
    if (!(rows >= 1 && rows <= this.opts.chunkRows)) throw new Error(`HDF5 writer: ${this.path}: ${rows} rows in a chunk of ${this.opts.chunkRows}`);
    const address = this.writer.writeChunk(stored);
    this.chunks.push({ index: this.chunks.length, address, size: stored.length });
    this.rows += rows;
  }

  private flushChunk(): void {
    if (!this.pendingRows) return;
    // a chunk is always stored whole; rows past the end are zero (the fill value)
    this.pending.fill(0, this.pendingRows * this.rowBytes);
    const data = encodeChunk(this.pending, this.elemSize, this.opts);
    const address = this.writer.writeChunk(data);
    this.chunks.push({ index: this.chunks.length, address, size: data.length });
    this.pendingRows = 0;
  }

  /** Writes the last chunk, the chunk index and the object header (with `attrs`). */
  finish(attrs: AttrSpec[] = []): void {
    if (this.done) return;
    this.flushChunk();
    this.done = true;
    const dims = [this.rows, ...this.rowShape];
    const chunkDims = [this.opts.chunkRows, ...this.rowShape];
    const btree = this.writer.writeChunkIndex(this.chunks, chunkDims, this.elemSize);
    const layout = new ByteWriter()
      .u8(3)
      .u8(2)
      .u8(chunkDims.length + 1)
      .u64(btree);
    for (const d of chunkDims) layout.u32(d);
    layout.u32(this.elemSize);
    const messages: { type: number; body: Uint8Array }[] = [
      { type: MSG.DATASPACE, body: dataspace(dims, [-1, ...this.rowShape]) },
      { type: MSG.DATATYPE, body: encodeDatatype(this.type).result() },
      // fill value v3: allocation incremental, written if set, default (zero) value
      {
        type: MSG.FILL_VALUE,
        body: new ByteWriter()
          .u8(3)
          .u8(3 | (2 << 2))
          .result(),
      },
      { type: MSG.LAYOUT, body: layout.result() },
    ];
    const filters: { id: number; cd: number[]; name?: string; optional?: boolean }[] = [];
    if (this.opts.fletcher32) filters.push({ id: FILTER_FLETCHER32, cd: [] });
    if (this.opts.blosc) {
      // hdf5-blosc's client data: filter version, Blosc format, typesize, chunk bytes, level, shuffle, compressor
      const cd = [
        FILTER_BLOSC_VERSION,
        2,
        bloscTypesize(this.elemSize),
        this.chunkBytes,
        this.opts.blosc.level,
        this.opts.shuffle ? 1 : 0,
        BLOSC_COMPCODE_ZSTD,
      ];
      filters.push({ id: FILTER_BLOSC, cd, name: 'blosc', optional: true });
    } else {
      if (this.opts.shuffle) filters.push({ id: 2, cd: [this.elemSize] });
      if (this.opts.deflateLevel !== null) filters.push({ id: 1, cd: [this.opts.deflateLevel] });
    }
    if (filters.length) {
      // filter pipeline message v2: ids >= 256 carry their name (NUL-terminated, not padded)
      const f = new ByteWriter().u8(2).u8(filters.length);
      for (const fl of filters) {
        const name = fl.id >= 256 && fl.name ? new TextEncoder().encode(`${fl.name}\0`) : null;
        f.u16(fl.id);
        if (fl.id >= 256) f.u16(name ? name.length : 0);
        f.u16(fl.optional ? 1 : 0).u16(fl.cd.length);
        if (name) f.bytes(name);
        for (const v of fl.cd) f.u32(v);
      }
      messages.push({ type: MSG.FILTERS, body: f.result() });
    }
    this.node.attrs = attrs;
    this.node.address = this.writer.writeObjectHeader(messages, attrs);
    this.onFinish();
  }
}
