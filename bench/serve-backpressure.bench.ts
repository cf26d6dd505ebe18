/**
 * Serve mode under a client that never reads (issue 12, item 5): `lightpool
 * serve` (a separate process, simulated array at 10 Hz) while one client
 * sends requests with large replies (an LSTCam geometry, ~100 kB each) as
 * fast as it can and never reads — reconnecting each time the server drops
 * it, for DURATION seconds — and a second client pings every 50 ms.
 *
 * Printed: how often and after how long the hog was disconnected, the
 * second client's ping round trips (p50, p99, max), and the server's
 * resident memory (VmRSS from /proc, sampled every 100 ms: before, peak).
 * Targets from the issue: pings under 200 ms, server RSS under 500 MB (before
 * the fix: 23.7 s and 1.97 GB).
 *
 * Run: node scripts/build.mjs && npm run bench serve-backpressure
 *      (env SERVE_BENCH_SECONDS, default 15)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const DURATION = Number(process.env.SERVE_BENCH_SECONDS ?? 15);
const BIN = ['../bin/lightpool.js', '../../../bin/lightpool.js'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p))!;

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x81, 0x80 | n]) : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 255]);
  const key = randomBytes(4);
  for (let i = 0; i < n; i++) payload[i] ^= key[i & 3];
  return Buffer.concat([head, key, payload]);
}

/** a WebSocket that never reads: resolves with the socket once upgraded, then stops reading */
function hog(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let text = '';
    s.on('error', () => undefined);
    s.on('connect', () =>
      s.write(
        `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      ),
    );
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (!text.startsWith('HTTP/1.1 101')) return reject(new Error(text.split('\r\n')[0]));
      s.pause();
      resolve(s);
    };
    s.on('data', onData);
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--rate', '10'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, LIGHTPOOL_LOG: 'warn' },
});
let out = '';
child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
const url = await new Promise<string>((resolve, reject) => {
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /serving at (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`lightpool serve exited with ${code}: ${out}`)));
});
const port = Number(new URL(url).port);
await new Promise((r) => setTimeout(r, 2000)); // warm-up: the simulation and the geometry cache
const rssBefore = rssMB(child.pid!);
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMB(child.pid!))), 100);

// the reader: a ping every 50 ms, round trips measured
const reader = new WebSocket(`ws://127.0.0.1:${port}/api`);
await new Promise((r) => reader.once('open', r));
const sentAt = new Map<number, number>();
const rtts: number[] = [];
reader.on('message', (data: Buffer) => {
  // replies are binary frames with a JSON header; the ping reply names its id
  const m = /"type":"reply","id":(\d+)/.exec(data.toString('latin1'));
  if (!m) return;
  const t = sentAt.get(Number(m[1]));
  if (t !== undefined) {
    rtts.push(performance.now() - t);
    sentAt.delete(Number(m[1]));
  }
});
let pingId = 0;
const pinger = setInterval(() => {
  const id = ++pingId;
  sentAt.set(id, performance.now());
  reader.send(JSON.stringify({ type: 'request', id, method: 'app.ping', params: {} }));
}, 50);

// the hog: floods, never reads, comes back when dropped
const end = performance.now() + DURATION * 1000;
const dropTimes: number[] = [];
let requests = 0;
while (performance.now() < end) {
  let s: Socket;
  try {
    s = await hog(port);
  } catch (err) {
    console.log(`hog refused: ${(err as Error).message}`);
    await new Promise((r) => setTimeout(r, 200));
    continue;
  }
  const t0 = performance.now();
  const closed = new Promise<void>((r) => s.once('close', () => r()));
  let open = true;
  void closed.then(() => (open = false));
  while (open && performance.now() < end) {
    for (let i = 0; i < 50; i++)
      s.write(frame(JSON.stringify({ type: 'request', id: ++requests, method: 'instrument.geometry', params: { camera: 'LSTCam' } })));
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!open) dropTimes.push((performance.now() - t0) / 1000);
  s.destroy();
}
await new Promise((r) => setTimeout(r, 1000));
clearInterval(pinger);
clearInterval(sampler);
const unanswered = sentAt.size;
reader.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));

const sorted = [...rtts].sort((a, b) => a - b);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const maxPing = sorted[sorted.length - 1];
console.log(`serve-backpressure: ${DURATION} s of a non-reading client flooding instrument.geometry (load average ${load})`);
console.log(`  the hog was disconnected ${dropTimes.length} times, after ${dropTimes.map((t) => t.toFixed(1)).join(', ')} s; ${requests} requests sent`);
console.log(
  `  logged reasons: ${[...new Set([...out.matchAll(/disconnected: (.*?) \(the client does not read\)/g)].map((m) => m[1].replace(/[\d.]+ MiB queued and [\d.]+ MiB more/, 'N MiB queued and M MiB more')))].join(' | ')}`,
);
console.log(
  `  second client's ping: ${rtts.length} answered, ${unanswered} unanswered; p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms, max ${maxPing.toFixed(1)} ms (target < 200 ms: ${maxPing < 200 ? 'met' : 'NOT met'})`,
);
console.log(`  server RSS: ${rssBefore.toFixed(0)} MB before, peak ${rssPeak.toFixed(0)} MB (target < 500 MB: ${rssPeak < 500 ? 'met' : 'NOT met'})`);
