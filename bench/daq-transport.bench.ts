/**
 * DAQ stream transports, TCP vs ZeroMQ: `lightpool daq --sim` as a separate
 * process at each of RATES Hz (default 2000, 6000, 12000 and 30000, the last
 * more than the emulator can generate here), read by the DAQ reading thread (DaqClientThread: receive, decode,
 * assemble, hand the events to this thread) for DURATION seconds after a
 * 2 s warm-up. No processing: this measures the transport and the client.
 * Printed per transport: events/s and telescope images/s received, MB/s,
 * events dropped in the reading thread (this thread behind), event-id gaps
 * (events the emulator did not get to us: dropped for a slow client, or
 * ZeroMQ's high-water mark), incomplete events, and what the emulator says
 * it generated (its rate, and the events it was late with).
 *
 * Run: node scripts/build.mjs && npm run bench daq-transport
 *      (5 s per rate and transport; env DAQ_BENCH_SECONDS, DAQ_BENCH_RATES=2000,6000)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DaqClientThread } from '../src-main/daq/client/daq-client-thread.js';

const DURATION = Number(process.env.DAQ_BENCH_SECONDS ?? 5);
const RATES = (process.env.DAQ_BENCH_RATES ?? '2000,6000,12000,30000').split(',').map(Number);
// from bench/ (the source) or bench/results/bundles/ (the bundle npm run bench runs)
const BIN = ['../bin/lightpool.js', '../../../bin/lightpool.js'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p))!;

interface Result {
  transport: string;
  events: number;
  images: number;
  bytes: number;
  busy: number;
  gaps: number;
  incomplete: number;
  seconds: number;
  emulator: string;
}

async function run(rate: number, zmq: boolean): Promise<Result> {
  const child = spawn(process.execPath, [BIN, 'daq', '--sim', '--rate', String(rate), '--port', '0', '--pool', '200', ...(zmq ? ['--zmq'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`lightpool daq exited with ${code}: ${text}`)));
  });
  const c = new DaqClientThread(url);
  const r: Result = { transport: zmq ? 'ZeroMQ' : 'TCP', events: 0, images: 0, bytes: 0, busy: 0, gaps: 0, incomplete: 0, seconds: 0, emulator: '' };
  let counting = false;
  c.on('event', (e, n) => {
    if (!counting) return;
    r.events++;
    r.images += e.images.length;
    r.bytes += n;
  });
  c.on('busy', (t) => counting && (r.busy += t.length));
  c.on('incomplete', () => counting && r.incomplete++);
  c.start();
  await new Promise((res) => setTimeout(res, 2000));
  const gaps0 = c.missedUpstream;
  counting = true;
  const t0 = performance.now();
  await new Promise((res) => setTimeout(res, DURATION * 1000));
  counting = false;
  r.seconds = (performance.now() - t0) / 1000;
  r.gaps = c.missedUpstream - gaps0;
  c.close();
  // the emulator prints a statistics line every 5 s; keep its last one (warm-up included)
  r.emulator =
    text
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('events '))
      .pop() ?? '';
  child.kill('SIGTERM');
  await new Promise((res) => child.once('exit', res));
  return r;
}

console.log(`DAQ transports: lightpool daq --sim in its own process -> reading thread, ${DURATION} s per rate and transport`);
for (const rate of RATES)
  for (const zmq of [false, true]) {
    const r = await run(rate, zmq);
    const s = r.seconds;
    console.log(
      `${String(rate).padStart(6)} Hz ${r.transport.padEnd(6)}: ${(r.events / s).toFixed(0)} events/s, ${(r.images / s).toFixed(0)} images/s, ${(r.bytes / s / 1e6).toFixed(0)} MB/s received; ` +
        `dropped in the reading thread ${r.busy}, event-id gaps ${r.gaps}, incomplete ${r.incomplete}`,
    );
    console.log(`                 emulator: ${r.emulator}`);
  }
