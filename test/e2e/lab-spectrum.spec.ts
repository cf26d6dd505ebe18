/**
 * The Lab tab's spectroscopy view through the UI (issue 16): the seed's
 * preamplifier signals opened from the HDF5 Browser ("open as signals"),
 * raw and shaped traces stepped with the arrow keys, every signal shaped
 * with k = 450, m = 60, M = 3600 in the backend's pool (progress, Cancel),
 * the pulse-height spectrum with its photopeak fit — whose displayed
 * centroid must be what analyseSpectrum gives for the same shaping, run in
 * this test — and a two-line calibration that puts the axis in keV with the
 * Cs-137 line at 661.7 keV. PNG and SVG export of both plots.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resetServer } from './file-api.js';
import { closeNotices, collectErrors, e2eTempDir, openFromList, referencePython, screenshotDir, skipWithoutChromium, skipWithoutPython } from './helpers.js';
import { shapeSignals } from '../../src-main/lab/shape-signals.js';
import { WorkerPool } from '../../src-main/pool/worker-pool.js';
import { analyseSpectrum } from '../../src-worker/lab/spectroscopy/spectrum-analysis.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const SIGNALS = resolve('test/fixtures/lab/digitized_preamp_signals.h5');

/** The seed's shaping and the spectrum analysis, run here: analyseSpectrum with the CLI's 2048 bins, and calibrated as the view is set below. */
async function ownAnalysis() {
  const pool = new WorkerPool(1);
  try {
    const s = await shapeSignals({ input: SIGNALS, shaping: { k: 450, m: 60, M: 3600, baselineSamples: 500, riseTime: true }, pool });
    return {
      plain: analyseSpectrum(s.amplitude, s.riseTime, { bins: 2048 }),
      calibrated: analyseSpectrum(s.amplitude, s.riseTime, {
        bins: 1024,
        range: [0, 1400],
        calibration: [
          { adc: 0, keV: 0 },
          { adc: 1315.7, keV: 661.657 },
        ],
        riseTimeCorrection: true,
      }),
    };
  } finally {
    await pool.close();
  }
}

async function openSignals(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFromList(page, SIGNALS);
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'browser');
  await page.locator('.browser-tree li[data-path="/signals"]').click();
  await page.locator('.browser-as-signals').click();
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'lab');
}

