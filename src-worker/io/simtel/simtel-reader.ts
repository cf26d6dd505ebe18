/**
 * A sim_telarray file as the app reads it (the file-format registry's reader
 * for it, in the HDF5 worker thread): the subarray and camera geometries
 * from the file, events as DL1 (images, peak times, cleaning masks and
 * parameters from SimtelDL1Processor, ctapipe-process's defaults; the true
 * image where the file has one) in the shapes the DL1 reader gives, so the
 * event views, `lightpool info` and the file service treat both alike; and
 * the waveforms of chosen pixels (R1, R0, the extraction window, charge,
 * peak time, true photo-electrons).
 *
 * The file is streamed (SimtelFile: never whole in memory); the one event
 * last read with its ADC samples is kept, so the waveform view's clicks on
 * one event decode it once.
 */
import { openSimtelFile, type SimtelFile } from './simtel-file.js';
import type { SimtelEvent, SimtelTelescope, SimtelTelescopeEvent } from './simtel-types.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor, simtelTelescopeSetup } from './simtel-dl1.js';
import { simtelParameterChunk, type SimtelParameterChunk } from './simtel-parameter-tables.js';
import { SimtelCalibrator, type SimtelCalibratedEvent } from '../../calib/simtel-calibration.js';
import { integrationWindow, resolveImageExtractorConfig, type ImageExtractorConfig, type ResolvedImageExtractorConfig } from '../../calib/image-extractor.js';
import { EventIOError } from '../eventio/eventio-errors.js';
import { TAI_MINUS_UTC_S } from '../dl1/dl1-layout.js';
import type { Dl1Event, Dl1EventIndex, Dl1EventOptions, Dl1Optics, Dl1Subarray, Dl1TelescopeEvent, ScalarRecord } from '../dl1/dl1-types.js';
import type { CameraGeometry } from '../../containers/camera-geometry.js';
import type { PixelWaveform, PixelWaveforms } from '../../containers/pixel-waveforms.js';
import { sumSamples, type WaveformLevels, type WaveformSums, type WaveformSumsQuery } from '../../containers/waveform-sums.js';

const RAD2DEG = 180 / Math.PI;

/** What `lightpool info` and file.open say of a sim_telarray file. */
export interface SimtelSummary {
  kind: 'simtel';
  file: string;
  compression: string;
  nEvents: number;
  nCalibrationEvents: number;
  obsId: number;
  telescopes: { telId: number; name: string; type: string; cameraName: string; nPixels: number; nSamples: number; nGains: number }[];
  cameras: { name: string; nPixels: number; pixType: string }[];
  hasTrueImage: boolean;
  /** object types in the file: name, count, whether they are read */
  objects: { type: number; name: string; count: number; read: boolean }[];
  /** why the events stop early, when they do */
  problem: string | null;
  simtelVersion: number | null;
  corsikaVersion: number | null;
}

export interface WaveformQuery {
  fileId: string;
  index: number;
  telId: number;
  pixels: number[];
  /** also return R0 (raw ADC, both gains) */
  r0?: boolean;
  /** the image extractor (default: ctapipe's CameraCalibrator default, NeighborPeakWindowSum) */
  extractor?: ImageExtractorConfig;
}

/** processors / calibrators kept per extractor configuration (a user trying a few settings) */
const KEPT_EXTRACTORS = 4;

/** An extractor configuration validated (ctapipe's defaults filled in) and its cache key. */
function extractorKey(config: ImageExtractorConfig | undefined): { config: ResolvedImageExtractorConfig; key: string } {
  const resolved = resolveImageExtractorConfig(config ?? { type: 'NeighborPeakWindowSum' });
  return { config: resolved, key: JSON.stringify(resolved) };
}

const DEFAULT_EXTRACTOR_KEY = extractorKey(undefined).key;

/** `map.get(key)`, else `make()` stored under key; the oldest entries beyond `keep` are dropped. */
function kept<V>(map: Map<string, V>, key: string, keep: number, make: () => V): V {
  let v = map.get(key);
  if (v !== undefined) return v;
  v = make();
  map.set(key, v);
  while (map.size > keep) map.delete(map.keys().next().value as string);
  return v;
}

