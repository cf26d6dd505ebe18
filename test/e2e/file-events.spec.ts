/**
 * DL1 files in the Event tab, through the UI as a user does it: Open… with a
 * path, the event view switches to the file (15 cameras from the file's
 * subarray, the triggered ones equal to what PyTables reads for event 0),
 * keyboard stepping (→ ← N P Home End, J jump by event id), B bookmarks, the
 * export dialog writing 3 bookmarked events that PyTables reads back, and
 * the way back to the live array.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openOnServer, resetServer } from './file-api.js';
import { collectErrors, overlayStats, screenshotDir, skipWithoutChromium, skipWithoutPython, referencePython, openFromList, e2eTempDir } from './helpers.js';

// every test here drives the page: without Chromium the whole file is skipped, before a browser is launched
skipWithoutChromium();

// the server is shared by every spec: start and leave it with no file open
test.beforeEach(resetServer);
test.afterEach(resetServer);

const DL1 = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');

interface PyTrigger {
  obs_id: number[];
  event_id: number[];
  triggered0: number[];
}

function pythonTrigger(): PyTrigger {
  const script = `
import json, sys, tables
with tables.open_file(sys.argv[1]) as f:
    trig = f.root.dl1.event.subarray.trigger
    tel_ids = sorted(int(t) for t in f.root.configuration.instrument.subarray.layout.col("tel_id"))
    mask = trig[0]["tels_with_trigger"]
    print(json.dumps({"obs_id": [int(v) for v in trig.col("obs_id")], "event_id": [int(v) for v in trig.col("event_id")],
                      "triggered0": [tel_ids[i] for i, v in enumerate(mask) if v]}))`;
  return JSON.parse(execFileSync(referencePython().path, ['-c', script, DL1], { encoding: 'utf8' })) as PyTrigger;
}

/** Open… in serve mode: the data directories' list, folder by folder (helpers.ts) */
const openFile = openFromList;

const banner = (page: Page) => page.locator('.file-banner');

