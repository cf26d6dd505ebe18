/**
 * One DL1-layout HDF5 file of recorded live events, written with Lightpool's
 * own HDF5 writer (readable by PyTables and h5py):
 *
 *   /dl1/event/subarray/trigger                obs_id, event_id, time (ctao_high_res: u4[2] = TAI s, quarter-ns),
 *                                              tels_with_trigger (bool per subarray telescope), event_type (32 = subarray)
 *   /dl1/event/telescope/trigger               obs_id, event_id, tel_id, time (the event's), n_trigger_pixels (-1: unknown)
 *   /dl1/event/telescope/images/tel_NNN        obs_id, event_id, tel_id, image f4[n] (p.e.), peak_time f4[n] (ns),
 *                                              image_mask bool[n], is_valid bool
 *   /configuration/instrument/...              the instrument description as ctapipe writes it: subarray layout,
 *   /configuration/telescope/pointing/tel_NNN  optics, camera geometries and readouts, pointing (dl1-instrument-tables.ts)
 *   /configuration/observation/...             observation and scheduling blocks, and the CTA reference metadata
 *                                              at the root, which ctapipe's HDF5EventSource reads (dl1-observation-tables.ts)
 *
 * Images and peak times are stored bit for bit as received. image_mask is
 * all False: the recording keeps what the DAQ sent, before cleaning (clean
 * offline with ctapipe-process or `lightpool process`). The file is written to
 * `<path>.partial` and renamed to `path` by close(), so a file under its
 * final name is always complete.
 */
import { renameSync, rmSync } from 'node:fs';
import { H5Writer, type DatasetWriter } from '../hdf5/writer/h5-writer.js';
import { asciiAttr, stringAttr } from '../export/copy-attributes.js';
import type { RawArrayEvent } from '../../live/live-types.js';
import { layoutOf, tableAttrs, type Col, type Layout } from './dl1-table-layout.js';
import { writeInstrumentTables } from './dl1-instrument-tables.js';
import { ctapipeEnumClass, referenceMetadata, writeObservationTables } from './dl1-observation-tables.js';
import type { SubarrayDescription } from '../../containers/subarray.js';
import { DL1_PATHS, imageColumns, subarrayTriggerColumns, TAI_MINUS_UTC_S, TELESCOPE_TRIGGER_COLUMNS, telTablePath } from './dl1-layout.js';

interface TelTable {
  cols: Col[];
  layout: Layout;
  ds: DatasetWriter;
  nPixels: number;
  row: Uint8Array;
}

export interface RecordingFileOptions {
  /** rows per chunk of the image tables (default 32) */
  chunkRows?: number;
  /** deflate level, null for none (default none: live rates need the disk, not the CPU) */
  deflateLevel?: number | null;
  /** the events are simulated (the reference metadata says so) */
  simulated?: boolean;
}

export class Dl1RecordingFile {
  private readonly w: H5Writer;
  private readonly tmp: string;
  private readonly trigger: { cols: Col[]; layout: Layout; ds: DatasetWriter; row: Uint8Array };
  private readonly telTrigger: { cols: Col[]; layout: Layout; ds: DatasetWriter; row: Uint8Array };
  private readonly tels = new Map<number, TelTable>();
  private readonly telIndex: Map<number, number>;
  private closed = false;
  events = 0;
  images = 0;
  /** image and peak-time bytes written */
  imageBytes = 0;
  /** after close(): cameras written without a geometry table, with why */
  missingGeometries: string[] = [];
  /** per obs_id: the times of its first and last events, s since the Unix epoch */
  private readonly observations = new Map<number, { first: number; last: number }>();
  private readonly opened = new Date();

  constructor(
    readonly path: string,
    private readonly subarray: SubarrayDescription,
    private readonly opts: RecordingFileOptions = {},
  ) {
    this.tmp = `${path}.partial`;
    this.w = H5Writer.create(this.tmp);
    const nTel = subarray.telescopes.length;
    this.telIndex = new Map(subarray.telescopes.map((t, i) => [t.telId, i]));
    const cols: Col[] = subarrayTriggerColumns(nTel);
    const layout = layoutOf(cols);
    this.trigger = {
      cols,
      layout,
      ds: this.w.dataset(DL1_PATHS.subarrayTrigger, layout.type, [], { chunkRows: 1024, deflateLevel: 1, shuffle: true }),
      row: new Uint8Array(layout.size),
    };
    const telCols: Col[] = [...TELESCOPE_TRIGGER_COLUMNS];
    const telLayout = layoutOf(telCols);
    this.telTrigger = {
      cols: telCols,
      layout: telLayout,
      ds: this.w.dataset(DL1_PATHS.telescopeTrigger, telLayout.type, [], { chunkRows: 2048, deflateLevel: 1, shuffle: true }),
      row: new Uint8Array(telLayout.size),
    };
  }

  private telTable(telId: number, nPixels: number): TelTable {
    let t = this.tels.get(telId);
    if (t) {
      if (t.nPixels !== nPixels) throw new Error(`recording: telescope ${telId} sent ${nPixels} pixels after ${t.nPixels}`);
      return t;
    }
    const cols: Col[] = imageColumns(nPixels);
    const layout = layoutOf(cols);
    const ds = this.w.dataset(telTablePath(DL1_PATHS.images, telId), layout.type, [], {
      chunkRows: this.opts.chunkRows ?? 32,
      deflateLevel: this.opts.deflateLevel ?? null,
      shuffle: false,
    });
    t = { cols, layout, ds, nPixels, row: new Uint8Array(layout.size) };
    this.tels.set(telId, t);
    return t;
  }

