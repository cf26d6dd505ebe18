/**
 * ZeroMQ client of the DAQ protocol (zmq+tcp://host:port): a SUB socket
 * connected to the DAQ's publisher, each message part whole protocol frames
 * (one event per message)
 * (see daq-protocol.md, "ZeroMQ"). Decoding, event assembly, states and
 * counters are the shared ones (daq-stream-client.ts); only the transport
 * differs.
 *
 * The socket lives in a small process of its own (zmq-subscriber-process.ts)
 * that relays the message parts and the socket's monitor events over a
 * pipe: zeromq's native module aborts the whole process when a worker
 * thread that used it ends with an operation pending, and this client runs
 * in the DAQ reading thread. That process is killed at close; it ends by
 * itself when this side goes away.
 *
 * ZeroMQ reconnects by itself, with the same backoff as the TCP client
 * (0.25 s doubling to 10 s): the monitor events say when the server went
 * away ('disconnect') and when the next try is due ('connect:retry'), and
 * are reported as 'reconnecting'. A server that stays connected but sends
 * nothing, not even heartbeats, for 5 s is treated as lost: the socket is
 * closed and a new one connects after the backoff. Events are held until
 * the stream's subarray arrives, since a subscriber may join between the
 * publisher's subarray and its next events.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DaqStreamClient, type Backoff } from './daq-stream-client.js';
import { parseDaqUrl, zmqEndpoint } from '../protocol/daq-url.js';
import { ZmqRelayReader, type ZmqRelayConfig, type ZmqRelayControl } from './zmq-relay-records.js';
import { workerScript } from '../../util/dist-paths.js';
import { errorMessage } from '../../util/errors.js';

/** messages the SUB socket queues before ZeroMQ drops (the emulator sends one event per message) */
export const ZMQ_RECEIVE_HWM = 2000;
/** the last bytes of the subscriber process's stderr kept for an error message */
const STDERR_KEEP = 2000;

type Relay = ChildProcessByStdio<Writable, Readable, Readable>;

export class DaqZmqClient extends DaqStreamClient {
  private relay: Relay | undefined;
  /** why the connection went down, for the next retry message */
  private downReason: string | undefined;
  /** subscriber processes not yet exited */
  private exits = new Set<Promise<void>>();
  readonly endpoint: string;

  constructor(url: string, backoff?: Backoff) {
    super(url, backoff);
    const a = parseDaqUrl(url);
    if (a.transport !== 'zmq') throw new Error(`${url}: DaqZmqClient speaks zmq+tcp://`);
    this.endpoint = zmqEndpoint(a);
  }

  protected open(): void {
    if (this.closed) return;
    this.newStream(true);
    if (this.attempt === 0) this.setState('connecting', `connecting to ${this.url}`);
    let script: string;
    try {
      script = workerScript('zmq-subscriber');
    } catch (err) {
      this.failed(`the ZeroMQ subscriber is missing (${errorMessage(err)})`);
      return;
    }
    const config: ZmqRelayConfig = {
      endpoint: this.endpoint,
      receiveHighWaterMark: ZMQ_RECEIVE_HWM,
      reconnectIntervalMs: Math.round(this.backoff.initial * 1000),
      reconnectMaxIntervalMs: Math.round(this.backoff.max * 1000),
    };
    // ELECTRON_RUN_AS_NODE: in the packaged app process.execPath is Electron, which then runs as Node
    const relay = spawn(process.execPath, [script, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.relay = relay;
    const exited = new Promise<void>((resolve) => relay.once('close', () => resolve()));
    this.exits.add(exited);
    void exited.then(() => this.exits.delete(exited));
    let stderr = '';
    relay.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_KEEP)));
    relay.stdin.on('error', () => undefined); // EPIPE once it has exited: its 'close' says why
    const reader = new ZmqRelayReader();
    relay.stdout.on('data', (chunk: Buffer) => {
      if (this.relay !== relay) return;
      let records;
      try {
        records = reader.push(chunk);
      } catch (err) {
        // not our record stream (something else wrote to its stdout): the subscriber cannot be trusted
        this.failed(`the ZeroMQ subscriber process sent something unreadable (${errorMessage(err)})`);
        return;
      }
      for (const r of records) {
        if (this.relay !== relay) return;
        if (r.kind === 'part') {
          if (!this.received(r.bytes, true)) return;
        } else this.onControl(r.control);
      }
    });
    // a pipe error comes with the process's 'close', which says what happened
    relay.stdout.on('error', () => undefined);
    relay.stderr.on('error', () => undefined);
    relay.on('error', (err) => {
      if (this.relay === relay) this.failed(`cannot start the ZeroMQ subscriber process: ${err.message}`);
    });
    relay.on('close', (code, signal) => {
      if (this.relay !== relay) return;
      const why = stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : '';
      this.lost(`the ZeroMQ subscriber process ended (${signal ?? `exit code ${code}`})${why}`);
    });
  }

  private onControl(c: ZmqRelayControl): void {
    switch (c.type) {
      case 'connect':
        this.downReason = undefined;
        this.connected();
        return;
      case 'disconnect':
        // a new server may have another subarray: its events wait for it
        this.newStream(true);
        this.downReason = 'the server closed the connection';
        return;
      case 'connect:retry':
        this.retrying(this.downReason ?? 'cannot connect (is the DAQ running?)', c.intervalMs / 1000);
        this.downReason = undefined;
        return;
      case 'lost':
        this.lost(c.message);
        return;
      case 'failed':
        this.failed(c.message);
        return;
    }
  }

  protected teardown(): void {
    const r = this.relay;
    this.relay = undefined;
    if (r && r.exitCode === null && r.signalCode === null) {
      r.stdin.end();
      r.kill('SIGKILL');
    }
  }

  /** every subscriber process started has exited */
  override async settled(): Promise<void> {
    await Promise.all([...this.exits]);
  }
}
