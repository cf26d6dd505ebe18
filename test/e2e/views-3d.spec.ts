/**
 * The 3D views in Chromium (WebGL through SwiftShader): an IWCD event of the
 * WatChMaL sample in 3D and unrolled (coloured PMTs = distinct hit PMTs, hover
 * readout from GPU picking and from the unrolled lookup, ←/→ stepping, PNG
 * export at 2×), the sample DL1 array with its reconstructed axis, and a
 * 10⁶-point cloud. Screenshots go to test/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { collectErrors, screenshotDir, skipWithoutChromium, skipWithoutPython, referencePython, e2eTempDir } from './helpers.js';
import { resetServer } from './file-api.js';

skipWithoutChromium();

// the server is shared by every spec: start from the simulated array with no file open, and leave it so
test.beforeEach(resetServer);
test.afterEach(resetServer);

const SAMPLES = fileURLToPath(new URL('../../test/fixtures/samples/', import.meta.url));
const WATCHMAL = SAMPLES + 'watchmal_iwcd4pi_sample_digihits.h5';

function distinctAndCharge(index: number): { distinct: number; charge: number } {
  const py = `import h5py, numpy as np, json
f = h5py.File(${JSON.stringify(WATCHMAL)}, 'r'); i = ${index}
idx = f['event_hits_index'][:]; s = int(idx[i]); e = int(idx[i + 1]) if i + 1 < len(idx) else f['hit_pmt'].shape[0]
print(json.dumps({'distinct': int(len(np.unique(f['hit_pmt'][s:e]))), 'charge': float(f['hit_charge'][s:e].astype(np.float64).sum())}))`;
  return JSON.parse(execFileSync(referencePython().path, ['-c', py], { encoding: 'utf8' })) as { distinct: number; charge: number };
}

/** closes the "opened …" notices so they do not cover the screenshots */
async function dismissNotices(page: Page): Promise<void> {
  await page.$$eval('.notice button', (buttons) => buttons.forEach((b) => (b as HTMLButtonElement).click()));
}

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
}

test('Tank 3D: an IWCD event in 3D and unrolled, hover, stepping and PNG export', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  await ready(page);
  await page.locator('.tab[data-tab="tank"]').click();
  const view = page.locator('.tank-view');
  await view.locator('.tank-path').fill(WATCHMAL);
  await view.locator('.tank-open').click();
  await expect(view).toHaveAttribute('data-event-index', '0', { timeout: 20_000 });
  const ref0 = distinctAndCharge(0);
  await expect(view).toHaveAttribute('data-colored-pmts', String(ref0.distinct));
  expect(Number(await view.getAttribute('data-shown-charge'))).toBeCloseTo(ref0.charge, 1);
  await dismissNotices(page);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshotDir}/tank-iwcd-event0.png` });
  await view.locator('[data-preset="track"]').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}/tank-iwcd-event0-along-track.png` });

  // → steps to the next event (the key goes to the visible tab)
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await expect(view).toHaveAttribute('data-event-index', '1');
  const ref1 = distinctAndCharge(1);
  await expect(view).toHaveAttribute('data-colored-pmts', String(ref1.distinct));
  await page.keyboard.press('ArrowLeft');
  await expect(view).toHaveAttribute('data-event-index', '0');

  // hover in the unrolled view: the nearest PMT to a hit PMT's dot
  const stage2d = view.locator('.tank-unrolled-stage canvas');
  const box2d = (await stage2d.boundingBox())!;
  let found = '';
  for (let k = 0; k < 40 && !found; k++) {
    await page.mouse.move(box2d.x + box2d.width * (0.1 + (0.8 * ((k * 7) % 40)) / 40), box2d.y + box2d.height * (0.3 + (0.4 * ((k * 13) % 40)) / 40));
    const tip = view.locator('.tank-2d-host .tank-tooltip');
    if (await tip.isVisible()) found = (await tip.textContent()) ?? '';
  }
  expect(found).toMatch(/^PMT \d+ · (barrel|top cap|bottom cap) · /);

  // hover in 3D: GPU picking finds PMTs on the far wall
  await view.locator('[data-preset="side"]').click();
  await page.waitForTimeout(300);
  const canvas3d = view.locator('.tank-3d-stage canvas.three-canvas');
  const box3d = (await canvas3d.boundingBox())!;
  let picked = '';
  for (let k = 0; k < 30 && !picked; k++) {
    await page.mouse.move(box3d.x + box3d.width * (0.35 + (0.3 * (k % 6)) / 6), box3d.y + box3d.height * (0.3 + (0.4 * Math.floor(k / 6)) / 5));
    await page.waitForTimeout(50);
    const tip = view.locator('.tank-3d-stage .tank-tooltip');
    if (await tip.isVisible()) picked = (await tip.textContent()) ?? '';
  }
  expect(picked).toMatch(/^PMT \d+ · (barrel|top cap|bottom cap) · /);
  await view.locator('[data-preset="iso"]').click();
  await page.mouse.move(1, 1);

  // PNG at 2×: the 3D stage size times 2
  const download = page.waitForEvent('download');
  await view.locator('.tank-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('tank-event-0.png');
  const [w, h] = ((await view.getAttribute('data-last-export')) ?? '0x0').split('x').map(Number);
  expect(Math.abs(w - 2 * box3d.width)).toBeLessThanOrEqual(2);
  expect(Math.abs(h - 2 * box3d.height)).toBeLessThanOrEqual(2);
  await file.saveAs(`${screenshotDir}/tank-export-2x.png`);

  // the unrolled view as PNG
  const download2d = page.waitForEvent('download');
  await view.locator('.tank-export-2d').click();
  const file2d = await download2d;
  expect(file2d.suggestedFilename()).toBe('tank-event-0-unrolled.png');
  await file2d.saveAs(`${screenshotDir}/tank-export-unrolled-2x.png`);

  // colour by time; log charge
  await view.locator('.tank-quantity').selectOption('time');
  await expect(view.locator('.tank-limits')).toHaveValue('98');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}/tank-iwcd-event0-time.png` });
  await view.locator('.tank-quantity').selectOption('charge');
  await view.locator('.tank-scale').selectOption('log');
  await expect(view).toHaveAttribute('data-colored-pmts', String(ref0.distinct));

  // a true-hit file (hit_parent, no charge): every photon counts as one
  const TRUE = SAMPLES + 'watchmal_iwcd4pi_sample_truehits.h5';
  await view.locator('.tank-path').fill(TRUE);
  await view.locator('.tank-open').click();
  await expect(view).toHaveAttribute('data-file-id', /.+/);
  await expect(view.locator('.tank-info')).toContainText('true hits', { timeout: 20_000 });
  const t0 = JSON.parse(
    execFileSync(
      referencePython().path,
      [
        '-c',
        `import h5py, numpy as np, json
