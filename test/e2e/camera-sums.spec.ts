/**
 * A camera showing R1 and R0 (per pixel, the sum over samples of the R1 and
 * raw R0 waveforms), through the UI as a user does it: on the live stream the
 * choices are disabled and say why; Open… the LSTCam muon sim_telarray file,
 * R (R1 Σ, p.e.) and Shift+R (R0 Σ, ADC counts, pedestal included), the low
 * gain, hover the brightest pixel and compare the value shown with numpy's
 * .sum(axis=-1) over ctapipe's /r1 and /r0 tables of the same event (the
 * reference .ctapipe.dl1.h5, read with h5py in this run); a click on a pixel
 * still opens its waveform. A DL1 file without waveform tables disables both.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { brightestPixelOnScreen, closeNotices, collectErrors, openFromList, referencePython, skipWithoutChromium, skipWithoutPython } from './helpers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const SIMTEL = resolve('test/fixtures/simtel/lst_muons_with_true_photons.simtel.zst');
const REFERENCE = resolve('test/fixtures/simtel/lst_muons_with_true_photons.ctapipe.dl1.h5');
const NO_WAVEFORMS = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');
const REF_PY = resolve('test/unit/main/files/waveform-sums-ref.py');

interface RefTel {
  r1: number[];
  r1_abs: number[];
  r0: number[][];
}
type Ref = { obs_id: number; event_id: number; tel: Record<string, RefTel> }[];

function numpySums(): Ref {
  return JSON.parse(execFileSync(referencePython().path, [REF_PY, REFERENCE], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Ref;
}

/** Hovers the brightest pixel; the pixel id and the value the readout shows for it. */
async function hoverBrightest(page: Page): Promise<{ pixel: number; value: number; text: string }> {
  const at = await brightestPixelOnScreen(page, 6);
  await page.mouse.move(at.x - 3, at.y);
  await page.mouse.move(at.x, at.y);
  const tip = page.locator('.camera-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toHaveAttribute('data-value', /.+/);
  return { pixel: Number(await tip.getAttribute('data-pixel')), value: Number(await tip.getAttribute('data-value')), text: (await tip.textContent()) ?? '' };
}

const camera = (page: Page) => page.locator('.camera-panel');
const toolbar = (page: Page) => page.locator('.view-toolbar');

test('a camera shows R1 and R0 sums of a sim_telarray event, equal to numpy over ctapipe’s /r1 and /r0', async ({ page }) => {
  skipWithoutChromium();
  skipWithoutPython();
  const errors = collectErrors(page);
  const ref = numpySums()[0].tel['1'];
  const maxOf = (v: number[]) => Math.max(...v);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });

  // the live stream: no whole-camera waveforms, both choices disabled with why
  await expect(toolbar(page).locator('.r1-sum')).toBeDisabled();
  await expect(toolbar(page).locator('.r0-sum')).toBeDisabled();
  await expect(toolbar(page).locator('.r1-label')).toHaveAttribute('title', /not available: the live stream has no whole-camera waveforms/);

  await openFromList(page, SIMTEL);
  await expect(page.locator('.file-banner')).toHaveAttribute('data-index', '0', { timeout: 30_000 });
  await expect(camera(page)).toHaveCount(1);
  await expect(camera(page)).not.toHaveClass(/not-triggered/, { timeout: 30_000 });
  await expect(toolbar(page).locator('.r1-sum')).toBeEnabled({ timeout: 20_000 });
  await expect(toolbar(page).locator('.r0-sum')).toBeEnabled();
  await closeNotices(page);

  // R: R1 sums, p.e.
  await page.locator('.event-label').click();
  await page.keyboard.press('r');
  await expect(toolbar(page).locator('.r1-sum')).toBeChecked();
  await expect(camera(page)).toHaveAttribute('data-sums', 'r1:shown', { timeout: 20_000 });
  await expect(camera(page)).toHaveAttribute('data-unit', 'p.e.');
  await expect(page.locator('.sums-note')).toContainText('R1 (p.e.): Σ R1 samples per pixel');
  await page.waitForTimeout(300);
  const r1 = await hoverBrightest(page);
  const want1 = ref.r1[r1.pixel];
  // float32 sums: within 1e-5 of the scale the sum is rounded at (see test/unit/main/files/waveform-sums.test.ts)
  expect(Math.abs(r1.value - want1)).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(want1), ref.r1_abs[r1.pixel]));
  expect(r1.text).toContain(`R1 Σ ${want1.toFixed(2)} p.e.`);
  // drawn in the top colour: it is the largest R1 sum of the camera (or within 1 % of it)
  expect(want1).toBeGreaterThanOrEqual(0.99 * maxOf(ref.r1));
  await page.mouse.move(150, 860);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot-camera-r1.png' });

  // a click on the pixel still opens its waveform
  const at = await brightestPixelOnScreen(page, 6);
  await page.mouse.click(at.x, at.y);
  const panel = page.locator('.waveform-panel');
  await expect(panel).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  await expect(panel).toHaveAttribute('data-pixels', String(r1.pixel));
  await page.keyboard.press('Escape');

  // Shift+R: R0 sums of the high gain, ADC counts, pedestal included
  await page.locator('.event-label').click();
  await page.keyboard.press('Shift+R');
  await expect(toolbar(page).locator('.r0-sum')).toBeChecked();
  await expect(toolbar(page).locator('.r1-sum')).not.toBeChecked();
  await expect(camera(page)).toHaveAttribute('data-sums', 'r0-high:shown', { timeout: 20_000 });
  await expect(camera(page)).toHaveAttribute('data-unit', 'ADC counts');
  await expect(page.locator('.sums-note')).toContainText('pedestal included');
  await expect(page.locator('.sums-note')).toContainText('the pedestal alone sums to about');
  await page.waitForTimeout(300);
  const r0 = await hoverBrightest(page);
  // integer sums of uint16 samples: exact
  expect(r0.value).toBe(ref.r0[0][r0.pixel]);
  expect(r0.text).toContain(`R0 Σ high gain ${ref.r0[0][r0.pixel]} ADC counts`);
  expect(r0.value).toBe(maxOf(ref.r0[0]));

  // the low gain
  await expect(toolbar(page).locator('.r0-gain')).toBeEnabled();
  await toolbar(page).locator('.r0-gain').selectOption('low');
  await expect(camera(page)).toHaveAttribute('data-sums', 'r0-low:shown', { timeout: 20_000 });
  await page.waitForTimeout(300);
  const lo = await hoverBrightest(page);
  expect(lo.value).toBe(ref.r0[1][lo.pixel]);
  expect(lo.value).toBe(maxOf(ref.r0[1]));

  // Shift+R again: back to the image
  await page.locator('.event-label').click();
  await page.keyboard.press('Shift+R');
  await expect(toolbar(page).locator('.r0-sum')).not.toBeChecked();
  await expect(camera(page)).toHaveAttribute('data-unit', 'p.e.');
  await expect(page.locator('.sums-note')).toBeHidden();

  // a DL1 file without /r0 or /r1 tables: both disabled, saying why
  await openFromList(page, NO_WAVEFORMS);
  await expect(page.locator('.file-banner')).toHaveAttribute('data-index', '0', { timeout: 30_000 });
  await expect(toolbar(page).locator('.r1-label')).toHaveAttribute('data-why', /no R1 waveforms: no \/r1\/event\/telescope\/tel_NNN tables/, {
    timeout: 20_000,
  });
  await expect(toolbar(page).locator('.r1-sum')).toBeDisabled();
  await expect(toolbar(page).locator('.r0-sum')).toBeDisabled();
  expect(errors).toEqual([]);
});
