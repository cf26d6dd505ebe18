/**
 * A ZeroMQ SUB socket in a process of its own, started by DaqZmqClient: it
 * connects to the DAQ publisher and writes every message part, and the
 * socket monitor's connection events, to stdout as records
 * (zmq-relay-records.ts).
 *
 * Why a process and not the DAQ reading thread: zeromq's native module
 * aborts the whole process when a worker thread that used it ends with an
 * operation pending (zeromq.js issue #411), and a thread can be ended at any
 * moment (close under load, process exit). In a process's main thread it
 * exits cleanly, and killing this process cannot harm the app.
 *
 * Writes to stdout are buffered by Node (measured: 3 GB in 6 s at 12 kHz
 * when nothing waited), so the read loop waits for 'drain' whenever a write
 * says the pipe is full: a reader that falls behind stops this loop, and
 * ZeroMQ's receive high-water mark drops whole events, as it would
 * in-process. The process ends when its stdin closes (the client closed it,
 * or died) or stdout is gone.
 */
import type { Subscriber } from 'zeromq';
import { encodeControl, partHeader, type ZmqRelayConfig, type ZmqRelayControl } from './zmq-relay-records.js';
import { errorMessage } from '../../util/errors.js';

const config = JSON.parse(process.argv[2] ?? '{}') as ZmqRelayConfig;
let sock: Subscriber | undefined;

function exit(): never {
  try {
    sock?.close();
  } catch {
    // closing at exit: nothing left to tell anyone
  }
  process.exit(0);
}

const out = process.stdout;

/** false when the pipe is full: wait for 'drain' before reading more */
function write(b: Buffer): boolean {
  return out.write(b);
}

/** a message's parts as records, in one writev (corked): headers and parts, without copying the parts */
function writeParts(parts: Buffer[]): boolean {
  out.cork();
  let ok = true;
  for (const p of parts) {
    out.write(partHeader(p.length));
    ok = out.write(p);
  }
  out.uncork();
  return ok;
}

function drained(): Promise<void> {
  return new Promise((resolve) => out.once('drain', resolve));
}

function control(c: ZmqRelayControl): void {
  write(encodeControl(c));
}

process.stdout.on('error', exit); // EPIPE: the reader is gone
process.stdin.on('end', exit);
process.stdin.on('close', exit);
process.stdin.resume();

async function watch(s: Subscriber): Promise<void> {
  try {
    for await (const e of s.events) {
      if (e.type === 'connect') control({ type: 'connect' });
      else if (e.type === 'disconnect') control({ type: 'disconnect' });
      else if (e.type === 'connect:retry') control({ type: 'connect:retry', intervalMs: e.interval });
    }
  } catch (err) {
    control({ type: 'lost', message: `the ZeroMQ socket monitor failed: ${errorMessage(err)}` });
  }
}

async function read(s: Subscriber): Promise<void> {
  try {
    for await (const parts of s) {
      // a full pipe stops the reading here: ZeroMQ's receive high-water mark then drops whole events
      if (!writeParts(parts)) await drained();
    }
  } catch (err) {
    control({ type: 'lost', message: `reading the ZeroMQ socket failed: ${errorMessage(err)}` });
  }
}

async function main(): Promise<void> {
  let zmq: typeof import('zeromq');
  try {
    zmq = await import('zeromq');
  } catch (err) {
    control({ type: 'failed', message: `ZeroMQ cannot be loaded in this installation (${errorMessage(err)}); connect with tcp:// instead` });
    return;
  }
  const s = new zmq.Subscriber({
    receiveHighWaterMark: config.receiveHighWaterMark,
    reconnectInterval: config.reconnectIntervalMs,
    reconnectMaxInterval: config.reconnectMaxIntervalMs,
    linger: 0,
  });
  sock = s;
  const loops = [watch(s), read(s)];
  s.subscribe();
  try {
    s.connect(config.endpoint);
  } catch (err) {
    control({ type: 'failed', message: `cannot connect a ZeroMQ socket to ${config.endpoint}: ${errorMessage(err)}` });
    return;
  }
  await Promise.all(loops);
}

void main();
