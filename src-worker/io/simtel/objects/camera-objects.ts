/**
 * The per-telescope description objects sim_telarray writes before the
 * events, as pyeventio 1.16 reads them: camera settings (2002), camera
 * organisation (2003), pixel settings (2004), disabled pixels (2005), camera
 * software settings (2006), pointing correction (2007), drive settings
 * (2008). The telescope id is the object's header id. Units as in the file:
 * m, m², rad, ns.
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import type { ObjectHeader } from '../../eventio/object-header.js';
import { requireMaxVersion, requireVersion } from './versions.js';

export interface CameraSettings {
  telescopeId: number;
  nPixels: number;
  /** equivalent focal length, m */
  focalLength: number;
  /** version ≥ 5: effective focal length, m */
  effectiveFocalLength?: number;
  /** version ≥ 6 */
  effectiveFocalLengthX?: number;
  effectiveFocalLengthY?: number;
  effectiveFocalLengthDx?: number;
  effectiveFocalLengthDy?: number;
  /** pixel centres, m */
  pixelX: Float32Array;
  pixelY: Float32Array;
  pixelZ: Float32Array;
  curvedSurface: number;
  pixelsParallel: number;
  nxpix: Float32Array;
  nypix: Float32Array;
  commonPixelShape: number;
  /** per pixel: 0 circle, 1 hexagon (flat top), 2 square, 3 hexagon (pointy top), -1 unknown (version < 4) */
  pixelShape: Int32Array;
  /** m² */
  pixelArea: Float32Array;
  /** m */
  pixelSize: Float32Array;
  nMirrors: number;
  /** m² */
  mirrorArea: number;
  /** camera rotation, rad */
  camRot: number;
}

export function parseCameraSettings(r: ByteReader, h: ObjectHeader): CameraSettings {
  requireMaxVersion(h, 6, 'CameraSettings');
  const v = h.version;
  const nPixels = r.count(r.int32(), 8, 'CameraSettings pixels');
  const focalLength = r.float32();
  const cam: Partial<CameraSettings> = { telescopeId: h.id, nPixels, focalLength };
  if (v > 4) cam.effectiveFocalLength = r.float32();
  if (v > 5) {
    cam.effectiveFocalLengthX = r.float32();
    cam.effectiveFocalLengthY = r.float32();
    cam.effectiveFocalLengthDx = r.float32();
    cam.effectiveFocalLengthDy = r.float32();
  }
  cam.pixelX = r.float32Array(nPixels, 'pixel_x');
  cam.pixelY = r.float32Array(nPixels, 'pixel_y');
  if (v >= 4) {
    cam.curvedSurface = r.svarint();
    cam.pixelsParallel = r.svarint();
    cam.pixelZ = cam.curvedSurface ? r.float32Array(nPixels, 'pixel_z') : new Float32Array(nPixels);
    if (!cam.pixelsParallel) {
      cam.nxpix = r.float32Array(nPixels, 'nxpix');
      cam.nypix = r.float32Array(nPixels, 'nypix');
    } else {
      cam.nxpix = new Float32Array(nPixels);
      cam.nypix = new Float32Array(nPixels);
    }
    cam.commonPixelShape = r.svarint();
    if (!cam.commonPixelShape) {
      r.count(nPixels, 1, 'pixel_shape');
      const shape = new Int32Array(nPixels);
      for (let i = 0; i < nPixels; i++) shape[i] = r.svarint();
      cam.pixelShape = shape;
      cam.pixelArea = r.float32Array(nPixels, 'pixel_area');
      cam.pixelSize = r.float32Array(nPixels, 'pixel_size');
    } else {
      cam.pixelShape = new Int32Array(nPixels).fill(r.svarint());
      cam.pixelArea = new Float32Array(nPixels).fill(r.float32());
      cam.pixelSize = new Float32Array(nPixels).fill(r.float32());
    }
  } else {
    cam.curvedSurface = 0;
    cam.pixelsParallel = 1;
    cam.commonPixelShape = 0;
    cam.pixelZ = new Float32Array(nPixels);
    cam.nxpix = new Float32Array(nPixels);
    cam.nypix = new Float32Array(nPixels);
    cam.pixelShape = new Int32Array(nPixels).fill(-1);
    cam.pixelArea = r.float32Array(nPixels, 'pixel_area');
    cam.pixelSize = v >= 1 ? r.float32Array(nPixels, 'pixel_size') : new Float32Array(nPixels);
  }
  if (v >= 2) {
    cam.nMirrors = r.int32();
    cam.mirrorArea = r.float32();
  } else {
    cam.nMirrors = 0;
    cam.mirrorArea = 0;
  }
  cam.camRot = v >= 3 ? r.float32() : 0;
  return cam as CameraSettings;
}

