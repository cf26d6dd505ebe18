/**
 * The optional R1 waveform block of DAQ image frames (flags bit 0): float32
 * blocks round-trip bit for bit, int16 blocks within their quantisation step,
 * frames with and without a block mix in one event and one stream however it
 * is split; hostile blocks (unknown flags, block version, sample type,
 * n_samples out of range, bad sampling rate or scale, reserved bits, lengths
 * that do not add up) give DaqProtocolErrors naming the field, and 3,000
 * mutated streams never give anything but frames or a DaqProtocolError.
 */
import { describe, expect, it } from 'vitest';
import {
  DAQ_FLAG_WAVEFORM,
  DAQ_HEADER_BYTES,
  DAQ_MAX_WAVEFORM_SAMPLES,
  DaqFrameDecoder,
  DaqProtocolError,
  encodeDaqEvent,
  encodeDaqFrame,
  type DaqImageFrame,
  type DaqImageInput,
} from '../../../../../src-main/daq/protocol/daq-protocol.js';

function image(telId: number, n: number, nSamples: number | null, seed: number, encoding?: 'float32' | 'int16'): DaqImageInput {
  const img = new Float32Array(n).map((_, i) => Math.sin(seed + i) * 50);
  const peakTime = new Float32Array(n).map((_, i) => (seed + i) % 30);
  if (nSamples === null) return { telId, image: img, peakTime };
  const samples = new Float32Array(n * nSamples).map((_, i) => Math.cos(seed * 3 + i / 7) * 20 - 1.5);
  return { telId, image: img, peakTime, waveform: { nSamples, samplingRateGHz: 1, samples, encoding } };
}

const C = { obsId: 9, eventId: 42, time: 1.7e9 };
/** the block starts after the 4-byte length, the header and the image and peak times */
const blockAt = (n: number) => 4 + DAQ_HEADER_BYTES + 8 * n;

function decodeAll(bytes: Uint8Array) {
  return new DaqFrameDecoder().push(bytes);
}

