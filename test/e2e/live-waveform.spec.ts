/**
 * The waveform view on the live stream, through the UI as a shifter does it:
 * `lightpool daq --replay` of the LSTCam muon file (R1 waveforms in the DAQ
 * protocol's waveform block; equal to ctapipe's /r1 — simtel-replay.test.ts),
 * Connect from the Monitor tab, click the brightest pixel of the live camera
 * in the Event tab: the panel shows that pixel's newest R1 waveform, equal
 * sample for sample to what `live.waveforms` returns for the same event, with
 * the image value and peak time the stream sent and the window said to be
 * unknown; it follows the stream to the next events; the arrow keys step
 * pixels; and the built-in simulation, which sends no waveforms, is said to.
 * Screenshot: docs/screenshot-live-waveform.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { resetServer } from './file-api.js';
import { closeNotices, collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';
import { startEmulator, type Emulator } from '../helpers/daq-emulator.js';
import { TestClient } from '../helpers/ws-client.js';
import { E2E_PORT } from '../../playwright.config.js';
import type { LiveWaveforms } from '../../src-main/api/live-contract.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

test.beforeEach(resetServer);
test.afterEach(resetServer);

const SIMTEL = resolve('test/fixtures/simtel/lst_muons_with_true_photons.simtel.zst');
const LST_PIXELS = 1855;

let daq: Emulator | undefined;
test.afterAll(async () => {
  await daq?.kill();
});

/** Page coordinates of the centre of the camera's pixels drawn in viridis' top colour (the brightest pixel on a min–max scale). */
async function brightestPixelOnScreen(page: Page, telId: number): Promise<{ x: number; y: number }> {
  return page.$eval(`.live-view .camera-panel[data-tel-id="${telId}"] canvas.camera-image`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let y = 0; y < canvas.height; y++)
      for (let x = 0; x < canvas.width; x++) {
        const k = 4 * (y * canvas.width + x);
        if (Math.abs(d[k] - 0xfd) + Math.abs(d[k + 1] - 0xe7) + Math.abs(d[k + 2] - 0x25) < 12) (n++, (sx += x), (sy += y));
      }
    if (n === 0) throw new Error('no pixel in the top colour');
    const r = canvas.getBoundingClientRect();
    const dpr = canvas.width / r.width;
    return { x: r.left + sx / n / dpr, y: r.top + sy / n / dpr };
  });
}

