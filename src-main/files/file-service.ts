/**
 * The files a session has open and the handlers of the file API: open, close,
 * browse (tree, slices, table rows), events, PMT geometry, export. All HDF5
 * work happens in the HDF5 worker thread behind `Hdf5Client`, which
 * recognises each file's format through the file-format registry
 * (src-worker/io/formats); what a file is here is what its format offers.
 */
import { EventEmitter } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import type { FileEvent, FileOpenResult, FileReplies, FileStreams, FormatOffer, fileRequestSchemas } from '../api/file-contract.js';
import type { z } from 'zod';
import { Hdf5Client } from './hdf5-client.js';
import { Dl1Files } from './dl1-files.js';
import { ExportJobs } from './export-jobs.js';
import type { FileSummary } from '../../src-worker/io/service/hdf5-protocol.js';
import { ApiError } from '../util/errors.js';
import { logger } from '../util/log.js';
import { fullAccess, type FileAccess } from './file-access.js';
import {
  DEFAULT_IMAGE_EXTRACTOR,
  IMAGE_EXTRACTOR_TYPES,
  resolveImageExtractorConfig,
  type ResolvedImageExtractorConfig,
} from '../../src-worker/calib/image-extractor.js';
import { browseData } from './data-browser.js';

const log = logger('files');

type FileMethod = keyof typeof fileRequestSchemas;
type FileParams<M extends FileMethod> = z.infer<(typeof fileRequestSchemas)[M]>;
export type FileHandlers = { [M in FileMethod]: (p: FileParams<M>) => Promise<FileReplies[M]> | FileReplies[M] };
type StreamEvents = { [K in keyof FileStreams]: [FileStreams[K]] };

export interface OpenFile {
  fileId: string;
  path: string;
  summary: FileSummary;
  info: FileOpenResult;
  /** sim_telarray files: the image extractor chosen with file.extractor (absent: ctapipe's default) */
  extractor?: ResolvedImageExtractorConfig;
}

export interface FileServiceOptions {
  /** the HDF5 client to use (default: one started on first use, with the bundled worker) */
  client?: Hdf5Client;
  /** where files may be read and written (default: anywhere; serve mode: its data directories) */
  access?: FileAccess;
  /** the bundled sim_telarray export thread (default dist/worker/simtel-export-thread.js) */
  simtelExportWorkerPath?: string;
}

export class FileService extends EventEmitter<StreamEvents> {
  private client: Hdf5Client | undefined;
  private readonly files = new Map<string, OpenFile>();
  /** exports whose output path is being checked, by job id */
  private readonly preparing = new Map<string, { cancelled: boolean }>();
  private readonly dl1 = new Dl1Files(() => this.hdf5);
  private readonly exports: ExportJobs;

  readonly access: FileAccess;

  constructor(options: FileServiceOptions = {}) {
    super();
    this.client = options.client;
    this.access = options.access ?? fullAccess;
    this.exports = new ExportJobs(
      () => this.hdf5,
      (m) => this.emit('export-progress', m),
      100,
      options.simtelExportWorkerPath,
    );
  }

  get hdf5(): Hdf5Client {
    this.client ??= new Hdf5Client();
    return this.client;
  }

  /** the open file with this id, or a not-found error naming it */
  file(fileId: string): OpenFile {
    const f = this.files.get(fileId);
    if (!f) throw new ApiError('not-found', `no open file with id "${fileId}" (it was closed, or the backend restarted): open the file again`);
    return f;
  }

  list(): FileOpenResult[] {
    return [...this.files.values()].map((f) => f.info);
  }

  async open(given: string): Promise<FileOpenResult> {
    const path = await this.access.place(given, 'read');
    if (!existsSync(path)) throw new ApiError('not-found', `cannot open ${path}: no such file`);
    if (!statSync(path).isFile()) throw new ApiError('failed', `cannot open ${path}: it is not a regular file`);
    const { fileId, summary } = await this.hdf5.open(path);
    for (const f of this.files.values()) {
      if (f.path === path) await this.close(f.fileId).catch(() => undefined);
    }
    const info: FileOpenResult = {
      fileId,
      path,
      kind: summary.kind,
      format: summary.format,
      summary: summary.description,
      eventCount: summary.eventCount,
      size: summary.size,
    };
    this.files.set(fileId, { fileId, path, summary, info });
    log.info(`opened ${path} (${summary.format.label}) as ${fileId}`);
    this.emit('file-opened', info);
    return info;
  }

