/**
 * The positioned reader over uncompressed, gzip and zstd files: random
 * reads in random order give the bytes of the whole decompressed file (from
 * Node's zlib and fzstd's one-shot decoder), through checkpoints that are
 * actually used, within their memory budget; multi-member gzip, multi-frame
 * and skippable-frame zstd; truncated streams, refused windows and
 * decompression bombs are clear errors or bounded work.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { codecFor, detectCompression } from '../../../../../src-worker/io/eventio/compression.js';
import { EventIOError } from '../../../../../src-worker/io/eventio/eventio-errors.js';
import { PositionedReader, type PositionedReaderOptions } from '../../../../../src-worker/io/eventio/positioned-reader.js';
import { rng } from './prng.js';

const FIX = join(__dirname, '../../../../fixtures/simtel');
const tmp = mkdtempSync(join(tmpdir(), 'lightpool-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function openReader(path: string, options: PositionedReaderOptions = {}): { reader: PositionedReader; close: () => void } {
  const bytes = readFileSync(path);
  const kind = detectCompression(bytes.subarray(0, 16));
  if (kind.kind === 'unsupported') throw new Error('unexpected');
  const fd = openSync(path, 'r');
  return { reader: new PositionedReader(fd, bytes.length, codecFor(kind.kind), path, options), close: () => closeSync(fd) };
}

function checkRandomAccess(path: string, reference: Uint8Array, options: PositionedReaderOptions, seed: number): PositionedReader {
  const { reader, close } = openReader(path, options);
  try {
    // a first pass to the end, as the index scan does (checkpoints are made on the way)
    expect(reader.skip(reference.length + 10)).toBe(reference.length);
    const r = rng(seed);
    for (let k = 0; k < 60; k++) {
      const at = Math.floor(r() * reference.length);
      const n = 1 + Math.floor(r() * Math.min(300_000, reference.length - at));
      reader.seek(at);
      const got = reader.read(n);
      expect(got.length).toBe(Math.min(n, reference.length - at));
      expect(Buffer.compare(Buffer.from(got), Buffer.from(reference.subarray(at, at + got.length))), `read of ${n} at ${at}`).toBe(0);
    }
    return reader;
  } finally {
    close();
  }
}

describe('PositionedReader', () => {
  const zst = join(FIX, 'lst_muons_with_true_photons.simtel.zst');
  const gz = join(FIX, 'calib_events.simtel.gz');
  const zstRef = zstdDecompress(readFileSync(zst));
  const gzRef = new Uint8Array(gunzipSync(readFileSync(gz)));

  it('reads any range of a zstd file through checkpoints (and keeps them within the budget)', () => {
    const reader = checkRandomAccess(zst, zstRef, { checkpointSpacing: 1 << 17 }, 1);
    expect(reader.stats.checkpoints).toBeGreaterThan(2);
    expect(reader.stats.restores).toBeGreaterThan(10);
    // a budget for ~3 window copies: every other checkpoint dropped, spacing doubled
    const thin = checkRandomAccess(zst, zstRef, { checkpointSpacing: 1 << 17, checkpointBudget: 3.5 * (1 << 20) }, 2);
    expect(thin.stats.checkpointBytes).toBeLessThanOrEqual(3.5 * (1 << 20));
    expect(thin.stats.checkpointSpacing).toBeGreaterThan(1 << 17);
  });

  it('reads any range of a gzip file through checkpoints', () => {
    const reader = checkRandomAccess(gz, gzRef, { checkpointSpacing: 1 << 17 }, 3);
    expect(reader.stats.checkpoints).toBeGreaterThan(10);
    expect(reader.stats.restores).toBeGreaterThan(10);
  });

  it('reads an uncompressed file at any position', () => {
    const raw = join(tmp, 'lst.simtel');
    writeFileSync(raw, zstRef);
    checkRandomAccess(raw, zstRef, {}, 4);
  });

  it('reads multi-member gzip files as one stream', () => {
    const cut = Math.floor(gzRef.length / 3);
    const multi = join(tmp, 'multi.gz');
    writeFileSync(multi, Buffer.concat([gzipSync(gzRef.subarray(0, cut)), gzipSync(gzRef.subarray(cut, 2 * cut)), gzipSync(gzRef.subarray(2 * cut))]));
    checkRandomAccess(multi, gzRef, { checkpointSpacing: 1 << 17 }, 5);
  });

  it('reads zstd files of several frames, raw and RLE blocks, checksums and skippable frames', () => {
    const data = zstRef.subarray(0, 300_000);
    const frame = (bytes: Uint8Array, checksum: boolean): Buffer => {
      const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, checksum ? 0x04 : 0x00, (17 - 10) << 3])];
      for (let p = 0; p < bytes.length; p += 100_000) {
        const chunk = bytes.subarray(p, Math.min(bytes.length, p + 100_000));
        const last = p + 100_000 >= bytes.length ? 1 : 0;
        const h = last | (0 << 1) | (chunk.length << 3);
        parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), Buffer.from(chunk));
      }
      if (checksum) parts.push(Buffer.from([1, 2, 3, 4]));
      return Buffer.concat(parts);
    };
    const rle = (value: number, n: number): Buffer => {
      const h = 1 | (1 << 1) | (n << 3);
      return Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (17 - 10) << 3]), Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, value])]);
    };
    const skippable = Buffer.concat([Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('hello')]);
    const file = join(tmp, 'frames.zst');
    writeFileSync(file, Buffer.concat([frame(data.subarray(0, 150_000), true), skippable, rle(7, 1000), frame(data.subarray(150_000), false)]));
    const ref = new Uint8Array(300_000 + 1000);
    ref.set(data.subarray(0, 150_000), 0);
    ref.fill(7, 150_000, 151_000);
    ref.set(data.subarray(150_000), 151_000);
    checkRandomAccess(file, ref, { checkpointSpacing: 1 << 16 }, 6);
  });

  it('says a cut compressed file is truncated, naming it', () => {
    for (const [src, name] of [
      [zst, 'cut.zst'],
      [gz, 'cut.gz'],
    ] as const) {
      const bytes = readFileSync(src);
      const file = join(tmp, name);
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const { reader, close } = openReader(file);
      try {
        let err: unknown;
        try {
          reader.skip(1e12);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(EventIOError);
        expect((err as EventIOError).kind).toBe('truncated');
        expect((err as EventIOError).message).toContain(file);
      } finally {
        close();
      }
    }
  });

  it('refuses a zstd window beyond 128 MiB before allocating it', () => {
    const file = join(tmp, 'big-window.zst');
    // window descriptor exponent 21 → 2^31 bytes
    writeFileSync(file, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0x01, 0x00, 0x00]));
    const { reader, close } = openReader(file);
    try {
      expect(() => reader.read(10)).toThrow(/window, more than the 128 MiB/);
    } finally {
      close();
    }
  });

  it('decodes only a bounded amount ahead of what is read (zstd RLE and DEFLATE bombs)', () => {
    // 4,000 RLE blocks of 128 KiB: 16 kB of file for 500 MiB of data
    const blocks: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (17 - 10) << 3])];
    for (let i = 0; i < 4000; i++) {
      const h = (i === 3999 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3);
      blocks.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x55]));
    }
    const bomb = join(tmp, 'bomb.zst');
    writeFileSync(bomb, Buffer.concat(blocks));
    const z = openReader(bomb);
    try {
      expect(z.reader.read(1 << 20).every((b) => b === 0x55)).toBe(true);
      expect(z.reader.stats.bytesDecoded).toBeLessThan(32 << 20);
    } finally {
      z.close();
    }
    const gzBomb = join(tmp, 'bomb.gz');
    writeFileSync(gzBomb, gzipSync(Buffer.alloc(256 << 20), { level: 9 }));
    const g = openReader(gzBomb);
    try {
      expect(g.reader.read(1 << 20).length).toBe(1 << 20);
      expect(g.reader.stats.bytesDecoded).toBeLessThan(48 << 20);
    } finally {
      g.close();
    }
  });
});
