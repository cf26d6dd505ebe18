/**
 * The DAQ source against the emulator's server, in-process, with the real
 * worker pool: events are received, processed (cleaning, parameters, stereo)
 * and counted; when the server goes away the source says 'reconnecting' and
 * retries with doubling delays; when it comes back the run recovers on its
 * own. A server speaking another protocol version is an error, not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { DaqServer } from '../../../../../src-main/daq/emulator/daq-server.js';
import { SimulatedEvents } from '../../../../../src-main/daq/emulator/emulator-events.js';
import { DaqSource } from '../../../../../src-main/live/sources/daq-source.js';
import { WorkerPool } from '../../../../../src-main/pool/worker-pool.js';
import { encodeDaqFrame } from '../../../../../src-main/daq/protocol/daq-protocol.js';
import type { LiveState } from '../../../../../src-main/api/live-contract.js';
import { freePort, until } from '../../../../helpers/wait.js';
import { expectRecoveredAndAccounted } from '../../../../helpers/daq-source-checks.js';

describe('DaqSource', () => {
  let pool: WorkerPool;
  const events = new SimulatedEvents(40, 3);
  beforeAll(() => {
    pool = new WorkerPool(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('processes a stream, reconnects with backoff after the server dies, and recovers', async () => {
    const port = await freePort();
    let server = new DaqServer(events, { port, rateHz: 300 });
    await server.listen();
    const src = new DaqSource(pool, { queueCapacity: 500 });
    const states: LiveState[] = [];
    src.on('state', (s) => states.push(s));
    let stereoValid = 0;
    src.on('processed', (es) => (stereoValid += es.filter((e) => e.stereo.isValid).length));
    src.connect(`tcp://127.0.0.1:${port}`);
    await until(() => src.state === 'running', 5000, 'running');
    await until(() => src.counters.processed >= 100, 10_000, '100 processed events');
    expect(src.counters.imagesProcessed).toBeGreaterThan(100);
    expect(stereoValid).toBeGreaterThan(10);

    // pause: events still arrive (counted, offered for recording) but are not processed
    let receivedWhilePaused = 0;
    const onReceived = () => receivedWhilePaused++;
    src.pause();
    expect(src.state).toBe('paused');
    await src.drain();
    const processedAtPause = src.counters.processed;
    src.on('received', onReceived);
    await until(() => receivedWhilePaused >= 50, 10_000, 'events received while paused');
    src.off('received', onReceived);
    expect(src.counters.processed).toBe(processedAtPause);
    expect(src.dropped.paused).toBeGreaterThanOrEqual(50);
    src.resume();
    expect(src.state).toBe('running');
    await until(() => src.counters.processed >= processedAtPause + 30, 10_000, 'processing after resume');

    // the emulator dies
    await server.close().catch(() => undefined);
    await until(() => src.state === 'reconnecting', 5000, 'reconnecting');
    await until(() => (src.reconnect?.attempt ?? 0) >= 3, 5000, 'three retries');
    const r = src.reconnect!;
    expect(r.delaySeconds).toBeCloseTo(0.25 * 2 ** (r.attempt - 1), 6);
    expect(r.downSince).toBeDefined();
    const before = src.counters.processed;

    // and comes back on the same port
    server = new DaqServer(events, { port, rateHz: 300 });
    await server.listen();
    await expectRecoveredAndAccounted(src, states, before, 10_000);
    await server.close();
  }, 60_000);

  it('reports a server speaking another protocol version as an error and does not retry', async () => {
    const port = await freePort();
    const bad = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 });
    new DataView(bad.buffer).setUint16(8, 9, true);
    const server = createServer((s) => s.end(bad));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const src = new DaqSource(pool);
    src.connect(`tcp://127.0.0.1:${port}`);
    await until(() => src.state === 'error', 5000, 'error');
    expect(src.message).toMatch(/protocol version 9 is not supported/);
    await new Promise((r) => setTimeout(r, 600));
    expect(src.state).toBe('error');
    server.close();
  });
});

describe('DaqClient watchdog', () => {
  it('treats a server that goes silent (no heartbeats) as lost and retries', async () => {
    const { DaqClient } = await import('../../../../../src-main/daq/client/daq-client.js');
    const port = await freePort();
    const hb = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 });
    // sends one heartbeat, then nothing, and keeps the connection open
    const server = createServer((s) => s.write(hb));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const c = new DaqClient(`tcp://127.0.0.1:${port}`);
    const messages: string[] = [];
    c.on('state', (s, m) => messages.push(`${s}: ${m}`));
    c.start();
    await until(() => c.state === 'reconnecting', 10_000, 'reconnecting after silence');
    expect(messages.join('\n')).toMatch(/nothing received for 5 s/);
    c.close();
    server.close();
  }, 20_000);
});
