/**
 * An open file in the worker: the h5wasm handle, its chunk cache, the
 * format the registry recognised it as (../formats/registry.ts) and that
 * format's reader.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { H5File } from '../hdf5/h5-file.js';
import { ChunkCache } from '../hdf5/table-reader.js';
import { dtypeText } from '../hdf5/h5-dtype.js';
import type { FileSummary } from './hdf5-protocol.js';
import { recogniseFormat } from '../formats/registry.js';
import { describeFormat, type FileFormat } from '../formats/file-format.js';

const MAX_LISTED_DATASETS = 5000;

export class FileSession {
  readonly format: FileFormat<unknown>;
  /** the format's reader */
  readonly reader: unknown;

  private constructor(
    readonly file: H5File,
    readonly cache: ChunkCache,
  ) {
    this.format = recogniseFormat(file);
    this.reader = this.format.open(file, cache);
  }

  static async open(path: string, cacheBytes?: number): Promise<FileSession> {
    const file = await H5File.open(path);
    try {
      return new FileSession(file, new ChunkCache(cacheBytes));
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** the reader, when the file is of one of `formats`; else an error naming what the file is */
  require<R>(...formats: FileFormat<R>[]): R {
    if (!formats.some((f) => f.id === this.format.id)) {
      const wanted = formats.map((f) => f.label).join(' or ');
      throw new Hdf5Error('unknown-layout', `${this.file.path}: not a ${wanted} file (recognised as ${this.format.label})`, this.file.path);
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
    const { list, truncated } = this.listDatasets();
    const s = this.format.summarize(this.reader, { datasets: list.length, truncated });
    return {
      kind: this.format.id,
      format: describeFormat(this.format),
      description: s.line,
      eventCount: s.eventCount,
      info: s.info,
      file: this.file.path,
      size: this.file.size,
      ...s.details,
      datasets: list,
      datasetsTruncated: truncated,
    };
  }

  close(): void {
    this.cache.clear();
    this.file.close();
  }
}
