/**
 * A WebSocket client written on a bare TCP socket, for tests of what a
 * misbehaving client does: it can stop reading (the socket is paused, so the
 * server's replies pile up) and send any bytes as frames (fuzzing).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One client-to-server frame (masked, as clients must): FIN + opcode, payload. */
export function wsFrame(payload: Uint8Array, opcode = 1, fin = true, mask = true): Buffer {
  const n = payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | (opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  if (n < 126) head.push(m | n);
  else if (n < 65536) head.push(m | 126, n >> 8, n & 255);
  else {
    head.push(m | 127, 0, 0, 0, 0);
    head.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  }
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < n; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, body]);
}

export class RawWsClient {
  private constructor(readonly socket: Socket) {}

  /** Opens a WebSocket on `path` and resolves once the server answered 101 (the socket then stops reading when `read` is false). */
  static connect(port: number, path = '/api', options: { read?: boolean; headers?: string } = {}): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      socket.on('error', reject);
      socket.on('connect', () =>
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${options.headers ?? ''}\r\n`,
        ),
      );
      const onData = (d: Buffer) => {
        text += d.toString('latin1');
        if (!text.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        if (!text.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(text.split('\r\n')[0]));
          return;
        }
        socket.off('error', reject);
        socket.on('error', () => undefined);
        if (options.read === false) socket.pause();
        else socket.on('data', () => undefined); // read and discard
        resolve(new RawWsClient(socket));
      };
      socket.on('data', onData);
    });
  }

  get closed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded || !this.socket.writable;
  }

  /** resolves when the server has closed the connection */
  whenClosed(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((r) => this.socket.once('close', () => r()));
  }

  sendText(text: string): boolean {
    if (this.closed) return false;
    return this.socket.write(wsFrame(Buffer.from(text)));
  }

  sendRaw(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    return this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
