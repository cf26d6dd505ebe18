import { mkdirSync, mkdtempSync } from 'node:fs';
import { test, type Page, expect } from '@playwright/test';
import { chromium as chromiumTool, python as pythonTool, skipNote } from '../helpers/reference-tools.js';
import { join, relative, sep } from 'node:path';
import { E2E_DATA_DIR } from '../../playwright.config.js';

export const screenshotDir = 'test/screenshots';
mkdirSync(screenshotDir, { recursive: true });

/** Collects console errors and page errors so a test can require none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** For each camera image canvas: the count of lit pixels (neither background nor blank) and a checksum. */
export function cameraCanvasStats(page: Page): Promise<{ telId: string; lit: number; checksum: number }[]> {
  return page.$$eval('.camera-panel', (panels) =>
    panels.map((panel) => {
      const canvas = panel.querySelector<HTMLCanvasElement>('canvas.camera-image')!;
      const ctx = canvas.getContext('2d')!;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      let checksum = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i];
        const g = data[i + 1];
        const b = data[i + 2];
        const background = r === 16 && g === 20 && b === 26;
        const blank = r === 31 && g === 36 && b === 42;
        if (!background && !blank) {
          lit++;
          checksum = (checksum * 31 + r * 7 + g * 3 + b) % 1_000_000_007;
        }
      }
      return { telId: (panel as HTMLElement).dataset.telId ?? '', lit, checksum };
    }),
  );
}

/** Count of drawn, light overlay pixels (the Hillas ellipse outlines) per camera panel. */
export function overlayStats(page: Page): Promise<number[]> {
  return page.$$eval('canvas.camera-overlay', (canvases) =>
    canvases.map((c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 160 && d[i] > 170 && d[i + 1] > 170 && d[i + 2] > 170) n++;
      return n;
    }),
  );
}

/**
 * Call at the top of every spec: skips the whole file, saying why, when
 * Chromium is not installed (the tests cannot run without it).
 */
export function skipWithoutChromium(): void {
  const c = skipNote(chromiumTool());
  test.skip(c.skip, `Chromium not available: ${chromiumTool().why}`);
}

/**
 * Call at the start of a test that reads files back with Python: skips it,
 * saying why, when python3 with these modules is missing.
 */
export function skipWithoutPython(): void {
  const py = referencePython();
  test.skip(!py.ok, `${py.name} not available: ${py.why}`);
  skipNote(py);
}

/** python3 with numpy, h5py and PyTables: what the e2e tests read files back with. */
export const referencePython = () => pythonTool('numpy', 'h5py', 'tables');

/** A fresh folder inside the test server's data directories (exports, recordings, files to open). */
export function e2eTempDir(prefix: string): string {
  return mkdtempSync(join(E2E_DATA_DIR, prefix));
}

/**
 * Opens a file with Open… as a user of serve mode does: the list of the data
 * directories, then folder by folder down to the file, which is clicked.
 */
export async function openFromList(page: Page, path: string): Promise<void> {
  if (await page.locator('.open-panel').isHidden()) await page.locator('.open-toggle').click();
  const panel = page.locator('.open-panel');
  // back to the list of data directories
  while (await panel.locator('.open-up').isEnabled()) {
    const where = await panel.locator('.open-folder').innerText();
    await panel.locator('.open-up').click();
    await expect(panel.locator('.open-folder')).not.toHaveText(where);
  }
  const roots = await panel.locator('.open-entries tr[data-kind=folder]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name!));
  const root = roots.filter((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep)).sort((a, b) => b.length - a.length)[0];
  if (!root) throw new Error(`${path} is in none of the data directories ${roots.join(', ')}`);
  await panel.locator(`.open-entries tr[data-name="${root}"] .open-entry`).click();
  await expect(panel.locator('.open-folder')).toHaveText(root);
  const parts = relative(root, path).split(sep);
  let at = root;
  for (const [i, part] of parts.entries()) {
    const entry = panel.locator(`.open-entries tr[data-name="${part}"] .open-entry`);
    await entry.click();
    if (i < parts.length - 1) {
      at = join(at, part);
      await expect(panel.locator('.open-folder')).toHaveText(at);
    }
  }
}

/** Closes the notices shown (they may also go by themselves meanwhile), so a screenshot shows the view. */
export async function closeNotices(page: Page): Promise<void> {
  const buttons = page.locator('.notice button');
  for (let i = 0; i < 20 && (await buttons.count()) > 0; i++)
    await buttons
      .first()
      .click({ timeout: 2000 })
      .catch(() => undefined);
}

/** Page coordinates of the centre of the camera's pixels drawn in the colour map's top colour (the brightest pixel, on a min–max scale). */
export async function brightestPixelOnScreen(page: Page, tolerance = 12): Promise<{ x: number; y: number; size: number }> {
  return page.$eval(
    '.camera-panel canvas.camera-image',
    (c, tol) => {
      const canvas = c as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const { width, height } = canvas;
      const d = ctx.getImageData(0, 0, width, height).data;
      // viridis' top colour, #fde725
      let n = 0;
      let sx = 0;
      let sy = 0;
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const k = 4 * (y * width + x);
          if (Math.abs(d[k] - 0xfd) + Math.abs(d[k + 1] - 0xe7) + Math.abs(d[k + 2] - 0x25) < tol) {
            n++;
            sx += x;
            sy += y;
          }
        }
      if (n === 0) throw new Error('no pixel in the top colour');
      const r = canvas.getBoundingClientRect();
      const dpr = canvas.width / r.width;
      return { x: r.left + sx / n / dpr, y: r.top + sy / n / dpr, size: Math.sqrt(n) / dpr };
    },
    tolerance,
  );
}