f = h5py.File(${JSON.stringify(TRUE)}, 'r'); idx = f['event_hits_index'][:]; p = f['hit_pmt'][int(idx[0]):int(idx[1])]
print(json.dumps({'hits': int(len(p)), 'distinct': int(len(np.unique(p)))}))`,
      ],
      { encoding: 'utf8' },
    ),
  ) as { hits: number; distinct: number };
  await expect(view).toHaveAttribute('data-colored-pmts', String(t0.distinct));
  expect(Number(await view.getAttribute('data-shown-charge'))).toBe(t0.hits);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}/tank-iwcd-truehits-event0.png` });
  expect(errors).toEqual([]);
});

test('Tank 3D: a Super-K (z axis) event: the hits and the expected ring land on the same wall, in 3D and unrolled', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const dir = e2eTempDir('sk-');
  const file = join(dir, 'superk_synthetic_ring.h5');
  const counts = execFileSync(
    referencePython().path,
    [
      fileURLToPath(new URL('./make-sk-ring.py', import.meta.url)),
      fileURLToPath(new URL('../../assets/watchmal/sk_wcsim_geometry.csv', import.meta.url)),
      file,
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split(',')
    .map(Number);
  await ready(page);
  await page.locator('.tab[data-tab="tank"]').click();
  const view = page.locator('.tank-view');
  await view.locator('.tank-path').fill(file);
  await view.locator('.tank-open').click();
  await expect(view).toHaveAttribute('data-event-index', '0', { timeout: 20_000 });
  await expect(view.locator('.tank-3d-subtitle')).toContainText('sk · 11146 PMTs · axis z');
  await expect(view).toHaveAttribute('data-colored-pmts', String(counts[0]));
  await view.locator('[data-preset="track"]').click();
  await dismissNotices(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${screenshotDir}/tank-sk-synthetic-ring.png` });
  await page.keyboard.press('ArrowRight');
  await expect(view).toHaveAttribute('data-colored-pmts', String(counts[1]));
  await view.locator('[data-preset="track"]').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${screenshotDir}/tank-sk-synthetic-ring-1.png` });
  expect(errors).toEqual([]);
});

