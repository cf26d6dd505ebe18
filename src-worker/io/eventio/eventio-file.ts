/**
 * An EventIO file (uncompressed, gzip or zstd) as an index of its top-level
 * objects and random access to their contents.
 *
 * `scan` walks the file once, in order, reading only each top-level header
 * (sync marker, header, extension) and skipping the content unless the
 * visitor asks for it (the simtel layer reads the small run-level objects and
 * peeks at the first sub-header of events). The index it builds (offset,
 * type, version, id, flags, length per object) lives in typed arrays: a few
 * tens of bytes per object whatever their size. `content(i)` then reads any
 * object's bytes through the positioned reader (checkpoints for compressed
 * files) and keeps recently read contents in a small LRU cache.
 *
 * Where the file stops making sense (ends inside an object, a missing sync
 * marker, a length that runs past the end) the scan stops: everything before
 * stays usable and `problem` says what and where.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { codecFor, detectCompression, type Compression } from './compression.js';
import { EventIOError, ObjectParseError } from './eventio-errors.js';
import { EXTENSION_SIZE, OBJECT_HEADER_SIZE, SYNC_MARKER_SIZE, isExtended, parseObjectHeader, syncByteOrder, type ObjectHeader } from './object-header.js';
import { PositionedReader, type PositionedReaderOptions, type PositionedReaderStats } from './positioned-reader.js';

export interface EventIOFileOptions extends PositionedReaderOptions {
  /** largest object content `content()` loads into memory (default 1 GiB) */
  maxObjectBytes?: number;
  /** memory for recently read object contents (default 64 MiB) */
  cacheBytes?: number;
}

/** A top-level object in the index. */
export interface TopLevelObject extends ObjectHeader {
  /** position in the index */
  index: number;
  /** decompressed offset of its sync marker */
  offset: number;
  /** decompressed offset of its content */
  contentOffset: number;
}

/** What a scan visitor can do with the object it is shown. */
export interface ScanAccess {
  /** the first `n` content bytes (fewer if the object is shorter) */
  peek(n: number): Uint8Array;
  /** the whole content (subject to maxObjectBytes) */
  content(): Uint8Array;
}

export type ScanVisitor = (obj: TopLevelObject, access: ScanAccess) => void;

export interface ScanOptions {
  /** stop after this many more objects (default: to the end) */
  maxObjects?: number;
  /** stop after an object for which this returns true */
  until?: (obj: TopLevelObject) => boolean;
  /**
   * objects whose content to keep in the cache as the scan passes them
   * (compressed files: they are decompressed anyway, so a later `content`
   * needs no second decompression); the visitor's `content()` is kept too
   */
  keep?: (obj: TopLevelObject) => boolean;
  /** called now and then with the compressed bytes read so far and the file size */
  onProgress?: (fileBytes: number, fileSize: number, objects: number) => void;
  signal?: AbortSignal;
}

const FLAG_ONLY_SUB = 1 << 28;
const FLAG_EXTENDED = 1 << 29;
const FLAG_USER = 1 << 30;

export class EventIOFile {
  readonly compression: Compression;
  readonly byteOrder: 'little' | 'big';
  /** why the index stops before the end of the file (null: it does not, or it is not complete yet) */
  problem: EventIOError | null = null;
  /** whether the scan reached the end of the file (or a problem) */
  scanComplete = false;

  private readonly reader: PositionedReader;
  private readonly maxObjectBytes: number;
  private readonly cacheBytes: number;
  private fd: number;
  private n = 0;
  private offsets = new Float64Array(256);
  private sizes = new Float64Array(256);
  private typeWords = new Uint32Array(256);
  private ids = new Int32Array(256);
  private scanPos = 0;
  private cache = new Map<number, Uint8Array>();
  private cached = 0;

