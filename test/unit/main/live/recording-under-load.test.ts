/**
 * Recording never loses an event it was asked to record, even when the
 * backend cannot keep up: `lightpool daq --replay` serves the sample DL1
 * file's events from a separate process; a DaqSource with a tiny processing
 * queue records them (wired as the live service does it: the reading thread
 * sends every event to the record worker) while this thread is blocked for
 * seconds at a time, so the reading thread drops events for processing.
 * PyTables reads back exactly every event received — a gap-free run of the
 * replayed sequence, as many as the source counted — with images and peak
 * times identical bit for bit to the file the emulator replayed, and the
 * drop counters show events were dropped from processing meanwhile. The
 * same through the live service's API (live.connect, live.record.start/stop),
 * as the UI's Record toggle does it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaqSource } from '../../../../src-main/live/sources/daq-source.js';
import { LiveRecorder } from '../../../../src-main/live/live-recorder.js';
import { WorkerPool } from '../../../../src-main/pool/worker-pool.js';
import { LiveService } from '../../../../src-main/live/live-service.js';
import { SimulationSource } from '../../../../src-main/live/sources/simulation-source.js';
import { until } from '../../../helpers/wait.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const SAMPLE = fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));

/** the recorded files against the replayed file: counts, order (no gaps) and bit-identical images */
const COMPARE = `
import sys, json, tables, numpy as np
src = tables.open_file(sys.argv[1])
files = sys.argv[2:]
ev = src.root.dl1.event.subarray.trigger[:]["event_id"].tolist()
tables_src = {t.name: t[:] for t in src.root.dl1.event.telescope.images}
index = {name: {int(e): i for i, e in enumerate(t["event_id"])} for name, t in tables_src.items()}
seq = []
out = {"images": 0, "mismatch": [], "missing": [], "files": len(files)}
for p in files:
    f = tables.open_file(p)
    trig = f.root.dl1.event.subarray.trigger[:]
    seq += list(zip(trig["obs_id"].tolist(), trig["event_id"].tolist()))
    for t in f.root.dl1.event.telescope.images:
        s = tables_src[t.name]
        for r in t[:]:
            out["images"] += 1
            i = index[t.name].get(int(r["event_id"]))
            if i is None:
                out["missing"].append([t.name, int(r["event_id"])]); continue
            if not (np.array_equal(r["image"].view(np.uint32), s[i]["image"].view(np.uint32)) and np.array_equal(r["peak_time"].view(np.uint32), s[i]["peak_time"].view(np.uint32))):
                out["mismatch"].append([t.name, int(r["event_id"])])
    f.close()
out["n"] = len(seq)
# the replay sends the file's events in order, looping with obs_id + 1: the recording must be a gap-free run of that sequence
k0 = ev.index(seq[0][1])
expected = [(seq[0][0] + (k0 + k) // len(ev), ev[(k0 + k) % len(ev)]) for k in range(len(seq))]
out["gapless"] = seq == expected
print(json.dumps(out))
`;

function busyWait(ms: number): void {
  const t = Date.now();
  while (Date.now() - t < ms) {
    /* the main thread is busy: the reading thread's queue to it fills */
  }
}

