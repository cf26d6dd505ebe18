/**
 * Raw camera data, as pyeventio 1.16 reads it: ADC samples (2013, version 3)
 * and ADC sums (2012, version 3), every mode pyeventio reads:
 *
 * - samples, zero suppression off: n_gains × n_pixels differential vectors
 *   of n_samples;
 * - samples, zero suppressed: a list of pixel ranges (a negative start is
 *   one pixel), the vectors of those pixels only; the others stay 0;
 * - sums, mode 0: n_gains differential vectors of n_pixels;
 * - sums, zero suppression 1: groups of 16 pixels, a 16-bit mask of those
 *   present, then the low-gain and high-gain sums of the present ones;
 * - sums, zero suppression 2: a list of pixel ids with flags (no low gain,
 *   8-bit high gain), then low-gain, 16-bit and 8-bit high-gain sums.
 *
 * Data reduction modes other than 0 and samples with a known pixel list are
 * not read by pyeventio either: they are 'unsupported' errors naming the
 * modes. Values are stored as pyeventio stores them (samples truncated to
 * 16 bits, sums as 32-bit unsigned).
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import { ObjectParseError } from '../../eventio/eventio-errors.js';
import type { ObjectHeader } from '../../eventio/object-header.js';
import { decodeDifferentialVector, decodeDifferentialVectorsU16 } from '../../eventio/varint.js';
import { checkElements, checkPixels } from './limits.js';
import { requireVersion } from './versions.js';

const HI_GAIN = 0;
const LO_GAIN = 1;

export interface AdcSamples {
  telescopeId: number;
  zeroSupMode: number;
  dataRedMode: number;
  listKnown: boolean;
  nGains: number;
  nPixels: number;
  nSamples: number;
  /** gains × pixels × samples, ADC counts */
  samples: Uint16Array;
}

export interface AdcSums {
  telescopeId: number;
  zeroSupMode: number;
  dataRedMode: number;
  listKnown: boolean;
  nGains: number;
  nPixels: number;
  /** gains × pixels, ADC counts */
  sums: Uint32Array;
  /** the dtype pyeventio gives: uint32 (mode 0) or float64 (zero-suppressed modes), same values */
  dtype: 'uint32' | 'float64';
}

function dims(nGains: number, nPixels: number, nSamples: number, what: string): void {
  if (!(nGains >= 1 && nGains <= 4) || nSamples < 0) {
    throw new ObjectParseError(`${what}: impossible dimensions ${nGains} gains × ${nPixels} pixels × ${nSamples} samples`);
  }
  checkPixels(nPixels, what);
  checkElements(nGains * nPixels * nSamples, what);
}

export function parseAdcSamples(r: ByteReader, h: ObjectHeader): AdcSamples {
  requireVersion(h, [3], 'ADCSamples');
  const flags = h.id;
  const zeroSupMode = flags & 0x1f;
  const dataRedMode = (flags >> 5) & 0x1f;
  const listKnown = ((flags >> 10) & 1) === 1;
  const telescopeId = (flags >> 12) & 0xffff;
  if (dataRedMode !== 0 || listKnown) {
    throw new ObjectParseError(
      `ADC samples with data reduction mode ${dataRedMode} and zero suppression mode ${zeroSupMode}${listKnown ? ' (pixel list known)' : ''} are not supported`,
      'unsupported',
    );
  }
  const nPixels = r.int32();
  const nGains = r.int16();
  const nSamples = r.int16();
  dims(nGains, nPixels, nSamples, 'ADC samples');
  // each value takes at least one byte
  if (!zeroSupMode) r.count(nGains * nPixels * nSamples, 1, 'ADC samples');
  const samples = new Uint16Array(nGains * nPixels * nSamples);
  const b = r.bytes;
  if (!zeroSupMode) {
    r.pos = decodeDifferentialVectorsU16(b, r.pos, r.end, nGains * nPixels, nSamples, samples, 0);
  } else {
    const listSize = r.svarint();
    r.count(listSize, 1, 'pixel ranges');
    const starts: number[] = [];
    const ends: number[] = [];
    let nSignal = 0;
    for (let i = 0; i < listSize; i++) {
      const s = r.svarint();
      let a: number;
      let e: number;
      if (s < 0) {
        a = -s - 1;
        e = -s;
      } else {
        a = s;
        e = r.svarint() + 1;
      }
      if (a < 0 || e > nPixels || e < a) throw new ObjectParseError(`zero-suppressed pixel range ${a}..${e - 1} outside the ${nPixels} pixels`);
      starts.push(a);
      ends.push(e);
      nSignal += e - a;
    }
    if (nSignal > nPixels) throw new ObjectParseError(`zero-suppressed pixel ranges cover ${nSignal} pixels of a ${nPixels}-pixel camera`);
    r.count(nGains * nSignal * nSamples, 1, 'zero-suppressed ADC samples');
    let pos = r.pos;
    for (let g = 0; g < nGains; g++) {
      for (let k = 0; k < starts.length; k++) {
        pos = decodeDifferentialVectorsU16(b, pos, r.end, ends[k] - starts[k], nSamples, samples, (g * nPixels + starts[k]) * nSamples);
      }
    }
    r.pos = pos;
  }
  return { telescopeId, zeroSupMode, dataRedMode, listKnown, nGains, nPixels, nSamples, samples };
}

