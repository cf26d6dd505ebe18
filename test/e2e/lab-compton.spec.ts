/**
 * The Lab tab's Compton-imaging view through the UI (issue 16): the seed's
 * system matrix opened from the HDF5 Browser ("open as system matrix"),
 * MLEM iterations run in the backend with the image streamed, Stop /
 * Continue / Reset, and the image after 10 iterations with its maximum
 * marked at polar 90°, azimuth 0° — the marker, the maximum's value and the
 * hover read-out checked against numpy's 10 iterations of the seed's MLEM
 * on the same file, run in this test.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { closeNotices, collectErrors, openFromList, referencePython, screenshotDir, skipWithoutChromium, skipWithoutPython } from './helpers.js';
import { formatSignificant } from '../../src-renderer/format/numbers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const SYSMAT = resolve('test/fixtures/lab/compton_sysmat.h5');

/** numpy: img = sysmat.sum(axis=0), then 10 × img = img / s * (sysmat.T @ (1 / (sysmat @ img))) with s = 1, in float64. */
function numpyMlem(): { row: number; col: number; value: number; at: Record<string, number> } {
  return JSON.parse(
    execFileSync(
      referencePython().path,
      [
        '-c',
        `
import sys, json, numpy as np, h5py
A = h5py.File(sys.argv[1], "r")["sysmat"][...].astype(np.float64)
img = A.sum(axis=0)
for _ in range(10):
    proj = A @ img
    img = img * (A.T @ np.divide(1.0, proj, out=np.zeros_like(proj), where=proj > 0))
img = img.reshape(181, 361)
r, c = np.unravel_index(np.argmax(img), img.shape)
print(json.dumps({"row": int(r), "col": int(c), "value": float(img[r, c]), "at": {"45,90": float(img[45, 90]), "120,300": float(img[120, 300])}}))
`,
        SYSMAT,
      ],
      { encoding: 'utf8' },
    ),
  );
}

/** Moves the pointer to the centre of image cell (row, col) of a lab figure. */
async function hoverCell(page: Page, figure: string, row: number, col: number): Promise<void> {
  const fig = page.locator(figure);
  const [x, y, w, h] = (await fig.getAttribute('data-plot'))!.split(',').map(Number);
  const rows = Number(await fig.getAttribute('data-rows'));
  const cols = Number(await fig.getAttribute('data-cols'));
  const box = (await fig.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + x + ((col + 0.5) / cols) * w, box.y + y + ((row + 0.5) / rows) * h);
}

