/**
 * The event view of a large array (issue 15, item 4): `lightpool serve
 * --layout cta-south` simulates 55 telescopes (4 LST + 14 MST + 37 SST). The
 * view shows only the triggered telescopes of the event (checked against the
 * event the backend kept in its ring), says how many of how many, shows all
 * on A, focuses a tile on a click (] steps, Esc returns), and saves
 * docs/screenshot-large-array.png. Runs its own serve on a free port (the
 * shared test server is left alone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TestClient } from '../helpers/ws-client.js';
import { collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';

skipWithoutChromium();

const N_TELESCOPES = 55;

interface RingEvent {
  eventId: number;
  telescopes: { telId: number }[];
}

let child: ChildProcess | undefined;
let url = '';
let client: TestClient;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  child = spawn(process.execPath, ['bin/lightpool.js', 'serve', '--port', '0', '--layout', 'cta-south', '--rate', '10'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LIGHTPOOL_LOG: 'warn' },
  });
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${out}`)), 30_000);
    child!.stdout!.on('data', (d) => {
      out += d;
      const m = /serving at (\S+)/.exec(out);
      if (m && /Data directories/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child!.stderr!.on('data', (d) => (out += d));
    child!.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  client = await TestClient.connect(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}/api`);
});

test.afterAll(() => {
  client?.close();
  child?.kill();
});

const shownTelIds = (page: Page) =>
  page.$$eval('.camera-area .camera-panel:not(.tile-hidden)', (els) => els.map((e) => Number((e as HTMLElement).dataset.telId)));

/** Pauses the run on an event seen by at least `min` telescopes, once the view shows it; returns that event. */
async function pauseOnEvent(page: Page, min: number): Promise<RingEvent> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const newest = await client.call<{ event?: RingEvent }>('live.ring', { offset: 0 });
    if (newest.event && newest.event.telescopes.length >= min) {
      await client.call('live.control', { action: 'pause' });
      // the newest event once paused (one may have come in meanwhile), and the view showing it
      let event: RingEvent | undefined;
      await expect
        .poll(
          async () => {
            event = (await client.call<{ event?: RingEvent }>('live.ring', { offset: 0 })).event;
            return (await page.locator('.live-view').getAttribute('data-event-id')) === String(event?.eventId);
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      if (event!.telescopes.length >= min) return event!;
      await client.call('live.control', { action: 'resume' });
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no event with ${min} or more telescopes in 240 tries`);
}

/** Screen boxes of the shown tiles: none may overlap another. */
async function expectNoOverlap(tiles: Locator): Promise<void> {
  const boxes = await tiles.evaluateAll((els) =>
    els.map((e) => e.getBoundingClientRect().toJSON() as { left: number; right: number; top: number; bottom: number }),
  );
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      expect(overlap, `tiles ${i} and ${j} overlap`).toBe(false);
    }
}

test('a 55-telescope event: the triggered tiles only, sized to the space; A shows all; a click focuses a tile', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await page.goto(url);
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.camera-panel')).toHaveCount(N_TELESCOPES);
  const event = await pauseOnEvent(page, 6);
  const triggered = event.telescopes.map((t) => t.telId).sort((a, b) => a - b);

  // only the triggered telescopes, each with its image, and the count
  expect(await shownTelIds(page)).toEqual(triggered);
  await expect(page.locator('.tiles-count')).toHaveText(`${triggered.length} of ${N_TELESCOPES} triggered`);
  await expect(page.locator('input.all-telescopes')).not.toBeChecked();
  const shown = page.locator('.camera-area .camera-panel:not(.tile-hidden)');
  await expect(shown.and(page.locator('.not-triggered'))).toHaveCount(0);
  await expectNoOverlap(shown);
  // sized to the space: the tiles together cover most of the camera area
  const area = (await page.locator('.camera-area').boundingBox())!;
  const boxes = await shown.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { width: number; height: number }));
  const covered = boxes.reduce((s, b) => s + b.width * b.height, 0);
  expect(covered / (area.width * area.height)).toBeGreaterThan(0.5);
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/screenshot-large-array.png' });

  // re-laid out on resize: a tall narrow window gets fewer columns, the tiles still fill it without overlapping
  const columns = () => page.locator('.camera-grid').evaluate((g) => Number((g as HTMLElement).style.getPropertyValue('--columns')));
  const wide = await columns();
  await page.setViewportSize({ width: 900, height: 1400 });
  await expect.poll(columns).toBeLessThan(wide);
  await expectNoOverlap(shown);
  await page.setViewportSize({ width: 1600, height: 900 });
  await expect.poll(columns).toBe(wide);

  // A: every telescope, small tiles with the compact colour bar, none overlapping
  await page.keyboard.press('a');
  await expect(page.locator('input.all-telescopes')).toBeChecked();
  await expect(shown).toHaveCount(N_TELESCOPES);
  await expect(page.locator('.camera-area .camera-panel.compact')).toHaveCount(N_TELESCOPES);
  await expect(page.locator('.tiles-count')).toHaveText(`${triggered.length} of ${N_TELESCOPES} triggered`);
  await expectNoOverlap(shown);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshotDir}/large-array-all.png` });
  // the toggle brings the triggered ones back
  await page.locator('input.all-telescopes').uncheck();
  expect(await shownTelIds(page)).toEqual(triggered);

  // a click on a tile's title focuses it: large, with the full colour bar, the others as a strip
  const second = triggered[1];
  await page.locator(`.camera-panel[data-tel-id="${second}"] .camera-title .title`).click();
  const area2 = page.locator('.camera-area');
  await expect(area2).toHaveAttribute('data-focused', String(second));
  const focused = page.locator(`.focus-slot > .camera-panel[data-tel-id="${second}"]`);
  await expect(focused).toBeVisible();
  await expect(focused).not.toHaveClass(/compact/);
  const fbox = (await focused.boundingBox())!;
  expect(fbox.width).toBeGreaterThan(area.width * 0.6);
  expect(fbox.height).toBeGreaterThan(area.height * 0.5);
  await expect(page.locator('.camera-grid > .camera-panel:not(.tile-hidden)')).toHaveCount(triggered.length - 1);
  await expectNoOverlap(shown);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshotDir}/large-array-focus.png` });
  // ] and [ step between the tiles; Esc returns to the grid
  await page.keyboard.press(']');
  await expect(area2).toHaveAttribute('data-focused', String(triggered[2 % triggered.length]));
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await expect(area2).toHaveAttribute('data-focused', String(triggered[0]));
  await page.keyboard.press('Escape');
  await expect(area2).toHaveAttribute('data-focused', '');
  expect(await shownTelIds(page)).toEqual(triggered);
  // a click on a tile's image focuses it too
  const third = page.locator(`.camera-panel[data-tel-id="${triggered[2]}"] canvas.camera-overlay`);
  const b3 = (await third.boundingBox())!;
  await page.mouse.click(b3.x + b3.width / 2, b3.y + b3.height / 2);
  await expect(area2).toHaveAttribute('data-focused', String(triggered[2]));
  await page.keyboard.press('Escape');
  await expect(area2).toHaveAttribute('data-focused', '');
  expect(errors).toEqual([]);
});
