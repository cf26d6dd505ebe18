/**
 * A sim_telarray file in the Histograms panel and the Export dialog, as a
 * user does it: the LSTCam muon file's hillas_intensity and hillas_length
 * histogrammed over the whole file (the backend calibrates and
 * parameterises every image once, as ctapipe-process does), the counts
 * shown equal numpy.histogram of ctapipe-process's own output of the file
 * (h5py, same edges), a bin's events listed and one opened; then the Export
 * dialog writes two chosen events with their waveforms to a DL1 file that
 * h5py reads back. Screenshot: docs/screenshot-simtel-histogram.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { closeNotices, collectErrors, e2eTempDir, openFromList, referencePython, screenshotDir, skipWithoutChromium, skipWithoutPython } from './helpers.js';
import { E2E_PORT } from '../../playwright.config.js';
import { TestClient } from '../helpers/ws-client.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const SIMTEL = resolve('test/fixtures/simtel/lst_muons_with_true_photons.simtel.zst');
const REFERENCE = resolve('test/fixtures/simtel/lst_muons_with_true_photons.ctapipe.dl1.h5');

/** numpy.histogram of a column of ctapipe-process's parameter tables with the given edges */
function numpyCounts(column: string, edges: number[]): { counts: number[]; n: number } {
  const py = `
import sys, json, numpy as np, h5py
g = h5py.File(sys.argv[1], 'r')['dl1/event/telescope/parameters']
v = np.concatenate([g[k][sys.argv[2]] for k in sorted(g)]).astype(np.float64)
c, _ = np.histogram(v[np.isfinite(v)], bins=np.asarray(json.loads(sys.argv[3]), dtype=np.float64))
print(json.dumps({'counts': c.tolist(), 'n': int(len(v))}))
`;
  return JSON.parse(execFileSync(referencePython().path, ['-c', py, REFERENCE, column, JSON.stringify(edges)], { encoding: 'utf8' })) as {
    counts: number[];
    n: number;
  };
}

const counts = async (page: Page) => ((await page.locator('.hist-panel').getAttribute('data-counts')) ?? '').split(',').map(Number);

test('histograms over a sim_telarray file: counts equal numpy of ctapipe-process’s output; a bin’s events open', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  const client = await TestClient.connect(`ws://127.0.0.1:${E2E_PORT}/api`);
  const opened = await client.request('file.open', { path: SIMTEL });
  expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
  const fileId = (opened.result as { fileId: string }).fileId;
  client.close();

  await page.locator('button.tab[data-tab="histograms"]').click();
  const panel = page.locator('.hist-panel');
  await expect(panel.locator(`.hist-source option[value="${fileId}"]`)).toHaveCount(1, { timeout: 10_000 });
  await panel.locator('.hist-source').selectOption(fileId);
  // the first histogram calibrates and parameterises every image of the file, then histograms hillas_intensity
  await expect(panel.locator('.hist-quantity')).toHaveValue('hillas_intensity', { timeout: 10_000 });
  await expect(panel.locator('.hist-status')).toContainText('images pass', { timeout: 60_000 });
  const ref = numpyCounts('hillas_intensity', [1, 10]);
  await expect(panel).toHaveAttribute('data-entries', String(ref.n));
  await expect(panel.locator('.hist-status')).toContainText(`${ref.n} of ${ref.n} images pass`);

  // hillas_intensity in 6 log bins over 10…10^4 p.e.: the counts shown are numpy's
  await panel.locator('.hist-bins').fill('6');
  await panel.locator('.hist-lo').fill('10');
  await panel.locator('.hist-hi').fill('10000');
  await panel.locator('.hist-draw').click();
  const logEdges = Array.from({ length: 7 }, (_, i) => 10 ** (1 + i * 0.5));
  await expect.poll(() => counts(page), { timeout: 15_000 }).toEqual(numpyCounts('hillas_intensity', logEdges).counts);

  // hillas_length of the muon rings in 6 bins over [0.84, 0.87] deg (not log): numpy's counts again
  await panel.locator('.hist-quantity').selectOption('hillas_length');
  await expect(panel.locator('.hist-logx')).not.toBeChecked();
  await panel.locator('.hist-bins').fill('6');
  await panel.locator('.hist-lo').fill('0.84');
  await panel.locator('.hist-hi').fill('0.87');
  await panel.locator('.hist-draw').click();
  const lengthRef = numpyCounts(
    'hillas_length',
    Array.from({ length: 7 }, (_, i) => 0.84 + (i * 0.03) / 6),
  ).counts;
  expect(lengthRef.reduce((a, b) => a + b, 0)).toBe(ref.n);
  await expect.poll(() => counts(page), { timeout: 15_000 }).toEqual(lengthRef);
  await expect(panel.locator('.hist-status')).toContainText('images pass');
  // a click on a bin lists its images (the x axis spans the range), and a row opens its camera image
  const bin = lengthRef.findLastIndex((c) => c > 0);
  const box = (await panel.locator('.hist-plot .u-over').boundingBox())!;
  await page.mouse.click(box.x + ((bin + 0.5) / 6) * box.width, box.y + box.height * 0.95);
  await expect(panel.locator('.hist-bin-table tbody tr').first()).toBeVisible({ timeout: 15_000 });
  expect(Number(await panel.locator('.hist-bin-events').getAttribute('data-total'))).toBe(lengthRef[bin]);
  const first = panel.locator('.hist-bin-table tbody tr').first();
  const eventId = await first.getAttribute('data-event-id');
  await first.click();
  await expect(panel.locator('.hist-event-preview .camera-panel')).toBeVisible({ timeout: 15_000 });
  await expect(panel.locator('.hist-event-preview')).toHaveAttribute('data-event-id', eventId!);
  await closeNotices(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot-simtel-histogram.png' });
  expect(errors).toEqual([]);
});

