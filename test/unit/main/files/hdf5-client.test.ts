/**
 * The HDF5 worker through its main-side client: real files, typed arrays
 * transferred, the main thread kept free, clear errors, and a new worker
 * (with the open files re-opened) after a crash or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { Hdf5Error } from '../../../../src-worker/io/hdf5/h5-errors.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';

const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));
const DL1 = `${SAMPLES}dl1_sample_120.blosc.h5`;
const WATCHMAL = `${SAMPLES}watchmal_iwcd4pi_sample_digihits.h5`;

async function rejection(p: Promise<unknown>): Promise<Hdf5Error> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(Hdf5Error);
    return err as Hdf5Error;
  }
  throw new Error('expected a rejection');
}

describe('Hdf5Client', () => {
  let client: Hdf5Client;
  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), debug: true, timeoutMs: 20_000 });
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('opens a DL1 file and reads event 0 as typed arrays', async () => {
    const { fileId, summary } = await client.open(DL1);
    expect(summary.kind).toBe('dl1');
    expect(summary.dl1?.nEvents).toBe(120);
    expect(summary.dl1?.telescopes).toHaveLength(15);
    expect(summary.datasets.find((d) => d.path === '/dl1/event/telescope/images/tel_001')?.shape).toEqual([59]);
    const ev = await client.request({ type: 'dl1Event', fileId, index: 0 });
    expect(ev.telIds).toEqual([2, 3, 6, 10]);
    expect(ev.telescopes[0].image).toBeInstanceOf(Float32Array);
    expect(ev.telescopes[0].image!.length).toBe(1855);
    const same = await client.request({ type: 'dl1Event', fileId, obsId: ev.obsId, eventId: ev.eventId, options: { parameters: false } });
    expect(Array.from(same.telescopes[0].image!)).toEqual(Array.from(ev.telescopes[0].image!));
    const sub = await client.request({ type: 'dl1Subarray', fileId });
    expect(sub.cameras.LSTCam.pixX).toBeInstanceOf(Float64Array);
    const rows = await client.request({ type: 'readTableRows', fileId, path: '/dl1/event/subarray/trigger', start: 0, count: 5, columns: ['event_id'] });
    expect(Array.from(rows.columns.event_id.data as BigInt64Array, Number)).toEqual([200, 300, 400, 500, 600]);
    await client.close(fileId);
  });

  it('reads WatChMaL events and the PMT geometry chosen for the file', async () => {
    const { fileId, summary } = await client.open(WATCHMAL);
    expect(summary.kind).toBe('watchmal-hits');
    const ev = await client.request({ type: 'watchmalEvent', fileId, index: 0 });
    expect(ev.hitPmt).toBeInstanceOf(Int32Array);
    expect(ev.nHits).toBe(1180);
    const g = await client.request({ type: 'pmtGeometry', fileId });
    expect(g.choice?.name).toBe('iwcd_mpmt_4pi');
    expect(g.geometry.nPmts).toBe(15808);
    await client.close(fileId);
  });

  it('keeps the main thread free while the worker is busy', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = Date.now();
    await client.request({ type: 'debug', action: 'sleep', ms: 400 });
    clearInterval(timer);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    // a blocked main thread would run the timer at most once after the reply; it ran while the worker slept
    // (40 ticks on an idle machine; fewer when other processes share the cores, so no count of them is asserted)
    expect(ticks).toBeGreaterThan(2);
  });

  it('gives clear errors for bad files and bad requests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-h5-'));
    const text = join(dir, 'notes.h5');
    writeFileSync(text, 'this is not HDF5\n'.repeat(100));
    const e1 = await rejection(client.open(text));
    expect(e1.code).toBe('not-hdf5');
    expect(e1.message).toContain(text);
    const e2 = await rejection(client.open(join(dir, 'missing.h5')));
    expect(e2.code).toBe('file-not-found');
    const e3 = await rejection(client.request({ type: 'dl1Event', fileId: 'nope', index: 0 }));
    expect(e3.code).toBe('not-open');
    const { fileId } = await client.open(WATCHMAL);
    const e4 = await rejection(client.request({ type: 'dl1Event', fileId, index: 0 }));
    expect(e4.code).toBe('unknown-layout');
    expect(e4.message).toMatch(/watchmal_iwcd4pi_sample_digihits\.h5: not a ctapipe DL1 or sim_telarray file \(recognised as WatChMaL hits\)/);
    const e5 = await rejection(client.request({ type: 'readSlice', fileId, path: '/hit_pmt', start: [0], count: [10_000_000] }));
    expect(e5.code).toBe('bad-request');
    // a request that does not match the protocol is refused by the worker's validation
    const e6 = await rejection(client.request({ type: 'watchmalEvent', fileId, index: -1 } as never));
    expect(e6.code).toBe('bad-request');
    await client.close(fileId);
  });

  it('restarts a worker that died, re-opening the files that were open', async () => {
    const { fileId } = await client.open(DL1);
    const before = client.restarts;
    const e = await rejection(client.request({ type: 'debug', action: 'exit' }));
    expect(e.code).toBe('worker-died');
    const ev = await client.request({ type: 'dl1Event', fileId, index: 3 });
    expect(ev.index).toBe(3);
    expect(client.restarts).toBe(before + 1);
    await client.close(fileId);
  });

  it('times out a hung request and restarts the worker', async () => {
    const t0 = Date.now();
    const e = await rejection(client.request({ type: 'debug', action: 'sleep', ms: 10_000 }, { timeoutMs: 300 }));
    expect(e.code).toBe('timeout');
    // it did not wait for the 10 s sleep to end (how soon it gives up is the 300 ms limit's business)
    expect(Date.now() - t0).toBeLessThan(10_000);
    const stats = await client.request({ type: 'stats' });
    expect(stats.openFiles).toEqual([]);
  });
});
