/**
 * Processing comes first: while the simulated source drops events because
 * the pool cannot keep up, the camera views get events at BUSY_DISPLAY_HZ
 * instead of 30 Hz (the status says so), and back at 30 Hz a few seconds
 * after the drops stop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../../src-main/session/session.js';
import { ApiConnection, type Channel } from '../../../../src-main/session/api-connection.js';
import type { ServerMessage } from '../../../../src-main/api/contract.js';
import { BUSY_DISPLAY_HZ } from '../../../../src-main/live/live-service.js';
import { until } from '../../../helpers/wait.js';

describe('display rate under load', () => {
  const session = new Session({ autoStart: false, threads: 1 });
  const sent: number[] = [];
  const channel: Channel = {
    peer: 'test',
    ready: () => true,
    send: (m: ServerMessage) => {
      if (m.type === 'stream' && m.stream === 'array-event') sent.push(performance.now());
    },
  };
  const connection = new ApiConnection(session, channel, { transport: 'websocket', tokenRequired: false, role: 'control' });
  afterAll(async () => {
    connection.close();
    await session.close();
  });

  const rateOver = (ms: number) => sent.filter((t) => t > performance.now() - ms).length / (ms / 1000);

  it('drops to the busy rate while events are dropped for lack of processing, and comes back', async () => {
    session.simulation.setRate(50);
    session.simulation.start();
    await until(() => sent.length > 20, 120_000, 'events at 50 Hz');
    expect(session.live.status().displayHz).toBe(30);
    // far more than one pool thread can simulate: events are dropped (counted) and the views slow down
    session.simulation.setRate(100_000);
    await until(() => session.simulation.droppedCount > 0, 120_000, 'drops');
    await new Promise((r) => setTimeout(r, 2500));
    expect(session.live.status().displayHz).toBe(BUSY_DISPLAY_HZ);
    expect(session.live.status().displayBusy).toBe(true);
    // the views are held to the busy rate (a cap: a loaded machine may show fewer, never more)
    const busy = rateOver(2000);
    expect(busy).toBeLessThanOrEqual(BUSY_DISPLAY_HZ + 1.5);
    await until(() => rateOver(2000) > 0, 120_000, 'events still shown');
    // a rate the pool keeps up with: back to 30 Hz after the hold
    session.simulation.setRate(50);
    await until(() => session.live.status().displayHz === 30, 120_000, 'display rate back to 30 Hz');
    session.simulation.stop();
  }, 600_000);
});
