// Camera rendering benchmark: headless Debian Chromium (software rendering),
// a new image in every camera view on every animation frame, 600×600 CSS px
// per camera. Prints the sustained frame rate and the ratio to ctapipe's
// matplotlib CameraDisplay measured in the same run on the same kind of
// figure (bench/ctapipe/camera-display.py with the ctapipe oracle); without
// the oracle, the rates recorded earlier on this kind of machine (LSTCam
// 14.6 fps, SCTCam 10 fps), labelled as such.
//   node bench/camera-render.bench.mjs [--seconds 8] [--uncapped]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCameraFixture, REPO } from '../test/e2e/pages/build-camera-fixture.mjs';
import { build } from 'esbuild';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 8) || 8;
// --uncapped: no 60 Hz vsync limit, to see how far past 60 fps the redraw goes
const uncapped = process.argv.includes('--uncapped');
const RECORDED_FPS = { LSTCam: 14.6, SCTCam: 10 };

// ctapipe's CameraDisplay, measured now (the oracle found as the tests find it)
const oracle = join(REPO, 'bench', 'results', 'bundles', 'ctapipe-oracle.mjs');
await build({
  absWorkingDir: REPO,
  entryPoints: [join(REPO, 'bench', 'ctapipe-oracle.ts')],
  outfile: oracle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { measureWithCtapipe } = await import(oracle);
const ct = measureWithCtapipe('camera-display.py', [join(REPO, 'assets', 'cameras'), String(Math.min(seconds, 5))]);
const CTAPIPE_FPS = ct.measured ? { LSTCam: ct.result.LSTCam.fps, SCTCam: ct.result.SCTCam.fps } : RECORDED_FPS;
const ctLabel = ct.measured ? 'ctapipe (this run)' : 'ctapipe (RECORDED earlier, not measured now)';
console.log(
  ct.measured
    ? `ctapipe ${ct.result.ctapipe} CameraDisplay (matplotlib ${ct.result.matplotlib}, Agg, 600×600 px with colour bar) measured now: LSTCam ${CTAPIPE_FPS.LSTCam.toFixed(1)} fps, SCTCam ${CTAPIPE_FPS.SCTCam.toFixed(1)} fps`
    : `ctapipe could not run here (${ct.why}): ratios to its rates RECORDED earlier`,
);

const url = await buildCameraFixture(join(REPO, 'test-results/bench-camera-fixture'));
const geometry = (name) => JSON.parse(readFileSync(join(REPO, 'assets/cameras', `${name}.camgeom.json`), 'utf8'));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    ...(uncapped ? ['--disable-frame-rate-limit', '--disable-gpu-vsync'] : []),
  ],
});

async function run(label, name, count, columns, anchor) {
  // the viewport holds every view, so the browser composites all of them
  const rows = Math.ceil(count / columns);
  const page = await browser.newPage({ viewport: { width: columns * 666 + 12, height: rows * 640 + 12 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  const g = geometry(name);
  await page.evaluate(({ g, count, columns }) => window.lpCamera.mount(Array(count).fill(g), { columns }), { g, count, columns });
  await page.waitForTimeout(300); // layout → index maps
  await page.evaluate(() => window.lpCamera.bench(1)); // warm-up (JIT, caches)
  const r = await page.evaluate((s) => window.lpCamera.bench(s), seconds);
  await page.close();
  const ratio = anchor ? `  ${(r.fps / anchor).toFixed(1)}× ${ctLabel} (${anchor.toFixed(1)} fps)` : '';
  console.log(
    `${label.padEnd(28)} ${r.fps.toFixed(1).padStart(6)} fps sustained (${r.frames} frames / ${r.seconds.toFixed(1)} s)` +
      `  setImage ${r.meanUpdateMs.toFixed(2)} ms mean, ${r.p95UpdateMs.toFixed(2)} ms p95 per frame${ratio}`,
  );
  return r;
}

console.log(
  `headless Chromium ${browser.version()}, software rendering, 600×600 CSS px per camera, ${seconds} s each${uncapped ? ', frame rate not limited to 60 Hz' : ''}`,
);
const lst = await run('LSTCam (1855 px)', 'LSTCam', 1, 1, CTAPIPE_FPS.LSTCam);
const sct = await run('SCTCam (11328 px)', 'SCTCam', 1, 1, CTAPIPE_FPS.SCTCam);
const grid = await run('50 × LSTCam event view', 'LSTCam', 50, 10);
console.log(
  `50-camera event view: ${(grid.fps * 50).toFixed(0)} camera images/s; ${ctLabel} would draw ${(50 / CTAPIPE_FPS.LSTCam).toFixed(1)} s per event (${(CTAPIPE_FPS.LSTCam / 50).toFixed(2)} fps) → ${(grid.fps / (CTAPIPE_FPS.LSTCam / 50)).toFixed(0)}×`,
);
await browser.close();
void lst;
void sct;
