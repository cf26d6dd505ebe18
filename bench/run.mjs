// `npm run bench [-- NAME ...]`: bundles each benchmark in bench/ with esbuild
// and runs it in turn; each prints its measurements and ratios to its anchors.
// Benchmarks: reconstruction (vs ctapipe) and camera-render (headless Chromium,
// vs ctapipe's CameraDisplay), both measuring ctapipe in the same run with the
// ctapipe oracle (recorded numbers only as a labelled fallback); hdf5-read (vs
// h5py, measured in the same run); simtel-read (sim_telarray files vs
// pyeventio, same run); simtel (sim_telarray file → DL1 parameters, vs
// ctapipe's SimTelEventSource + CameraCalibrator + ImageProcessor, same run);
// calibration (waveforms R0 → DL1, vs ctapipe's CameraCalibrator in the same run); lab (the trapezoidal shaper and MLEM vs
// numpy and scipy.sparse, same run); serve-backpressure (a client that never
// reads vs another client's pings and the server's memory); the speed limits
// tests do not assert: big-file (open + first event of a 2 GB file < 1 s),
// session-latency (event-loop delay p99 < 20 ms); live-* and daq-transport
// (throughput); process (`lightpool process` on a 5,000-event DL1 file beside
// ctapipe-process, same run: wall, CPU, peak RSS, output size, load).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench', 'results', 'bundles');
mkdirSync(outDir, { recursive: true });
const wanted = process.argv.slice(2);
const all = readdirSync(join(root, 'bench')).filter((f) => /\.bench\.(ts|mjs)$/.test(f));
const nameOf = (f) => f.replace(/\.bench\.(ts|mjs)$/, '');
// a word that names a benchmark runs that one (`simtel` is not also `simtel-read`); other words match name prefixes
const benches = all.filter((f) => wanted.length === 0 || wanted.some((w) => (all.some((g) => nameOf(g) === w) ? nameOf(f) === w : f.startsWith(w))));

let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.(ts|mjs)$/, '');
  console.log(`\n=== ${name} ===`);
  let script = join(root, 'bench', file);
  if (file.endsWith('.ts')) {
    script = join(outDir, `${name}.mjs`);
    await build({
      absWorkingDir: root,
      entryPoints: [join('bench', file)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      outfile: script,
      logLevel: 'warning',
    });
  }
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`${name}: exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
