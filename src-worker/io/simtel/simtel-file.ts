/**
 * A sim_telarray file as ctapipe 0.26's SimTelEventSource sees it, over the
 * streaming EventIO reader: `openSimtelFile(path)` scans the file once (the
 * run-level objects are parsed on the way, events are only indexed), builds
 * the subarray as ctapipe does, and then gives any event by index
 * (`event(i)`), reading only that event's objects.
 *
 * The event assembly follows pyeventio's SimTelFile and ctapipe:
 * - an event is an ArrayEvent (2010); the MC shower is the last one before
 *   it and it, the MC event, the true photo-electrons (1204/1208) and the
 *   photo-electron sums (2026) belong to it when their ids match its id;
 * - monitoring (2022 pedestals, 2023 dc_to_pe, 2033) is merged per
 *   telescope from every such object before the event;
 * - calibration events (2028) are skipped unless asked for (ctapipe's
 *   default), get the id -(array event id) and their calibration type;
 * - telescope events not in the trigger list are skipped, as in ctapipe.
 *
 * A truncated or corrupt file gives the events before the problem; `events()`
 * then throws the problem ("truncated after event N", naming the file) and
 * `info().problem` holds it.
 */
import { ByteReader } from '../eventio/byte-reader.js';
import { EventIOError } from '../eventio/eventio-errors.js';
import { EventIOFile, type EventIOFileOptions } from '../eventio/eventio-file.js';
import { listSubObjects, type ObjectHeader } from '../eventio/object-header.js';
import { parseArrayEvent, type ArrayEventParts, type RawArrayEvent } from './array-event.js';
import { isTelescopeEventType, isTrackingType, objectName, OBJECT_NAMES } from './object-types.js';
import { parseMCEvent, parseMCPhotoelectronSum, parseMCShower, parsePhotoElectrons, type PhotoElectrons } from './objects/mc-objects.js';
import {
  mergeMonitoring,
  parseCameraMonitoring,
  parseLaserCalibration,
  parsePixelMonitoring,
  type CameraMonitoring,
  type LaserCalibration,
  type PixelMonitoring,
} from './objects/monitoring-objects.js';
import type { RunHeader } from './objects/run-headers.js';
import { buildSimtelCamera } from './simtel-camera.js';
import { buildSimulationConfig, hasTrueImage } from './simtel-run.js';
import { SimtelIndex, type DescriptionParts, type EventEntry } from './simtel-index.js';
import { clipAltitude } from './simtel-altitude.js';
import type { AdcSamples, AdcSums } from './objects/adc-data.js';
import type { PixelNeighbors } from '../../instrument/neighbors.js';
import {
  EventType,
  type R0Waveforms,
  type SimtelEvent,
  type SimtelFileInfo,
  type SimtelObjectSummary,
  type SimtelRun,
  type SimtelShower,
  type SimtelSubarray,
  type SimtelTelescope,
  type SimtelTelescopeEvent,
  type SimtelTrigger,
} from './simtel-types.js';
import { guessTelescope, telescopeFromMeta, unknownTelescope } from './telescope-guess.js';

export interface OpenSimtelOptions extends EventIOFileOptions {
  /** include calibration events (2028) in the event list (ctapipe's default: skip them) */
  calibrationEvents?: boolean;
  /**
   * the camera frame's focal length: 'EFFECTIVE' (ctapipe's default; an
   * error when the file has none), 'EQUIVALENT', or 'AUTO' (default here:
   * effective when the file has it, else equivalent with a warning)
   */
  focalLengthChoice?: 'EFFECTIVE' | 'EQUIVALENT' | 'AUTO';
  /**
   * 'full' (default): scan the whole file at open, so nEvents is final;
   * 'lazy': scan only up to the first event (the subarray is built), then
   * index further as events are asked for (`indexMore`, `indexAll`)
   */
  index?: 'full' | 'lazy';
  /** called now and then during the scan */
  onProgress?: (fileBytes: number, fileSize: number, objects: number) => void;
  signal?: AbortSignal;
}

/** a telescope's monitoring as of an event: every object of each kind before it, merged in file order (pyeventio's dict.update) */
interface MergedMonitoring {
  cam: Partial<CameraMonitoring> | null;
  las: Partial<LaserCalibration> | null;
  pix: Partial<PixelMonitoring> | null;
}

