/**
 * `lightpool daq --replay` when the file gives nothing or stops early: a
 * calibration-only sim_telarray file has no array events to replay (said,
 * exit 1); a file cut short sends its complete events, says where it
 * stopped, exit 1; `--sim` with `--replay` says to choose one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIGHTPOOL_BIN } from '../../../helpers/daq-emulator.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));

function daq(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LIGHTPOOL_BIN, 'daq', '--port', '0', '--quiet', ...args], { timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('lightpool daq --replay: nothing to send, or a file cut short', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-daq-exit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a calibration-only file: nothing to replay, exit 1', async () => {
    const file = join(FIXTURES, 'calib_events.simtel.gz');
    const r = await daq(['--replay', file]);
    expect(r.stdout).toContain('sent 0 events; stopping');
    expect(r.stderr).toContain(`nothing to replay: ${file} has no array events`);
    expect(r.code).toBe(1);
  }, 150_000);

  it('a truncated file: its complete event is sent, then where it stopped, exit 1', async () => {
    const cut = join(dir, 'cut.simtel.zst');
    writeFileSync(cut, readFileSync(join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst')).subarray(0, 400_000));
    const r = await daq(['--replay', cut, '--no-loop', '--rate', '50']);
    expect(r.stdout).toContain('sent 1 event; stopping');
    expect(r.stderr).toMatch(new RegExp(`replay stopped: .*cut\\.simtel\\.zst: truncated after event 1`));
    expect(r.code).toBe(1);
  }, 150_000);

  it('--sim with --replay: choose one', async () => {
    const r = await daq(['--sim', '--replay', join(FIXTURES, 'calib_events.simtel.gz')]);
    expect(r.stderr).toContain('choose one source of events: --sim or --replay FILE, not both');
    expect(r.code).toBe(1);
  }, 150_000);
});
