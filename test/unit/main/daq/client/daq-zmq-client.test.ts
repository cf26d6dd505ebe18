/**
 * The DAQ stream over ZeroMQ, with `lightpool daq --sim --zmq` as a separate
 * process: the reading thread receives the subarray before any event (also
 * a subscriber that joins late) and events whose images are bit for bit
 * those the seeded emulator sends (the same seed's emulator over TCP is the
 * reference: the same build, so the bytes must be the same), in order, none
 * missing; when the emulator
 * dies the source says 'reconnecting' with ZeroMQ's doubling retry delays,
 * and when it comes back on the same port the run recovers on its own.
 * Against a publisher in this process: events that arrive before the
 * subarray wait for it (at most 2 s); one that stays connected but sends
 * nothing is treated as lost after 5 s; one speaking another protocol
 * version is an error, not retried; a message that ends inside a frame too.
 * The subscriber process stops reading when its reader does (bounded memory).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaqClientThread } from '../../../../../src-main/daq/client/daq-client-thread.js';
import { DaqSource } from '../../../../../src-main/live/sources/daq-source.js';
import { DaqClient } from '../../../../../src-main/daq/client/daq-client.js';
import { WorkerPool } from '../../../../../src-main/pool/worker-pool.js';
import type { RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import type { LiveState } from '../../../../../src-main/api/live-contract.js';
import { freePort, until } from '../../../../helpers/wait.js';
import { expectRecoveredAndAccounted } from '../../../../helpers/daq-source-checks.js';
import { Publisher } from 'zeromq';
import { DaqZmqClient, ZMQ_RECEIVE_HWM } from '../../../../../src-main/daq/client/daq-zmq-client.js';
import { ZmqRelayReader, type ZmqRelayConfig } from '../../../../../src-main/daq/client/zmq-relay-records.js';
import { workerScript } from '../../../../../src-main/util/dist-paths.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { encodeDaqEvent, encodeDaqFrame } from '../../../../../src-main/daq/protocol/daq-protocol.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import { startEmulator, type Emulator } from '../../../../helpers/daq-emulator.js';

const POOL = 30;
const SEED = 7;

function bytesOf(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** receives with a reading thread: the subarray, the events, and whether any event came before the subarray */
function receive(url: string) {
  const c = new DaqClientThread(url);
  const r = { client: c, events: [] as RawArrayEvent[], subarrays: 0, eventsBeforeSubarray: 0, incomplete: [] as string[] };
  c.on('subarray', () => r.subarrays++);
  c.on('event', (e) => {
    if (!r.subarrays) r.eventsBeforeSubarray++;
    r.events.push(e);
  });
  c.on('incomplete', (_reason, message) => r.incomplete.push(message));
  c.start();
  return r;
}