export interface CameraOrganization {
  telescopeId: number;
  nPixels: number;
  nDrawers: number;
  nGains: number;
  nSectors: number;
  drawer: Int32Array;
  /** nPixels × nGains */
  card: Int32Array;
  chip: Int32Array;
  channel: Int32Array;
  /** pixel ids of each trigger sector */
  sectors: Int32Array[];
  sectorType: Uint8Array;
  sectorThreshold: Float32Array;
  sectorPixelThreshold: Float32Array;
}

export function parseCameraOrganization(r: ByteReader, h: ObjectHeader): CameraOrganization {
  requireVersion(h, [1, 2], 'CameraOrganization');
  const nPixels = r.int32();
  const nDrawers = r.int32();
  const nGains = r.int32();
  const nSectors = r.int32();
  const v2 = h.version === 2;
  const ints = (n: number, what: string): Int32Array => {
    r.count(n, 1, what);
    if (v2) return Int32Array.from(r.svarintArray(n, what));
    return Int32Array.from(r.int16Array(n, what));
  };
  r.count(nPixels, 1, 'CameraOrganization pixels');
  r.count(nPixels * nGains, 1, 'CameraOrganization channels');
  const drawer = ints(nPixels, 'drawer');
  const card = ints(nPixels * nGains, 'card');
  const chip = ints(nPixels * nGains, 'chip');
  const channel = ints(nPixels * nGains, 'channel');
  const sectors: Int32Array[] = [];
  for (let i = 0; i < nPixels; i++) {
    const n = v2 ? r.svarint() : r.int16();
    sectors.push(ints(r.count(n, 1, 'sector'), 'sector'));
  }
  r.count(nSectors, 9, 'sector data');
  const sectorType = new Uint8Array(nSectors);
  const sectorThreshold = new Float32Array(nSectors);
  const sectorPixelThreshold = new Float32Array(nSectors);
  for (let i = 0; i < nSectors; i++) {
    sectorType[i] = r.uint8();
    sectorThreshold[i] = r.float32();
    sectorPixelThreshold[i] = r.float32();
  }
  return { telescopeId: h.id, nPixels, nDrawers, nGains, nSectors, drawer, card, chip, channel, sectors, sectorType, sectorThreshold, sectorPixelThreshold };
}

export interface PixelSettings {
  telescopeId: number;
  setupId: number;
  triggerMode: number;
  minPixelMult: number;
  nPixels: number;
  pixelHvDac: Int32Array;
  nDrawers: number;
  thresholdDac: Int32Array;
  adcStart: Int16Array;
  adcCount: Int16Array;
  /** version ≥ 1: sample width, ns */
  timeSlice?: number;
  /** version ≥ 1: samples read out */
  sumBins?: number;
  /** version ≥ 2: reference pulse shapes (one per gain) */
  nRefShape?: number;
  lRefShape?: number;
  /** ns between reference pulse shape samples */
  refStep?: number;
  /** nRefShape × lRefShape, stored as float16 in the file */
  refShape?: Float64Array;
  /** version ≥ 3 */
  sumOffset: number | null;
}

export function parsePixelSettings(r: ByteReader, h: ObjectHeader): PixelSettings {
  requireMaxVersion(h, 3, 'PixelSettings');
  const setupId = r.int32();
  const triggerMode = r.int32();
  const minPixelMult = r.int32();
  const nPixels = r.int32();
  const pixelHvDac = r.int32Array(nPixels, 'pixel_HV_DAC');
  let nDrawers = r.int32();
  const thresholdDac = r.int32Array(nDrawers, 'threshold_DAC');
  // pyeventio's layout has n_drawers a second time here, and the later one wins
  const nDrawers2 = r.int32();
  const adcStart = r.int16Array(nDrawers, 'ADC_start');
  const adcCount = r.int16Array(nDrawers, 'ADC_count');
  nDrawers = nDrawers2;
  const out: PixelSettings = {
    telescopeId: h.id,
    setupId,
    triggerMode,
    minPixelMult,
    nPixels,
    pixelHvDac,
    nDrawers,
    thresholdDac,
    adcStart,
    adcCount,
    sumOffset: null,
  };
  if (h.version >= 1) {
    out.timeSlice = r.float32();
    out.sumBins = r.int32();
  }
  if (h.version >= 2) {
    out.nRefShape = r.svarint();
    out.lRefShape = r.svarint();
    out.refStep = r.float32();
    if (out.nRefShape < 0 || out.lRefShape < 0) throw new Error(`reference pulse shape dimensions ${out.nRefShape} × ${out.lRefShape}`);
    out.refShape = r.float16Array(out.nRefShape * out.lRefShape, 'ref_shape');
  }
  if (h.version >= 3) out.sumOffset = r.int32();
  return out;
}

