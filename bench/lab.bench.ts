/**
 * The lab analyses against the seed's numpy/scipy, measured in the same run
 * on the shared files (test/fixtures/lab):
 *
 *   shaper: signals/s of Lightpool's kernel (baseline subtraction, Jordanov
 *           recursion, maximum: measurePulses, one thread) and of the numpy a
 *           physicist writes (the same steps, vectorised over all 1000
 *           signals; numpy runs these on one core), per core = per CPU
 *           second of the process; and the whole job (HDF5 read + worker
 *           pool, all cores) for information. Goal ≥ 5× numpy per core.
 *   MLEM:   iterations/s on the 100 × 65341 float32 system matrix: Lightpool
 *           (runs, WebAssembly SIMD; and the plain-JS loops) from the dense
 *           file and from the CSR arrays, against numpy dense (float64, and
 *           the float32 matrix as stored) and scipy.sparse CSR (float32 as
 *           stored, and float64). Goal ≥ 2× scipy.sparse (its faster variant).
 *
 * Each case repeats for `seconds` (default 2) after a warm-up; Lightpool and
 * Python alternate over `rounds` (default 3) and the medians are printed
 * with every round, with the load average before and after.
 *
 * Run: npm run bench lab, or node bench/results/bundles/lab.mjs [seconds] [rounds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { H5File } from '../src-worker/io/hdf5/h5-file.js';
import { numericDatasetInfo, readNumericRows } from '../src-worker/lab/numeric-dataset.js';
import { measurePulses } from '../src-worker/lab/spectroscopy/pulse-amplitude.js';
import { readSystemMatrix } from '../src-worker/lab/compton/system-matrix-input.js';
import { MlemReconstruction } from '../src-worker/lab/compton/mlem.js';
import { shapeSignals } from '../src-main/lab/shape-signals.js';

const seconds = Number(process.argv[2] ?? 2);
const rounds = Math.max(1, Number(process.argv[3] ?? 3));
const PY = process.env.LIGHTPOOL_PYTHON ?? '/usr/bin/python3';

function findLab(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const c = join(dir, 'test', 'fixtures', 'lab');
    if (existsSync(join(c, 'digitized_preamp_signals.h5'))) return c;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/lab not found');
}
const LAB = findLab();
const SIGNALS = join(LAB, 'digitized_preamp_signals.h5');
const SYSMAT = join(LAB, 'compton_sysmat.h5');

const PY_SHAPER = String.raw`
import sys, time, json, numpy as np, h5py
path, seconds = sys.argv[1], float(sys.argv[2])
with h5py.File(path, 'r') as f:
    sig = f['/signals'][:]
def shape(sig, k=450, m=60, M=3600.0, nb=500):
    v = sig.astype(np.float64)
    v = v - v[:, :nb].mean(axis=1, keepdims=True)
    l = k + m
    d = v.copy(); d[:, k:] -= v[:, :-k]; d[:, l:] -= v[:, :-l]; d[:, k + l:] += v[:, :-(k + l)]
    return (np.cumsum(np.cumsum(d, axis=1) + M * d, axis=1) / (M * k)).max(axis=1)
shape(sig)
n = 0; t0 = time.perf_counter(); c0 = time.process_time()
while True:
    shape(sig); n += len(sig)
    if time.perf_counter() - t0 > seconds: break
print(json.dumps({'wall': n / (time.perf_counter() - t0), 'cpu': n / (time.process_time() - c0)}))
`;

const PY_MLEM = String.raw`
import sys, time, json, numpy as np, h5py, scipy.sparse as sp
path, seconds, csr_out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
with h5py.File(path, 'r') as f:
    A32 = f['/sysmat'][:]
A64 = A32.astype(np.float64)
s = np.ones(A32.shape[1])
def rate(A):
    img = np.asarray(A.sum(axis=0), dtype=np.float64).ravel()
    img = img / s * (A.T @ (1 / (A @ img)))
    n = 0; t0 = time.perf_counter(); c0 = time.process_time()
    while True:
        img = img / s * (A.T @ (1 / (A @ img))); n += 1
        if time.perf_counter() - t0 > seconds: break
    return {'wall': n / (time.perf_counter() - t0), 'cpu': n / (time.process_time() - c0)}
C32 = sp.csr_matrix(A32)
out = {'numpy dense float64': rate(A64), 'numpy dense float32 (as stored)': rate(A32),
       'scipy.sparse CSR float32 (as stored)': rate(C32), 'scipy.sparse CSR float64': rate(sp.csr_matrix(A64))}
if csr_out != '-':
    with h5py.File(csr_out, 'w') as f:
        g = f.create_group('sysmat_csr'); g['data'] = C32.data; g['indices'] = C32.indices; g['indptr'] = C32.indptr
        g.attrs['shape'] = np.array(C32.shape); g.attrs['image_shape'] = np.array([181, 361])
print(json.dumps(out))
`;

interface Rate {
  wall: number;
  cpu: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function timeIt(fn: () => number): Rate {
  fn();
  let n = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let dt = 0;
  do {
    n += fn();
    dt = (performance.now() - t0) / 1000;
  } while (dt < seconds);
  return { wall: n / dt, cpu: n / Math.max(1e-9, cpuSeconds() - c0) };
}

function py<T>(script: string, args: string[]): T {
  return JSON.parse(execFileSync(PY, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 })) as T;
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
const f0 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));

async function main(): Promise<void> {
  const load0 = loadavg();
  console.log(`lab benchmark: ${seconds} s per case, ${rounds} rounds; load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  const tmp = mkdtempSync(join(tmpdir(), 'lightpool-bench-lab-'));
  const csrFile = join(tmp, 'csr.h5');
  try {
    // ---- shaper
    const f = await H5File.open(SIGNALS);
    const info = numericDatasetInfo(f, '/signals', [2], 'signals');
    const samples = readNumericRows(f, info, 0, info.shape[0]);
    f.close();
    const shaperOptions = { k: 450, m: 60, M: 3600, baselineSamples: 500 };
    const ours: Rate[] = [];
    const theirs: Rate[] = [];
    const job: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(timeIt(() => measurePulses(samples, info.shape[1], shaperOptions).amplitude.length));
      theirs.push(py<Rate>(PY_SHAPER, [SIGNALS, String(seconds)]));
      const s = await shapeSignals({ input: SIGNALS, shaping: shaperOptions });
      job.push(s.amplitude.length / s.seconds);
    }
    console.log('\nshaper (1000 signals × 3000 samples int16; baseline, Jordanov recursion, maximum):');
    console.log(`  Lightpool kernel, one thread:  ${f0(median(ours.map((x) => x.wall)))} signals/s (per CPU second ${f0(median(ours.map((x) => x.cpu)))})`);
    console.log(`  numpy (vectorised):            ${f0(median(theirs.map((x) => x.wall)))} signals/s (per CPU second ${f0(median(theirs.map((x) => x.cpu)))})`);
    const perCore = ours.map((o, i) => o.cpu / theirs[i].cpu);
    console.log(
      `  ratio per core (CPU time): ${f0(median(perCore))}× (rounds ${perCore.map(f0).join(', ')}; wall ${ours.map((o, i) => f0(o.wall / theirs[i].wall)).join(', ')}); goal ≥ 5×`,
    );
    console.log(`  whole job, HDF5 read + worker pool (all cores, pool start-up included): ${f0(median(job))} signals/s (rounds ${job.map(f0).join(', ')})`);

    // ---- MLEM
    const cases: Record<string, Rate[]> = {};
    const add = (name: string, r: Rate) => (cases[name] ??= []).push(r);
    for (let r = 0; r < rounds; r++) {
      const p = py<Record<string, Rate>>(PY_MLEM, [SYSMAT, String(seconds), r === 0 ? csrFile : '-']);
      for (const [k, v] of Object.entries(p)) add(k, v);
      for (const [label, file, path] of [
        ['dense file', SYSMAT, '/sysmat'],
        ['CSR file', csrFile, '/sysmat_csr'],
      ] as const) {
        const h = await H5File.open(file);
        const src = readSystemMatrix(h, { path });
        h.close();
        const simd = new MlemReconstruction(src.matrix);
        add(
          `Lightpool ${label}, ${simd.engine}`,
          timeIt(() => (simd.iterate(), 1)),
        );
        if (label === 'dense file') {
          const js = new MlemReconstruction(src.matrix, undefined, 'js');
          add(
            `Lightpool ${label}, plain JS`,
            timeIt(() => (js.iterate(), 1)),
          );
        }
      }
    }
    console.log('\nMLEM (100 cones × 65341 pixels, float32, 953,325 non-zero), iterations/s:');
    for (const [name, rs] of Object.entries(cases)) {
      console.log(
        `  ${name.padEnd(40)} ${f0(median(rs.map((x) => x.wall))).padStart(7)}  (per CPU second ${f0(median(rs.map((x) => x.cpu)))}; rounds ${rs.map((x) => f0(x.wall)).join(', ')})`,
      );
    }
    const scipyBest = (i: number) => Math.max(cases['scipy.sparse CSR float32 (as stored)'][i].wall, cases['scipy.sparse CSR float64'][i].wall);
    for (const label of ['dense file', 'CSR file']) {
      const key = Object.keys(cases).find((k) => k.startsWith(`Lightpool ${label}, wasm`) || k === `Lightpool ${label}, js`)!;
      const ratios = cases[key].map((x, i) => x.wall / scipyBest(i));
      console.log(`  ratio ${key} / best scipy.sparse: ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}×); goal ≥ 2×`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `\nload average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

await main();
