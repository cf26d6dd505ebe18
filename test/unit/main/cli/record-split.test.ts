/**
 * `lightpool record --split S` writes a sequence of files, each closed (and
 * complete) after S seconds, so an unattended run that crashes loses at most
 * the last S seconds: every file PyTables opens is complete, together they
 * hold exactly the N events asked for, in stream order without gaps, and the
 * end message names the files.
 */
import { afterAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, LIGHTPOOL_BIN, type Emulator } from '../../../helpers/daq-emulator.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

describeWith([REF_PY], 'lightpool record --split', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-rec-split-'));
  let daq: Emulator | undefined;
  afterAll(async () => {
    await daq?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes complete files of at most S seconds holding exactly N events', async () => {
    daq = await startEmulator(['--sim', '--rate', '500', '--port', '0', '--quiet']);
    const N = 600;
    const stdout = execFileSync(
      process.execPath,
      [LIGHTPOOL_BIN, 'record', '--source', daq.url, '--out', join(dir, 'night.h5'), '--events', String(N), '--split', '0.3', '--quiet'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const files = readdirSync(dir).sort();
    expect(files.every((f) => /^night_\d{8}T\d{6}Z_\d{5}\.h5$/.test(f))).toBe(true);
    expect(files.length).toBeGreaterThan(1);
    expect(stdout).toMatch(
      new RegExp(
        `recorded ${N} events \\(\\d+ images, [\\d.]+ MB\\) in [\\d.]+ s to ${files.length} files ${join(dir, files[0]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} … ${files[files.length - 1].replace('.', '\\.')}`,
      ),
    );
    const ids = JSON.parse(
      execFileSync(
        REF_PY.path,
        [
          '-c',
          'import sys,json,tables\nids=[]\nfor p in sys.argv[1:]:\n  f=tables.open_file(p); ids+=f.root.dl1.event.subarray.trigger[:]["event_id"].tolist(); f.close()\nprint(json.dumps(ids))',
          ...files.map((f) => join(dir, f)),
        ],
        { encoding: 'utf8' },
      ),
    ) as number[];
    expect(ids.length).toBe(N);
    // the simulated emulator numbers its events 1, 2, 3 ...: a gap-free run
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => ids[0] + i));
  }, 90_000);
});