  async close(fileId: string): Promise<{ closed: boolean }> {
    if (!this.files.delete(fileId)) return { closed: false };
    this.dl1.forget(fileId);
    await this.client?.close(fileId);
    return { closed: true };
  }

  readonly handlers: FileHandlers = {
    'file.open': (p) => this.open(p.path),
    'file.browse': (p) => browseData(this.access, p.dir),
    'file.close': (p) => this.close(p.fileId),
    'file.list': () => this.list(),
    'file.tree': (p) => this.hdf5.request({ type: 'tree', fileId: this.file(p.fileId).fileId, path: p.path, maxDepth: p.maxDepth }),
    'file.readSlice': (p) => this.hdf5.request({ type: 'readSlice', fileId: this.file(p.fileId).fileId, path: p.path, start: p.start, count: p.count }),
    'file.readTableRows': (p) =>
      this.hdf5.request({
        type: 'readTableRows',
        fileId: this.file(p.fileId).fileId,
        path: p.path,
        start: p.start,
        count: p.count,
        columns: p.columns,
      }),
    'file.subarray': (p) => this.dl1.subarray(this.offering(p.fileId, 'subarray')),
    'file.geometry': (p) => this.dl1.geometry(this.offering(p.fileId, 'subarray'), p.camera),
    'file.findEvent': async (p) => {
      const f = this.offering(p.fileId, 'array-events');
      return { index: await this.dl1.findEvent(f, p.obsId, p.eventId) };
    },
    'file.event': async (p) => {
      const f = this.file(p.fileId);
      const offer = EVENT_OFFERS.find((o) => f.info.format.offers.includes(o));
      if (!offer) throw new ApiError('failed', `${f.path} has no events Lightpool can show (${f.info.summary}); browse it in the Browser tab`);
      return this.eventReaders[offer](f, checkIndex(f, p.index));
    },
    'file.waveforms': (p) => {
      const f = this.file(p.fileId);
      if (!f.info.format.offers.includes('waveforms') && f.info.format.id !== 'dl1') {
        throw new ApiError('bad-request', `${f.path} has no pixel waveforms (${f.info.summary})`);
      }
      checkIndex(f, p.index);
      const req = { type: 'waveforms' as const, fileId: f.fileId, index: p.index, telId: p.telId, pixels: p.pixels, r0: p.r0 };
      return this.hdf5.request(f.extractor ? { ...req, extractor: f.extractor } : req);
    },
    'file.extractor': (p) => {
      const f = this.file(p.fileId);
      if (p.extractor !== undefined) {
        if (f.info.format.id !== 'simtel') {
          throw new ApiError(
            'bad-request',
            `${f.path}: the image extractor can be chosen for sim_telarray files, whose images Lightpool computes from the waveforms; this file (${f.info.format.label}) holds its images`,
          );
        }
        if (p.extractor === null) delete f.extractor;
        else f.extractor = resolveImageExtractorConfig(p.extractor);
      }
      return {
        extractor: f.extractor ?? DEFAULT_IMAGE_EXTRACTOR,
        isDefault: !f.extractor,
        choosable: f.info.format.id === 'simtel',
        types: [...IMAGE_EXTRACTOR_TYPES],
      };
    },
    'file.waveformLevels': async (p) => {
      const f = this.file(p.fileId);
      if (!f.info.format.offers.includes('waveforms') && f.info.format.id !== 'dl1') {
        const why = `${f.path} has no pixel waveforms (${f.info.summary})`;
        const none = (unit: string) => ({ available: false, why, gains: 0, unit, what: '' });
        return { fileId: f.fileId, r0: none('ADC counts'), r1: none('p.e.') };
      }
      return this.hdf5.request({ type: 'waveformLevels', fileId: f.fileId });
    },
    'file.waveformSums': async (p) => {
      const f = this.file(p.fileId);
      if (!f.info.format.offers.includes('waveforms') && f.info.format.id !== 'dl1') {
        throw new ApiError('bad-request', `${f.path} has no pixel waveforms (${f.info.summary})`);
      }
      checkIndex(f, p.index);
      return this.hdf5.request({ type: 'waveformSums', fileId: f.fileId, index: p.index, level: p.level, gain: p.gain, telIds: p.telIds });
    },
    'file.pmtGeometry': async (p) => {
      const f = this.file(p.fileId);
      const r = await this.hdf5.request({ type: 'pmtGeometry', fileId: f.fileId, name: p.name });
      return r.geometry;
    },
    'file.export': async (p) => {
      const f = this.file(p.fileId);
      if (!f.info.format.offers.includes('subset-export')) {
        throw new ApiError(
          'bad-request',
          `cannot export events of ${f.path}: subsets are written for ctapipe DL1, WatChMaL and sim_telarray files only (this is ${f.info.format.label})`,
        );
      }
      // the job's id is taken before the path is checked, so a cancel that arrives meanwhile is not lost
      const preparing = { cancelled: false };
      if (p.jobId) {
        if (this.preparing.has(p.jobId)) throw new ApiError('bad-request', `export job id "${p.jobId}" is in use`);
        this.preparing.set(p.jobId, preparing);
      }
      let out: string;
      try {
        out = await this.access.place(p.out, 'write');
      } finally {
        if (p.jobId) this.preparing.delete(p.jobId);
      }
      const what = p.selection.kind === 'where' ? `where ${p.selection.expr}` : `${p.selection.indices.length} selected events`;
      if (f.info.format.id === 'simtel') {
        const started = this.exports.startSimtel({
          fileId: f.fileId,
          input: f.path,
          out,
          events: await this.simtelEvents(f, p.selection),
          writeWaveforms: p.writeWaveforms,
          overwrite: p.overwrite,
          jobId: p.jobId,
          action: `Lightpool UI: export ${what} of ${f.path} to DL1${p.writeWaveforms ? ' with waveforms' : ''}`,
        });
        if (preparing.cancelled) this.exports.cancel(started.jobId);
        return started;
      }
      if (p.writeWaveforms) throw new ApiError('bad-request', `writeWaveforms: ${f.path} is not a sim_telarray file (its subset keeps the tables it has)`);
      const started = this.exports.start({
        fileId: f.fileId,
        input: f.path,
        out,
        selection: p.selection,
        overwrite: p.overwrite,
        jobId: p.jobId,
        action: `Lightpool UI: export ${what} of ${f.path}`,
      });
      if (preparing.cancelled) this.exports.cancel(started.jobId); // the stream reports it cancelled
      return started;
    },
    'file.exportCancel': (p) => {
      const preparing = this.preparing.get(p.jobId);
      if (preparing) preparing.cancelled = true;
      return { cancelled: Boolean(preparing) || this.exports.cancel(p.jobId) };
    },
  };

