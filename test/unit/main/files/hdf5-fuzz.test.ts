/**
 * Fuzzing the HDF5 reader through the worker client: 1,000+ corrupted
 * variants of the four sample files (truncations, bytes flipped in metadata
 * and in data chunks, zeroed blocks, a damaged signature) are opened and
 * read with a time limit per file. The app must survive every one: each
 * variant ends as valid data or an Hdf5Error naming the file; a worker that
 * traps is replaced and later variants still work.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { Hdf5Error } from '../../../../src-worker/io/hdf5/h5-errors.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('numpy', 'h5py');

const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));
const MAP_PY = fileURLToPath(new URL('./hdf5-storage-map.py', import.meta.url));
const N_VARIANTS = 1040;
/**
 * The time limit per request: a variant on which the HDF5 library loops ends
 * with a timeout error and a fresh worker. Generous, so that on a busy
 * machine no readable variant runs into it (a sample file's request takes
 * tens of milliseconds on an idle one).
 */
const PER_FILE_MS = 8000;

/** xorshift32, seeded: the same variants every run. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

interface Source {
  name: string;
  bytes: Buffer;
  kind: 'dl1' | 'watchmal';
  storage: { path: string; offset: number; size: number }[];
}

type Outcome = 'ok' | string;

describeWith([REF_PY], 'HDF5 fuzz: corrupted sample files', () => {
  let client: Hdf5Client;
  let dir: string;
  const sources: Source[] = [];

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: PER_FILE_MS });
    dir = mkdtempSync(join(tmpdir(), 'lp-fuzz-'));
    for (const [name, kind] of [
      ['dl1_sample_120.blosc.h5', 'dl1'],
      ['dl1_sample_120.zlib.h5', 'dl1'],
      ['watchmal_iwcd4pi_sample_digihits.h5', 'watchmal'],
      ['watchmal_iwcd4pi_sample_truehits.h5', 'watchmal'],
    ] as const) {
      const storage = JSON.parse(execFileSync(REF_PY.path, [MAP_PY, SAMPLES + name], { encoding: 'utf8' }));
      sources.push({ name, kind, bytes: readFileSync(SAMPLES + name), storage });
    }
  });

  afterAll(async () => {
    await client?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a variant and reads what a user would look at first; returns 'ok' or the error code. */
  async function exercise(path: string, src: Source, dataset: string | null): Promise<Outcome> {
    let fileId: string | null = null;
    try {
      const opened = await client.open(path);
      fileId = opened.fileId;
      const s = opened.summary;
      if (s.kind === 'dl1' && s.dl1) {
        const n = s.dl1.nEvents;
        for (const index of new Set([0, n - 1])) if (index >= 0) await client.request({ type: 'dl1Event', fileId, index });
      } else if (s.kind === 'watchmal-hits' && s.watchmal) {
        const n = s.watchmal.nEvents;
        for (const index of new Set([0, n - 1])) if (index >= 0) await client.request({ type: 'watchmalEvent', fileId, index });
      }
      if (dataset) {
        const d = s.datasets.find((x) => x.path === dataset);
        if (d && d.shape.length === 1 && d.dtype.startsWith('{')) {
          await client.request({ type: 'readTableRows', fileId, path: dataset, start: 0, count: d.shape[0] });
        } else if (d) {
          await client.request({ type: 'readSlice', fileId, path: dataset });
        }
      }
      return 'ok';
    } catch (err) {
      expect(err, `${src.name} variant`).toBeInstanceOf(Hdf5Error);
      const e = err as Hdf5Error;
      // a clear message: names the file and says what went wrong
      expect(e.message, e.message).toContain(path);
      expect(e.message.length).toBeLessThan(1000);
      expect(e.code, e.message).not.toBe('internal');
      if (process.env.FUZZ_KEEP && (e.code === 'timeout' || e.code === 'internal' || e.code === 'worker-died')) {
        writeFileSync(join(process.env.FUZZ_KEEP, path.split('/').pop()!), readFileSync(path));
        console.log('KEEP', e.code, e.message.slice(0, 300));
      }
      return e.code;
    } finally {
      if (fileId) await client.close(fileId).catch(() => undefined);
    }
  }

  it(`survives ${N_VARIANTS} corrupted variants`, async () => {
    const rand = rng(20261121);
    const outcomes = new Map<string, number>();
    const byMutation = new Map<string, Map<string, number>>();
    const t0 = Date.now();
    let slowest = 0;
    for (let v = 0; v < N_VARIANTS; v++) {
      // WatChMaL files are small and quick to open: use them for 3/4 of the variants
      const src = sources[v % 4 === 0 ? (v >> 2) % 2 : 2 + (v % 2)];
      const buf = Buffer.from(src.bytes);
      let data: Buffer = buf;
      let dataset: string | null = null;
      const m = Math.floor(rand() * 5);
      let mutation: string;
      if (m === 0) {
        mutation = 'truncate';
        // half of the cuts in the first 64 KiB (superblock, root group, early object headers)
        const len = rand() < 0.5 ? Math.floor(rand() * Math.min(65536, buf.length)) : Math.floor(rand() * buf.length);
        data = buf.subarray(0, len);
      } else if (m === 1 || m === 2) {
        mutation = 'flip-metadata';
        const inData = (o: number) => src.storage.some((c) => o >= c.offset && o < c.offset + c.size);
        const nFlips = 1 + Math.floor(rand() * 8);
        for (let k = 0; k < nFlips; k++) {
          let o = 0;
          for (let tries = 0; tries < 50; tries++) {
            o = rand() < 0.3 ? Math.floor(rand() * 4096) : Math.floor(rand() * buf.length);
            if (!inData(o)) break;
          }
          buf[o] ^= 1 << Math.floor(rand() * 8);
        }
      } else if (m === 3) {
        mutation = 'flip-chunk';
        const c = src.storage[Math.floor(rand() * src.storage.length)];
        dataset = c.path;
        const nFlips = 1 + Math.floor(rand() * 4);
        for (let k = 0; k < nFlips; k++) buf[c.offset + Math.floor(rand() * c.size)] ^= 1 << Math.floor(rand() * 8);
      } else if (rand() < 0.8) {
        mutation = 'zero-block';
        const o = Math.floor(rand() * (buf.length - 512));
        buf.fill(0, o, o + 512);
      } else {
        mutation = 'signature';
        buf[Math.floor(rand() * 8)] ^= 0xff;
      }
      const path = join(dir, `v${v}-${mutation}-${src.name}`);
      writeFileSync(path, data);
      const t = Date.now();
      const outcome = await exercise(path, src, dataset);
      slowest = Math.max(slowest, Date.now() - t);
      rmSync(path, { force: true });
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const mm = byMutation.get(mutation) ?? new Map<string, number>();
      mm.set(outcome, (mm.get(outcome) ?? 0) + 1);
      byMutation.set(mutation, mm);
    }
    const summary = Object.fromEntries([...byMutation].map(([k, m]) => [k, Object.fromEntries(m)]));
    console.log(
      `fuzz: ${N_VARIANTS} variants in ${((Date.now() - t0) / 1000).toFixed(1)} s, slowest ${slowest} ms, worker restarts ${client.restarts}`,
      JSON.stringify(summary),
    );
    // A few variants (a damaged global heap of variable-length strings) make the
    // HDF5 library itself loop: the time limit ends them with a clear error and
    // a fresh worker; they must stay rare. (No hang: the loop finished, every
    // request being bounded by the time limit; how long variants take is not asserted.)
    expect(outcomes.get('timeout') ?? 0).toBeLessThan(N_VARIANTS / 100);
    // every variant was handled: valid data or a known error
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(N_VARIANTS);
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(0);
    expect((outcomes.get('not-hdf5') ?? 0) + (outcomes.get('truncated') ?? 0) + (outcomes.get('corrupt') ?? 0)).toBeGreaterThan(100);
    // after all of that, the reader still reads the real file correctly
    const { fileId } = await client.open(SAMPLES + 'dl1_sample_120.blosc.h5');
    const ev = await client.request({ type: 'dl1Event', fileId, index: 0 });
    expect(ev.telIds).toEqual([2, 3, 6, 10]);
  }, 1_800_000);
});
