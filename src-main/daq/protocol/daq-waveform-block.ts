/**
 * The optional R1 waveform block of a DAQ image frame (protocol version 1,
 * image frame flags bit 0; daq-protocol.md, "R1 waveform block"): a
 * telescope's calibrated waveforms (p.e. per sample, ctapipe's R1, gain
 * selected), after the image's peak times.
 *
 *   offset  type  field
 *   0       u16   block_version   1
 *   2       u16   sample_type     1 float32, 2 int16 scaled
 *   4       u32   n_samples       samples per pixel, 1..DAQ_MAX_WAVEFORM_SAMPLES
 *   8       f32   sampling_rate   GHz (samples per ns), finite and > 0
 *   12      f32   scale           int16: sample = raw / scale + offset (finite, ≠ 0); float32: 1
 *   16      f32   offset          int16: see scale (finite); float32: 0
 *   20      u32   reserved        0
 *   24      ...   samples         pixel-major (pixel 0's n_samples first), n × n_samples values,
 *                                 f32 or i16; int16 samples padded with zero bytes to a multiple of 4
 *
 * ctapipe's fixed-point columns use the same convention
 * (CTAFIELD_*_TRANSFORM_SCALE/OFFSET: stored = (value − offset) × scale).
 */

/** image frame flag: an R1 waveform block follows the peak times */
export const DAQ_FLAG_WAVEFORM = 1;
export const DAQ_WAVEFORM_BLOCK_VERSION = 1;
export const DAQ_WAVEFORM_HEADER_BYTES = 24;
/** most samples per pixel accepted (longer readouts are not waveforms a monitor needs) */
export const DAQ_MAX_WAVEFORM_SAMPLES = 4096;

const SAMPLE_TYPE = { float32: 1, int16: 2 } as const;

/** A decoded waveform block: samples in p.e., pixel-major. */
export interface DaqWaveform {
  nSamples: number;
  /** GHz */
  samplingRateGHz: number;
  /** n pixels × nSamples, p.e. (int16 blocks already scaled back) */
  samples: Float32Array;
  /** how it travelled */
  encoding: 'float32' | 'int16';
}

/** A waveform to send. */
export interface DaqWaveformInput {
  nSamples: number;
  samplingRateGHz: number;
  /** n pixels × nSamples, p.e., pixel-major */
  samples: Float32Array;
  /** default float32; int16 halves the bytes, quantised to (max − min) / 65534 */
  encoding?: 'float32' | 'int16';
}

function check(w: DaqWaveformInput, nPixels: number, telId: number): void {
  if (!(Number.isInteger(w.nSamples) && w.nSamples >= 1 && w.nSamples <= DAQ_MAX_WAVEFORM_SAMPLES))
    throw new Error(`DAQ waveform block (tel_id ${telId}): n_samples ${w.nSamples} is not in 1..${DAQ_MAX_WAVEFORM_SAMPLES}`);
  if (!(Number.isFinite(w.samplingRateGHz) && w.samplingRateGHz > 0))
    throw new Error(`DAQ waveform block (tel_id ${telId}): sampling rate ${w.samplingRateGHz} GHz is not a finite positive number`);
  if (w.samples.length !== nPixels * w.nSamples)
    throw new Error(`DAQ waveform block (tel_id ${telId}): ${w.samples.length} samples for ${nPixels} pixels × ${w.nSamples} samples`);
}

const padded = (bytes: number) => (bytes + 3) & ~3;

/** bytes of the block for `nPixels` pixels (header and samples, padded) */
export function waveformBlockBytes(w: DaqWaveformInput, nPixels: number, telId = 0): number {
  check(w, nPixels, telId);
  return DAQ_WAVEFORM_HEADER_BYTES + padded(nPixels * w.nSamples * (w.encoding === 'int16' ? 2 : 4));
}

/** int16 scale and offset covering [min, max] of the samples */
function fixedPoint(samples: Float32Array): { scale: number; offset: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(Number.isFinite(min) && Number.isFinite(max))) throw new Error('DAQ waveform block: int16 encoding needs finite samples');
  const offset = Math.fround((max + min) / 2);
  const half = Math.max(Math.abs(max - offset), Math.abs(min - offset));
  const scale = Math.fround(half > 0 ? 32767 / (half * (1 + 1e-6)) : 1);
  return { scale, offset };
}

