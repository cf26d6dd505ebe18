/**
 * The waveform view on a sim_telarray file, through the UI as a user does
 * it: Open… the LSTCam muon file, click the brightest pixel of the camera
 * (found on the drawn image: the top colour of the colour map), read its
 * charge, peak time and window and compare them with what ctapipe-process
 * wrote (the reference .ctapipe.dl1.h5, read with h5py), shift-click two
 * more pixels, step with the arrow keys, switch to R0, and save the
 * screenshots the README shows.
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
const REF_PY = resolve('test/unit/main/files/simtel-ref.py');

interface RefTel {
  image: number[];
  peak_time: number[];
  bright: number[];
  r1: Record<string, number[]>;
  true_image?: number[];
}
interface Ref {
  events: { obs_id: number; event_id: number; tel: Record<string, RefTel> }[];
}

function reference(): Ref {
  return JSON.parse(execFileSync(referencePython().path, [REF_PY, REFERENCE, '3'], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Ref;
}

const panel = (page: Page) => page.locator('.waveform-panel');

test('a sim_telarray file: click a pixel for its waveform with ctapipe’s numbers, shift-click to overlay, arrow keys, R0', async ({ page }) => {
  skipWithoutChromium();
  skipWithoutPython();
  const errors = collectErrors(page);
  const ref = reference();
  const ev0 = ref.events[0].tel['1'];
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFromList(page, SIMTEL);
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'event');
  await expect(page.locator('.file-banner')).toHaveAttribute('data-event-id', String(ref.events[0].event_id), { timeout: 30_000 });
  await expect(page.locator('.camera-panel')).toHaveCount(1);
  await expect(page.locator('.camera-panel')).not.toHaveClass(/not-triggered/);
  await closeNotices(page);
  await page.waitForTimeout(300);

  // the brightest pixel of the image, clicked where it is drawn; its tooltip has the true image too
  const bright = await brightestPixelOnScreen(page);
  await page.mouse.move(bright.x, bright.y);
  await expect(page.locator('.camera-tooltip')).toContainText(`true ${ev0.true_image![ev0.bright[0]]} p.e.`);
  await page.mouse.click(bright.x, bright.y);
  await expect(panel(page)).toBeVisible();
  await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  const first = ev0.bright[0];
  await expect(panel(page)).toHaveAttribute('data-pixels', String(first));
  const row = panel(page).locator(`.waveform-pixel[data-pixel="${first}"]`);
  // the numbers shown are ctapipe's (float32 values, written with 2 decimals)
  expect(Number(await row.getAttribute('data-charge'))).toBe(Math.fround(ev0.image[first]));
  expect(Number(await row.getAttribute('data-peak-time'))).toBe(Math.fround(ev0.peak_time[first]));
  await expect(row.locator('.waveform-text')).toContainText(`charge ${ev0.image[first].toFixed(2)} p.e.`);
  await expect(row.locator('.waveform-text')).toContainText(`peak time ${ev0.peak_time[first].toFixed(2)} ns`);
  await expect(row.locator('.waveform-text')).toContainText(`true ${ev0.true_image![first]} p.e.`);
  // the window: 7 samples, around the R1 peak (LSTCam samples at 1 GHz)
  const start = Number(await row.getAttribute('data-window-start'));
  expect(Number(await row.getAttribute('data-window-width'))).toBe(7);
  const r1 = ev0.r1[String(first)];
  const peakSample = r1.indexOf(Math.max(...r1));
  expect(peakSample).toBeGreaterThanOrEqual(start);
  expect(peakSample).toBeLessThan(start + 7);
  // the times said are those of the first and last summed samples (1 GHz: sample k at k ns), as the plot marks them
  await expect(row.locator('.waveform-text')).toContainText(`window samples ${start}–${start + 6} (at ${start.toFixed(1)}–${(start + 6).toFixed(1)} ns)`);
  // the camera outlines the pixel; the plot is drawn
  await expect(page.locator('.camera-panel')).toHaveAttribute('data-marked-pixels', String(first));
  await expect(panel(page).locator('.u-legend')).toContainText(`pixel ${first}`);
  await page.mouse.move(150, 860);
  await page.waitForTimeout(300);
  await panel(page).screenshot({ path: 'test/screenshots/waveform-panel.png' });
  await page.screenshot({ path: 'docs/screenshot-waveform.png' });

  // two more pixels by shift-click, beside the first one (where it is now: the camera made room for the waveforms)
  const now = await brightestPixelOnScreen(page);
  await page.keyboard.down('Shift');
  await page.mouse.click(now.x + 1.6 * now.size, now.y);
  await expect(panel(page).locator('.waveform-pixel')).toHaveCount(2, { timeout: 20_000 });
  await page.mouse.click(now.x, now.y + 1.6 * now.size);
  await page.keyboard.up('Shift');
  await expect(panel(page).locator('.waveform-pixel')).toHaveCount(3, { timeout: 20_000 });
  await expect(panel(page)).toHaveAttribute('data-state', 'shown');
  const pixels = (await panel(page).getAttribute('data-pixels'))!.split(',').map(Number);
  expect(pixels[0]).toBe(first);
  expect(new Set(pixels).size).toBe(3);
  for (const p of pixels) {
    const r = panel(page).locator(`.waveform-pixel[data-pixel="${p}"]`);
    expect(Number(await r.getAttribute('data-charge'))).toBe(Math.fround(ev0.image[p]));
    expect(Number(await r.getAttribute('data-peak-time'))).toBe(Math.fround(ev0.peak_time[p]));
  }
  await expect(page.locator('.camera-panel')).toHaveAttribute('data-marked-pixels', pixels.join(','));
  await expect(panel(page).locator('.u-legend .u-series')).toHaveCount(4);
  await page.mouse.move(150, 860);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot-waveform-overlay.png' });

  // the arrow keys move the last pixel to a neighbour (and do not step the file's events)
  await panel(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(panel(page)).not.toHaveAttribute('data-pixels', pixels.join(','));
  await expect(panel(page)).toHaveAttribute('data-state', 'shown');
  await expect(page.locator('.file-banner')).toHaveAttribute('data-index', '0');
  const moved = (await panel(page).getAttribute('data-pixels'))!.split(',').map(Number);
  expect(moved.slice(0, 2)).toEqual(pixels.slice(0, 2));

  // R0, both gains: ADC counts
  await panel(page).locator('.waveform-kind').selectOption('r0high');
  await expect(panel(page)).toHaveAttribute('data-state', 'shown');
  await expect(panel(page).locator('.u-legend')).toContainText('pixel');
  await expect(panel(page)).toHaveAttribute('data-kind', 'r0high');
  await expect(panel(page)).toHaveAttribute('data-y-label', 'R0 high gain (ADC counts)');

  // the next event: the same pixels, that event's numbers
  await page.locator('.file-banner .next').click();
  await expect(page.locator('.file-banner')).toHaveAttribute('data-index', '1', { timeout: 20_000 });
  await panel(page).locator('.waveform-kind').selectOption('r1');
  const ev1 = ref.events[1].tel['1'];
  const r0 = panel(page).locator(`.waveform-pixel[data-pixel="${first}"]`);
  await expect(r0).toHaveAttribute('data-charge', String(Math.fround(ev1.image[first])), { timeout: 20_000 });
  expect(errors).toEqual([]);
});

test('a ctapipe DL1 file with /r1 and /r0 tables: the same waveform view from the stored waveforms', async ({ page }) => {
  skipWithoutChromium();
  skipWithoutPython();
  const errors = collectErrors(page);
  const ref = reference();
  const ev0 = ref.events[0].tel['1'];
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFromList(page, REFERENCE);
  await expect(page.locator('.file-banner')).toHaveAttribute('data-event-id', String(ref.events[0].event_id), { timeout: 30_000 });
  await closeNotices(page);
  await page.waitForTimeout(300);
  const bright = await brightestPixelOnScreen(page);
  await page.mouse.click(bright.x, bright.y);
  await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  const first = ev0.bright[0];
  await expect(panel(page)).toHaveAttribute('data-pixels', String(first));
  const row = panel(page).locator(`.waveform-pixel[data-pixel="${first}"]`);
  expect(Number(await row.getAttribute('data-charge'))).toBe(Math.fround(ev0.image[first]));
  expect(Number(await row.getAttribute('data-peak-time'))).toBe(Math.fround(ev0.peak_time[first]));
  expect(Number(await row.getAttribute('data-window-width'))).toBe(7);
  await expect(panel(page).locator('.waveform-note')).toContainText('/r1/event/telescope/tel_001');
  await panel(page).locator('.waveform-kind').selectOption('r0low');
  await expect(panel(page)).toHaveAttribute('data-y-label', 'R0 low gain (ADC counts)');
  await expect(panel(page)).toHaveAttribute('data-state', 'shown');
  // the true image, from /simulation/event/telescope/images (the pixel is found again: the camera made room for the waveforms)
  const now = await brightestPixelOnScreen(page);
  await page.locator('.view-toolbar .true-image').check();
  await page.mouse.move(now.x, now.y);
  await expect(page.locator('.camera-tooltip')).toContainText(`true ${ev0.true_image![first]} p.e.`);
  expect(errors).toEqual([]);
});
