/**
 * sim_telarray file → DL1 parameters, one core, beside ctapipe 0.26 in the
 * same run (issue 15: "events/s and telescope images/s from sim_telarray to
 * DL1 parameters, beside ctapipe's SimTelEventSource + CameraCalibrator +
 * ImageProcessor on the same file; loop the file; startup excluded from
 * both. Goal ≥ 20× ctapipe per core").
 *
 * Lightpool: openSimtelFile (lazy index, sequential reading, EQUIVALENT
 * focal length; the event parts the chain uses: SIMTEL_DL1_EVENT_PARTS) and
 * SimtelDL1Processor (src-worker/io/simtel/simtel-dl1.ts) with ctapipe-process's
 * defaults: R0 → R1 → DL1 (ThresholdGainSelector, NeighborPeakWindowSum with
 * the integration correction, time shift, NeighborAverage), tailcuts 10/5
 * p.e. with 2 picture neighbours, ImageQualityQuery `image.sum() > 0`, every
 * image parameter in the telescope frame. ctapipe: bench/ctapipe/simtel.py
 * (SimTelEventSource(focal_length_choice="EQUIVALENT") + CameraCalibrator +
 * ImageProcessor, defaults), run with the ctapipe oracle on one thread.
 *
 * Files: the fixtures with events (test/fixtures/simtel: LSTCam with true
 * photo-electrons, HESS-1U, FlashCam, the 40,000-pixel camera) as they are,
 * and each of the first three with its events repeated to ~240 events
 * (zstd level 3 like the originals, with a window shorter than one
 * repetition so that no copy compresses against the one before it, as
 * distinct events would not; the LSTCam one also as gzip level 6, whose
 * 32 KiB window is shorter anyway), so the per-event work dominates.
 *
 * Both sides loop each file: one pass first (startup: imports, JIT and
 * numba compilation, not counted), then passes for `seconds`. A pass opens
 * the file (ours: openSimtelFile + a new SimtelDL1Processor; ctapipe:
 * SimTelEventSource + CameraCalibrator + ImageProcessor), timed apart as
 * "open" and not in the rates, then reads and processes every event
 * (timed). Rates are events (and telescope images) per second of the
 * process's CPU time over those passes (so a shared machine gives the speed
 * of one core), wall clock in brackets; `rounds` rounds (ctapipe, then
 * Lightpool), medians printed with each round's ratio. ctapipe's
 * ImageProcessor also parameterises the true images of simulated events,
 * which Lightpool's chain does not: the ratio is against ctapipe without
 * that (`same work`, the true images set aside before its ImageProcessor);
 * ctapipe as ctapipe-process runs it is printed beside (`ctapipe full`).
 * Lightpool's reading alone (every event read, nothing computed) is
 * measured too, to say where our time goes.
 *
 * Then, in the same run, the decompression ceiling per file: the native
 * decoder ctapipe reads the file with (bench/ctapipe/decompress.py: python
 * zstandard as pyeventio uses it; for gzip pyeventio's `gzip -cd` child,
 * Python's zlib beside), its CPU time per event alone; ctapipe's time per
 * event ÷ that is the most any reader that decompresses with that decoder
 * can gain over ctapipe (for gzip ctapipe's own CPU time leaves the child
 * out: ctapipe with its child is printed beside). And our time per event
 * split into decompression (our decoder alone), EventIO parsing with the
 * ADC decoding (the same data uncompressed), R0 → R1, extraction and
 * cleaning + parameters, each measured alone (bench/simtel-breakdown.ts).
 *
 * Run: npm run bench simtel, or node bench/results/bundles/simtel.mjs [seconds-per-file] [rounds] [file-filter]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { EventIOFile } from '../src-worker/io/eventio/eventio-file.js';
import { ZstdWasm } from '../src-worker/io/eventio/zstd-wasm.js';
import { openSimtelFile } from '../src-worker/io/simtel/simtel-file.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor } from '../src-worker/io/simtel/simtel-dl1.js';
import { measureWithCtapipe } from './ctapipe-oracle.js';
import { measureBreakdown, type Breakdown } from './simtel-breakdown.js';

const seconds = Number(process.argv[2] ?? 3);
const rounds = Math.max(1, Number(process.argv[3] ?? 3));
const only = process.argv[4];
const TARGET_EVENTS = 240;

function findFixtures(): string {
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    let dir = start;
    for (let i = 0; i < 5; i++) {
      const c = join(dir, 'test', 'fixtures', 'simtel');
      if (existsSync(join(c, 'lst_muons_with_true_photons.simtel.zst'))) return c;
      dir = dirname(dir);
    }
  }
  throw new Error('test/fixtures/simtel not found');
}

interface BenchFile {
  label: string;
  path: string;
  /** events in one pass */
  events: number;
  /** decompressed EventIO bytes */
  dataBytes: number;
  /** the same EventIO data uncompressed (for the breakdown) */
  rawPath: string;
}

