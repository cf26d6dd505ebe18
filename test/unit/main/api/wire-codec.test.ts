import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, FrameError } from '../../../../src-main/api/wire-codec.js';

describe('wire codec', () => {
  test('round-trips nested typed arrays of every alignment with exact values', () => {
    const message = {
      type: 'stream',
      stream: 'array-event',
      data: {
        eventId: 42,
        telescopes: [
          { telId: 1, image: Float32Array.from([1.5, -2.25, Math.fround(0.1)]), mask: Uint8Array.from([1, 0, 1]) },
          { telId: 2, image: new Float32Array(1855).map((_, i) => i / 7), pixId: Int32Array.from([7, -1]) },
        ],
        pixX: Float64Array.from([Math.PI, -Math.E]),
        big: BigInt64Array.from([123n]),
        label: 'unicode: ° p.e. µs',
      },
    };
    const decoded = decodeFrame(encodeFrame(message)) as typeof message;
    expect(decoded.data.telescopes[0].image).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.data.telescopes[0].image)).toEqual(Array.from(message.data.telescopes[0].image));
    expect(Array.from(decoded.data.telescopes[0].mask!)).toEqual([1, 0, 1]);
    expect(decoded.data.telescopes[1].image).toEqual(message.data.telescopes[1].image);
    expect(Array.from(decoded.data.telescopes[1].pixId!)).toEqual([7, -1]);
    expect(Array.from(decoded.data.pixX)).toEqual([Math.PI, -Math.E]);
    expect(decoded.data.big[0]).toBe(123n);
    expect(decoded.data.label).toBe('unicode: ° p.e. µs');
  });

  test('decodes a frame that starts at an unaligned offset', () => {
    const frame = encodeFrame({ a: Float64Array.from([1, 2, 3]) });
    const shifted = new Uint8Array(frame.byteLength + 3);
    shifted.set(frame, 3);
    const decoded = decodeFrame(shifted.subarray(3)) as { a: Float64Array };
    expect(Array.from(decoded.a)).toEqual([1, 2, 3]);
  });

  test('rejects garbage, truncation and lying descriptors with FrameError', () => {
    expect(() => decodeFrame(new Uint8Array([1, 2, 3]))).toThrow(FrameError);
    expect(() => decodeFrame(new TextEncoder().encode('hello world, not a frame'))).toThrow(FrameError);
    const frame = encodeFrame({ a: new Float32Array(100) });
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 8))).toThrow(/past the end/);
    const header = JSON.stringify({ a: { $ta: 0, t: 'Function', n: 1 } });
    const bytes = new TextEncoder().encode(header);
    const bad = new Uint8Array(8 + bytes.length);
    new DataView(bad.buffer).setUint32(0, 0x3157504c, true);
    new DataView(bad.buffer).setUint32(4, bytes.length, true);
    bad.set(bytes, 8);
    expect(() => decodeFrame(bad)).toThrow(/bad array descriptor/);
  });
});
