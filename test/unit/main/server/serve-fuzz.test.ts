/**
 * Issue 12 acceptance: a fuzz test of `lightpool serve` (the real CLI on
 * loopback, the simulated array running, a DL1 file open). 12,000 inputs from
 * a seeded generator, bounded in time:
 * - 6,000 HTTP requests, each on its own connection: random bytes, and valid
 *   requests (page loads and WebSocket upgrades) mutated in their target,
 *   method, version and headers (Host, Origin, Cookie, Upgrade, lengths);
 * - 6,000 WebSocket frames on upgraded connections: API requests for every
 *   method with random and mutated parameters, random JSON, random and
 *   mutated binary API frames, and broken WebSocket framing.
 * Afterwards the process is alive, logged no uncaught error, answers a ping
 * and serves the page. Uses the built CLI (dist/, `npm run build`).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../../src-main/api/wire-codec.js';
import { methodRoles } from '../../../../src-main/api/method-roles.js';
import { RawWsClient, wsFrame } from '../../../helpers/raw-ws.js';
import { startServe, type ServeProcess } from '../../../helpers/serve-process.js';
import { TestClient } from '../../../helpers/ws-client.js';
import { until } from '../../../helpers/wait.js';

const HTTP_INPUTS = 6000;
const WS_FRAMES = 6000;
/** the whole fuzz stops sending after this, whatever is left (it takes ~30 s on an idle machine) */
const BUDGET_MS = 240_000;
const PARALLEL = 12;

/** a small seeded generator (mulberry32), so a failure can be replayed */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.LIGHTPOOL_FUZZ_SEED ?? 12);
const random = rng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)];
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

const NASTY = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%2e%2e/',
  '../',
  '..\\',
  '//',
  '\\',
  '[',
  ']',
  '@',
  '?',
  '#',
  '"',
  "'",
  '<script>',
  '\u00e9',
  '\u{1F600}',
  'null',
  ' ',
  '\t',
  ';',
  ',',
  '=',
  '*',
  '\uFFFF',
  'http://[/',
  'ﬀ',
  '{}',
  '[]',
  '-1',
  '1e309',
  'NaN',
];
const nasty = () => Array.from({ length: 1 + int(4) }, () => (random() < 0.7 ? pick(NASTY) : bytes(1 + int(6)).toString('latin1'))).join('');

function mutateString(s: string): string {
  const r = random();
  if (r < 0.25) return nasty();
  if (r < 0.45) {
    const i = int(s.length + 1);
    return s.slice(0, i) + nasty() + s.slice(i);
  }
  if (r < 0.6) return s.repeat(1 + int(200));
  if (r < 0.75) return s.slice(0, int(s.length + 1));
  if (r < 0.85) return '';
  return Buffer.from(Buffer.from(s).map((b) => (random() < 0.1 ? int(256) : b))).toString('latin1');
}

