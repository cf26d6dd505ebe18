/**
 * `lightpool record --out FILE` (one file) when the DAQ comes back with
 * another subarray: one file cannot hold two subarrays, so the recording
 * stops with an error that says so (exit code 1), and the file holds the
 * events recorded before, complete and under their own telescopes.
 */
import { afterAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIGHTPOOL_BIN, startEmulator, type Emulator } from '../../../helpers/daq-emulator.js';
import { freePort, until } from '../../../helpers/wait.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const SAMPLE = fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));

describeWith([REF_PY], 'lightpool record --out across a subarray change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-record-sub-'));
  const emulators: Emulator[] = [];
  afterAll(async () => {
    for (const e of emulators) await e.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with an error naming the change, leaving a complete file of the events before it', async () => {
    const port = await freePort();
    const sim = await startEmulator(['--sim', '--rate', '300', '--port', String(port), '--quiet']);
    emulators.push(sim);
    const out = join(dir, 'run.h5');
    const record = spawn(process.execPath, [LIGHTPOOL_BIN, 'record', '--source', `tcp://127.0.0.1:${port}`, '--out', out, '--events', '1000000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    record.stdout.on('data', (d: Buffer) => (output += d.toString()));
    record.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => record.once('exit', (code) => resolve(code)));
    // its progress lines ("recording …: N events …") say when enough are in
    const recorded = () => Math.max(0, ...[...output.matchAll(/: (\d+)(?: of \d+)? events/g)].map((m) => Number(m[1])));
    await until(() => recorded() >= 200, 30_000, `200 events recorded (${output})`);
    await sim.kill();
    // the same address, another array: the sample file's 15 telescopes
    emulators.push(await startEmulator(['--replay', SAMPLE, '--rate', '300', '--port', String(port), '--quiet']));
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running after 20 s'), 20_000))]);
    if (code === 'still running after 20 s') record.kill('SIGKILL');
    expect(code, output).toBe(1);
    expect(output).toMatch(
      /another subarray \(telescopes [\d,]+ instead of 1,2,3,4,5,6,7,8\) after \d+ events; .*run\.h5 holds those, complete; record with --split S/,
    );
    const r = JSON.parse(
      execFileSync(
        REF_PY.path,
        [
          '-c',
          'import sys,json,tables\nf=tables.open_file(sys.argv[1])\nprint(json.dumps({"n": len(f.root.dl1.event.subarray.trigger), "layout": sorted(int(x) for x in f.root.configuration.instrument.subarray.layout.col("tel_id")), "tels": sorted(t.name for t in f.root.dl1.event.telescope.images)}))',
          out,
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(r.n).toBeGreaterThan(100);
    expect(r.layout).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const t of r.tels) expect(Number(t.slice(4))).toBeLessThanOrEqual(8);
  }, 60_000);
});
