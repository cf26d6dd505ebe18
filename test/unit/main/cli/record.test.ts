/**
 * Acceptance: `lightpool daq --replay` serves a DL1 file's events as a
 * separate process, over TCP and over ZeroMQ (--zmq, zmq+tcp://),
 * `lightpool record --events N` records them; PyTables reads back exactly N
 * events whose images and peak times are identical (bit for bit) to those
 * in the replayed file (what the emulator sent), in order.
 * N crosses the end of the file, so the replay loops (obs_id + 1).
 */
import { afterAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../../../helpers/daq-emulator.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const SAMPLE = fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));

const COMPARE = `
import sys, json, tables, numpy as np
rec = tables.open_file(sys.argv[1]); src = tables.open_file(sys.argv[2])
trig = rec.root.dl1.event.subarray.trigger[:]
out = {"n": len(trig), "obs": sorted(set(trig["obs_id"].tolist())), "images": 0, "mismatch": [], "missing": []}
src_obs = int(src.root.dl1.event.subarray.trigger[0]["obs_id"])
for t in rec.root.dl1.event.telescope.images:
    s = src.get_node("/dl1/event/telescope/images/" + t.name)[:]
    index = {int(e): i for i, e in enumerate(s["event_id"])}
    for r in t[:]:
        out["images"] += 1
        i = index.get(int(r["event_id"]))
        if i is None:
            out["missing"].append([t.name, int(r["event_id"])]); continue
        if not (np.array_equal(r["image"].view(np.uint32), s[i]["image"].view(np.uint32)) and np.array_equal(r["peak_time"].view(np.uint32), s[i]["peak_time"].view(np.uint32))):
            out["mismatch"].append([t.name, int(r["event_id"])])
# the recorded events are the file's events in order, looping
ev = src.root.dl1.event.subarray.trigger[:]["event_id"].tolist()
out["order_ok"] = trig["event_id"].tolist() == [ev[(k + ev.index(int(trig["event_id"][0]))) % len(ev)] for k in range(len(trig))]
print(json.dumps(out))
`;

/** records N events from `url` and checks them against the replayed file with PyTables */
function recordAndCompare(url: string, out: string, N: number): void {
  const stdout = execFileSync(process.execPath, [CLI, 'record', '--source', url, '--out', out, '--events', String(N), '--quiet'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(stdout).toMatch(new RegExp(`recorded ${N} events`));
  const r = JSON.parse(execFileSync(REF_PY.path, ['-c', COMPARE, out, SAMPLE], { encoding: 'utf8' }));
  expect(r.n).toBe(N);
  expect(r.missing).toEqual([]);
  expect(r.mismatch).toEqual([]);
  expect(r.images).toBeGreaterThan(N);
  expect(r.order_ok).toBe(true);
}

describeWith([REF_PY], 'lightpool daq + lightpool record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-record-'));
  const emulators: Emulator[] = [];
  afterAll(async () => {
    for (const e of emulators) await e.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('records exactly N events with the images that were sent', async () => {
    const daq = await startEmulator(['--replay', SAMPLE, '--rate', '400', '--port', '0', '--quiet']);
    emulators.push(daq);
    expect(daq.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const out = join(dir, 'run.h5');
    recordAndCompare(daq.url, out, 150);
    // refuses to overwrite without being told
    expect(() =>
      execFileSync(process.execPath, [CLI, 'record', '--source', daq.url, '--out', out, '--events', '1'], { encoding: 'utf8', stdio: 'pipe' }),
    ).toThrow(/exists already; choose another --out or add --overwrite/);
  }, 120_000);

  it('records exactly N events over ZeroMQ with the images that were sent', async () => {
    const daq = await startEmulator(['--replay', SAMPLE, '--zmq', '--rate', '400', '--port', '0', '--quiet']);
    emulators.push(daq);
    expect(daq.url).toMatch(/^zmq\+tcp:\/\/127\.0\.0\.1:\d+$/);
    recordAndCompare(daq.url, join(dir, 'run-zmq.h5'), 150);
  }, 120_000);
});
