import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { cameraCanvasStats, collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';
import { E2E_PORT } from '../../playwright.config.js';
import { decodeFrame } from '../../src-main/api/wire-codec.js';
import { resetServer } from './file-api.js';

skipWithoutChromium();

// the server is shared by every spec: start from the simulated array with no file open, and leave it so
test.beforeEach(resetServer);
test.afterEach(resetServer);

test('the page loads with no console errors and shows the live simulated array', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.camera-panel')).toHaveCount(8);
  await expect(page.locator('.state-pill')).toHaveText('simulation: running');
  await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${screenshotDir}/live-array.png` });
  expect(errors).toEqual([]);
});

test('the camera canvases show lit hexagonal pixels that change over time', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 20_000 });
  const first = await cameraCanvasStats(page);
  const firstEvent = await page.locator('.live-view').getAttribute('data-event-id');
  await expect.poll(async () => page.locator('.live-view').getAttribute('data-event-id'), { timeout: 10_000 }).not.toBe(firstEvent);
  await page.waitForTimeout(300);
  const second = await cameraCanvasStats(page);
  // triggered cameras have tens of thousands of lit screen pixels
  expect(Math.max(...first.map((s) => s.lit))).toBeGreaterThan(10_000);
  expect(Math.max(...second.map((s) => s.lit))).toBeGreaterThan(10_000);
  // and the images differ from one event to the next
  expect(second.map((s) => s.checksum)).not.toEqual(first.map((s) => s.checksum));
});

test('hover shows the pixel under the pointer', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 20_000 });
  const overlay = page.locator('.camera-panel[data-tel-id="1"] canvas.camera-overlay');
  const box = (await overlay.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = page.locator('.camera-panel[data-tel-id="1"] .camera-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toHaveText(/^pixel \d+: /);
});

test('keyboard: Space pauses and resumes the run; H toggles the Hillas overlay', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press(' ');
  await expect(page.locator('.state-pill')).toHaveText('simulation: paused');
  await page.keyboard.press(' ');
  await expect(page.locator('.state-pill')).toHaveText('simulation: running');
  await expect(page.locator('input.hillas')).toBeChecked();
  await page.keyboard.press('h');
  await expect(page.locator('input.hillas')).not.toBeChecked();
});

test('an API request round-trips over WebSocket, and a malformed message gets an error reply while the server keeps serving', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${E2E_PORT}/api`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const replies: { id: number; ok: boolean; error?: { code: string; message: string }; result?: unknown }[] = [];
  ws.on('message', (d: Buffer) => {
    const m = decodeFrame(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)) as { type: string };
    if (m.type === 'reply') replies.push(m as never);
  });
  const waitFor = (id: number) => expect.poll(() => replies.find((r) => r.id === id), { timeout: 10_000 }).toBeTruthy();
  ws.send(JSON.stringify({ type: 'request', id: 1, method: 'app.ping', params: { payload: 'e2e' } }));
  await waitFor(1);
  expect(replies.find((r) => r.id === 1)).toMatchObject({ ok: true, result: { pong: true, payload: 'e2e' } });
  ws.send('}}} not json');
  await waitFor(-1);
  expect(replies.find((r) => r.id === -1)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  ws.send(JSON.stringify({ type: 'request', id: 2, method: 'live.configure', params: { rateHz: 'fast' } }));
  await waitFor(2);
  expect(replies.find((r) => r.id === 2)?.error?.message).toMatch(/rateHz/);
  ws.send(JSON.stringify({ type: 'request', id: 3, method: 'instrument.subarray', params: {} }));
  await waitFor(3);
  expect(replies.find((r) => r.id === 3)).toMatchObject({ ok: true });
  ws.close();
});

test('keyboard: C switches to one colour scale for all cameras; E saves the camera under the pointer as PNG, Shift+E as SVG', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('c');
  await expect(page.locator('input.common-scale')).toBeChecked();
  await page.keyboard.press('g');
  await expect(page.locator('input.timing')).not.toBeChecked();
  await page.locator('.camera-panel[data-tel-id="1"] canvas.camera-overlay').hover();
  const [png] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('e')]);
  expect(png.suggestedFilename()).toMatch(/^Tel_1_LSTCam\.png$/);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Shift+E')]);
  expect(svg.suggestedFilename()).toMatch(/^Tel_1_LSTCam\.svg$/);
  const text = await (await import('node:fs/promises')).readFile((await svg.path())!, 'utf8');
  expect((text.match(/<polygon/g) ?? []).length).toBeGreaterThanOrEqual(1855);
});

test('← steps back through the newest live events and holds the view; Esc returns to the live stream', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(1000); // a few events in the ring
  const view = page.locator('.live-view');
  const banner = page.locator('.history-banner');
  await page.keyboard.press('ArrowLeft');
  await expect(banner).toHaveAttribute('data-back', '1');
  await page.keyboard.press('ArrowLeft');
  await expect(banner).toHaveAttribute('data-back', /^([2-9]|\d{2,})$/);
  const held = await view.getAttribute('data-event-id');
  const label = await banner.locator('.history-label').textContent();
  expect(label).toContain(`event ${held}`);
  // the view holds still while new events keep arriving (20 Hz)
  await page.waitForTimeout(800);
  expect(await view.getAttribute('data-event-id')).toBe(held);
  // one newer, then back to live
  await page.keyboard.press('ArrowRight');
  await expect(view).not.toHaveAttribute('data-event-id', held!);
  await page.screenshot({ path: `${screenshotDir}/live-history.png` });
  await page.keyboard.press('Escape');
  await expect(banner).toHaveCount(0);
  await expect(view).toHaveAttribute('data-held', 'false');
  const now = await view.getAttribute('data-event-id');
  await expect.poll(async () => view.getAttribute('data-event-id'), { timeout: 10_000 }).not.toBe(now);
  expect(errors).toEqual([]);
});
