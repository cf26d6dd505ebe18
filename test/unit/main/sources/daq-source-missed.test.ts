/**
 * Events the server did not send (gaps in event ids) are counted as missed
 * upstream by the DAQ source, also those the reading thread hands over after
 * a disconnect: a server that skips every third id and is disconnected
 * while sending fast leaves received + missed = the span of ids received.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DaqSource } from '../../../../src-main/sources/daq-source.js';
import { WorkerPool } from '../../../../src-main/backend/worker-pool.js';
import { encodeDaqEvent, encodeDaqFrame } from '../../../../src-main/sources/daq-protocol.js';
import { defaultSubarray } from '../../../../src-worker/simulation/default-subarray.js';
import { until } from '../../../helpers/wait.js';

describe('DaqSource missed upstream', () => {
  const pool = new WorkerPool(1);
  afterAll(async () => {
    await pool.close();
  });

  it('counts every skipped id, including those handed over after disconnect', async () => {
    const image = new Float32Array(1855);
    const sockets: Socket[] = [];
    let minId = Infinity;
    const server = createServer((sock) => {
      sockets.push(sock);
      sock.on('error', () => undefined);
      sock.write(encodeDaqFrame({ type: 'subarray', obsId: 1, eventId: 0, time: 1.7e9, subarray: defaultSubarray }));
      let id = 0;
      const send = () => {
        if (sock.destroyed) return;
        // ids 1, 2, 4, 5, 7, ...: every third is skipped
        for (let k = 0; k < 50; k++) {
          id++;
          if (id % 3 === 0) continue;
          minId = Math.min(minId, id);
          sock.write(encodeDaqEvent({ obsId: 1, eventId: id, time: 1.7e9 + id * 1e-3 }, [{ telId: 1, image, peakTime: image }]));
        }
        setImmediate(send);
      };
      send();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;

    const src = new DaqSource(pool, { queueCapacity: 100 });
    let maxId = 0;
    src.on('received', (e) => (maxId = Math.max(maxId, e.eventId)));
    src.connect(`tcp://127.0.0.1:${port}`);
    await until(() => src.counters.received >= 3000, 20_000, '3000 events received');
    src.disconnect(); // the reading thread still holds events, and their gaps
    await new Promise((r) => setTimeout(r, 500)); // what it hands over arrives
    for (const s of sockets) s.destroy();
    server.close();
    await src.drain();
    const c = src.liveCounters(0);
    const missed = c.missedUpstream ?? 0;
    expect(missed).toBeGreaterThan(900);
    expect(c.received + missed).toBe(maxId - minId + 1);
  }, 30_000);
});