export function parseAdcSums(r: ByteReader, h: ObjectHeader): AdcSums {
  requireVersion(h, [3], 'ADCSums');
  const flags = h.id;
  const telescopeId = h.version <= 1 ? (flags >> 25) & 0x1f : (flags >> 12) & 0xffff;
  const zeroSupMode = flags & 0x1f;
  const dataRedMode = (flags >> 5) & 0x1f;
  const listKnown = ((flags >> 10) & 1) === 1;
  const nPixels = r.int32();
  const nGains = r.int16();
  dims(nGains, nPixels, 1, 'ADC sums');
  const sums = new Uint32Array(nGains * nPixels);
  const b = r.bytes;
  const base = { telescopeId, zeroSupMode, dataRedMode, listKnown, nGains, nPixels, sums };
  if (dataRedMode === 0 && zeroSupMode === 0) {
    r.count(nGains * nPixels, 1, 'ADC sums');
    let pos = r.pos;
    for (let g = 0; g < nGains; g++) pos = decodeDifferentialVector(b, pos, r.end, nPixels, sums, g * nPixels);
    r.pos = pos;
    return { ...base, dtype: 'uint32' };
  }
  if (dataRedMode === 0 && zeroSupMode === 1) {
    const lg = new Uint32Array(16);
    const hg = new Uint32Array(16);
    for (let k0 = 0; k0 < nPixels; k0 += 16) {
      const n = Math.min(16, nPixels - k0);
      const zbits = r.int16();
      let m = 0;
      for (let i = 0; i < 16; i++) if (zbits & (1 << i)) m++;
      if (nGains === 2) r.pos = decodeDifferentialVector(b, r.pos, r.end, m, lg, 0);
      r.pos = decodeDifferentialVector(b, r.pos, r.end, m, hg, 0);
      let j2 = 0;
      for (let j = 0; j < n; j++) {
        if (zbits & (1 << j)) {
          if (nGains === 2) sums[LO_GAIN * nPixels + k0 + j] = lg[j2];
          sums[HI_GAIN * nPixels + k0 + j] = hg[j2];
          j2++;
        }
      }
    }
    return { ...base, dtype: 'float64' };
  }
  if (dataRedMode === 0 && zeroSupMode === 2) {
    const listSize = r.int16();
    const list = r.uint16Array(listSize, 'ADC sum pixel list');
    let mlg = 0;
    let mhg16 = 0;
    let mhg8 = 0;
    for (let i = 0; i < listSize; i++) {
      const withoutLg = (list[i] & 0x2000) !== 0;
      const reduced = (list[i] & 0x4000) !== 0;
      if (reduced) mhg8++;
      else if (nGains < 2 || withoutLg) mhg16++;
      else {
        mlg++;
        mhg16++;
      }
    }
    const lg = new Uint32Array(mlg);
    const hg = new Uint32Array(mhg16);
    if (nGains >= 2) r.pos = decodeDifferentialVector(b, r.pos, r.end, mlg, lg, 0);
    r.pos = decodeDifferentialVector(b, r.pos, r.end, mhg16, hg, 0);
    const hg8 = r.uint8Array(mhg8, '8-bit ADC sums');
    mlg = mhg16 = mhg8 = 0;
    for (let i = 0; i < listSize; i++) {
      const id = list[i] & 0x1fff;
      if (id >= nPixels) throw new ObjectParseError(`ADC sum for pixel ${id} of ${nPixels}`);
      const withoutLg = (list[i] & 0x2000) !== 0;
      if (list[i] & 0x4000) sums[HI_GAIN * nPixels + id] = hg8[mhg8++];
      else sums[HI_GAIN * nPixels + id] = hg[mhg16++];
      if (!withoutLg && nGains > 1) {
        if (mlg >= lg.length) throw new ObjectParseError('more low-gain ADC sums used than stored (8-bit high gain with low gain)');
        sums[LO_GAIN * nPixels + id] = lg[mlg++];
      }
    }
    return { ...base, dtype: 'float64' };
  }
  throw new ObjectParseError(`ADC sums with data reduction mode ${dataRedMode} and zero suppression mode ${zeroSupMode} are not supported`, 'unsupported');
}