/** monitoring objects: sim_telarray writes them once per telescope, before its first event */
const MONITORING = new Set([2022, 2023, 2033]);

/**
 * The fixture's events repeated `copies` times: the run-level objects and
 * the monitoring, then the objects from the first MC shower to the last
 * event (monitoring left out) again and again, then the rest; and the
 * largest zstd window shorter than one repetition.
 */
function repeatEvents(raw: Uint8Array, copies: number): { bytes: Uint8Array; windowLog: number } {
  const idx = EventIOFile.open(writeTmp('probe.simtel', raw));
  idx.scan(null);
  const objs = Array.from({ length: idx.objectCount }, (_, i) => idx.object(i));
  idx.close();
  const range = (o: (typeof objs)[number]) => raw.subarray(o.offset, o.contentOffset + o.contentSize);
  const first = objs.indexOf(objs.find((o) => o.type === 2020) ?? objs.find((o) => o.type === 2010)!);
  let last = objs.length - 1;
  while (objs[last].type !== 2010) last--;
  const head = [...objs.slice(0, first), ...objs.slice(first, last + 1).filter((o) => MONITORING.has(o.type))].map(range);
  const block = objs
    .slice(first, last + 1)
    .filter((o) => !MONITORING.has(o.type))
    .map(range);
  const tail = objs.slice(last + 1).map(range);
  const parts = [...head, ...Array.from({ length: copies }, () => block).flat(), ...tail];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  const blockBytes = block.reduce((n, p) => n + p.length, 0);
  return { bytes: out, windowLog: Math.min(21, Math.floor(Math.log2(blockBytes - 1))) };
}