test('the Export dialog writes chosen events of a sim_telarray file to DL1 with waveforms', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const out = e2eTempDir('simtel-export-');
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFromList(page, SIMTEL);
  const banner = page.locator('.file-banner');
  await expect(banner).toHaveAttribute('data-index', '0', { timeout: 30_000 });
  await banner.locator('.export').click();
  const dialog = page.locator('.export-dialog');
  await expect(dialog).toBeVisible();
  // no cut for a sim_telarray file (it stores no parameters); the waveforms are offered
  await expect(dialog.locator('.export-where')).toBeHidden();
  await expect(dialog.locator('.export-waveforms')).toBeVisible();
  await expect(dialog.locator('.export-out')).toHaveValue(/lst_muons_with_true_photons\.subset\.dl1\.h5$/);
  await dialog.locator('.export-list').fill('0, 2');
  await dialog.locator('.export-waveforms').check();
  const target = join(out, 'muons-0-2.dl1.h5');
  await dialog.locator('.export-out').fill(target);
  await dialog.locator('.export-start').click();
  await expect(dialog.locator('.export-message')).toContainText('Wrote 2 events', { timeout: 60_000 });
  await page.screenshot({ path: `${screenshotDir}/simtel-export-dialog.png` });
  expect(existsSync(target)).toBe(true);
  const py = `
import sys, json, h5py
f = h5py.File(sys.argv[1], 'r')
t = f['dl1/event/subarray/trigger'][:]
print(json.dumps({'events': [[int(r['obs_id']), int(r['event_id'])] for r in t], 'r1': 'r1' in f, 'images': len(f['dl1/event/telescope/images/tel_001'])}))
`;
  const written = JSON.parse(execFileSync(referencePython().path, ['-c', py, target], { encoding: 'utf8' })) as {
    events: number[][];
    r1: boolean;
    images: number;
  };
  expect(written).toEqual({
    events: [
      [14, 100],
      [14, 300],
    ],
    r1: true,
    images: 2,
  });
  // exporting again to the same name is refused unless "overwrite" is ticked
  await dialog.locator('.export-start').click();
  await expect(dialog.locator('.export-message')).toContainText('exists already');
  await dialog.locator('.export-close').click();
  expect(errors).toEqual([]);
});
