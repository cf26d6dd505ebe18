/**
 * Calibration and monitoring, as pyeventio 1.16 reads them: camera
 * monitoring (2022: pedestals and noise, HV, rates ... in the parts its
 * header announces), laser calibration (2023: dc_to_pe per gain and pixel,
 * time calibration, flat fielding) and pixel monitoring (2033).
 * A later object of the same telescope updates only the parts it carries
 * (pyeventio merges them with dict.update; `mergeMonitoring` does the same).
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import { ObjectParseError } from '../../eventio/eventio-errors.js';
import type { ObjectHeader } from '../../eventio/object-header.js';
import { checkPixels } from './limits.js';
import { requireMaxVersion, requireVersion } from './versions.js';

/** Telescope id packed into a monitoring object's header id. */
export function monitoringTelId(id: number): number {
  return (id & 0xff) | ((id & 0x3f000000) >> 16);
}

export interface CameraMonitoring {
  telescopeId: number;
  what: number;
  known: number;
  newParts: number;
  monitorId: number;
  moniTime: [number, number];
  nSectors: number;
  nPixels: number;
  nDrawers: number;
  nGains: number;
  // what & 0x01
  statusTime?: [number, number];
  statusBits?: number;
  // what & 0x02
  trigTime?: [number, number];
  coincCount?: number;
  eventCount?: number;
  triggerRate?: number;
  sectorRate?: Float32Array;
  eventRate?: number;
  dataRate?: number;
  meanSignificant?: number;
  // what & 0x04
  pedNoiseTime?: [number, number];
  nPedSlices?: number;
  /** nGains × nPixels, ADC counts summed over nPedSlices samples */
  pedestal?: Float32Array;
  noise?: Float32Array;
  // what & 0x08
  hvTempTime?: [number, number];
  nDrawerTemp?: number;
  nCameraTemp?: number;
  hvVMon?: Int16Array;
  hvIMon?: Int16Array;
  hvStat?: Uint8Array;
  drawerTemp?: Int16Array;
  cameraTemp?: Int16Array;
  // what & 0x10
  dcRateTime?: [number, number];
  current?: Uint16Array;
  scaler?: Uint16Array;
  // what & 0x20
  hvThrTime?: [number, number];
  hvDac?: Uint16Array;
  threshDac?: Uint16Array;
  hvSet?: Uint8Array;
  trigSet?: Uint8Array;
  // what & 0x40
  setDaqTime?: [number, number];
  daqConf?: number;
  daqScalerWin?: number;
  daqNd?: number;
  daqAcc?: number;
  daqNl?: number;
}

export function parseCameraMonitoring(r: ByteReader, h: ObjectHeader): CameraMonitoring {
  requireVersion(h, [0, 1], 'CameraMonitoring');
  const what = ((h.id & 0xffff00) >> 8) & 0xffff;
  const known = r.int16();
  const newParts = r.int16();
  const monitorId = r.int32();
  const moniTime: [number, number] = [r.int32(), r.int32()];
  let ns: number, np: number, nd: number, ng: number;
  if (h.version === 0) {
    ns = r.int16();
    np = r.int16();
    nd = r.int16();
    ng = r.int16();
  } else {
    ns = r.svarint();
    np = r.svarint();
    nd = r.svarint();
    ng = r.svarint();
  }
  checkPixels(np, 'camera monitoring');
  if (ns < 0 || nd < 0 || ng < 0) throw new ObjectParseError(`camera monitoring dimensions ${ns} sectors, ${nd} drawers, ${ng} gains`);
  if (what & 0x80) throw new ObjectParseError('camera monitoring part 0x80 is not defined (pyeventio cannot read it either)', 'unsupported');
  const time = (): [number, number] => [r.int32(), r.int32()];
  const m: CameraMonitoring = {
    telescopeId: monitoringTelId(h.id),
    what,
    known,
    newParts,
    monitorId,
    moniTime,
    nSectors: ns,
    nPixels: np,
    nDrawers: nd,
    nGains: ng,
  };
  if (what & 0x01) {
    m.statusTime = time();
    m.statusBits = r.int32();
  }
  if (what & 0x02) {
    m.trigTime = time();
    m.coincCount = r.int32();
    m.eventCount = r.int32();
    m.triggerRate = r.float32();
    m.sectorRate = r.float32Array(ns, 'sector rates');
    m.eventRate = r.float32();
    m.dataRate = r.float32();
    m.meanSignificant = r.float32();
  }
  if (what & 0x04) {
    m.pedNoiseTime = time();
    m.nPedSlices = r.int16();
    m.pedestal = r.float32Array(ng * np, 'pedestal');
    m.noise = r.float32Array(ng * np, 'noise');
  }
  if (what & 0x08) {
    m.hvTempTime = time();
    m.nDrawerTemp = r.int16();
    m.nCameraTemp = r.int16();
    m.hvVMon = r.int16Array(np, 'hv_v_mon');
    m.hvIMon = r.int16Array(np, 'hv_i_mon');
    m.hvStat = r.uint8Array(np, 'hv_stat');
    m.drawerTemp = r.int16Array(nd * m.nDrawerTemp, 'drawer_temp');
    m.cameraTemp = r.int16Array(m.nCameraTemp, 'camera_temp');
  }
  if (what & 0x10) {
    m.dcRateTime = time();
    m.current = r.uint16Array(np, 'current');
    m.scaler = r.uint16Array(np, 'scaler');
  }
  if (what & 0x20) {
    m.hvThrTime = time();
    m.hvDac = r.uint16Array(np, 'hv_dac');
    m.threshDac = r.uint16Array(nd, 'thresh_dac');
    m.hvSet = r.uint8Array(np, 'hv_set');
    m.trigSet = r.uint8Array(np, 'trig_set');
  }
  if (what & 0x40) {
    m.setDaqTime = time();
    m.daqConf = r.int16();
    m.daqScalerWin = r.int16();
    m.daqNd = r.int16();
    m.daqAcc = r.int16();
    m.daqNl = r.int16();
  }
  return m;
}

