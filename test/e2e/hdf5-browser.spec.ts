/**
 * The HDF5 Browser through the UI: a plain h5py file (not DL1, not
 * WatChMaL) opened with Open… goes to the Browser; the tree shows groups,
 * datasets, shapes, dtypes, chunking, filters and attributes; a 1-D dataset
 * previews as a uPlot line, a 2-D one as a colour-mapped image, a 3-D one as
 * an image stack with a slider; the DL1 trigger table previews as a
 * virtualised table whose cells equal PyTables' values and whose rows are
 * read only as they scroll into view.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { collectErrors, screenshotDir, skipWithoutChromium, skipWithoutPython, referencePython, e2eTempDir, openFromList } from './helpers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

// the server is shared by every spec: start and leave it with no file open
test.beforeEach(resetServer);
test.afterEach(resetServer);

const DL1 = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');

function makeGenericFile(path: string): void {
  execFileSync(referencePython().path, [
    '-c',
    `
import sys, numpy as np, h5py
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["instrument"] = "test bench"
    g = f.create_group("waveforms")
    g.attrs["sampling_ns"] = 4.0
    t = np.arange(150_000)
    g.create_dataset("signal", data=np.sin(t / 300.0) * np.exp(-t / 80_000.0), chunks=(10_000,), compression="gzip")
    y, x = np.mgrid[0:64, 0:96]
    img = f.create_group("images")
    img.create_dataset("frame", data=np.exp(-((x - 60) ** 2 + (y - 20) ** 2) / 120.0).astype("f4"))
    stack = np.stack([np.exp(-((x - 10 - 15 * k) ** 2 + (y - 32) ** 2) / 60.0) for k in range(6)]).astype("f4")
    img.create_dataset("stack", data=stack, chunks=(1, 64, 96), compression="gzip", shuffle=True)
    f.create_dataset("notes", data=[b"first line", b"second line", b"third line"])
    rng = np.random.default_rng(7)
    f.create_dataset("tracks", data=np.column_stack([rng.normal(size=(5000, 3)), rng.uniform(0, 10, 5000)]).astype("f4"))
`,
    path,
  ]);
}

/** Open… in serve mode: the data directories' list, folder by folder (helpers.ts) */
const openFile = openFromList;

const treeItem = (page: Page, path: string) => page.locator(`.browser-tree li[data-path="${path}"]`);