test('Compton imaging: 10 MLEM iterations, the maximum at polar 90°, azimuth 0° as numpy finds it; Stop, Continue, Reset', async ({ page }) => {
  skipWithoutChromium();
  skipWithoutPython();
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const ref = numpyMlem();
  expect([ref.row, ref.col]).toEqual([90, 180]);

  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFromList(page, SYSMAT);
  await page.locator('.browser-tree li[data-path="/sysmat"]').click();
  await page.locator('.browser-as-system-matrix').click();
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'lab');
  const view = page.locator('.lab-compton');
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-iteration', '0', { timeout: 30_000 });
  await expect(view.locator('.cp-info')).toContainText('dense <f4, 100 cones × 65,341 pixels');
  await expect(view.locator('.cp-info')).toContainText('image 181 × 361 (shape from the file)');
  await expect(view.locator('.cp-counter')).toHaveText(/^iteration 0 \(backprojection\)/);

  // a long run, stopped, continued, stopped again, reset to the backprojection
  await view.locator('.cp-n').fill('100000');
  await view.locator('.cp-run-n').click();
  await expect(view).toHaveAttribute('data-running', 'true');
  await expect.poll(async () => Number(await view.getAttribute('data-iteration')), { timeout: 60_000 }).toBeGreaterThan(0);
  await view.locator('.cp-stop').click();
  await expect(view).toHaveAttribute('data-running', 'false', { timeout: 30_000 });
  const stoppedAt = Number(await view.getAttribute('data-iteration'));
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(100_000);
  await expect(view.locator('.cp-continue')).toBeEnabled();
  await view.locator('.cp-continue').click();
  await expect.poll(async () => Number(await view.getAttribute('data-iteration')), { timeout: 60_000 }).toBeGreaterThan(stoppedAt);
  await view.locator('.cp-stop').click();
  await expect(view).toHaveAttribute('data-running', 'false', { timeout: 30_000 });
  await view.locator('.cp-reset').click();
  await expect(view).toHaveAttribute('data-iteration', '0');

  // 10 iterations from the backprojection
  await view.locator('.cp-n').fill('10');
  await view.locator('.cp-run-n').click();
  await expect(view).toHaveAttribute('data-iteration', '10', { timeout: 60_000 });
  await expect(view).toHaveAttribute('data-running', 'false');
  await expect(view).toHaveAttribute('data-max-polar', '90');
  await expect(view).toHaveAttribute('data-max-azimuth', '0');
  const value = Number(await view.getAttribute('data-max-value'));
  expect(Math.abs(value - ref.value) / ref.value).toBeLessThan(1e-6);
  await expect(view.locator('.cp-maximum')).toHaveText(`polar 90°, azimuth 0°: ${formatSignificant(value, 5)}`);
  await expect(view.locator('.cp-counter')).toHaveText(/^iteration 10 · [\d,.]+ iterations\/s$/);

  // hover: the marked cell and two others read as numpy's image has them
  const figure = '.lab-compton .cp-figure';
  await expect(page.locator(figure)).toHaveAttribute('data-drawn', 'true');
  await hoverCell(page, figure, 90, 180);
  await expect(page.locator(figure)).toHaveAttribute('data-hover-row', '90');
  await expect(page.locator(figure)).toHaveAttribute('data-hover-col', '180');
  await expect(page.locator(`${figure} .lab-readout`)).toHaveText(`polar 90°, azimuth 0°: ${formatSignificant(value, 5)}`);
  await hoverCell(page, figure, 45, 90);
  await expect(page.locator(`${figure} .lab-readout`)).toHaveText(`polar 45°, azimuth −90°: ${formatSignificant(ref.at['45,90'], 5)}`);
  await hoverCell(page, figure, 120, 300);
  await expect(page.locator(`${figure} .lab-readout`)).toHaveText(`polar 120°, azimuth 120°: ${formatSignificant(ref.at['120,300'], 5)}`);

  // export: the SVG has the axes, the colour bar and the marker's label
  const [svg] = await Promise.all([page.waitForEvent('download'), page.locator(`${figure} .lab-export-svg`).click()]);
  const text = await readFile((await svg.path())!, 'utf8');
  await writeFile(`${screenshotDir}/lab-compton.svg`, text);
  expect(text).toContain('azimuth (deg)');
  expect(text).toContain('polar angle (deg)');
  expect(text).toContain('relative intensity');
  expect(text).toContain('max: polar 90°, azimuth 0°');
  expect(text).toMatch(/<image [^>]*href="data:image\/png;base64,/);

  await closeNotices(page);
  await hoverCell(page, figure, 90, 180);
  await expect(page.locator(`${figure} .lab-readout`)).toHaveText(`polar 90°, azimuth 0°: ${formatSignificant(value, 5)}`);
  await page.screenshot({ path: `${screenshotDir}/lab-compton.png` });
  // on a log scale the cones' faint overlap shows around the source
  await view.locator('.cp-scale').selectOption('log');
  await hoverCell(page, figure, 90, 180);
  await page.screenshot({ path: `${screenshotDir}/lab-compton-log.png` });

  // the same image on a three.js sphere, its maximum marked; PNG export of the 3D view
  await view.locator('.cp-sphere-toggle').check();
  await expect(view).toHaveAttribute('data-sphere', 'true');
  await expect(view.locator('.cp-sphere')).toHaveAttribute('data-renders', /^[1-9]\d*$/, { timeout: 20_000 });
  await expect(page.locator(figure)).toBeHidden();
  const [spherePng] = await Promise.all([page.waitForEvent('download'), view.locator('.cp-sphere-box .lab-export-png').click()]);
  expect((await readFile((await spherePng.path())!)).subarray(1, 4).toString()).toBe('PNG');
  await page.screenshot({ path: `${screenshotDir}/lab-compton-sphere.png` });
  await view.locator('.cp-sphere-toggle').uncheck();
  await expect(page.locator(figure)).toBeVisible();

  // a wrong image shape: a clear error in the view
  await view.locator('.cp-shape').fill('100x100');
  await view.locator('.lab-open').click();
  await expect(view.locator('.lab-error')).toContainText('the given shape 100×100 makes 10000');
  expect(errors).toEqual([]);
});
