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
    const mine = () => this.socket === sock;
    sock.events.on('connect', () => {
      if (!mine()) return;
      this.downReason = undefined;
      this.connected();
    });
    sock.events.on('disconnect', () => {
      if (!mine()) return;
      // a new server may have another subarray: its events wait for it
      this.newStream(true);
      this.downReason = 'the server closed the connection';
    });
    sock.events.on('connect:retry', (e) => {
      if (!mine()) return;
      this.retrying(this.downReason ?? 'cannot connect (is the DAQ running?)', e.interval / 1000);
      this.downReason = undefined;
    });
    sock.subscribe();
    try {
      sock.connect(this.endpoint);
    } catch (err) {
      this.failed(`cannot connect a ZeroMQ socket to ${this.endpoint}: ${errorMessage(err)}`);
      return;
    }
    await this.read(sock);
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
    if (s && !s.closed) s.close();
  }
}