const tmp = mkdtempSync(join(tmpdir(), 'lightpool-simtel-bench-'));
function writeTmp(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

function countEvents(path: string): number {
  const f = openSimtelFile(path, { focalLengthChoice: 'EQUIVALENT' });
  const n = f.nEvents;
  f.close();
  return n;
}

function makeFiles(): BenchFile[] {
  const fixtures = findFixtures();
  const files: BenchFile[] = [];
  const asIs: [string, string][] = [
    ['LSTCam', 'lst_muons_with_true_photons.simtel.zst'],
    ['HESS-1U', 'gamma_with_obslevel_particles.simtel.zst'],
    ['FlashCam', 'aux_traces_2029.simtel.zst'],
    ['40k pixels', '40k_pixels.simtel.zst'],
  ];
  for (const [cam, name] of asIs) {
    const path = join(fixtures, name);
    const raw = zstdDecompress(readFileSync(path));
    const rawPath = writeTmp(`${basename(name, '.simtel.zst')}.simtel`, raw);
    files.push({ label: `${cam} ${name}`, path, events: countEvents(path), dataBytes: raw.length, rawPath });
  }
  for (const [cam, name] of asIs.slice(0, 3)) {
    const raw = zstdDecompress(readFileSync(join(fixtures, name)));
    const perCopy = countEvents(join(fixtures, name));
    const copies = Math.max(1, Math.round(TARGET_EVENTS / perCopy));
    const { bytes: big, windowLog } = repeatEvents(raw, copies);
    const stem = basename(name, '.simtel.zst');
    const rawPath = writeTmp(`${stem}-x${copies}.simtel`, big);
    // a window shorter than one repetition: a copy cannot refer to the one before (as in a file of distinct events)
    const zst = writeTmp(`${stem}-x${copies}.simtel.zst`, ZstdWasm.compress(big, 3, windowLog));
    files.push({ label: `${cam} ×${copies} (zstd)`, path: zst, events: countEvents(zst), dataBytes: big.length, rawPath });
    if (cam === 'LSTCam') {
      const gz = writeTmp(`${stem}-x${copies}.simtel.gz`, gzipSync(big, { level: 6 }));
      files.push({ label: `${cam} ×${copies} (gzip)`, path: gz, events: countEvents(gz), dataBytes: big.length, rawPath });
    }
  }
  return only ? files.filter((f) => f.label.includes(only)) : files;
}

interface Totals {
  /** ctapipe: CPU seconds of its `gzip -cd` child (gzip files), not in `cpu` */
  child_cpu?: number;
  events: number;
  images: number;
  cpu: number;
  wall: number;
  open_cpu: number;
  open_wall: number;
  passes: number;
}

const zero = (): Totals => ({ events: 0, images: 0, cpu: 0, wall: 0, open_cpu: 0, open_wall: 0, passes: 0 });

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

let sink = 0;

/** the subarray of a file (opened and closed at once) */
function openSimtelFileOnce(path: string) {
  const f = openSimtelFile(path, { focalLengthChoice: 'EQUIVALENT' });
  const sub = f.subarray;
  f.close();
  return sub;
}

/** One pass: open, then every event read (and processed, unless `readOnly`). */
function onePass(path: string, readOnly: boolean, t: Totals): void {
  const c0 = cpuSeconds();
  const w0 = performance.now();
  const f = openSimtelFile(path, { index: 'lazy', sequential: true, focalLengthChoice: 'EQUIVALENT' });
  try {
    const proc = readOnly ? null : new SimtelDL1Processor(f.subarray);
    const c1 = cpuSeconds();
    const w1 = performance.now();
    let events = 0;
    let images = 0;
    for (const ev of f.iterEvents(SIMTEL_DL1_EVENT_PARTS)) {
      if (proc) {
        const out = proc.process(ev);
        for (const tel of out.tel) sink += tel.parameters[0];
      }
      events++;
      images += ev.tel.length;
    }
    const c2 = cpuSeconds();
    const w2 = performance.now();
    t.events += events;
    t.images += images;
    t.open_cpu += c1 - c0;
    t.open_wall += (w1 - w0) / 1000;
    t.cpu += c2 - c1;
    t.wall += (w2 - w1) / 1000;
    t.passes++;
  } finally {
    f.close();
  }
}

function ours(path: string, readOnly: boolean): Totals {
  onePass(path, readOnly, zero()); // startup
  const t = zero();
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < seconds || t.passes < 2) onePass(path, readOnly, t);
  return t;
}

const median = (xs: number[]) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const files = makeFiles();
const load0 = loadavg();
console.log(
  `node ${process.version}, one thread; ${seconds} s per file and side, ${rounds} rounds (ctapipe, then Lightpool); load average ${load0.map((x) => x.toFixed(2)).join(' ')}; ` +
    'rates per second of CPU time [wall clock], open excluded',
);
for (const f of files)
  console.log(
    `  ${f.label.padEnd(44)} ${String(f.events).padStart(4)} events, ${(f.dataBytes / 1e6).toFixed(1)} MB EventIO, ${(statSync(f.path).size / 1e6).toFixed(1)} MB file`,
  );

interface Round {
  ours: Totals;
  read: Totals;
  ctapipe: Totals | null;
  ctapipeFull: Totals | null;
}
const results = new Map<string, Round[]>(files.map((f) => [f.path, []]));
let ctapipeWhy = '';
let ctapipeVersion = '';
for (let r = 0; r < rounds; r++) {
  const cp = measureWithCtapipe<{ ctapipe: string; files: Record<string, { full: Totals; same_work: Totals }> }>('simtel.py', [
    String(seconds),
    ...files.map((f) => f.path),
  ]);
  if (!cp.measured) ctapipeWhy = cp.why;
  else ctapipeVersion = cp.result.ctapipe;
  for (const f of files) {
    const c = cp.measured ? cp.result.files[f.path] : null;
    results.get(f.path)!.push({ ours: ours(f.path, false), read: ours(f.path, true), ctapipe: c?.same_work ?? null, ctapipeFull: c?.full ?? null });
  }
  process.stdout.write(`  round ${r + 1}/${rounds} done, load ${loadavg()[0].toFixed(2)}\n`);
}
console.log(ctapipeVersion ? `ctapipe ${ctapipeVersion} (oracle), one thread` : `ctapipe not measured: ${ctapipeWhy}`);

