/**
 * The DAQ emulator's TCP output: listens on a port; every client gets the
 * subarray frame first, then the full stream from the moment it connected.
 * A client that does not read fast enough loses whole events (counted per
 * client), never partial frames: an event is written whole or not at all.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { DaqOutput, DaqOutputListener, DaqOutputStats } from './daq-output.js';

/** per-client bytes queued in the socket beyond which events are dropped for that client */
const MAX_CLIENT_BUFFER = 32 * 1024 * 1024;

interface Client {
  socket: Socket;
  peer: string;
  sent: number;
  dropped: number;
}

export class DaqTcpOutput implements DaqOutput {
  private server: Server;
  private set = new Set<Client>();

  constructor(
    private readonly subarrayFrame: Uint8Array,
    private readonly stats: DaqOutputStats,
    private readonly listener: DaqOutputListener,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  url(host: string, port: number): string {
    return `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get clients(): number {
    return this.set.size;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const c: Client = { socket, peer: `${socket.remoteAddress}:${socket.remotePort}`, sent: 0, dropped: 0 };
    this.set.add(c);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.set.delete(c);
      this.listener['client-gone'](c.peer);
    });
    socket.on('data', () => undefined); // clients send nothing; ignore
    socket.write(this.subarrayFrame);
    this.listener.client(c.peer);
  }

  get congested(): boolean {
    for (const c of this.set) if (c.socket.writableLength <= MAX_CLIENT_BUFFER) return false;
    return this.set.size > 0;
  }

  dropForAll(n: number): void {
    for (const c of this.set) c.dropped += n;
    this.stats.droppedForSlowClients += n * this.set.size;
  }

  /** writes whole events; a client whose socket buffer is full skips them (counted) */
  sendEvents(events: Uint8Array[]): void {
    for (const c of this.set) {
      for (const ev of events) {
        if (c.socket.writableLength > MAX_CLIENT_BUFFER) {
          c.dropped++;
          this.stats.droppedForSlowClients++;
          continue;
        }
        c.socket.write(ev);
        c.sent++;
        this.stats.bytes += ev.length;
      }
    }
  }

  sendFrame(frame: Uint8Array): void {
    for (const c of this.set) if (c.socket.writableLength <= MAX_CLIENT_BUFFER) c.socket.write(frame);
  }

  clientStats(): { peer: string; sent: number; dropped: number }[] {
    return [...this.set].map((c) => ({ peer: c.peer, sent: c.sent, dropped: c.dropped }));
  }

  async close(): Promise<void> {
    for (const c of this.set) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