function httpRequest(port: number): Buffer {
  if (random() < 0.15) return bytes(int(3000));
  const upgrade = random() < 0.5;
  const headers: [string, string][] = [['Host', pick([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `evil.example:${port}`, ''])]];
  if (upgrade)
    headers.push(['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Version', '13'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']);
  if (random() < 0.5) headers.push(['Origin', pick([`http://127.0.0.1:${port}`, 'null', 'http://evil.example', 'http://[', 'file://', ''])]);
  if (random() < 0.5)
    headers.push(['Cookie', pick(['lightpool_token=%zz', 'lightpool_token=abc', 'a=b; lightpool_token="%E0%A4%A"', 'lightpool_token', ';;;='])]);
  if (random() < 0.2) headers.push(['Content-Length', pick(['0', '5', '-1', '99999999999999999999', 'abc'])]);
  if (random() < 0.1) headers.push(['Transfer-Encoding', pick(['chunked', 'gzip, chunked', 'x'])]);
  let method = pick(['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'BREW']);
  let target = pick(['/', '/api', '/app.js', '/index.html', '/api?token=x', '/?token=%zz', '/../../etc/passwd', '*', 'http://[/', `http://127.0.0.1:${port}/`]);
  let version = 'HTTP/1.1';
  const n = 1 + int(3);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.3) target = mutateString(target);
    else if (r < 0.4) method = mutateString(method);
    else if (r < 0.5) version = pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'HTTP', '']);
    else if (r < 0.85) {
      const h = pick(headers);
      if (random() < 0.8) h[1] = mutateString(h[1]);
      else h[0] = mutateString(h[0]);
    } else headers.push([mutateString('X-Fuzz'), mutateString('v')]);
  }
  let text = `${method} ${target} ${version}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  if (random() < 0.1) text = text.replace(/\r\n/g, pick(['\n', '\r', '\r\n\r\n']));
  if (random() < 0.1) text = text.slice(0, int(text.length));
  return Buffer.from(text, 'latin1');
}

/** sends one raw request on a new connection (half-closed after it), waits a little for the answer */
function sendHttp(port: number, request: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve();
    };
    const timer = setTimeout(done, 1000);
    s.on('error', done);
    s.on('close', done);
    s.on('data', () => undefined);
    s.on('connect', () => {
      s.write(request);
      s.end();
    });
  });
}

const METHODS = Object.keys(methodRoles);
/** methods the fuzz leaves out: they make the machine busy for the rest of the test (a simulation at 100 kHz) or reach out (DAQ connections, recordings) */
const QUIET = new Set(['live.simulate', 'live.configure', 'live.replay', 'live.connect', 'live.record.start', 'file.export']);

function randomJson(depth = 0): unknown {
  const r = random();
  if (depth > 3 || r < 0.3) return pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, '', 'x', nasty(), true, false, null]);
  if (r < 0.6) return Array.from({ length: int(5) }, () => randomJson(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < int(5); i++)
    o[
      pick([
        'fileId',
        'path',
        'dir',
        'camera',
        'index',
        'start',
        'count',
        'columns',
        'url',
        'action',
        'name',
        'bins',
        'min',
        'max',
        'payload',
        'jobId',
        '__proto__',
        'constructor',
        nasty(),
      ])
    ] = randomJson(depth + 1);
  return o;
}

function wsPayload(fileId: string): { data: Buffer; binary: boolean } {
  const r = random();
  const method = pick(METHODS.filter((m) => !QUIET.has(m)));
  const goodParams: Record<string, unknown> = {
    fileId,
    path: pick(['/dl1/event/telescope/images/tel_001', '/', '/simulation', nasty()]),
    index: int(200),
    start: [int(10)],
    count: [int(10)],
    camera: pick(['LSTCam', 'NectarCam', nasty()]),
    action: pick(['start', 'pause', 'resume', 'stop']),
  };
  if (r < 0.45) {
    const params = random() < 0.5 ? goodParams : (randomJson() as Record<string, unknown>);
    const msg: Record<string, unknown> = { type: 'request', id: int(1e6), method: random() < 0.9 ? method : nasty(), params };
    if (random() < 0.3) msg[pick(['type', 'id', 'method', 'params'])] = randomJson();
    return { data: Buffer.from(JSON.stringify(msg)), binary: false };
  }
  if (r < 0.6) return { data: Buffer.from(JSON.stringify(randomJson())), binary: false };
  if (r < 0.7) return { data: Buffer.from(mutateString(JSON.stringify({ type: 'request', id: 1, method: 'app.ping', params: {} })), 'latin1'), binary: false };
  if (r < 0.85) {
    const frame = Buffer.from(encodeFrame({ type: 'request', id: int(1000), method, params: { ...goodParams, data: new Float32Array(int(50)) } }));
    for (let i = 0; i < 1 + int(8); i++) frame[int(frame.length)] = int(256);
    return { data: random() < 0.2 ? frame.subarray(0, int(frame.length)) : frame, binary: true };
  }
  return { data: bytes(int(2000)), binary: true };
}

/**
 * A frame as sent on the wire: mostly well-formed; one in twenty breaks the
 * framing (reserved opcodes, no mask, a fragmented control frame, an absurd
 * length, garbage), after which the server closes the connection: such a
 * frame is the last on its connection.
 */
function wireFrame(p: { data: Buffer; binary: boolean }): { frame: Buffer; breaks: boolean } {
  const r = random();
  if (r < 0.95) return { frame: wsFrame(p.data, p.binary ? 2 : 1), breaks: false };
  const broken = [
    () => wsFrame(p.data, pick([3, 7, 0xb, 0xf])),
    () => wsFrame(p.data, 1, true, false),
    () => wsFrame(p.data, 9, false),
    () => Buffer.concat([Buffer.from([0x81, 0xff]), bytes(8)]),
    () => bytes(1 + int(64)),
  ];
  return { frame: pick(broken)(), breaks: true };
}

describe('lightpool serve under fuzzing', () => {
  let serve: ServeProcess;
  const dir = mkdtempSync(join(tmpdir(), 'lightpool-fuzz-'));
  let fileId = '';

  beforeAll(async () => {
    copyFileSync(resolve('test/fixtures/samples/dl1_sample_120.blosc.h5'), join(dir, 'dl1.h5'));
    serve = await startServe(['--port', '0', '--rate', '20', join(dir, 'dl1.h5')], { cwd: dir, env: { LIGHTPOOL_LOG: 'warn' } });
    await until(() => /opened .*dl1\.h5/.test(serve.output()), 30_000, 'the file opened at start');
    const c = await TestClient.connect(`ws://127.0.0.1:${serve.port}/api`);
    fileId = (await c.call<{ fileId: string }[]>('file.list', {}))[0].fileId;
    c.close();
  });
  afterAll(async () => {
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ${HTTP_INPUTS} mutated HTTP requests and ${WS_FRAMES} WebSocket frames, then answers a ping`, { timeout: BUDGET_MS + 120_000 }, async () => {
    const deadline = Date.now() + BUDGET_MS;
    let httpSent = 0;
    let framesSent = 0;
    let wsConnections = 0;

    // HTTP: PARALLEL senders
    const requests = Array.from({ length: HTTP_INPUTS }, () => httpRequest(serve.port));
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < requests.length && Date.now() < deadline) {
          await sendHttp(serve.port, requests[next++]);
          httpSent++;
        }
      }),
    );

    // WebSocket: connections of at most 250 frames (under the request-burst cap), re-opened when the server closes one
    while (framesSent < WS_FRAMES && Date.now() < deadline) {
      let ws: RawWsClient;
      try {
        ws = await RawWsClient.connect(serve.port, '/api');
      } catch {
        await new Promise((r) => setTimeout(r, 50)); // e.g. a place not yet freed by the last connection
        continue;
      }
      wsConnections++;
      // at most 250 frames per connection (under the request-burst cap); a frame counts once written to an open connection
      for (let i = 0; i < 250 && framesSent < WS_FRAMES; i++) {
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
        if (ws.closed) break;
        const { frame, breaks } = wireFrame(wsPayload(fileId));
        const flushed = ws.sendRaw(frame);
        framesSent++;
        if (breaks) break;
        if (!flushed) await new Promise((r) => ws.socket.once('drain', r).once('close', r));
      }
      await new Promise((r) => setTimeout(r, 20));
      ws.destroy();
    }

    const log = serve.output();
    const seen = (re: RegExp) => (log.match(re) ?? []).length;
    console.log(
      `fuzz (seed ${SEED}): ${httpSent} HTTP requests, ${framesSent} WebSocket frames on ${wsConnections} connections; ` +
        `the server logged ${seen(/refused HTTP request/g)} refused HTTP requests, ${seen(/refused WebSocket/g)} refused upgrades, ` +
        `${seen(/rejected request/g)} rejected API requests, ${seen(/undecodable message/g)} undecodable messages, ${seen(/refused [a-z]+\.[A-Za-z.]+: /g) + seen(/ failed: /g)} failed or refused calls`,
    );
    expect(httpSent + framesSent).toBeGreaterThanOrEqual(10_000);
    expect(serve.alive(), serve.output().slice(-3000)).toBe(true);
    const client = await TestClient.connect(`ws://127.0.0.1:${serve.port}/api`);
    try {
      expect(await client.request('app.ping', { payload: 'still here' })).toMatchObject({ ok: true, result: { payload: 'still here' } });
      expect(await client.call<unknown[]>('file.list', {})).toHaveLength(1);
    } finally {
      client.close();
    }
    expect((await fetch(`http://127.0.0.1:${serve.port}/`)).status).toBe(200);
    // nothing reached the last-resort handler: every input was answered where it was read
    expect(serve.output()).not.toMatch(/unexpected error|unhandled promise rejection/);
  });
});