test('Points: a 10⁶-point cloud from an .npz, coloured by a column, with hover values and PNG export', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const dir = e2eTempDir('points-');
  const file = join(dir, 'helix.npz');
  // a helix of 10⁶ points (x, y, z, energy) plus a 2-column array that cannot be shown
  execFileSync(referencePython().path, [
    '-c',
    `import numpy as np
n = 1_000_000; t = np.linspace(0, 40 * np.pi, n); r = np.random.default_rng(1)
a = np.stack([np.cos(t) * (1 + 0.2 * r.normal(size=n)), np.sin(t) * (1 + 0.2 * r.normal(size=n)), t / 20, t % 7], axis=1).astype(np.float32)
np.savez_compressed(${JSON.stringify(file)}, narrow=a[:, :2], track=a)`,
  ]);
  await ready(page);
  await page.locator('.tab[data-tab="points"]').click();
  const view = page.locator('.points-view');
  await view.locator('.points-path').fill(file);
  await view.locator('.points-load').click();
  await expect(view).toHaveAttribute('data-points', '1000000', { timeout: 30_000 });
  await expect(view.locator('.points-info')).toContainText('helix.npz:track · 1,000,000 points × 4 columns');
  await expect(view.locator('.points-member option[value="narrow"]')).toBeDisabled();
  await expect(view.locator('.points-color')).toHaveValue('3');
  await dismissNotices(page);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${screenshotDir}/points-1e6.png` });
  const canvas = view.locator('.points-stage canvas.three-canvas');
  const box = (await canvas.boundingBox())!;
  let text = '';
  for (let k = 0; k < 30 && !text; k++) {
    await page.mouse.move(box.x + box.width * (0.3 + (0.4 * (k % 6)) / 6), box.y + box.height * (0.25 + (0.5 * Math.floor(k / 6)) / 5));
    await page.waitForTimeout(150);
    const tip = view.locator('.points-tooltip');
    if (await tip.isVisible()) text = (await tip.textContent()) ?? '';
  }
  expect(text).toMatch(/^point \d+: x = [-\d.e]+, y = [-\d.e]+, z = [-\d.e]+, c3 = [-\d.e]+$/);
  // the hovered point's values are the file's row
  const i = Number(/^point (\d+)/.exec(text)![1]);
  const row = JSON.parse(
    execFileSync(
      referencePython().path,
      ['-c', `import numpy as np, json; a = np.load(${JSON.stringify(file)})['track']; print(json.dumps([float(v) for v in a[${i}]]))`],
      { encoding: 'utf8' },
    ),
  ) as number[];
  const shown = [...text.matchAll(/= ([-\d.e+]+)/g)].map((m) => Number(m[1]));
  shown.forEach((v, k) => expect(v).toBeCloseTo(row[k], 3));
  await page.mouse.move(1, 1);
  await view.locator('.points-scale').selectOption('log');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}/points-1e6-log.png` });
  await view.locator('.points-scale').selectOption('linear');
  await view.locator('.points-color').selectOption('2');
  const download = page.waitForEvent('download');
  await view.locator('.points-export').click();
  await (await download).saveAs(`${screenshotDir}/points-export-2x.png`);
  const [w] = ((await view.getAttribute('data-last-export')) ?? '0x0').split('x').map(Number);
  expect(Math.abs(w - 2 * box.width)).toBeLessThanOrEqual(2);

  // an HDF5 dataset: the WatChMaL true vertices, positions (150, 1, 3)
  await view.locator('.points-path').fill(`${WATCHMAL}:/positions`);
  await view.locator('.points-load').click();
  await expect(view).toHaveAttribute('data-points', '150', { timeout: 20_000 });
  await expect(page.locator('.tab[data-tab="points"]')).toHaveClass(/active/);
  await expect(view.locator('.points-info')).toContainText('/positions · 150 points × 3 columns');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}/points-watchmal-positions.png` });
  expect(errors).toEqual([]);
});

test('Array 3D: the live array, then the sample DL1 file with its reconstructed axis and the true one', async ({ page }) => {
  const errors = collectErrors(page);
  await ready(page);
  await page.locator('.tab[data-tab="array3d"]').click();
  const view = page.locator('.array3d-view');
  // live: the simulated array's events drive it
  await expect(view).toHaveAttribute('data-event-id', /\d+/, { timeout: 20_000 });
  await expect(view).toHaveAttribute('data-mode', 'live');
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${screenshotDir}/array3d-live.png` });
  // 20 events a second replace the axes: GPU buffers are freed, not piling up
  const stage = view.locator('.array3d-stage');
  const g0 = Number(await stage.getAttribute('data-geometries'));
  const r0 = Number(await stage.getAttribute('data-renders'));
  await page.waitForTimeout(2000);
  expect(Number(await stage.getAttribute('data-renders'))).toBeGreaterThan(r0 + 5);
  // an event draws 0-6 overlay geometries (axis, core ring and shadow, reconstructed and true), so the
  // count moves by a few with the event shown; ~40 events leaking theirs would add well over a hundred
  expect(Number(await stage.getAttribute('data-geometries'))).toBeLessThanOrEqual(g0 + 12);
  await view.locator('[data-preset="top"]').click();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${screenshotDir}/array3d-live-top.png` });

  await view.locator('.array3d-path').fill(SAMPLES + 'dl1_sample_120.blosc.h5');
  await view.locator('.array3d-open').click();
  await expect(view).toHaveAttribute('data-mode', 'file', { timeout: 20_000 });
  await expect(view).toHaveAttribute('data-telescopes', '15');
  // step to an event with a valid stereo reconstruction and many telescopes
  await expect(view).toHaveAttribute('data-has-truth', 'true', { timeout: 20_000 });
  await page.locator('.tab[data-tab="array3d"]').click();
  let best = -1;
  for (let k = 0; k < 12; k++) {
    if ((await view.getAttribute('data-reco-valid')) === 'true' && Number(await view.getAttribute('data-triggered')) >= 5) {
      best = k;
      break;
    }
    const id = await view.getAttribute('data-event-id');
    await page.keyboard.press('ArrowRight');
    await expect(view).not.toHaveAttribute('data-event-id', id ?? '');
  }
  expect(best).toBeGreaterThanOrEqual(0);
  await expect(view.locator('.array3d-info')).toContainText(/reco \(HillasReconstructor\): alt [\d.]+°.*true: [\d.]+ TeV.*Δθ [\d.]+°/);
  await dismissNotices(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${screenshotDir}/array3d-dl1-reco.png` });
  await view.locator('[data-preset="top"]').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${screenshotDir}/array3d-dl1-reco-top.png` });
  // hover a telescope from above: the triggered ones are drawn in colour
  const canvas = view.locator('.array3d-stage canvas.three-canvas');
  const box = (await canvas.boundingBox())!;
  let tip = '';
  for (let y = 0.2; y <= 0.8 && !tip; y += 0.025) {
    for (let x = 0.2; x <= 0.8 && !tip; x += 0.025) {
      await page.mouse.move(box.x + box.width * x, box.y + box.height * y);
      // hover picks once per animation frame: this frame's callbacks run after the pick's
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
      if (await view.locator('.array3d-tooltip').isVisible()) tip = (await view.locator('.array3d-tooltip').textContent()) ?? '';
    }
  }
  expect(tip).toMatch(/^tel \d+ · \S+ · \(/);
  const download = page.waitForEvent('download');
  await view.locator('.array3d-export').click();
  await (await download).saveAs(`${screenshotDir}/array3d-export-2x.png`);
  expect(errors).toEqual([]);
});

test('Array 3D in serve mode: a DL1 file opened in another window is offered, not forced on this live display', async ({ page, browser }) => {
  await ready(page);
  await page.locator('.tab[data-tab="array3d"]').click();
  const view = page.locator('.array3d-view');
  await expect(view).toHaveAttribute('data-event-id', /\d+/, { timeout: 20_000 });
  // a path typed here and not yet opened is the user's: the file offered from the other window does not replace it
  const typed = SAMPLES + 'typed-here-not-opened.h5';
  await view.locator('.array3d-path').fill(typed);
  const other = await browser.newPage();
  await other.goto('/');
  await expect(other.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await other.locator('.tab[data-tab="array3d"]').click();
  await other.locator('.array3d-path').fill(SAMPLES + 'dl1_sample_120.blosc.h5');
  await other.locator('.array3d-open').click();
  await expect(other.locator('.array3d-view')).toHaveAttribute('data-mode', 'file', { timeout: 20_000 });
  // this window stays live, with the file offered in the source menu
  await expect(view.locator('.array3d-source option[value="file"]')).toBeEnabled();
  await expect(view).toHaveAttribute('data-mode', 'live');
  await expect(view.locator('.array3d-path')).toHaveValue(typed);
  await view.locator('.array3d-source').selectOption('file');
  await expect(view).toHaveAttribute('data-telescopes', '15', { timeout: 20_000 });
  await expect(view).toHaveAttribute('data-has-truth', 'true');
  await other.close();
});
