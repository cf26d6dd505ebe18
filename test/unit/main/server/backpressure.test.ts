/**
 * Issue 12, item 5 (backpressure and limits), against a real server on
 * loopback with the default limits:
 * - a client that sends requests and never reads the replies is disconnected,
 *   with the reason in the log, once 64 MiB wait for it — the bytes queued
 *   for it never exceed that cap — while another client's pings are answered
 *   all along (no time is asserted: `npm run bench serve-backpressure`
 *   measures the ping latency and the server's memory);
 * - a client that reads nothing and sends nothing is not disconnected: its
 *   streams coalesce (newest wins), so what waits for it stays bounded;
 * - the per-connection request-rate cap answers excess requests with
 *   'rate-limited' errors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../../../src-main/api/contract.js';
import { Session } from '../../../../src-main/session/session.js';
import { startServer, type DroppedClient, type RunningServer } from '../../../../src-main/server/serve.js';
import { WsChannel } from '../../../../src-main/server/ws-channel.js';
import { RawWsClient } from '../../../helpers/raw-ws.js';
import { TestClient } from '../../../helpers/ws-client.js';

describe('backpressure', () => {
  let session: Session;
  let server: RunningServer;
  let logged = '';
  const spy = vi.spyOn(process.stderr, 'write');
  beforeAll(async () => {
    spy.mockImplementation((chunk: string | Uint8Array) => {
      logged += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    });
    session = new Session({ autoStart: true, rateHz: 50, seed: 8 });
    server = await startServer(session, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    spy.mockRestore();
    await server.close();
    await session.close();
  });

  it('disconnects a client that does not read its replies, and keeps answering another client', async () => {
    const dropped = new Promise<DroppedClient>((resolve) => server.events.once('dropped', resolve));
    const reader = await TestClient.connect(`ws://127.0.0.1:${server.port}/api`);
    reader.keepStreams = false;
    const hog = await RawWsClient.connect(server.port, '/api', { read: false });
    // big replies (an LSTCam geometry is ~100 kB on the wire), as fast as the rate cap lets them through
    let sent = 0;
    let pings = 0;
    let done = false;
    const flood = (async () => {
      while (!done && !hog.closed) {
        for (let i = 0; i < 50 && !hog.closed; i++)
          hog.sendText(JSON.stringify({ type: 'request', id: ++sent, method: 'instrument.geometry', params: { camera: 'LSTCam' } }));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const pinger = (async () => {
      while (!done) {
        const r = await reader.request('app.ping', { payload: `p${pings}` });
        expect(r).toMatchObject({ ok: true, result: { payload: `p${pings}` } });
        pings++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const d = await dropped;
    done = true;
    await flood;
    await pinger;
    expect(d.reason).toMatch(/over the cap of 64\.0 MiB \(the client does not read\)/);
    expect(d.peakQueuedBytes).toBeLessThanOrEqual(server.limits.maxQueuedBytes);
    expect(d.peakQueuedBytes).toBeGreaterThan(server.limits.maxQueuedBytes / 2);
    expect(logged).toMatch(new RegExp(`WARN +\\[serve\\] ${d.peer.replace(/\./g, '\\.')} disconnected: .*over the cap of 64\\.0 MiB`));
    expect(pings).toBeGreaterThan(0);
    // the other client is still served, and the server holds nothing for the dropped one
    expect(await reader.request('app.ping', { payload: 'after' })).toMatchObject({ ok: true, result: { payload: 'after' } });
    expect(server.connections().map((c) => c.peer)).not.toContain(d.peer);
    for (const c of server.connections()) expect(c.channel.queuedBytes).toBeLessThanOrEqual(server.limits.maxQueuedBytes);
    reader.close();
    hog.destroy();
  });

  it('answers requests over the rate cap with rate-limited errors, under their ids', async () => {
    const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/api`);
    client.keepStreams = false;
    const n = server.limits.requestBurst + 200;
    for (let id = 1; id <= n; id++) client.socket.send(JSON.stringify({ type: 'request', id, method: 'app.ping', params: {} }));
    await expect.poll(() => client.messages.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
    const replies = client.messages.filter((m): m is Extract<ServerMessage, { type: 'reply' }> => m.type === 'reply');
    const limited = replies.filter((r) => r.error?.code === 'rate-limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.ok).length).toBeGreaterThanOrEqual(server.limits.requestBurst);
    expect(limited.every((r) => r.id >= 1 && r.id <= n)).toBe(true);
    expect(limited[0].error!.message).toMatch(/too many requests: this server answers at most 200 per second per connection/);
    client.close();
  });
});

describe('a client that reads nothing and sends nothing', () => {
  let session: Session;
  let server: RunningServer;
  afterEach(async () => {
    await server?.close();
    await session?.close();
  });

  it('is kept, with what waits for it bounded by coalescing (newest wins)', async () => {
    session = new Session({ autoStart: true, rateHz: 100, seed: 9 });
    server = await startServer(session, { host: '127.0.0.1', port: 0, limits: { busyBytes: 256 * 1024 } });
    const drops: DroppedClient[] = [];
    server.events.on('dropped', (d) => drops.push(d));
    const idle = await RawWsClient.connect(server.port, '/api', { read: false });
    await expect.poll(() => server.connections()[0]?.channel.queuedBytes ?? 0, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(256 * 1024);
    // from now on stream messages wait, one per stream; a few more seconds of streams change nothing
    await new Promise((r) => setTimeout(r, 3000));
    const [c] = server.connections();
    expect(drops).toEqual([]);
    expect(c.channel.peakQueuedBytes).toBeLessThan(server.limits.maxQueuedBytes);
    expect(c.channel.ready()).toBe(false); // array events wait too
    idle.destroy();
  });
});

describe('the sender (WsChannel) against a socket that never drains', () => {
  /** a stand-in for ws's WebSocket: open, accepts frames, never reports them written */
  function stuckSocket() {
    const sent: Uint8Array[] = [];
    return {
      sent,
      terminated: false,
      OPEN: 1,
      readyState: 1,
      send(data: Uint8Array, _opts: unknown, _cb: () => void) {
        sent.push(data);
      },
      terminate() {
        this.terminated = true;
        this.readyState = 3;
      },
    };
  }
  const stream = (name: string, data: unknown): ServerMessage => ({ type: 'stream', stream: name as never, data });

  it('keeps one message per stream while busy, every notice, and drops the client over the caps', () => {
    const socket = stuckSocket();
    const reasons: string[] = [];
    const ch = new WsChannel(socket as never, 'test', { busyBytes: 1000, maxQueuedBytes: 20_000, maxPendingMessages: 50 }, (r) => reasons.push(r));
    ch.send(stream('live-status', { pad: 'x'.repeat(2000) })); // goes out: the channel was idle
    expect(socket.sent.length).toBe(1);
    expect(ch.ready()).toBe(false);
    for (let i = 0; i < 100; i++) ch.send(stream('live-status', { i }));
    for (let i = 0; i < 100; i++) ch.send(stream('live-rates', { i }));
    ch.send(stream('export-progress', { jobId: 'a', done: false }));
    ch.send(stream('export-progress', { jobId: 'b', done: false }));
    ch.send(stream('export-progress', { jobId: 'a', done: true }));
    for (let i = 0; i < 10; i++) ch.send(stream('notice', { level: 'info', message: `n${i}` }));
    expect(socket.sent.length).toBe(1); // everything else waits
    expect(reasons).toEqual([]);
    // replies are sent at once, until the queue would pass the cap
    for (let i = 0; i < 8; i++) ch.send({ type: 'reply', id: i, ok: true, result: { pad: 'y'.repeat(2000) } });
    expect(socket.sent.length).toBe(9);
    expect(ch.queuedBytes).toBeLessThanOrEqual(20_000);
    ch.send({ type: 'reply', id: 99, ok: true, result: { pad: 'z'.repeat(3000) } });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/over the cap .*\(the client does not read\)/);
    expect(socket.terminated).toBe(true);
    expect(ch.peakQueuedBytes).toBeLessThanOrEqual(20_000);
  });

  it('drops a client when more than maxPendingMessages notices wait', () => {
    const socket = stuckSocket();
    const reasons: string[] = [];
    const ch = new WsChannel(socket as never, 'test', { busyBytes: 10, maxQueuedBytes: 1e6, maxPendingMessages: 20 }, (r) => reasons.push(r));
    ch.send(stream('live-status', {}));
    for (let i = 0; i < 20; i++) ch.send(stream('notice', { level: 'info', message: `n${i}` }));
    expect(reasons).toEqual([]);
    ch.send(stream('notice', { level: 'info', message: 'one too many' }));
    expect(reasons[0]).toMatch(/more than 20 messages wait to be sent/);
  });

  it('sends what waited, oldest first and newest content, as the socket drains', () => {
    const callbacks: (() => void)[] = [];
    const sent: Uint8Array[] = [];
    const socket = {
      OPEN: 1,
      readyState: 1,
      send: (d: Uint8Array, _o: unknown, cb: () => void) => {
        sent.push(d);
        callbacks.push(cb);
      },
      terminate() {},
    };
    const ch = new WsChannel(socket as never, 'test', { busyBytes: 100, maxQueuedBytes: 1e6, maxPendingMessages: 50 });
    ch.send(stream('live-status', { pad: 'x'.repeat(200) }));
    ch.send(stream('live-rates', { v: 1 }));
    ch.send(stream('live-status', { v: 2 }));
    ch.send(stream('live-rates', { v: 3 }));
    expect(sent.length).toBe(1);
    callbacks.shift()!(); // the first frame is written: the waiting ones go, rates first (it waited longest), each newest
    expect(sent.length).toBe(3);
    const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
    expect(text(sent[1])).toMatch(/live-rates/);
    expect(text(sent[1])).toMatch(/"v":3/);
    expect(text(sent[2])).toMatch(/live-status/);
    expect(text(sent[2])).toMatch(/"v":2/);
    expect(ch.ready()).toBe(false);
    callbacks.shift()!();
    callbacks.shift()!();
    expect(ch.ready()).toBe(true);
  });
});
