import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { collectErrors, overlayStats, screenshotDir, skipWithoutChromium } from './helpers.js';

skipWithoutChromium();

/** Starts a process and resolves with the URL it prints ("serving at URL"). */
function startAndReadUrl(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], out: () => out });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${out}`)));
  });
}

test('with a token set, a tokenless WebSocket connection and page load are refused; the tokened URL works', async ({ page }) => {
  const { child, url } = await startAndReadUrl(process.execPath, ['bin/lightpool.js', 'serve', '--port', '0', '--token', 'e2e-secret-token-16', '--rate', '5']);
  try {
    const u = new URL(url);
    expect(u.searchParams.get('token')).toBe('e2e-secret-token-16');
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${u.host}/api`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('error', () => resolve(-1));
    });
    expect(status).toBe(401);
    const refused = await page.goto(`http://${u.host}/`);
    expect(refused?.status()).toBe(401);
    await page.goto(url);
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'open');
  } finally {
    child.kill('SIGTERM');
  }
});

test('`npm start` without the Electron binary says so, falls back to serve mode, and shows hexagonal cameras with shower ellipses', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const { child, url, out } = await startAndReadUrl(process.execPath, ['scripts/start.mjs'], {
    PORT: '0',
    LIGHTPOOL_NO_BROWSER: '1',
    ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron',
  });
  try {
    expect(out()).toMatch(/Electron binary is not installed.*serve mode.*npm run install-electron/s);
    await page.goto(url);
    await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 30_000 });
    // wait until an event with large images is on screen, so the ellipses are visible
    await expect.poll(async () => Math.max(...(await overlayStats(page))), { timeout: 30_000 }).toBeGreaterThan(150);
    await page.screenshot({ path: `${screenshotDir}/npm-start-serve-mode.png` });
    expect(errors).toEqual([]);
  } finally {
    child.kill('SIGTERM');
  }
});