describe('DAQ R1 waveform block', () => {
  it('float32 waveforms round-trip bit for bit, with frames without a block in the same event', () => {
    const imgs = [image(1, 1855, 30, 1), image(2, 7, null, 2), image(3, 960, 40, 3)];
    const bytes = encodeDaqEvent(C, imgs);
    const frames = decodeAll(bytes);
    expect(frames.map((f) => f.type)).toEqual(['image', 'image', 'image', 'eventEnd']);
    const [a, b, c] = frames as DaqImageFrame[];
    expect(a.waveform?.encoding).toBe('float32');
    expect(a.waveform?.nSamples).toBe(30);
    expect(a.waveform?.samplingRateGHz).toBe(1);
    expect(a.waveform?.samples).toEqual(imgs[0].waveform!.samples);
    expect(a.image).toEqual(imgs[0].image);
    expect(a.peakTime).toEqual(imgs[0].peakTime);
    expect(b.waveform).toBeUndefined();
    expect(c.waveform?.samples).toEqual(imgs[2].waveform!.samples);
    // the flag is set exactly on the frames with a block
    expect(new DataView(bytes.buffer).getUint16(38, true)).toBe(DAQ_FLAG_WAVEFORM);
    // one frame alone has the same bytes as in the event
    expect(encodeDaqFrame({ type: 'image', ...C, ...imgs[0] })).toEqual(bytes.subarray(0, encodeDaqFrame({ type: 'image', ...C, ...imgs[0] }).length));
  });

  it('int16 waveforms come back within half a quantisation step, in half the bytes (odd sample counts padded)', () => {
    const f32 = encodeDaqEvent(C, [image(1, 1855, 30, 5)]);
    const i16 = encodeDaqEvent(C, [image(1, 1855, 30, 5, 'int16')]);
    expect(i16.length).toBeLessThan(f32.length - 1855 * 30 * 2 + 64);
    const [f] = decodeAll(i16) as DaqImageFrame[];
    const src = image(1, 1855, 30, 5).waveform!.samples;
    const max = Math.max(...src);
    const min = Math.min(...src);
    const step = (max - min) / 65534;
    let worst = 0;
    for (let i = 0; i < src.length; i++) worst = Math.max(worst, Math.abs(f.waveform!.samples[i] - src[i]));
    expect(f.waveform!.encoding).toBe('int16');
    expect(worst).toBeLessThanOrEqual(step * 0.51 + 1e-6 * Math.max(Math.abs(max), Math.abs(min)));
    const odd = decodeAll(encodeDaqEvent(C, [image(1, 3, 5, 1, 'int16')])) as DaqImageFrame[];
    expect(odd[0].waveform!.samples.length).toBe(15);
  });

  it('decodes a stream of waveform frames split at every byte', () => {
    const bytes = encodeDaqEvent(C, [image(1, 11, 4, 1), image(2, 5, null, 2), image(4, 3, 2, 3, 'int16')]);
    const d = new DaqFrameDecoder();
    const frames = [];
    for (let i = 0; i < bytes.length; i++) frames.push(...d.push(bytes.subarray(i, i + 1)));
    expect(frames).toEqual(decodeAll(bytes));
  });

  it('the encoder refuses waveforms that do not fit the protocol', () => {
    const w = (patch: object) => encodeDaqEvent(C, [{ ...image(1, 4, 3, 1), waveform: { ...image(1, 4, 3, 1).waveform!, ...patch } }]);
    expect(() => w({ nSamples: 0 })).toThrow(/n_samples 0/);
    expect(() => w({ nSamples: DAQ_MAX_WAVEFORM_SAMPLES + 1 })).toThrow(/n_samples/);
    expect(() => w({ samples: new Float32Array(5) })).toThrow(/5 samples for 4 pixels × 3 samples/);
    expect(() => w({ samplingRateGHz: NaN })).toThrow(/sampling rate/);
    expect(() => encodeDaqEvent(C, [image(1, 1855, 600, 1)])).toThrow(/exceeds the protocol limit/);
  });

  it('hostile blocks: clear errors naming the frame and the field', () => {
    const n = 4;
    const bad = (edit: (v: DataView, bytes: Uint8Array) => Uint8Array | void, re: RegExp, encoding?: 'int16') => {
      let bytes: Uint8Array = encodeDaqFrame({ type: 'image', ...C, ...image(7, n, 3, 1, encoding) });
      bytes = edit(new DataView(bytes.buffer), bytes) ?? bytes;
      let err: unknown;
      try {
        decodeAll(bytes);
      } catch (e) {
        err = e;
      }
      expect(err, String(re)).toBeInstanceOf(DaqProtocolError);
      expect((err as Error).message).toMatch(/DAQ image frame at byte 0 \(tel_id 7, event_id 42\)|flags/);
      expect((err as Error).message).toMatch(re);
    };
    const b = blockAt(n);
    bad((v) => v.setUint16(38, 3, true), /unknown flags 0x3/);
    bad((v) => v.setUint16(b, 2, true), /waveform block version 2 is not supported/);
    bad((v) => v.setUint16(b + 2, 9, true), /unknown waveform sample type 9/);
    bad((v) => v.setUint32(b + 4, 0, true), /n_samples 0 is not in/);
    bad((v) => v.setUint32(b + 4, 0xffffffff, true), /n_samples 4294967295 is not in/);
    bad((v) => v.setUint32(b + 4, 4, true), /needs 88 bytes, the frame has 72/);
    bad((v) => v.setFloat32(b + 8, NaN, true), /sampling rate NaN/);
    bad((v) => v.setFloat32(b + 8, -1, true), /sampling rate -1/);
    bad((v) => v.setUint32(b + 20, 1, true), /reserved/);
    bad((v) => v.setFloat32(b + 12, 0, true), /scale 0/, 'int16');
    bad((v) => v.setFloat32(b + 16, Infinity, true), /offset Infinity/, 'int16');
    // a frame whose length leaves no room for the block header
    bad((v, bytes) => {
      const cut = bytes.slice(0, b + 8);
      new DataView(cut.buffer).setUint32(0, cut.length - 4, true);
      return cut;
    }, /only 8 bytes follow the peak times/);
    // flags on a frame type that has none
    const hb = encodeDaqFrame({ type: 'heartbeat', ...C });
    new DataView(hb.buffer).setUint16(38, 1, true);
    expect(() => decodeAll(hb)).toThrow(/heartbeat frame at byte 0: unknown flags 0x1/);
  });

  it('3,000 mutated waveform streams give frames or a DaqProtocolError, never anything else', () => {
    const good = encodeDaqEvent(C, [image(1, 6, 4, 1), image(2, 3, null, 2), image(3, 5, 3, 3, 'int16')]);
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let errors = 0;
    let decoded = 0;
    for (let k = 0; k < 3000; k++) {
      let bytes = good.slice();
      const kind = k % 4;
      if (kind === 0) for (let j = 0; j < 1 + Math.floor(rnd() * 4); j++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      else if (kind === 1) bytes = bytes.slice(0, Math.floor(rnd() * bytes.length));
      else if (kind === 2) {
        // a header field of a block: version, type, n_samples, rate, scale, offset, reserved
        const at = blockAt(6) + [0, 2, 4, 8, 12, 16, 20][Math.floor(rnd() * 7)];
        new DataView(bytes.buffer).setUint32(at, Math.floor(rnd() * 0xffffffff), true);
      } else {
        // a frame length or pixel count
        const v = new DataView(bytes.buffer);
        if (rnd() < 0.5) v.setUint32(0, Math.floor(rnd() * 2000), true);
        else v.setUint32(40, Math.floor(rnd() * 40), true);
      }
      const d = new DaqFrameDecoder();
      try {
        for (const f of d.push(bytes)) {
          decoded++;
          if (f.type === 'image' && f.waveform) expect(f.waveform.samples.length).toBe(f.image.length * f.waveform.nSamples);
        }
      } catch (e) {
        if (!(e instanceof DaqProtocolError)) throw e;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(500);
    expect(decoded).toBeGreaterThan(500);
  });
});