test('spectroscopy: traces, Shape all, the photopeak fit as analyseSpectrum gives it, calibration to keV', async ({ page }) => {
  skipWithoutChromium();
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const { plain: ref, calibrated: refCal } = await ownAnalysis();
  await openSignals(page);
  const view = page.locator('.lab-spectroscopy');
  await expect(view).toBeVisible();
  await expect(view.locator('.lab-signals-info')).toContainText('1,000 signals × 3,000 samples (<i2) · 10 ns per sample');

  // traces: raw and shaped of signal 0; → steps to signal 1, "keep previous" overlays
  await expect(view).toHaveAttribute('data-rows', '0', { timeout: 20_000 });
  await expect(view.locator('.sp-traces')).toHaveAttribute('data-series', '2');
  await view.locator('.sp-traces-panel .lab-panel-head').click();
  await page.keyboard.press('ArrowRight');
  await expect(view).toHaveAttribute('data-rows', '1');
  await view.locator('.sp-overlay').check();
  await view.locator('.sp-traces-panel .lab-panel-head').click();
  await page.keyboard.press('ArrowRight');
  await expect(view).toHaveAttribute('data-rows', '1,2');
  await expect(view.locator('.sp-traces')).toHaveAttribute('data-series', '4');
  // a signal that does not exist is an error in the view, as text
  await view.locator('.sp-rows').fill('1000');
  await view.locator('.sp-rows').press('Enter');
  await expect(view.locator('.lab-error')).toHaveText('signal 1000 does not exist: the dataset has signals 0…999');
  await view.locator('.sp-rows').fill('5, 7');
  await view.locator('.sp-rows').press('Enter');
  await expect(view).toHaveAttribute('data-rows', '5,7');
  await expect(view.locator('.lab-error')).toBeHidden();

  // Shape all with the seed's settings (the fields' defaults)
  for (const [sel, v] of [
    ['.sp-k', '450'],
    ['.sp-m', '60'],
    ['.sp-M', '3600'],
  ])
    await expect(view.locator(sel)).toHaveValue(v);
  await view.locator('.sp-shape').click();
  await expect(view).toHaveAttribute('data-spectrum', 'shown', { timeout: 120_000 });
  await expect(view.locator('.sp-job')).toHaveAttribute('data-state', 'done');
  await expect(view.locator('.sp-job .lab-job-text')).toContainText('1,000 of 1,000');
  await view.locator('.sp-bins').fill('2048');
  await view.locator('.sp-bins').press('Enter');
  await expect(view.locator('.sp-spectrum')).toBeVisible();

  // the photopeak: the displayed centroid is analyseSpectrum's (bins 2048 as the CLI), printed as the CLI prints it
  const top = ref.peaks.reduce((a, b) => (b.netCounts > a.netCounts ? b : a));
  const box = view.locator('.lab-photopeak');
  await expect(box).toHaveAttribute('data-centroid', String(top.centroid), { timeout: 20_000 });
  await expect(box.locator('.lab-centroid')).toHaveText(`centroid ${top.centroid.toFixed(2)} ± ${top.centroidError.toFixed(2)} ADC`);
  await expect(box).toContainText(`FWHM ${top.fwhm.toFixed(2)} ± ${top.fwhmError.toFixed(2)} ADC`);
  await expect(box).toContainText(`resolution ${(100 * top.resolution).toFixed(2)} %`);
  await expect(view.locator('.sp-peak-table tbody tr')).toHaveCount(ref.peaks.length);

  // calibration: 0 = 0 and the photopeak's line, with the rise-time correction, 1024 bins over 0–1400 ADC; the axis in keV
  await view.locator('.sp-bins').fill('1024');
  await view.locator('.sp-lo').fill('0');
  await view.locator('.sp-hi').fill('1400');
  await view.locator('.sp-hi').press('Enter');
  await view.locator('.sp-risetime').check();
  await expect(view.locator('.sp-spectrum-status')).toContainText('rise-time correction');
  const cal = view.locator('.lab-calibration');
  await cal.locator('.lab-cal-adc').nth(0).fill('0');
  await cal.locator('.lab-cal-kev').nth(0).fill('0');
  await cal.locator('.lab-cal-adc').nth(1).fill('1315.7');
  await cal.locator('.lab-cal-kev').nth(1).fill('661.657');
  await cal.locator('.lab-cal-apply').click();
  await expect(cal).toHaveAttribute('data-applied', 'true');
  const topCal = refCal.peaks.reduce((a, b) => (b.netCounts > a.netCounts ? b : a));
  await expect(box).toHaveAttribute('data-centroid-kev', String(topCal.keV!.centroid));
  expect(Math.abs(topCal.keV!.centroid - 661.657)).toBeLessThan(0.5);
  await expect(box.locator('.lab-centroid')).toHaveText(`centroid ${topCal.keV!.centroid.toFixed(2)} ± ${topCal.keV!.centroidError.toFixed(2)} keV`);
  await view.locator('.sp-logy').check();

  // export: SVG of the spectrum with its axis in keV, its fit and its peak marks; PNG of the traces
  const [svg] = await Promise.all([page.waitForEvent('download'), view.locator('.sp-spectrum-panel .lab-export-svg').click()]);
  const text = await readFile((await svg.path())!, 'utf8');
  await writeFile(`${screenshotDir}/lab-spectrum.svg`, text);
  expect(svg.suggestedFilename()).toMatch(/^pulse-height_spectrum.*\.svg$/);
  expect(text).toContain('energy (keV)');
  expect(text).toContain(`centroid ${topCal.keV!.centroid.toFixed(2)}`);
  expect(text).toContain('<polyline');
  expect(text).toContain('stroke-dasharray');
  const [png] = await Promise.all([page.waitForEvent('download'), view.locator('.sp-traces-panel .lab-export-png').click()]);
  expect(png.suggestedFilename()).toMatch(/^signals_5_7.*\.png$/);
  expect((await readFile((await png.path())!)).subarray(1, 4).toString()).toBe('PNG');

  await closeNotices(page);
  await page.screenshot({ path: `${screenshotDir}/lab-spectrum.png` });
  expect(errors).toEqual([]);
});

test('spectroscopy: Cancel stops the shaping of a large file, and a dataset that is not signals says why', async ({ page }) => {
  skipWithoutChromium();
  skipWithoutPython();
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  // 12,000 signals of 3,000 samples: several seconds of shaping, so Cancel surely comes first
  const dir = e2eTempDir('lab-cancel-');
  const big = join(dir, 'many_signals.h5');
  execFileSync(referencePython().path, [
    '-c',
    `
import sys, numpy as np, h5py
rng = np.random.default_rng(3)
n, s = 12000, 3000
sig = (1200 + rng.normal(0, 2, (n, s))).astype("i2")
sig[:, 1000:] += (rng.uniform(100, 1300, (n, 1)) * np.exp(-np.arange(s - 1000) / 3600.0)).astype("i2")
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("signals", data=sig, chunks=(100, s))
`,
    big,
  ]);
  try {
    await page.goto('/');
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    await openFromList(page, big);
    await page.locator('.browser-tree li[data-path="/signals"]').click();
    await page.locator('.browser-as-signals').click();
    const view = page.locator('.lab-spectroscopy');
    await expect(view.locator('.lab-signals-info')).toContainText('12,000 signals × 3,000 samples (<i2)');
    await expect(view).toHaveAttribute('data-rows', '0', { timeout: 20_000 });
    await view.locator('.sp-shape').click();
    await expect(view.locator('.sp-job')).toHaveAttribute('data-state', 'running');
    await view.locator('.sp-job .lab-cancel').click();
    await expect(view.locator('.sp-job')).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
    await expect(view.locator('.sp-job .lab-job-text')).toHaveText('shaping cancelled');
    await expect(view).toHaveAttribute('data-shaping', 'stopped');
    await expect(view).not.toHaveAttribute('data-spectrum', 'shown');
    // a wrong dataset: a clear error in the view
    await view.locator('.lab-dataset').fill('/no_such_dataset');
    await view.locator('.lab-open').click();
    await expect(view.locator('.lab-error')).toContainText('cannot open /no_such_dataset as signals');
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