/** sim_telarray calibration type → ctapipe EventType (SIMTEL_TO_CTA_EVENT_TYPE) */
const CALIBRATION_EVENT_TYPES: Record<number, number> = {
  0: EventType.DARK_PEDESTAL,
  1: EventType.SKY_PEDESTAL,
  2: EventType.SINGLE_PE,
  3: EventType.FLATFIELD,
  [-1]: EventType.OTHER_CALIBRATION,
};

/** ctapipe's limit between "dim, true image missing" and "too bright, event truncated" */
const MISSING_IMAGE_BRIGHTNESS_LIMIT = 1_000_000;

const DESCRIPTION_TYPES = new Set([2002, 2003, 2004, 2005, 2006, 2007, 2008]);
const READ_TYPES = new Set([
  70, 71, 72, 75, 1204, 1208, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2016, 2020, 2021, 2022, 2023, 2026, 2027,
  2028, 2033, 2034,
]);

export class SimtelFile {
  readonly path: string;
  readonly run: SimtelRun;
  readonly subarray: SimtelSubarray;
  private readonly file: EventIOFile;
  private readonly index: SimtelIndex;
  private readonly telById: Map<number, SimtelTelescope>;
  private readonly le: boolean;
  private readonly parsedMonitoring = new Map<number, object>();
  private closed = false;

  private constructor(path: string, file: EventIOFile, index: SimtelIndex, run: SimtelRun, subarray: SimtelSubarray) {
    this.path = path;
    this.file = file;
    this.index = index;
    this.run = run;
    this.subarray = subarray;
    this.telById = new Map(subarray.telescopes.map((t) => [t.telId, t]));
    this.le = file.byteOrder === 'little';
  }

  /** Opens and scans a sim_telarray file. Throws EventIOError when it is not one or its run-level objects are unreadable. */
  static open(path: string, options: OpenSimtelOptions = {}): SimtelFile {
    const file = EventIOFile.open(path, options);
    try {
      const index = new SimtelIndex(file, options.calibrationEvents === true);
      index.scan({ untilFirstEvent: true, onProgress: options.onProgress, signal: options.signal });
      const f = SimtelFile.build(path, file, index, options);
      if (options.index !== 'lazy') f.indexAll({ onProgress: options.onProgress, signal: options.signal });
      return f;
    } catch (e) {
      file.close();
      throw e;
    }
  }

  private static build(path: string, file: EventIOFile, index: SimtelIndex, options: OpenSimtelOptions): SimtelFile {
    const warnings = index.warnings;
    if (!index.runHeader) {
      throw new EventIOError(
        file.problem ? file.problem.kind : 'corrupt',
        path,
        `${path}: no sim_telarray run header (2000) ${file.problem ? 'before the file stops making sense: ' + file.problem.message : 'before the first event: is it a CORSIKA file rather than sim_telarray output?'}`,
      );
    }
    const rh: RunHeader = index.runHeader;
    const mcRunHeader = index.mcRunHeaders.length ? index.mcRunHeaders[index.mcRunHeaders.length - 1] : null;
    const run: SimtelRun = {
      obsId: rh.run,
      runHeader: rh,
      mcRunHeaders: index.mcRunHeaders,
      simulationConfig: mcRunHeader ? buildSimulationConfig(rh, mcRunHeader) : null,
      pointing: rh.trackingMode === 0 ? { azimuth: rh.direction[0], altitude: rh.direction[1] } : { ra: rh.direction[0], dec: rh.direction[1] },
      history: index.history,
      globalMeta: index.globalMeta,
      telescopeMeta: index.telescopeMeta,
      hasTrueImage: hasTrueImage(index.history, warnings),
    };
    let subarray: SimtelSubarray;
    try {
      subarray = buildSubarray(path, run, index.descriptions, options.focalLengthChoice ?? 'AUTO', warnings);
    } catch (e) {
      if (e instanceof EventIOError) throw e;
      throw new EventIOError('corrupt', path, `${path}: the telescope descriptions make no camera: ${(e as Error).message}`);
    }
    return new SimtelFile(path, file, index, run, subarray);
  }

  /** Whether the whole file has been scanned (nEvents is final). */
  get indexComplete(): boolean {
    return this.file.scanComplete;
  }

