/**
 * The image parameters of open sim_telarray files, for histograms: the
 * first request starts a pass over the file in the HDF5 worker (the same
 * reader that serves the file's events: SimtelDL1Processor with
 * ctapipe-process's defaults), asked chunk by chunk (~250 ms of work each)
 * so that the file's other requests (its events, waveforms) are served
 * between chunks, and progress and Cancel act between them. The main
 * thread only gathers the chunks. The tables are kept per open file and
 * image extractor (file.extractor: the pass calibrates with the one chosen
 * for the file), so the next histogram is instant. Requests that arrive while the pass runs wait
 * for the same pass and see its progress; a request that is cancelled stops
 * waiting, and the pass itself stops when nobody waits any more.
 */
import type { Hdf5Client } from './hdf5-client.js';
import type { FileColumnsResult } from '../api/histogram-contract.js';
import type { ParameterTable, ParameterTableSource } from './file-column-scan.js';
import { simtelParameterColumns, type SimtelParameterChunk, type SimtelParameterTable } from '../../src-worker/io/simtel/simtel-parameter-tables.js';

/** A whole file's parameter tables. */
export interface SimtelParameterTables {
  columns: SimtelParameterChunk['columns'];
  tables: SimtelParameterTable[];
  nEvents: number;
}
import { ApiError } from '../util/errors.js';
import type { ResolvedImageExtractorConfig } from '../../src-worker/calib/image-extractor.js';

interface Pass {
  promise: Promise<SimtelParameterTables>;
  listeners: Set<(done: number, total: number) => void>;
  waiting: number;
  abort: AbortController;
  tables?: SimtelParameterTables;
}

/** work per request to the HDF5 worker, ms: other requests wait at most about this long */
const CHUNK_MS = 250;

/** files whose tables are kept (the least recently computed beyond this are dropped) */
const KEEP_FILES = 4;

export class SimtelParameterPasses {
  private readonly passes = new Map<string, Pass>();

  constructor(private readonly hdf5: Hdf5Client) {}

  /** The columns (ctapipe's parameter-table columns) and, once computed, the telescopes and rows. */
  async columns(fileId: string, path: string, extractor?: ResolvedImageExtractorConfig): Promise<FileColumnsResult> {
    const columns = simtelParameterColumns().filter((c) => c.dtype !== '|b1');
    const tables = this.passes.get(passKey(fileId, extractor))?.tables;
    if (tables) {
      return { fileId, columns, telIds: tables.tables.map((t) => t.telId), rows: Object.fromEntries(tables.tables.map((t) => [t.telId, t.nRows])) };
    }
    const subarray = await this.hdf5.request({ type: 'dl1Subarray', fileId });
    return {
      fileId,
      columns,
      telIds: subarray.telescopes.map((t) => t.telId),
      rows: {},
      pending: `${path.split('/').pop()} is a sim_telarray file: the first histogram calibrates and parameterises every image of it (ctapipe-process's defaults${extractor ? `, image extractor ${extractor.type}` : ''})`,
    };
  }

  /** The file's parameter tables as a scan source; runs (or joins) the pass when they are not there yet. */
  async source(
    fileId: string,
    path: string,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
    what = 'the histogram',
    extractor?: ResolvedImageExtractorConfig,
  ): Promise<ParameterTableSource> {
    const key = passKey(fileId, extractor);
    const pass = this.pass(key, fileId, extractor);
    if (pass.tables) return tableSource(pass.tables, path);
    pass.waiting++;
    if (onProgress) pass.listeners.add(onProgress);
    try {
      return tableSource(await untilAborted(pass.promise, signal, `${what} over ${path} was cancelled`), path);
    } finally {
      pass.waiting--;
      if (onProgress) pass.listeners.delete(onProgress);
      if (!pass.tables && pass.waiting === 0) {
        // nobody waits: stop the pass, and let the next request start a new one
        pass.abort.abort();
        if (this.passes.get(key) === pass) this.passes.delete(key);
      }
    }
  }

