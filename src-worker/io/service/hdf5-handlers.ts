/**
 * What the HDF5 worker does for each request type. Kept apart from the
 * thread wiring (hdf5-worker.ts) so it can run in-process in tests.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { hdf5Runtime } from '../hdf5/h5-runtime.js';
import { FileSession } from './file-session.js';
import { readSlice, readTableRows, tree } from '../hdf5/browse.js';
import { listPmtGeometries, loadPmtGeometry } from '../watchmal/pmt-geometry.js';
import { runExport } from './run-export.js';
import type { ExportProgress } from '../export/export-types.js';
import type { Hdf5Request, Hdf5Results, RequestOf } from './hdf5-protocol.js';
import { dl1Format } from '../formats/dl1-format.js';
import { watchmalHitsFormat, watchmalImagesFormat } from '../formats/watchmal-format.js';
import { simtelFormat } from '../formats/simtel-format.js';
import type { Dl1Reader } from '../dl1/dl1-reader.js';
import type { SimtelReader } from '../simtel/simtel-reader.js';
import { dl1Waveforms } from '../dl1/dl1-waveforms.js';
import { dl1WaveformLevels, dl1WaveformSums } from '../dl1/dl1-waveform-sums.js';

export class WorkerState {
  sessions = new Map<string, FileSession>();
  constructor(readonly debug = false) {}

  session(fileId: string): FileSession {
    const s = this.sessions.get(fileId);
    if (!s) throw new Hdf5Error('not-open', `no open file with id "${fileId}" (open it first)`);
    return s;
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}

/** the reader of a file with array events: ctapipe DL1 or sim_telarray (the same surface) */
function arrayEvents(state: WorkerState, fileId: string): Dl1Reader | SimtelReader {
  return state.session(fileId).require<Dl1Reader | SimtelReader>(dl1Format, simtelFormat);
}

type Handler<T extends Hdf5Request['type']> = (
  req: RequestOf<T>,
  state: WorkerState,
  progress: (p: ExportProgress) => void,
) => Hdf5Results[T] | Promise<Hdf5Results[T]>;

const handlers: { [T in Hdf5Request['type']]: Handler<T> } = {
  async open(req, state) {
    const old = state.sessions.get(req.fileId);
    if (old) {
      old.close();
      state.sessions.delete(req.fileId);
    }
    const s = await FileSession.open(req.path);
    state.sessions.set(req.fileId, s);
    try {
      return s.summary();
    } catch (err) {
      s.close();
      state.sessions.delete(req.fileId);
      throw err;
    }
  },
  close(req, state) {
    const s = state.sessions.get(req.fileId);
    if (s) {
      s.close();
      state.sessions.delete(req.fileId);
    }
    return { closed: !!s };
  },
  summary: (req, state) => state.session(req.fileId).summary(),
  tree: (req, state) => tree(state.session(req.fileId).file, req.path ?? '/', req.maxDepth ?? 64),
  readSlice: (req, state) => readSlice(state.session(req.fileId).file, req.path, req.start, req.count),
  readTableRows(req, state) {
    const s = state.session(req.fileId);
    return readTableRows(s.file, s.cache, req.path, req.start, req.count, req.columns);
  },
  dl1Subarray: (req, state) => arrayEvents(state, req.fileId).subarray,
  dl1EventIndex: (req, state) => arrayEvents(state, req.fileId).index,
  dl1Event(req, state) {
    const r = arrayEvents(state, req.fileId);
    let index = req.index;
    if (index === undefined) {
      if (req.obsId === undefined || req.eventId === undefined) throw new Hdf5Error('bad-request', 'dl1Event needs an index or obsId + eventId', r.file.path);
      index = r.findEvent(req.obsId, req.eventId);
      if (index < 0) throw new Hdf5Error('bad-request', `${r.file.path}: no event with obs_id ${req.obsId}, event_id ${req.eventId}`, r.file.path);
    }
    return r.event(index, req.options);
  },
  waveforms(req, state) {
    const s = state.session(req.fileId);
    if (s.format.id === simtelFormat.id) return s.require(simtelFormat).waveforms(req);
    return dl1Waveforms(s.require(dl1Format), req);
  },
  waveformLevels(req, state) {
    const s = state.session(req.fileId);
    if (s.format.id === simtelFormat.id) return s.require(simtelFormat).waveformLevels(req.fileId);
    return dl1WaveformLevels(s.require(dl1Format), req.fileId);
  },
  waveformSums(req, state) {
    const s = state.session(req.fileId);
    if (s.format.id === simtelFormat.id) return s.require(simtelFormat).waveformSums(req);
    return dl1WaveformSums(s.require(dl1Format), req);
  },
  simtelParameters: (req, state) =>
    state
      .session(req.fileId)
      .require(simtelFormat)
      .parameterChunk(req.start, req.budgetMs ?? 250, req.extractor),
  watchmalEvent: (req, state) =>
    state
      .session(req.fileId)
      .require(watchmalHitsFormat, watchmalImagesFormat)
      .event(req.index, req.withHits ?? true),
  pmtGeometry(req, state) {
    if (req.name) return { geometry: loadPmtGeometry(req.name), choice: null };
    if (!req.fileId) throw new Hdf5Error('bad-request', 'pmtGeometry needs a geometry name or an open WatChMaL file');
    const w = state.session(req.fileId).require(watchmalHitsFormat, watchmalImagesFormat);
    const choice = w.suggestGeometry();
    if (!choice) {
      throw new Hdf5Error(
        'unknown-layout',
        `${w.file.path}: no known PMT geometry has enough PMTs for this file's hit_pmt values; choose one by name (${listPmtGeometries()
          .map((g) => g.name)
          .join(', ')})`,
        w.file.path,
      );
    }
    return { geometry: loadPmtGeometry(choice.name), choice };
  },
  listPmtGeometries: () => listPmtGeometries(),
  export: (req, _state, progress) => runExport(req, progress),
  async stats(_req, state) {
    const { module, pluginDir } = await hdf5Runtime();
    const mem = process.memoryUsage();
    let cacheBytes = 0;
    for (const s of state.sessions.values()) cacheBytes += s.cache.sizeBytes;
    return {
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      wasmHeapBytes: module.HEAPU8.byteLength,
      openFiles: [...state.sessions.values()].map((s) => s.path),
      cacheBytes,
      pluginDir,
    };
  },
  async debug(req, state) {
    if (!state.debug) throw new Hdf5Error('bad-request', 'debug requests are disabled');
    if (req.action === 'exit') process.exit(3);
    if (req.action === 'throw') throw new Error('debug: thrown on request');
    const until = Date.now() + (req.ms ?? 1000);
    while (Date.now() < until) {
      // busy: simulates a stuck read that only a restart can end
    }
    return { done: true as const };
  },
};

export async function handleRequest(req: Hdf5Request, state: WorkerState, progress: (p: ExportProgress) => void): Promise<unknown> {
  const h = handlers[req.type] as Handler<typeof req.type>;
  return h(req as never, state, progress);
}