  /** Scans up to `maxObjects` more top-level objects; returns whether the index is complete. */
  indexMore(maxObjects = 1000, options: { signal?: AbortSignal } = {}): boolean {
    if (!this.file.scanComplete) this.index.scan({ maxObjects, signal: options.signal });
    return this.file.scanComplete;
  }

  /** Scans to the end of the file (progress in compressed bytes of the file). */
  indexAll(options: { onProgress?: (fileBytes: number, fileSize: number, objects: number) => void; signal?: AbortSignal } = {}): void {
    if (!this.file.scanComplete) this.index.scan(options);
  }

  /** Messages about things read but not used (later descriptions, unreadable history ...). */
  get warnings(): string[] {
    return this.index.warnings;
  }

  /** Why the events stop before the end of the file (null: they do not, or the scan has not got there). */
  get problemAfter(): EventIOError | null {
    return this.file.problem ? wrapProblem(this.file.problem, this.path, this.index.events.length) : null;
  }

  /** Events indexed so far (all of them once `indexComplete`). */
  get nEvents(): number {
    return this.index.events.length;
  }

  /** Summary of the file: compression, sizes, counts, object types, problem. */
  info(): SimtelFileInfo {
    const counts = new Map<number, { count: number; versions: Set<number> }>();
    for (let i = 0; i < this.file.objectCount; i++) {
      const o = this.file.object(i);
      let c = counts.get(o.type);
      if (!c) counts.set(o.type, (c = { count: 0, versions: new Set() }));
      c.count++;
      c.versions.add(o.version);
    }
    const objects: SimtelObjectSummary[] = [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([type, c]) => ({ type, name: objectName(type), count: c.count, versions: [...c.versions].sort((a, b) => a - b), read: READ_TYPES.has(type) }));
    return {
      path: this.path,
      compression: this.file.compression,
      byteOrder: this.file.byteOrder,
      fileSize: this.file.fileSize,
      dataSize: this.file.dataSize,
      nEvents: this.index.events.length,
      nCalibrationEvents: this.index.nCalibration,
      nTopLevelObjects: this.file.objectCount,
      objects,
      problem: this.problemAfter,
      warnings: [...this.index.warnings],
    };
  }

  /** The low-level file (object index, raw contents), for listings and tools. */
  get eventio(): EventIOFile {
    return this.file;
  }

  /** Event `i` (0-based, file order). */
  event(i: number, parts: ArrayEventParts = {}): SimtelEvent {
    if (this.closed) throw new EventIOError('range', this.path, `${this.path}: the file is closed`);
    const events = this.index.events;
    while (Number.isInteger(i) && i >= events.length && !this.file.scanComplete) this.index.scan({ maxObjects: 64 });
    if (!(Number.isInteger(i) && i >= 0 && i < events.length)) {
      throw new EventIOError(
        'range',
        this.path,
        `${this.path}: no event ${i} (the file has ${events.length}${this.problemAfter ? ', then ' + this.problemAfter.message : ''})`,
      );
    }
    const e = events[i];
    this.prefetch(e);
    const raw = this.readArrayEvent(e, parts);
    return this.assemble(i, e, raw);
  }

  /** Every event in order; then throws the file's problem if it has one (truncated after event N ...). */
  *iterEvents(parts: ArrayEventParts = {}): Generator<SimtelEvent> {
    for (let i = 0; ; i++) {
      while (i >= this.index.events.length && !this.file.scanComplete) this.index.scan({ maxObjects: 64 });
      if (i >= this.index.events.length) break;
      yield this.event(i, parts);
    }
    const p = this.problemAfter;
    if (p) throw p;
  }

  close(): void {
    this.closed = true;
    this.file.close();
  }

  // --- event assembly -------------------------------------------------------

  private readArrayEvent(e: EventEntry, parts: ArrayEventParts): RawArrayEvent {
    const bytes = this.file.content(e.obj);
    try {
      if (e.kind === 'data') return parseArrayEvent(bytes, 0, bytes.length, this.le, parts);
      const subs = listSubObjects(bytes, 0, bytes.length, this.le);
      if (!subs.length || subs[0].header.type !== 2010)
        throw new Error(`calibration event without an array event (found ${subs.length ? objectName(subs[0].header.type) : 'nothing'})`);
      return parseArrayEvent(bytes, subs[0].start, subs[0].end, this.le, parts);
    } catch (err) {
      throw this.file.parseError(e.obj, err, `event ${e.eventId}`);
    }
  }