const rate = (t: Totals | null, what: 'events' | 'images', clock: 'cpu' | 'wall') => (t && t[clock] > 0 ? t[what] / t[clock] : NaN);
const f0 = (x: number, w = 7) => (Number.isFinite(x) ? x.toFixed(x < 100 ? 1 : 0) : '—').padStart(w);
console.log(
  '\nfile                                          |  Lightpool events/s  images/s  [wall] | read only | ctapipe same work ev/s  img/s [wall] | ratio (rounds)       | ctapipe full ev/s | open ms ours/ctapipe',
);
for (const f of files) {
  const rs = results.get(f.path)!;
  const ev = median(rs.map((x) => rate(x.ours, 'events', 'cpu')));
  const im = median(rs.map((x) => rate(x.ours, 'images', 'cpu')));
  const wall = median(rs.map((x) => rate(x.ours, 'events', 'wall')));
  const read = median(rs.map((x) => rate(x.read, 'events', 'cpu')));
  const cev = median(rs.map((x) => rate(x.ctapipe, 'events', 'cpu')));
  const cim = median(rs.map((x) => rate(x.ctapipe, 'images', 'cpu')));
  const cwall = median(rs.map((x) => rate(x.ctapipe, 'events', 'wall')));
  const cfull = median(rs.map((x) => rate(x.ctapipeFull, 'events', 'cpu')));
  const ratios = rs.map((x) => rate(x.ours, 'events', 'cpu') / rate(x.ctapipe, 'events', 'cpu'));
  const openOurs = median(rs.map((x) => (1000 * x.ours.open_cpu) / x.ours.passes));
  const openCp = median(rs.map((x) => (x.ctapipe ? (1000 * x.ctapipe.open_cpu) / x.ctapipe.passes : NaN)));
  console.log(
    `${f.label.padEnd(45)} | ${f0(ev, 10)} ${f0(im, 9)} [${f0(wall)}] | ${f0(read, 9)} | ${f0(cev, 11)} ${f0(cim, 7)} [${f0(cwall)}] | ×${f0(median(ratios), 5)} (${ratios.map((x) => (Number.isFinite(x) ? x.toFixed(1) : '—')).join(' ')})`.padEnd(
      150,
    ) + ` | ${f0(cfull, 8)}          | ${f0(openOurs, 5)} / ${f0(openCp, 5)}`,
  );
}
const GOAL = 20;
const verdicts = files.map((f) => {
  const rs = results.get(f.path)!;
  return { f, ratio: median(rs.map((x) => rate(x.ours, 'events', 'cpu') / rate(x.ctapipe, 'events', 'cpu'))) };
});
if (verdicts.some((v) => Number.isFinite(v.ratio))) {
  const met = verdicts.filter((v) => v.ratio >= GOAL);
  console.log(
    `\ngoal ≥ ×${GOAL} ctapipe per core (same work): met on ${met.length} of ${verdicts.length} files` +
      (met.length ? ` (${met.map((v) => v.f.label).join(', ')})` : '') +
      `; lowest ×${Math.min(...verdicts.map((v) => v.ratio)).toFixed(1)} (${verdicts.reduce((a, b) => (b.ratio < a.ratio ? b : a)).f.label})`,
  );
}

