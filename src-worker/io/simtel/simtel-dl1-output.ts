/**
 * The file `lightpool process FILE.simtel.zst` writes: ctapipe 0.26's DL1
 * layout as ctapipe-process writes it from a sim_telarray file (paths and
 * columns from dl1-layout.ts):
 *
 *   /configuration/instrument/...             subarray layout, optics, camera geometries and readouts (reference
 *                                             pulse shapes, sampling rate) as the file describes them
 *                                             (simtel-dl1-instrument.ts)
 *   /configuration/telescope/pointing/tel_NNN each telescope's pointing in its first event (else the run's)
 *   /configuration/observation/...            observation and scheduling blocks; CTA reference metadata at the root
 *   /configuration/simulation/run             SimulationConfigContainer (when the file has an MC run header)
 *   /dl1/event/subarray/trigger               obs_id, event_id, time, tels_with_trigger, event_type
 *   /dl1/event/telescope/trigger              per telescope event
 *   /dl1/event/telescope/images/tel_NNN       image (p.e.), peak_time (ns), image_mask, is_valid
 *   /dl1/event/telescope/parameters/tel_NNN   the image parameters (telescope frame), core_psi NaN (no stereo)
 *   /dl1/service/image_statistics             the ImageQualityQuery's counts
 *   /simulation/event/subarray/shower         the true shower of each event
 *   /simulation/event/telescope/images/tel_NNN true_image, true_image_sum (when the file has true images)
 *   /simulation/event/telescope/parameters/tel_NNN the true-image parameters (when given)
 *   /r1/event/telescope/tel_NNN               with waveforms: gain-selected p.e. per sample, pixel_status,
 *                                             selected_gain_channel
 *   /r0/event/telescope/tel_NNN               with waveforms: raw ADC samples (gains, pixels, samples), uint16
 *
 * Rows are appended event by event; the caller writes to a temporary name
 * and renames (see src-main/process/process-simtel.ts).
 */
import { H5Writer, type AttrSpec, type DatasetWriter } from '../hdf5/writer/h5-writer.js';
import { asciiAttr, setAttr, stringAttr } from '../export/copy-attributes.js';
import { layoutOf, tableAttrs, type Col, type Layout } from '../dl1/dl1-table-layout.js';
import { ctapipeEnumClass, referenceMetadata, writeObservationTables } from '../dl1/dl1-observation-tables.js';
import { writeQualityStatistics } from '../dl1/quality-statistics-table.js';
import {
  CTAPIPE_TABLE_VERSION,
  DL1_PATHS,
  imageColumns,
  PARAMETER_COLUMNS,
  r0Columns,
  r1Columns,
  SHOWER_COLUMNS,
  SIM_IMPACT_COLUMNS,
  SIMULATION_RUN_COLUMNS,
  subarrayTriggerColumns,
  TAI_MINUS_UTC_S,
  TELESCOPE_TRIGGER_COLUMNS,
  telTablePath,
  TRUE_PARAMETER_COLUMNS,
  trueImageColumns,
} from '../dl1/dl1-layout.js';
import type { QualityCounts, QualityCriterion } from '../../selection/quality-query.js';
import type { SubarrayDescription } from '../../containers/subarray.js';
import type { SimtelRun, SimtelShower, SimtelSubarray, SimtelTelescopeEvent } from './simtel-types.js';
import type { TelescopeDL1 } from './simtel-dl1.js';
import { writeSimtelInstrumentTables } from './simtel-dl1-instrument.js';
import { showerImpactDistance } from '../../reco/impact-distance.js';

const RAD2DEG = 180 / Math.PI;
const ELEMENT_BYTES: Record<Col['type'], number> = { f8: 8, f4: 4, i8: 8, u8: 8, i4: 4, u4: 4, i2: 2, u2: 2, i1: 1, u1: 1, b1: 1 };

/** One table being appended to: its columns, layout, one row's bytes and the dataset. */
class AppendTable {
  readonly layout: Layout;
  readonly row: Uint8Array;
  readonly view: DataView;
  private readonly types: Map<string, Col>;
  private readonly ds: DatasetWriter;

