/**
 * sim_telarray files the UI must not get wrong, through the UI as a user
 * does it: a file without events after one with (no stale waveform, no
 * endless "loading", nothing to step, bookmark or export), a truncated file
 * (its summary and the file banner say where it was cut), a garbage file's
 * error in the Open… panel at 1366×768 (the panel stays inside the window),
 * the R1 Σ / R0 Σ boxes after a second file, the R0 low gain of a one-gain
 * camera, and the keyboard shortcuts after a click on a toolbar checkbox.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { closeNotices, collectErrors, e2eTempDir, openFromList, skipWithoutChromium } from './helpers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const FIXTURES = resolve('test/fixtures/simtel');
const LST = join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst');
const CALIB_TRUE_PE = join(FIXTURES, 'calib_true_pe.simtel.zst');
const CALIB_EVENTS = join(FIXTURES, 'calib_events.simtel.gz');
const FLASHCAM = join(FIXTURES, 'aux_traces_2029.simtel.zst');
const SHOTS = 'test-results/simtel-edge-files';

const panel = (page: Page) => page.locator('.waveform-panel');
const banner = (page: Page) => page.locator('.file-banner');

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
}

/** the centre of the first camera's drawing, on the page */
async function cameraCentre(page: Page): Promise<{ x: number; y: number }> {
  const box = (await page.locator('.camera-panel canvas.camera-image').first().boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** the first `bytes` bytes of `src`, written to a new file `name` in the test server's data directory */
function headOf(src: string, bytes: number, name: string): string {
  const buf = Buffer.alloc(bytes);
  const fd = openSync(src, 'r');
  const n = readSync(fd, buf, 0, bytes, 0);
  closeSync(fd);
  const out = join(e2eTempDir('edge-'), name);
  writeFileSync(out, buf.subarray(0, n));
  return out;
}

test('a file without events after one with: no stale waveform, no endless loading, nothing to step, bookmark or export', async ({ page }) => {
  const errors = collectErrors(page);
  await ready(page);
  await openFromList(page, LST);
  await expect(banner(page)).toHaveAttribute('data-event-id', '100', { timeout: 30_000 });
  await closeNotices(page);
  let c = await cameraCentre(page);
  await page.mouse.click(c.x, c.y);
  await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  await expect(panel(page).locator('.waveform-title')).toContainText('LSTCam · event 100');

  await openFromList(page, CALIB_TRUE_PE);
  await expect(banner(page).locator('.file-label')).toHaveText(/calib_true_pe\.simtel\.zst · no events$/, { timeout: 30_000 });
  // the previous file's waveform is gone; a click on the empty camera says there is no event
  await expect(panel(page)).toBeHidden();
  await closeNotices(page);
  c = await cameraCentre(page);
  await page.mouse.click(c.x, c.y);
  await expect(panel(page)).toHaveAttribute('data-state', 'no-event');
  await expect(panel(page).locator('.waveform-note')).toContainText('no event is shown');
  await expect(panel(page)).not.toContainText('LSTCam');
  await expect(panel(page)).not.toContainText('event 100');
  await expect(panel(page).locator('.waveform-pixel')).toHaveCount(0);
  await expect(panel(page)).not.toHaveAttribute('data-pixels', /.*/);
  await page.screenshot({ path: `${SHOTS}/no-events-click.png` });

  // the event line says there are none (and the calibration events the file has), not "loading the file…"
  await expect(banner(page)).toHaveAttribute('data-empty', 'true');
  await expect(page.locator('.event-label')).toContainText('no events to show');
  await expect(page.locator('.event-label')).toContainText('calibration event');
  await expect(page.locator('.event-label')).not.toContainText('loading');

  // nothing to step, bookmark, jump to or export: the buttons are disabled and B / → do nothing
  for (const cls of ['first', 'prev', 'next', 'last', 'bookmark', 'jump-open', 'export']) await expect(banner(page).locator(`.${cls}`)).toBeDisabled();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('b');
  await page.keyboard.press('ArrowRight');
  await expect(banner(page).locator('.file-label')).toHaveText(/no events$/);
  await expect(banner(page).locator('.file-label')).not.toContainText('bookmarked');

  // the Browser's export… offers nothing to export
  await page.locator('.tab[data-tab="browser"]').click();
  await page.locator('.browser-export').click();
  const dialog = page.locator('.export-dialog-backdrop');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('.export-message')).toContainText('has no events to export');
  await expect(dialog.locator('.export-start')).toBeDisabled();
  await expect(dialog.locator('.export-current-label')).toBeHidden();
  await expect(dialog.locator('.export-list')).not.toHaveAttribute('placeholder', /-1/);
  await page.screenshot({ path: `${SHOTS}/no-events-export.png` });
  await dialog.locator('.export-close').click();
  expect(errors).toEqual([]);
});

test('the waveform window is said at the times of its first and last samples, as the plot marks them', async ({ page }) => {
  const errors = collectErrors(page);
  await ready(page);
  await openFromList(page, LST);
  await expect(banner(page)).toHaveAttribute('data-event-id', '100', { timeout: 30_000 });
  await closeNotices(page);
  const c = await cameraCentre(page);
  await page.mouse.click(c.x, c.y);
  await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  // LSTCam samples at 1 GHz: sample k at k ns; the plot shades each summed sample ±½ sample around its time
  const row = panel(page).locator('.waveform-pixel').first();
  const start = Number(await row.getAttribute('data-window-start'));
  const last = start + Number(await row.getAttribute('data-window-width')) - 1;
  await expect(row.locator('.waveform-text')).toContainText(`window samples ${start}–${last} (at ${start.toFixed(1)}–${last.toFixed(1)} ns)`);
  await expect(panel(page).locator('.waveform-note')).toContainText('30 samples at 1 GHz');
  expect(errors).toEqual([]);
});

test('R1 Σ / R0 Σ follow the file shown: after a second file they say what that file has, not the live stream', async ({ page }) => {
  const errors = collectErrors(page);
  await ready(page);
  await openFromList(page, CALIB_EVENTS);
  await expect(banner(page).locator('.file-label')).toHaveText(/calib_events\.simtel\.gz · no events$/, { timeout: 30_000 });
  await openFromList(page, CALIB_TRUE_PE);
  await expect(banner(page).locator('.file-label')).toHaveText(/calib_true_pe\.simtel\.zst · no events$/, { timeout: 30_000 });
  for (const level of ['r1', 'r0']) {
    const label = page.locator(`.view-toolbar .${level}-label`);
    await expect(label).not.toHaveAttribute('title', /live stream/);
    await expect(label).not.toHaveAttribute('title', /asking the file/);
  }
  expect(errors).toEqual([]);
});

test('a truncated file: the opened notice and the file banner say where it was cut', async ({ page }) => {
  const errors = collectErrors(page);
  const half = headOf(LST, 400_000, 'half_lst.simtel.zst');
  await ready(page);
  await openFromList(page, half);
  await expect(banner(page)).toHaveAttribute('data-event-id', '100', { timeout: 30_000 });
  const note = banner(page).locator('.file-note');
  await expect(note).toBeVisible();
  await expect(note).toContainText('truncated after event 1');
  await expect(banner(page)).toHaveAttribute('data-problem', /^truncated after event 1/);
  await expect(page.locator('.notice')).toContainText(['truncated after event 1']);
  await expect(page.locator('.notice').filter({ hasText: 'half_lst.simtel.zst' })).toContainText('1 event, 1 telescope (LSTCam)');
  // one triggered telescope: in the singular
  await expect(page.locator('.event-label')).toContainText('1 telescope triggered');
  await page.screenshot({ path: `${SHOTS}/truncated.png` });
  expect(errors.filter((e) => !/truncated/.test(e))).toEqual([]);
});

test('the Open… panel stays inside a 1366×768 window when it shows the error of a garbage file', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  // bytes that are no EventIO, under a sim_telarray name
  const garbage = Buffer.alloc(40_960);
  let x = 12345;
  for (let i = 0; i < garbage.length; i++) garbage[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  const path = join(e2eTempDir('garbage-'), 'x.simtel.zst');
  writeFileSync(path, garbage);
  await ready(page);
  await openFromList(page, path);
  const open = page.locator('.open-panel');
  await expect(open.locator('.open-error')).not.toBeEmpty();
  await expect(open.locator('.open-error')).not.toContainText('opening');
  const box = (await open.boundingBox())!;
  const view = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    scrollX: window.scrollX,
  }));
  expect(view.scrollWidth).toBeLessThanOrEqual(view.clientWidth);
  expect(view.scrollX).toBe(0);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(view.clientWidth);
  await page.screenshot({ path: `${SHOTS}/open-panel-error-1366.png` });
});

