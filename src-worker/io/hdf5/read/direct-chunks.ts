/**
 * The chunk fast path: for a 1-D table chunked along its rows, read each
 * chunk's stored bytes from the file ourselves and undo the filters outside
 * HDF5 (Node's native zlib for deflate; shuffle and fletcher32 in small
 * WebAssembly kernels of our own; Blosc blocks through the zstd/LZ4 decoders
 * of h5wasm-plugins' libH5Zblosc.so on their own memory), which is where
 * WebAssembly HDF5 spent most of its time.
 * Anything the fast path does not understand (file structure, a filter, a
 * missing chunk, a failed checksum) makes it answer null, and the caller
 * reads through HDF5 as before, so results and error messages are HDF5's.
 * LIGHTPOOL_HDF5_DIRECT=0 turns the fast path off.
 */
import type { H5File } from '../h5-file.js';
import { FileBytes } from './file-bytes.js';
import { findHdf5Signature } from '../h5-file.js';
import { readObjectHeader, readSuperblock, resolvePath } from './object-headers.js';
import { readChunkLayout, readFilterPipeline, type ChunkLayout, type ChunkRecord, type PipelineFilter } from './chunk-index.js';
import { FILTER_BLOSC, FILTER_DEFLATE, FILTER_FLETCHER32, FILTER_SHUFFLE, inflate, undoFletcher32, unshuffleThenFletcher } from './filters.js';
import { BloscUnsupported, bloscDecodeStored, bloscDecompress, bloscSupported } from './blosc.js';

export function directEnabled(): boolean {
  return process.env.LIGHTPOOL_HDF5_DIRECT !== '0';
}

class DirectFile {
  private rootAddr = -1;
  private tables = new Map<string, DirectTable | null>();
  private groups = new Map<number, Map<string, number>>();

  constructor(readonly bytes: FileBytes) {}

  static open(file: H5File): DirectFile | null {
    let fb: FileBytes | null = null;
    try {
      const sig = findHdf5Signature(file.path, file.size);
      if (sig < 0) return null;
      fb = new FileBytes(file.path, file.size);
      const df = new DirectFile(fb);
      df.rootAddr = readSuperblock(fb, sig);
      return df;
    } catch {
      fb?.close();
      return null;
    }
  }

  table(path: string, rowSize: number, nRows: number, chunkRows: number): DirectTable | null {
    let t = this.tables.get(path);
    if (t !== undefined) return t;
    t = null;
    try {
      const layout = readChunkLayout(this.bytes, readObjectHeader(this.bytes, resolvePath(this.bytes, this.rootAddr, path, this.groups)));
      if (
        layout.chunkDims.length === 1 &&
        layout.chunkDims[0] === chunkRows &&
        layout.elementSize === rowSize &&
        layout.filters.every(
          (f) => f.id === FILTER_DEFLATE || f.id === FILTER_SHUFFLE || f.id === FILTER_FLETCHER32 || (f.id === FILTER_BLOSC && bloscSupported()),
        )
      ) {
        t = new DirectTable(this.bytes, layout, rowSize, nRows);
      }
    } catch {
      // FormatMismatch, or anything a damaged file makes of the parsing: HDF5 reads this table
      t = null;
    }
    this.tables.set(path, t);
    return t;
  }

  /** The filter pipeline of dataset `path` ([] for none), or null when it cannot be read here. */
  filters(path: string): PipelineFilter[] | null {
    try {
      const msgs = readObjectHeader(this.bytes, resolvePath(this.bytes, this.rootAddr, path, this.groups));
      const body = msgs.find((m) => m.type === MSG_FILTERS)?.body;
      return body ? readFilterPipeline(this.bytes, body) : [];
    } catch {
      return null;
    }
  }

  close(): void {
    this.bytes.close();
  }
}

const MSG_FILTERS = 0x000b;

export class DirectTable {
  private byChunk = new Map<number, ChunkRecord>();
  /** set when a chunk shows a codec variant the fast path does not decode: HDF5 reads the rest */
  private disabled = false;

  constructor(
    private bytes: FileBytes,
    readonly layout: ChunkLayout,
    readonly rowSize: number,
    readonly nRows: number,
  ) {
    const rows = layout.chunkDims[0];
    // a damaged index entry (outside the file, absurd size) is left to HDF5
    const fileEnd = bytes.size - bytes.baseAddress;
    const maxStored = rows * rowSize * 2 + 1024;
    for (const c of layout.chunks) {
      if (c.offset[0] % rows !== 0 || c.size <= 0 || c.size > maxStored || c.addr + c.size > fileEnd) continue;
      this.byChunk.set(c.offset[0] / rows, c);
    }
  }