export interface DisabledPixels {
  telescopeId: number;
  nTrigDisabled: number;
  triggerDisabled: Int32Array;
  nHvDisabled: number;
  hvDisabled: Int32Array;
}

export function parseDisabledPixels(r: ByteReader, h: ObjectHeader): DisabledPixels {
  requireVersion(h, [0], 'DisabledPixels');
  const nTrigDisabled = r.int32();
  const triggerDisabled = r.int32Array(nTrigDisabled, 'trigger_disabled');
  const nHvDisabled = r.int32();
  const hvDisabled = r.int32Array(nHvDisabled, 'HV_disabled');
  return { telescopeId: h.id, nTrigDisabled, triggerDisabled, nHvDisabled, hvDisabled };
}

export interface CameraSoftwareSettings {
  telescopeId: number;
  dynTrigMode: number;
  dynTrigThreshold: number;
  dynHvMode: number;
  dynHvThreshold: number;
  dataRedMode: number;
  zeroSupMode: number;
  zeroSupNThr: number;
  zeroSupThresholds: Int32Array;
  unbiasedScale: number;
  dynPedMode: number;
  dynPedEvents: number;
  dynPedPeriod: number;
  monitorCurPeriod: number;
  reportCurPeriod: number;
  monitorHvPeriod: number;
  reportHvPeriod: number;
}

export function parseCameraSoftwareSettings(r: ByteReader, h: ObjectHeader): CameraSoftwareSettings {
  requireVersion(h, [0], 'CameraSoftwareSettings');
  const dynTrigMode = r.int32();
  const dynTrigThreshold = r.int32();
  const dynHvMode = r.int32();
  const dynHvThreshold = r.int32();
  const dataRedMode = r.int32();
  const zeroSupMode = r.int32();
  const zeroSupNThr = r.int32();
  const zeroSupThresholds = r.int32Array(zeroSupNThr, 'zero_sup_thresholds');
  return {
    telescopeId: h.id,
    dynTrigMode,
    dynTrigThreshold,
    dynHvMode,
    dynHvThreshold,
    dataRedMode,
    zeroSupMode,
    zeroSupNThr,
    zeroSupThresholds,
    unbiasedScale: r.int32(),
    dynPedMode: r.int32(),
    dynPedEvents: r.int32(),
    dynPedPeriod: r.int32(),
    monitorCurPeriod: r.int32(),
    reportCurPeriod: r.int32(),
    monitorHvPeriod: r.int32(),
    reportHvPeriod: r.int32(),
  };
}

export interface PointingCorrection {
  telescopeId: number;
  functionType: number;
  nParam: number;
  pointingParam: Float32Array;
}

export function parsePointingCorrection(r: ByteReader, h: ObjectHeader): PointingCorrection {
  requireVersion(h, [0], 'PointingCorrection');
  const functionType = r.int32();
  const nParam = r.int32();
  return { telescopeId: h.id, functionType, nParam, pointingParam: r.float32Array(nParam, 'pointing_param') };
}

export interface DriveSettings {
  telescopeId: number;
  driveTypeAz: number;
  driveTypeAlt: number;
  zeropointAz: number;
  zeropointAlt: number;
  signAz: number;
  signAlt: number;
  resolutionAz: number;
  resolutionAlt: number;
  rangeLowAz: number;
  rangeLowAlt: number;
  rangeHighAz: number;
  rangeHighAlt: number;
  parkPosAz: number;
  parkPosAlt: number;
}

export function parseDriveSettings(r: ByteReader, h: ObjectHeader): DriveSettings {
  requireVersion(h, [0], 'DriveSettings');
  return {
    telescopeId: h.id,
    driveTypeAz: r.int16(),
    driveTypeAlt: r.int16(),
    zeropointAz: r.float32(),
    zeropointAlt: r.float32(),
    signAz: r.float32(),
    signAlt: r.float32(),
    resolutionAz: r.float32(),
    resolutionAlt: r.float32(),
    rangeLowAz: r.float32(),
    rangeLowAlt: r.float32(),
    rangeHighAz: r.float32(),
    rangeHighAlt: r.float32(),
    parkPosAz: r.float32(),
    parkPosAlt: r.float32(),
  };
}
