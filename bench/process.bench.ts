/**
 * `lightpool process` end to end beside ctapipe-process on the same file, in
 * the same run (issue 17). The input: the stage-1 DL1 sample
 * (test/fixtures/samples/dl1_sample_120.blosc.h5, written by ctapipe-process)
 * with its events repeated to 5,000 events (new event ids;
 * bench/ctapipe/make-process-input.py, PyTables appending with the sample's
 * own filters: Blosc/zstd 5 + fletcher32). Both tools get ctapipe's
 * base_config.yaml (test/fixtures/ctapipe-config, a copy of the one in
 * ctapipe's resources) and do the same work: new cleaning masks, image
 * parameters and the stereo geometry, written with the images
 * (ctapipe-process: `--write-images --write-parameters --write-showers
 * --recompute-dl1 --recompute-dl2`, without which it would copy the file's
 * parameters instead of computing them).
 *
 * The two run alternately (ctapipe, Lightpool) for ROUNDS rounds, each as a
 * child process under /usr/bin/time: wall clock, CPU (user + sys of the
 * child and what it waited for: ctapipe's one process; Lightpool's process
 * with its worker threads) and peak RSS; the output sizes; and the load
 * average (os.loadavg, 1 min) sampled every second during each run, since
 * the 2 cores are shared. Prints the ratios (ctapipe / Lightpool) per round
 * and of the medians, against the goals (≥ 15× wall, peak RSS ≤
 * 400 MB, output size within 10 % of ctapipe's). Exits 0 either way: the
 * goals are reported, not enforced.
 *
 * Run: npm run bench process   (needs the ctapipe oracle: test/helpers/reference-tools.ts)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ctapipe, python } from '../test/helpers/reference-tools.js';
import { repoRoot } from './ctapipe-oracle.js';

const EVENTS = 5000;
const ROUNDS = 2;
const REPO = repoRoot();
const SAMPLE = join(REPO, 'test/fixtures/samples/dl1_sample_120.blosc.h5');
const CONFIG = join(REPO, 'test/fixtures/ctapipe-config/base_config.yaml');
const TIME = '/usr/bin/time';

interface Run {
  wall: number;
  cpu: number;
  rssMB: number;
  bytes: number;
  load: { min: number; max: number };
}

async function timed(label: string, cmd: string, args: string[], output: string, dir: string): Promise<Run> {
  const stats = join(dir, `${label}.time`);
  rmSync(output, { force: true });
  const loads: number[] = [loadavg()[0]];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 1000);
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(TIME, ['-o', stats, '-f', '%e %U %S %M', cmd, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearInterval(sampler);
  loads.push(loadavg()[0]);
  if (code !== 0) throw new Error(`${label} exited with ${code}:\n${stderr}`);
  const [wall, user, sys, maxKB] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
  return { wall, cpu: user + sys, rssMB: (maxKB * 1024) / 1e6, bytes: statSync(output).size, load: { min: Math.min(...loads), max: Math.max(...loads) } };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const line = (name: string, r: Run) =>
  `${name.padEnd(16)} wall ${r.wall.toFixed(1).padStart(6)} s  CPU ${r.cpu.toFixed(1).padStart(6)} s (${((100 * r.cpu) / r.wall).toFixed(0)} %)  ` +
  `peak RSS ${r.rssMB.toFixed(0).padStart(4)} MB  output ${(r.bytes / 1e6).toFixed(1)} MB  load ${r.load.min.toFixed(1)}-${r.load.max.toFixed(1)}`;

const oracle = ctapipe();
const tables = python('tables');
if (!existsSync(TIME)) {
  console.log(`skipped: ${TIME} (GNU time) is missing; it measures CPU and peak RSS of the child processes`);
} else if (!oracle.ok || !tables.ok) {
  console.log(`skipped: ${!oracle.ok ? oracle.why : tables.why}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'lp-process-bench-'));
  try {
    const input = join(dir, 'input.dl1.h5');
    const made = JSON.parse(
      execFileSync(tables.path, [join(REPO, 'bench/ctapipe/make-process-input.py'), SAMPLE, input, String(EVENTS)], { encoding: 'utf8' }),
    ) as { events: number; images: number; repeats: number; bytes: number };
    console.log(
      `input: ${made.events} events, ${made.images} telescope images (the sample's ${SAMPLE.split('/').pop()} repeated ${made.repeats}×), ${(made.bytes / 1e6).toFixed(1)} MB, Blosc/zstd 5`,
    );
    console.log(
      `config: ${CONFIG.slice(REPO.length + 1)} for both; load average now ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const ctOut = join(dir, 'ctapipe.dl1.h5');
    const lpOut = join(dir, 'lightpool.dl1.h5');
    const ctArgs = ['-m', 'ctapipe.tools.process', '--input', input, '--output', ctOut, '--config', CONFIG];
    ctArgs.push('--write-images', '--write-parameters', '--write-showers', '--recompute-dl1', '--recompute-dl2', '--overwrite', '--no-progress');
    const lpArgs = [join(REPO, 'bin/lightpool.js'), 'process', input, '--out', lpOut, '--config', CONFIG, '--force', '--quiet'];
    const ct: Run[] = [];
    const lp: Run[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      ct.push(await timed('ctapipe', oracle.path, ctArgs, ctOut, dir));
      lp.push(await timed('lightpool', process.execPath, lpArgs, lpOut, dir));
      console.log(`round ${round}:`);
      console.log(`  ${line('ctapipe-process', ct[round - 1])}`);
      console.log(`  ${line('lightpool', lp[round - 1])}`);
      console.log(
        `  ratio (ctapipe / lightpool): wall ${(ct[round - 1].wall / lp[round - 1].wall).toFixed(2)}×, CPU ${(ct[round - 1].cpu / lp[round - 1].cpu).toFixed(2)}×`,
      );
    }
    const m = (rs: Run[], k: 'wall' | 'cpu' | 'rssMB' | 'bytes') => median(rs.map((r) => r[k]));
    const wallRatio = m(ct, 'wall') / m(lp, 'wall');
    const sizeRatio = m(lp, 'bytes') / m(ct, 'bytes');
    console.log(`medians of ${ROUNDS} rounds (${made.images} images):`);
    for (const [name, rs] of [
      ['ctapipe-process', ct],
      ['lightpool', lp],
    ] as const) {
      console.log(
        `  ${name.padEnd(16)} wall ${m(rs, 'wall').toFixed(1)} s (${(made.images / m(rs, 'wall')).toFixed(0)} images/s)  CPU ${m(rs, 'cpu').toFixed(1)} s  peak RSS ${m(rs, 'rssMB').toFixed(0)} MB  output ${(m(rs, 'bytes') / 1e6).toFixed(1)} MB`,
      );
    }
    console.log(`  wall ratio ${wallRatio.toFixed(2)}× (goal ≥ 15×): ${wallRatio >= 15 ? 'reached' : 'NOT reached'}`);
    console.log(`  CPU ratio ${(m(ct, 'cpu') / m(lp, 'cpu')).toFixed(2)}×`);
    console.log(`  lightpool peak RSS ${m(lp, 'rssMB').toFixed(0)} MB (goal ≤ 400 MB): ${m(lp, 'rssMB') <= 400 ? 'reached' : 'NOT reached'}`);
    console.log(
      `  output size ${(100 * sizeRatio).toFixed(0)} % of ctapipe's (goal within 10 %): ${Math.abs(sizeRatio - 1) <= 0.1 ? 'reached' : 'NOT reached'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
