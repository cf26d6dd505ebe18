/**
 * Reading every image of the sample DL1 files (Blosc/zstd and zlib):
 * Lightpool's h5wasm reader against h5py (/usr/bin/python3, Debian's
 * hdf5-filter-plugin-blosc-serial for Blosc) in the same run, as events/s and
 * MB/s (decompressed image-table bytes) with the ratio. Measured:
 *   - h5py:       every /dl1/event/telescope/images/tel_NNN table read whole
 *                 (numpy structured arrays), image/peak_time/image_mask touched;
 *   - scan:       the same tables read chunk by chunk, raw, and the three
 *                 columns decoded into typed arrays (the same work as h5py);
 *   - stepping:   Dl1Reader.event(i) for every event in order, images only,
 *                 through the chunk cache (what the event display does);
 *   - random:     Dl1Reader.event(i) in a random order, images only;
 *   - h5wasm API: h5wasm's high-level Dataset.value (nested JS arrays), for
 *                 comparison with the fast path.
 * Each case repeats for about `seconds` (default 2) after one warm-up pass.
 *
 * Run: npx esbuild bench/hdf5-read.bench.ts --bundle --platform=node --format=esm \
 *        --packages=external --outfile=/tmp/hdf5bench.mjs && node /tmp/hdf5bench.mjs [seconds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { H5File } from '../src-worker/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../src-worker/hdf5/table-reader.js';
import { Dl1Reader, DL1_PATHS } from '../src-worker/hdf5/dl1/dl1-reader.js';
import { decodeColumn } from '../src-worker/hdf5/column-decode.js';

const seconds = Number(process.argv[2] ?? 2);

function findSamples(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const c = join(dir, 'shared', 'data', 'samples');
    if (existsSync(join(c, 'dl1_sample_120.blosc.h5'))) return c;
    const c2 = join(dir, '..', 'shared', 'data', 'samples');
    if (existsSync(join(c2, 'dl1_sample_120.blosc.h5'))) return c2;
    dir = dirname(dir);
  }
  return '/work/shared/data/samples';
}

const H5PY = `
import sys, time, h5py
path, seconds = sys.argv[1], float(sys.argv[2])
def once():
    nbytes = 0
    with h5py.File(path, 'r') as f:
        n_events = f['dl1/event/subarray/trigger'].shape[0]
        g = f['dl1/event/telescope/images']
        for k in g:
            a = g[k][...]
            a['image'].sum(); a['peak_time'].sum(); a['image_mask'].sum()
            nbytes += a.nbytes
    return n_events, nbytes
once()
t0 = time.perf_counter(); reps = 0
while True:
    n_events, nbytes = once(); reps += 1
    if time.perf_counter() - t0 > seconds: break
dt = time.perf_counter() - t0
print(n_events * reps / dt, nbytes * reps / dt / 1e6)
`;

interface Rate {
  eventsPerS: number;
  mbPerS: number;
}

function timeIt(fn: () => { events: number; bytes: number }): Rate {
  fn(); // warm-up (wasm tier-up, file cache)
  let events = 0;
  let bytes = 0;
  const t0 = performance.now();
  let dt = 0;
  do {
    const r = fn();
    events += r.events;
    bytes += r.bytes;
    dt = (performance.now() - t0) / 1000;
  } while (dt < seconds);
  return { eventsPerS: events / dt, mbPerS: bytes / dt / 1e6 };
}

function imageTables(f: H5File): string[] {
  return f.keys(DL1_PATHS.images).map((k) => `${DL1_PATHS.images}/${k}`);
}

async function scan(path: string): Promise<Rate> {
  const f = await H5File.open(path);
  const nEvents = f.metadata('/dl1/event/subarray/trigger').shape![0];
  const r = timeIt(() => {
    let bytes = 0;
    for (const p of imageTables(f)) {
      const t = new TableReader(f, p, new ChunkCache());
      const fields = ['image', 'peak_time', 'image_mask'].map((n) => t.field(n));
      t.scan((raw, _s, count) => {
        for (const fl of fields) decodeColumn(raw, t.rowSize, count, fl);
        bytes += raw.byteLength;
      });
    }
    return { events: nEvents, bytes };
  });
  f.close();
  return r;
}

async function stepping(path: string, order: 'sequential' | 'random'): Promise<Rate> {
  const f = await H5File.open(path);
  const rowBytes = new Map(imageTables(f).map((p) => [p.slice(-3), f.metadata(p).size]));
  let seed = 12345;
  const reader = new Dl1Reader(f, new ChunkCache());
  const r = timeIt(() => {
    // each pass starts with a cold chunk cache
    reader.cache.clear();
    const n = reader.nEvents;
    const idx = Array.from({ length: n }, (_, i) => i);
    if (order === 'random') {
      for (let i = n - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const j = seed % (i + 1);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
    }
    let bytes = 0;
    for (const i of idx) {
      const ev = reader.event(i, { parameters: false, simulation: false, dl2: false });
      for (const te of ev.telescopes) if (te.image) bytes += rowBytes.get(String(te.telId).padStart(3, '0')) ?? 0;
    }
    return { events: n, bytes };
  });
  f.close();
  return r;
}

async function h5wasmValue(path: string): Promise<Rate> {
  const f = await H5File.open(path);
  const nEvents = f.metadata('/dl1/event/subarray/trigger').shape![0];
  const r = timeIt(() => {
    let bytes = 0;
    for (const p of imageTables(f)) {
      const d = f.dataset(p);
      d.value;
      bytes += (d.shape?.[0] ?? 0) * d.metadata.size;
    }
    return { events: nEvents, bytes };
  });
  f.close();
  return r;
}

function h5py(path: string): Rate {
  const out = execFileSync('/usr/bin/python3', ['-c', H5PY, path, String(seconds)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  return { eventsPerS: out[0], mbPerS: out[1] };
}

const samples = findSamples();
const fmt = (x: number) => x.toFixed(0).padStart(8);
console.log(`DL1 image reading, ${seconds} s per case (events/s, MB/s of decompressed image rows; ratio = events/s ÷ h5py's)`);
for (const name of ['dl1_sample_120.blosc.h5', 'dl1_sample_120.zlib.h5']) {
  const path = join(samples, name);
  // h5py before and after ours, averaged, to even out load from other processes
  const before = h5py(path);
  const cases: [string, Rate][] = [
    ['lightpool scan (raw chunks)', await scan(path)],
    ['lightpool event stepping', await stepping(path, 'sequential')],
    ['lightpool random access', await stepping(path, 'random')],
    ['h5wasm Dataset.value', await h5wasmValue(path)],
  ];
  const after = h5py(path);
  const ref = { eventsPerS: (before.eventsPerS + after.eventsPerS) / 2, mbPerS: (before.mbPerS + after.mbPerS) / 2 };
  cases.unshift(['h5py (whole tables)', ref]);
  console.log(`\n${name}`);
  for (const [label, r] of cases) {
    console.log(`  ${label.padEnd(30)} ${fmt(r.eventsPerS)} events/s ${fmt(r.mbPerS)} MB/s   ×${(r.eventsPerS / ref.eventsPerS).toFixed(2)}`);
  }
}
