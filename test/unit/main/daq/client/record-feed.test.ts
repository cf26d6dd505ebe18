/**
 * The record feed (the DAQ reading thread's path to the record worker):
 * events it is given are moved (buffers transferred, not copied), events
 * that go on to processing are copied; when more image bytes than allowed
 * wait unwritten, the feed ends with an error saying the disk does not keep
 * up, and the real record worker then stops the recording with that error,
 * keeping every event that reached it in a complete file (offered = written).
 * A feed whose thread disappears without ending it is an error too.
 */
import { afterAll, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { RecordFeed } from '../../../../../src-main/daq/client/record-feed.js';
import { LiveRecorder } from '../../../../../src-main/live/live-recorder.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import type { RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import type { RecordFeedMessage } from '../../../../../src-worker/live/record-feed-protocol.js';
import { until } from '../../../../helpers/wait.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

function event(id: number, n = 1855): RawArrayEvent {
  const both = new Float32Array(2 * n).map((_, i) => Math.fround(Math.sin(id + i)));
  return { obsId: 1, eventId: id, time: 1_700_000_000 + id, images: [{ telId: 1, image: both.subarray(0, n), peakTime: both.subarray(n) }] };
}

describeWith([REF_PY], 'RecordFeed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-feed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves owned events, copies the others, and ends with an error when too much waits unwritten', async () => {
    const { port1, port2 } = new MessageChannel();
    const got: RecordFeedMessage[] = [];
    port2.on('message', (m: RecordFeedMessage) => got.push(m));
    let ended: { offered: number; error?: string } | undefined;
    const perEvent = 2 * 1855 * 4;
    const feed = new RecordFeed(port1, { maxPendingBytes: 3.5 * perEvent }, (offered, error) => (ended = { offered, error }));
    const owned = event(1);
    const kept = event(2);
    expect(feed.offer(owned, true)).toBe(true);
    expect(feed.offer(kept, false)).toBe(true);
    feed.flush();
    expect(owned.images[0].image.byteLength).toBe(0); // moved to the recorder
    expect(kept.images[0].image.length).toBe(1855); // still ours: a copy went
    expect(feed.offer(event(3), false)).toBe(true);
    // nobody acknowledges: the fourth event would make 4 events wait
    expect(feed.offer(event(4), false)).toBe(false);
    expect(feed.active).toBe(false);
    expect(ended?.offered).toBe(3);
    expect(ended?.error).toMatch(
      /recording stopped after 3 events: the disk does not keep up \(\d+ MB waiting to be written\); record to a faster disk or lower the rate/,
    );
    await until(() => got.some((m) => m.type === 'end'), 2000, 'end message');
    const events = got.flatMap((m) => (m.type === 'events' ? m.events : []));
    expect(events.map((e) => e.eventId)).toEqual([1, 2, 3]);
    expect(Array.from(events[1].images[0].image)).toEqual(Array.from(kept.images[0].image));
    const end = got.find((m) => m.type === 'end');
    expect(end).toMatchObject({ type: 'end', offered: 3 });
    port2.close();
  });

  it('the record worker stops the recording with the feed error and keeps what arrived', async () => {
    const recorder = new LiveRecorder();
    await recorder.start({ dir, prefix: 'feed', flushSeconds: 60 }, defaultSubarray);
    const port = recorder.openFeed()!;
    const perEvent = 2 * 1855 * 4;
    let error: string | undefined;
    const feed = new RecordFeed(port, { maxPendingBytes: 2.5 * perEvent }, (_, e) => (error = e));
    // two events fit; the third cannot be taken before the worker acknowledges any
    expect(feed.offer(event(1), true)).toBe(true);
    expect(feed.offer(event(2), true)).toBe(true);
    expect(feed.offer(event(3), true)).toBe(false);
    expect(error).toMatch(/disk does not keep up/);
    await until(() => !recorder.active, 10_000, 'the recording to stop');
    const s = recorder.status();
    expect(s.error).toBe(error);
    expect(s.eventsOffered).toBe(2);
    expect(s.eventsWritten).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(s.filesCompleted.length).toBe(1);
    const n = execFileSync(
      REF_PY.path,
      ['-c', 'import sys,tables; f=tables.open_file(sys.argv[1]); print(len(f.root.dl1.event.subarray.trigger))', s.filesCompleted[0]],
      { encoding: 'utf8' },
    );
    expect(Number(n)).toBe(2);
    await recorder.close();
  });

  it('a feed whose thread goes away without ending it stops the recording with an error, and keeps what arrived', async () => {
    const recorder = new LiveRecorder();
    await recorder.start({ dir, prefix: 'gone', flushSeconds: 60 }, defaultSubarray);
    const port = recorder.openFeed()!;
    const feed = new RecordFeed(port, {}, () => undefined);
    feed.offer(event(1), true);
    feed.offer(event(2), true);
    feed.flush();
    await until(() => recorder.status().eventsWritten === 2, 10_000, 'two events written');
    port.close(); // as when the reading thread is terminated: no end message
    await until(() => !recorder.active, 10_000, 'the recording to stop');
    const s = recorder.status();
    expect(s.error).toMatch(/a DAQ reading thread went away without ending its record feed, after 2 events; events it had not yet sent are missing/);
    expect(s.eventsWritten).toBe(2);
    expect(s.filesCompleted.length).toBe(1);
    await recorder.close();
  });
});
