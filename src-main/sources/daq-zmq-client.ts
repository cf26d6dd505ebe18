/**
 * ZeroMQ client of the DAQ protocol (zmq+tcp://host:port): a SUB socket
 * connected to the DAQ's publisher, each message part one protocol frame
 * (see daq-protocol.md, "ZeroMQ"). Decoding, event assembly, states and
 * counters are the shared ones (daq-stream-client.ts); only the transport
 * differs. ZeroMQ reconnects by itself, with the same backoff as the TCP
 * client (0.25 s doubling to 10 s): the socket's monitor events say when
 * the server went away ('disconnect') and when the next try is due
 * ('connect:retry'), and are reported as 'reconnecting'. A server that stays
 * connected but sends nothing, not even heartbeats, for 5 s is treated as
 * lost: the socket is closed and a new one connects after the backoff.
 * Events are held until the stream's subarray arrives, since a subscriber
 * may join between the publisher's subarray and its next events.
 */
import type { Subscriber } from 'zeromq';
import { DaqStreamClient, type Backoff } from './daq-stream-client.js';
import { parseDaqUrl, zmqEndpoint } from './daq-url.js';
import { errorMessage } from '../util/errors.js';

/** messages the SUB socket queues before ZeroMQ drops (the emulator sends one event per message) */
export const ZMQ_RECEIVE_HWM = 2000;

export class DaqZmqClient extends DaqStreamClient {
  private socket: Subscriber | undefined;
  /** increases whenever a socket is opened or torn down, so callbacks of an old socket are ignored */
  private generation = 0;
  /** why the connection went down, for the next retry message */
  private downReason: string | undefined;
  /** read and monitor loops not yet ended (they end when their socket is closed) */
  private reads = new Set<Promise<void>>();
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
    void this.openSocket(++this.generation);
  }

  private async openSocket(generation: number): Promise<void> {
    let zmq: typeof import('zeromq');
    try {
      zmq = await import('zeromq');
    } catch (err) {
      this.failed(`ZeroMQ cannot be loaded in this installation (${errorMessage(err)}); connect with tcp:// instead`);
      return;
    }
    if (this.closed || generation !== this.generation) return;
    const sock = new zmq.Subscriber({
      receiveHighWaterMark: ZMQ_RECEIVE_HWM,
      reconnectInterval: Math.round(this.backoff.initial * 1000),
      reconnectMaxInterval: Math.round(this.backoff.max * 1000),
      linger: 0,
    });
    this.socket = sock;
    // both loops end when the socket and its monitor are closed (teardown); settled() waits for them
    const loops = [this.watch(sock), this.read(sock)];
    for (const l of loops) this.reads.add(l);
    sock.subscribe();
    try {
      sock.connect(this.endpoint);
    } catch (err) {
      this.failed(`cannot connect a ZeroMQ socket to ${this.endpoint}: ${errorMessage(err)}`);
      return;
    }
    await Promise.all(loops);
    for (const l of loops) this.reads.delete(l);
  }

  /**
   * The socket's monitor events as connection states. Read in a loop of our
   * own rather than through zeromq's event-emitter mode, whose loop rejects
   * unhandled when the monitor is closed; it ends when the socket closes.
   */
  private async watch(sock: Subscriber): Promise<void> {
    try {
      for await (const e of sock.events) {
        if (this.socket !== sock) return;
        if (e.type === 'connect') {
          this.downReason = undefined;
          this.connected();
        } else if (e.type === 'disconnect') {
          // a new server may have another subarray: its events wait for it
          this.newStream(true);
          this.downReason = 'the server closed the connection';
        } else if (e.type === 'connect:retry') {
          this.retrying(this.downReason ?? 'cannot connect (is the DAQ running?)', e.interval / 1000);
          this.downReason = undefined;
        }
      }
    } catch (err) {
      // a monitor that could not be set up or failed: without it the states would stand still
      if (this.socket === sock) this.lost(`the ZeroMQ socket monitor failed: ${errorMessage(err)}`);
    }
  }

  private async read(sock: Subscriber): Promise<void> {
    try {
      for await (const parts of sock) {
        if (this.socket !== sock) return;
        for (const p of parts) if (!this.received(p, true)) return;
      }
    } catch (err) {
      if (this.socket === sock) this.lost(`reading the ZeroMQ socket failed: ${errorMessage(err)}`);
    }
  }

  protected teardown(): void {
    this.generation++;
    const s = this.socket;
    this.socket = undefined;
    // its monitor ends with it ('end'); settled() waits for both loops, since a worker thread that
    // ends with a ZeroMQ receive pending aborts the process. (Closing the monitor itself frees it,
    // and a new monitor at the same address cannot bind while the old socket is being reaped.)
    if (s && !s.closed) s.close();
  }

  /**
   * Every read and monitor loop has ended, and a timer later, so that the
   * native handles the closed socket releases in libuv's close phase (after
   * setImmediate's check phase) are gone too.
   */
  override async settled(): Promise<void> {
    await Promise.all([...this.reads]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
