/** The WebSocket transport of the API: binary frames out, JSON or binary frames in. */
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../api/contract.js';
import { decodeFrame, encodeFrame } from '../api/wire-codec.js';
import type { ApiConnection, Channel } from '../backend/api-connection.js';
import { errorMessage } from '../util/errors.js';

/** above this many queued bytes, array events wait (newest wins meanwhile) */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** incoming messages are small requests */
export const MAX_INCOMING_BYTES = 1024 * 1024;

export class WsChannel implements Channel {
  constructor(private readonly socket: WebSocket, readonly peer: string) {}

  send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(encodeFrame(message), { binary: true });
  }

  ready(): boolean {
    return this.socket.readyState === this.socket.OPEN && this.socket.bufferedAmount < MAX_BUFFERED_BYTES;
  }
}

/** Decodes one incoming WebSocket message and hands it to the connection. */
export function receiveWsMessage(connection: ApiConnection, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  let message: unknown;
  try {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    message = isBinary ? decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) : JSON.parse(buf.toString('utf8'));
  } catch (err) {
    connection.rejectUndecodable(errorMessage(err));
    return;
  }
  void connection.receive(message);
}
