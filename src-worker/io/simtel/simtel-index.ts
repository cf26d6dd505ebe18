/**
 * What the scan of a sim_telarray file collects, object by object, in file
 * order (it can stop and go on later: the index grows as the file is read):
 * the run-level objects (history, metadata, run and MC run headers, the
 * telescope descriptions before the first event), where the monitoring
 * objects of each telescope are, and one entry per event with the objects it
 * may need (the MC shower, MC event, true photo-electrons and p.e. sums last
 * seen before it, with their ids for pyeventio's matching).
 */
import { ByteReader } from '../eventio/byte-reader.js';
import type { EventIOFile, ScanAccess, TopLevelObject } from '../eventio/eventio-file.js';
import { listSubObjects, parseObjectHeader, type ObjectHeader } from '../eventio/object-header.js';
import { objectName } from './object-types.js';
import {
  parseCameraOrganization,
  parseCameraSettings,
  parseCameraSoftwareSettings,
  parseDisabledPixels,
  parseDriveSettings,
  parsePixelSettings,
  parsePointingCorrection,
} from './objects/camera-objects.js';
import { parseHistoryLine, parseHistoryMeta } from './objects/history-objects.js';
import { monitoringTelId } from './objects/monitoring-objects.js';
import { parseMCRunHeader, parseRunHeader, type MCRunHeader, type RunHeader } from './objects/run-headers.js';
import type { SimtelRun, SimtelTelescopeSettings } from './simtel-types.js';

export interface EventEntry {
  obj: number;
  kind: 'data' | 'calibration';
  eventId: number;
  calibrationType?: number;
  showerObj: number;
  mcEventObj: number;
  mcEventId: number | null;
  telDataObj: number;
  telDataId: number | null;
  peSumObj: number;
  peSumId: number | null;
  calibPeObj: number;
}

export type DescriptionParts = Partial<SimtelTelescopeSettings>;

/** Objects whose contents an event may need: worth keeping as the scan passes them. */
const EVENT_OBJECTS = new Set([1204, 2010, 2020, 2021, 2022, 2023, 2026, 2028, 2033, 2034]);

export class SimtelIndex {
  runHeader: RunHeader | null = null;
  readonly mcRunHeaders: MCRunHeader[] = [];
  readonly history: SimtelRun['history'] = [];
  globalMeta = new Map<string, string>();
  readonly telescopeMeta = new Map<number, Map<string, string>>();
  readonly descriptions = new Map<number, DescriptionParts>();
  /** object indices of the monitoring objects, per telescope, in file order */
  readonly monitoring = new Map<number, { cam: number[]; las: number[]; pix: number[] }>();
  readonly events: EventEntry[] = [];
  readonly warnings: string[] = [];
  nCalibration = 0;
  seenEvent = false;
  private showerObj = -1;
  private mcEventObj = -1;
  private mcEventId: number | null = null;
  private telDataObj = -1;
  private telDataId: number | null = null;
  private peSumObj = -1;
  private peSumId: number | null = null;
  private calibPeObj = -1;
  private pseudoId = 0;
  private readonly le: boolean;
  private readonly dec = new TextDecoder('utf-8');

  constructor(
    private readonly file: EventIOFile,
    private readonly wantCalibration: boolean,
  ) {
    this.le = file.byteOrder === 'little';
  }

  /** Scans on; stops at the end, after `maxObjects`, or (untilFirstEvent) after the first event object. */
  scan(
    options: {
      untilFirstEvent?: boolean;
      maxObjects?: number;
      onProgress?: (fileBytes: number, fileSize: number, objects: number) => void;
      signal?: AbortSignal;
    } = {},
  ): void {
    this.file.scan((obj, access) => this.visit(obj, access), {
      maxObjects: options.maxObjects,
      onProgress: options.onProgress,
      signal: options.signal,
      until: options.untilFirstEvent ? (o) => o.type === 2010 || o.type === 2028 : undefined,
      keep: (o) => EVENT_OBJECTS.has(o.type),
    });
  }

  private parse<T>(obj: TopLevelObject, access: ScanAccess, fn: (r: ByteReader, h: ObjectHeader) => T, what: string): T {
    const bytes = access.content();
    try {
      return fn(new ByteReader(bytes, this.le), obj);
    } catch (e) {
      throw this.file.parseError(obj.index, e, what);
    }
  }

  private moni(tel: number): { cam: number[]; las: number[]; pix: number[] } {
    let m = this.monitoring.get(tel);
    if (!m) this.monitoring.set(tel, (m = { cam: [], las: [], pix: [] }));
    return m;
  }