test('browse a plain HDF5 file: tree, facts, line, image and image-stack previews', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const dir = e2eTempDir('browser-');
  const file = join(dir, 'bench.h5');
  makeGenericFile(file);
  try {
    await page.goto('/');
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    // Open… lists only what Lightpool can open: the HDF5 file with its size, not the text file beside it
    writeFileSync(join(dir, 'notes.txt'), 'not a data file');
    await openFile(page, dir);
    const entries = page.locator('.open-entries tr');
    await expect(entries).toHaveCount(1);
    await expect(entries.first()).toHaveAttribute('data-name', 'bench.h5');
    await expect(entries.first()).toContainText('HDF5');
    await expect(entries.first().locator('.open-size')).toHaveText(/\d+(\.\d+)? (kB|MB|KiB|MiB)/);
    await entries.first().locator('.open-entry').click();
    await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'browser');
    await expect(treeItem(page, '/waveforms/signal')).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('.browser-details')).toContainText('instrument');

    // 1-D: a line, read in windows of 100,000 points
    await treeItem(page, '/waveforms/signal').click();
    const details = page.locator('.browser-details');
    await expect(details).toContainText('(150000)');
    await expect(details).toContainText('(10000)');
    await expect(details).toContainText('deflate (gzip) level 4');
    await expect(page.locator('.browser-line .uplot canvas').first()).toBeVisible();
    await expect(page.locator('.browser-line')).toHaveAttribute('data-points', '100000');
    await expect(page.locator('.browser-line .browser-note')).toContainText('showing 100,000 of 150,000');
    await page.screenshot({ path: `${screenshotDir}/browser-line.png` });
    await page.locator('.browser-line .next').click();
    await expect(page.locator('.browser-line .win-start')).toHaveValue('50000');

    // 2-D: an image with the colour map; the brightest pixel is where the Gaussian peaks
    await treeItem(page, '/images/frame').click();
    const canvas = page.locator('.browser-image .image-canvas');
    await expect(canvas).toHaveJSProperty('width', 96);
    await expect(canvas).toHaveJSProperty('height', 64);
    await expect(page.locator('.browser-image')).toHaveAttribute('data-frame', '0,0');
    const peak = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let best = -1,
        at = 0;
      for (let i = 0; i < d.length; i += 4) {
        const v = d[i] + d[i + 1] + d[i + 2];
        if (v > best) {
          best = v;
          at = i / 4;
        }
      }
      return { x: at % c.width, y: Math.floor(at / c.width) };
    });
    expect(peak).toEqual({ x: 60, y: 20 });
    await page.screenshot({ path: `${screenshotDir}/browser-image.png` });

    // 3-D: an image stack with a slider over the first axis
    await treeItem(page, '/images/stack').click();
    const slider = page.locator('.browser-image .stack-slider input');
    await expect(slider).toHaveAttribute('max', '5');
    await expect(page.locator('.browser-image')).toHaveAttribute('data-frame', '0,0,0');
    await slider.fill('3');
    await expect(page.locator('.browser-image')).toHaveAttribute('data-frame', '3,0,0');
    const peakX = await page.locator('.browser-image .image-canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let best = -1,
        at = 0;
      for (let i = 0; i < d.length; i += 4) {
        const v = d[i] + d[i + 1] + d[i + 2];
        if (v > best) {
          best = v;
          at = i / 4;
        }
      }
      return at % c.width;
    });
    expect(peakX).toBe(10 + 15 * 3);
    await page.locator('.browser-image .image-canvas').click();
    await page.keyboard.press(']'); // next frame
    await expect(page.locator('.browser-image')).toHaveAttribute('data-frame', '4,0,0');
    await page.screenshot({ path: `${screenshotDir}/browser-stack.png` });

    // strings as text
    await treeItem(page, '/notes').click();
    await expect(page.locator('.browser-text .text-lines')).toContainText('second line');
    await expect(page.locator('.browser-as-points')).toHaveCount(0);

    // an N×4 dataset can be drawn as 3D points: the Points tab shows all its rows
    await treeItem(page, '/tracks').click();
    await page.locator('.browser-as-points').click();
    await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'points');
    await expect(page.locator('[data-tab-view="points"]')).toHaveAttribute('data-points', '5000', { timeout: 20_000 });
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('browse a DL1 table: a virtualised table that reads only the rows in view, values as PyTables reads them', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const ref = JSON.parse(
    execFileSync(
      referencePython().path,
      [
        '-c',
        `
import json, sys, tables
with tables.open_file(sys.argv[1]) as f:
    t = f.root.dl1.event.subarray.trigger
    print(json.dumps({"n": len(t), "event_id": [int(v) for v in t.col("event_id")], "n_trigger": [int(v) for v in t.col("n_trigger")] if "n_trigger" in t.colnames else None}))`,
        DL1,
      ],
      { encoding: 'utf8' },
    ),
  ) as { n: number; event_id: number[] };
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFile(page, DL1);
  // a DL1 file goes to the Event tab; the Browser lists it too
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'event');
  await expect(page.locator('.file-banner')).toHaveAttribute('data-event-id', String(ref.event_id[0]), { timeout: 20_000 });
  await page.locator('.tab[data-tab=browser]').click();
  await expect(treeItem(page, '/dl1')).toBeVisible({ timeout: 10_000 });
  for (const p of ['/dl1', '/dl1/event', '/dl1/event/subarray']) await treeItem(page, p).click();
  await treeItem(page, '/dl1/event/subarray/trigger').click();
  await expect(page.locator('.browser-details')).toContainText('table (compound dataset)');
  await expect(page.locator('.browser-details')).toContainText('blosc:zstd level 5, byte shuffle');
  const table = page.locator('.browser-table');
  await expect(table.locator('.table-row').first()).toBeVisible();
  const rowsInDom = await table.locator('.table-row').count();
  expect(rowsInDom).toBeLessThan(ref.n);
  const head = await table.locator('.table-head .th').allTextContents();
  const col = head.indexOf('event_id');
  expect(col).toBeGreaterThan(0);
  const cellOf = async (row: number) => table.locator(`.table-row[data-row="${row}"] > div`).nth(col).textContent();
  expect(await cellOf(0)).toBe(String(ref.event_id[0]));
  for (const close of await page.locator('.notice button').all()) await close.click();
  await page.screenshot({ path: `${screenshotDir}/browser-table.png` });
  // scroll to the end: the last rows are read then, and equal PyTables' values
  await table.locator('.table-viewport').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(table.locator(`.table-row[data-row="${ref.n - 1}"]`)).toBeVisible();
  expect(await cellOf(ref.n - 1)).toBe(String(ref.event_id[ref.n - 1]));
  // go to a row by number
  await table.locator('.table-goto').fill('60');
  await table.locator('.table-goto').press('Enter');
  await expect(table.locator('.table-row[data-row="60"]')).toBeVisible();
  expect(await cellOf(60)).toBe(String(ref.event_id[60]));
  // an image table: the 1855-value image column is named, not read
  for (const p of ['/dl1/event/telescope', '/dl1/event/telescope/images']) await treeItem(page, p).click();
  await treeItem(page, '/dl1/event/telescope/images/tel_001').click();
  await expect(table.locator('.table-row').first()).toContainText('values)');
  await page.screenshot({ path: `${screenshotDir}/browser-images-table.png` });
  expect(errors).toEqual([]);
});

