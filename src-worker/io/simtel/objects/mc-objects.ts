/**
 * Simulation truth, as pyeventio 1.16 reads it: MC shower (2020), MC event
 * (2021), photo-electron sums (2026) and the CORSIKA IACT photo-electrons
 * per pixel (1208, inside a TelescopeData 1204 container). Units as in the
 * file: TeV, rad, m, g/cm², ns.
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import { ObjectParseError } from '../../eventio/eventio-errors.js';
import { parseObjectHeader, type ObjectHeader } from '../../eventio/object-header.js';
import { ByteReader as Reader } from '../../eventio/byte-reader.js';
import { checkPixels } from './limits.js';
import { requireMaxVersion, requireVersion } from './versions.js';

export interface MCShowerProfile {
  id: number;
  nSteps: number;
  start: number;
  end: number;
  content: Float32Array;
}

export interface MCShower {
  /** header id: the shower number */
  shower: number;
  primaryId: number;
  /** TeV */
  energy: number;
  /** rad */
  azimuth: number;
  altitude: number;
  /** version ≥ 1, g/cm² */
  depthStart?: number;
  /** m */
  hFirstInt: number;
  /** g/cm² */
  xmax: number;
  hmax: number;
  emax: number;
  cmax: number;
  nProfiles: number;
  profiles: MCShowerProfile[];
  /** version ≥ 2: the embedded MC extra parameters (1215) */
  mcExtraParams?: { weight: number; nIparam: number; nFparam: number; iparam?: Int32Array; fparam?: Float32Array };
}

export function parseMCShower(r: ByteReader, h: ObjectHeader): MCShower {
  requireMaxVersion(h, 2, 'MCShower');
  const v = h.version;
  const mc: Partial<MCShower> = { shower: h.id, primaryId: r.int32(), energy: r.float32(), azimuth: r.float32(), altitude: r.float32() };
  if (v >= 1) mc.depthStart = r.float32();
  mc.hFirstInt = r.float32();
  mc.xmax = r.float32();
  if (v >= 1) {
    mc.hmax = r.float32();
    mc.emax = r.float32();
    mc.cmax = r.float32();
  } else {
    mc.hmax = mc.emax = mc.cmax = 0;
  }
  mc.nProfiles = r.int16();
  r.count(mc.nProfiles, 16, 'shower profiles');
  mc.profiles = [];
  for (let i = 0; i < mc.nProfiles; i++) {
    const id = r.int32();
    const nSteps = r.int32();
    const start = r.float32();
    const end = r.float32();
    mc.profiles.push({ id, nSteps, start, end, content: r.float32Array(nSteps, 'profile') });
  }
  if (v >= 2) {
    const eh = parseObjectHeader(r.bytes, r.pos, r.littleEndian, r.remaining);
    if (eh.type !== 1215) throw new ObjectParseError(`MC shower extra parameters: object of type ${eh.type} where 1215 was expected`);
    const start = r.pos + eh.headerSize;
    if (start + eh.contentSize > r.end) throw new ObjectParseError('MC shower extra parameters run past the shower');
    const x = new Reader(r.bytes, r.littleEndian, start, start + eh.contentSize);
    const weight = x.float32();
    const nIparam = x.uvarint();
    const nFparam = x.uvarint();
    mc.mcExtraParams = { weight, nIparam, nFparam };
    if (nIparam > 0) mc.mcExtraParams.iparam = x.int32Array(nIparam, 'iparam');
    // pyeventio reads n_iparam floats here (a slip); the writer stores n_fparam
    if (nFparam > 0) mc.mcExtraParams.fparam = x.float32Array(nFparam, 'fparam');
    r.pos = start + eh.contentSize;
  }
  return mc as MCShower;
}

export interface MCEvent {
  eventId: number;
  showerNum: number;
  /** m */
  xcore: number;
  ycore: number;
  aweight: number;
}

export function parseMCEvent(r: ByteReader, h: ObjectHeader): MCEvent {
  requireVersion(h, [1, 2], 'MCEvent');
  const showerNum = r.int32();
  const xcore = r.float32();
  const ycore = r.float32();
  const aweight = h.version >= 2 ? r.float32() : 1;
  return { eventId: h.id, showerNum, xcore, ycore, aweight };
}