/** Writes the block at `at` of `out` (sized by waveformBlockBytes). */
export function writeWaveformBlock(out: Uint8Array, at: number, w: DaqWaveformInput, nPixels: number): void {
  const v = new DataView(out.buffer, out.byteOffset + at);
  const int16 = w.encoding === 'int16';
  const { scale, offset } = int16 ? fixedPoint(w.samples) : { scale: 1, offset: 0 };
  v.setUint16(0, DAQ_WAVEFORM_BLOCK_VERSION, true);
  v.setUint16(2, int16 ? SAMPLE_TYPE.int16 : SAMPLE_TYPE.float32, true);
  v.setUint32(4, w.nSamples, true);
  v.setFloat32(8, w.samplingRateGHz, true);
  v.setFloat32(12, scale, true);
  v.setFloat32(16, offset, true);
  v.setUint32(20, 0, true);
  const n = nPixels * w.nSamples;
  const s = w.samples;
  if (int16) {
    for (let i = 0; i < n; i++) v.setInt16(DAQ_WAVEFORM_HEADER_BYTES + 2 * i, Math.max(-32768, Math.min(32767, Math.round((s[i] - offset) * scale))), true);
  } else {
    out.set(new Uint8Array(s.buffer, s.byteOffset, 4 * n), at + DAQ_WAVEFORM_HEADER_BYTES);
  }
}

/**
 * Decodes the block of `bytes` bytes at `at` of `buf` for an image of
 * `nPixels` pixels; returns why it does not fit the protocol as a string.
 */
export function decodeWaveformBlock(buf: Uint8Array, at: number, bytes: number, nPixels: number): DaqWaveform | string {
  if (bytes < DAQ_WAVEFORM_HEADER_BYTES)
    return `flags say a waveform block follows, but only ${bytes} bytes follow the peak times (the block header has ${DAQ_WAVEFORM_HEADER_BYTES})`;
  const v = new DataView(buf.buffer, buf.byteOffset + at, bytes);
  const version = v.getUint16(0, true);
  if (version !== DAQ_WAVEFORM_BLOCK_VERSION)
    return `waveform block version ${version} is not supported (this Lightpool reads version ${DAQ_WAVEFORM_BLOCK_VERSION})`;
  const type = v.getUint16(2, true);
  if (type !== SAMPLE_TYPE.float32 && type !== SAMPLE_TYPE.int16) return `unknown waveform sample type ${type} (1 float32, 2 int16)`;
  const nSamples = v.getUint32(4, true);
  if (!(nSamples >= 1 && nSamples <= DAQ_MAX_WAVEFORM_SAMPLES)) return `waveform n_samples ${nSamples} is not in 1..${DAQ_MAX_WAVEFORM_SAMPLES}`;
  const rate = v.getFloat32(8, true);
  if (!(Number.isFinite(rate) && rate > 0)) return `waveform sampling rate ${rate} GHz is not a finite positive number`;
  const scale = v.getFloat32(12, true);
  const offset = v.getFloat32(16, true);
  if (v.getUint32(20, true) !== 0) return 'waveform block: the reserved field is not 0';
  const n = nPixels * nSamples;
  const int16 = type === SAMPLE_TYPE.int16;
  if (int16 && !(Number.isFinite(scale) && scale !== 0 && Number.isFinite(offset)))
    return `int16 waveform scale ${scale} / offset ${offset} must be finite, the scale not 0`;
  const need = DAQ_WAVEFORM_HEADER_BYTES + padded(n * (int16 ? 2 : 4));
  if (bytes !== need)
    return `a waveform block of ${nPixels} pixels × ${nSamples} ${int16 ? 'int16' : 'float32'} samples needs ${need} bytes, the frame has ${bytes}`;
  const samples = new Float32Array(n);
  if (int16) {
    for (let i = 0; i < n; i++) samples[i] = v.getInt16(DAQ_WAVEFORM_HEADER_BYTES + 2 * i, true) / scale + offset;
  } else {
    new Uint8Array(samples.buffer).set(buf.subarray(at + DAQ_WAVEFORM_HEADER_BYTES, at + DAQ_WAVEFORM_HEADER_BYTES + 4 * n));
  }
  return { nSamples, samplingRateGHz: rate, samples, encoding: int16 ? 'int16' : 'float32' };
}
