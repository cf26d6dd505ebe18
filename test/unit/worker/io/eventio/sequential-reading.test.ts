/**
 * Sequential reading (`sequential: true`: `process` and the benchmarks read
 * a file once, in order): gzip is inflated by Node's zlib through minizlib
 * instead of fflate, with no checkpoints. The bytes must be the same as
 * zlib's one-shot gunzip (single and multi-member files, zero padding);
 * a cut file is 'truncated', data after a member that is not a member is
 * 'corrupt', naming the file; a jump back still works (from the start).
 * And the zstd decoders (WebAssembly, fzstd) give the same bytes.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { codecFor } from '../../../../../src-worker/io/eventio/compression.js';
import { EventIOError } from '../../../../../src-worker/io/eventio/eventio-errors.js';
import { PositionedReader } from '../../../../../src-worker/io/eventio/positioned-reader.js';
import { zstdCodec, zstdCodecFzstd } from '../../../../../src-worker/io/eventio/zstd-decoder.js';
import type { StreamCodec } from '../../../../../src-worker/io/eventio/stream-decoder.js';
import { ZstdWasm, zstdWasmAvailable } from '../../../../../src-worker/io/eventio/zstd-wasm.js';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/simtel-file.js';

const FIX = join(__dirname, '../../../../fixtures/simtel');
const tmp = mkdtempSync(join(tmpdir(), 'lightpool-sequential-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function readAll(path: string, codec: StreamCodec, pieces = 7_777): { bytes: Uint8Array; reader: PositionedReader } {
  const size = readFileSync(path).length;
  const fd = openSync(path, 'r');
  try {
    const reader = new PositionedReader(fd, size, codec, path);
    const parts: Uint8Array[] = [];
    for (;;) {
      const b = reader.read(pieces);
      if (!b.length) break;
      parts.push(b.slice());
    }
    return { bytes: new Uint8Array(Buffer.concat(parts)), reader };
  } finally {
    closeSync(fd);
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

describe('sequential reading: gzip by Node zlib', () => {
  const gz = join(FIX, 'calib_events.simtel.gz');
  const ref = new Uint8Array(gunzipSync(readFileSync(gz)));
  const native = codecFor('gzip', true)!;

  it('gives the bytes of a gzip file and keeps no checkpoints', () => {
    const { bytes, reader } = readAll(gz, native);
    expect(same(bytes, ref)).toBe(true);
    expect(reader.stats.checkpoints).toBe(1);
    expect(reader.stats.checkpointBytes).toBe(0);
  });

  it('reads multi-member files and zero padding after the last member', () => {
    const cut = Math.floor(ref.length / 3);
    const multi = join(tmp, 'multi.gz');
    writeFileSync(
      multi,
      Buffer.concat([gzipSync(ref.subarray(0, cut)), gzipSync(ref.subarray(cut, 2 * cut)), gzipSync(ref.subarray(2 * cut)), Buffer.alloc(100)]),
    );
    expect(same(readAll(multi, native).bytes, ref)).toBe(true);
  });

  it('jumps back by decoding from the start', () => {
    const size = readFileSync(gz).length;
    const fd = openSync(gz, 'r');
    try {
      const reader = new PositionedReader(fd, size, native, gz);
      reader.skip(ref.length);
      for (const at of [ref.length - 1000, 10, 2_000_000, 5]) {
        reader.seek(at);
        expect(same(reader.read(500), ref.subarray(at, at + 500)), `at ${at}`).toBe(true);
      }
      expect(reader.stats.restores).toBeGreaterThan(0);
    } finally {
      closeSync(fd);
    }
  });

  it('says a cut file is truncated and garbage after a member is corrupt, naming the file', () => {
    const bytes = readFileSync(gz);
    const cut = join(tmp, 'cut.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const garbage = join(tmp, 'garbage.gz');
    writeFileSync(garbage, Buffer.concat([bytes, Buffer.from('this is not gzip')]));
    for (const [file, kind] of [
      [cut, 'truncated'],
      [garbage, 'corrupt'],
    ] as const) {
      let err: unknown;
      try {
        readAll(file, native);
      } catch (e) {
        err = e;
      }
      expect(err, file).toBeInstanceOf(EventIOError);
      expect((err as EventIOError).kind, file).toBe(kind);
      expect((err as EventIOError).message).toContain(file);
    }
  });

  it('gives the same events as the default reading (openSimtelFile sequential)', () => {
    const path = join(FIX, 'n_hv_disabled.simtel.gz');
    const a = openSimtelFile(path, { index: 'lazy' });
    const b = openSimtelFile(path, { index: 'lazy', sequential: true });
    try {
      const ea = [...a.iterEvents()];
      const eb = [...b.iterEvents()];
      expect(eb.length).toBe(ea.length);
      expect(ea.length).toBeGreaterThan(0);
      for (let i = 0; i < ea.length; i++) {
        expect(eb[i].eventId).toBe(ea[i].eventId);
        expect(eb[i].tel.length).toBe(ea[i].tel.length);
        for (let t = 0; t < ea[i].tel.length; t++)
          expect(same(new Uint8Array(eb[i].tel[t].r0.waveform.buffer), new Uint8Array(ea[i].tel[t].r0.waveform.buffer))).toBe(true);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('zstd: the WebAssembly decoder', () => {
  it('loads here (so the tests of the reader run it)', () => {
    expect(zstdWasmAvailable()).toEqual({ ok: true, why: '' });
  });

  it('gives the same bytes as fzstd, on the fixtures and on a file it compressed itself', () => {
    const files = ['lst_muons_with_true_photons.simtel.zst', '40k_pixels.simtel.zst', 'aux_traces_2029.simtel.zst'].map((f) => join(FIX, f));
    const raw = zstdDecompress(readFileSync(files[0]));
    const own = join(tmp, 'own.zst');
    writeFileSync(own, ZstdWasm.compress(raw, 3, 18));
    for (const f of [...files, own]) {
      const ref = zstdDecompress(readFileSync(f));
      expect(same(readAll(f, zstdCodec).bytes, ref), f).toBe(true);
      expect(same(readAll(f, zstdCodecFzstd).bytes, ref), f).toBe(true);
    }
    expect(same(zstdDecompress(readFileSync(own)), raw)).toBe(true);
    // a decoder given back in the middle of a frame (file closed early) decodes the next file from its start
    for (let k = 0; k < 3; k++) {
      const size = readFileSync(files[0]).length;
      const fd = openSync(files[0], 'r');
      const half = new PositionedReader(fd, size, zstdCodec, files[0]);
      expect(half.read(300_000 + k * 1000).length).toBe(300_000 + k * 1000);
      half.close();
      closeSync(fd);
      expect(same(readAll(files[2], zstdCodec).bytes, zstdDecompress(readFileSync(files[2]))), `after a closed reader, round ${k}`).toBe(true);
    }
    // the window asked for is in the frame header: 2^18
    expect(readFileSync(own)[5] >> 3).toBe(18 - 10);
  });
});
