/**
 * Row access to 1-D (compound) datasets such as PyTables tables, through a
 * cache of whole decoded chunks: a random-access read decompresses each chunk
 * once, stepping through events reuses the chunk already in memory, and only
 * the columns asked for are decoded into typed arrays.
 */
import type { Metadata } from 'h5wasm/node';
import { Hdf5Error } from './h5-errors.js';
import { compoundFields, elementSpec, hasPointers, type FieldSpec } from './h5-dtype.js';
import type { H5File } from './h5-file.js';
import { readRawHyperslab } from './raw-read.js';
import { decodeColumn, readScalarField, scalarAt } from './column-decode.js';
import { directTable, type DirectTable } from './read/direct-chunks.js';
import type { ColumnData } from './browse-types.js';

/**
 * LRU cache of decoded blocks of rows, bounded in bytes. A hit only stamps
 * the entry (stepping looks blocks up several times per event; re-inserting
 * into the Map each time was a tenth of the stepping time); going over the
 * budget evicts the least recently used entries in one sweep.
 */
export class ChunkCache {
  private map = new Map<string, { value: Uint8Array; used: number }>();
  private bytes = 0;
  private clock = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes = 256 * 1024 * 1024) {}

  get(key: string): Uint8Array | undefined {
    const e = this.map.get(key);
    if (e) {
      e.used = ++this.clock;
      this.hits++;
      return e.value;
    }
    this.misses++;
    return undefined;
  }

  set(key: string, value: Uint8Array): void {
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.value.byteLength;
      this.map.delete(key);
    }
    this.map.set(key, { value, used: ++this.clock });
    this.bytes += value.byteLength;
    if (this.bytes > this.maxBytes && this.map.size > 1) this.evict();
  }

  /** Drops least recently used entries until under 90% of the budget (always keeping the newest). */
  private evict(): void {
    const entries = [...this.map].sort((a, b) => a[1].used - b[1].used);
    const target = this.maxBytes * 0.9;
    for (let i = 0; i < entries.length - 1 && this.bytes > target; i++) {
      this.bytes -= entries[i][1].value.byteLength;
      this.map.delete(entries[i][0]);
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}

export type RowValue = number | string | boolean | ColumnData;

export class TableReader {
  readonly nRows: number;
  readonly rowSize: number;
  /** rows per cached block: the dataset's chunk rows, or ~1 MiB of rows for contiguous data */
  readonly blockRows: number;
  readonly fields: FieldSpec[];
  readonly meta: Metadata;
  private byName: Map<string, FieldSpec>;
  private direct: DirectTable | null | undefined;
  /** cache keys of the blocks, made once (stepping looks a block up for every row) */
  private keys: string[] = [];

  constructor(
    readonly file: H5File,
    readonly path: string,
    private cache: ChunkCache,
  ) {
    this.meta = file.metadata(path);
    const shape = this.meta.shape ?? [];
    if (shape.length !== 1) {
      throw new Hdf5Error('unknown-layout', `${file.path}: ${path} is not a table (shape [${shape.join(', ')}], expected one dimension)`, file.path);
    }
    if (hasPointers(this.meta)) {
      throw new Hdf5Error('unknown-layout', `${file.path}: ${path} holds variable-length data and cannot be read as table rows`, file.path);
    }
    this.nRows = shape[0];
    this.rowSize = this.meta.size;
    const chunk = this.meta.chunks?.[0];
    this.blockRows = Math.max(1, chunk ?? Math.floor((1 << 20) / Math.max(1, this.rowSize)));
    this.fields = this.meta.type === 6 ? compoundFields(this.meta) : [elementSpec(this.meta, 'value', 0)];
    this.byName = new Map(this.fields.map((f) => [f.name, f]));
  }

  field(name: string): FieldSpec {
    const f = this.byName.get(name);
    if (!f) throw new Hdf5Error('node-not-found', `${this.file.path}: table ${this.path} has no column "${name}"`, this.file.path);
    return f;
  }

  hasField(name: string): boolean {
    return this.byName.has(name);
  }

  /** The raw bytes of block `b` (cached). */
  block(b: number): Uint8Array {
    const key = (this.keys[b] ??= `${this.path}#${b}`);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const bytes = this.readBlock(b);
    this.cache.set(key, bytes);
    return bytes;
  }

  /**
   * Block `b` read from the file: the chunk fast path when it applies, else
   * HDF5. `transient`: the caller is done with the bytes before the next read
   * (the fast path may then reuse one buffer).
   */
  private readBlock(b: number, transient = false): Uint8Array {
    const start = b * this.blockRows;
    const n = Math.min(this.blockRows, this.nRows - start);
    if (this.direct === undefined) this.direct = directTable(this.file, this.path, this.rowSize, this.nRows, this.meta.chunks?.[0]);
    const chunk = this.direct?.chunk(b, transient);
    if (chunk) {
      if (n * this.rowSize === chunk.byteLength) return chunk;
      return transient ? chunk.subarray(0, n * this.rowSize) : chunk.slice(0, n * this.rowSize);
    }
    return readRawHyperslab(this.file, this.path, [start], [n], this.rowSize);
  }

  /** Raw bytes of rows [start, start+count); a view into the cache when within one block. */
  rawRows(start: number, count: number): Uint8Array {
    if (start < 0 || count < 0 || start + count > this.nRows) {
      throw new Hdf5Error(
        'bad-request',
        `${this.file.path}: rows ${start}..${start + count} out of range for ${this.path} (${this.nRows} rows)`,
        this.file.path,
      );
    }
    if (count === 0) return new Uint8Array(0);
    const b0 = Math.floor(start / this.blockRows);
    const b1 = Math.floor((start + count - 1) / this.blockRows);
    const rs = this.rowSize;
    if (b0 === b1) {
      const off = (start - b0 * this.blockRows) * rs;
      return this.block(b0).subarray(off, off + count * rs);
    }
    const out = new Uint8Array(count * rs);
    let pos = 0;
    for (let b = b0; b <= b1; b++) {
      const blk = this.block(b);
      const blkStart = b * this.blockRows;
      const from = Math.max(start, blkStart) - blkStart;
      const to = Math.min(start + count, blkStart + this.blockRows) - blkStart;
      out.set(blk.subarray(from * rs, to * rs), pos);
      pos += (to - from) * rs;
    }
    return out;
  }

  /** Columns `names` (all when omitted) of rows [start, start+count). */
  columns(start: number, count: number, names?: string[]): Record<string, ColumnData> {
    const raw = this.rawRows(start, count);
    const out: Record<string, ColumnData> = {};
    for (const name of names ?? this.fields.map((f) => f.name)) {
      out[name] = decodeColumn(raw, this.rowSize, count, this.field(name));
    }
    return out;
  }

  column(name: string, start = 0, count = this.nRows - start): ColumnData {
    return this.columns(start, count, [name])[name];
  }

  /** One row: scalars as numbers/strings/booleans, array fields as typed arrays. */
  row(i: number, names?: string[]): Record<string, RowValue> {
    const raw = this.rawRows(i, 1);
    const out: Record<string, RowValue> = {};
    for (const f of names ? names.map((n) => this.field(n)) : this.fields) {
      const direct = f.shape.length === 0 ? readScalarField(raw, f) : undefined;
      if (direct !== undefined) {
        out[f.name] = direct;
        continue;
      }
      const col = decodeColumn(raw, this.rowSize, 1, f);
      out[f.name] = f.count === 1 ? scalarAt(col, 0, f.kind) : col;
    }
    return out;
  }

  /**
   * Reads the whole table block by block, calling `fn` with each block's rows.
   * Without `useCache`, `raw` is valid only during the call (copy what you keep).
   */
  scan(fn: (raw: Uint8Array, start: number, count: number) => void, useCache = false): void {
    const nBlocks = Math.ceil(this.nRows / this.blockRows);
    for (let b = 0; b < nBlocks; b++) {
      const start = b * this.blockRows;
      const count = Math.min(this.blockRows, this.nRows - start);
      const raw = useCache ? this.block(b) : this.readBlock(b, true);
      fn(raw, start, count);
    }
  }
}