test('export events of a WatChMaL file by index from the Browser; h5py reads them back', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const hits = resolve('test/fixtures/samples/watchmal_iwcd4pi_sample_digihits.h5');
  const dir = e2eTempDir('wcexport-');
  try {
    await page.goto('/');
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    await openFile(page, hits);
    // WatChMaL files go to the tank view; the Browser lists them too
    await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'tank');
    await page.locator('.tab[data-tab=browser]').click();
    await expect(page.locator('.browser-files')).toHaveValue(/.+/);
    await expect(treeItem(page, '/hit_pmt')).toBeVisible({ timeout: 10_000 });
    await page.locator('.browser-export').click();
    const dialog = page.locator('.export-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('.export-current-label')).toBeHidden();
    await dialog.locator('.export-list').fill('0-9, 200');
    const target = join(dir, 'ten.h5');
    await dialog.locator('.export-out').fill(target);
    await dialog.locator('.export-start').click();
    await expect(dialog.locator('.export-message')).toContainText('past the end: the file has 150 events');
    await dialog.locator('.export-list').fill('0-9');
    await dialog.locator('.export-start').click();
    await expect(dialog.locator('.export-message')).toContainText('Wrote 10 events', { timeout: 30_000 });
    const back = JSON.parse(
      execFileSync(
        referencePython().path,
        [
          '-c',
          `
import json, sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as a, h5py.File(sys.argv[2]) as b:
    ia = a["event_hits_index"][:]
    n_hits = [int(x) for x in np.diff(np.append(ia, len(a["hit_pmt"])))[:10]]
    ib = b["event_hits_index"][:]
    print(json.dumps({"n": len(ib), "hits_in": n_hits, "hits_out": [int(x) for x in np.diff(np.append(ib, len(b["hit_pmt"])))],
                      "same_pmts": bool(np.array_equal(a["hit_pmt"][:ia[10]], b["hit_pmt"][:]))}))`,
          hits,
          target,
        ],
        { encoding: 'utf8' },
      ),
    ) as { n: number; hits_in: number[]; hits_out: number[]; same_pmts: boolean };

    skipWithoutChromium();
    expect(back.n).toBe(10);
    expect(back.hits_out).toEqual(back.hits_in);
    expect(back.same_pmts).toBe(true);
    await page.screenshot({ path: `${screenshotDir}/browser-export-watchmal.png` });
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
