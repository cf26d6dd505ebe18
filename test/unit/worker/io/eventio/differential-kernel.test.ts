/**
 * The WebAssembly SIMD kernel for ADC samples' differential var-ints gives
 * the values of the JavaScript decoder (one vector at a time,
 * decodeDifferentialVector) on random blocks of every code length (runs of
 * one-byte codes as in real traces, 2- to 5-byte codes, sign bits, 32-bit
 * wrap-around), every vector length from 1 to 70, blocks ending right after
 * their data, and it leaves a code longer than 5 bytes to JavaScript, which
 * reports it as before. (varint.test.ts compares the block decoder with
 * pyeventio itself.)
 */
import { describe, expect, it } from 'vitest';
import { decodeDifferentialKernel, differentialKernelAvailable } from '../../../../../src-worker/io/eventio/differential-kernel.js';
import { decodeDifferentialVector, decodeDifferentialVectorsU16 } from '../../../../../src-worker/io/eventio/varint.js';
import { rng } from './prng.js';

function encodeUnsigned(v: number): number[] {
  if (v < 0x80) return [v];
  if (v < 0x4000) return [0x80 | (v >> 8), v & 0xff];
  if (v < 0x200000) return [0xc0 | (v >> 16), (v >> 8) & 0xff, v & 0xff];
  if (v < 0x10000000) return [0xe0 | (v >>> 24), (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  return [0xf0 | Math.floor(v / 2 ** 32), (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}
const encodeSigned = (s: number) => encodeUnsigned(s < 0 ? -2 * s - 1 : 2 * s);

/** a block of differences: mostly small steps, sometimes long codes, sometimes raw 5-byte codes with any bits */
function randomBlock(r: () => number, nValues: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < nValues; i++) {
    const u = r();
    if (u < 0.85) bytes.push(...encodeSigned(Math.floor(r() * 127) - 63));
    else if (u < 0.93) bytes.push(...encodeSigned(Math.floor(r() * 16000) - 8000));
    else if (u < 0.96) bytes.push(...encodeSigned(Math.floor(r() * 2e6) - 1e6));
    else if (u < 0.98) bytes.push(...encodeSigned(Math.floor(r() * 2.6e8) - 1.3e8));
    else bytes.push(0xf0 | Math.floor(r() * 8), ...Array.from({ length: 4 }, () => Math.floor(r() * 256)));
  }
  return bytes;
}

function reference(bytes: Uint8Array, end: number, nVectors: number, nPer: number): { out: Uint16Array; pos: number } {
  const out = new Uint16Array(nVectors * nPer);
  let pos = 0;
  for (let v = 0; v < nVectors; v++) pos = decodeDifferentialVector(bytes, pos, end, nPer, out, v * nPer);
  return { out, pos };
}

describe('the differential var-int kernel', () => {
  it('runs here (WebAssembly SIMD), so the tests below test it', () => {
    expect(differentialKernelAvailable()).toBe(true);
  });

  it('gives the JavaScript values on random blocks of every code length and vector length', () => {
    const r = rng(2029);
    let kernelVectors = 0;
    for (let nPer = 1; nPer <= 70; nPer++) {
      const nVectors = 1 + Math.floor(r() * 40);
      const bytes = new Uint8Array(randomBlock(r, nVectors * nPer));
      const ref = reference(bytes, bytes.length, nVectors, nPer);
      // the kernel alone: a prefix of the vectors, the same values
      const part = new Uint16Array(nVectors * nPer);
      const k = decodeDifferentialKernel(bytes, 0, bytes.length, nVectors, nPer, part, 0);
      expect(k, `nPer ${nPer}`).not.toBeNull();
      kernelVectors += k!.done;
      expect(Array.from(part.subarray(0, k!.done * nPer)), `nPer ${nPer}`).toEqual(Array.from(ref.out.subarray(0, k!.done * nPer)));
      // the block decoder (kernel, then JavaScript for the rest)
      const out = new Uint16Array(nVectors * nPer);
      expect(decodeDifferentialVectorsU16(bytes, 0, bytes.length, nVectors, nPer, out, 0), `nPer ${nPer}`).toBe(ref.pos);
      expect(Array.from(out), `nPer ${nPer}`).toEqual(Array.from(ref.out));
      // at an offset into a larger buffer
      const shifted = new Uint8Array(bytes.length + 13);
      shifted.set(bytes, 7);
      const out2 = new Uint16Array(nVectors * nPer + 5);
      expect(decodeDifferentialVectorsU16(shifted, 7, 7 + bytes.length, nVectors, nPer, out2, 5)).toBe(7 + ref.pos);
      expect(Array.from(out2.subarray(5)), `nPer ${nPer}`).toEqual(Array.from(ref.out));
    }
    expect(kernelVectors).toBeGreaterThan(500);
  });

  it('leaves a code longer than 5 bytes and a block cut short to JavaScript, which reports them as before', () => {
    const r = rng(7);
    const nPer = 30;
    const good = randomBlock(r, 40 * nPer);
    const bad = new Uint8Array([...good.slice(0, 500), 0xf8, 0, 0, 0, 0, 0, ...good.slice(500)]);
    expect(decodeDifferentialKernel(bad, 0, bad.length, 40, nPer, new Uint16Array(40 * nPer), 0)).toBeNull();
    expect(() => decodeDifferentialVectorsU16(bad, 0, bad.length, 40, nPer, new Uint16Array(40 * nPer), 0)).toThrow(/longer than 5 bytes/);
    const cut = new Uint8Array(good.slice(0, good.length - 3));
    expect(() => decodeDifferentialVectorsU16(cut, 0, cut.length, 40, nPer, new Uint16Array(40 * nPer), 0)).toThrow(/past the end/);
  });
});
