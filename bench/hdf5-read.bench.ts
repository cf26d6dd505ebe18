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
 * The machine may be shared, so h5py and our cases alternate in `rounds`
 * (default 3) and each round gives its own ratio (our rate ÷ h5py's rate in
 * that round), by wall-clock time and by CPU time of the process (all its
 * threads; less sensitive to other processes' load). The median and every
 * round's ratio are printed. LIGHTPOOL_HDF5_DIRECT=0 measures the plain
 * HDF5 (h5wasm) path instead of the chunk fast path.
 *
 * Run: npm run bench hdf5-read, or node bench/results/bundles/hdf5-read.mjs [seconds] [rounds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { H5File } from '../src-worker/io/hdf5/h5-file.js';
import { python } from '../test/helpers/reference-tools.js';
import { ChunkCache, TableReader } from '../src-worker/io/hdf5/table-reader.js';
import { Dl1Reader } from '../src-worker/io/dl1/dl1-reader.js';
import { DL1_PATHS } from '../src-worker/io/dl1/dl1-layout.js';
import { decodeColumn } from '../src-worker/io/hdf5/column-decode.js';

const seconds = Number(process.argv[2] ?? 2);
const rounds = Math.max(1, Number(process.argv[3] ?? 3));

function findSamples(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const c = join(dir, 'test', 'fixtures', 'samples');
    if (existsSync(join(c, 'dl1_sample_120.blosc.h5'))) return c;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/samples/dl1_sample_120.blosc.h5 not found above ' + fileURLToPath(import.meta.url));
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
t0 = time.perf_counter(); c0 = time.process_time(); reps = 0
while True:
    n_events, nbytes = once(); reps += 1
    if time.perf_counter() - t0 > seconds: break
dt = time.perf_counter() - t0; ct = time.process_time() - c0
print(n_events * reps / dt, nbytes * reps / dt / 1e6, n_events * reps / ct)
`;

interface Rate {
  eventsPerS: number;
  mbPerS: number;
  /** events per second of CPU time used by the process (all threads) */
  cpuEventsPerS: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function timeIt(fn: () => { events: number; bytes: number }): Rate {
  fn(); // warm-up (wasm tier-up, file cache)
  let events = 0;
  let bytes = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let dt = 0;
  do {
    const r = fn();
    events += r.events;
    bytes += r.bytes;
    dt = (performance.now() - t0) / 1000;
  } while (dt < seconds);
  const ct = Math.max(1e-9, cpuSeconds() - c0);
  return { eventsPerS: events / dt, mbPerS: bytes / dt / 1e6, cpuEventsPerS: events / ct };
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

/** h5py in the same run, with the python the tests use (test/helpers/reference-tools.ts) */
const H5PY_TOOL = python('h5py');
function h5py(path: string): Rate {
  if (!H5PY_TOOL.ok) return { eventsPerS: NaN, mbPerS: NaN, cpuEventsPerS: NaN };
  const out = execFileSync(H5PY_TOOL.path, ['-c', H5PY, path, String(seconds)], { encoding: 'utf8' })
    .trim()
    .split(/\s+/)
    .map(Number);
  return { eventsPerS: out[0], mbPerS: out[1], cpuEventsPerS: out[2] };
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const samples = findSamples();
const fmt = (x: number) => x.toFixed(0).padStart(8);
const ratios = (xs: number[]) => `×${median(xs).toFixed(2)} (${xs.map((x) => x.toFixed(2)).join(' ')})`;
console.log(
  `DL1 image reading, ${seconds} s per case, ${rounds} rounds alternating with h5py (events/s and MB/s of decompressed image rows by wall clock, medians;` +
    ` ratio = our events/s ÷ h5py's in the same round: median (each round), by wall clock and by CPU time)` +
    (process.env.LIGHTPOOL_HDF5_DIRECT === '0' ? '\nchunk fast path OFF (LIGHTPOOL_HDF5_DIRECT=0)' : ''),
);
if (!H5PY_TOOL.ok) console.log(`h5py cannot run here (${H5PY_TOOL.why}): our rates only, no ratios (there are no recorded h5py rates to fall back on)`);
for (const name of ['dl1_sample_120.blosc.h5', 'dl1_sample_120.zlib.h5']) {
  const path = join(samples, name);
  const labels = ['lightpool scan (raw chunks)', 'lightpool event stepping', 'lightpool random access'];
  const runs: Rate[][] = labels.map(() => []);
  const refs: Rate[] = [];
  for (let r = 0; r < rounds; r++) {
    refs.push(h5py(path));
    runs[0].push(await scan(path));
    runs[1].push(await stepping(path, 'sequential'));
    runs[2].push(await stepping(path, 'random'));
  }
  const value = await h5wasmValue(path);
  console.log(`\n${name}`);
  const line = (label: string, rs: Rate[]) => {
    const wall = rs.map((x, i) => x.eventsPerS / refs[i].eventsPerS);
    const cpu = rs.map((x, i) => x.cpuEventsPerS / refs[i].cpuEventsPerS);
    console.log(
      `  ${label.padEnd(30)} ${fmt(median(rs.map((x) => x.eventsPerS)))} events/s ${fmt(median(rs.map((x) => x.mbPerS)))} MB/s   wall ${ratios(wall)}   cpu ${ratios(cpu)}`,
    );
  };
  line('h5py (whole tables)', refs);
  labels.forEach((l, i) => line(l, runs[i]));
  const ref = median(refs.map((x) => x.eventsPerS));
  console.log(
    `  ${'h5wasm Dataset.value (1 round)'.padEnd(30)} ${fmt(value.eventsPerS)} events/s ${fmt(value.mbPerS)} MB/s   wall ×${(value.eventsPerS / ref).toFixed(2)} of h5py's median`,
  );
}
