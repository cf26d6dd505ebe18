/** Checks shared by the DAQ source tests over TCP and ZeroMQ. */
import { expect } from 'vitest';
import type { DaqSource } from '../../src-main/sources/daq-source.js';
import type { LiveState } from '../../src-main/api/live-contract.js';
import { until } from './wait.js';

/**
 * After the server came back: the source runs again on its own and
 * processes new events with its retries reset; disconnecting stops it with
 * every received event processed, dropped with a reason, or still queued.
 */
export async function expectRecoveredAndAccounted(src: DaqSource, states: LiveState[], processedBefore: number, ms = 10_000): Promise<void> {
  await until(() => src.state === 'running', ms, 'running again');
  await until(() => src.counters.processed >= processedBefore + 50, ms, 'events after the restart');
  expect(src.reconnect!.attempt).toBe(0);
  expect(states).toEqual(expect.arrayContaining(['connecting', 'running', 'reconnecting']));
  src.disconnect();
  expect(src.state).toBe('stopped');
  await src.drain();
  const c = src.liveCounters(0);
  // nothing vanishes
  expect(c.processed + c.dropped + c.queued).toBe(c.received);
}
