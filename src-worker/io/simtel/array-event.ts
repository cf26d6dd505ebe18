/**
 * One array event (2010) taken apart as pyeventio's SimTelFile does
 * (parse_array_event / parse_telescope_event): the central trigger
 * information first, then telescope events (2200 + tel: event header first,
 * ADC samples and/or sums, pixel timing, pixel lists, auxiliary traces) and
 * tracking positions (2100 + tel). Objects that are not read (image
 * parameters, stereo reconstruction, pixel trigger times, calibrated pixels,
 * unknown types) are listed in `skipped`, never fatal.
 */
import { ByteReader } from '../eventio/byte-reader.js';
import { ObjectParseError } from '../eventio/eventio-errors.js';
import { listSubObjects, type SubObject } from '../eventio/object-header.js';
import { isTelescopeEventType, isTrackingType, objectName, telescopeEventTelId } from './object-types.js';
import { parseAdcSamples, parseAdcSums, type AdcSamples, type AdcSums } from './objects/adc-data.js';
import {
  parsePixelList,
  parseTelescopeEventHeader,
  parseTrackingPosition,
  parseTriggerInformation,
  type PixelList,
  type TelescopeEventHeader,
  type TrackingPosition,
  type TriggerInformation,
} from './objects/event-objects.js';
import { parseAuxiliaryTracesInfo, type AuxiliaryTracesInfo } from './objects/history-objects.js';
import { parsePixelTiming, type PixelTiming } from './objects/pixel-timing.js';

/** An object inside an event that was listed but not interpreted. */
export interface SkippedObject {
  type: number;
  name: string;
  version: number;
  id: number;
  size: number;
  /** the telescope event it was in, if any */
  telId?: number;
}

export interface RawTelescopeEvent {
  telId: number;
  header: TelescopeEventHeader;
  adcSamples?: AdcSamples;
  adcSums?: AdcSums;
  pixelTiming?: PixelTiming;
  /** by code: 0 triggered pixels, 1 selected pixels */
  pixelLists: Map<number, PixelList>;
  auxTraces: AuxiliaryTracesInfo[];
}

export interface RawArrayEvent {
  /** the trigger information's id (the array event header id in old files differs) */
  eventId: number;
  triggerInformation: TriggerInformation;
  /** in file order */
  telescopeEvents: Map<number, RawTelescopeEvent>;
  trackingPositions: Map<number, TrackingPosition>;
  skipped: SkippedObject[];
}

/** What parts of the telescope events to read. */
export interface ArrayEventParts {
  /** ADC samples and sums (default true) */
  adc?: boolean;
  /** pixel timing (default true) */
  pixelTiming?: boolean;
}

function reader(bytes: Uint8Array, le: boolean, so: SubObject): ByteReader {
  return new ByteReader(bytes, le, so.start, so.end);
}

function skippedOf(so: SubObject, telId?: number): SkippedObject {
  const h = so.header;
  return { type: h.type, name: objectName(h.type), version: h.version, id: h.id, size: h.contentSize, telId };
}

/** Parses the content [start, end) of an ArrayEvent (2010) object. */
export function parseArrayEvent(bytes: Uint8Array, start: number, end: number, le: boolean, parts: ArrayEventParts = {}): RawArrayEvent {
  const subs = listSubObjects(bytes, start, end, le);
  if (subs.length === 0 || subs[0].header.type !== 2009) {
    throw new ObjectParseError(
      `array event does not start with its trigger information (2009) but with ${subs.length ? objectName(subs[0].header.type) : 'nothing'}`,
    );
  }
  const triggerInformation = parseTriggerInformation(reader(bytes, le, subs[0]), subs[0].header);
  const telescopeEvents = new Map<number, RawTelescopeEvent>();
  const trackingPositions = new Map<number, TrackingPosition>();
  const skipped: SkippedObject[] = [];
  for (let i = 1; i < subs.length; i++) {
    const so = subs[i];
    const t = so.header.type;
    if (isTelescopeEventType(t)) {
      if (!so.header.onlySubObjects) throw new ObjectParseError(`telescope event ${objectName(t)} is not a container`);
      const tev = parseTelescopeEvent(bytes, so, le, parts, skipped);
      telescopeEvents.set(tev.telId, tev);
    } else if (isTrackingType(t)) {
      const tp = parseTrackingPosition(reader(bytes, le, so), so.header);
      trackingPositions.set(tp.telescopeId, tp);
    } else {
      skipped.push(skippedOf(so));
    }
  }
  const missing = [...telescopeEvents.keys()].filter((id) => !trackingPositions.has(id));
  if (missing.length) throw new ObjectParseError(`array event ${triggerInformation.eventId} has no tracking positions for telescopes ${missing.join(', ')}`);
  return { eventId: triggerInformation.eventId, triggerInformation, telescopeEvents, trackingPositions, skipped };
}

function parseTelescopeEvent(bytes: Uint8Array, tel: SubObject, le: boolean, parts: ArrayEventParts, skipped: SkippedObject[]): RawTelescopeEvent {
  const telId = telescopeEventTelId(tel.header.type);
  const subs = listSubObjects(bytes, tel.start, tel.end, le);
  if (subs.length === 0 || subs[0].header.type !== 2011) {
    throw new ObjectParseError(`telescope event of telescope ${telId} does not start with its header (2011)`);
  }
  const out: RawTelescopeEvent = { telId, header: parseTelescopeEventHeader(reader(bytes, le, subs[0]), subs[0].header), pixelLists: new Map(), auxTraces: [] };
  const wantAdc = parts.adc !== false;
  for (let i = 1; i < subs.length; i++) {
    const so = subs[i];
    switch (so.header.type) {
      case 2013:
        if (wantAdc) out.adcSamples = parseAdcSamples(reader(bytes, le, so), so.header);
        break;
      case 2012:
        if (wantAdc) out.adcSums = parseAdcSums(reader(bytes, le, so), so.header);
        break;
      case 2016:
        if (parts.pixelTiming !== false) out.pixelTiming = parsePixelTiming(reader(bytes, le, so), so.header);
        break;
      case 2027: {
        const pl = parsePixelList(reader(bytes, le, so), so.header);
        out.pixelLists.set(pl.code, pl);
        break;
      }
      case 2029:
      case 2030:
        out.auxTraces.push(parseAuxiliaryTracesInfo(reader(bytes, le, so), so.header));
        skipped.push(skippedOf(so, telId));
        break;
      default:
        skipped.push(skippedOf(so, telId));
    }
  }
  return out;
}