  constructor(
    w: H5Writer,
    readonly path: string,
    readonly cols: Col[],
    private readonly title: string,
    private readonly extraAttrs: AttrSpec[],
    level: number,
  ) {
    this.layout = layoutOf(cols);
    this.row = new Uint8Array(this.layout.size);
    this.view = new DataView(this.row.buffer);
    this.types = new Map(cols.map((c) => [c.name, c]));
    const chunkRows = Math.max(1, Math.min(1024, Math.floor((256 * 1024) / this.layout.size)));
    this.ds = w.dataset(path, this.layout.type, [], { chunkRows, deflateLevel: level, shuffle: level > 0 });
  }

  private at(name: string): { o: number; c: Col } {
    const o = this.layout.offsets.get(name);
    const c = this.types.get(name);
    if (o === undefined || !c) throw new Error(`${this.path}: no column ${name}`);
    return { o, c };
  }

  /** a scalar column (or element k of an array column) */
  set(name: string, v: number, k = 0): void {
    const { o: base, c } = this.at(name);
    const dv = this.view;
    switch (c.type) {
      case 'f8':
        return dv.setFloat64(base + 8 * k, v, true);
      case 'f4':
        return dv.setFloat32(base + 4 * k, v, true);
      case 'i8':
        return dv.setBigInt64(base + 8 * k, BigInt(Number.isFinite(v) ? Math.trunc(v) : -1), true);
      case 'u8':
        return dv.setBigUint64(base + 8 * k, BigInt(Math.max(0, Math.trunc(v))), true);
      case 'i4':
        return dv.setInt32(base + 4 * k, Number.isFinite(v) ? v : -1, true);
      case 'u4':
        return dv.setUint32(base + 4 * k, v, true);
      case 'i2':
        return dv.setInt16(base + 2 * k, v, true);
      case 'u2':
        return dv.setUint16(base + 2 * k, v, true);
      case 'i1':
        return dv.setInt8(base + k, v);
      case 'u1':
        return dv.setUint8(base + k, v);
      case 'b1':
        return dv.setUint8(base + k, v ? 1 : 0);
    }
  }

  /** an array column from a typed array of the column's element type and size (little-endian host) */
  setBytes(name: string, a: ArrayBufferView): void {
    const { o, c } = this.at(name);
    const bytes = ELEMENT_BYTES[c.type] * (c.shape ?? [1]).reduce((x, y) => x * y, 1);
    if (a.byteLength !== bytes) throw new Error(`${this.path}: ${name} holds ${bytes} bytes per row, this row gives ${a.byteLength}`);
    this.row.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
  }

  append(): void {
    this.ds.appendRows(this.row, 1);
  }

  get nRows(): number {
    return this.ds.nRows;
  }

  finish(): void {
    const attrs = tableAttrs(this.cols, this.ds.nRows, this.title);
    for (const a of this.extraAttrs) setAttr(attrs, a);
    setAttr(attrs, stringAttr('CTAPIPE_VERSION', CTAPIPE_TABLE_VERSION));
    this.ds.finish(attrs);
  }
}

const timeAttrs = (i: number): AttrSpec[] => [
  stringAttr(`CTAFIELD_${i}_TIME_FORMAT`, 'ctao_high_res'),
  stringAttr(`CTAFIELD_${i}_TIME_SCALE`, 'tai'),
  stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'time'),
];
const enumAttrs = (i: number, name: string): AttrSpec[] => [
  stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'enum'),
  asciiAttr(`CTAFIELD_${i}_ENUM`, ctapipeEnumClass(name)),
];

export interface SimtelDl1OutputOptions {
  /** write /r1 (and /r0) waveform tables */
  waveforms?: boolean;
  /** deflate level 0-9 (default 4) */
  level?: number;
  /** the command line, recorded at the root */
  command?: string;
  software?: { name: string; version: string };
}

/**
 * The ctapipe `time` of an event: ctao_high_res (TAI s, quarter-ns) of
 * sim_telarray's central trigger time, which ctapipe's SimTelEventSource
 * takes as UTC (TAI − UTC = 37 s for the files' dates, after 2017)
 */
