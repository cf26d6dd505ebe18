/** A minimal API client for tests: speaks the same frames as the renderer. */
import WebSocket from 'ws';
import { decodeFrame } from '../../src-main/api/wire-codec.js';
import type { ReplyMessage, ServerMessage } from '../../src-main/api/contract.js';

export class TestClient {
  private nextId = 1;
  readonly messages: ServerMessage[] = [];
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  /** set false to keep only replies (a long-running client that ignores the streams) */
  keepStreams = true;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const m = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as ServerMessage;
      if (this.keepStreams || m.type === 'reply') this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new TestClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  next(match: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async request(method: string, params: unknown): Promise<ReplyMessage> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ type: 'request', id, method, params }));
    return (await this.next((m) => m.type === 'reply' && m.id === id)) as ReplyMessage;
  }

  /** The result of a request; an error reply throws with its message. */
  async call<T>(method: string, params: unknown): Promise<T> {
    const r = await this.request(method, params);
    if (!r.ok) throw new Error(r.error?.message ?? `${method} failed`);
    return r.result as T;
  }

  close(): void {
    this.socket.close();
  }
}
