import { test, expect, _electron as electron } from '@playwright/test';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper without types
import { electronBinary } from '../../scripts/electron-binary.mjs';

const found = electronBinary(process.cwd()) as { ok: boolean; binary?: string; why?: string };
if (!found.ok)
  console.log(
    `Electron tests SKIPPED: the Electron binary is not installed (${found.why}); run \`npm run install-electron\` where its release host is reachable.`,
  );

test('the desktop app opens its window on the simulated array, with a sandboxed renderer', async () => {
  test.skip(!found.ok, `Electron binary not installed (${found.why}); run \`npm run install-electron\` where its release host is reachable`);
  const app = await electron.launch({ executablePath: found.binary, args: [join(process.cwd())] });
  try {
    const window = await app.firstWindow();
    await expect(window.locator('body[data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    await expect(window.locator('.camera-panel')).toHaveCount(8);
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((globalThis as { lightpool?: object }).lightpool ?? {}).sort())).toEqual([
      'connect',
      'pathForFile',
      'platform',
    ]);
    await window.screenshot({ path: 'test/screenshots/electron-window.png' });
  } finally {
    await app.close();
  }
});