  private pass(key: string, fileId: string, extractor: ResolvedImageExtractorConfig | undefined): Pass {
    const old = this.passes.get(key);
    if (old) return old;
    const abort = new AbortController();
    const pass: Pass = { listeners: new Set(), waiting: 0, abort, promise: undefined as unknown as Promise<SimtelParameterTables> };
    pass.promise = this.run(fileId, extractor, abort.signal, (done, total) => {
      for (const l of pass.listeners) l(done, total);
    });
    pass.promise.then(
      (tables) => {
        pass.tables = tables;
        const done = [...this.passes.entries()].filter(([, p]) => p.tables);
        for (const [id] of done.slice(0, Math.max(0, done.length - KEEP_FILES))) this.passes.delete(id);
      },
      () => {
        if (this.passes.get(key) === pass) this.passes.delete(key);
      },
    );
    this.passes.set(key, pass);
    return pass;
  }

  /** the pass: chunk after chunk until the end of the file, then the chunks joined per telescope */
  private async run(
    fileId: string,
    extractor: ResolvedImageExtractorConfig | undefined,
    signal: AbortSignal,
    progress: (done: number, total: number) => void,
  ): Promise<SimtelParameterTables> {
    const chunks: SimtelParameterChunk[] = [];
    let start = 0;
    for (;;) {
      if (signal.aborted) throw new ApiError('failed', 'the parameter pass was cancelled');
      const req = { type: 'simtelParameters' as const, fileId, start, budgetMs: CHUNK_MS };
      const chunk = await this.hdf5.request(extractor ? { ...req, extractor } : req);
      chunks.push(chunk);
      progress(chunk.end, chunk.nEvents);
      if (chunk.end >= chunk.nEvents || chunk.end <= start) break;
      start = chunk.end;
    }
    return joinChunks(chunks);
  }

  clear(): void {
    for (const p of this.passes.values()) p.abort.abort();
    this.passes.clear();
  }
}

/** passes are kept per file and image extractor */
function passKey(fileId: string, extractor: ResolvedImageExtractorConfig | undefined): string {
  return extractor ? `${fileId}|${JSON.stringify(extractor)}` : fileId;
}

function joinChunks(chunks: SimtelParameterChunk[]): SimtelParameterTables {
  const columns = chunks[0].columns;
  const perTel = new Map<number, SimtelParameterTable[]>();
  for (const c of chunks) {
    for (const t of c.tables) {
      const parts = perTel.get(t.telId);
      if (parts) parts.push(t);
      else perTel.set(t.telId, [t]);
    }
  }
  const tables = [...perTel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([telId, parts]) => {
      const nRows = parts.reduce((a, p) => a + p.nRows, 0);
      const values = columns.map((_, k) => {
        const v = new Float64Array(nRows);
        let at = 0;
        for (const p of parts) {
          v.set(p.values[k], at);
          at += p.nRows;
        }
        return v;
      });
      return { telId, nRows, values };
    });
  return { columns, tables, nEvents: chunks[chunks.length - 1].nEvents };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, message: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new ApiError('failed', message));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ApiError('failed', message));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** In-memory tables as a scan source (the rows are views, not copies). */
function tableSource(t: SimtelParameterTables, path: string): ParameterTableSource {
  const columns = t.columns.map((c) => ({ name: c.name, dtype: c.dtype, shape: [] as number[] }));
  const units = Object.fromEntries(t.columns.filter((c) => c.unit).map((c) => [c.name, c.unit]));
  const byName = new Map(t.columns.map((c, k) => [c.name, k]));
  const tables: (ParameterTable & { values: Float64Array[] })[] = t.tables.map((x) => ({
    telId: x.telId,
    path: `${path} (tel ${x.telId})`,
    nRows: x.nRows,
    columns,
    units,
    values: x.values,
  }));
  return {
    tables,
    read: (table, start, count, wanted) => {
      const values = (table as (typeof tables)[number]).values;
      return Promise.resolve(Object.fromEntries(wanted.map((name) => [name, values[byName.get(name)!].subarray(start, start + count)])));
    },
  };
}