  append(e: RawArrayEvent): void {
    if (this.closed) throw new Error(`recording: ${this.path} is closed`);
    const trig = this.trigger;
    const tv = new DataView(trig.row.buffer);
    const o = trig.layout.offsets;
    trig.row.fill(0);
    tv.setBigInt64(o.get('obs_id')!, BigInt(e.obsId), true);
    const ob = this.observations.get(e.obsId);
    if (ob) {
      ob.first = Math.min(ob.first, e.time);
      ob.last = Math.max(ob.last, e.time);
    } else this.observations.set(e.obsId, { first: e.time, last: e.time });
    tv.setBigInt64(o.get('event_id')!, BigInt(e.eventId), true);
    const tai = e.time + TAI_MINUS_UTC_S;
    const s = Math.floor(tai);
    tv.setUint32(o.get('time')!, s, true);
    tv.setUint32(o.get('time')! + 4, Math.min(0xffffffff, Math.round((tai - s) * 4e9)), true);
    for (const img of e.images) {
      const k = this.telIndex.get(img.telId);
      if (k !== undefined) trig.row[o.get('tels_with_trigger')! + k] = 1;
    }
    tv.setBigInt64(o.get('event_type')!, 32n, true);
    trig.ds.appendRows(trig.row, 1);

    // per telescope: the event's time (the DAQ sends one time per event), trigger pixels unknown
    const tt = this.telTrigger;
    const ttv = new DataView(tt.row.buffer);
    const to2 = tt.layout.offsets;
    ttv.setBigInt64(to2.get('obs_id')!, BigInt(e.obsId), true);
    ttv.setBigInt64(to2.get('event_id')!, BigInt(e.eventId), true);
    tt.row.set(trig.row.subarray(o.get('time')!, o.get('time')! + 8), to2.get('time')!);
    ttv.setBigInt64(to2.get('n_trigger_pixels')!, -1n, true);
    for (const img of e.images) {
      ttv.setInt16(to2.get('tel_id')!, img.telId, true);
      tt.ds.appendRows(tt.row, 1);
    }

    for (const img of e.images) {
      const n = img.image.length;
      const t = this.telTable(img.telId, n);
      const row = t.row;
      const v = new DataView(row.buffer);
      const to = t.layout.offsets;
      v.setBigInt64(to.get('obs_id')!, BigInt(e.obsId), true);
      v.setBigInt64(to.get('event_id')!, BigInt(e.eventId), true);
      v.setInt16(to.get('tel_id')!, img.telId, true);
      row.set(new Uint8Array(img.image.buffer, img.image.byteOffset, 4 * n), to.get('image')!);
      row.set(new Uint8Array(img.peakTime.buffer, img.peakTime.byteOffset, 4 * n), to.get('peak_time')!);
      // image_mask stays all False (row is zero there), is_valid True
      row[to.get('is_valid')!] = 1;
      t.ds.appendRows(row, 1);
      this.images++;
      this.imageBytes += 8 * n;
    }
    this.events++;
  }

  /** bytes in the file so far */
  get bytes(): number {
    return this.w.bytesWritten;
  }

  /** Finishes every table, writes the file's metadata and renames it to its final name. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      const trigAttrs = tableAttrs(this.trigger.cols, this.events, 'Storage of EventIndexContainer,TriggerContainer');
      trigAttrs.push(
        stringAttr('CTAFIELD_2_TIME_FORMAT', 'ctao_high_res'),
        stringAttr('CTAFIELD_2_TIME_SCALE', 'tai'),
        stringAttr('CTAFIELD_2_TRANSFORM', 'time'),
        // ctapipe turns the mask back into the list of triggered tel_ids, and event_type into its EventType
        stringAttr('CTAFIELD_3_TRANSFORM', 'tel_list_to_mask'),
        stringAttr('CTAFIELD_4_TRANSFORM', 'enum'),
        asciiAttr('CTAFIELD_4_ENUM', ctapipeEnumClass('EventType')),
      );
      this.trigger.ds.finish(trigAttrs);
      this.telTrigger.ds.finish([
        ...tableAttrs(this.telTrigger.cols, this.telTrigger.ds.nRows, 'Storage of TelEventIndexContainer,TelescopeTriggerContainer'),
        stringAttr('CTAFIELD_3_TIME_FORMAT', 'ctao_high_res'),
        stringAttr('CTAFIELD_3_TIME_SCALE', 'tai'),
        stringAttr('CTAFIELD_3_TRANSFORM', 'time'),
      ]);
      for (const t of this.tels.values()) {
        // no units: ctapipe writes none for images and peak times (p.e. and ns by convention)
        t.ds.finish(tableAttrs(t.cols, t.ds.nRows, 'Storage of TelEventIndexContainer,DL1CameraContainer'));
      }
      const pixelsByCamera = new Map<string, number>();
      const cameraOf = new Map(this.subarray.telescopes.map((t) => [t.telId, t.camera]));
      for (const [telId, t] of this.tels) {
        const cam = cameraOf.get(telId);
        if (cam) pixelsByCamera.set(cam, t.nPixels);
      }
      this.missingGeometries = writeInstrumentTables(this.w, { subarray: this.subarray, pixelsByCamera, obsIds: [...this.observations.keys()] });
      writeObservationTables(this.w, { subarray: this.subarray, observations: this.observations });
      this.w.rootAttributes(
        referenceMetadata({ simulated: !!this.opts.simulated, instrument: this.subarray.name, started: this.opened, levels: 'DL1_IMAGES' }),
      );
      this.w.close();
      renameSync(this.tmp, this.path);
    } catch (err) {
      this.w.abort();
      rmSync(this.tmp, { force: true });
      throw err;
    }
  }

  /** Drops the file (nothing is left on disk). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.w.abort();
    rmSync(this.tmp, { force: true });
  }
}