  /**
   * Reads the objects event `e` needs in file order (they lie before it, so
   * reading the event first and then them would jump back in a compressed
   * stream); they stay in the file's cache for the assembly.
   */
  private prefetch(e: EventEntry): void {
    const need = [e.showerObj, e.mcEventObj, e.telDataObj, e.peSumObj, e.calibPeObj].filter((o) => o >= 0);
    for (const m of this.index.monitoring.values())
      for (const list of [m.cam, m.las, m.pix]) for (const o of list) if (o < e.obj && !this.parsedMonitoring.has(o)) need.push(o);
    need.push(e.obj);
    need.sort((a, b) => a - b);
    for (const o of need) this.file.content(o);
  }

  private parseTop<T>(obj: number, fn: (r: ByteReader, h: ObjectHeader) => T, what: string): T {
    const bytes = this.file.content(obj);
    try {
      return fn(new ByteReader(bytes, this.le), this.file.object(obj));
    } catch (err) {
      throw this.file.parseError(obj, err, what);
    }
  }

  /** The true photo-electrons of a TelescopeData (1204) or CalibrationPhotoelectrons (2034) object, by CORSIKA telescope index. */
  private photoElectrons(obj: number): Map<number, PhotoElectrons> {
    const out = new Map<number, PhotoElectrons>();
    const bytes = this.file.content(obj);
    try {
      let subs = listSubObjects(bytes, 0, bytes.length, this.le);
      if (this.file.type(obj) === 2034) {
        if (!subs.length || subs[0].header.type !== 1204) return out;
        subs = listSubObjects(bytes, subs[0].start, subs[0].end, this.le);
      }
      for (const so of subs) {
        if (so.header.type !== 1208) continue;
        const pe = parsePhotoElectrons(new ByteReader(bytes, this.le, so.start, so.end), so.header);
        out.set(pe.telescopeId, pe);
      }
    } catch (err) {
      throw this.file.parseError(obj, err, 'true photo-electrons');
    }
    return out;
  }

  /**
   * merged monitoring per telescope and the number of objects of each kind
   * in it: events in order share it, and a later event with more objects
   * before it merges only those onto it (never all again: files with
   * monitoring between events stay linear)
   */
  private readonly mergedMonitoring = new Map<number, { counts: number[]; value: MergedMonitoring }>();
  /** pedestal per sample of a merged camera monitoring */
  private readonly pedestalsPerSample = new WeakMap<object, Float32Array>();

  private monitoringOf(telId: number, before: number): MergedMonitoring {
    const m = this.index.monitoring.get(telId);
    if (!m) return { cam: null, las: null, pix: null };
    const lists = [m.cam, m.las, m.pix];
    const counts = lists.map((list) => {
      let k = 0;
      while (k < list.length && list[k] < before) k++;
      return k;
    });
    const hit = this.mergedMonitoring.get(telId);
    if (hit && hit.counts.every((c, i) => c === counts[i])) return hit.value;
    const from = hit && hit.counts.every((c, i) => c <= counts[i]) ? hit : null;
    const parsers = [parseCameraMonitoring, parseLaserCalibration, parsePixelMonitoring] as const;
    const names = ['camera monitoring', 'laser calibration', 'pixel monitoring'];
    const merged = lists.map((list, i) => {
      let acc = (from ? [from.value.cam, from.value.las, from.value.pix][i] : null) as object | null;
      for (let k = from ? from.counts[i] : 0; k < counts[i]; k++) {
        const o = list[k];
        let parsed = this.parsedMonitoring.get(o);
        if (!parsed) this.parsedMonitoring.set(o, (parsed = this.parseTop(o, parsers[i] as (r: ByteReader, h: ObjectHeader) => object, names[i])));
        acc = acc === null ? parsed : mergeMonitoring(acc, parsed);
      }
      return acc;
    });
    const value = {
      cam: merged[0] as Partial<CameraMonitoring> | null,
      las: merged[1] as Partial<LaserCalibration> | null,
      pix: merged[2] as Partial<PixelMonitoring> | null,
    };
    this.mergedMonitoring.set(telId, { counts, value });
    return value;
  }