function compare(files: string[]): { n: number; images: number; missing: unknown[]; mismatch: unknown[]; gapless: boolean } {
  return JSON.parse(execFileSync(REF_PY.path, ['-c', COMPARE, SAMPLE, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

describeWith([REF_PY], 'recording while the backend cannot keep up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-rec-load-'));
  const children: ChildProcess[] = [];
  let pool: WorkerPool;
  let url = '';
  beforeAll(async () => {
    const daq = spawn(process.execPath, [CLI, 'daq', '--replay', SAMPLE, '--rate', '1000', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(daq);
    url = await new Promise<string>((resolve, reject) => {
      let text = '';
      daq.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /listening on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (m) resolve(m[1]);
      });
      daq.on('exit', (code) => reject(new Error(`daq exited with ${code}: ${text}`)));
    });
    pool = new WorkerPool(1);
  }, 60_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every received event, also those dropped before processing', async () => {
    const src = new DaqSource(pool, { queueCapacity: 8, batchSize: 4, maxInFlight: 1 });
    const recorder = new LiveRecorder();
    let droppedInReadingThread = 0;
    src.on('receivedDropped', (telIds) => (droppedInReadingThread += telIds.length));
    // as the live service does it: recording first, then the source
    await recorder.start({ dir: join(dir, 'source'), prefix: 'load', flushSeconds: 1 }, src.subarray);
    src.recordTo(recorder);
    src.connect(url);
    await until(() => src.counters.received >= 200, 20_000, '200 events received');
    // (the replayed file's event ids have gaps, so missedUpstream means nothing here: the Python check proves the run gap-free)
    // the backend's main thread is busy for 1.6 s at a time: > 1000 events (MAX_UNACKED) wait for it
    // (on a loaded machine the reading thread may get too little CPU to fill its queue: block again, a few times at most)
    for (let k = 0; k < 8 && droppedInReadingThread === 0; k++) {
      busyWait(1600);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(droppedInReadingThread).toBeGreaterThan(0);
    busyWait(1600);
    await new Promise((r) => setTimeout(r, 500));
    src.disconnect();
    src.recordTo(undefined);
    const done = await recorder.stop();
    await until(() => src.counters.received === done.eventsWritten, 5000, `received (${src.counters.received}) to match written (${done.eventsWritten})`);
    await src.drain();
    const c = src.liveCounters(0);
    console.log(
      `received ${c.received}, processed ${c.processed}, dropped ${JSON.stringify(c.droppedByReason)} (${droppedInReadingThread} in the reading thread); ` +
        `offered ${done.eventsOffered}, written ${done.eventsWritten} events / ${done.imagesWritten} images in ${done.filesCompleted.length} files`,
    );
    expect(done.error).toBeUndefined();
    expect(droppedInReadingThread).toBeGreaterThan(0);
    expect(c.droppedByReason['queue-full']).toBeGreaterThanOrEqual(droppedInReadingThread);
    expect(c.processed).toBeLessThan(c.received);
    expect(done.eventsOffered).toBe(c.received);
    expect(done.eventsWritten).toBe(c.received);
    expect(done.imagesWritten).toBe(c.imagesReceived);
    expect(readdirSync(join(dir, 'source')).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const r = compare(done.filesCompleted);
    expect(r.n).toBe(c.received);
    expect(r.images).toBe(c.imagesReceived);
    expect(r.missing).toEqual([]);
    expect(r.mismatch).toEqual([]);
    expect(r.gapless).toBe(true);
    await recorder.close();
  }, 120_000);

  it('the live service records every event while the UI toggle is on, with a busy backend', async () => {
    const simulation = new SimulationSource(pool, { rateHz: 10 });
    const live = new LiveService(() => 0, { processing: { queueCapacity: 8, batchSize: 4, maxInFlight: 1 } }).attach(pool, simulation);
    try {
      await live.handlers['live.connect']({ url });
      await until(() => live.status().state === 'running' && live.status().counters.received > 50, 20_000, 'DAQ running');
      const started = await live.handlers['live.record.start']({ dir: join(dir, 'service'), prefix: 'svc', flushSeconds: 1 });
      expect(started.active).toBe(true);
      for (let k = 0; k < 2; k++) {
        busyWait(1600);
        await new Promise((r) => setTimeout(r, 300));
      }
      const done = await live.handlers['live.record.stop']({});
      const c = live.status().counters;
      console.log(
        `live service: received ${c.received}, processed ${c.processed}, dropped ${JSON.stringify(c.droppedByReason)}; recorded ${done.eventsWritten} of ${done.eventsOffered} offered in ${done.filesCompleted.length} files`,
      );
      expect(done.error).toBeUndefined();
      expect(c.droppedByReason['queue-full']).toBeGreaterThan(0);
      expect(done.eventsOffered).toBeGreaterThan(1000);
      expect(done.eventsWritten).toBe(done.eventsOffered);
      const r = compare(done.filesCompleted);
      expect(r.n).toBe(done.eventsWritten);
      expect(r.images).toBe(done.imagesWritten);
      expect(r.missing).toEqual([]);
      expect(r.mismatch).toEqual([]);
      expect(r.gapless).toBe(true);
    } finally {
      await live.close();
      await simulation.close();
    }
  }, 120_000);
});