/** What the writer reads of an event: a SimtelEvent, or the SimtelWireEvent it became to travel between threads (simtel-dl1-batch.ts). */
export interface SimtelDl1OutputEvent {
  obsId: number;
  eventId: number;
  trigger: {
    eventType: number;
    timeS: number;
    timeNs: number;
    telsWithTrigger: readonly number[];
    tel: ReadonlyMap<number, { timeNs: number; nTriggerPixels: number }>;
  };
  shower: SimtelShower | null;
  tel: readonly Pick<SimtelTelescopeEvent, 'telId' | 'r0' | 'pointing' | 'trueImage' | 'trueImageSum'>[];
}

function highResTime(e: SimtelDl1OutputEvent): [number, number] {
  const s = e.trigger.timeS + TAI_MINUS_UTC_S;
  const q = Math.min(0xffffffff, Math.round(e.trigger.timeNs * 4));
  return [s >>> 0, q >>> 0];
}

export class SimtelDl1Output {
  private readonly w: H5Writer;
  private readonly level: number;
  private readonly trigger: AppendTable;
  private readonly telTrigger: AppendTable;
  private readonly shower: AppendTable;
  private readonly images = new Map<number, AppendTable>();
  private readonly parameters = new Map<number, AppendTable>();
  private readonly trueImages = new Map<number, AppendTable>();
  private readonly trueParameters = new Map<number, AppendTable>();
  private readonly impacts = new Map<number, AppendTable>();
  private readonly r0 = new Map<number, AppendTable>();
  private readonly r1 = new Map<number, AppendTable>();
  private readonly telIndex: Map<number, number>;
  /** each telescope's pointing in its first event (rad), what ctapipe writes as the observation's telescope pointing */
  private readonly telPointing = new Map<number, { altitude: number; azimuth: number }>();
  private readonly started = new Date();
  private first = Infinity;
  private last = -Infinity;
  /** what was not written, and why */
  readonly notes: string[] = [];
  events = 0;
  telescopeEvents = 0;

  constructor(
    readonly path: string,
    private readonly run: SimtelRun,
    private readonly subarray: SimtelSubarray,
    private readonly parameterColumns: readonly string[],
    private readonly opts: SimtelDl1OutputOptions = {},
  ) {
    this.level = opts.level ?? 4;
    this.w = H5Writer.create(path);
    try {
      const telIds = [...subarray.telIds].sort((a, b) => a - b);
      this.telIndex = new Map(telIds.map((id, i) => [id, i]));
      this.trigger = new AppendTable(
        this.w,
        DL1_PATHS.subarrayTrigger,
        subarrayTriggerColumns(telIds.length),
        'Storage of EventIndexContainer,TriggerContainer',
        [...timeAttrs(2), stringAttr('CTAFIELD_3_TRANSFORM', 'tel_list_to_mask'), ...enumAttrs(4, 'EventType')],
        this.level,
      );
      this.telTrigger = new AppendTable(
        this.w,
        DL1_PATHS.telescopeTrigger,
        [...TELESCOPE_TRIGGER_COLUMNS],
        'Storage of TelEventIndexContainer,TelescopeTriggerContainer',
        timeAttrs(3),
        this.level,
      );
      this.shower = new AppendTable(this.w, DL1_PATHS.shower, [...SHOWER_COLUMNS], 'Storage of EventIndexContainer,SimulatedShowerContainer', [], this.level);
    } catch (err) {
      this.w.abort();
      throw err;
    }
  }

  private perTel(map: Map<number, AppendTable>, telId: number, make: () => AppendTable): AppendTable {
    let t = map.get(telId);
    if (!t) map.set(telId, (t = make()));
    return t;
  }

