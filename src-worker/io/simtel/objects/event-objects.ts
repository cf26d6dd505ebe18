/**
 * The small objects of an array event, as pyeventio 1.16 reads them: the
 * central trigger information (2009), tracking positions (2100 + tel), the
 * telescope event header (2011) and pixel lists (2027). Times: (seconds,
 * nanoseconds) pairs; trigger times in ns relative to the central trigger;
 * angles in rad.
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import { ObjectParseError } from '../../eventio/eventio-errors.js';
import type { ObjectHeader } from '../../eventio/object-header.js';
import { trackingTelId } from '../object-types.js';
import { requireMaxVersion, requireVersion } from './versions.js';

const H_MAX_TRIG_TYPES = 4;

export interface TriggerInformation {
  /** header id: the event id */
  eventId: number;
  /** [s, ns] */
  cpuTime: [number, number];
  /** [s, ns] */
  gpsTime: [number, number];
  triggerPattern: number;
  dataPattern: number;
  nTriggeredTelescopes: number;
  triggeredTelescopes: Int16Array;
  /** per triggered telescope, ns relative to the central trigger */
  triggerTimes: Float32Array;
  nTelescopesWithData: number;
  telescopesWithData: Int16Array;
  /** version ≥ 2: per triggered telescope, bits of the trigger types that fired (mask fix of pyeventio applied) */
  teltrgTypeMask?: Float64Array;
  /** version ≥ 2: per telescope with several trigger types, the time of each type (ns) */
  teltrgTimeByType?: Map<number, Map<number, number>>;
  /** version ≥ 3 */
  planeWavefrontCompensation?: { az: number; alt: number; speedOfLight: number };
}

export function parseTriggerInformation(r: ByteReader, h: ObjectHeader): TriggerInformation {
  requireMaxVersion(h, 3, 'TriggerInformation');
  const v = h.version;
  const cpuTime: [number, number] = [r.int32(), r.int32()];
  const gpsTime: [number, number] = [r.int32(), r.int32()];
  const triggerPattern = r.int32();
  const dataPattern = r.int32();
  const out: TriggerInformation = {
    eventId: h.id,
    cpuTime,
    gpsTime,
    triggerPattern,
    dataPattern,
    nTriggeredTelescopes: 0,
    triggeredTelescopes: new Int16Array(0),
    triggerTimes: new Float32Array(0),
    nTelescopesWithData: 0,
    telescopesWithData: new Int16Array(0),
  };
  if (v >= 1) {
    const nTrig = r.int16();
    out.nTriggeredTelescopes = nTrig;
    out.triggeredTelescopes = r.int16Array(nTrig, 'triggered telescopes');
    out.triggerTimes = r.float32Array(nTrig, 'trigger times');
    const nData = r.int16();
    out.nTelescopesWithData = nData;
    out.telescopesWithData = r.int16Array(nData, 'telescopes with data');
  }
  if (v >= 2) {
    const masks = r.uvarintArray(out.nTriggeredTelescopes, 'teltrg_type_mask');
    // sim_telarray before 2024-02 set bits 0x10/0x20/0x40 instead of 0x100/0x200/0x400 (pyeventio fixes it for version ≤ 3)
    for (let i = 0; i < masks.length; i++) {
      const m = masks[i];
      const low = m % 2 ** 32;
      masks[i] = m - low + (((low | ((low & 0x70) << 4)) & ~0x70) >>> 0);
    }
    out.teltrgTypeMask = masks;
    const byType = new Map<number, Map<number, number>>();
    for (let i = 0; i < out.nTriggeredTelescopes; i++) {
      // pyeventio reads the times with the mask as read (before the fix above), low 4 bits
      const mask = masks[i] % 16;
      if (popcount4(mask) > 1) {
        const times = new Map<number, number>();
        for (let t = 0; t < H_MAX_TRIG_TYPES; t++) if (mask & (1 << t)) times.set(t, r.float32());
        byType.set(out.triggeredTelescopes[i], times);
      }
    }
    out.teltrgTimeByType = byType;
  }
  if (v >= 3) {
    out.planeWavefrontCompensation = { az: r.float32(), alt: r.float32(), speedOfLight: r.float32() };
  }
  return out;
}

