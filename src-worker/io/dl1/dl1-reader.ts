/**
 * Reader of ctapipe DL1 (+DL2, +simulation) HDF5 files, as written by
 * ctapipe-process: the subarray, the event index, and for any event by index
 * or (obs_id, event_id) the triggered telescopes' images, peak times, masks
 * and parameters, the simulated shower and the DL2 geometry. Rows come
 * through a shared chunk cache, so stepping through events decompresses each
 * chunk once.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import type { H5File } from '../hdf5/h5-file.js';
import { readAttrs } from '../hdf5/h5-attrs.js';
import { ChunkCache, TableReader } from '../hdf5/table-reader.js';
import { decodeColumn, scalarAt } from '../hdf5/column-decode.js';
import { readSubarray } from './dl1-subarray.js';
import { EventLookup, readEventIndex, readTelescopeEventLists } from './dl1-event-index.js';
import { RowLocator } from './row-locator.js';
import type { Dl1Event, Dl1EventIndex, Dl1EventOptions, Dl1Subarray, Dl1Summary, Dl1TelescopeEvent, ScalarRecord } from './dl1-types.js';
import { DL1_PATHS, telTableName } from './dl1-layout.js';

/** True when the file looks like a ctapipe DL1 file. */
export function isDl1File(file: H5File): boolean {
  return file.hasDataset(DL1_PATHS.subarrayLayout) && file.hasDataset(DL1_PATHS.subarrayTrigger);
}

const KEY_COLUMNS = new Set(['obs_id', 'event_id', 'tel_id']);
/** array columns up to this many elements are included in row records */
const MAX_RECORD_ARRAY = 256;

export class Dl1Reader {
  readonly subarray: Dl1Subarray;
  readonly index: Dl1EventIndex;
  readonly lookup: EventLookup;
  private telEvents: Map<number, Int32Array>;
  private locators = new Map<string, RowLocator | null>();

  constructor(
    readonly file: H5File,
    readonly cache: ChunkCache = new ChunkCache(),
  ) {
    if (!isDl1File(file)) {
      throw new Hdf5Error(
        'unknown-layout',
        `${file.path}: not a ctapipe DL1 file (needs ${DL1_PATHS.subarrayLayout} and ${DL1_PATHS.subarrayTrigger})`,
        file.path,
      );
    }
    this.subarray = readSubarray(file, cache);
    const maskTelIds = this.subarray.telescopes.map((t) => t.telId);
    this.index = readEventIndex(file, cache, maskTelIds);
    this.lookup = new EventLookup(this.index.obsId, this.index.eventId);
    this.telEvents = readTelescopeEventLists(file, cache, this.lookup);
  }

  get nEvents(): number {
    return this.index.nEvents;
  }

  /** Event index of (obs_id, event_id), or -1. */
  findEvent(obsId: number, eventId: number): number {
    return this.lookup.find(obsId, eventId);
  }

  /** Telescope ids that triggered in event `i`, ascending. */
  triggeredTelIds(i: number): number[] {
    const { maskTelIds, telsWithTrigger } = this.index;
    const n = maskTelIds.length;
    const out: number[] = [];
    for (let j = 0; j < n; j++) if (telsWithTrigger[i * n + j]) out.push(maskTelIds[j]);
    return out;
  }

  /** The locator of table `path`, `telId` for per-telescope tables; null when the table is absent. */
  locator(path: string, telId: number | null): RowLocator | null {
    let loc = this.locators.get(path);
    if (loc !== undefined) return loc;
    if (!this.file.hasDataset(path)) {
      this.locators.set(path, null);
      return null;
    }
    const table = new TableReader(this.file, path, this.cache);
    let eventOfRow: Int32Array | null = null;
    if (telId === null) {
      if (table.nRows === this.nEvents) eventOfRow = Int32Array.from({ length: this.nEvents }, (_, i) => i);
    } else {
      eventOfRow = this.telEvents.get(telId) ?? null;
    }
    loc = new RowLocator(
      table,
      eventOfRow,
      (o, e) => this.lookup.find(o, e),
      (i) => this.index.obsId[i],
      (i) => this.index.eventId[i],
    );
    this.locators.set(path, loc);
    return loc;
  }

