/**
 * WebSocket transport (serve mode): reconnects with backoff and says so. The
 * backoff starts afresh only after a connection stayed open for a while, so a
 * server that accepts and drops (full, or restarting) is not hammered.
 */
import type { RequestMessage, ServerMessage } from '../../src-main/api/contract.js';
import { decodeFrame } from '../../src-main/api/wire-codec.js';
import type { ConnectionState, Transport } from './api-client.js';

/** a connection open this long is healthy: the next loss retries after 0.5 s again */
const HEALTHY_AFTER_MS = 10_000;

export class WsTransport implements Transport {
  readonly kind = 'websocket' as const;
  private socket: WebSocket | undefined;
  private messageListener: (m: ServerMessage) => void = () => {};
  private stateListener: (s: ConnectionState, detail: string) => void = () => {};
  private queue: string[] = [];
  private retryMs = 500;
  private healthyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly url: string) {
    queueMicrotask(() => this.open());
  }

  private open(): void {
    this.stateListener('connecting', `connecting to ${this.url.replace(/token=[^&]+/, 'token=…')}`);
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      clearTimeout(this.healthyTimer);
      this.healthyTimer = setTimeout(() => (this.retryMs = 500), HEALTHY_AFTER_MS);
      this.stateListener('open', 'connected');
      for (const m of this.queue) socket.send(m);
      this.queue = [];
    };
    socket.onmessage = (e: MessageEvent) => {
      try {
        const message = (typeof e.data === 'string' ? JSON.parse(e.data) : decodeFrame(e.data as ArrayBuffer)) as ServerMessage;
        this.messageListener(message);
      } catch (err) {
        console.error('Lightpool: undecodable message from the server', err);
      }
    };
    socket.onclose = (e: CloseEvent) => {
      clearTimeout(this.healthyTimer);
      const wait = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
      this.stateListener('closed', `connection lost${e.code ? ` (code ${e.code})` : ''}; retrying in ${(wait / 1000).toFixed(1)} s`);
      setTimeout(() => this.open(), wait);
    };
  }

  send(message: RequestMessage): void {
    const text = JSON.stringify(message);
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
    else this.queue.push(text);
  }

  onMessage(listener: (m: ServerMessage) => void): void {
    this.messageListener = listener;
  }

  onState(listener: (s: ConnectionState, detail: string) => void): void {
    this.stateListener = listener;
  }
}