test('a DL1 file opened through the UI replaces the live stream; keyboard stepping; export of bookmarked events', async ({ page }) => {
  skipWithoutPython();
  const errors = collectErrors(page);
  const ref = pythonTrigger();
  const out = e2eTempDir('export-');
  try {
    await page.goto('/');
    await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('.camera-panel')).toHaveCount(8);

    await openFile(page, DL1);
    await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'event');
    await expect(banner(page)).toHaveAttribute('data-event-id', String(ref.event_id[0]), { timeout: 20_000 });
    await expect(banner(page).locator('.file-label')).toHaveText(
      `file: dl1_sample_120.blosc.h5 · event 1 / 120 · obs_id ${ref.obs_id[0]} / event_id ${ref.event_id[0]}`,
    );
    await expect(page.locator('.camera-panel')).toHaveCount(15);
    // the cameras shown as triggered are exactly the file's triggered telescopes of event 0
    const triggered = await page.$$eval('.camera-panel:not(.not-triggered)', (els) => els.map((e) => Number((e as HTMLElement).dataset.telId)));
    expect(triggered).toEqual(ref.triggered0);
    await page.waitForTimeout(400);
    // Hillas ellipses are drawn on cameras with stored parameters
    expect(Math.max(...(await overlayStats(page)))).toBeGreaterThan(20);
    // the live stream no longer replaces the file's event
    await page.waitForTimeout(500);
    await expect(banner(page)).toHaveAttribute('data-index', '0');
    await expect(page.locator('.live-view')).toHaveAttribute('data-event-id', String(ref.event_id[0]));
    await page.screenshot({ path: `${screenshotDir}/file-events-dl1.png` });
    expect(errors, 'after opening').toEqual([]);

    const index = () => banner(page).getAttribute('data-index');
    const atEvent = async (i: number) => {
      await expect(banner(page)).toHaveAttribute('data-index', String(i));
      await expect(banner(page)).toHaveAttribute('data-event-id', String(ref.event_id[i]));
    };
    await page.keyboard.press('ArrowRight');
    await atEvent(1);
    await page.keyboard.press('n');
    await atEvent(2);
    await page.keyboard.press('ArrowLeft');
    await atEvent(1);
    await page.keyboard.press('p');
    await atEvent(0);
    await page.keyboard.press('ArrowLeft'); // stays at the first event
    await atEvent(0);
    await page.keyboard.press('End');
    await atEvent(119);
    await page.keyboard.press('Home');
    await atEvent(0);
    expect(await index()).toBe('0');
    // J: jump by event id
    await page.keyboard.press('j');
    await expect(page.locator('.file-banner .jump-value')).toBeFocused();
    await page.locator('.file-banner .jump-kind').selectOption('event');
    await page.locator('.file-banner .jump-value').fill(String(ref.event_id[42]));
    await page.locator('.file-banner .jump-value').press('Enter');
    await atEvent(42);
    const triggered42 = await page.$$eval('.camera-panel:not(.not-triggered)', (els) => els.length);
    expect(triggered42).toBeGreaterThan(0);

    // the Array 3D tab follows the Event tab's file position, and steps it
    await page.locator('.tab[data-tab="array3d"]').click();
    await expect(page.locator('.array3d-view')).toHaveAttribute('data-mode', 'file', { timeout: 20_000 });
    await expect(page.locator('.array3d-pos')).toHaveText(' 42 / 120 ');
    await page.locator('.array3d-stage').click();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('.array3d-pos')).toHaveText(' 43 / 120 ');
    await page.locator('.tab[data-tab="event"]').click();
    await atEvent(43);

    // bookmark events 0, 1 and 2 with B, then export them with the dialog
    await page.keyboard.press('Home');
    await atEvent(0);
    await page.keyboard.press('b');
    await page.keyboard.press('ArrowRight');
    await atEvent(1);
    await page.keyboard.press('b');
    await page.keyboard.press('ArrowRight');
    await atEvent(2);
    await page.keyboard.press('b');
    await expect(banner(page).locator('.file-label')).toContainText('3 bookmarked');
    await banner(page).locator('.export').click();
    const dialog = page.locator('.export-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('input[value=bookmarks]')).toBeChecked();
    // a folder that does not exist gives a clear error
    await dialog.locator('.export-out').fill(join(out, 'missing', 'x.h5'));
    await dialog.locator('.export-start').click();
    await expect(dialog.locator('.export-message')).toContainText('does not exist');
    const target = join(out, 'three-bookmarked.h5');
    await dialog.locator('.export-out').fill(target);
    await dialog.locator('.export-start').click();
    await expect(dialog.locator('.export-message')).toContainText('Wrote 3 events', { timeout: 30_000 });
    await expect(dialog.locator('progress')).toHaveJSProperty('value', 1);
    await page.screenshot({ path: `${screenshotDir}/file-events-export-dialog.png` });
    const back = JSON.parse(
      execFileSync(
        referencePython().path,
        [
          '-c',
          `
import json, sys, tables
with tables.open_file(sys.argv[1]) as f:
    t = f.root.dl1.event.subarray.trigger
    print(json.dumps({"event_id": [int(v) for v in t.col("event_id")], "n_images_tel1": len(f.root.dl1.event.telescope.images.tel_001)}))`,
          target,
        ],
        { encoding: 'utf8' },
      ),
    ) as { event_id: number[] };

    skipWithoutChromium();
    expect(back.event_id).toEqual(ref.event_id.slice(0, 3));
    // exporting again to the same name is refused unless "overwrite" is ticked
    await dialog.locator('.export-start').click();
    await expect(dialog.locator('.export-message')).toContainText('exists already');
    await dialog.locator('.export-close').click();
    await expect(dialog).toBeHidden();

    expect(errors, 'before going back to live').toEqual([]);
    // back to the live array
    await banner(page).locator('.back-live').click();
    await expect(page.locator('.camera-panel')).toHaveCount(8);
    await expect(banner(page)).toHaveCount(0);
    await expect(page.locator('.live-view[data-event-id]')).toBeVisible({ timeout: 20_000 });
    expect(errors).toEqual([]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('in serve mode a file opened in another window is listed in the Browser but does not take over the live display', async ({ browser }) => {
  const shifter = await browser.newPage();
  const expert = await browser.newPage();
  try {
    for (const p of [shifter, expert]) {
      await p.goto('/');
      await expect(p.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
    }
    await openFile(expert, DL1);
    // the shifter is told about the file (an info notice, shown for 6 s) …
    await expect(shifter.locator('.notice').filter({ hasText: 'dl1_sample_120.blosc.h5' })).toHaveCount(1);
    await expect(banner(expert)).toHaveAttribute('data-index', '0', { timeout: 20_000 });
    await expect(expert.locator('.camera-panel')).toHaveCount(15);
    // … and keeps the live array
    await expect(shifter.locator('.tab.active')).toHaveAttribute('data-tab', 'event');
    await expect(shifter.locator('.camera-panel')).toHaveCount(8);
    await expect(banner(shifter)).toHaveCount(0);
    await shifter.locator('.tab[data-tab=browser]').click();
    await expect(shifter.locator('.browser-files option')).toHaveText(['dl1_sample_120.blosc.h5']);
    // … and can choose to step through it
    await shifter.locator('.browser-events').click();
    await expect(shifter.locator('.tab.active')).toHaveAttribute('data-tab', 'event');
    await expect(banner(shifter)).toHaveAttribute('data-index', '0', { timeout: 20_000 });
    await expect(shifter.locator('.camera-panel')).toHaveCount(15);
  } finally {
    await shifter.close();
    await expert.close();
  }
});

test('files open before the window connects (lightpool serve FILE) are shown when it loads', async ({ page }) => {
  await openOnServer(DL1);
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.tab.active')).toHaveAttribute('data-tab', 'event');
  await expect(banner(page)).toHaveAttribute('data-index', '0', { timeout: 20_000 });
  await expect(page.locator('.camera-panel')).toHaveCount(15);
});
