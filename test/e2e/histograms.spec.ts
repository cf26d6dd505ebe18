/**
 * The histogram panel on an open DL1 file: a parameter column over the whole
 * file, a cut, a Gaussian fit with parameters ± errors and χ²/ndf drawn on the
 * plot, a click on a bin listing its events and opening one, and PNG / SVG
 * export. Screenshot: test/screenshots/histogram-fit.png.
 */
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { readFile, writeFile } from 'node:fs/promises';
import { collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';
import { E2E_PORT } from '../../playwright.config.js';
import { TestClient } from '../helpers/ws-client.js';
import { resetServer } from './file-api.js';

skipWithoutChromium();

// the server is shared by every spec: start from the simulated array with no file open, and leave it so
test.beforeEach(resetServer);
test.afterEach(resetServer);

const DL1 = fileURLToPath(new URL('../../test/fixtures/samples/dl1_sample_120.blosc.h5', import.meta.url));

test('a DL1 column histogram over the whole file with a cut, a Gaussian fit, bin events and figure export', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  const client = await TestClient.connect(`ws://127.0.0.1:${E2E_PORT}/api`);
  const opened = await client.request('file.open', { path: DL1 });
  expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
  const fileId = (opened.result as { fileId: string }).fileId;
  client.close();

  await page.locator('button.tab[data-tab="histograms"]').click();
  const panel = page.locator('.hist-panel');
  await expect(panel.locator(`.hist-source option[value="${fileId}"]`)).toHaveCount(1, { timeout: 10_000 });
  await panel.locator('.hist-source').selectOption(fileId);
  await expect(panel.locator('.hist-quantity')).toHaveValue('hillas_intensity', { timeout: 10_000 });
  await expect(panel.locator('.hist-logx')).toBeChecked();
  await expect(panel).toHaveAttribute('data-entries', /^\d+$/, { timeout: 15_000 });
  await expect(panel.locator('.hist-status')).toContainText('images pass');
  const allEntries = Number(await panel.getAttribute('data-entries'));
  expect(allEntries).toBeGreaterThan(400);

  // hillas_width in 40 bins with a cut on the leakage, then a Gaussian fit in the core of the distribution
  await panel.locator('.hist-quantity').selectOption('hillas_width');
  await expect(panel.locator('.hist-logx')).not.toBeChecked();
  await panel.locator('.hist-bins').fill('40');
  await panel.locator('.hist-lo').fill('0');
  await panel.locator('.hist-hi').fill('0.2');
  await panel.locator('.hist-where').fill('leakage_intensity_width_2 < 0.2 && hillas_intensity > 50');
  await panel.locator('.hist-draw').click();
  await expect(panel.locator('.hist-status')).toContainText('pass the cut', { timeout: 15_000 });
  await expect(panel.locator('.hist-plot canvas')).toHaveCount(1);
  await panel.locator('.hist-fit-model').selectOption('gaussian');
  await panel.locator('.hist-fit').click();
  await expect(panel).toHaveAttribute('data-fitted', 'gaussian', { timeout: 15_000 });
  const fitText = await panel.locator('.hist-fit-result').innerText();
  expect(fitText).toMatch(/μ = [\d.]+ ± [\d.]+ deg/);
  expect(fitText).toMatch(/σ = [\d.]+ ± [\d.]+ deg/);
  expect(fitText).toMatch(/χ²\/ndf = [\d.]+ \/ \d+/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}/histogram-fit.png` });

  // click the fullest bin: its events are listed, and one opens as a camera image
  const box = (await panel.locator('.hist-plot .u-over').boundingBox())!;
  const [x, y] = await page.evaluate(() => {
    const over = document.querySelector('.hist-plot .u-over')!.getBoundingClientRect();
    return [over.width * 0.25, over.height * 0.9];
  });
  await page.mouse.click(box.x + x, box.y + y);
  await expect(panel.locator('.hist-bin-table tbody tr').first()).toBeVisible({ timeout: 15_000 });
  const total = Number(await panel.locator('.hist-bin-events').getAttribute('data-total'));
  expect(total).toBeGreaterThan(0);
  await panel.locator('.hist-bin-table tbody tr').first().click();
  await expect(panel.locator('.hist-event-preview .camera-panel')).toBeVisible({ timeout: 15_000 });

  // figure export
  const [png] = await Promise.all([page.waitForEvent('download'), panel.locator('.hist-export-png').click()]);
  expect(png.suggestedFilename()).toMatch(/^hillas_width.*\.png$/);
  const [svg] = await Promise.all([page.waitForEvent('download'), panel.locator('.hist-export-svg').click()]);
  const text = await readFile((await svg.path())!, 'utf8');
  await writeFile(`${screenshotDir}/histogram-fit.svg`, text);
  expect(text).toContain('hillas_width / deg');
  expect(text).toContain('Gaussian fit');
  expect(text).toContain('<polyline');
  await page.screenshot({ path: `${screenshotDir}/histogram-bin-events.png` });
  expect(errors).toEqual([]);
});
