/**
 * Pixel timing (2016, versions 1 and 2), as pyeventio 1.16 reads it: per
 * listed pixel, `n_types` times (int16 × granularity, in samples) and, when
 * before_peak and after_peak are ≥ 0, local and global pulse sums per gain.
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import { ObjectParseError } from '../../eventio/eventio-errors.js';
import type { ObjectHeader } from '../../eventio/object-header.js';
import { checkElements, checkPixels } from './limits.js';
import { requireVersion } from './versions.js';

export interface PixelTiming {
  telescopeId: number;
  nPixels: number;
  nGains: number;
  beforePeak: number;
  afterPeak: number;
  withSum: boolean;
  /** 1: list of pixel ids; 2: list of (first, last) ranges */
  listType: number;
  pixelList: Int32Array;
  threshold: number;
  globOnlySelected: boolean;
  nTypes: number;
  timeType: Int16Array;
  timeLevel: Float32Array;
  granularity: number;
  peakGlobal: number;
  /** nPixels × nTypes, NaN where not listed */
  time: Float32Array;
  /** nGains × nPixels */
  pulseSumLoc: Int32Array;
  pulseSumGlob: Int32Array;
}

export function parsePixelTiming(r: ByteReader, h: ObjectHeader): PixelTiming {
  requireVersion(h, [1, 2], 'PixelTiming');
  const nPixels = h.version <= 1 ? r.int16() : r.svarint();
  const nGains = r.int16();
  const beforePeak = r.int16();
  const afterPeak = r.int16();
  const withSum = beforePeak >= 0 && afterPeak >= 0;
  const listType = r.int16();
  if (listType !== 1 && listType !== 2) throw new ObjectParseError(`pixel timing list type ${listType} (1 or 2 expected)`);
  let pixelList: Int32Array;
  if (h.version <= 1) {
    const listSize = r.int16();
    pixelList = Int32Array.from(r.int16Array(listSize * listType, 'pixel timing list'));
  } else {
    const listSize = r.svarint();
    pixelList = Int32Array.from(r.svarintArray(listSize * listType, 'pixel timing list'));
  }
  const threshold = r.int16();
  const globOnlySelected = threshold < 0;
  const nTypes = r.int16();
  const timeType = r.int16Array(nTypes, 'time types');
  const timeLevel = r.float32Array(nTypes, 'time levels');
  const granularity = r.float32();
  const peakGlobal = r.float32();
  if (nGains < 0 || nTypes < 0) throw new ObjectParseError(`pixel timing dimensions ${nPixels} pixels, ${nGains} gains, ${nTypes} types`);
  checkPixels(nPixels, 'pixel timing');
  checkElements(nPixels * Math.max(nTypes, nGains), 'pixel timing');
  const time = new Float32Array(nPixels * nTypes).fill(NaN);
  const pulseSumLoc = new Int32Array(nGains * nPixels);
  const pulseSumGlob = new Int32Array(nGains * nPixels);
  let visited = 0;
  const pixel = (p: number): void => {
    if (p < 0 || p >= nPixels) throw new ObjectParseError(`pixel timing for pixel ${p} of ${nPixels}`);
    // ranges may not cover the camera many times over (with no types and no sums a pixel takes no bytes)
    if (++visited > 4 * nPixels + 16) throw new ObjectParseError(`pixel timing lists more pixels than 4 × the ${nPixels} of the camera`);
    for (let t = 0; t < nTypes; t++) time[p * nTypes + t] = Math.fround(granularity * r.int16());
    if (withSum) {
      for (let g = 0; g < nGains; g++) pulseSumLoc[g * nPixels + p] = r.svarint();
      if (globOnlySelected) for (let g = 0; g < nGains; g++) pulseSumGlob[g * nPixels + p] = r.svarint();
    }
  };
  if (listType === 1) {
    for (let i = 0; i < pixelList.length; i++) pixel(pixelList[i]);
  } else {
    for (let i = 0; i + 1 < pixelList.length; i += 2) {
      if (pixelList[i + 1] - pixelList[i] > nPixels) throw new ObjectParseError(`pixel timing range ${pixelList[i]}..${pixelList[i + 1]}`);
      for (let p = pixelList[i]; p <= pixelList[i + 1]; p++) pixel(p);
    }
  }
  if (withSum && pixelList.length > 0 && !globOnlySelected) {
    r.count(nGains * nPixels, 1, 'global pulse sums');
    for (let g = 0; g < nGains; g++) for (let p = 0; p < nPixels; p++) pulseSumGlob[g * nPixels + p] = r.svarint();
  }
  return {
    telescopeId: h.id,
    nPixels,
    nGains,
    beforePeak,
    afterPeak,
    withSum,
    listType,
    pixelList,
    threshold,
    globOnlySelected,
    nTypes,
    timeType,
    timeLevel,
    granularity,
    peakGlobal,
    time,
    pulseSumLoc,
    pulseSumGlob,
  };
}
