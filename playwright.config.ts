import { defineConfig } from '@playwright/test';
import { mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Chromium, headless, with the flags this offline machine needs. */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
};

export const E2E_PORT = Number(process.env.LIGHTPOOL_E2E_PORT ?? 18431);

/**
 * The test server's data directories are the repository (the fixtures) and
 * this folder, where the tests write exports and recordings and make files
 * to open: serve refuses paths outside its data directories.
 */
export const E2E_DATA_DIR = join(realpathSync(tmpdir()), `lightpool-e2e-${E2E_PORT}`);
mkdirSync(E2E_DATA_DIR, { recursive: true });

export default defineConfig({
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  projects: [
    {
      name: 'chromium',
      testDir: 'test/e2e',
      use: { baseURL: `http://127.0.0.1:${E2E_PORT}`, viewport: { width: 1600, height: 900 }, launchOptions: chromiumLaunch },
    },
    { name: 'electron', testDir: 'test/electron' },
  ],
  webServer: {
    command: `node bin/lightpool.js serve --port ${E2E_PORT} --rate 20 --data-dir . --data-dir ${E2E_DATA_DIR}`,
    env: { LIGHTPOOL_LOG: 'warn' },
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    timeout: 30_000,
  },
});
