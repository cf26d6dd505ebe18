/**
 * The simulated array's layouts over the session API: the built-in 4 LST
 * layout gives LSTCam images only; the layout of an open DL1 file simulates
 * that file's telescopes (cameras, positions, focal lengths, pointing); a
 * new layout is a new run (histograms start from zero); bad layouts give
 * clear errors and leave the run as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, type ConnectionContext } from '../../../../src-main/session/session.js';
import type { Method, Params, Replies } from '../../../../src-main/api/contract.js';
import { validateRequest } from '../../../../src-main/api/validate.js';
import type { LiveProcessedEvent } from '../../../../src-worker/live/live-types.js';
import { until } from '../../../helpers/wait.js';

const ctx: ConnectionContext = { transport: 'websocket', tokenRequired: false };
const SAMPLE = 'test/fixtures/samples/dl1_sample_120.zlib.h5';

describe('simulated array layouts', () => {
  let session: Session;
  beforeAll(() => {
    session = new Session({ autoStart: false, threads: 2 });
  });
  afterAll(async () => {
    await session.close();
  });

  async function call<M extends Method>(method: M, params: Params<M>): Promise<Replies[M]> {
    const v = validateRequest({ type: 'request', id: 1, method, params });
    if (!v.ok) throw new Error(v.message);
    return session.handle(method, v.request.params as Params<M>, ctx);
  }

  /**
   * processed events of the running simulation until `n` arrived, each image with its pixel count
   * taken on arrival (the pixel arrays go back to the pool once the ring lets go of them)
   */
  async function collect(n: number): Promise<LiveProcessedEvent[]> {
    const got: LiveProcessedEvent[] = [];
    const on = (events: LiveProcessedEvent[]) => got.push(...events.map((e) => ({ ...e, images: e.images.map((i) => ({ ...i, image: i.image.slice() })) })));
    session.simulation.on('processed', on);
    await until(() => got.length >= n, 20_000, `${n} simulated events`);
    session.simulation.off('processed', on);
    return got;
  }

  it("counts the displayed events of the run: a new source or layout starts from zero, as the source's counters do; an event sent to two windows counts once", async () => {
    const events = Array.from({ length: 5 }, (_, i) => ({ eventId: i }));
    for (const e of events) session.countDisplayed(e);
    // the same events again, as a second window gets them
    for (const e of events) session.countDisplayed(e);
    expect((await call('live.status', {})).counters.displayed).toBe(5);
    await call('live.simulate', { layout: 'lst' });
    expect((await call('live.status', {})).counters.displayed).toBe(0);
    session.countDisplayed({ eventId: 5 });
    session.countDisplayed({ eventId: 6 });
    expect((await call('live.status', {})).counters.displayed).toBe(2);
    // an event of the run before, still waiting in a connection when the source changed and sent after: not this run's
    // (a screenshot showed displayed 5 of 4 received after connecting to a DAQ)
    const before = session.live.run;
    await call('live.simulate', { layout: 'default' });
    session.countDisplayed({ eventId: 7 }, before);
    expect((await call('live.status', {})).counters.displayed).toBe(0);
    session.countDisplayed({ eventId: 8 });
    expect((await call('live.status', {})).counters.displayed).toBe(1);
  });

  it('simulates the 4 LSTs alone', async () => {
    const status = await call('live.simulate', { rateHz: 300, layout: 'lst' });
    expect(status.source).toBe('simulation');
    expect(status.subarrayName).toMatch(/4 LST\)/);
    const sub = await call('instrument.subarray', {});
    expect(sub.telescopes.map((t) => t.camera)).toEqual(['LSTCam', 'LSTCam', 'LSTCam', 'LSTCam']);
    const events = await collect(100);
    expect(events.every((e) => e.images.length >= 2 && e.images.every((i) => i.camera === 'LSTCam' && i.image.length === 1855))).toBe(true);
  }, 30_000);

  it("simulates an open DL1 file's layout, as a new run", async () => {
    const f = await call('file.open', { path: SAMPLE });
    const fileSub = await call('file.subarray', { fileId: f.fileId });
    const status = await call('live.simulate', { layout: { fileId: f.fileId } });
    expect(status.subarrayName).toContain(fileSub.name);
    expect(status.counters.received).toBeLessThan(50); // counters restarted with the run
    const sub = await call('instrument.subarray', {});
    expect(sub.telescopes).toEqual(fileSub.telescopes);
    expect(sub.pointing).toEqual(fileSub.pointing);
    const cameras = new Set(fileSub.telescopes.map((t) => t.camera));
    expect(cameras.size).toBe(4);
    const events = await collect(300);
    const byTel = new Map(fileSub.telescopes.map((t) => [t.telId, t.camera]));
    const seen = new Set<string>();
    for (const e of events)
      for (const i of e.images) {
        expect(byTel.get(i.telId)).toBe(i.camera);
        seen.add(i.camera);
      }
    expect(seen.size).toBeGreaterThanOrEqual(3); // the file's camera types are all simulated
    // the aggregation restarted with the new layout: histogram totals count only this run
    await until(() => session.live.aggregator.events > 0, 5000, 'aggregated events');
    const h = await call('live.histograms', {});
    expect(h.events).toBe(session.live.aggregator.events);
    expect(session.live.aggregator.events).toBeLessThanOrEqual(session.simulation.status().counters.processed);
  }, 30_000);

  it('refuses an unknown file and keeps the current layout', async () => {
    const before = (await call('live.status', {})).subarrayName;
    await expect(call('live.simulate', { layout: { fileId: 'no-such-file' } })).rejects.toThrow(/no-such-file/);
    expect((await call('live.status', {})).subarrayName).toBe(before);
    await call('live.simulate', { layout: 'default' });
    expect((await call('instrument.subarray', {})).telescopes).toHaveLength(8);
    await call('live.control', { action: 'stop' });
  });
});
