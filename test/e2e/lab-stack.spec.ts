/**
 * The Lab tab's image-stack view through the UI (issue 16): the seed's glob
 * export/*\/*\/*\/*.png of the gas TPC frames, windowed to [60, 130] and
 * centre-cropped to 128 × 128; the slider and [ ] stepping; each image's
 * label and energy as the fixtures' truth.json says; the per-label mean
 * images and histograms; the current file's channels; PNG/SVG export; and
 * clear errors for an empty glob and a pattern outside the data directories.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { closeNotices, collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const truth = JSON.parse(readFileSync('test/fixtures/lab/truth.json', 'utf8')) as { images: { path: string; label: string; energy_keV: number }[] };
const sorted = truth.images.map((i) => ({ ...i, abs: resolve('test/fixtures/lab', i.path) })).sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));

test('image stack: window 60,130, crop 64, labels and energies from the path, per-label means, channels', async ({ page }) => {
  skipWithoutChromium();
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await page.locator('.tab[data-tab=lab]').click();
  await page.locator('.lab-switch-button[data-lab=stack]').click();
  const view = page.locator('.lab-image-stack');
  await expect(view).toBeVisible();

  // an empty glob and a folder outside the data directories: errors in the view, as text
  await view.locator('.st-pattern').fill('test/fixtures/lab/export/*/*/*/*.tif');
  await view.locator('.st-open').click();
  await expect(view.locator('.lab-error')).toHaveText('lab.stack.open: no PNG or TIFF files match test/fixtures/lab/export/*/*/*/*.tif');
  await view.locator('.st-pattern').fill('/usr/share/*/*.png');
  await view.locator('.st-open').click();
  await expect(view.locator('.lab-error')).toContainText("outside this server's data directories");

  await view.locator('.st-wmin').fill('60');
  await view.locator('.st-wmax').fill('130');
  await view.locator('.st-crop').fill('64');
  await view.locator('.st-pattern').fill('test/fixtures/lab/export/*/*/*/*.png');
  await view.locator('.st-open').click();
  await expect(view).toHaveAttribute('data-count', '24');
  await expect(view.locator('.lab-error')).toBeHidden();
  await expect(view.locator('.st-summary')).toContainText('24 images in');
  await expect(view.locator('.st-summary')).toContainText(
    `ER ${sorted.filter((i) => i.label === 'ER').length} · NR ${sorted.filter((i) => i.label === 'NR').length}`,
  );
  await expect(view).toHaveAttribute('data-index', '0');
  await expect(view.locator('.st-image')).toHaveAttribute('data-rows', '128');
  await expect(view.locator('.st-image')).toHaveAttribute('data-cols', '128');

  // stepping with ] and [ and the slider: each image's label and energy are the truth's
  const check = async (i: number) => {
    await expect(view).toHaveAttribute('data-index', String(i));
    await expect(view).toHaveAttribute('data-label', sorted[i].label);
    await expect(view).toHaveAttribute('data-energy', String(sorted[i].energy_keV));
    await expect(view.locator('.st-current-label')).toContainText(
      `label ${sorted[i].label} (class ${sorted[i].label === 'ER' ? 0 : 1}), energy ${sorted[i].energy_keV} keV · ${sorted[i].path.replace(/^export\//, '')}`,
    );
    await expect(view.locator('.st-pos')).toHaveText(`${i + 1} / 24`);
  };
  await check(0);
  await view.locator('.st-summary').click();
  for (let i = 0; i < 3; i++) await page.keyboard.press(']');
  await check(3);
  await page.keyboard.press('[');
  await check(2);
  await view.locator('.st-slider').fill('17');
  await check(17);
  await expect(view.locator('.st-channel-images')).toHaveAttribute('data-channels', '1');

  // the per-label means over the whole stack (started on open)
  await expect(view).toHaveAttribute('data-means', 'shown', { timeout: 60_000 });
  await expect(view.locator('.st-mean-images')).toHaveAttribute('data-labels', 'ER,NR');
  await expect(view.locator('.st-mean')).toHaveCount(2);
  await expect(view.locator('.st-job')).toHaveAttribute('data-state', 'done');

  // export: the current image as SVG (axes, colour bar, title with label and energy), its histogram as PNG
  const [svg] = await Promise.all([page.waitForEvent('download'), view.locator('.st-image .lab-export-svg').click()]);
  const text = await readFile((await svg.path())!, 'utf8');
  await writeFile(`${screenshotDir}/lab-stack-image.svg`, text);
  expect(text).toContain(`${sorted[17].label} · ${sorted[17].energy_keV} keV`);
  expect(text).toContain('windowed [60, 130]');
  expect(text).toContain('x (pixel)');
  const [png] = await Promise.all([page.waitForEvent('download'), view.locator('.st-hist-head .lab-export-png').click()]);
  expect((await readFile((await png.path())!)).subarray(1, 4).toString()).toBe('PNG');

  await closeNotices(page);
  await page.screenshot({ path: `${screenshotDir}/lab-stack.png` });
  expect(errors).toEqual([]);
});
