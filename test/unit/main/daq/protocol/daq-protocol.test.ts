/**
 * DAQ protocol v1: frames round-trip bit-exactly through the encoder and the
 * incremental decoder however the byte stream is split (byte by byte, random
 * chunks, many frames in one chunk); bad magic, unsupported versions, unknown
 * types, oversized and inconsistent frames give clear DaqProtocolErrors.
 * Messages of whole frames (ZeroMQ) decode without the stream buffer.
 */
import { describe, expect, it } from 'vitest';
import {
  DAQ_HEADER_BYTES,
  DAQ_MAX_FRAME_BYTES,
  DaqFrameDecoder,
  DaqProtocolError,
  encodeDaqFrame,
  encodeDaqEvent,
  type DaqFrame,
} from '../../../../../src-main/daq/protocol/daq-protocol.js';

function imageFrame(eventId: number, telId: number, n: number, seed: number): DaqFrame {
  const image = new Float32Array(n);
  const peakTime = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    image[i] = Math.sin(seed + i) * 100;
    peakTime[i] = (seed * 7 + i) % 40;
  }
  return { type: 'image', obsId: 5, eventId, time: 1.7e9 + eventId * 1e-3, telId, image, peakTime };
}

function sampleStream(): DaqFrame[] {
  return [
    {
      type: 'subarray',
      obsId: 5,
      eventId: 0,
      time: 1.7e9,
      subarray: {
        name: 'x',
        pointing: { alt: 70, az: 0 },
        telescopes: [{ telId: 1, type: 'LST_LST_LSTCam', camera: 'LSTCam', focalLength: 28, position: [1, 2, 0] }],
      },
    },
    imageFrame(1, 1, 1855, 1),
    imageFrame(1, 4, 1855, 2),
    { type: 'eventEnd', obsId: 5, eventId: 1, time: 1.7e9, nImages: 2 },
    { type: 'heartbeat', obsId: 5, eventId: 0, time: 1.7e9 + 1 },
    imageFrame(2 ** 40 + 3, 65535, 3, 3),
    { type: 'eventEnd', obsId: 5, eventId: 2 ** 40 + 3, time: 1.7e9, nImages: 1 },
  ];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function header(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

describe('DAQ protocol', () => {
  it('encodes the documented header layout', () => {
    const f = encodeDaqFrame(imageFrame(7, 3, 2, 0));
    const v = header(f);
    expect(f.length).toBe(4 + DAQ_HEADER_BYTES + 16);
    expect(v.getUint32(0, true)).toBe(56);
    expect(new TextDecoder().decode(f.subarray(4, 8))).toBe('LPDQ');
    expect(v.getUint16(8, true)).toBe(1);
    expect(v.getUint16(10, true)).toBe(1);
    expect(v.getUint32(12, true)).toBe(5);
    expect(v.getBigUint64(20, true)).toBe(7n);
    expect(v.getUint16(36, true)).toBe(3);
    expect(v.getUint32(40, true)).toBe(2);
  });

  it('encodes a whole event into one buffer with the same bytes as its frames one by one', () => {
    const images = [imageFrame(9, 1, 1855, 1), imageFrame(9, 4, 1855, 2), imageFrame(9, 7, 11328, 3)] as Extract<DaqFrame, { type: 'image' }>[];
    const c = { obsId: 3, eventId: 9, time: 1_700_000_000.25 };
    const oneByOne = concat([...images.map((f) => encodeDaqFrame({ ...f, ...c })), encodeDaqFrame({ type: 'eventEnd', ...c, nImages: 3 })]);
    const whole = encodeDaqEvent(c, images);
    expect(whole.length).toBe(oneByOne.length);
    expect(Buffer.from(whole).equals(Buffer.from(oneByOne))).toBe(true);
    // and the decoder reads it back: three images and the event end
    const frames = new DaqFrameDecoder().push(whole);
    expect(frames.map((f) => f.type)).toEqual(['image', 'image', 'image', 'eventEnd']);
  });

  it('round-trips frames whole, byte by byte and in random chunks', () => {
    const frames = sampleStream();
    const bytes = concat(frames.map(encodeDaqFrame));
    const splits: number[][] = [[bytes.length], Array.from({ length: bytes.length }, () => 1)];
    let s = 12345;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 5; k++) {
      const sizes: number[] = [];
      for (let left = bytes.length; left > 0;) {
        const n = Math.min(left, 1 + Math.floor(rnd() * 9000));
        sizes.push(n);
        left -= n;
      }
      splits.push(sizes);
    }
    for (const sizes of splits) {
      const d = new DaqFrameDecoder();
      const out: DaqFrame[] = [];
      let o = 0;
      for (const n of sizes) {
        out.push(...d.push(bytes.subarray(o, o + n)));
        o += n;
      }
      expect(d.pendingBytes).toBe(0);
      expect(d.bytesDecoded).toBe(bytes.length);
      expect(out).toEqual(frames);
      // float32 bits identical
      const a = frames[1] as Extract<DaqFrame, { type: 'image' }>;
      const b = out[1] as Extract<DaqFrame, { type: 'image' }>;
      const bits = (f: Float32Array) => new Uint32Array(f.buffer, f.byteOffset, f.length);
      expect(bits(b.image)).toEqual(bits(a.image));
      expect(bits(b.peakTime)).toEqual(bits(a.peakTime));
    }
  });

  it('keeps a partial frame until the rest arrives', () => {
    const bytes = encodeDaqFrame(imageFrame(1, 1, 100, 1));
    const d = new DaqFrameDecoder();
    expect(d.push(bytes.subarray(0, 3))).toEqual([]);
    expect(d.push(bytes.subarray(3, 50))).toEqual([]);
    expect(d.pendingBytes).toBe(50);
    expect(d.push(bytes.subarray(50))).toHaveLength(1);
  });

  it('decodes messages of whole frames where they lie (ZeroMQ parts) and rejects a message that ends inside a frame', () => {
    const frames = sampleStream();
    const encoded = frames.map(encodeDaqFrame);
    // one frame per message, and one event's frames in one message, as views into a larger buffer
    const d = new DaqFrameDecoder();
    const out = encoded.flatMap((f) => d.pushWhole(f));
    const all = concat(encoded);
    out.push(...d.pushWhole(all.subarray(0, encoded[0].length + encoded[1].length + encoded[2].length + encoded[3].length)));
    expect(out).toEqual([...frames, ...frames.slice(0, 4)]);
    // the decoded images are copies, not views of the message
    const img = out[1] as Extract<DaqFrame, { type: 'image' }>;
    expect(img.image.buffer).not.toBe(encoded[1].buffer);
    expect(() => d.pushWhole(encoded[1].subarray(0, 100))).toThrow(/message of 100 bytes ends inside a frame/);
    // the decoder is usable again afterwards
    expect(d.pushWhole(encoded[4])).toEqual([frames[4]]);
  });

  it('rejects an unsupported version with a message naming both versions', () => {
    const bytes = encodeDaqFrame(imageFrame(1, 1, 4, 1));
    header(bytes).setUint16(8, 2, true);
    const d = new DaqFrameDecoder();
    // the header is checked before the payload has arrived
    expect(() => d.push(bytes.subarray(0, 20))).toThrow(/protocol version 2 is not supported.*version 1/);
  });

  it('rejects a bad magic, an unknown type and payload/count mismatches', () => {
    const bad = (edit: (v: DataView) => void, re: RegExp) => {
      const bytes = encodeDaqFrame(imageFrame(1, 1, 4, 1));
      edit(header(bytes));
      expect(() => new DaqFrameDecoder().push(bytes)).toThrow(re);
    };
    bad((v) => v.setUint32(4, 0x12345678, true), /bad magic/);
    bad((v) => v.setUint16(10, 9, true), /unknown message type 9/);
    bad((v) => v.setUint32(40, 5, true), /5 pixels need 40 payload bytes, frame has 32/);
    bad((v) => v.setUint32(0, 10, true), /shorter than the 40-byte header/);
  });

  it('rejects an oversized frame from its length alone', () => {
    const b = new Uint8Array(8);
    header(b).setUint32(0, DAQ_MAX_FRAME_BYTES + 1, true);
    const d = new DaqFrameDecoder();
    let err: unknown;
    try {
      d.push(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DaqProtocolError);
    expect((err as Error).message).toMatch(/exceeds the limit of 4194304 bytes/);
    expect(() => encodeDaqFrame(imageFrame(1, 1, DAQ_MAX_FRAME_BYTES / 8, 1))).toThrow(/exceeds the protocol limit/);
  });

  it('reports the byte offset of a bad frame after good ones', () => {
    const good = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 });
    const badFrame = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 });
    header(badFrame).setUint16(8, 7, true);
    expect(() => new DaqFrameDecoder().push(concat([good, badFrame]))).toThrow(/at byte 44: protocol version 7/);
  });
});
