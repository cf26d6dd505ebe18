/**
 * Choosing the image extractor of a sim_telarray file in the waveform view,
 * as a user does: Open… the LSTCam muon file, click the brightest pixel,
 * choose LocalPeakWindowSum with a 5-sample window shifted by 2, and read
 * the pixel's charge, peak time and window: ctapipe's CameraCalibrator with
 * the same extractor (run in this test) gives the same numbers; the
 * camera's image follows; "default" goes back to NeighborPeakWindowSum.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { brightestPixelOnScreen, closeNotices, collectErrors, openFromList, skipWithoutChromium } from './helpers.js';
import { ctapipe as ctapipeTool } from '../helpers/reference-tools.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const SIMTEL = resolve('test/fixtures/simtel/lst_muons_with_true_photons.simtel.zst');
const ORACLE = resolve('test/unit/main/files/extractor-oracle.py');

interface Oracle {
  events: { event_id: number; tel: Record<string, { image: number[]; peak_time: number[] }> }[];
}
const ctapipeWith = (spec: Record<string, unknown>): Oracle =>
  JSON.parse(execFileSync(ctapipeTool().path, [ORACLE, SIMTEL, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Oracle;

interface ApiRequest {
  id: number;
  method: string;
  params?: { extractor?: { windowWidth?: number } | null };
}
/**
 * The page's API WebSocket through a relay that can hold back the reply to one request (the backend
 * answers faster than a test types): `holdReply(when)` resolves once the reply to the next request
 * matching `when` has come from the server, with the function that passes it on to the page.
 */
async function relayApi(page: Page) {
  let hold: { when: (r: ApiRequest) => boolean; arrived: (release: () => void) => void; id?: number } | undefined;
  await page.routeWebSocket(/\/api(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (hold && hold.id === undefined && typeof m === 'string') {
        const r = JSON.parse(m) as ApiRequest;
        if (hold.when(r)) hold.id = r.id;
      }
      server.send(m);
    });
    server.onMessage((m) => {
      // replies come as text or as binary frames whose JSON header names the request id
      const text = typeof m === 'string' ? m : m.toString('latin1', 0, 200);
      if (hold?.id !== undefined && text.includes(`"type":"reply","id":${hold.id},`)) {
        hold.arrived(() => ws.send(m));
        hold = undefined;
        return;
      }
      ws.send(m);
    });
  });
  return {
    holdReply: (when: (r: ApiRequest) => boolean) => new Promise<() => void>((arrived) => (hold = { when, arrived })),
  };
}

const panel = (page: Page) => page.locator('.waveform-panel');
const control = (page: Page) => panel(page).locator('.waveform-extractor');

test('the waveform view chooses the image extractor: charge, peak time and window are ctapipe’s with that extractor', async ({ page }) => {
  const ct = ctapipeTool();
  test.skip(!ct.ok, `ctapipe not available: ${ct.why}`);
  const errors = collectErrors(page);
  const byDefault = ctapipeWith({ type: 'NeighborPeakWindowSum' }).events[0].tel['1'];
  const local = ctapipeWith({ type: 'LocalPeakWindowSum', window_width: 5, window_shift: 2 }).events[0].tel['1'];
  const bright = byDefault.image.indexOf(Math.max(...byDefault.image));

  const relay = await relayApi(page);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await openFromList(page, SIMTEL);
  await expect(page.locator('.file-banner')).toHaveAttribute('data-event-id', '100', { timeout: 30_000 });
  await closeNotices(page);
  // the brightest pixel, clicked where it is drawn (the top colour of the colour map)
  const at = await brightestPixelOnScreen(page);
  await page.mouse.click(at.x, at.y);
  await expect(panel(page)).toHaveAttribute('data-pixels', String(bright), { timeout: 20_000 });
  await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 20_000 });
  await expect(control(page)).toBeVisible();
  await expect(control(page)).toHaveAttribute('data-type', 'NeighborPeakWindowSum');
  const row = () => panel(page).locator(`.waveform-pixel[data-pixel="${bright}"]`);
  expect(Number(await row().getAttribute('data-charge'))).toBe(Math.fround(byDefault.image[bright]));

  // LocalPeakWindowSum, then width 5 and shift 2
  await control(page).locator('select.extractor-type').selectOption('LocalPeakWindowSum');
  await expect(control(page)).toHaveAttribute('data-type', 'LocalPeakWindowSum');
  // the shift is typed while the width is being applied (its reply held back here until it came),
  // and Enter pressed after that reply: the reply must not overwrite the value being typed
  const widthReply = relay.holdReply((r) => r.method === 'file.extractor' && r.params?.extractor?.windowWidth === 5);
  await control(page).locator('input.extractor-width').fill('5');
  await control(page).locator('input.extractor-width').press('Enter');
  await control(page).locator('input.extractor-shift').fill('2');
  (await widthReply)();
  await expect(row()).toHaveAttribute('data-window-width', '5', { timeout: 20_000 });
  await expect(control(page)).toHaveAttribute('data-state', 'shown');
  await expect(control(page).locator('input.extractor-shift')).toHaveValue('2');
  await control(page).locator('input.extractor-shift').press('Enter');
  await expect(row()).toHaveAttribute('data-charge', String(Math.fround(local.image[bright])), { timeout: 20_000 });
  expect(Number(await row().getAttribute('data-peak-time'))).toBe(Math.fround(local.peak_time[bright]));
  await expect(panel(page).locator('.waveform-note')).toContainText('window: LocalPeakWindowSum width 5, shift 2');
  await expect(control(page).locator('button.extractor-default')).toBeEnabled();
  await page.screenshot({ path: 'test/screenshots/extractor.png' });

  // back to ctapipe's default
  await control(page).locator('button.extractor-default').click();
  await expect(control(page)).toHaveAttribute('data-type', 'NeighborPeakWindowSum');
  await expect(row()).toHaveAttribute('data-charge', String(Math.fround(byDefault.image[bright])), { timeout: 20_000 });
  await expect(row()).toHaveAttribute('data-window-width', '7');
  expect(errors).toEqual([]);
});
