/**
 * The whole live system at once, as a shifter runs it: `lightpool serve`
 * with its simulated array at an unreachable rate (the worker pool always
 * busy: simulate + clean + parameters + stereo + aggregation), and the UI in
 * headless Chromium (software rendering) drawing the newest events and the
 * monitor. Prints the telescope images/s the backend processed, the check
 * that every processed event is in the histograms (after a pause lets the
 * pipeline drain), the drops (counted, with their reason), and the UI's
 * frame rate on the Event and Monitor tabs while this runs.
 *
 * Goal (issue 6): ≥ 30,000 LSTCam images/s on this 2-core machine with the
 * UI ≥ 30 fps. The browser and the simulation share the same two cores here.
 *
 * The simulated array is the 4 LSTs alone by default (LIVE_BENCH_LAYOUT=lst;
 * 'default' for 4 LST + 4 MST), so every image counts in the goal's unit.
 *
 * Run: npm run bench live-ui   (args: [seconds per tab, default 15] [event rate Hz, default 20000])
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { TestClient } from '../test/helpers/ws-client.js';
import { processTreeCpu, threadCpu } from './cpu-time.js';

const SECONDS = Number(process.argv[2] ?? 15);
const RATE = Number(process.argv[3] ?? 20_000);
const PORT = 18_000 + Math.floor(Math.random() * 900);
/** 'lst' (the 4 LSTs: LSTCam images only, the goal's unit) or 'default' (4 LST + 4 MST) */
const LAYOUT = (process.env.LIVE_BENCH_LAYOUT ?? 'lst') as 'lst' | 'default';

interface Counters {
  processed: number;
  imagesProcessed: number;
  dropped: number;
  droppedByReason: Record<string, number>;
  received: number;
}
interface Status {
  state: string;
  counters: Counters;
  displayHz: number;
}