// --- the decompression ceiling and where our time goes (same run) ---------------------------
interface NativeDecode {
  cpu: number;
  passes: number;
  bytes: number;
}
const loadC = loadavg();
const native = measureWithCtapipe<{ zstandard: string; files: Record<string, { native: string; decoders: Record<string, NativeDecode> }> }>('decompress.py', [
  String(seconds),
  ...files.map((f) => f.path),
]);
const breakdowns = new Map<string, Breakdown>();
for (const f of files) {
  const proc = new SimtelDL1Processor(openSimtelFileOnce(f.rawPath));
  breakdowns.set(
    f.path,
    measureBreakdown(f.path, f.rawPath, f.events, Math.max(0.3, seconds / 4), (events) => {
      for (const ev of events) for (const tel of proc.process(ev).tel) sink += tel.parameters[0];
    }),
  );
}
const us = (x: number, w = 7) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : '—').padStart(w);
console.log(
  `\ndecompression ceiling: ctapipe's time per event (same work, CPU) ÷ the time per event of the native decoder ctapipe reads the file with ` +
    `(zstd: python zstandard ${native.measured ? native.result.zstandard : '?'}; gzip: pyeventio's \`gzip -cd\` child, python zlib beside) — ` +
    `no reader that decompresses with that decoder can be faster than ctapipe by more; load average ${loadC.map((x) => x.toFixed(2)).join(' ')}` +
    (native.measured ? '' : `\n  native decoders not measured: ${native.why}`),
);
console.log(
  'file                                          | µs per event: ctapipe  ours | native decompress (decoder)     ours | ceiling | achieved | ctapipe + gzip child',
);
for (const f of files) {
  const rs = results.get(f.path)!;
  const cUs = 1e6 / median(rs.map((x) => rate(x.ctapipe, 'events', 'cpu')));
  const oUs = 1e6 / median(rs.map((x) => rate(x.ours, 'events', 'cpu')));
  const childUs = median(rs.map((x) => (x.ctapipe && x.ctapipe.child_cpu ? (1e6 * x.ctapipe.child_cpu) / x.ctapipe.events : NaN)));
  const n = native.measured ? native.result.files[f.path] : null;
  const perEvent = (d: NativeDecode | undefined) => (d && d.passes ? (1e6 * d.cpu) / d.passes / f.events : NaN);
  const nUs = n ? perEvent(n.decoders[n.native]) : NaN;
  const others = n
    ? Object.entries(n.decoders)
        .filter(([k]) => k !== n.native)
        .map(([k, d]) => `${k} ${us(perEvent(d), 0)}`)
        .join(', ')
    : '';
  const b = breakdowns.get(f.path)!;
  console.log(
    `${f.label.padEnd(45)} | ${us(cUs, 20)} ${us(oUs, 5)} | ${us(nUs, 17)} ${`(${n?.native ?? '—'}${others ? '; ' + others : ''})`.padEnd(24)} ${us(b.decompress, 5)}` +
      ` | ×${us(cUs / nUs, 6)} | ×${us(cUs / oUs, 7)} | ${Number.isFinite(childUs) ? us(cUs + childUs, 6) + ' µs (×' + (cUs / nUs + childUs / nUs).toFixed(1) + ' ceiling)' : ''}`,
  );
}
console.log(
  `\nour time per event, each step measured alone (CPU, µs per event; bench/simtel-breakdown.ts); load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n` +
    'file                                          | decompress  parse+ADC  r0→r1  extract  clean+params |   sum | chain in memory  whole (from the file)',
);
for (const f of files) {
  const b = breakdowns.get(f.path)!;
  const oUs = 1e6 / median(results.get(f.path)!.map((x) => rate(x.ours, 'events', 'cpu')));
  const sum = b.decompress + b.parse + b.r0r1 + b.extract + b.cleanParams;
  console.log(
    `${f.label.padEnd(45)} | ${us(b.decompress, 10)} ${us(b.parse, 10)} ${us(b.r0r1, 6)} ${us(b.extract, 8)} ${us(b.cleanParams, 13)} | ${us(sum, 5)} | ${us(b.chainInMemory, 15)} ${us(oUs, 22)}`,
  );
}

const load1 = loadavg();
console.log(
  `\nload average at the end ${load1.map((x) => x.toFixed(2)).join(' ')}; "read only": Lightpool reading every event (decompression, parsing, event assembly), nothing computed`,
);
rmSync(tmp, { recursive: true, force: true });
if (sink === 42.4242) console.log('');
