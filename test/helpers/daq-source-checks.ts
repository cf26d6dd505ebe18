/** Checks shared by the DAQ source tests over TCP and ZeroMQ. */
import { expect } from 'vitest';
import type { DaqSource } from '../../src-main/live/sources/daq-source.js';
import type { LiveState } from '../../src-main/api/live-contract.js';
import { until } from './wait.js';
import { HEALTHY_AFTER_S } from '../../src-main/daq/client/daq-stream-client.js';

/**
 * After the server came back: the source runs again on its own and
 * processes new events, its retries reset once the connection has stayed up
 * for the healthy period (HEALTHY_AFTER_S, 10 s); disconnecting stops it with
 * every received event processed, dropped with a reason, or still queued.
 */
export async function expectRecoveredAndAccounted(src: DaqSource, states: LiveState[], processedBefore: number, ms = 10_000): Promise<void> {
  await until(() => src.state === 'running', ms, 'running again');
  await until(() => src.counters.processed >= processedBefore + 50, ms, 'events after the restart');
  expect(src.reconnect!.attempt).toBeGreaterThan(0); // not yet: a connection that closes at once must not reset the backoff
  await until(() => src.reconnect!.attempt === 0, (HEALTHY_AFTER_S + 20) * 1000, 'the retries reset after the healthy period');
  expect(states).toEqual(expect.arrayContaining(['connecting', 'running', 'reconnecting']));
  src.disconnect();
  expect(src.state).toBe('stopped');
  await src.drain();
  const c = src.liveCounters(0);
  // nothing vanishes
  expect(c.processed + c.dropped + c.queued).toBe(c.received);
}