  private constructor(
    readonly path: string,
    fd: number,
    fileSize: number,
    compression: Compression,
    options: EventIOFileOptions,
  ) {
    this.fd = fd;
    this.compression = compression;
    this.maxObjectBytes = options.maxObjectBytes ?? 2 ** 30;
    this.cacheBytes = options.cacheBytes ?? 64 * 2 ** 20;
    this.reader = new PositionedReader(fd, fileSize, codecFor(compression, options.sequential === true), path, options);
    const head = this.reader.read(SYNC_MARKER_SIZE);
    const order = head.length === 4 ? syncByteOrder(head) : null;
    if (!order) {
      const what = compression === 'none' ? 'the file' : `the ${compression}-decompressed data`;
      throw new EventIOError('not-eventio', path, `${path}: not an EventIO file (${what} does not start with the EventIO sync marker D4 1F 8A 37)`);
    }
    this.byteOrder = order;
    this.reader.seek(0);
  }

  /** Opens a file: checks its compression and the first sync marker (no scan yet). */
  static open(path: string, options: EventIOFileOptions = {}): EventIOFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new EventIOError('io', path, `${path}: cannot open: ${(e as Error).message}`);
    }
    try {
      const size = fstatSync(fd).size;
      if (size === 0) throw new EventIOError('not-eventio', path, `${path}: the file is empty`);
      const head = new Uint8Array(Math.min(16, size));
      readSync(fd, head, 0, head.length, 0);
      const guess = detectCompression(head);
      if (guess.kind === 'unsupported') {
        throw new EventIOError(
          'unsupported',
          path,
          `${path}: ${guess.name} compression is not supported (sim_telarray files are read uncompressed, gzip or zstd; recompress with zstd)`,
        );
      }
      return new EventIOFile(path, fd, size, guess.kind, options);
    } catch (e) {
      closeSync(fd);
      if (e instanceof EventIOError) throw e;
      throw new EventIOError('io', path, `${path}: ${(e as Error).message}`);
    }
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.reader.close();
    }
    this.cache.clear();
    this.cached = 0;
  }

  /** Top-level objects indexed so far. */
  get objectCount(): number {
    return this.n;
  }

  get readerStats(): PositionedReaderStats {
    return this.reader.stats;
  }

  /** Decompressed size, when known (uncompressed files, or a compressed one read to its end). */
  get dataSize(): number | null {
    return this.reader.knownSize;
  }

  get fileSize(): number {
    return this.reader.fileSize;
  }

  type(i: number): number {
    return this.typeWords[i] & 0xffff;
  }

  id(i: number): number {
    return this.ids[i];
  }

  object(i: number): TopLevelObject {
    if (!(i >= 0 && i < this.n)) throw new EventIOError('range', this.path, `${this.path}: no object ${i} (${this.n} indexed)`);
    const w = this.typeWords[i];
    const extended = (w & FLAG_EXTENDED) !== 0;
    const headerSize = SYNC_MARKER_SIZE + OBJECT_HEADER_SIZE + (extended ? EXTENSION_SIZE : 0);
    return {
      index: i,
      type: w & 0xffff,
      version: (w >>> 16) & 0xfff,
      id: this.ids[i],
      user: (w & FLAG_USER) !== 0,
      extended,
      onlySubObjects: (w & FLAG_ONLY_SUB) !== 0,
      headerSize,
      contentSize: this.sizes[i],
      offset: this.offsets[i],
      contentOffset: this.offsets[i] + headerSize,
    };
  }

  /**
   * Scans on from where the last scan stopped, adding top-level objects to
   * the index and showing each to `visit`. Stops at the end of the file, at
   * a problem (kept in `problem`), or after `maxObjects`.
   */
  scan(visit: ScanVisitor | null, options: ScanOptions = {}): void {
    if (this.scanComplete) return;
    const max = options.maxObjects ?? Infinity;
    let seen = 0;
    this.reader.seek(this.scanPos);
    while (seen < max && !this.scanComplete) {
      if (options.signal?.aborted) throw new EventIOError('aborted', this.path, `${this.path}: reading was cancelled`);
      if ((this.n & 63) === 0 && options.onProgress) options.onProgress(this.reader.filePosition, this.reader.fileSize, this.n);
      let obj: TopLevelObject | null = null;
      try {
        obj = this.scanOne(visit, options.keep);
        if (!obj) break;
      } catch (e) {
        if (!(e instanceof EventIOError) || e.kind === 'aborted' || e.kind === 'io') throw e;
        // a decoder or content failure: everything before stays indexed
        this.problem = new EventIOError(e.kind, this.path, `${e.message} (after ${this.n} complete objects)`, e.offset);
        this.scanComplete = true;
        break;
      }
      seen++;
      if (options.until?.(obj)) break;
    }
    if (options.onProgress) options.onProgress(this.reader.filePosition, this.reader.fileSize, this.n);
  }

  /** Scans one object; null when the scan ended (end of data or a problem). */
  private scanOne(visit: ScanVisitor | null, keep?: (obj: TopLevelObject) => boolean): TopLevelObject | null {
    {
      const start = this.reader.position;
      const head = this.reader.read(SYNC_MARKER_SIZE + OBJECT_HEADER_SIZE);
      if (head.length === 0) {
        this.scanComplete = true;
        return null;
      }
      const le = this.byteOrder === 'little';
      if (head.length < SYNC_MARKER_SIZE + OBJECT_HEADER_SIZE) {
        this.stop('truncated', `the data ends ${head.length} bytes into the header of object ${this.n + 1}`, start);
        return null;
      }
      const order = syncByteOrder(head);
      if (order !== this.byteOrder) {
        this.stop('corrupt', `no EventIO sync marker where object ${this.n + 1} should start (found ${hex(head.subarray(0, 4))})`, start);
        return null;
      }
      let hbytes = head;
      if (isExtended(head, SYNC_MARKER_SIZE, le)) {
        const ext = this.reader.read(EXTENSION_SIZE);
        if (ext.length < EXTENSION_SIZE) {
          this.stop('truncated', `the data ends inside the header of object ${this.n + 1}`, start);
          return null;
        }
        hbytes = new Uint8Array(head.length + EXTENSION_SIZE);
        hbytes.set(head);
        hbytes.set(ext, head.length);
      }
      const h = parseObjectHeader(hbytes, SYNC_MARKER_SIZE, le);
      const headerSize = SYNC_MARKER_SIZE + h.headerSize;
      const raw = this.reader.knownSize;
      if (raw !== null && start + headerSize + h.contentSize > raw) {
        this.stop(
          'truncated',
          `object ${this.n + 1} (type ${h.type}) at byte ${start} needs ${h.contentSize} content bytes, the data ends ${raw - start - headerSize} bytes after its header`,
          start,
        );
        return null;
      }
      const obj: TopLevelObject = { ...h, headerSize, index: this.n, offset: start, contentOffset: start + headerSize };
      // the visitor reads from the content start (a peek does not consume: the content is then read
      // in one piece); the rest is skipped below
      let taken: Uint8Array | null = null;
      let contentError: EventIOError | null = null;
      const access: ScanAccess = {
        peek: (k) => {
          const want = Math.min(k, h.contentSize);
          if (taken && taken.length >= want) return taken.subarray(0, want);
          const p = this.reader.peek(want);
          if (p.length < want) {
            throw new EventIOError(
              'truncated',
              this.path,
              `object ${obj.index + 1} (type ${obj.type}) at byte ${obj.offset} needs ${obj.contentSize} content bytes, the data ends after ${p.length}`,
              obj.offset,
            );
          }
          return p;
        },
        content: () => {
          if (h.contentSize > this.maxObjectBytes) throw this.tooLarge(obj);
          if (!taken || taken.length < h.contentSize) taken = this.extend(taken, h.contentSize, obj);
          return taken;
        },
      };
      if (visit) {
        try {
          visit(obj, access);
        } catch (e) {
          if (e instanceof EventIOError && e.kind === 'truncated') contentError = e;
          else throw e;
        }
      }
      if (contentError) {
        this.stop('truncated', contentError.message, start);
        return null;
      }
      let done = taken ? (taken as Uint8Array).length : 0;
      const keepIt = h.contentSize <= this.cacheBytes / 4 && (done === h.contentSize || (this.compression !== 'none' && !!keep?.(obj)));
      if (keepIt && done < h.contentSize) {
        taken = this.extend(taken, h.contentSize, obj);
        done = h.contentSize;
      }
      const left = h.contentSize - done;
      if (this.reader.skip(left) < left) {
        this.stop('truncated', `object ${this.n + 1} (type ${h.type}) at byte ${start} needs ${h.contentSize} content bytes, the data ends before`, start);
        return null;
      }
      this.add(obj);
      if (keepIt && taken) this.remember(obj.index, taken);
      this.scanPos = this.reader.position;
      return obj;
    }
  }

  private extend(have: Uint8Array | null, want: number, obj: TopLevelObject): Uint8Array {
    const got = have ? have.length : 0;
    const more = this.reader.read(want - got);
    if (more.length < want - got) {
      throw new EventIOError(
        'truncated',
        this.path,
        `object ${obj.index + 1} (type ${obj.type}) at byte ${obj.offset} needs ${obj.contentSize} content bytes, the data ends after ${got + more.length}`,
        obj.offset,
      );
    }
    if (!have) return more.length === want ? more : more.slice();
    const out = new Uint8Array(want);
    out.set(have);
    out.set(more, got);
    return out;
  }

  private tooLarge(obj: TopLevelObject): EventIOError {
    return new EventIOError(
      'too-large',
      this.path,
      `${this.path}: object ${obj.index + 1} (type ${obj.type}) at byte ${obj.offset} has ${obj.contentSize} bytes, more than the ${this.maxObjectBytes} this reader loads at once`,
      obj.offset,
    );
  }

  private stop(kind: 'truncated' | 'corrupt', detail: string, offset: number): void {
    this.problem = new EventIOError(
      kind,
      this.path,
      `${this.path}: ${kind === 'truncated' ? 'truncated' : 'corrupt'}: ${detail} (after ${this.n} complete objects)`,
      offset,
    );
    this.scanComplete = true;
  }

  private add(o: TopLevelObject): void {
    if (this.n === this.offsets.length) {
      const grow = <T extends Float64Array | Uint32Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets);
      this.sizes = grow(this.sizes);
      this.typeWords = grow(this.typeWords);
      this.ids = grow(this.ids);
    }
    const i = this.n++;
    this.offsets[i] = o.offset;
    this.sizes[i] = o.contentSize;
    this.typeWords[i] =
      (o.type | (o.version << 16) | (o.onlySubObjects ? FLAG_ONLY_SUB : 0) | (o.extended ? FLAG_EXTENDED : 0) | (o.user ? FLAG_USER : 0)) >>> 0;
    this.ids[i] = o.id;
  }

  /** The content bytes of indexed object `i` (cached; do not modify). */
  content(i: number): Uint8Array {
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    const o = this.object(i);
    if (o.contentSize > this.maxObjectBytes) throw this.tooLarge(o);
    this.reader.seek(o.contentOffset);
    const bytes = this.reader.read(o.contentSize);
    if (bytes.length < o.contentSize) {
      throw new EventIOError(
        'truncated',
        this.path,
        `${this.path}: object ${i + 1} (type ${o.type}) ends early (${bytes.length} of ${o.contentSize} bytes)`,
        o.offset,
      );
    }
    if (bytes.length <= this.cacheBytes / 4) this.remember(i, bytes);
    return bytes;
  }

  /** Keeps object `i`'s content in the LRU cache (evicting the least recently used beyond `cacheBytes`). */
  private remember(i: number, bytes: Uint8Array): void {
    const old = this.cache.get(i);
    if (old) {
      this.cache.delete(i);
      this.cached -= old.length;
    }
    this.cache.set(i, bytes);
    this.cached += bytes.length;
    for (const [k, v] of this.cache) {
      if (this.cached <= this.cacheBytes) break;
      this.cache.delete(k);
      this.cached -= v.length;
    }
  }

  /** Wraps a parse failure inside object `i` as an EventIOError naming the file and the object. */
  parseError(i: number, e: unknown, what?: string): EventIOError {
    if (e instanceof EventIOError) return e;
    const o = i >= 0 && i < this.n ? this.object(i) : null;
    const kind = e instanceof ObjectParseError ? e.kind : 'corrupt';
    const where = o ? `object ${i + 1} (type ${o.type} version ${o.version}) at byte ${o.offset}` : 'an object';
    return new EventIOError(kind, this.path, `${this.path}: ${what ? what + ': ' : ''}${where}: ${(e as Error)?.message ?? String(e)}`, o?.offset);
  }
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