async function fps(page: Page, seconds: number): Promise<{ fps: number; p95FrameMs: number }> {
  return page.evaluate(async (s) => {
    const times: number[] = [];
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const tick = (t: number) => {
        times.push(t);
        if (t - t0 < s * 1000) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    const gaps = times
      .slice(1)
      .map((t, i) => t - times[i])
      .sort((a, b) => a - b);
    return { fps: (times.length - 1) / ((times[times.length - 1] - times[0]) / 1000), p95FrameMs: gaps[Math.floor(gaps.length * 0.95)] ?? NaN };
  }, seconds);
}

const server = spawn(process.execPath, ['bin/lightpool.js', 'serve', '--port', String(PORT), '--rate', '10'], {
  env: { ...process.env, LIGHTPOOL_LOG: 'warn', LIGHTPOOL_NO_BROWSER: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  let client: TestClient | undefined;
  for (let i = 0; i < 100 && !client; i++) {
    await new Promise((r) => setTimeout(r, 200));
    client = await TestClient.connect(`ws://127.0.0.1:${PORT}/api`).catch(() => undefined);
  }
  if (!client) throw new Error(`lightpool serve did not start on port ${PORT}`);
  const ws = client;
  ws.keepStreams = false;
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

  await ws.call('live.simulate', { rateHz: RATE, layout: LAYOUT });
  await page.waitForTimeout(1500); // the views rebuild for the layout
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: pools, JIT
  const s0 = await ws.call<Status>('live.status', {});
  const t0 = performance.now();
  const results: string[] = [];
  // Chromium's processes are this process's descendants other than the server
  const cpuNow = () => {
    const own = threadCpu();
    return { server: threadCpu(server.pid!), browser: processTreeCpu(process.pid) - processTreeCpu(server.pid!) - own.main - own.others, t: performance.now() };
  };
  const cpuTabs: string[] = [];
  for (const tab of ['event', 'monitor']) {
    await page.locator(`.tab[data-tab="${tab}"]`).click();
    await page.waitForTimeout(500);
    const c0 = cpuNow();
    const i0 = (await ws.call<Status>('live.status', {})).counters.imagesProcessed;
    const r = await fps(page, SECONDS);
    const i1 = (await ws.call<Status>('live.status', {})).counters.imagesProcessed;
    const c1 = cpuNow();
    const dtTab = (c1.t - c0.t) / 1000;
    results.push(`UI on the ${tab.padEnd(7)} tab: ${r.fps.toFixed(1)} fps (95th percentile frame ${r.p95FrameMs.toFixed(1)} ms)`);
    const main = (c1.server.main - c0.server.main) / dtTab,
      others = (c1.server.others - c0.server.others) / dtTab,
      chrome = (c1.browser - c0.browser) / dtTab;
    cpuTabs.push(
      `${tab} tab: ${((i1 - i0) / dtTab).toFixed(0)} images/s; cores used: backend main thread ${main.toFixed(2)}, backend workers ${others.toFixed(2)}, Chromium ${chrome.toFixed(2)} (all processes)`,
    );
  }
  const s1 = await ws.call<Status>('live.status', {});
  // the LSTCam share of the images: per-telescope image rates over the run, and the subarray's cameras
  const rates = await ws.call<{ perTelescope: Record<string, ArrayLike<number>> }>('live.rates', {});
  const subarray = await ws.call<{ telescopes: { telId: number; camera: string }[] }>('instrument.subarray', {});
  const lstIds = new Set(subarray.telescopes.filter((t) => t.camera === 'LSTCam').map((t) => String(t.telId)));
  let lstImages = 0,
    allImages = 0;
  for (const [tel, series] of Object.entries(rates.perTelescope)) {
    const last = Array.from(series)
      .slice(-Math.ceil(SECONDS * 2))
      .reduce((a, b) => a + b, 0);
    allImages += last;
    if (lstIds.has(tel)) lstImages += last;
  }
  const lstShare = allImages > 0 ? lstImages / allImages : NaN;
  const dt = (performance.now() - t0) / 1000;
  // pause, let the pool drain, and check that every processed event reached the histograms
  await ws.call('live.control', { action: 'pause' });
  await new Promise((r) => setTimeout(r, 2000));
  const s2 = await ws.call<Status>('live.status', {});
  const h = await ws.call<{ events: number; images: number }>('live.histograms', {});
  const c0 = s0.counters,
    c1 = s1.counters;
  const images = (c1.imagesProcessed - c0.imagesProcessed) / dt;
  const events = (c1.processed - c0.processed) / dt;
  const dropped = c1.dropped - c0.dropped;
  console.log(
    `lightpool serve + Chromium, simulated array asked for ${RATE} events/s, ${dt.toFixed(0)} s, load average ${loadavg()[0].toFixed(1)} on 2 cores:`,
  );
  console.log(
    `  backend: ${images.toFixed(0)} telescope images/s processed, of them ${(images * lstShare).toFixed(0)} LSTCam images/s (${(100 * lstShare).toFixed(0)} % of the images, from the per-telescope rates); ${events.toFixed(0)} array events/s; goal 30,000 LSTCam images/s`,
  );
  console.log(
    `  dropped before processing: ${dropped} events (${
      Object.entries(c1.droppedByReason)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    })`,
  );
  console.log(
    `  histograms: ${h.events} events / ${h.images} images aggregated vs ${s2.counters.processed} events / ${s2.counters.imagesProcessed} images processed: ${h.images === s2.counters.imagesProcessed && h.events === s2.counters.processed ? 'none missing' : 'MISSING EVENTS'}`,
  );
  console.log(
    `  camera views refreshed at ${s1.displayHz} Hz (30 Hz when processing keeps up; fewer while the source drops events for lack of processing capacity, as here)`,
  );
  for (const r of results) console.log(`  ${r}  (goal ≥ 30 fps)`);
  for (const c of cpuTabs) console.log(`  ${c}`);
  ws.close();
} finally {
  await browser.close();
  server.kill();
}
