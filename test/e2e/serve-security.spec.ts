/**
 * Serve mode against hostile input, in Chromium (issue 12):
 * - a DAQ that announces a telescope type carrying HTML: the array layout's
 *   legend shows it as text (it was inserted with innerHTML; only the CSP
 *   stopped its script), and nothing of it becomes an element;
 * - a viewer with the view token sees no control that its role may not use
 *   (Open…, run control, connect/simulate/record, export, alarm thresholds),
 *   while the control token's page has them.
 * Each test runs its own `lightpool serve` (the shared test server is left
 * alone) on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import { encodeDaqFrame } from '../../src-main/daq/protocol/daq-protocol.js';
import { TestClient } from '../helpers/ws-client.js';
import { skipWithoutChromium, collectErrors, screenshotDir } from './helpers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

function startServe(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, ['bin/lightpool.js', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving at (\S+)/.exec(out);
      if (m && /Data directories/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1], out: () => out });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${out}`)));
  });
}

const HOSTILE_TYPE = '<img src=x onerror="document.body.dataset.pwned=1"><b class="injected">LST</b>';

/** A DAQ that announces a subarray with HTML in its telescope types and names, then sends heartbeats. */
async function hostileDaq(): Promise<{ server: Server; port: number }> {
  const subarray = {
    name: '<i class="injected">evil array</i>',
    pointing: { alt: 70, az: 0 },
    telescopes: [
      { telId: 1, type: HOSTILE_TYPE, camera: 'LSTCam', focalLength: 28, position: [-70, -52, 0] as [number, number, number] },
      { telId: 2, type: 'MST_MST_NectarCam', camera: 'NectarCam', focalLength: 16, position: [70, 52, 0] as [number, number, number] },
    ],
  };
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.write(encodeDaqFrame({ type: 'subarray', obsId: 1, eventId: 0, time: Date.now() / 1000, subarray }));
    const beat = setInterval(() => s.write(encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: Date.now() / 1000 })), 500);
    s.on('close', () => clearInterval(beat));
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

test('a telescope type with HTML from a DAQ is shown as text in the array legend', async ({ page }) => {
  const errors = collectErrors(page);
  const daq = await hostileDaq();
  const { child, url } = await startServe(['--no-sim']);
  try {
    const port = new URL(url).port;
    await page.goto(url);
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/api`);
    try {
      await client.call('live.connect', { url: `tcp://127.0.0.1:${daq.port}` });
    } finally {
      client.close();
    }
    const legend = page.locator('.array-legend');
    await expect(legend).toContainText(HOSTILE_TYPE, { timeout: 20_000 });
    await expect(legend).toContainText('MST_MST_NectarCam');
    // nothing of the announcement became markup, anywhere in the page
    expect(await page.locator('.array-legend img, .array-legend b').count()).toBe(0);
    expect(await page.locator('.injected').count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    await legend.screenshot({ path: `${screenshotDir}/hostile-daq-legend.png` });
    expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
  } finally {
    child.kill('SIGTERM');
    daq.server.close();
  }
});

test('a view-token page shows no controls its role may not use; the control token has them', async ({ browser }) => {
  const { child, url, out } = await startServe(['--no-sim', '--token', 'e2e-control-token-0123', '--view-token', 'e2e-view-token-456789']);
  try {
    const viewUrl = /Read-only viewers: (\S+)/.exec(out())![1];
    const control = [
      '.open-toggle',
      '.run-control [data-action="start"]',
      '.run-control .rate',
      '.monitor-connect',
      '.monitor-simulate',
      '.monitor-record',
      '.monitor-thresholds',
      '.monitor-pixmap-reset',
    ];
    for (const [which, address, visible] of [
      ['view', viewUrl, false],
      ['control', url, true],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(address);
      await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
      await expect(page.locator('body')).toHaveAttribute('data-role', which);
      await page.locator('.tab[data-tab="monitor"]').click();
      for (const sel of control) {
        if (visible) await expect(page.locator(sel).first(), `${which}: ${sel}`).toBeVisible();
        else await expect(page.locator(sel).first(), `${which}: ${sel}`).toBeHidden();
      }
      if (!visible) await page.screenshot({ path: `${screenshotDir}/view-role-monitor.png` });
      await context.close();
    }
  } finally {
    child.kill('SIGTERM');
  }
});