const R0_UNIT = 'ADC counts';
const R1_UNIT = 'p.e.';
const SIMTEL_R0_WHAT = 'Σ raw ADC samples per pixel, pedestal included (sim_telarray R0 is not pedestal-subtracted)';
const SIMTEL_R1_WHAT = 'Σ R1 samples per pixel (pedestal subtracted, dc_to_pe, ThresholdGainSelector: ctapipe 0.26 defaults)';

function telDescription(t: SimtelTelescope): string {
  return `${t.type}_${t.name}_${t.camera.name}`;
}

export class SimtelReader {
  readonly subarray: Dl1Subarray;
  /** SimtelDL1Processor per extractor configuration (the default one first) */
  private readonly processors = new Map<string, SimtelDL1Processor>();
  private readonly telById: Map<number, SimtelTelescope>;
  private last: { index: number; event: SimtelEvent } | null = null;
  private calibrators = new Map<string, SimtelCalibrator>();
  private calibrated: { key: string; cal: SimtelCalibratedEvent } | null = null;
  private eventIndex: Dl1EventIndex | null = null;
  /** the histogram pass's processor and the key of its image extractor */
  private passProcessor: { key: string; processor: SimtelDL1Processor } | undefined;

  private constructor(readonly file: SimtelFile) {
    this.telById = new Map(file.subarray.telescopes.map((t) => [t.telId, t]));
    this.subarray = dl1Subarray(file);
  }

  /** Opens and indexes the file (every event found; the file is streamed, never held whole). */
  static open(path: string): SimtelReader {
    return new SimtelReader(openSimtelFile(path, { index: 'full', focalLengthChoice: 'AUTO' }));
  }

  get path(): string {
    return this.file.path;
  }

  get nEvents(): number {
    return this.file.nEvents;
  }

  /** The array pointing of the run, deg (alt/az runs only). */
  get pointing(): { alt: number; az: number } | undefined {
    const p = this.file.run.pointing;
    if (p.altitude === undefined || p.azimuth === undefined) return undefined;
    return { alt: p.altitude * RAD2DEG, az: p.azimuth * RAD2DEG };
  }