/** live.waveforms asked directly (not through the page) until it answers for event `eventId` of any pass over the file. */
async function waveformsOfEvent(client: TestClient, pixels: number[], eventId: number): Promise<LiveWaveforms> {
  const t0 = Date.now();
  for (;;) {
    const r = await client.call<LiveWaveforms>('live.waveforms', { telId: 1, pixels });
    if (r.available && r.eventId === eventId) return r;
    if (Date.now() - t0 > 60_000) throw new Error(`live.waveforms gave no reply for event ${eventId} within 60 s (last: event ${r.eventId})`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

const panel = (page: Page) => page.locator('.waveform-panel');

test('live stream: click a pixel for its newest R1 waveform (as live.waveforms gives it), follows the stream; a source without waveforms says so', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  // one event a second: the camera holds an image long enough to click its brightest pixel
  daq = await startEmulator(['--replay', SIMTEL, '--port', '0', '--rate', '1', '--quiet']);
  const client = await TestClient.connect(`ws://127.0.0.1:${E2E_PORT}/api`);
  client.keepStreams = false;
  try {
    await page.goto('/');
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    await page.locator('button.tab[data-tab="monitor"]').click();
    const run = page.locator('.monitor-run');
    await run.locator('.monitor-url').fill(daq.url);
    await run.locator('.monitor-connect').click();
    await expect(page.locator('.monitor-state')).toHaveAttribute('data-state', 'running', { timeout: 30_000 });

    await page.locator('button.tab[data-tab="event"]').click();
    const camera = page.locator('.live-view .camera-panel[data-tel-id="1"]');
    await expect(page.locator('.live-view .camera-panel')).toHaveCount(1, { timeout: 30_000 });
    await expect(camera).not.toHaveClass(/not-triggered/, { timeout: 30_000 });
    await closeNotices(page);

    // the brightest pixel of the event on screen, clicked right after a new event was drawn
    const liveView = page.locator('.live-view');
    const before = await liveView.getAttribute('data-event-id');
    await expect(liveView).not.toHaveAttribute('data-event-id', before ?? '', { timeout: 30_000 });
    const clickedEvent = Number(await liveView.getAttribute('data-event-id'));
    const bright = await brightestPixelOnScreen(page, 1);
    await page.mouse.click(bright.x, bright.y);
    await expect(panel(page)).toBeVisible();
    await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 30_000 });
    await expect(panel(page)).toHaveAttribute('data-input', 'live');
    const pixel = Number(await panel(page).getAttribute('data-pixels'));
    expect(pixel).toBeGreaterThanOrEqual(0);
    await expect(camera).toHaveAttribute('data-marked-pixels', String(pixel));
    // a bright pixel: in the event that was on screen, its image is at least half the camera's brightest
    // (the drawing's top colour is the maximum; the click is at the centre of what is drawn in it)
    const all = await waveformsOfEvent(
      client,
      Array.from({ length: LST_PIXELS }, (_, i) => i),
      clickedEvent,
    );
    expect(all.image[pixel], `pixel ${pixel} of event ${clickedEvent}`).toBeGreaterThanOrEqual(0.5 * Math.max(...all.image));

    // what the panel shows is what live.waveforms gives for the event it names: the samples, the image value and peak time
    // read in one go: the panel follows the stream, and separate reads could straddle a refresh
    const shown = () =>
      panel(page).evaluate((el, px) => {
        const r = el.querySelector(`.waveform-pixel[data-pixel="${px}"]`) as HTMLElement;
        return {
          eventId: Number(el.dataset.eventId),
          samples: r.dataset.samples!.split(',').map(Number),
          charge: Number(r.dataset.charge),
          peakTime: Number(r.dataset.peakTime),
          text: (r.querySelector('.waveform-text') as HTMLElement).innerText,
        };
      }, pixel);
    const first = await shown();
    const ref = await waveformsOfEvent(client, [pixel], first.eventId);
    expect(ref.nSamples).toBe(30);
    expect(first.samples).toEqual(ref.waveforms[0]);
    expect(first.charge).toBe(ref.image[0]);
    expect(first.peakTime).toBe(ref.peakTime[0]);
    expect(first.text).toContain(`image ${ref.image[0].toFixed(2)} p.e.`);
    expect(first.text).toContain(`peak time ${ref.peakTime[0].toFixed(2)} ns`);
    expect(first.text).toContain('window not known');
    await expect(panel(page).locator('.waveform-note')).toContainText('live DAQ stream');
    await expect(panel(page).locator('.waveform-note')).toContainText('the extraction window is not known');
    await expect(panel(page).locator('.waveform-kind')).toBeDisabled();
    await expect(panel(page).locator('.u-legend')).toContainText(`pixel ${pixel}`);
    await page.mouse.move(150, 860);
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'docs/screenshot-live-waveform.png' });

    // it follows the stream: a later event (the file has three), again equal to live.waveforms of that event
    await expect.poll(async () => Number(await panel(page).getAttribute('data-event-id')), { timeout: 30_000 }).not.toBe(first.eventId);
    const next = await shown();
    const refNext = await waveformsOfEvent(client, [pixel], next.eventId);
    expect(next.samples).toEqual(refNext.waveforms[0]);
    expect(next.charge).toBe(refNext.image[0]);

    // the arrow keys step to a neighbour, whose waveform comes the same way
    await panel(page).focus();
    await page.keyboard.press('ArrowRight');
    await expect(panel(page)).not.toHaveAttribute('data-pixels', String(pixel));
    await expect(panel(page)).toHaveAttribute('data-state', 'shown', { timeout: 30_000 });
    const stepped = Number(await panel(page).getAttribute('data-pixels'));
    const steppedRow = panel(page).locator(`.waveform-pixel[data-pixel="${stepped}"]`);
    const steppedEvent = Number(await panel(page).getAttribute('data-event-id'));
    const steppedSamples = (await steppedRow.getAttribute('data-samples'))!.split(',').map(Number);
    expect(steppedSamples).toEqual((await waveformsOfEvent(client, [stepped], steppedEvent)).waveforms[0]);

    // the built-in simulation sends no waveforms: the panel says so, with nothing drawn
    await client.call('live.simulate', { rateHz: 20 });
    await expect(panel(page)).toHaveAttribute('data-state', 'unavailable', { timeout: 30_000 });
    await expect(panel(page).locator('.waveform-note')).toContainText('this live source sends no waveforms');
    await expect(panel(page).locator('.waveform-pixel')).toHaveCount(0);
    // and a new click on a simulated camera says the same
    await panel(page).locator('.waveform-close').click();
    await expect(panel(page)).toBeHidden();
    const sim = page.locator('.live-view .camera-panel:not(.not-triggered) canvas.camera-image').first();
    await expect(sim).toBeVisible({ timeout: 30_000 });
    const box = (await sim.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(panel(page)).toBeVisible();
    await expect(panel(page)).toHaveAttribute('data-state', 'unavailable', { timeout: 30_000 });
    await expect(panel(page).locator('.waveform-note')).toContainText('this live source sends no waveforms');
    // a line under the cameras, not an empty plot; the keys stay with the tiles (Esc unfocuses the tile the click focused)
    expect((await panel(page).boundingBox())!.height).toBeLessThan(120);
    await page.screenshot({ path: `${screenshotDir}/live-waveform-unavailable.png` });
    expect(errors).toEqual([]);
  } finally {
    client.close();
    await daq.kill();
    daq = undefined;
  }
});
