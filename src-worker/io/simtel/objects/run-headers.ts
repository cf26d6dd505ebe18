/**
 * Run header (2000) and MC run header (2001), as pyeventio 1.16 reads them
 * (io_hess.c write_hess_runheader / write_hess_mcrunheader). Units as in
 * the file: angles in rad, positions in m, energies in TeV.
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import type { ObjectHeader } from '../../eventio/object-header.js';
import { requireMaxVersion, requireVersion } from './versions.js';

export interface RunHeader {
  run: number;
  /** unix time, s */
  time: number;
  runType: number;
  /** 0: alt/az; otherwise ra/dec */
  trackingMode: number;
  /** version ≥ 2 */
  reverseFlag?: number;
  /** (az, alt) or (ra, dec), rad */
  direction: Float32Array;
  offsetFov: Float32Array;
  convDepth: number;
  /** version ≥ 1 */
  convRefPos?: Float32Array;
  nTelescopes: number;
  telId: Int16Array;
  /** nTelescopes × 3 (x, y, z), m */
  telPos: Float32Array;
  minTelTrig: number;
  duration: number;
  target: Uint8Array;
  observer: Uint8Array;
}

export function parseRunHeader(r: ByteReader, h: ObjectHeader): RunHeader {
  requireMaxVersion(h, 2, 'RunHeader');
  const run = r.int32();
  const time = r.int32();
  const runType = r.int32();
  const trackingMode = r.int32();
  const reverseFlag = h.version >= 2 ? r.int32() : undefined;
  const direction = r.float32Array(2);
  const offsetFov = r.float32Array(2);
  const convDepth = r.float32();
  const convRefPos = h.version >= 1 ? r.float32Array(2) : undefined;
  const nTelescopes = r.int32();
  r.count(nTelescopes, 14, 'RunHeader telescopes');
  const telId = r.int16Array(nTelescopes);
  const telPos = r.float32Array(nTelescopes * 3);
  const minTelTrig = r.int32();
  const duration = r.int32();
  const target = r.shortString();
  const observer = r.shortString();
  return {
    run,
    time,
    runType,
    trackingMode,
    reverseFlag,
    direction,
    offsetFov,
    convDepth,
    convRefPos,
    nTelescopes,
    telId,
    telPos,
    minTelTrig,
    duration,
    target,
    observer,
  };
}

export interface MCRunHeader {
  showerProgId: number;
  showerProgVers: number;
  showerProgStart: number;
  detectorProgId: number;
  detectorProgVers: number;
  detectorProgStart: number;
  /** m */
  obsheight: number;
  nShowers: number;
  nUse: number;
  corePosMode: number;
  /** m */
  coreRange: Float32Array;
  /** rad */
  altRange: Float32Array;
  /** rad */
  azRange: Float32Array;
  diffuse: number;
  /** deg */
  viewcone: Float32Array;
  /** TeV */
  eRange: Float32Array;
  spectralIndex: number;
  /** µT */
  bTotal: number;
  /** rad */
  bInclination: number;
  /** rad */
  bDeclination: number;
  injectionHeight: number;
  atmosphere: number;
  corsikaIactOptions: number;
  corsikaLowEModel: number;
  corsikaHighEModel: number;
  corsikaBunchsize: number;
  /** nm */
  corsikaWlenMin: number;
  /** nm */
  corsikaWlenMax: number;
  corsikaLowEDetail: number;
  corsikaHighEDetail: number;
}

export function parseMCRunHeader(r: ByteReader, h: ObjectHeader): MCRunHeader {
  requireVersion(h, [4], 'MCRunHeader');
  return {
    showerProgId: r.int32(),
    showerProgVers: r.int32(),
    showerProgStart: r.int32(),
    detectorProgId: r.int32(),
    detectorProgVers: r.int32(),
    detectorProgStart: r.int32(),
    obsheight: r.float32(),
    nShowers: r.int32(),
    nUse: r.int32(),
    corePosMode: r.int32(),
    coreRange: r.float32Array(2),
    altRange: r.float32Array(2),
    azRange: r.float32Array(2),
    diffuse: r.int32(),
    viewcone: r.float32Array(2),
    eRange: r.float32Array(2),
    spectralIndex: r.float32(),
    bTotal: r.float32(),
    bInclination: r.float32(),
    bDeclination: r.float32(),
    injectionHeight: r.float32(),
    atmosphere: r.int32(),
    corsikaIactOptions: r.int32(),
    corsikaLowEModel: r.int32(),
    corsikaHighEModel: r.int32(),
    corsikaBunchsize: r.float32(),
    corsikaWlenMin: r.float32(),
    corsikaWlenMax: r.float32(),
    corsikaLowEDetail: r.int32(),
    corsikaHighEDetail: r.int32(),
  };
}