  private checkIndex(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.nEvents)) {
      throw new EventIOError('range', this.path, `${this.path}: no event ${i} (the file has ${this.nEvents} events: 0…${this.nEvents - 1})`);
    }
  }

  /** Event i with its ADC samples (the last one is kept). */
  private rawEvent(i: number): SimtelEvent {
    this.checkIndex(i);
    if (this.last?.index === i) return this.last.event;
    const event = this.file.event(i, SIMTEL_DL1_EVENT_PARTS);
    this.last = { index: i, event };
    return event;
  }

  /** The event list: ids, times, triggered telescopes (read once, without the ADC samples). */
  get index(): Dl1EventIndex {
    if (this.eventIndex) return this.eventIndex;
    const n = this.nEvents;
    const maskTelIds = this.subarray.telescopes.map((t) => t.telId);
    const col = new Map(maskTelIds.map((id, k) => [id, k]));
    const idx: Dl1EventIndex = {
      nEvents: n,
      obsId: new Float64Array(n),
      eventId: new Float64Array(n),
      timeS: new Uint32Array(n),
      timeQns: new Uint32Array(n),
      eventType: new Int32Array(n),
      maskTelIds,
      telsWithTrigger: new Uint8Array(n * maskTelIds.length),
      nTriggered: new Uint16Array(n),
    };
    for (let i = 0; i < n; i++) {
      const e = this.last?.index === i ? this.last.event : this.file.event(i, { adc: false, pixelTiming: false });
      idx.obsId[i] = e.obsId;
      idx.eventId[i] = e.eventId;
      idx.timeS[i] = e.trigger.timeS + TAI_MINUS_UTC_S;
      idx.timeQns[i] = Math.round(e.trigger.timeNs * 4);
      idx.eventType[i] = e.trigger.eventType;
      idx.nTriggered[i] = e.tel.length;
      for (const t of e.tel) {
        const k = col.get(t.telId);
        if (k !== undefined) idx.telsWithTrigger[i * maskTelIds.length + k] = 1;
      }
    }
    this.eventIndex = idx;
    return idx;
  }

  findEvent(obsId: number, eventId: number): number {
    const idx = this.index;
    for (let i = 0; i < idx.nEvents; i++) if (idx.obsId[i] === obsId && idx.eventId[i] === eventId) return i;
    return -1;
  }

  /** Event i as DL1: SimtelDL1Processor's images, peak times, masks and parameters, the true image, the shower. */
  event(i: number, opts: Dl1EventOptions = {}): Dl1Event {
    const e = this.rawEvent(i);
    const { images = true, parameters = true, simulation = true } = opts;
    const x = extractorKey(opts.extractor);
    const processor = kept(
      this.processors,
      x.key,
      KEPT_EXTRACTORS,
      () => new SimtelDL1Processor(this.file.subarray, { source: this.file.path, calibration: { extractor: x.config } }),
    );
    const dl1 = processor.process(e, { fresh: true });
    const cols = processor.parameterColumns;
    const telescopes: Dl1TelescopeEvent[] = [];
    for (const t of dl1.tel) {
      if (opts.telIds && !opts.telIds.includes(t.telId)) continue;
      const te: Dl1TelescopeEvent = { telId: t.telId, cameraName: this.telById.get(t.telId)?.camera.name ?? '' };
      if (images) {
        te.image = t.image;
        te.peakTime = t.peakTime;
        te.imageMask = t.mask;
        te.isValid = true;
      }
      if (parameters) {
        const rec: ScalarRecord = {};
        cols.forEach((c, k) => (rec[c] = t.parameters[k]));
        te.parameters = rec;
      }
      const raw = e.tel.find((x) => x.telId === t.telId);
      // a copy: the reply's arrays are transferred, and the kept event still needs its own
      if (simulation && images && raw?.trueImage) te.trueImage = raw.trueImage.slice();
      telescopes.push(te);
    }
    const ev: Dl1Event = {
      index: i,
      obsId: e.obsId,
      eventId: e.eventId,
      timeS: e.trigger.timeS + TAI_MINUS_UTC_S,
      timeQns: Math.round(e.trigger.timeNs * 4),
      eventType: e.trigger.eventType,
      telIds: e.tel.map((t) => t.telId).sort((a, b) => a - b),
      telescopes,
    };
    if (simulation && e.shower) {
      const s = e.shower;
      ev.shower = {
        true_energy: s.energy,
        true_alt: s.alt * RAD2DEG,
        true_az: s.az * RAD2DEG,
        true_core_x: s.coreX,
        true_core_y: s.coreY,
        true_h_first_int: s.hFirstInt,
        true_x_max: s.xMax,
        true_shower_primary_id: s.showerPrimaryId,
      };
    }
    return ev;
  }

  private telescopeEvent(i: number, telId: number): { e: SimtelEvent; te: SimtelTelescopeEvent; tel: SimtelTelescope } {
    const e = this.rawEvent(i);
    const te = e.tel.find((t) => t.telId === telId);
    const tel = this.telById.get(telId);
    if (!te || !tel) {
      throw new EventIOError(
        'range',
        this.path,
        `${this.path}: event ${i} has no data of telescope ${telId} (telescopes with data: ${e.tel.map((t) => t.telId).join(', ') || 'none'})`,
      );
    }
    return { e, te, tel };
  }

  /** R0 → R1 → DL1 of one telescope event as ctapipe does by default, R1 kept (the last one is kept). */
  private calibrate(
    index: number,
    telId: number,
    te: SimtelTelescopeEvent,
    tel: SimtelTelescope,
    extractorConfig?: ImageExtractorConfig,
  ): { calibrator: SimtelCalibrator; cal: SimtelCalibratedEvent } {
    const extractor = extractorKey(extractorConfig);
    const calibrator = kept(
      this.calibrators,
      `${telId}|${extractor.key}`,
      KEPT_EXTRACTORS * this.telById.size,
      () => new SimtelCalibrator(simtelTelescopeSetup(tel), { keepR1Waveforms: true, extractor: extractor.config }),
    );
    const key = `${index}:${telId}:${extractor.key}`;
    if (this.calibrated?.key !== key) {
      const { r0, pedestalPerSample: pedestal, dcToPe } = te;
      if (!pedestal || !dcToPe) {
        throw new EventIOError(
          'range',
          this.path,
          `${this.path}: telescope ${telId} has no pedestals or dc_to_pe before event ${index}: it cannot be calibrated`,
        );
      }
      const cal = calibrator.calibrate({ r0: r0.waveform, nSamples: r0.nSamples, pedestal, dcToPe, timeShift: te.timeShift });
      this.calibrated = { key, cal };
    }
    return { calibrator, cal: this.calibrated.cal };
  }

  /** What a camera showing R0 or R1 sums shows for this file: both levels, R0 with the cameras' gains. */
  waveformLevels(fileId: string): WaveformLevels {
    const gains = Math.max(1, ...this.file.subarray.telescopes.map((t) => t.camera.readout.nChannels));
    return {
      fileId,
      r0: { available: true, why: '', gains, unit: R0_UNIT, what: SIMTEL_R0_WHAT },
      r1: { available: true, why: '', gains: 1, unit: R1_UNIT, what: SIMTEL_R1_WHAT },
    };
  }

  /**
   * Per-pixel sums over the samples of the R0 (one gain, raw ADC, pedestal included) or R1 (p.e.,
   * calibrated as ctapipe does by default, gain-selected) waveforms of the telescopes of event `index`
   * (those asked for, else every telescope with data).
   */
  waveformSums(q: WaveformSumsQuery): WaveformSums {
    const e = this.rawEvent(q.index);
    const gain = q.level === 'r0' ? (q.gain ?? 'high') : null;
    const telIds = q.telIds ?? e.tel.map((t) => t.telId).sort((a, b) => a - b);
    const out: WaveformSums = {
      fileId: q.fileId,
      index: q.index,
      obsId: e.obsId,
      eventId: e.eventId,
      level: q.level,
      gain,
      unit: q.level === 'r0' ? R0_UNIT : R1_UNIT,
      what: q.level === 'r0' ? `${gain} gain: ${SIMTEL_R0_WHAT}` : SIMTEL_R1_WHAT,
      telescopes: [],
      missing: [],
    };
    const withData = e.tel.map((t) => t.telId).join(', ') || 'none';
    for (const telId of telIds) {
      const te = e.tel.find((t) => t.telId === telId);
      const tel = this.telById.get(telId);
      if (!te || !tel) {
        out.missing.push({ telId, why: `event ${q.index} has no data of telescope ${telId} (telescopes with data: ${withData})` });
        continue;
      }
      const { nPixels, nSamples, nGains, waveform } = te.r0;
      if (q.level === 'r0') {
        const g = gain === 'low' ? 1 : 0;
        if (g >= nGains) {
          out.missing.push({ telId, why: `telescope ${telId} (${tel.camera.name}) has one gain only: no low-gain R0` });
          continue;
        }
        const ped = te.pedestalPerSample;
        out.telescopes.push({
          telId,
          camera: tel.camera.name,
          nSamples,
          sums: sumSamples(waveform, g * nPixels, nPixels, nSamples),
          pedestalSums: ped && ped.length >= (g + 1) * nPixels ? Float32Array.from(ped.subarray(g * nPixels, (g + 1) * nPixels), (v) => v * nSamples) : null,
        });
        continue;
      }
      if (!te.pedestalPerSample || !te.dcToPe) {
        out.missing.push({ telId, why: `telescope ${telId} has no pedestals or dc_to_pe before event ${q.index}: it cannot be calibrated` });
        continue;
      }
      const r1 = this.calibrate(q.index, telId, te, tel).cal.r1;
      if (!r1.waveforms) throw new EventIOError('range', this.path, `${this.path}: the R1 waveforms of telescope ${telId} were not kept`);
      out.telescopes.push({ telId, camera: tel.camera.name, nSamples, sums: sumSamples(r1.waveforms, 0, nPixels, nSamples), pedestalSums: null });
    }
    return out;
  }

  /** The waveforms of `pixels` of telescope `telId` in event `index`, calibrated as ctapipe does by default. */
  waveforms(q: WaveformQuery): PixelWaveforms {
    const { e, te, tel } = this.telescopeEvent(q.index, q.telId);
    if (!te.pedestalPerSample || !te.dcToPe) {
      throw new EventIOError(
        'range',
        this.path,
        `${this.path}: telescope ${q.telId} has no pedestals or dc_to_pe before event ${q.index}: it cannot be calibrated`,
      );
    }
    const r0 = te.r0;
    const { nPixels, nSamples, nGains } = r0;
    for (const p of q.pixels) {
      if (!(Number.isInteger(p) && p >= 0 && p < nPixels))
        throw new EventIOError('range', this.path, `pixel ${p} is out of range: ${tel.camera.name} has ${nPixels} pixels`);
    }
    const { calibrator, cal } = this.calibrate(q.index, q.telId, te, tel, q.extractor);
    const x = calibrator.calibrator.extractor.config;
    const hv = new Set(Array.from(te.hvDisabled));
    const r1 = cal.r1.waveforms;
    const pixels: PixelWaveform[] = q.pixels.map((p) => {
      const peak = cal.dl1.peakIndex ? cal.dl1.peakIndex[p] : -1;
      const win = peak >= 0 ? integrationWindow(peak, x.windowWidth, x.windowShift, nSamples) : null;
      const sel = cal.r1.selectedGainChannel ? cal.r1.selectedGainChannel[p] : -1;
      let truePeTimes: Float32Array | null = null;
      if (te.truePhotoelectrons) {
        const { pixel, time } = te.truePhotoelectrons;
        const t: number[] = [];
        for (let k = 0; k < pixel.length; k++) if (pixel[k] === p) t.push(time[k]);
        truePeTimes = Float32Array.from(t);
      }
      const trueValue = te.trueImage ? te.trueImage[p] : null;
      return {
        pixel: p,
        r1: r1 ? Float32Array.from(r1.subarray(p * nSamples, (p + 1) * nSamples)) : null,
        r0High: q.r0 ? r0.waveform.slice(p * nSamples, (p + 1) * nSamples) : null,
        r0Low: q.r0 && nGains > 1 ? r0.waveform.slice((nPixels + p) * nSamples, (nPixels + p + 1) * nSamples) : null,
        selectedGain: sel,
        windowStart: win ? win.start : null,
        windowWidth: win ? win.end - win.start : null,
        charge: cal.dl1.image[p],
        peakTime: cal.dl1.peakTime[p],
        invalid: hv.has(p),
        truePe: trueValue !== null && trueValue >= 0 ? trueValue : null,
        truePeTimes,
      };
    });
    return {
      fileId: q.fileId,
      index: q.index,
      obsId: e.obsId,
      eventId: e.eventId,
      telId: q.telId,
      camera: tel.camera.name,
      nSamples,
      samplingRateGHz: tel.camera.readout.samplingRate,
      source: `sim_telarray R0 → R1 → DL1 (ctapipe 0.26: ThresholdGainSelector, ${x.type}${JSON.stringify(x) === DEFAULT_EXTRACTOR_KEY ? ', the default' : ''})`,
      extractor: { type: x.type, windowWidth: x.windowWidth, windowShift: x.windowShift },
      hasR0: true,
      pixels,
    };
  }

  /**
   * The parameters of the telescope images of events `start`, `start + 1`, … for about `budgetMs` of work (at
   * least one event), per telescope (ctapipe's parameter-table columns): a histogram's pass over the file asks
   * chunk after chunk, so the file's other requests run between them. A processor of its own, so the event
   * shown is untouched. Fresh arrays (the caller keeps them).
   */
  parameterChunk(start: number, budgetMs: number, extractorConfig?: ImageExtractorConfig): SimtelParameterChunk {
    const x = extractorKey(extractorConfig);
    if (this.passProcessor?.key !== x.key)
      this.passProcessor = {
        key: x.key,
        processor: new SimtelDL1Processor(this.file.subarray, { source: this.file.path, calibration: { extractor: x.config } }),
      };
    return simtelParameterChunk(this.file, this.passProcessor.processor, start, budgetMs);
  }

  summary(): SimtelSummary {
    const info = this.file.info();
    const s = this.file.subarray;
    const cams = new Map<string, CameraGeometry>();
    for (const t of s.telescopes) cams.set(t.camera.name, t.camera.geometry);
    const cfg = this.file.run.simulationConfig;
    return {
      kind: 'simtel',
      file: this.path,
      compression: info.compression,
      nEvents: info.nEvents,
      nCalibrationEvents: info.nCalibrationEvents,
      obsId: this.file.run.obsId,
      telescopes: s.telescopes.map((t) => ({
        telId: t.telId,
        name: t.name,
        type: t.type,
        cameraName: t.camera.name,
        nPixels: t.camera.geometry.nPixels,
        nSamples: t.camera.readout.nSamples,
        nGains: t.camera.readout.nChannels,
      })),
      cameras: [...cams.values()].map((g) => ({ name: g.name, nPixels: g.nPixels, pixType: g.pixType })),
      hasTrueImage: this.file.run.hasTrueImage,
      objects: info.objects.map((o) => ({ type: o.type, name: o.name, count: o.count, read: o.read })),
      problem: info.problem ? info.problem.message : null,
      simtelVersion: cfg ? cfg.simtelVersion : null,
      corsikaVersion: cfg ? cfg.corsikaVersion : null,
    };
  }

  close(): void {
    this.last = null;
    this.calibrated = null;
    this.file.close();
  }
}