  private pedestalPerSample(cam: Partial<CameraMonitoring>): Float32Array | null {
    if (!cam.pedestal || cam.nPedSlices === undefined) return null;
    let p = this.pedestalsPerSample.get(cam);
    if (!p) {
      const n = cam.nPedSlices;
      p = new Float32Array(cam.pedestal.length);
      for (let k = 0; k < p.length; k++) p[k] = cam.pedestal[k] / n;
      this.pedestalsPerSample.set(cam, p);
    }
    return p;
  }

  private assemble(index: number, e: EventEntry, raw: RawArrayEvent): SimtelEvent {
    const isData = e.kind === 'data';
    const eventType = isData ? EventType.SUBARRAY : (CALIBRATION_EVENT_TYPES[e.calibrationType ?? -1] ?? EventType.OTHER_CALIBRATION);
    const ti = raw.triggerInformation;
    const tel = new Map<number, { timeNs: number; nTriggerPixels: number; triggerPixels: Int32Array | null }>();
    for (let k = 0; k < ti.triggeredTelescopes.length; k++) {
      const id = ti.triggeredTelescopes[k];
      const te = raw.telescopeEvents.get(id);
      const pl = te?.pixelLists.get(0);
      tel.set(id, { timeNs: ti.triggerTimes[k], nTriggerPixels: pl ? pl.pixels : -1, triggerPixels: pl ? pl.pixelList : null });
    }
    const trigger: SimtelTrigger = {
      eventType,
      timeS: ti.gpsTime[0],
      timeNs: ti.gpsTime[1],
      telsWithTrigger: Array.from(ti.triggeredTelescopes),
      tel,
      raw: ti,
    };

    // simulation truth belongs to the event when the ids match (pyeventio)
    let mcShower = null;
    let mcEvent = null;
    let photoelectronSums = null;
    let pes = new Map<number, PhotoElectrons>();
    if (isData) {
      if (e.mcEventObj >= 0 && e.mcEventId === e.eventId) {
        mcEvent = this.parseTop(e.mcEventObj, parseMCEvent, 'MC event');
        if (e.showerObj >= 0) mcShower = this.parseTop(e.showerObj, parseMCShower, 'MC shower');
      }
      if (e.telDataObj >= 0 && e.telDataId === e.eventId) pes = this.photoElectrons(e.telDataObj);
      if (e.peSumObj >= 0 && e.peSumId === e.eventId) photoelectronSums = this.parseTop(e.peSumObj, parseMCPhotoelectronSum, 'photo-electron sums');
    } else if (e.calibPeObj >= 0) {
      pes = this.photoElectrons(e.calibPeObj);
    }
    let shower: SimtelShower | null = null;
    if (isData && mcShower && mcEvent) {
      shower = {
        energy: mcShower.energy,
        alt: clipAltitude(mcShower.altitude),
        az: mcShower.azimuth,
        coreX: mcEvent.xcore,
        coreY: mcEvent.ycore,
        hFirstInt: mcShower.hFirstInt,
        xMax: mcShower.xmax,
        showerPrimaryId: mcShower.primaryId,
        startingGrammage: mcShower.depthStart ?? NaN,
      };
    }

    const triggered = new Set(trigger.telsWithTrigger);
    const telEvents: SimtelTelescopeEvent[] = [];
    const skippedTelescopes: SimtelEvent['skippedTelescopes'] = [];
    for (const [telId, te] of raw.telescopeEvents) {
      if (!triggered.has(telId)) {
        skippedTelescopes.push({ telId, reason: 'has data but is not in the trigger list' });
        continue;
      }
      const desc = this.telById.get(telId);
      const r0 = r0Of(te.adcSamples, te.adcSums);
      if (!r0) {
        skippedTelescopes.push({ telId, reason: 'has neither ADC samples nor ADC sums' });
        continue;
      }
      const pe = pes.get(telId - 1) ?? null;
      let trueImage: Int32Array | null = pe ? pe.photoelectrons : null;
      const sumIndex = desc ? desc.runHeaderIndex : -1;
      const trueImageSum = photoelectronSums && sumIndex >= 0 && sumIndex < photoelectronSums.nPe.length ? photoelectronSums.nPe[sumIndex] : NaN;
      if (isData && this.run.hasTrueImage && !trueImage) {
        if (trueImageSum > MISSING_IMAGE_BRIGHTNESS_LIMIT) {
          skippedTelescopes.push({ telId, reason: `true image missing in an extremely bright event (${trueImageSum} p.e.): possibly truncated` });
          continue;
        }
        trueImage = new Int32Array(r0.nPixels).fill(-1);
      }
      const tp = raw.trackingPositions.get(telId);
      const az = tp?.azimuthCor !== undefined && !Number.isNaN(tp.azimuthCor) ? tp.azimuthCor : (tp?.azimuthRaw ?? NaN);
      const alt = tp?.altitudeCor !== undefined && !Number.isNaN(tp.altitudeCor) ? tp.altitudeCor : (tp?.altitudeRaw ?? NaN);
      const m = this.monitoringOf(telId, e.obj);
      // shared by the events with the same monitoring (not to be modified)
      const pedestalPerSample = m.cam ? this.pedestalPerSample(m.cam) : null;
      telEvents.push({
        telId,
        r0,
        pedestalPerSample,
        dcToPe: m.las?.calib ?? null,
        timeShift: m.las?.tmCalib ?? null,
        hvDisabled: desc?.settings.disabledPixels?.hvDisabled ?? new Int32Array(0),
        pointing: { azimuth: az, altitude: clipAltitude(alt) },
        trueImage,
        trueImageSum,
        truePhotoelectrons: pe ? { pixel: pe.pixelId, time: pe.time } : null,
        raw: te,
        cameraMonitoring: m.cam,
        laserCalibration: m.las,
        pixelMonitoring: m.pix,
      });
    }
    return {
      index,
      count: index,
      obsId: this.run.obsId,
      eventId: e.eventId,
      kind: e.kind,
      calibrationType: e.calibrationType,
      trigger,
      pointing: this.run.pointing,
      tel: telEvents,
      trackingPositions: raw.trackingPositions,
      shower,
      mcShower,
      mcEvent,
      photoelectronSums,
      skippedTelescopes,
      skipped: raw.skipped,
    };
  }
}

