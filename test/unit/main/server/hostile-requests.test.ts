/**
 * Issue 12, items 1 and 2: requests that ended the whole `lightpool serve`
 * process. Each is sent to the real CLI on 127.0.0.1 (no token, and with a
 * token), must be answered with 400 (or 403 where the request is refused on
 * purpose), and the process must go on serving: a page load and an API ping
 * after every one of them. Uses the built CLI (dist/, `npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp, startServe, type ServeProcess } from '../../../helpers/serve-process.js';
import { TestClient } from '../../../helpers/ws-client.js';

const TOKEN = 'hostile-requests-token-0123';

const upgrade = (path: string, host: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe.each([
  { name: 'on loopback without a token', args: [] as string[], token: '' },
  { name: 'with a token', args: ['--token', TOKEN], token: TOKEN },
])('lightpool serve $name survives the requests that crashed it', ({ args, token }) => {
  let serve: ServeProcess;
  let host: string;
  const q = token ? `?token=${token}` : '';

  beforeAll(async () => {
    serve = await startServe(['--port', '0', '--no-sim', ...args]);
    host = `127.0.0.1:${serve.port}`;
  });
  afterAll(async () => {
    await serve?.stop();
  });

  async function stillServing(): Promise<void> {
    expect(serve.alive(), `the server exited:\n${serve.output()}`).toBe(true);
    const page = await fetch(`http://${host}/${q}`);
    expect(page.status).toBe(200);
    const client = await TestClient.connect(`ws://${host}/api${q}`);
    try {
      expect(await client.request('app.ping', { payload: 'after' })).toMatchObject({ ok: true, result: { pong: true, payload: 'after' } });
    } finally {
      client.close();
    }
  }

  const cases: { what: string; request: () => string; status: number }[] = [
    {
      what: 'a malformed token cookie (Cookie: lightpool_token=%zz)',
      request: () => `GET / HTTP/1.1\r\nHost: ${host}\r\nCookie: lightpool_token=%zz\r\nConnection: close\r\n\r\n`,
      status: 400,
    },
    { what: 'a malformed token cookie on the WebSocket upgrade', request: () => upgrade('/api', host, 'Cookie: lightpool_token=%E0%A4%A\r\n'), status: 400 },
    {
      what: 'an invalid absolute-form request target (http://[/)',
      request: () => `GET http://[/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      status: 400,
    },
    { what: 'an invalid absolute-form target on the upgrade', request: () => upgrade('http://[/', host), status: 400 },
    { what: 'a bad %-escape in the path (/%E0%A4%A)', request: () => `GET /%E0%A4%A${q} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, status: 400 },
    { what: 'a bad %-escape in the path of the upgrade', request: () => upgrade(`/%E0%A4%A${q}`, host), status: 400 },
    { what: 'a WebSocket upgrade with Origin: null (a sandboxed iframe)', request: () => upgrade(`/api${q}`, host, 'Origin: null\r\n'), status: 403 },
    { what: 'a WebSocket upgrade with an unparseable Origin', request: () => upgrade(`/api${q}`, host, 'Origin: http://[\r\n'), status: 400 },
    { what: 'a NUL byte in the path', request: () => `GET /index.html%00.js${q} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, status: 400 },
    { what: 'a request without a Host header (HTTP/1.0)', request: () => `GET / HTTP/1.0\r\n\r\n`, status: 400 },
  ];

  for (const c of cases) {
    it(`answers ${c.what} with ${c.status} and keeps serving`, async () => {
      const r = await rawHttp(serve.port, c.request());
      expect(r.status, r.text).toBe(c.status);
      await stillServing();
    });
  }
});