  private scalarRow(path: string, telId: number | null, event: number): ScalarRecord | undefined {
    const loc = this.locator(path, telId);
    if (!loc) return undefined;
    const row = loc.find(event);
    if (row < 0) return undefined;
    const t = loc.table;
    const fields = t.fields.filter((f) => f.count <= MAX_RECORD_ARRAY && !KEY_COLUMNS.has(f.name));
    const raw = t.rawRows(row, 1);
    const out: ScalarRecord = {};
    for (const f of fields) {
      const col = decodeColumn(raw, t.rowSize, 1, f);
      if (f.count === 1 && f.shape.length === 0) out[f.name] = scalarAt(col, 0, f.kind);
      else if (Array.isArray(col)) out[f.name] = col;
      else if (f.kind === 'bool') out[f.name] = Array.from(col as Uint8Array, (v) => v !== 0);
      else out[f.name] = Array.from(col as ArrayLike<number | bigint>, Number);
    }
    return out;
  }

  /** Groups below `group` (e.g. the reconstructors of DL2 geometry). */
  private children(group: string): string[] {
    return this.file.kindOf(group) === 'group' ? this.file.keys(group) : [];
  }

  reconstructors(): string[] {
    return this.children(DL1_PATHS.dl2Geometry);
  }

  checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.nEvents) {
      throw new Hdf5Error('bad-request', `${this.file.path}: event index ${i} out of range (the file has ${this.nEvents} events)`, this.file.path);
    }
  }

  /** Image, peak time, mask and validity of telescope `telId` in event `i`, if the file has them. */
  telescopeImage(i: number, telId: number): Pick<Dl1TelescopeEvent, 'image' | 'peakTime' | 'imageMask' | 'isValid'> | undefined {
    const loc = this.locator(`${DL1_PATHS.images}/${telTableName(telId)}`, telId);
    if (!loc) return undefined;
    const row = loc.find(i);
    if (row < 0) return undefined;
    const t = loc.table;
    const raw = t.rawRows(row, 1);
    const out: Pick<Dl1TelescopeEvent, 'image' | 'peakTime' | 'imageMask' | 'isValid'> = {};
    if (t.hasField('image')) out.image = toF32(decodeColumn(raw, t.rowSize, 1, t.field('image')));
    if (t.hasField('peak_time')) out.peakTime = toF32(decodeColumn(raw, t.rowSize, 1, t.field('peak_time')));
    if (t.hasField('image_mask')) out.imageMask = decodeColumn(raw, t.rowSize, 1, t.field('image_mask')) as Uint8Array;
    if (t.hasField('is_valid')) {
      const f = t.field('is_valid');
      // a one-byte bool needs no column buffer
      out.isValid = f.kind === 'bool' && f.size === 1 ? raw[f.offset] !== 0 : (scalarAt(decodeColumn(raw, t.rowSize, 1, f), 0, 'bool') as boolean);
    }
    return out;
  }

  event(i: number, opts: Dl1EventOptions = {}): Dl1Event {
    this.checkIndex(i);
    const { images = true, parameters = true, simulation = true, dl2 = true } = opts;
    const telIds = this.triggeredTelIds(i);
    const wanted = opts.telIds ? telIds.filter((t) => opts.telIds!.includes(t)) : telIds;
    const camByTel = new Map(this.subarray.telescopes.map((t) => [t.telId, t.cameraName]));
    const reconstructors = dl2 ? this.reconstructors() : [];
    const telescopes: Dl1TelescopeEvent[] = wanted.map((telId) => {
      const name = telTableName(telId);
      const te: Dl1TelescopeEvent = { telId, cameraName: camByTel.get(telId) ?? '' };
      if (images) Object.assign(te, this.telescopeImage(i, telId));
      if (parameters) te.parameters = this.scalarRow(`${DL1_PATHS.parameters}/${name}`, telId, i);
      if (simulation) {
        const loc = images ? this.locator(`${DL1_PATHS.simImages}/${name}`, telId) : null;
        const row = loc ? loc.find(i) : -1;
        if (loc && row >= 0 && loc.table.hasField('true_image')) {
          const t = loc.table;
          te.trueImage = decodeColumn(t.rawRows(row, 1), t.rowSize, 1, t.field('true_image')) as Int32Array;
        }
        if (parameters) te.trueParameters = this.scalarRow(`${DL1_PATHS.simParameters}/${name}`, telId, i);
        te.trueImpact = this.scalarRow(`${DL1_PATHS.simImpact}/${name}`, telId, i);
      }
      if (reconstructors.length) {
        const impact: Record<string, ScalarRecord> = {};
        for (const r of reconstructors) {
          const rec = this.scalarRow(`${DL1_PATHS.dl2Impact}/${r}/${name}`, telId, i);
          if (rec) impact[r] = rec;
        }
        if (Object.keys(impact).length) te.impact = impact;
      }
      return te;
    });
    const ev: Dl1Event = {
      index: i,
      obsId: this.index.obsId[i],
      eventId: this.index.eventId[i],
      timeS: this.index.timeS[i],
      timeQns: this.index.timeQns[i],
      eventType: this.index.eventType[i],
      telIds,
      telescopes,
    };
    if (simulation) ev.shower = this.scalarRow(DL1_PATHS.shower, null, i);
    if (reconstructors.length) {
      const geometry: Record<string, ScalarRecord> = {};
      for (const r of reconstructors) {
        const rec = this.scalarRow(`${DL1_PATHS.dl2Geometry}/${r}`, null, i);
        if (rec) geometry[r] = rec;
      }
      ev.geometry = geometry;
    }
    return ev;
  }

  summary(): Dl1Summary {
    const root = readAttrs(this.file, '/');
    const rootAttributes: Dl1Summary['rootAttributes'] = {};
    for (const [k, v] of Object.entries(root)) rootAttributes[k] = Array.isArray(v) ? JSON.stringify(v) : v;
    const levels = typeof root['CTA PRODUCT DATA LEVELS'] === 'string' ? root['CTA PRODUCT DATA LEVELS'].split(',').filter(Boolean) : [];
    return {
      kind: 'dl1',
      file: this.file.path,
      nEvents: this.nEvents,
      subarrayName: this.subarray.name,
      telescopes: this.subarray.telescopes.map((t) => {
        const listed = this.telEvents.get(t.telId)?.length;
        let nEvents = listed ?? 0;
        if (listed === undefined) {
          const p = `${DL1_PATHS.images}/${telTableName(t.telId)}`;
          if (this.file.hasDataset(p)) nEvents = this.file.metadata(p).shape?.[0] ?? 0;
        }
        return {
          telId: t.telId,
          name: t.name,
          type: t.type,
          cameraName: t.cameraName,
          nPixels: this.subarray.cameras[t.cameraName]?.nPixels ?? 0,
          nEvents,
        };
      }),
      cameras: Object.values(this.subarray.cameras).map((c) => ({ name: c.name, nPixels: c.nPixels, pixType: c.pixType })),
      dataLevels: levels,
      reconstructors: this.reconstructors(),
      hasSimulation: this.file.hasDataset(DL1_PATHS.shower),
      rootAttributes,
    };
  }
}

function toF32(c: ReturnType<typeof decodeColumn>): Float32Array {
  if (c instanceof Float32Array) return c;
  if (Array.isArray(c)) return Float32Array.from(c, Number);
  return Float32Array.from(c as ArrayLike<number>);
}
