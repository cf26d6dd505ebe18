// 3D views benchmark in headless Debian Chromium (WebGL through SwiftShader,
// software rendering): the time to update the Tank 3D view to a new event of
// the IWCD sample (15,808 PMTs; script time of the update: per-PMT sums,
// recolouring of the instance attributes, track and Cherenkov ring — goal
// < 5 ms) and the render that follows, then frames/s of a 10⁶-point cloud
// while orbiting. Starts its own `lightpool serve` (build first).
//   node bench/tank-view.bench.mjs [--events 60] [--seconds 6] [--port 18499]
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const EVENTS = arg('--events', 60);
const SECONDS = arg('--seconds', 6);
const PORT = arg('--port', 18499);
const SAMPLE = join(REPO, 'test/fixtures/samples/watchmal_iwcd4pi_sample_digihits.h5');

const server = spawn(process.execPath, [join(REPO, 'bin/lightpool.js'), 'serve', '--port', String(PORT), '--no-sim'], {
  env: { ...process.env, LIGHTPOOL_LOG: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return { mean: a.reduce((x, y) => x + y, 0) / a.length, median: s[s.length >> 1], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
};
try {
  for (let k = 0; k < 100; k++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  console.log(`headless Chromium ${browser.version()}, WebGL on SwiftShader (software), viewport 1600×900`);
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.waitForSelector('body[data-ready="true"]');

  // --- tank: step through events with → and read the view's own timings
  await page.click('.tab[data-tab="tank"]');
  await page.fill('.tank-path', SAMPLE);
  await page.click('.tank-open');
  await page.waitForSelector('.tank-view[data-event-index="0"]', { timeout: 30_000 });
  await page.click('.tank-info');
  const update = [];
  const render = [];
  for (let i = 1; i <= EVENTS; i++) {
    const idx = i % 150;
    const before = await page.locator('.tank-3d-stage').getAttribute('data-renders');
    await page.keyboard.press(idx === 0 ? 'Home' : 'ArrowRight');
    await page.waitForSelector(`.tank-view[data-event-index="${idx}"]`);
    await page.waitForFunction((b) => document.querySelector('.tank-3d-stage').dataset.renders !== b, before);
    if (i > 3) {
      // warm-up
      update.push(Number(await page.locator('.tank-view').getAttribute('data-update-ms')));
      render.push(Number(await page.locator('.tank-3d-stage').getAttribute('data-render-ms')));
    }
  }
  const u = stats(update);
  const r = stats(render);
  console.log(
    `tank view, IWCD 15,808 PMTs, ${update.length} events: update ${u.median.toFixed(2)} ms median, ${u.mean.toFixed(2)} mean, ${u.p95.toFixed(2)} p95 (goal < 5 ms: ${u.median < 5 ? 'met' : 'NOT met'}); ` +
      `render call ${r.median.toFixed(2)} ms median (submits one instanced draw; SwiftShader rasterises it)`,
  );

  // --- points: 10⁶ points, frames/s while orbiting with the mouse
  const dir = mkdtempSync(join(tmpdir(), 'lp-bench-points-'));
  const npy = join(dir, 'cloud.npy');
  execFileSync('/usr/bin/python3', [
    '-c',
    `import numpy as np; r = np.random.default_rng(3); a = r.normal(size=(1_000_000, 4)).astype(np.float32); a[:, 3] = np.hypot(a[:, 0], a[:, 1]); np.save(${JSON.stringify(npy)}, a)`,
  ]);
  await page.click('.tab[data-tab="points"]');
  await page.fill('.points-path', npy);
  const t0 = Date.now();
  await page.click('.points-load');
  await page.waitForSelector('.points-view[data-points="1000000"]', { timeout: 60_000 });
  const loadMs = Date.now() - t0;
  const box = await page.locator('.points-stage canvas.three-canvas').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const renders = async () => Number(await page.locator('.points-stage').getAttribute('data-renders'));
  const rate = async (label, drive) => {
    const r0 = await renders();
    const start = Date.now();
    let k = 0;
    while (Date.now() - start < SECONDS * 1000) await drive(++k);
    const elapsed = (Date.now() - start) / 1000;
    await page.waitForTimeout(100);
    const frames = (await renders()) - r0;
    return { fps: frames / elapsed, frames, elapsed, label };
  };
  await page.mouse.move(cx, cy);
  // full detail: wheel zoom in and out (each wheel step ends the interaction: the whole cloud is drawn)
  const full = await rate('full', async (k) => {
    await page.mouse.wheel(0, k % 2 ? 120 : -120);
    await page.waitForFunction((n) => Number(document.querySelector('.points-stage').dataset.renders) >= n, 0);
  });
  // orbiting: drag with the left button (a 250,000-point random subsample is drawn while the view moves)
  await page.mouse.down();
  const orbit = await rate('orbit', async (k) => {
    await page.mouse.move(cx + 200 * Math.sin(k / 20), cy + 60 * Math.cos(k / 30));
  });
  await page.mouse.up();
  console.log(
    `points: 10⁶ loaded and shown in ${loadMs} ms (.npy read, sent, uploaded); full detail (one draw of 10⁶ points) ${full.fps.toFixed(2)} frames/s; ` +
      `orbiting (250,000-point subsample while moving) ${orbit.fps.toFixed(2)} frames/s`,
  );
  await browser.close();
} finally {
  server.kill();
}
