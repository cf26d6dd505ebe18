/**
 * The WebSocket transport of the API: binary frames out, JSON or binary frames
 * in. Every outgoing message of a connection goes through its WsChannel, the
 * one sender that knows how much is still queued for the socket:
 *
 * - replies are sent at once (they answer requests);
 * - stream messages are sent at once while the connection keeps up; while more
 *   than `busyBytes` are queued they wait, one per coalescing key (newest wins,
 *   stream-coalescing.ts), and go out as the queue drains;
 * - array events wait (ApiConnection asks ready());
 * - a connection with more than `maxQueuedBytes` queued, or more than
 *   `maxPendingMessages` waiting, does not read what it is sent: it is
 *   disconnected with the reason in the log, and its memory is released.
 *
 * Queued bytes are counted from send until the socket has handed them to the
 * kernel (the write callback), so they never exceed the cap.
 */
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../api/contract.js';
import { decodeFrame, encodeFrame } from '../api/wire-codec.js';
import type { ApiConnection, Channel } from '../session/api-connection.js';
import { errorMessage } from '../util/errors.js';
import { coalesceKey } from './stream-coalescing.js';
import type { ServeLimits } from './serve-limits.js';

/** incoming messages are small requests */
export const MAX_INCOMING_BYTES = 1024 * 1024;

export type SenderLimits = Pick<ServeLimits, 'maxQueuedBytes' | 'busyBytes' | 'maxPendingMessages'>;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export class WsChannel implements Channel {
  private queued = 0;
  /** the most bytes ever queued at once on this connection */
  peakQueuedBytes = 0;
  private readonly pending = new Map<string, ServerMessage>();
  private nextUnique = 0;
  private dropped = false;

  constructor(
    private readonly socket: WebSocket,
    readonly peer: string,
    private readonly limits: SenderLimits,
    /** told once when the connection is dropped for not reading */
    private readonly onDrop: (reason: string) => void = () => undefined,
  ) {}

  get queuedBytes(): number {
    return this.queued;
  }

  private open(): boolean {
    return !this.dropped && this.socket.readyState === this.socket.OPEN;
  }

  send(message: ServerMessage): void {
    if (!this.open()) return;
    if (message.type === 'stream' && (this.pending.size > 0 || this.queued >= this.limits.busyBytes)) {
      const key = coalesceKey(message) ?? `#${this.nextUnique++}`;
      this.pending.set(key, message); // newest wins, in the place of the one it replaces (the longest waiting goes first)
      if (this.pending.size > this.limits.maxPendingMessages)
        this.drop(`more than ${this.limits.maxPendingMessages} messages wait to be sent (the client does not read)`);
      return;
    }
    this.write(message);
  }

  private write(message: ServerMessage): void {
    const frame = encodeFrame(message);
    const n = frame.byteLength;
    if (this.queued + n > this.limits.maxQueuedBytes) {
      this.drop(`${mib(this.queued)} queued and ${mib(n)} more to send, over the cap of ${mib(this.limits.maxQueuedBytes)} (the client does not read)`);
      return;
    }
    this.queued += n;
    this.peakQueuedBytes = Math.max(this.peakQueuedBytes, this.queued);
    this.socket.send(frame, { binary: true }, () => {
      this.queued -= n;
      this.drain();
    });
  }

  /** sends what waited, oldest first, while the connection keeps up */
  private drain(): void {
    while (this.pending.size > 0 && this.queued < this.limits.busyBytes && this.open()) {
      const [key, message] = this.pending.entries().next().value!;
      this.pending.delete(key);
      this.write(message);
    }
  }

  ready(): boolean {
    return this.open() && this.queued < this.limits.busyBytes && this.pending.size === 0;
  }

  private drop(reason: string): void {
    if (this.dropped) return;
    this.dropped = true;
    this.pending.clear();
    this.onDrop(reason);
    this.socket.terminate();
  }
}

/** Decodes one incoming WebSocket message and hands it to the connection. */
export function receiveWsMessage(connection: ApiConnection, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  let message: unknown;
  try {
    message = decodeIncoming(data, isBinary);
  } catch (err) {
    connection.rejectUndecodable(errorMessage(err));
    return;
  }
  void connection.receive(message);
}

export function decodeIncoming(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): unknown {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return isBinary ? decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) : JSON.parse(buf.toString('utf8'));
}
