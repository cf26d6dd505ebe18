/**
 * An open file in the worker: the h5wasm handle, its chunk cache, and the
 * reader for the layout it was recognised as (ctapipe DL1, WatChMaL hits or
 * images, or generic HDF5 to browse).
 */
import { Hdf5Error } from './h5-errors.js';
import { H5File } from './h5-file.js';
import { ChunkCache } from './table-reader.js';
import { dtypeText } from './h5-dtype.js';
import { Dl1Reader, isDl1File } from '../dl1/dl1-reader.js';
import { WatchmalReader, watchmalKind } from '../watchmal/watchmal-reader.js';
import type { FileKind, FileSummary } from './hdf5-protocol.js';

const MAX_LISTED_DATASETS = 5000;

export class FileSession {
  readonly kind: FileKind;
  readonly dl1?: Dl1Reader;
  readonly watchmal?: WatchmalReader;

  private constructor(
    readonly file: H5File,
    readonly cache: ChunkCache,
  ) {
    if (isDl1File(file)) {
      this.kind = 'dl1';
      this.dl1 = new Dl1Reader(file, cache);
    } else {
      const wk = watchmalKind(file);
      if (wk) {
        this.kind = wk;
        this.watchmal = new WatchmalReader(file);
      } else {
        this.kind = 'generic';
      }
    }
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

  requireDl1(): Dl1Reader {
    if (!this.dl1) throw new Hdf5Error('unknown-layout', `${this.file.path}: not a ctapipe DL1 file (recognised as ${this.kind})`, this.file.path);
    return this.dl1;
  }

  requireWatchmal(): WatchmalReader {
    if (!this.watchmal) throw new Hdf5Error('unknown-layout', `${this.file.path}: not a WatChMaL file (recognised as ${this.kind})`, this.file.path);
    return this.watchmal;
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
    const s: FileSummary = { kind: this.kind, file: this.file.path, size: this.file.size, datasets: list, datasetsTruncated: truncated };
    if (this.dl1) s.dl1 = this.dl1.summary();
    if (this.watchmal) s.watchmal = this.watchmal.summary();
    return s;
  }

  close(): void {
    this.cache.clear();
    this.file.close();
  }
}
