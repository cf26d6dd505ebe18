/**
 * TCP client of the DAQ protocol: connects to tcp://host:port and hands the
 * bytes to the shared decoding, event assembly and reconnect logic
 * (daq-stream-client.ts); on connection loss it reconnects with exponential
 * backoff (0.25 s doubling to 10 s) until close(). openDaqClient() picks the
 * client for an address: this one, or the ZeroMQ subscriber
 * (daq-zmq-client.ts) for zmq+tcp://.
 */
import { connect, type Socket } from 'node:net';
import { DaqStreamClient, type Backoff } from './daq-stream-client.js';
import { DaqZmqClient } from './daq-zmq-client.js';
import { parseDaqUrl } from '../protocol/daq-url.js';
import { errorMessage } from '../../util/errors.js';

export { parseDaqUrl } from '../protocol/daq-url.js';
export { BACKOFF_INITIAL_S, BACKOFF_MAX_S, SILENCE_TIMEOUT_S, type DaqClientEvents, type DaqClientState } from './daq-stream-client.js';

export class DaqClient extends DaqStreamClient {
  private socket: Socket | undefined;
  readonly host: string;
  readonly port: number;

  constructor(url: string, backoff?: Backoff) {
    super(url, backoff);
    const a = parseDaqUrl(url);
    if (a.transport !== 'tcp') throw new Error(`${url}: DaqClient speaks tcp://; use openDaqClient() for other transports`);
    ({ host: this.host, port: this.port } = a);
  }

  protected open(): void {
    if (this.closed) return;
    this.newStream();
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    if (this.attempt === 0) this.setState('connecting', `connecting to ${this.url}`);
    socket.on('connect', () => {
      if (this.socket === socket) this.connected();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.received(chunk);
    });
    socket.on('error', (err) => {
      if (this.socket === socket) this.lost(errorMessage(err));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.lost('the server closed the connection');
    });
  }

  protected teardown(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }
}

/** The client for a DAQ address: TCP for tcp://, a ZeroMQ subscriber for zmq+tcp:// (zmq://). */
export function openDaqClient(url: string, backoff?: Backoff): DaqStreamClient {
  return parseDaqUrl(url).transport === 'zmq' ? new DaqZmqClient(url, backoff) : new DaqClient(url, backoff);
}
