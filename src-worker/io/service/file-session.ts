/**
 * An open file in the worker: the format the registry recognised it as
 * (../formats/registry.ts) and that format's reader; for HDF5 formats also
 * the h5wasm handle and its chunk cache. A file whose first bytes and name
 * a non-HDF5 format (sim_telarray) recognises is read by that format alone
 * and has no HDF5 tree.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { H5File } from '../hdf5/h5-file.js';
import { ChunkCache } from '../hdf5/table-reader.js';
import { dtypeText } from '../hdf5/h5-dtype.js';
import type { FileSummary } from './hdf5-protocol.js';
import { recogniseFormat, recogniseStreamFormat } from '../formats/registry.js';
import { describeFormat, type FileFormat, type FormatDescription, type StreamFileFormat } from '../formats/file-format.js';

const MAX_LISTED_DATASETS = 5000;

/** The first bytes of a file (to recognise non-HDF5 formats), or none when it cannot be read (H5File.open then says why). */
function headOf(path: string): Uint8Array {
  const head = new Uint8Array(64);
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

export class FileSession {
  readonly format: FileFormat<unknown> | StreamFileFormat<unknown>;
  /** the format's reader */
  readonly reader: unknown;
  private readonly h5: H5File | null;
  readonly cache: ChunkCache;

  private constructor(
    readonly path: string,
    source: { file: H5File; cache: ChunkCache } | { stream: StreamFileFormat<unknown> },
  ) {
    if ('file' in source) {
      this.h5 = source.file;
      this.cache = source.cache;
      const format = recogniseFormat(source.file);
      this.format = format;
      this.reader = format.open(source.file, source.cache);
    } else {
      this.h5 = null;
      this.cache = new ChunkCache(0);
      this.format = source.stream;
      this.reader = source.stream.openPath(path);
    }
  }

  static async open(path: string, cacheBytes?: number): Promise<FileSession> {
    const stream = recogniseStreamFormat(headOf(path), path);
    if (stream) return new FileSession(path, { stream });
    const file = await H5File.open(path);
    try {
      return new FileSession(path, { file, cache: new ChunkCache(cacheBytes) });
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** the HDF5 file; an error naming the format for files that are not HDF5 */
  get file(): H5File {
    if (!this.h5)
      throw new Hdf5Error('unknown-layout', `${this.path}: a ${this.format.label} file is not HDF5: it has no tree of groups and datasets`, this.path);
    return this.h5;
  }

  /** the reader, when the file is of one of `formats`; else an error naming what the file is */
  require<R>(...formats: (FileFormat<R> | StreamFileFormat<R>)[]): R {
    if (!formats.some((f) => f.id === this.format.id)) {
      const wanted = formats.map((f) => f.label).join(' or ');
      throw new Hdf5Error('unknown-layout', `${this.path}: not a ${wanted} file (recognised as ${this.format.label})`, this.path);
    }
    return this.reader as R;
  }

  /** the reader, when the file's format offers `what` */
  offering<R>(what: FormatDescription['offers'][number]): R {
    if (!this.format.offers.includes(what)) {
      throw new Hdf5Error('unknown-layout', `${this.path}: a ${this.format.label} file offers no ${what}`, this.path);
    }
    return this.reader as R;
  }

  /** Every dataset below the root, depth first, up to a limit. */
  listDatasets(): { list: FileSummary['datasets']; truncated: boolean } {
    const list: FileSummary['datasets'] = [];
    let truncated = false;
    const walk = (p: string) => {
      for (const k of this.file.keys(p)) {
        if (list.length >= MAX_LISTED_DATASETS) {
          truncated = true;
          return;
        }
        const child = p === '/' ? `/${k}` : `${p}/${k}`;
        const kind = this.file.kindOf(child);
        if (kind === 'group') walk(child);
        else if (kind === 'dataset') {
          const meta = this.file.metadata(child);
          let filters: string[] = [];
          try {
            filters = this.file.dataset(child).filters.map((f) => f.name || String(f.id));
          } catch {
            filters = ['?'];
          }
          list.push({ path: child, shape: meta.shape ?? [], dtype: dtypeText(meta), chunks: meta.chunks, filters });
        }
      }
    };
    walk('/');
    return { list, truncated };
  }

  summary(): FileSummary {
    if (!this.h5) {
      const stream = this.format as StreamFileFormat<unknown>;
      const s = stream.summarize(this.reader);
      return {
        kind: stream.id,
        format: describeFormat(stream),
        description: s.line,
        eventCount: s.eventCount,
        info: s.info,
        file: this.path,
        size: statSync(this.path).size,
        ...s.details,
        datasets: [],
        datasetsTruncated: false,
      };
    }
    const format = this.format as FileFormat<unknown>;
    const { list, truncated } = this.listDatasets();
    const s = format.summarize(this.reader, { datasets: list.length, truncated });
    return {
      kind: format.id,
      format: describeFormat(format),
      description: s.line,
      eventCount: s.eventCount,
      info: s.info,
      file: this.path,
      size: this.file.size,
      ...s.details,
      datasets: list,
      datasetsTruncated: truncated,
    };
  }

  close(): void {
    this.cache.clear();
    if (this.h5) this.h5.close();
    else (this.format as StreamFileFormat<unknown>).close(this.reader);
  }
}
