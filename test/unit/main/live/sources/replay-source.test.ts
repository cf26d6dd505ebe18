/**
 * A DL1 file replayed as a live source: through the session's one live path
 * (the LiveSource interface), every event of the file read once (no loop),
 * processed or dropped with a reason, aggregated, shown, under the same run
 * control and the same status as the simulation and a DAQ.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../../../src-main/session/session.js';
import type { ArrayEvent } from '../../../../../src-main/api/event-types.js';
import type { LiveStatus } from '../../../../../src-main/api/live-contract.js';
import { until } from '../../../../helpers/wait.js';

const ctx = { transport: 'websocket' as const, tokenRequired: false };
const DL1 = 'test/fixtures/samples/dl1_sample_120.zlib.h5';

describe('replay source', () => {
  const session = new Session({ autoStart: false, threads: 2 });
  afterAll(() => session.close());

  it('replays every event of a DL1 file through the live pipeline, with run control and one status', async () => {
    const file = await session.handle('file.open', { path: DL1 }, ctx);
    expect(file.eventCount).toBe(120);
    const shown: ArrayEvent[] = [];
    session.on('array-event', (e) => shown.push(e));
    const started = await session.handle('live.replay', { fileId: file.fileId, rateHz: 40, loop: false }, ctx);
    const statuses: LiveStatus[] = [started];
    session.on('live-status', (s) => statuses.push(s));
    expect(started).toMatchObject({ source: 'replay', state: 'running', configuredRateHz: 40, url: file.path });
    expect(started.subarrayName).toMatch(/^replay of /);
    // the live subarray is the file's
    const subarray = await session.handle('instrument.subarray', {}, ctx);
    expect(subarray.telescopes.length).toBe(15);

    // run control as for any source: pause (events read, not processed), resume, faster
    await until(() => session.live.status().counters.received >= 10, 60_000, '10 events replayed');
    expect((await session.handle('live.control', { action: 'pause' }, ctx)).state).toBe('paused');
    await until(() => (session.live.status().counters.droppedByReason.paused ?? 0) >= 2, 60_000, 'events read while paused');
    expect((await session.handle('live.control', { action: 'resume' }, ctx)).state).toBe('running');
    expect((await session.handle('live.configure', { rateHz: 400 }, ctx)).configuredRateHz).toBe(400);

    // the end of the file ends the run
    await until(() => session.live.status().state === 'stopped', 120_000, 'the end of the file');
    const s = session.live.status();
    expect(s.message).toMatch(/replayed every event/);
    const c = s.counters;
    expect(c.received).toBe(120);
    await until(() => session.live.status().counters.processed + session.live.status().counters.dropped === 120, 60_000, 'every event processed or dropped');
    const done = session.live.status().counters;
    expect(done.processed + done.dropped).toBe(done.received);
    expect(done.droppedByReason.paused).toBeGreaterThanOrEqual(2);
    expect(done.imagesProcessed).toBeGreaterThan(done.processed);
    // every processed event is aggregated; the views got the newest of the batches, from the file
    expect(session.live.aggregator.events).toBe(done.processed);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((e) => e.source === 'replay')).toBe(true);
    expect(shown.some((e) => e.telescopes.some((t) => t.hillas))).toBe(true);
    // the one status stream told of every state
    expect([...new Set(statuses.map((x) => x.state))].sort()).toEqual(['paused', 'running', 'stopped']);
    expect(statuses.every((x) => x.source === 'replay')).toBe(true);

    // the simulated array takes over again: a new run
    const sim = await session.handle('live.simulate', { rateHz: 5 }, ctx);
    expect(sim).toMatchObject({ source: 'simulation', state: 'running' });
    expect(session.live.aggregator.events).toBeLessThan(done.processed);
    await session.handle('live.control', { action: 'stop' }, ctx);
  }, 300_000);

  it('refuses a file that is not a ctapipe DL1 file with events, naming it', async () => {
    const f = await session.handle('file.open', { path: 'test/fixtures/samples/watchmal_iwcd4pi_sample_digihits.h5' }, ctx);
    await expect(session.handle('live.replay', { fileId: f.fileId }, ctx)).rejects.toThrow(
      /cannot replay .*watchmal_iwcd4pi_sample_digihits\.h5: .*not a ctapipe DL1 file/,
    );
    await expect(session.handle('live.replay', { fileId: 'nope' }, ctx)).rejects.toThrow(/no open file with id "nope"/);
  });
});
