/**
 * Camera images of real geometries drawn by CameraView in Chromium, from the
 * ctapipe reference sample (image, peak time, ctapipe's cleaning mask,
 * Hillas and timing parameters in the camera frame), on a fixture page
 * bundled on the fly (no backend needed).
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCameraFixture, REPO } from './pages/build-camera-fixture.mjs';
import { readRefValues, toFloat32Array, type RefValues } from '../../src-main/tools/ctapipe-refvalues.js';
import { collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';
import type { FixtureImage } from './pages/camera-fixture.js';

skipWithoutChromium();

let url = '';
let ref: RefValues;

test.beforeAll(async () => {
  url = await buildCameraFixture(join(REPO, 'test-results/camera-fixture'));
  ref = readRefValues(join(REPO, 'test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz'));
});

function geometryJson(name: string): unknown {
  return JSON.parse(readFileSync(join(REPO, 'assets/cameras', `${name}.camgeom.json`), 'utf8'));
}

/** The reference image of `camera` whose cleaned intensity is closest to 1000 p.e., with its overlays. */
function referenceImage(camera: string): { index: number; img: FixtureImage } {
  const candidates = ref.results.filter(
    (r) => r.camera === camera && r.setting === 's1_function_defaults' && typeof r.camera_frame.hillas_intensity === 'number',
  );
  candidates.sort((a, b) => Math.abs(Math.log(a.camera_frame.hillas_intensity! / 1000)) - Math.abs(Math.log(b.camera_frame.hillas_intensity! / 1000)));
  const r = candidates[0];
  const data = ref.imageData.get(r.global_index)!;
  const c = r.camera_frame;
  const mask = new Array<number>(data.image.length).fill(0);
  for (const i of r.mask_pixel_indices) mask[i] = 1;
  return {
    index: r.global_index,
    img: {
      image: Array.from(toFloat32Array(data.image)),
      peakTime: Array.from(toFloat32Array(data.peak_time)),
      mask,
      hillas: { intensity: c.hillas_intensity!, x: c.hillas_x!, y: c.hillas_y!, length: c.hillas_length!, width: c.hillas_width!, psi: c.hillas_psi! },
      timing: typeof c.timing_slope === 'number' ? { slope: c.timing_slope, intercept: c.timing_intercept ?? undefined } : undefined,
    },
  };
}

async function show(page: Page, camera: string): Promise<number> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  const { index, img } = referenceImage(camera);
  await page.evaluate(({ g, camera, index }) => window.lpCamera.mount([g as never], { titles: [`${camera} · reference image ${index}`] }), {
    g: geometryJson(camera),
    camera,
    index,
  });
  await page.waitForFunction(() => (document.querySelector('canvas.camera-image') as HTMLCanvasElement).width > 100);
  await page.evaluate((img) => window.lpCamera.setImage(0, img), img);
  return img.image.length;
}

/** Distinct colours on the image canvas, and how many canvas pixels are not background. */
function canvasStats(page: Page): Promise<{ lit: number; colours: number }> {
  return page.$eval('canvas.camera-image', (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    const set = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if (!(d[i] === 16 && d[i + 1] === 20 && d[i + 2] === 26)) lit++;
      set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return { lit, colours: set.size };
  });
}

for (const camera of ['LSTCam', 'FlashCam', 'CHEC', 'SCTCam']) {
  test(`${camera}: reference image with mask, Hillas and timing overlays`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 700, height: 680 });
    await show(page, camera);
    const stats = await canvasStats(page);
    expect(stats.lit).toBeGreaterThan(100_000); // the camera fills most of 600×600
    expect(stats.colours).toBeGreaterThan(20);
    // overlays drawn: the overlay canvas has opaque strokes
    const overlayInk = await page.$eval('canvas.camera-overlay', (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 128) n++;
      return n;
    });
    expect(overlayInk).toBeGreaterThan(500);
    await page.locator('.camera-panel').screenshot({ path: `${screenshotDir}/camera-${camera}.png` });
    expect(errors).toEqual([]);
  });
}

test('hover shows the pixel id at a known pixel centre; click selects; zoom keeps the mapping; PNG export', async ({ page }) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 700, height: 680 });
  await show(page, 'LSTCam');
  for (const pixel of [0, 1000, 1854]) {
    const [x, y] = await page.evaluate((p) => window.lpCamera.pixelCenterPage(0, p), pixel);
    await page.mouse.move(x, y);
    await expect(page.locator('.camera-tooltip')).toHaveAttribute('data-pixel', String(pixel));
    await expect(page.locator('.camera-tooltip')).toContainText(`pixel ${pixel}:`);
  }
  // click selects (and highlights) the pixel under the cursor
  const [x, y] = await page.evaluate(() => window.lpCamera.pixelCenterPage(0, 1000));
  await page.mouse.click(x, y);
  await expect(page.locator('.camera-panel')).toHaveAttribute('data-selected-pixel', '1000');
  // wheel zoom around the cursor, then the same pixel is still found at its new centre
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, -600);
  expect(await page.evaluate(() => window.lpCamera.view(0).isZoomed)).toBe(true);
  const [x2, y2] = await page.evaluate(() => window.lpCamera.pixelCenterPage(0, 1500));
  if (x2 > 0 && y2 > 0 && x2 < 600 && y2 < 620) {
    await page.mouse.move(x2, y2);
    await expect(page.locator('.camera-tooltip')).toHaveAttribute('data-pixel', '1500');
  }
  const [x3, y3] = await page.evaluate(() => window.lpCamera.pixelCenterPage(0, 1000));
  await page.mouse.move(x3, y3);
  await expect(page.locator('.camera-tooltip')).toHaveAttribute('data-pixel', '1000');
  await page.locator('.camera-panel').screenshot({ path: `${screenshotDir}/camera-LSTCam-zoomed-selected.png` });
  // typed-in limits reach the colour scale
  await page.selectOption('.limits-mode', 'fixed');
  await page.fill('.vmin', '0');
  await page.fill('.vmax', '50');
  await page.press('.vmax', 'Enter');
  expect(await page.evaluate(() => window.lpCamera.view(0).colorScale)).toMatchObject({ vmin: 0, vmax: 50 });
  // PNG export at 2×: a real PNG of twice the on-screen size plus title and colour bar
  const size = await page.evaluate(async () => {
    const blob = await window.lpCamera.view(0).exportPng(2);
    const bmp = await createImageBitmap(blob);
    return { type: blob.type, w: bmp.width, h: bmp.height };
  });
  expect(size).toEqual({ type: 'image/png', w: 2 * 600 + 120, h: 2 * 600 + 44 });
  // SVG export from the view: one polygon per pixel, the typed-in limits on the colour bar
  const svg = await page.evaluate(() => window.lpCamera.view(0).exportSvg());
  expect(svg.match(/<polygon /g)?.length).toBe(1855);
  expect(svg).toContain('LSTCam · reference image');
  expect(svg).toMatch(/>50<\/text>/);
  expect(svg).toContain('class="cleaning-mask"');
  expect(errors).toEqual([]);
});