/** The subarray of a sim_telarray file in the DL1 reader's shape (effective focal length: the one the parameters were computed with). */
function dl1Subarray(f: SimtelFile): Dl1Subarray {
  const optics: Dl1Optics[] = [];
  const opticsIndex = new Map<string, number>();
  const cameras: Record<string, CameraGeometry> = {};
  const telescopes = f.subarray.telescopes.map((t) => {
    const key = `${t.optics.name}|${t.frameFocalLength}`;
    let oi = opticsIndex.get(key);
    if (oi === undefined) {
      oi = optics.length;
      opticsIndex.set(key, oi);
      optics.push({
        name: t.optics.name,
        sizeType: t.optics.sizeType,
        reflectorShape: t.optics.reflectorShape,
        mirrorArea: t.optics.mirrorArea,
        nMirrors: t.optics.nMirrors,
        nMirrorTiles: t.optics.nMirrorTiles,
        equivalentFocalLength: t.optics.equivalentFocalLength,
        effectiveFocalLength: t.frameFocalLength,
        effectiveFocalLengthInFile: Number.isFinite(t.optics.effectiveFocalLength),
      });
    }
    if (!cameras[t.camera.name]) {
      cameras[t.camera.name] = {
        ...t.camera.geometry,
        focalLength: t.optics.equivalentFocalLength,
        effectiveFocalLength: t.frameFocalLength,
      };
    }
    return {
      telId: t.telId,
      name: t.name,
      type: t.type,
      posX: t.posX,
      posY: t.posY,
      posZ: t.posZ,
      cameraName: t.camera.name,
      opticsName: t.optics.name,
      description: telDescription(t),
      opticsIndex: oi,
    };
  });
  return { name: f.subarray.name, telescopes, optics, cameras, pointing: pointingOf(f) };
}

function pointingOf(f: SimtelFile): { alt: number; az: number } | undefined {
  const p = f.run.pointing;
  if (p.altitude === undefined || p.azimuth === undefined) return undefined;
  return { alt: p.altitude * RAD2DEG, az: p.azimuth * RAD2DEG };
}
