/**
 * Issue 12, item 5 (limits): `lightpool serve` takes at most 64 API
 * connections (the default cap): the 65th is refused with 503 and a reason
 * while the others keep working, and a place freed is taken again; idle TCP
 * connections beyond twice the cap are closed at once instead of all being
 * accepted. The real CLI on loopback (dist/, `npm run build`).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../../helpers/serve-process.js';
import { TestClient } from '../../../helpers/ws-client.js';

describe('connection cap', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe(['--port', '0', '--no-sim']);
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('refuses the 65th API connection with 503, serves the 64, and takes a freed place again', async () => {
    const url = `ws://127.0.0.1:${serve.port}/api`;
    const clients: TestClient[] = [];
    try {
      for (let i = 0; i < 64; i++) clients.push(await TestClient.connect(url));
      await expect(TestClient.connect(url)).rejects.toThrow(/HTTP 503/);
      await expect
        .poll(() => serve.output(), { timeout: 10_000 })
        .toMatch(/refused WebSocket from 127\.0\.0\.1: 64 connections already, the most this server takes/);
      const replies = await Promise.all(clients.map((c) => c.request('app.ping', {})));
      expect(replies.every((r) => r.ok)).toBe(true);
      const leaving = clients.pop()!;
      const closed = new Promise((r) => leaving.socket.once('close', r));
      leaving.close();
      await closed;
      // the server sees the close a moment later
      await expect
        .poll(
          async () => {
            try {
              clients.push(await TestClient.connect(url));
              return true;
            } catch {
              return false;
            }
          },
          { timeout: 20_000 },
        )
        .toBe(true);
      expect(serve.alive()).toBe(true);
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('closes idle TCP connections beyond twice the cap at once, and still serves afterwards', async () => {
    const sockets: Socket[] = [];
    let closedByServer = 0;
    try {
      await Promise.all(
        Array.from(
          { length: 300 },
          () =>
            new Promise<void>((resolve) => {
              const s = connect({ host: '127.0.0.1', port: serve.port });
              s.on('error', () => undefined);
              s.on('close', () => closedByServer++);
              s.on('connect', () => resolve());
              s.on('close', () => resolve());
              sockets.push(s);
            }),
        ),
      );
      // at most 128 held: the rest are closed by the server
      await expect.poll(() => closedByServer, { timeout: 20_000 }).toBeGreaterThanOrEqual(300 - 128);
    } finally {
      for (const s of sockets) s.destroy();
    }
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${serve.port}/`).catch(() => undefined))?.status, { timeout: 20_000 }).toBe(200);
    expect(serve.alive()).toBe(true);
  });
});