export interface MCPhotoelectronSum {
  event: number;
  showerNum: number;
  nTel: number;
  /** per telescope (run-header order), p.e. */
  nPe: Int32Array;
  photons?: Float32Array;
  photonsAtm?: Float32Array;
  photonsAtm36?: Float32Array;
  photonsAtmQe?: Float32Array;
  photonsAtm400?: Float32Array;
}

export function parseMCPhotoelectronSum(r: ByteReader, h: ObjectHeader): MCPhotoelectronSum {
  requireMaxVersion(h, 2, 'MCPhotoelectronSum');
  const showerNum = r.int32();
  const nTel = r.int32();
  const nPe = r.int32Array(nTel, 'n_pe');
  const nPixels = r.int32Array(nTel, 'n_pixels');
  if (nPixels.some((n) => n !== 0)) throw new ObjectParseError('photo-electron sums with pixel data are not supported (pyeventio neither)', 'unsupported');
  const out: MCPhotoelectronSum = { event: h.id, showerNum, nTel, nPe };
  if (h.version >= 1) {
    out.photons = r.float32Array(nTel);
    out.photonsAtm = r.float32Array(nTel);
    out.photonsAtm36 = r.float32Array(nTel);
    out.photonsAtmQe = r.float32Array(nTel);
  }
  if (h.version >= 2) out.photonsAtm400 = r.float32Array(nTel);
  return out;
}

export interface PhotoElectrons {
  arrayId: number;
  /** header id % 1000: the telescope's index in the CORSIKA array (tel_id - 1 for sim_telarray) */
  telescopeId: number;
  nPe: number;
  nPixels: number;
  flags: number;
  nonEmpty: number;
  /** p.e. per pixel: ctapipe's true image */
  photoelectrons: Int32Array;
  /** pixel of each photo-electron */
  pixelId: Uint32Array;
  /** arrival time of each photo-electron, ns */
  time: Float32Array;
  /** flags & 1: amplitude of each photo-electron */
  amplitude?: Float32Array;
  /** flags & 4: photons per pixel */
  photons?: Int32Array;
}

export function parsePhotoElectrons(r: ByteReader, h: ObjectHeader): PhotoElectrons {
  requireVersion(h, [1, 2, 3], 'PhotoElectrons');
  const nPe = r.int32();
  const nPixels = r.int32();
  const flags = h.version > 1 ? r.int16() : 0;
  const nonEmpty = r.int32();
  checkPixels(nPixels, 'photo-electrons');
  r.count(nPe, 4, 'photo-electron times');
  r.count(nonEmpty, 5, 'pixels with photo-electrons');
  const photoelectrons = new Int32Array(nPixels);
  const pixelId = new Uint32Array(nPe);
  const time = new Float32Array(nPe);
  const hasAmplitudes = (flags & 1) !== 0;
  const amplitude = hasAmplitudes ? new Float32Array(nPe) : undefined;
  let k = 0;
  for (let i = 0; i < nonEmpty; i++) {
    const pix = h.version > 2 ? r.svarint() : r.int16();
    const n = r.int32();
    if (pix < 0 || pix >= nPixels) throw new ObjectParseError(`photo-electrons for pixel ${pix} of ${nPixels}`);
    if (n < 0 || k + n > nPe) throw new ObjectParseError(`pixel ${pix} claims ${n} photo-electrons, more than the ${nPe} announced`);
    photoelectrons[pix] = n;
    r.float32Into(time, k, n, 'photo-electron times');
    pixelId.fill(pix, k, k + n);
    if (amplitude) r.float32Into(amplitude, k, n, 'photo-electron amplitudes');
    k += n;
  }
  const out: PhotoElectrons = { arrayId: Math.floor(h.id / 1000), telescopeId: h.id % 1000, nPe, nPixels, flags, nonEmpty, photoelectrons, pixelId, time };
  if (amplitude) out.amplitude = amplitude;
  if (flags & 4) {
    const photons = new Int32Array(nPixels);
    const n = r.int32();
    r.count(n, 6, 'pixels with photons');
    for (let i = 0; i < n; i++) {
      const pix = r.int16();
      if (pix < 0 || pix >= nPixels) throw new ObjectParseError(`photons for pixel ${pix} of ${nPixels}`);
      photons[pix] = r.int32();
    }
    out.photons = photons;
  }
  return out;
}