  private visit(obj: TopLevelObject, access: ScanAccess): void {
    const t = obj.type;
    switch (t) {
      case 70: {
        const bytes = access.content();
        try {
          for (const so of listSubObjects(bytes, 0, bytes.length, this.le)) {
            if (so.header.type === 71 || so.header.type === 72) {
              const line = parseHistoryLine(new ByteReader(bytes, this.le, so.start, so.end), so.header);
              this.history.push({ type: line.type, timestamp: line.timestamp, text: this.dec.decode(line.text) });
            }
          }
        } catch (e) {
          throw this.file.parseError(obj.index, e, 'history');
        }
        break;
      }
      case 75: {
        const meta = this.parse(obj, access, (r) => parseHistoryMeta(r), 'metadata');
        if (obj.id === -1) this.globalMeta = meta;
        else this.telescopeMeta.set(obj.id, meta);
        break;
      }
      case 2000:
        if (!this.seenEvent) this.runHeader = this.parse(obj, access, parseRunHeader, 'run header');
        break;
      case 2001:
        if (!this.seenEvent) this.mcRunHeaders.push(this.parse(obj, access, parseMCRunHeader, 'MC run header'));
        break;
      case 2002:
      case 2003:
      case 2004:
      case 2005:
      case 2006:
      case 2007:
      case 2008: {
        if (this.seenEvent) {
          this.warnings.push(`${objectName(t)} of telescope ${obj.id} after the first event is ignored (the subarray is built from the run header part)`);
          break;
        }
        let d = this.descriptions.get(obj.id);
        if (!d) this.descriptions.set(obj.id, (d = {}));
        if (t === 2002) d.cameraSettings = this.parse(obj, access, parseCameraSettings, 'camera settings');
        else if (t === 2003) d.cameraOrganization = this.parse(obj, access, parseCameraOrganization, 'camera organisation');
        else if (t === 2004) d.pixelSettings = this.parse(obj, access, parsePixelSettings, 'pixel settings');
        else if (t === 2005) d.disabledPixels = this.parse(obj, access, parseDisabledPixels, 'disabled pixels');
        else if (t === 2006) d.cameraSoftwareSettings = this.parse(obj, access, parseCameraSoftwareSettings, 'camera software settings');
        else if (t === 2007) d.pointingCorrection = this.parse(obj, access, parsePointingCorrection, 'pointing correction');
        else d.driveSettings = this.parse(obj, access, parseDriveSettings, 'drive settings');
        break;
      }
      case 2022:
        this.moni(monitoringTelId(obj.id)).cam.push(obj.index);
        break;
      case 2023:
        this.moni(obj.id).las.push(obj.index);
        break;
      case 2033:
        this.moni(obj.id).pix.push(obj.index);
        break;
      case 2020:
        this.showerObj = obj.index;
        break;
      case 2021:
        this.mcEventObj = obj.index;
        this.mcEventId = obj.id;
        break;
      case 1204:
        this.telDataObj = obj.index;
        this.telDataId = obj.id;
        break;
      case 2026:
        this.peSumObj = obj.index;
        this.peSumId = obj.id;
        break;
      case 2034:
        this.calibPeObj = obj.index;
        break;
      case 2010: {
        this.seenEvent = true;
        // the event id is the id of the first sub-object, the trigger information
        let eventId = obj.id;
        const head = access.peek(16);
        if (head.length >= 12) {
          const h = parseObjectHeader(head, 0, this.le, head.length);
          if (h.type === 2009) eventId = h.id;
        }
        if (eventId === 0) eventId = --this.pseudoId;
        this.events.push(this.entry(obj.index, 'data', eventId));
        break;
      }
      case 2028: {
        this.seenEvent = true;
        this.nCalibration++;
        if (!this.wantCalibration) break;
        const head = access.peek(16);
        let eventId = 0;
        if (head.length >= 12) eventId = 0 - parseObjectHeader(head, 0, this.le, head.length).id;
        // ctapipe gives events with id 0 negative pseudo ids, calibration events too
        if (eventId === 0) eventId = --this.pseudoId;
        this.events.push({ ...this.entry(obj.index, 'calibration', eventId), calibrationType: obj.id });
        break;
      }
      default:
        break;
    }
  }

  private entry(obj: number, kind: 'data' | 'calibration', eventId: number): EventEntry {
    return {
      obj,
      kind,
      eventId,
      showerObj: this.showerObj,
      mcEventObj: this.mcEventObj,
      mcEventId: this.mcEventId,
      telDataObj: this.telDataObj,
      telDataId: this.telDataId,
      peSumObj: this.peSumObj,
      peSumId: this.peSumId,
      calibPeObj: this.calibPeObj,
    };
  }
}
