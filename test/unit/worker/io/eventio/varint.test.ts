/**
 * EventIO var-ints, differential vectors, float16 and object headers:
 * hand-made cases, and random streams decoded by pyeventio's own var_int
 * module (Cython) in the same test, value for value.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ByteReader, halfToFloat } from '../../../../../src-worker/io/eventio/byte-reader.js';
import { listSubObjects, parseObjectHeader, syncByteOrder } from '../../../../../src-worker/io/eventio/object-header.js';
import {
  decodeDifferentialVector,
  decodeDifferentialVectorsU16,
  decodeUnsignedVarint,
  varintLength,
  zigzag,
} from '../../../../../src-worker/io/eventio/varint.js';
import { ctapipe, python } from '../../../../helpers/reference-tools.js';
import { itWith } from '../../../../helpers/vitest-tools.js';
import { rng } from './prng.js';

/** eventio's unsigned var-int code of v (v < 2^35 here). */
function encodeUnsigned(v: number): number[] {
  if (v < 0x80) return [v];
  if (v < 0x4000) return [0x80 | (v >> 8), v & 0xff];
  if (v < 0x200000) return [0xc0 | (v >> 16), (v >> 8) & 0xff, v & 0xff];
  if (v < 0x10000000) return [0xe0 | (v >>> 24), (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  return [0xf0 | Math.floor(v / 2 ** 32), (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function encodeSigned(s: number): number[] {
  return encodeUnsigned(s < 0 ? -2 * s - 1 : 2 * s);
}

describe('EventIO var-ints', () => {
  it('reads the code lengths and values of eventio count codes', () => {
    expect([0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xdf, 0xe0, 0xef, 0xf0, 0xf7, 0xf8, 0xfc, 0xfe, 0xff].map(varintLength)).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9,
    ]);
    const b = new Uint8Array([0x05, 0x81, 0x02, 0xc1, 0x02, 0x03, 0xfe, 0, 0, 0, 0, 0, 0x01, 0x00]);
    expect(decodeUnsignedVarint(b, 0, b.length)).toBe(5);
    expect(decodeUnsignedVarint(b, 1, b.length)).toBe(0x0102);
    expect(decodeUnsignedVarint(b, 3, b.length)).toBe(0x010203);
    expect(decodeUnsignedVarint(b, 6, b.length)).toBe(0x0100);
    expect(() => decodeUnsignedVarint(b, 6, 10)).toThrow(/past the end/);
    expect([0, 1, 2, 3, 4, 5].map(zigzag)).toEqual([0, -1, 1, -2, 2, -3]);
    expect(zigzag(2 ** 33)).toBe(2 ** 32);
    expect(zigzag(2 ** 33 + 1)).toBe(-(2 ** 32) - 1);
  });

  it('decodes differential vectors of 1- to 5-byte codes, accumulating in 32 bits, and stops at the end of the object', () => {
    const diffs = [3, -1, 200, -5000, 70000, -3000000, 100000000, -2, 1];
    const bytes = new Uint8Array(diffs.flatMap(encodeSigned));
    const out = new Int32Array(diffs.length);
    const end = decodeDifferentialVector(bytes, 0, bytes.length, diffs.length, out, 0);
    expect(end).toBe(bytes.length);
    let acc = 0;
    expect(Array.from(out)).toEqual(diffs.map((d) => (acc = (acc + d) | 0)));
    const u16 = new Uint16Array(diffs.length);
    decodeDifferentialVector(bytes, 0, bytes.length, diffs.length, u16, 0);
    expect(Array.from(u16)).toEqual(Array.from(out, (v) => v & 0xffff));
    expect(() => decodeDifferentialVector(bytes, 0, bytes.length - 1, diffs.length, out, 0)).toThrow(/past the end/);
    expect(() => decodeDifferentialVector(new Uint8Array([0xf8, 0, 0, 0, 0, 0]), 0, 6, 1, out, 0)).toThrow(/longer than 5 bytes/);
  });

  itWith([ctapipe()], "decodes random streams exactly as pyeventio's var_int module (unsigned, signed, differential)", () => {
    const r = rng(12345);
    const nArrays = 40;
    const nElements = 97;
    const stream: number[] = [];
    for (let i = 0; i < nArrays * nElements; i++) {
      const scale = [0x3f, 0x1fff, 0xfffff, 0x7ffffff, 0x7fffffff][Math.floor(r() * 5)];
      stream.push(...encodeSigned(Math.round((r() * 2 - 1) * scale)));
    }
    const bytes = new Uint8Array(stream);
    const script = `
import sys, json, numpy as np
from eventio.var_int import unsigned_varint_arrays_differential, varint_array, unsigned_varint_array
data = np.frombuffer(bytes.fromhex(sys.stdin.read()), dtype=np.uint8)
d, nd = unsigned_varint_arrays_differential(data, ${nArrays}, ${nElements})
s, ns = varint_array(data, ${nArrays * nElements})
u, nu = unsigned_varint_array(data, ${nArrays * nElements})
print(json.dumps({"diff": d.ravel().tolist(), "nd": int(nd), "signed": s.tolist(), "unsigned": u.tolist(), "n": int(ns)}))`;
    const py = JSON.parse(execFileSync(ctapipe().path, ['-c', script], { input: Buffer.from(bytes).toString('hex'), encoding: 'utf8', maxBuffer: 1 << 26 }));
    const diff = new Uint32Array(nArrays * nElements);
    let pos = 0;
    for (let a = 0; a < nArrays; a++) pos = decodeDifferentialVector(bytes, pos, bytes.length, nElements, diff, a * nElements);
    expect(pos).toBe(py.nd);
    expect(Array.from(diff)).toEqual(py.diff);
    // the 16-bit block decoder of ADC samples: pyeventio's values truncated to 16 bits (astype u2)
    const u16 = new Uint16Array(nArrays * nElements);
    expect(decodeDifferentialVectorsU16(bytes, 0, bytes.length, nArrays, nElements, u16, 0)).toBe(py.nd);
    expect(Array.from(u16)).toEqual(py.diff.map((v: number) => v & 0xffff));
    expect(() => decodeDifferentialVectorsU16(bytes, 0, bytes.length - 1, nArrays, nElements, u16, 0)).toThrow(/past the end/);
    const reader = new ByteReader(bytes);
    expect(Array.from(reader.svarintArray(nArrays * nElements))).toEqual(py.signed);
    expect(reader.pos).toBe(py.n);
    expect(Array.from(new ByteReader(bytes).uvarintArray(nArrays * nElements))).toEqual(py.unsigned);
  });

  itWith([python('numpy')], 'widens all 65,536 float16 values as numpy does', () => {
    const all = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i;
    const out = execFileSync(
      python('numpy').path,
      ['-c', 'import numpy as np, sys; a = np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float64); sys.stdout.buffer.write(a.tobytes())'],
      { maxBuffer: 1 << 22 },
    );
    const ref = new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
    let bad = -1;
    for (let i = 0; i < 65536; i++) {
      const v = halfToFloat(i);
      if (!(Object.is(v, ref[i]) || (Number.isNaN(v) && Number.isNaN(ref[i])))) {
        bad = i;
        break;
      }
    }
    expect(bad).toBe(-1);
  });

  it('refuses counts that do not fit in the object before allocating', () => {
    const r = new ByteReader(new Uint8Array(16));
    expect(() => r.float32Array(1e9)).toThrow(/do not fit/);
    expect(() => r.int32Array(-1)).toThrow(/not a non-negative integer/);
    expect(() => r.float64()).not.toThrow();
    expect(() => new ByteReader(new Uint8Array(2)).int32()).toThrow(/needs 4 bytes/);
  });
});

describe('EventIO object headers', () => {
  it('recognises both sync marker byte orders and parses little- and big-endian headers, extended lengths and sub-objects', () => {
    expect(syncByteOrder(new Uint8Array([0x37, 0x8a, 0x1f, 0xd4]))).toBe('little');
    expect(syncByteOrder(new Uint8Array([0xd4, 0x1f, 0x8a, 0x37]))).toBe('big');
    expect(syncByteOrder(new Uint8Array([0xd4, 0x1f, 0x8a, 0x36]))).toBeNull();
    // type 2010, version 3, user bit, extended, id -7, length 5 + 2 * 2^30, only sub-objects
    const typeWord = (2010 | (1 << 16) | (1 << 17) | (3 << 20)) >>> 0;
    const lengthWord = (5 | (1 << 30)) >>> 0;
    const words = [typeWord, -7 >>> 0, lengthWord, 2];
    const le = new Uint8Array(16);
    const be = new Uint8Array(16);
    words.forEach((w, i) => {
      new DataView(le.buffer).setUint32(4 * i, w, true);
      new DataView(be.buffer).setUint32(4 * i, w, false);
    });
    for (const [bytes, little] of [
      [le, true],
      [be, false],
    ] as const) {
      const h = parseObjectHeader(bytes, 0, little);
      expect(h).toEqual({ type: 2010, version: 3, id: -7, user: true, extended: true, onlySubObjects: true, headerSize: 16, contentSize: 5 + 2 * 2 ** 30 });
    }
    // two sub-objects: a 12-byte header with 4 content bytes, then one with none
    const sub = new Uint8Array(28);
    const dv = new DataView(sub.buffer);
    dv.setUint32(0, 2009, true);
    dv.setUint32(4, 42, true);
    dv.setUint32(8, 4, true);
    dv.setUint32(16, 2011 | (1 << 20), true);
    dv.setUint32(20, 1, true);
    dv.setUint32(24, 0, true);
    const subs = listSubObjects(sub, 0, sub.length, true);
    expect(subs.map((s) => [s.header.type, s.header.id, s.header.version, s.start, s.end])).toEqual([
      [2009, 42, 0, 12, 16],
      [2011, 1, 1, 28, 28],
    ]);
    dv.setUint32(8, 40, true);
    expect(() => listSubObjects(sub, 0, sub.length, true)).toThrow(/claims 40 content bytes/);
  });
});
