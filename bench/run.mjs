// `npm run bench [-- NAME ...]`: bundles each benchmark in bench/ with esbuild
// and runs it in turn; each prints its measurements and ratios to its anchors.
// Benchmarks: reconstruction (vs ctapipe), hdf5-read (vs h5py, measured in the
// same run), simtel-read (sim_telarray files vs pyeventio, same run),
// calibration (waveforms R0 → DL1, vs ctapipe's CameraCalibrator in the same run),
// camera-render (headless Chromium, vs ctapipe's CameraDisplay),
// serve-backpressure (a client that never reads vs another client's pings and the server's memory),
// lab (the trapezoidal shaper and MLEM vs numpy and scipy.sparse, same run).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench', 'results', 'bundles');
mkdirSync(outDir, { recursive: true });
const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.(ts|mjs)$/, '');
  console.log(`\n=== ${name} ===`);
  let script = join(root, 'bench', file);
  if (file.endsWith('.ts')) {
    script = join(outDir, `${name}.mjs`);
    await build({ absWorkingDir: root, entryPoints: [join('bench', file)], bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', outfile: script, logLevel: 'warning' });
  }
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`${name}: exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
