/**
 * The chunk fast path (our own chunk index + filters outside HDF5) against
 * HDF5 itself: every chunk of every table of both sample DL1 files, and of a
 * file written by Lightpool's writer, decodes to the bytes HDF5's H5Dread gives; the filters match HDF5's definitions; a
 * chunk whose checksum fails is left to HDF5, which reports the damage.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, openSync, readSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../../../src-worker/io/hdf5/table-reader.js';
import { readRawHyperslab } from '../../../../../../src-worker/io/hdf5/raw-read.js';
import { directTable } from '../../../../../../src-worker/io/hdf5/read/direct-chunks.js';
import { fletcher32, unshuffle, unshuffleThenFletcher } from '../../../../../../src-worker/io/hdf5/read/filters.js';
import { fletcherSimdAvailable } from '../../../../../../src-worker/io/hdf5/read/fletcher-simd.js';
import { makeBigDl1 } from '../../../../main/files/make-big-dl1.js';

const SAMPLES = fileURLToPath(new URL('../../../../../fixtures/samples/', import.meta.url));
const FILES = ['dl1_sample_120.blosc.h5', 'dl1_sample_120.zlib.h5'].map((n) => `${SAMPLES}${n}`);
const IMAGES = '/dl1/event/telescope/images';

function tables(f: H5File, path = '/'): string[] {
  const out: string[] = [];
  for (const k of f.keys(path)) {
    const p = path === '/' ? `/${k}` : `${path}/${k}`;
    const kind = f.kindOf(p);
    if (kind === 'group') out.push(...tables(f, p));
    else if (kind === 'dataset') {
      const m = f.metadata(p);
      if (m.shape?.length === 1 && m.chunks) out.push(p);
    }
  }
  return out;
}

/** H5_checksum_fletcher32 as written in HDF5's H5checksum.c (C uint32 arithmetic). */
function fletcher32Reference(data: Uint8Array): number {
  let len = data.byteLength >>> 1;
  let sum1 = 0;
  let sum2 = 0;
  let p = 0;
  while (len) {
    let t = len > 360 ? 360 : len;
    len -= t;
    do {
      sum1 = (sum1 + ((data[p] << 8) | data[p + 1])) >>> 0;
      p += 2;
      sum2 = (sum2 + sum1) >>> 0;
    } while (--t);
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (data.byteLength % 2) {
    sum1 = (sum1 + (data[p] << 8)) >>> 0;
    sum2 = (sum2 + sum1) >>> 0;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}

describe('chunk fast path', () => {
  for (const file of FILES) {
    it(`decodes every chunk of ${file.split('/').pop()} to HDF5's bytes`, async () => {
      const f = await H5File.open(file);
      try {
        const paths = tables(f);
        expect(paths.length).toBeGreaterThan(100);
        let chunks = 0;
        for (const p of paths) {
          const m = f.metadata(p);
          const rows = m.chunks![0];
          const d = directTable(f, p, m.size, m.shape![0], rows);
          expect(d, p).not.toBeNull();
          for (let b = 0; b * rows < m.shape![0]; b++) {
            const n = Math.min(rows, m.shape![0] - b * rows);
            const ref = readRawHyperslab(f, p, [b * rows], [n], m.size);
            const got = d!.chunk(b, b % 2 === 0);
            expect(got, `${p} chunk ${b}`).not.toBeNull();
            expect(Buffer.compare(Buffer.from(got!.subarray(0, ref.byteLength)), Buffer.from(ref)), `${p} chunk ${b}`).toBe(0);
            chunks++;
          }
        }
        expect(chunks).toBeGreaterThan(150);
      } finally {
        f.close();
      }
    });
  }

  it("decodes a file of Lightpool's own writer (version 2 object headers, link messages) to HDF5's bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightpool-direct-'));
    try {
      const out = join(dir, 'written.dl1.h5');
      await makeBigDl1(FILES[0], out, 3 * 2 ** 20);
      const f = await H5File.open(out);
      try {
        let n = 0;
        for (const p of tables(f)) {
          const m = f.metadata(p);
          const rows = m.chunks![0];
          const d = directTable(f, p, m.size, m.shape![0], rows);
          expect(d, p).not.toBeNull();
          for (let b = 0; b * rows < m.shape![0]; b += 3) {
            const ref = readRawHyperslab(f, p, [b * rows], [Math.min(rows, m.shape![0] - b * rows)], m.size);
            const got = d!.chunk(b);
            expect(got, `${p} chunk ${b}`).not.toBeNull();
            expect(Buffer.compare(Buffer.from(got!.subarray(0, ref.byteLength)), Buffer.from(ref)), `${p} chunk ${b}`).toBe(0);
            n++;
          }
        }
        expect(n).toBeGreaterThan(100);
      } finally {
        f.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fletcher32 and unshuffle follow HDF5', () => {
    // checksums HDF5 stored for these bytes (h5py, fletcher32=True, read_direct_chunk)
    const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
    expect(fletcher32(ascii('abcde'))).toBe(0x4ff029c7);
    expect(fletcher32(ascii('abcdef'))).toBe(0x50562a2d);
    expect(fletcher32(ascii('abcdefgh'))).toBe(0xe1eb9195);
    // the SIMD kernel, the 4-byte path (unaligned start: no, aligned: yes) and HDF5's loop agree,
    // across the 360-word folding and 32-bit wrap-around (all 0xff), for odd and even lengths
    expect(fletcherSimdAvailable()).toBe(true);
    let seed = 7;
    const random = (n: number) => new Uint8Array(n).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    for (const data of [
      random(100_003),
      random(250_714),
      new Uint8Array(7200).fill(0xff),
      new Uint8Array(14_401).fill(0xff),
      new Uint8Array(7200),
      random(2000),
    ]) {
      const shifted = new Uint8Array(data.byteLength + 1);
      shifted.set(data, 1);
      const want = fletcher32Reference(data);
      expect(fletcher32(data)).toBe(want);
      expect(fletcher32(shifted.subarray(1))).toBe(want);
    }
    // shuffle as HDF5 writes it: byte b of element e at b*n + e, leftover bytes at the end
    const size = 7;
    const n = 5;
    const plain = new Uint8Array(size * n + 3).map((_, i) => i + 1);
    const shuffled = new Uint8Array(plain.byteLength);
    for (let e = 0; e < n; e++) for (let b = 0; b < size; b++) shuffled[b * n + e] = plain[e * size + b];
    shuffled.set(plain.subarray(size * n), size * n);
    expect(Array.from(unshuffle(shuffled, size))).toEqual(Array.from(plain));
    // the WebAssembly unshuffle (+ checksum in place) equals the JS one, leftover bytes included
    for (const [sz, rows, extra] of [
      [16714, 15, 4],
      [13, 9, 3],
      [246, 1927, 0],
      [8, 64, 7],
    ]) {
      const src = random(sz * rows + extra);
      const js = unshuffle(src, sz);
      expect(Buffer.compare(Buffer.from(unshuffleThenFletcher(src, sz, false)), Buffer.from(js)), `${sz}×${rows}`).toBe(0);
      // append a valid checksum to the plain data, shuffle it, and have it verified and stripped
      const plainRows = random(sz * rows);
      const withSum = new Uint8Array(plainRows.byteLength + 4);
      withSum.set(plainRows);
      new DataView(withSum.buffer).setUint32(plainRows.byteLength, fletcher32Reference(plainRows), true);
      const m = Math.floor(withSum.byteLength / sz);
      const shuf = new Uint8Array(withSum.byteLength);
      for (let e = 0; e < m; e++) for (let b = 0; b < sz; b++) shuf[b * m + e] = withSum[e * sz + b];
      shuf.set(withSum.subarray(m * sz), m * sz);
      expect(Buffer.compare(Buffer.from(unshuffleThenFletcher(shuf, sz, true)), Buffer.from(plainRows)), `${sz}×${rows} checked`).toBe(0);
      shuf[0] ^= 1;
      expect(() => unshuffleThenFletcher(shuf, sz, true)).toThrow(/fletcher32/);
    }
  });

  for (const source of FILES) {
    it(`leaves a damaged chunk of ${source.split('/').pop()} to HDF5, which reports it`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lightpool-direct-'));
      const copy = join(dir, `damaged.${source.split('/').pop()}`);
      try {
        copyFileSync(source, copy);
        let addr = 0;
        let size = 0;
        {
          const f = await H5File.open(copy);
          const p = `${IMAGES}/tel_001`;
          const m = f.metadata(p);
          const d = directTable(f, p, m.size, m.shape![0], m.chunks![0])!;
          const rec = d.layout.chunks.find((c) => c.offset[0] === 0)!;
          addr = rec.addr;
          size = rec.size;
          f.close();
        }
        // flip one byte in the middle of the compressed stream of chunk 0
        const fd = openSync(copy, 'r+');
        const byte = Buffer.alloc(1);
        readSync(fd, byte, 0, 1, addr + Math.floor(size / 2));
        byte[0] ^= 0x5a;
        writeSync(fd, byte, 0, 1, addr + Math.floor(size / 2));
        closeSync(fd);
        const f = await H5File.open(copy);
        try {
          const p = `${IMAGES}/tel_001`;
          const m = f.metadata(p);
          const d = directTable(f, p, m.size, m.shape![0], m.chunks![0])!;
          expect(d.chunk(0)).toBeNull();
          expect(d.chunk(1)).not.toBeNull();
          const t = new TableReader(f, p, new ChunkCache());
          expect(() => t.rawRows(0, 1)).toThrow(/damaged\.dl1_sample_120/);
          expect(t.rawRows(15, 1).byteLength).toBe(m.size);
        } finally {
          f.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
