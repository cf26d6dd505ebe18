/**
 * Reading sim_telarray files: Lightpool's EventIO reader (openSimtelFile +
 * event(i) for every event: run-level objects, subarray with neighbours,
 * R0 waveforms, monitoring, truth) beside pyeventio 1.16's SimTelFile
 * iterating the same file (it parses the same objects), in the same run.
 *
 * 1. Each fixture in test/fixtures/simtel, looped for `seconds` (default 2)
 *    by both, one pass each (ours: index 'lazy' + iterEvents, which indexes
 *    as it reads): events/s and MB/s of decompressed EventIO data, wall
 *    clock and CPU time of the process (ours: this process; pyeventio: its
 *    process, plus `gzip -cd` for .gz files, which pyeventio runs beside it).
 * 2. A large file made from the LSTCam fixture (its events repeated to
 *    ~150 MB of EventIO data), uncompressed, gzip (zlib level 6) and zstd
 *    (level 3 with the fixture's 1 MiB window, shorter than one repetition,
 *    written with the oracle's python zstandard when available):
 *    one pass reading every event (lazy index), the full first scan (index
 *    pass) and then every event in order, and random access to events with
 *    the default checkpoints versus none (each jump back decompresses from
 *    the start), with the checkpoints' memory.
 *
 * pyeventio comes from the ctapipe oracle (test/helpers/reference-tools);
 * without it only our numbers are printed.
 *
 * Run: npm run bench simtel-read, or node bench/results/bundles/simtel-read.mjs [seconds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { EventIOFile } from '../src-worker/io/eventio/eventio-file.js';
import { openSimtelFile, type OpenSimtelOptions } from '../src-worker/io/simtel/simtel-file.js';
import { ctapipe } from '../test/helpers/reference-tools.js';

const seconds = Number(process.argv[2] ?? 2);

function findFixtures(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const c = join(dir, 'test', 'fixtures', 'simtel');
    if (existsSync(join(c, 'lst_muons_with_true_photons.simtel.zst'))) return c;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/simtel not found above ' + fileURLToPath(import.meta.url));
}

const PYEVENTIO = `
import sys, time, warnings
warnings.simplefilter("ignore")
from eventio import SimTelFile
path, seconds = sys.argv[1], float(sys.argv[2])
def once():
    n = 0
    with SimTelFile(path) as f:
        for ev in f:
            n += 1
    return n
once()
t0 = time.perf_counter(); c0 = time.process_time(); reps = 0; n = 0
while True:
    n += once(); reps += 1
    if time.perf_counter() - t0 > seconds: break
dt = time.perf_counter() - t0; ct = time.process_time() - c0
print(n, reps, dt, ct)
`;

interface Rate {
  events: number;
  reps: number;
  wall: number;
  cpu: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function ours(path: string, options: OpenSimtelOptions = {}): Rate {
  const once = (): number => {
    const f = openSimtelFile(path, { index: 'lazy', ...options });
    let n = 0;
    try {
      for (const ev of f.iterEvents()) n += ev.tel.length > 0 ? 1 : 1;
      return n;
    } finally {
      f.close();
    }
  };
  once();
  let events = 0;
  let reps = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  do {
    events += once();
    reps++;
  } while ((performance.now() - t0) / 1000 < seconds);
  return { events, reps, wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 };
}

function pyeventio(python: string, path: string): Rate | null {
  try {
    const [events, reps, wall, cpu] = execFileSync(python, ['-c', PYEVENTIO, path, String(seconds)], { encoding: 'utf8', timeout: 600_000 })
      .trim()
      .split(/\s+/)
      .map(Number);
    return { events, reps, wall, cpu };
  } catch (e) {
    console.log(
      `  pyeventio failed on ${path}: ${String((e as { stderr?: string }).stderr ?? e)
        .trim()
        .split('\n')
        .pop()}`,
    );
    return null;
  }
}

function dataSize(path: string): number {
  const f = EventIOFile.open(path);
  f.scan(null);
  const n = f.dataSize ?? 0;
  f.close();
  return n;
}

const fmt = (x: number, d = 0) => x.toFixed(d).padStart(9);
const fixtures = findFixtures();
const oracle = ctapipe();
console.log(
  `node ${process.version}; ${seconds} s per case; MB = 10^6 bytes of decompressed EventIO data; ratio = our rate ÷ pyeventio's (wall clock / CPU time)`,
);
console.log(oracle.ok ? `pyeventio 1.16 from ${oracle.path}` : `pyeventio not available (${oracle.why}): only Lightpool's numbers`);

console.log('\n1. fixture files (open + every event), looped');
console.log('file                                        events/s     MB/s  | pyeventio events/s    MB/s | ratio wall  cpu');
for (const name of [
  'lst_muons_with_true_photons.simtel.zst',
  'gamma_with_obslevel_particles.simtel.zst',
  'aux_traces_2029.simtel.zst',
  '40k_pixels.simtel.zst',
  'calib_events.simtel.gz',
]) {
  const path = join(fixtures, name);
  const mb = dataSize(path) / 1e6;
  const r = ours(path);
  const p = oracle.ok ? pyeventio(oracle.path, path) : null;
  const ev = (x: Rate) => x.events / x.wall;
  const mbs = (x: Rate) => (x.reps * mb) / x.wall;
  const cpuRate = (x: Rate) => x.reps / x.cpu;
  const cmp = p ? `| ${fmt(ev(p), 1)} ${fmt(mbs(p), 1)} | ${fmt(mbs(r) / mbs(p), 1)} ${fmt(cpuRate(r) / cpuRate(p), 1)}` : '';
  console.log(`${name.padEnd(42)} ${fmt(ev(r), 1)} ${fmt(mbs(r), 1)}  ${cmp}`);
}

// --- 2. a large file ----------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'lightpool-simtel-bench-'));
try {
  const lst = zstdDecompress(readFileSync(join(fixtures, 'lst_muons_with_true_photons.simtel.zst')));
  const rawPath = join(tmp, 'lst.simtel');
  writeFileSync(rawPath, lst);
  const idx = EventIOFile.open(rawPath);
  idx.scan(null);
  const objs = Array.from({ length: idx.objectCount }, (_, i) => idx.object(i));
  idx.close();
  const firstShower = objs.find((o) => o.type === 2020)!.offset;
  const lastEvent = [...objs].reverse().find((o) => o.type === 2010)!;
  const eventsEnd = lastEvent.contentOffset + lastEvent.contentSize;
  const block = lst.subarray(firstShower, eventsEnd);
  const copies = Math.max(1, Math.round(150e6 / block.length));
  const big = new Uint8Array(firstShower + copies * block.length + (lst.length - eventsEnd));
  big.set(lst.subarray(0, firstShower));
  for (let k = 0; k < copies; k++) big.set(block, firstShower + k * block.length);
  big.set(lst.subarray(eventsEnd), firstShower + copies * block.length);
  const bigRaw = join(tmp, 'big.simtel');
  writeFileSync(bigRaw, big);
  const files: [string, string][] = [['uncompressed', bigRaw]];
  const bigGz = join(tmp, 'big.simtel.gz');
  writeFileSync(bigGz, gzipSync(big, { level: 6 }));
  files.push(['gzip', bigGz]);
  if (oracle.ok) {
    const bigZst = join(tmp, 'big.simtel.zst');
    try {
      // a 1 MiB window (the fixture's own) is shorter than one repetition of its events: copies do not compress against each other
      execFileSync(oracle.path, [
        '-c',
        'import sys, zstandard as z; p = z.ZstdCompressionParameters.from_level(3, window_log=20, write_checksum=True); open(sys.argv[2], "wb").write(z.ZstdCompressor(compression_params=p).compress(open(sys.argv[1], "rb").read()))',
        bigRaw,
        bigZst,
      ]);
      files.push(['zstd', bigZst]);
    } catch {
      console.log('  (no zstandard module: the zstd case is left out)');
    }
  }
  const nEvents = 3 * copies;
  console.log(`\n2. a large file: the LSTCam fixture's events repeated ${copies}× (${nEvents} events, ${(big.length / 1e6).toFixed(0)} MB of EventIO data)`);
  for (const [label, path] of files) {
    const size = statSync(path).size;
    const tl = performance.now();
    const lazy = openSimtelFile(path, { index: 'lazy' });
    let nl = 0;
    for (const ev of lazy.iterEvents()) nl += ev.tel.length > 0 ? 1 : 1;
    lazy.close();
    const tOnePass = (performance.now() - tl) / 1000;
    const t0 = performance.now();
    const f = openSimtelFile(path);
    const tOpen = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (let i = 0; i < f.nEvents; i++) f.event(i);
    const tSeq = (performance.now() - t1) / 1000;
    const stats = f.eventio.readerStats;
    const jumps = (file: ReturnType<typeof openSimtelFile>, n: number): number => {
      let seed = 7;
      const t = performance.now();
      for (let k = 0; k < n; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        file.event(seed % file.nEvents);
      }
      return (performance.now() - t) / n;
    };
    const withCp = jumps(f, 40);
    const cpCount = stats.checkpoints;
    const cpMiB = stats.checkpointBytes / 2 ** 20;
    const spacing = stats.checkpointSpacing / 2 ** 20;
    f.close();
    let without = NaN;
    if (label !== 'uncompressed') {
      const g = openSimtelFile(path, { checkpointBudget: 0, cacheBytes: 0 });
      without = jumps(g, 8);
      g.close();
    }
    console.log(
      `${label.padEnd(13)} file ${(size / 1e6).toFixed(0).padStart(4)} MB | one pass ${fmt(nl / tOnePass)} events/s ${fmt(big.length / 1e6 / tOnePass)} MB/s | first scan ${fmt(big.length / 1e6 / tOpen)} MB/s (${tOpen.toFixed(2)} s) | every event in order ${fmt(nEvents / tSeq)} events/s ${fmt(big.length / 1e6 / tSeq)} MB/s` +
        ` | random event ${withCp.toFixed(1)} ms with ${cpCount} checkpoints (${cpMiB.toFixed(1)} MiB, every ${spacing.toFixed(0)} MiB)` +
        (Number.isNaN(without) ? '' : `, ${without.toFixed(0)} ms without`),
    );
  }
  if (oracle.ok) {
    for (const [label, path] of files) {
      const p = pyeventio(oracle.path, path);
      if (p)
        console.log(
          `pyeventio ${label.padEnd(12)} every event in order ${fmt(p.events / p.wall)} events/s ${fmt((p.reps * big.length) / 1e6 / p.wall)} MB/s (sequential only)`,
        );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