  /**
   * Rows of chunk `b` ((chunk rows) × rowSize bytes, the stored chunk), or
   * null: let HDF5 read it. With `transient`, the bytes live in a buffer this
   * table reuses: valid only until its next call.
   */
  chunk(b: number, transient = false): Uint8Array | null {
    const rec = this.byChunk.get(b);
    if (!rec || this.disabled) return null;
    const full = this.layout.chunkDims[0] * this.rowSize;
    try {
      const filters = this.layout.filters;
      const direct = this.bloscStored(rec, transient ? this.outBuffer(full + 64) : undefined);
      if (direct) return direct.byteLength === full ? direct : null;
      let data: Uint8Array = this.bytes.read(rec.addr, rec.size, this.bytes.scratch(rec.size));
      // the last step that writes a new buffer may write into the reusable one
      let lastWriter = -1;
      for (let i = 0; i < filters.length; i++) {
        if (rec.filterMask & (1 << i)) continue;
        if (filters[i].id === FILTER_SHUFFLE || filters[i].id === FILTER_BLOSC) {
          lastWriter = i;
          break;
        }
      }
      let fresh = false;
      for (let i = filters.length - 1; i >= 0; i--) {
        if (rec.filterMask & (1 << i)) continue;
        const f = filters[i];
        const into = transient && i === lastWriter ? this.outBuffer(full + 64) : undefined;
        if (f.id === FILTER_FLETCHER32) data = undoFletcher32(data);
        else if (f.id === FILTER_DEFLATE) {
          data = inflate(data, full);
          fresh = true;
        } else if (f.id === FILTER_SHUFFLE) {
          // a checksum right after the unshuffle (PyTables/h5py order) runs on the result in place
          let next = i - 1;
          while (next >= 0 && rec.filterMask & (1 << next)) next--;
          const verify = next >= 0 && filters[next].id === FILTER_FLETCHER32;
          data = unshuffleThenFletcher(data, f.clientData[0] ?? this.rowSize, verify, into);
          fresh = data.buffer !== into?.buffer;
          if (verify) i = next;
        } else if (f.id === FILTER_BLOSC) {
          data = bloscDecompress(data, full + 4, into);
          fresh = data.buffer !== into?.buffer;
        } else return null;
      }
      if (data.byteLength !== full) return null;
      if (fresh || (transient && data.buffer === this.outBuf.buffer)) return data;
      return data.slice();
    } catch (err) {
      if (err instanceof BloscUnsupported) this.disabled = true;
      return null;
    }
  }

  /** whether every chunk of the table's rows is in the index (the stored-chunk path can read them all) */
  get complete(): boolean {
    const rows = this.layout.chunkDims[0];
    for (let b = 0; b * rows < this.nRows; b++) if (!this.byChunk.has(b)) return false;
    return !this.disabled;
  }

  /** Chunk `b` as stored in the file (filters applied), in a fresh buffer, with its filter mask; null when not in the index. */
  stored(b: number): { bytes: Uint8Array; filterMask: number } | null {
    const rec = this.byChunk.get(b);
    if (!rec) return null;
    return { bytes: this.bytes.read(rec.addr, rec.size, new Uint8Array(rec.size)), filterMask: rec.filterMask };
  }

  /**
   * Chunks whose stored bytes are Blosc data (optionally with fletcher32 after
   * it, PyTables' pipeline): read straight into the decoders' memory, decoded
   * and checked there. Null when the pipeline is another one.
   */
  private bloscStored(rec: ChunkRecord, into: Uint8Array | undefined): Uint8Array | null {
    const filters = this.layout.filters;
    const applied: number[] = [];
    for (let i = filters.length - 1; i >= 0; i--) if (!(rec.filterMask & (1 << i))) applied.push(filters[i].id);
    const [first, second, ...rest] = applied;
    if (first !== FILTER_BLOSC || rest.length > 0 || (second !== undefined && second !== FILTER_FLETCHER32)) return null;
    const maxOut = this.layout.chunkDims[0] * this.rowSize + 4;
    return bloscDecodeStored((dst) => void this.bytes.read(rec.addr, rec.size, dst), rec.size, second === FILTER_FLETCHER32, maxOut, into);
  }

  private outBuf = new Uint8Array(0);

  private outBuffer(n: number): Uint8Array {
    if (this.outBuf.byteLength < n) this.outBuf = new Uint8Array(n);
    return this.outBuf;
  }
}

const byFile = new WeakMap<H5File, DirectFile | null>();

function directFile(file: H5File): DirectFile | null {
  let df = byFile.get(file);
  if (df === undefined) {
    df = DirectFile.open(file);
    byFile.set(file, df);
    if (df) {
      const d = df;
      file.onClose(() => d.close());
    }
  }
  return df;
}

/** The fast path for table `path` of `file`, or null when it does not apply. */
export function directTable(file: H5File, path: string, rowSize: number, nRows: number, chunkRows: number | undefined): DirectTable | null {
  if (!chunkRows || !directEnabled()) return null;
  return directFile(file)?.table(path, rowSize, nRows, chunkRows) ?? null;
}

/** The HDF5 filter pipeline (id, client data) of dataset `path` ([] without filters), or null when it cannot be read. */
export function storedFilters(file: H5File, path: string): PipelineFilter[] | null {
  return directFile(file)?.filters(path) ?? null;
}