/** Opens a sim_telarray file (see SimtelFile). */
export function openSimtelFile(path: string, options: OpenSimtelOptions = {}): SimtelFile {
  return SimtelFile.open(path, options);
}

function r0Of(samples: AdcSamples | undefined, sums: AdcSums | undefined): R0Waveforms | null {
  if (samples) {
    return {
      waveform: samples.samples,
      nGains: samples.nGains,
      nPixels: samples.nPixels,
      nSamples: samples.nSamples,
      source: 'samples',
      zeroSupMode: samples.zeroSupMode,
      dataRedMode: samples.dataRedMode,
    };
  }
  if (sums) {
    return {
      waveform: sums.sums,
      nGains: sums.nGains,
      nPixels: sums.nPixels,
      nSamples: 1,
      source: 'sums',
      zeroSupMode: sums.zeroSupMode,
      dataRedMode: sums.dataRedMode,
    };
  }
  return null;
}

function wrapProblem(p: EventIOError, path: string, nEvents: number): EventIOError {
  const what = p.kind === 'truncated' ? 'truncated' : p.kind === 'corrupt' ? 'corrupt data' : p.kind;
  let detail = p.message.startsWith(path + ': ') ? p.message.slice(path.length + 2) : p.message;
  detail = detail.replace(/^(truncated|corrupt): /, '');
  return new EventIOError(p.kind, path, `${path}: ${what} after event ${nEvents}: ${detail}`, p.offset);
}