test('keyboard shortcuts keep working after a click on a toolbar checkbox', async ({ page }) => {
  const errors = collectErrors(page);
  await ready(page);
  const hillas = page.locator('.view-toolbar .hillas');
  const before = await hillas.isChecked();
  await page.locator('.view-toolbar .true-image').click();
  await expect(page.locator('.view-toolbar .true-image')).toBeFocused();
  await page.keyboard.press('h');
  await expect(hillas).toBeChecked({ checked: !before });
  await page.locator('.view-toolbar .peak-time').click();
  await page.keyboard.press('c');
  await expect(page.locator('.view-toolbar .common-scale')).toBeChecked();
  // Space on a focused checkbox still ticks it (the shortcut does not take it)
  await page.keyboard.press(' ');
  await expect(page.locator('.view-toolbar .peak-time')).not.toBeChecked();
  expect(errors).toEqual([]);
});

test('a one-gain camera: the waveform view does not offer an R0 low gain', async ({ page }) => {
  const errors = collectErrors(page);
  await ready(page);
  await openFromList(page, FLASHCAM);
  await expect(banner(page)).toHaveAttribute('data-event-id', /\d+/, { timeout: 30_000 });
  const low = panel(page).locator('.waveform-kind option[value=r0low]');
  await expect(low).toBeDisabled();
  await expect(low).toHaveAttribute('title', /one gain/);
  await expect(panel(page).locator('.waveform-kind option[value=r0high]')).toBeEnabled();
  await closeNotices(page);
  const c = await cameraCentre(page);
  await page.mouse.click(c.x, c.y);
  await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  await page.screenshot({ path: `${SHOTS}/one-gain.png` });
  expect(errors).toEqual([]);
});
