/**
 * The Monitor tab on a ZeroMQ DAQ stream: `lightpool daq --sim --zmq` in a
 * separate process; typing zmq+tcp://host:port in the connect field runs
 * the live source on it (state, counters, histograms as over TCP); killing
 * the emulator shows 'reconnecting' with the attempt and countdown, and
 * restarting it on the same port recovers the run without a click.
 * Screenshot: test/screenshots/monitor-zmq.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, screenshotDir, skipWithoutChromium } from './helpers.js';
import { resetServer } from './file-api.js';
import { freePort } from '../helpers/wait.js';
import { startEmulator, type Emulator } from '../helpers/daq-emulator.js';

skipWithoutChromium();

// the server is shared by every spec: start from the simulated array with no file open, and leave it so
test.beforeEach(resetServer);
test.afterEach(resetServer);

let emulator: Emulator | undefined;
test.afterAll(async () => {
  await emulator?.kill();
});

const num = async (page: Page, selector: string, attr: string) => Number(await page.locator(selector).getAttribute(attr));

test('monitor: connect to a ZeroMQ DAQ emulator from the connect field; survive it being killed and restarted', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const port = await freePort();
  const args = ['--sim', '--zmq', '--rate', '500', '--port', String(port), '--pool', '100', '--quiet'];
  emulator = await startEmulator(args);
  const url = `zmq+tcp://127.0.0.1:${port}`;
  expect(emulator.url).toBe(url);

  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await page.locator('button.tab[data-tab="monitor"]').click();
  const run = page.locator('.monitor-run');
  await run.locator('.monitor-url').fill(url);
  await run.locator('.monitor-connect').click();
  await expect(page.locator('.monitor-state')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  await expect(page.locator('.monitor-state')).toContainText(url);
  const received1 = await num(page, '.monitor-run', 'data-received');
  await expect.poll(async () => num(page, '.monitor-run', 'data-received'), { timeout: 10_000 }).toBeGreaterThan(received1 + 500);
  await expect.poll(async () => num(page, '.monitor-histograms', 'data-entries'), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(await num(page, '.monitor-run', 'data-missed')).toBe(0);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${screenshotDir}/monitor-zmq.png` });

  await emulator.kill();
  await expect(page.locator('.monitor-state')).toHaveAttribute('data-state', 'reconnecting', { timeout: 10_000 });
  await expect(page.locator('.monitor-state')).toContainText(/attempt \d+/);
  await expect(page.locator('.monitor-state')).toContainText(/next try in \d+\.\d s/);
  await expect(page.locator('.monitor-alarm[data-kind="source-disconnected"]')).toBeVisible({ timeout: 10_000 });
  const receivedAtLoss = await num(page, '.monitor-run', 'data-received');

  emulator = await startEmulator(args);
  await expect(page.locator('.monitor-state')).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect.poll(async () => num(page, '.monitor-run', 'data-received'), { timeout: 10_000 }).toBeGreaterThan(receivedAtLoss);

  // a source typed but not yet connected stays typed: neither Disconnect's reply nor the status
  // stream's ticks (2 a second, carrying the connected URL) overwrite it once the field lost the focus
  const next = 'zmq+tcp://127.0.0.1:1';
  await run.locator('.monitor-url').fill(next);
  await run.locator('.monitor-disconnect').click();
  await expect(page.locator('.monitor-state')).toHaveAttribute('data-state', 'stopped', { timeout: 10_000 });
  await page.waitForTimeout(1500);
  await expect(run.locator('.monitor-url')).toHaveValue(next);
  expect(errors).toEqual([]);
});