  /**
   * One event: its trigger, shower, and per telescope the DL1 (`dl1[k]`
   * belongs to `event.tel[k]`) and, when given, the true-image parameters
   * (`trueParameters.get(telId)`, packed like the DL1 parameters).
   */
  append(event: SimtelDl1OutputEvent, dl1: readonly TelescopeDL1[], trueParameters?: ReadonlyMap<number, Float64Array>): void {
    const [ts, tq] = highResTime(event);
    const t = event.trigger.timeS + event.trigger.timeNs * 1e-9;
    this.first = Math.min(this.first, t);
    this.last = Math.max(this.last, t);
    const obsId = event.obsId;
    const eventId = event.eventId;

    const tr = this.trigger;
    tr.row.fill(0);
    tr.set('obs_id', obsId);
    tr.set('event_id', eventId);
    tr.set('time', ts, 0);
    tr.set('time', tq, 1);
    for (const id of event.trigger.telsWithTrigger) {
      const k = this.telIndex.get(id);
      if (k !== undefined) tr.set('tels_with_trigger', 1, k);
    }
    tr.set('event_type', event.trigger.eventType);
    tr.append();

    const tt = this.telTrigger;
    for (const te of event.tel) {
      const trig = event.trigger.tel.get(te.telId);
      const tns = event.trigger.timeNs + (trig?.timeNs ?? 0);
      const s = event.trigger.timeS + TAI_MINUS_UTC_S + Math.floor(tns / 1e9);
      const frac = tns - Math.floor(tns / 1e9) * 1e9;
      tt.set('obs_id', obsId);
      tt.set('event_id', eventId);
      tt.set('tel_id', te.telId);
      tt.set('time', s >>> 0, 0);
      tt.set('time', Math.min(0xffffffff, Math.round(frac * 4)) >>> 0, 1);
      tt.set('n_trigger_pixels', trig?.nTriggerPixels ?? -1);
      tt.append();
    }

    const sh = event.shower;
    if (sh) {
      const s = this.shower;
      s.set('obs_id', obsId);
      s.set('event_id', eventId);
      s.set('true_energy', sh.energy);
      s.set('true_alt', sh.alt * RAD2DEG);
      s.set('true_az', sh.az * RAD2DEG);
      s.set('true_core_x', sh.coreX);
      s.set('true_core_y', sh.coreY);
      s.set('true_h_first_int', sh.hFirstInt);
      s.set('true_x_max', sh.xMax);
      s.set('true_starting_grammage', sh.startingGrammage);
      s.set('true_shower_primary_id', sh.showerPrimaryId);
      s.append();
      // ctapipe's SimTelEventSource: shower_impact_distance(shower, subarray), every telescope event, with the shower
      const distances = showerImpactDistance(
        sh.coreX,
        sh.coreY,
        sh.alt * RAD2DEG,
        sh.az * RAD2DEG,
        event.tel.map((te) => {
          const t = this.subarray.telescopes.find((x) => x.telId === te.telId);
          return t ? [t.posX, t.posY, t.posZ] : [NaN, NaN, NaN];
        }),
      );
      event.tel.forEach((te, k) => {
        const it = this.perTel(
          this.impacts,
          te.telId,
          () =>
            new AppendTable(
              this.w,
              telTablePath(DL1_PATHS.simImpact, te.telId),
              [...SIM_IMPACT_COLUMNS],
              'Storage of TelEventIndexContainer,TelescopeImpactParameterContainer',
              [],
              this.level,
            ),
        );
        it.set('obs_id', obsId);
        it.set('event_id', eventId);
        it.set('tel_id', te.telId);
        it.set('true_impact_distance', distances[k]);
        it.set('true_impact_distance_uncert', 0);
        it.append();
      });
    }

    for (const te of event.tel) if (!this.telPointing.has(te.telId)) this.telPointing.set(te.telId, { ...te.pointing });
    const byTel = new Map(event.tel.map((te) => [te.telId, te]));
    for (const d of dl1) {
      const te = byTel.get(d.telId);
      if (!te) throw new Error(`event ${eventId}: DL1 of telescope ${d.telId}, which has no data in the event`);
      this.appendTelescope(event, te, d, trueParameters?.get(d.telId) ?? null);
    }
    this.events++;
  }