describe('DAQ stream over ZeroMQ', () => {
  const emulators: Emulator[] = [];
  afterAll(async () => {
    for (const e of emulators) await e.kill();
  });

  it('delivers the events the emulator sent, bit for bit, to an early and a late subscriber', async () => {
    const sim = ['--sim', '--rate', '300', '--port', '0', '--pool', String(POOL), '--seed', String(SEED), '--quiet'];
    const emu = await startEmulator([...sim, '--zmq']);
    emulators.push(emu);
    // the reference: the same emulator over TCP. It numbers its events 1, 2, ... and cycles its
    // seeded pool: event k is pool[(k - 1) % POOL]
    const tcp = await startEmulator(sim);
    emulators.push(tcp);
    const pool: (RawArrayEvent | undefined)[] = Array.from({ length: POOL });
    const ref = new DaqClient(tcp.url);
    ref.on('event', (e) => (pool[(e.eventId - 1) % POOL] ??= e));
    ref.start();
    await until(() => pool.every((e) => e), 20_000, `all ${POOL} pool events over TCP`);
    ref.close();
    await tcp.kill();

    expect(emu.url).toMatch(/^zmq\+tcp:\/\/127\.0\.0\.1:\d+$/);
    const early = receive(emu.url);
    await until(() => early.events.length >= 60, 20_000, '60 events over ZeroMQ');
    const late = receive(emu.url);
    await until(() => early.events.length >= 150 && late.events.length >= 60, 20_000, '150 events, and 60 for the late subscriber');
    early.client.close();
    late.client.close();

    for (const r of [early, late]) {
      expect(r.subarrays).toBe(1);
      expect(r.eventsBeforeSubarray).toBe(0);
      expect(r.incomplete).toEqual([]);
      expect(r.client.missedUpstream).toBe(0);
      const ids = r.events.map((e) => e.eventId);
      expect(ids).toEqual(ids.map((_, i) => ids[0] + i));
      for (const e of r.events) {
        const sent = pool[(e.eventId - 1) % POOL]!;
        expect(e.images.map((i) => i.telId)).toEqual(sent.images.map((i) => i.telId));
        e.images.forEach((img, k) => {
          expect(bytesOf(img.image).equals(bytesOf(sent.images[k].image))).toBe(true);
          expect(bytesOf(img.peakTime).equals(bytesOf(sent.images[k].peakTime))).toBe(true);
        });
      }
    }
    expect(late.events[0].eventId).toBeGreaterThan(early.events[0].eventId);
    expect(early.client.bytes).toBeGreaterThan(0);
    await emu.kill();
  }, 60_000);

  it('a subscriber process whose reader stops stays small: it stops reading, and ZeroMQ drops whole events', async () => {
    const emu = await startEmulator(['--sim', '--zmq', '--rate', '6000', '--port', '0', '--pool', '50', '--quiet']);
    emulators.push(emu);
    const config: ZmqRelayConfig = {
      endpoint: emu.url.replace('zmq+', ''),
      receiveHighWaterMark: ZMQ_RECEIVE_HWM,
      reconnectIntervalMs: 250,
      reconnectMaxIntervalMs: 10_000,
    };
    const relay = spawn(process.execPath, [workerScript('zmq-subscriber'), JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      // nobody reads its stdout for 4 s: ~1.3 GB offered at 6 kHz
      await new Promise((r) => setTimeout(r, 4000));
      const rssMB = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${relay.pid}/status`, 'utf8'))![1]) / 1024;
      expect(rssMB).toBeLessThan(400);
      // and it goes on once read again
      const reader = new ZmqRelayReader();
      let parts = 0;
      relay.stdout.on('data', (d: Buffer) => (parts += reader.push(d).filter((r) => r.kind === 'part').length));
      await until(() => parts > 1000, 10_000, 'parts flowing again');
    } finally {
      relay.kill('SIGKILL');
      await emu.kill();
    }
  }, 30_000);

  describe('reconnecting', () => {
    let pool: WorkerPool;
    beforeAll(() => {
      pool = new WorkerPool(1);
    });
    afterAll(async () => {
      await pool.close();
    });

    it('reports the lost publisher, retries with doubling delays, and recovers when it returns', async () => {
      const port = await freePort();
      const args = ['--sim', '--zmq', '--rate', '200', '--port', String(port), '--pool', '20', '--quiet'];
      let emu = await startEmulator(args);
      emulators.push(emu);
      const src = new DaqSource(pool, { queueCapacity: 500 });
      const states: LiveState[] = [];
      const messages: string[] = [];
      src.on('state', (s, m) => {
        states.push(s);
        messages.push(`${s}: ${m}`);
      });
      src.connect(`zmq+tcp://127.0.0.1:${port}`);
      await until(() => src.state === 'running', 10_000, 'running');
      await until(() => src.counters.processed >= 50, 15_000, '50 processed events');

      await emu.kill('SIGKILL');
      await until(() => src.state === 'reconnecting', 5000, 'reconnecting');
      expect(messages.join('\n')).toMatch(/the server closed the connection; retry 1 in 0\.25 s/);
      await until(() => (src.reconnect?.attempt ?? 0) >= 3, 10_000, 'three retries');
      const r = src.reconnect!;
      expect(r.delaySeconds).toBeCloseTo(0.25 * 2 ** (r.attempt - 1), 6);
      expect(r.downSince).toBeDefined();
      expect(messages.join('\n')).toMatch(/zmq\+tcp:\/\/127\.0\.0\.1:\d+: cannot connect \(is the DAQ running\?\); retry 2 in 0\.50 s/);
      const before = src.counters.processed;

      emu = await startEmulator(args);
      emulators.push(emu);
      await expectRecoveredAndAccounted(src, states, before, 15_000);
      await emu.kill();
    }, 60_000);
  });

  describe('against a publisher in this process', () => {
    async function publisher(): Promise<{ pub: Publisher; url: string }> {
      const pub = new Publisher({ linger: 0 });
      await pub.bind('tcp://127.0.0.1:*');
      return { pub, url: `zmq+tcp://127.0.0.1:${/:(\d+)$/.exec(pub.lastEndpoint!)![1]}` };
    }

    it('holds events that overtake the subarray until it arrives, and at most 2 s without one', async () => {
      const event = (id: number) =>
        encodeDaqEvent({ obsId: 1, eventId: id, time: 1.7e9 + id }, [{ telId: 1, image: new Float32Array(1855).fill(id), peakTime: new Float32Array(1855) }]);
      const subarray = encodeDaqFrame({ type: 'subarray', obsId: 1, eventId: 0, time: 1.7e9, subarray: defaultSubarray });
      for (const withSubarray of [true, false]) {
        const { pub, url } = await publisher();
        const c = new DaqZmqClient(url);
        const seen: string[] = [];
        let firstEventAt = 0;
        let connectedAt = 0;
        c.on('state', (s) => s === 'connected' && (connectedAt = performance.now()));
        c.on('subarray', () => seen.push('subarray'));
        c.on('event', (e) => {
          firstEventAt ||= performance.now();
          seen.push(`event ${e.eventId}`);
        });
        c.start();
        // the subscriber's own process must be connected and subscribed first: a publisher drops what it sends before
        await until(() => connectedAt > 0, 10_000, 'connected');
        await new Promise((r) => setTimeout(r, 200));
        let id = 0;
        const timer = setInterval(() => {
          id++;
          // the subarray only after 10 events (~200 ms)
          void pub.send(withSubarray && id === 10 ? subarray : event(id)).catch(() => undefined);
        }, 20);
        await until(() => seen.filter((x) => x.startsWith('event')).length >= 20, 10_000, '20 events');
        clearInterval(timer);
        c.close();
        pub.close();
        const ids = seen.filter((x) => x.startsWith('event')).map((x) => Number(x.split(' ')[1]));
        expect(ids).toEqual(ids.map((_, i) => ids[0] + i + (withSubarray && ids[0] + i >= 10 ? 1 : 0)));
        if (withSubarray) {
          expect(seen[0]).toBe('subarray');
          expect(ids[0]).toBeLessThan(10); // events before the subarray were held, not lost
        } else {
          expect(seen).not.toContain('subarray');
          expect(firstEventAt - connectedAt).toBeGreaterThan(1500);
        }
      }
    }, 30_000);

    it('treats a publisher that sends nothing, not even heartbeats, as lost and retries', async () => {
      const { pub, url } = await publisher();
      const c = new DaqZmqClient(url);
      const messages: string[] = [];
      c.on('state', (s, m) => messages.push(`${s}: ${m}`));
      c.start();
      await until(() => c.state === 'connected', 5000, 'connected');
      await until(() => c.state === 'reconnecting', 10_000, 'reconnecting after silence');
      expect(messages.join('\n')).toMatch(/nothing received for 5 s, not even heartbeats/);
      // a new socket connects to the publisher, which is still there
      await until(() => c.state === 'connected', 5000, 'connected again');
      c.close();
      pub.close();
    }, 20_000);

    it('reports another protocol version, and a message ending inside a frame, as errors without retrying', async () => {
      const bad = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 });
      new DataView(bad.buffer).setUint16(8, 9, true);
      const cut = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 }).subarray(0, 30);
      for (const [message, re] of [
        [bad, /protocol version 9 is not supported/],
        [cut, /message of 30 bytes ends inside a frame/],
      ] as const) {
        const { pub, url } = await publisher();
        const c = new DaqZmqClient(url);
        const states: string[] = [];
        c.on('state', (st, m) => states.push(`${st}: ${m}`));
        c.start();
        // a subscriber only gets what is published after its subscription arrived: publish until it errs
        const timer = setInterval(() => void pub.send(message).catch(() => undefined), 50);
        await until(() => c.state === 'error', 5000, 'error');
        clearInterval(timer);
        await new Promise((r) => setTimeout(r, 400));
        // no retry: connecting (connected), error, and nothing after
        const after = states.filter((x) => !/^connect(ing|ed):/.test(x));
        expect(after).toHaveLength(1);
        expect(after[0]).toMatch(/^error: /);
        expect(after[0]).toMatch(re);
        expect(states.at(-1)).toBe(after[0]);
        c.close();
        pub.close();
      }
    }, 20_000);
  });
});