function popcount4(m: number): number {
  return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
}

export interface TrackingPosition {
  telescopeId: number;
  /** rad, when the object has raw positions */
  azimuthRaw?: number;
  altitudeRaw?: number;
  /** rad, when it has pointing-corrected positions */
  azimuthCor?: number;
  altitudeCor?: number;
}

export function parseTrackingPosition(r: ByteReader, h: ObjectHeader): TrackingPosition {
  const telescopeId = trackingTelId(h.type);
  const idTel = (h.id & 0xff) | ((h.id & 0x3f000000) >> 16);
  if (idTel !== telescopeId) throw new ObjectParseError(`tracking position of type ${h.type} (telescope ${telescopeId}) has the id of telescope ${idTel}`);
  requireVersion(h, [0], 'TrackingPosition');
  const out: TrackingPosition = { telescopeId };
  if (h.id & 0x100) {
    out.azimuthRaw = r.float32();
    out.altitudeRaw = r.float32();
  }
  if (h.id & 0x200) {
    out.azimuthCor = r.float32();
    out.altitudeCor = r.float32();
  }
  return out;
}

export interface TelescopeEventHeader {
  telescopeId: number;
  locCount: number;
  globCount: number;
  cpuTime: [number, number];
  gpsTime: [number, number];
  trgSource: number;
  listTrgsect?: Float64Array;
  timeTrgsect?: Float32Array;
  nPhysAddr?: number;
  physAddr?: Float64Array;
  /** version ≥ 3, ns */
  readoutTime?: number;
  relativeTriggerTime?: number;
  /** version ≥ 4 */
  startReadout?: number;
}

export function parseTelescopeEventHeader(r: ByteReader, h: ObjectHeader): TelescopeEventHeader {
  requireMaxVersion(h, 4, 'TelescopeEventHeader');
  const v = h.version;
  const out: TelescopeEventHeader = {
    telescopeId: h.id,
    locCount: r.int32(),
    globCount: r.int32(),
    cpuTime: [r.int32(), r.int32()],
    gpsTime: [r.int32(), r.int32()],
    trgSource: 0,
  };
  const t = r.int16();
  out.trgSource = t & 0xff;
  if (t & 0x100) {
    let n: number;
    if (v <= 1) {
      n = r.int16();
      out.listTrgsect = Float64Array.from(r.int16Array(n, 'list_trgsect'));
    } else {
      n = r.svarint();
      out.listTrgsect = r.svarintArray(n, 'list_trgsect');
    }
    if (v >= 1 && t & 0x400) out.timeTrgsect = r.float32Array(n, 'time_trgsect');
  }
  if (t & 0x200) {
    if (v <= 1) {
      out.nPhysAddr = r.int16();
      out.physAddr = Float64Array.from(r.int16Array(out.nPhysAddr, 'phys_addr'));
    } else {
      out.nPhysAddr = r.svarint();
      out.physAddr = r.svarintArray(out.nPhysAddr, 'phys_addr');
    }
  }
  if (v >= 3) {
    out.readoutTime = r.float32();
    out.relativeTriggerTime = r.float32();
  }
  if (v >= 4) out.startReadout = r.int32();
  return out;
}

export interface PixelList {
  /** 0: triggered pixels, 1: selected pixels */
  code: number;
  telescopeId: number;
  pixels: number;
  pixelList: Int32Array;
}

export function parsePixelList(r: ByteReader, h: ObjectHeader): PixelList {
  requireMaxVersion(h, 1, 'PixelList');
  const telescopeId = h.id % 1000000;
  const code = Math.floor(h.id / 1000000);
  let pixels: number;
  let pixelList: Int32Array;
  if (h.version < 1) {
    pixels = r.int16();
    pixelList = Int32Array.from(r.int16Array(pixels, 'pixel list'));
  } else {
    pixels = r.svarint();
    pixelList = Int32Array.from(r.svarintArray(pixels, 'pixel list'));
  }
  return { code, telescopeId, pixels, pixelList };
}