  private appendTelescope(event: SimtelDl1OutputEvent, te: SimtelDl1OutputEvent['tel'][number], d: TelescopeDL1, trueParameters: Float64Array | null): void {
    const telId = d.telId;
    const n = d.image.length;
    const w = this.w;
    const L = this.level;
    const img = this.perTel(
      this.images,
      telId,
      () => new AppendTable(w, telTablePath(DL1_PATHS.images, telId), imageColumns(n), 'Storage of TelEventIndexContainer,DL1CameraContainer', [], L),
    );
    img.set('obs_id', event.obsId);
    img.set('event_id', event.eventId);
    img.set('tel_id', telId);
    img.setBytes('image', d.image);
    img.setBytes('peak_time', d.peakTime);
    img.setBytes('image_mask', d.mask);
    img.set('is_valid', 1);
    img.append();

    const par = this.perTel(
      this.parameters,
      telId,
      () =>
        new AppendTable(
          w,
          telTablePath(DL1_PATHS.parameters, telId),
          [...PARAMETER_COLUMNS],
          'Storage of TelEventIndexContainer,HillasParametersContainer,TimingParametersContainer,LeakageContainer,ConcentrationContainer,MorphologyContainer,IntensityStatisticsContainer,PeakTimeStatisticsContainer,CoreParametersContainer',
          [],
          L,
        ),
    );
    par.set('obs_id', event.obsId);
    par.set('event_id', event.eventId);
    par.set('tel_id', telId);
    this.parameterColumns.forEach((name, k) => {
      if (par.cols.some((c) => c.name === name)) par.set(name, d.parameters[k]);
    });
    par.set('core_psi', NaN);
    par.append();

    // A file without true images but with p.e. sums: ctapipe-process writes true_image_sum alone, and then its own
    // HDF5EventSource cannot read the file (KeyError: no such column: true_image). Lightpool writes true_image filled
    // with -1, ctapipe's own mark of a missing true image, so that ctapipe reads the file.
    if (te.trueImage || Number.isFinite(te.trueImageSum)) {
      const trueImage = te.trueImage;
      const ti = this.perTel(
        this.trueImages,
        telId,
        () =>
          new AppendTable(
            w,
            telTablePath(DL1_PATHS.simImages, telId),
            trueImageColumns(n),
            'Storage of TelEventIndexContainer,SimulatedCameraContainer',
            [],
            L,
          ),
      );
      ti.set('obs_id', event.obsId);
      ti.set('event_id', event.eventId);
      ti.set('tel_id', telId);
      ti.set('true_image_sum', Number.isFinite(te.trueImageSum) ? te.trueImageSum : -1);
      if (trueImage) ti.setBytes('true_image', trueImage);
      else ti.row.fill(0xff, ti.layout.offsets.get('true_image')!, ti.layout.size);
      ti.append();
    }

    if (trueParameters) {
      const tp = this.perTel(
        this.trueParameters,
        telId,
        () =>
          new AppendTable(
            w,
            telTablePath(DL1_PATHS.simParameters, telId),
            [...TRUE_PARAMETER_COLUMNS],
            'Storage of TelEventIndexContainer,HillasParametersContainer,LeakageContainer,ConcentrationContainer,MorphologyContainer,IntensityStatisticsContainer',
            [],
            L,
          ),
      );
      tp.set('obs_id', event.obsId);
      tp.set('event_id', event.eventId);
      tp.set('tel_id', telId);
      this.parameterColumns.forEach((name, k) => {
        if (tp.cols.some((c) => c.name === `true_${name}`)) tp.set(`true_${name}`, trueParameters[k]);
      });
      tp.append();
    }

    if (this.opts.waveforms) {
      if (d.r1) {
        const r1 = d.r1 instanceof Float32Array ? d.r1 : Float32Array.from(d.r1);
        const nSamples = te.r0.nSamples;
        const nChannels = r1.length / (n * nSamples);
        const t = this.perTel(
          this.r1,
          telId,
          () =>
            new AppendTable(
              w,
              telTablePath(DL1_PATHS.r1, telId),
              r1Columns(nChannels, n, nSamples),
              'Storage of TelEventIndexContainer,R1CameraContainer',
              [...enumAttrs(3, 'EventType'), ...timeAttrs(4)],
              L,
            ),
        );
        t.set('obs_id', event.obsId);
        t.set('event_id', event.eventId);
        t.set('tel_id', telId);
        t.set('event_type', event.trigger.eventType);
        // ctapipe's SimTelEventSource leaves the R1 event_time unset: its NAN_TIME, written as (0, 0)
        t.set('event_time', 0, 0);
        t.set('event_time', 0, 1);
        t.setBytes('waveform', r1);
        t.setBytes('pixel_status', d.pixelStatus);
        if (d.selectedGainChannel) t.setBytes('selected_gain_channel', d.selectedGainChannel);
        else t.row.fill(0xff, t.layout.offsets.get('selected_gain_channel')!, t.layout.offsets.get('selected_gain_channel')! + n);
        t.append();
      }
      const r0 = te.r0;
      const r0Type = r0.waveform instanceof Uint16Array ? 'u2' : 'u4';
      const t = this.perTel(
        this.r0,
        telId,
        () =>
          new AppendTable(
            w,
            telTablePath(DL1_PATHS.r0, telId),
            r0Columns(r0.nGains, r0.nPixels, r0.nSamples, r0Type),
            'Storage of TelEventIndexContainer,R0CameraContainer',
            [],
            L,
          ),
      );
      if (t.cols[3].type !== r0Type)
        throw new Error(`telescope ${telId}: event ${event.eventId} has ADC ${r0Type === 'u2' ? 'samples' : 'sums'}, its earlier events not`);
      t.set('obs_id', event.obsId);
      t.set('event_id', event.eventId);
      t.set('tel_id', telId);
      t.setBytes('waveform', r0.waveform);
      t.append();
    }
    this.telescopeEvents++;
  }