  /** (obs_id, event_id) of the chosen events of an open sim_telarray file */
  private async simtelEvents(f: OpenFile, selection: FileParams<'file.export'>['selection']): Promise<{ obsId: number; eventId: number; index: number }[]> {
    if (selection.kind !== 'indices') {
      throw new ApiError(
        'bad-request',
        `cannot select events of ${f.path} by a cut: a sim_telarray file stores no parameters; choose the events by index or bookmarks`,
      );
    }
    const index = await this.hdf5.request({ type: 'dl1EventIndex', fileId: f.fileId });
    return [...new Set(selection.indices)]
      .sort((a, b) => a - b)
      .map((i) => {
        checkIndex(f, i);
        return { obsId: index.obsId[i], eventId: index.eventId[i], index: i };
      });
  }

  /** the events of a file, by what its format offers */
  private readonly eventReaders: Record<(typeof EVENT_OFFERS)[number], (f: OpenFile, index: number) => Promise<FileEvent>> = {
    'array-events': async (f, index) => ({
      kind: 'dl1',
      fileId: f.fileId,
      index,
      count: f.info.eventCount,
      event: await this.dl1.event(f, index, f.extractor),
    }),
    'tank-events': async (f, index) => ({
      kind: 'watchmal',
      fileId: f.fileId,
      index,
      count: f.info.eventCount,
      event: await this.hdf5.request({ type: 'watchmalEvent', fileId: f.fileId, index, withHits: true }),
    }),
  };

  /** an open file whose format offers `what`, or an error saying what the file is instead */
  offering(fileId: string, what: FormatOffer): OpenFile {
    const f = this.file(fileId);
    if (!f.info.format.offers.includes(what)) throw new ApiError('bad-request', `${f.path} is not a ctapipe DL1 file (${f.info.summary})`);
    return f;
  }

  async dispose(): Promise<void> {
    this.exports.cancelAll();
    this.files.clear();
    await this.client?.dispose();
  }
}

/** the offers whose events file.event shows */
const EVENT_OFFERS = ['array-events', 'tank-events'] as const satisfies readonly FormatOffer[];

function checkIndex(f: OpenFile, index: number): number {
  if (index >= f.info.eventCount) {
    throw new ApiError('not-found', `event index ${index} is out of range: ${f.path} has ${f.info.eventCount} events (0…${f.info.eventCount - 1})`);
  }
  return index;
}
