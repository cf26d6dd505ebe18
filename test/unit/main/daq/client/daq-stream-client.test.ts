/**
 * Gaps in a stream's event ids count as missed upstream, unless the stream's
 * subarray says the ids are the source's own (a replayed file's), where a
 * gap says nothing about losses.
 */
import { describe, expect, it } from 'vitest';
import { DaqStreamClient } from '../../../../../src-main/daq/client/daq-stream-client.js';
import { encodeDaqFrame, type DaqFrame, type DaqSubarray } from '../../../../../src-main/daq/protocol/daq-protocol.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';

/** a client fed by hand (no transport) */
class FedClient extends DaqStreamClient {
  hold = false;
  protected open(): void {
    this.newStream(this.hold);
    this.connected();
  }
  protected teardown(): void {}
  feed(frames: DaqFrame[]): void {
    for (const f of frames) this.received(encodeDaqFrame(f));
  }
}

function stream(subarray: DaqSubarray, ids: number[]): DaqFrame[] {
  const frames: DaqFrame[] = [{ type: 'subarray', obsId: 1, eventId: 0, time: 0, subarray }];
  for (const eventId of ids) {
    frames.push({ type: 'image', obsId: 1, eventId, time: 0, telId: 1, image: new Float32Array(1855), peakTime: new Float32Array(1855) });
    frames.push({ type: 'eventEnd', obsId: 1, eventId, time: 0, nImages: 1 });
  }
  return frames;
}

describe('DAQ stream event ids', () => {
  const ids = [10, 11, 15, 16, 40];
  it('counts gaps in consecutive ids as missed upstream', () => {
    const c = new FedClient('tcp://test:1');
    let events = 0;
    const missed: number[] = [];
    c.on('event', () => events++);
    c.on('missed', (n) => missed.push(n));
    c.start();
    c.feed(stream(structuredClone(defaultSubarray), ids));
    expect(events).toBe(5);
    expect(c.missedUpstream).toBe(3 + 23);
    expect(missed).toEqual([3, 23]); // as they happen, for counters that outlive the client
    c.close();
  });

  it("does not count gaps when the ids are the source's own", () => {
    const c = new FedClient('tcp://test:1');
    let events = 0;
    c.on('event', () => events++);
    c.start();
    c.feed(stream({ ...structuredClone(defaultSubarray), eventIds: 'source' }, ids));
    expect(events).toBe(5);
    expect(c.missedUpstream).toBe(0);
    c.close();
  });

  it('counts events held for the subarray and the event in assembly when the connection ends', () => {
    const c = new FedClient('zmq+tcp://test:1');
    c.hold = true; // a late subscriber waits for the subarray
    const incomplete: string[] = [];
    let events = 0;
    c.on('event', () => events++);
    c.on('incomplete', (reason) => incomplete.push(reason));
    c.start();
    const frames = stream(structuredClone(defaultSubarray), [1, 2, 3]).slice(1); // no subarray frame
    c.feed(frames.slice(0, -1)); // events 1 and 2 whole, event 3 without its end
    expect(events).toBe(0);
    c.close();
    expect(incomplete).toEqual(['connection-lost', 'connection-lost', 'connection-lost']);
  });
});