  /** Finishes every table and writes the configuration; returns the bytes written. The file stays under its (temporary) name. */
  close(quality: { criteria: readonly QualityCriterion[]; counts: QualityCounts } | null): number {
    for (const t of [this.trigger, this.telTrigger, this.shower]) t.finish();
    for (const m of [this.images, this.parameters, this.trueImages, this.trueParameters, this.impacts, this.r1, this.r0])
      for (const t of m.values()) t.finish();
    if (quality) writeQualityStatistics(this.w, DL1_PATHS.imageStatistics, quality.criteria, quality.counts, this.level);
    const run = this.run;
    const alt = run.pointing.altitude ?? NaN;
    const az = run.pointing.azimuth ?? NaN;
    writeSimtelInstrumentTables(this.w, {
      subarray: this.subarray,
      obsId: run.obsId,
      pointing: (telId) => this.telPointing.get(telId) ?? { altitude: alt, azimuth: az },
    });
    this.writeSimulationRun();
    const description: SubarrayDescription = {
      name: this.subarray.name,
      pointing: { alt: alt * RAD2DEG, az: az * RAD2DEG },
      telescopes: [],
    };
    const first = Number.isFinite(this.first) ? this.first : 0;
    const last = Number.isFinite(this.last) ? this.last : first;
    writeObservationTables(this.w, {
      subarray: description,
      observations: new Map([[run.obsId, { first, last }]]),
      // as SimTelEventSource: the run header's time is the (scheduled and actual) start
      simulation: { runStartTime: run.runHeader.time },
    });
    const levels = this.opts.waveforms ? 'R0,R1,DL1_IMAGES,DL1_PARAMETERS' : 'DL1_IMAGES,DL1_PARAMETERS';
    const root = referenceMetadata({ simulated: true, instrument: this.subarray.name, started: this.started, levels });
    setAttr(root, stringAttr('CTA ACTIVITY NAME', 'lightpool process'));
    setAttr(root, stringAttr('CTA PRODUCT DESCRIPTION', `Lightpool process of a sim_telarray file${this.opts.command ? `: ${this.opts.command}` : ''}`));
    if (this.opts.software) setAttr(root, stringAttr('CTA ACTIVITY SOFTWARE VERSION', this.opts.software.version));
    this.w.rootAttributes(root);
    this.w.close();
    return this.w.bytesWritten;
  }

  private writeSimulationRun(): void {
    const cfg = this.run.simulationConfig;
    if (!cfg) {
      this.notes.push(`${DL1_PATHS.simulationRun}: the file has no MC run header (not written)`);
      return;
    }
    const t = new AppendTable(
      this.w,
      DL1_PATHS.simulationRun,
      [...SIMULATION_RUN_COLUMNS],
      'Storage of ExtraSimInfo,SimulationConfigContainer',
      [],
      this.level,
    );
    const values = cfg as unknown as Record<string, number>;
    for (const c of SIMULATION_RUN_COLUMNS) t.set(c.name, c.key === 'obsId' ? this.run.obsId : values[c.key]);
    t.append();
    t.finish();
  }

  abort(): void {
    this.w.abort();
  }
}