function buildSubarray(
  path: string,
  run: SimtelRun,
  descriptions: Map<number, DescriptionParts>,
  choice: 'EFFECTIVE' | 'EQUIVALENT' | 'AUTO',
  warnings: string[],
): SimtelSubarray {
  const rh = run.runHeader;
  const neighborCache = new Map<string, PixelNeighbors>();
  const telescopes: SimtelTelescope[] = [];
  for (const [telId, d] of descriptions) {
    if (!d.cameraSettings || !d.cameraOrganization || !d.pixelSettings) {
      warnings.push(
        `telescope ${telId} lacks ${[!d.cameraSettings && 'camera settings', !d.cameraOrganization && 'camera organisation', !d.pixelSettings && 'pixel settings'].filter(Boolean).join(' and ')}: left out of the subarray`,
      );
      continue;
    }
    const cs = d.cameraSettings;
    const equivalent = cs.focalLength;
    const effective = cs.effectiveFocalLength ?? NaN;
    const guess =
      telescopeFromMeta(run.telescopeMeta.get(telId), cs.mirrorArea) ??
      guessTelescope(cs.nPixels, equivalent, cs.nMirrors) ??
      unknownTelescope(cs.mirrorArea, cs.nPixels);
    let frame: number;
    if (choice === 'EQUIVALENT') frame = equivalent;
    else if (choice === 'EFFECTIVE') {
      if (!Number.isFinite(effective)) {
        throw new EventIOError(
          'unsupported',
          path,
          `${path}: the effective focal length was asked for but telescope ${telId}'s camera settings (version ${'<5'}) have none; use the equivalent focal length (--focal-length-choice EQUIVALENT on lightpool process or export; ctapipe: focal_length_choice="EQUIVALENT")`,
        );
      }
      frame = effective;
    } else if (Number.isFinite(effective)) frame = effective;
    else {
      frame = equivalent;
      if (!warnings.some((w) => w.startsWith('no effective focal length')))
        warnings.push('no effective focal length in the file: the camera frame uses the equivalent focal length');
    }
    const camera = buildSimtelCamera(
      {
        cameraName: guess.cameraName,
        cameraSettings: cs,
        pixelSettings: d.pixelSettings,
        cameraOrganization: d.cameraOrganization,
        equivalentFocalLength: equivalent,
        effectiveFocalLength: effective,
      },
      neighborCache,
    );
    const idx = Array.prototype.indexOf.call(rh.telId, telId) as number;
    if (idx < 0) throw new EventIOError('corrupt', path, `${path}: telescope ${telId} has settings but is not in the run header's telescope list`);
    telescopes.push({
      telId,
      name: guess.name,
      type: guess.type,
      posX: rh.telPos[3 * idx],
      posY: rh.telPos[3 * idx + 1],
      posZ: rh.telPos[3 * idx + 2],
      optics: {
        name: guess.name,
        sizeType: guess.type,
        reflectorShape: guess.reflectorShape,
        nMirrors: guess.nMirrors,
        nMirrorTiles: cs.nMirrors,
        mirrorArea: cs.mirrorArea,
        equivalentFocalLength: equivalent,
        effectiveFocalLength: effective,
      },
      camera,
      frameFocalLength: frame,
      runHeaderIndex: idx,
      settings: {
        cameraSettings: cs,
        cameraOrganization: d.cameraOrganization,
        pixelSettings: d.pixelSettings,
        disabledPixels: d.disabledPixels,
        cameraSoftwareSettings: d.cameraSoftwareSettings,
        pointingCorrection: d.pointingCorrection,
        driveSettings: d.driveSettings,
      },
    });
  }
  telescopes.sort((a, b) => a.telId - b.telId);
  const lat = run.globalMeta.get('*LATITUDE');
  const lon = run.globalMeta.get('*LONGITUDE');
  const height = run.globalMeta.get('ALTITUDE');
  const fromMeta = lat !== undefined && lon !== undefined && height !== undefined;
  return {
    name: run.globalMeta.get('ARRAY_CONFIG_NAME') ?? 'MonteCarloArray',
    telIds: telescopes.map((t) => t.telId),
    telescopes,
    referenceLocation: fromMeta
      ? { lonDeg: parseFloat(lon as string), latDeg: parseFloat(lat as string), heightM: parseFloat(height as string), fromMetadata: true }
      : { lonDeg: 0, latDeg: 0, heightM: run.simulationConfig?.prodSiteAlt ?? 0, fromMetadata: false },
  };
}

/** Types of objects this reader interprets (the rest are listed, not read). */
export function isReadObjectType(type: number): boolean {
  return READ_TYPES.has(type) || isTelescopeEventType(type) || isTrackingType(type) || DESCRIPTION_TYPES.has(type);
}

export { OBJECT_NAMES };