export interface LaserCalibration {
  telescopeId: number;
  lascalId: number;
  nGains: number;
  nPixels: number;
  /** nGains × nPixels: p.e. per ADC count (ctapipe's dc_to_pe) */
  calib: Float32Array;
  /** version ≥ 1 */
  maxIntFrac?: Float32Array;
  maxPixtmFrac?: Float32Array;
  /** version ≥ 2: nGains × nPixels time calibration, ns (ctapipe's time_shift) */
  tmCalib?: Float32Array;
  /** version ≥ 3: nGains × nPixels */
  flatFielding?: Float32Array;
}

export function parseLaserCalibration(r: ByteReader, h: ObjectHeader): LaserCalibration {
  requireMaxVersion(h, 3, 'LaserCalibration');
  const nPixels = r.uint16();
  const nGains = r.int16();
  const lascalId = r.int32();
  if (nGains < 0) throw new ObjectParseError(`laser calibration for ${nGains} gains`);
  const out: LaserCalibration = { telescopeId: h.id, lascalId, nGains, nPixels, calib: r.float32Array(nGains * nPixels, 'calib') };
  if (h.version >= 1) {
    const tmp = r.float32Array(nGains * 2, 'max_int_frac');
    out.maxIntFrac = new Float32Array(nGains);
    out.maxPixtmFrac = new Float32Array(nGains);
    for (let g = 0; g < nGains; g++) {
      out.maxIntFrac[g] = tmp[2 * g];
      out.maxPixtmFrac[g] = tmp[2 * g + 1];
    }
  }
  if (h.version >= 2) out.tmCalib = r.float32Array(nGains * nPixels, 'tm_calib');
  if (h.version >= 3) out.flatFielding = r.float32Array(nGains * nPixels, 'flat_fielding');
  return out;
}

export interface PixelMonitoring {
  telescopeId: number;
  flags: number;
  nPixels: number;
  nGains: number;
  nsbRate?: Float32Array;
  qeRel?: Float32Array;
  gainRel?: Float32Array;
  hvRel?: Float32Array;
  current?: Float32Array;
  fadcAmpHg?: Float32Array;
  fadcAmpLg?: Float32Array;
  disabled?: Uint8Array;
}

export function parsePixelMonitoring(r: ByteReader, h: ObjectHeader): PixelMonitoring {
  requireVersion(h, [0], 'PixelMonitoring');
  const flags = r.int32();
  const nPixels = r.int32();
  const nGains = r.int16();
  const out: PixelMonitoring = { telescopeId: h.id, flags, nPixels, nGains };
  if (flags & 0x01) out.nsbRate = r.float32Array(nPixels, 'nsb_rate');
  if (flags & 0x02) out.qeRel = r.float32Array(nPixels, 'qe_rel');
  if (flags & 0x04) out.gainRel = r.float32Array(nPixels, 'gain_rel');
  if (flags & 0x08) out.hvRel = r.float32Array(nPixels, 'hv_rel');
  if (flags & 0x10) out.current = r.float32Array(nPixels, 'current');
  if (flags & 0x20) out.fadcAmpHg = r.float32Array(nPixels, 'fadc_amp_hg');
  if (flags & 0x40 && nGains > 1) out.fadcAmpLg = r.float32Array(nPixels, 'fadc_amp_lg');
  if (flags & 0x80) out.disabled = r.uint8Array(nPixels, 'disabled');
  return out;
}

/** pyeventio's `dict.update` of successive monitoring objects of one telescope. */
export function mergeMonitoring<T extends object>(into: Partial<T> | undefined, next: T): T {
  return { ...(into ?? {}), ...next } as T;
}
