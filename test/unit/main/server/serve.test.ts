import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { Session } from '../../../../src-main/session/session.js';
import { startServer, type RunningServer } from '../../../../src-main/server/serve.js';
import { TestClient } from '../../../helpers/ws-client.js';

describe('serve mode', () => {
  let session: Session;
  let open: RunningServer;
  let guarded: RunningServer;
  beforeAll(async () => {
    session = new Session({ autoStart: true, rateHz: 20, seed: 1 });
    open = await startServer(session, { host: '127.0.0.1', port: 0 });
    guarded = await startServer(session, { host: '127.0.0.1', port: 0, token: 'sesame-42-open-sesame' });
  });
  afterAll(async () => {
    await open.close();
    await guarded.close();
    await session.close();
  });

  test('serves the renderer with a strict Content-Security-Policy', async () => {
    const res = await fetch(`http://127.0.0.1:${open.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
    expect(await res.text()).toContain('app.js');
    expect((await fetch(`http://127.0.0.1:${open.port}/../../package.json`)).status).not.toBe(200);
  });

  test('an API request round-trips and streams arrive with typed arrays', async () => {
    const client = await TestClient.connect(`ws://127.0.0.1:${open.port}/api`);
    const reply = await client.request('app.ping', { payload: 'hello' });
    expect(reply).toMatchObject({ ok: true, result: { pong: true, payload: 'hello' } });
    const event = await client.next((m) => m.type === 'stream' && m.stream === 'array-event');
    const data = (event as { data: { telescopes: { image: unknown }[] } }).data;
    expect(data.telescopes[0].image).toBeInstanceOf(Float32Array);
    client.close();
  });

  test('two windows on the same live stream: each event they were sent counts once as displayed', async () => {
    const a = await TestClient.connect(`ws://127.0.0.1:${open.port}/api`);
    const b = await TestClient.connect(`ws://127.0.0.1:${open.port}/api`);
    const isEvent = (m: { type: string; stream?: string }) => m.type === 'stream' && m.stream === 'array-event';
    for (let i = 0; i < 5; i++) await Promise.all([a.next(isEvent), b.next(isEvent)]);
    const status = (await a.request('live.status', {})) as { result: { counters: { processed: number; displayed: number } } };
    const c = status.result.counters;
    expect(c.displayed).toBeGreaterThan(0);
    // both windows got their events, yet no more events were displayed than were processed
    expect(c.displayed).toBeLessThanOrEqual(c.processed);
    a.close();
    b.close();
  });

  test('malformed messages get an error reply, and the server keeps serving', async () => {
    const client = await TestClient.connect(`ws://127.0.0.1:${open.port}/api`);
    client.socket.send('{ this is not json');
    const bad = await client.next((m) => m.type === 'reply' && !m.ok);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    client.socket.send(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]), { binary: true });
    client.socket.send(JSON.stringify({ type: 'request', id: 77, method: 'instrument.geometry', params: { camera: 42 } }));
    const invalid = await client.next((m) => m.type === 'reply' && m.id === 77);
    expect(invalid).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((invalid as { error: { message: string } }).error.message).toMatch(/camera/);
    const unknown = await client.request('drop.tables', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const good = await client.request('app.info', {});
    expect(good).toMatchObject({ ok: true, result: { name: 'Lightpool', transport: 'websocket' } });
    client.close();
  });

  test('with a token, page and API refuse clients without it and accept those with it', async () => {
    expect((await fetch(`http://127.0.0.1:${guarded.port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${guarded.port}/?token=wrong`)).status).toBe(401);
    const page = await fetch(`http://127.0.0.1:${guarded.port}/?token=sesame-42-open-sesame`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    await expect(TestClient.connect(`ws://127.0.0.1:${guarded.port}/api`)).rejects.toThrow(/401/);
    await expect(TestClient.connect(`ws://127.0.0.1:${guarded.port}/api?token=nope`)).rejects.toThrow(/401/);
    const client = await TestClient.connect(`ws://127.0.0.1:${guarded.port}/api?token=sesame-42-open-sesame`);
    expect(await client.request('app.info', {})).toMatchObject({ ok: true, result: { tokenRequired: true } });
    client.close();
  });

  test('a WebSocket from another origin is refused', async () => {
    await expect(TestClient.connect(`ws://127.0.0.1:${open.port}/api`, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  test('`lightpool serve --host 0.0.0.0` without --token prints a generated token and requires it', async () => {
    const child = spawn(process.execPath, ['bin/lightpool.js', 'serve', '--host', '0.0.0.0', '--port', '0', '--no-sim'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /serving at (\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const token = /Access token \(generated[^)]*\): (\S+)/.exec(out)?.[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      const port = new URL(url).port;
      await expect(TestClient.connect(`ws://127.0.0.1:${port}/api`)).rejects.toThrow(/401/);
      const client = await TestClient.connect(`ws://127.0.0.1:${port}/api?token=${token}`);
      expect((await client.request('app.ping', {})).ok).toBe(true);
      client.close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
void WebSocket;
