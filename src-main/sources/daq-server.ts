/**
 * The DAQ emulator's server: listens on a TCP port and sends every client
 * the subarray, then array events (image frames + event end) at the chosen
 * rate with Poisson arrival times, and heartbeats when idle. A client that
 * does not read fast enough loses events (counted per client), never
 * partial frames: an event is written whole or not at all.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { encodeDaqEvent, encodeDaqFrame } from './daq-protocol.js';
import type { EmulatorEvents } from './emulator-events.js';

const TICK_MS = 5;
/** per-client bytes queued in the socket beyond which events are dropped for that client */
const MAX_CLIENT_BUFFER = 32 * 1024 * 1024;

interface Client {
  socket: Socket;
  peer: string;
  sent: number;
  dropped: number;
}

export interface DaqServerStats {
  /** events generated (sent to at least the clients that kept up) */
  events: number;
  clients: number;
  /** events dropped for slow clients, summed over clients */
  droppedForSlowClients: number;
  bytes: number;
  /** events the source could not deliver in time (replay reading behind) */
  late: number;
}

export interface DaqServerOptions {
  port: number;
  host?: string;
  rateHz: number;
  /** stop after this many events (then close the clients' streams after the last one); default unlimited */
  maxEvents?: number;
  /** constant spacing instead of Poisson arrivals */
  regular?: boolean;
  seed?: number;
}

export class DaqServer extends EventEmitter<{ listening: [number]; client: [string]; 'client-gone': [string]; done: [] }> {
  private server: Server;
  private clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private nextArrival = 0;
  private nextEventId = 1;
  private rng: number;
  readonly stats: DaqServerStats = { events: 0, clients: 0, droppedForSlowClients: 0, bytes: 0, late: 0 };
  private subarrayFrame: Uint8Array;
  private lastSend = 0;
  port = 0;

  constructor(private readonly source: EmulatorEvents, private readonly opts: DaqServerOptions) {
    super();
    this.rng = (opts.seed ?? 1) >>> 0 || 1;
    this.subarrayFrame = encodeDaqFrame({ type: 'subarray', obsId: 1, eventId: 0, time: Date.now() / 1000, subarray: source.subarray });
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
        this.nextArrival = performance.now();
        this.timer = setInterval(() => this.tick(), TICK_MS);
        this.heartbeat = setInterval(() => this.beat(), 500);
        this.emit('listening', this.port);
        resolve(this.port);
      });
    });
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const c: Client = { socket, peer: `${socket.remoteAddress}:${socket.remotePort}`, sent: 0, dropped: 0 };
    this.clients.add(c);
    this.stats.clients = this.clients.size;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.clients.delete(c);
      this.stats.clients = this.clients.size;
      this.emit('client-gone', c.peer);
    });
    socket.on('data', () => undefined); // clients send nothing; ignore
    socket.write(this.subarrayFrame);
    this.emit('client', c.peer);
  }

  /** exponential inter-arrival time, ms */
  private interval(): number {
    const period = 1000 / this.opts.rateHz;
    if (this.opts.regular) return period;
    this.rng ^= this.rng << 13;
    this.rng ^= this.rng >>> 17;
    this.rng ^= this.rng << 5;
    const u = ((this.rng >>> 0) + 1) / 4294967297;
    return -Math.log(u) * period;
  }

  private tick(): void {
    const now = performance.now();
    // never try to catch up more than one second of backlog
    if (now - this.nextArrival > 1000) {
      this.stats.late += Math.round(((now - this.nextArrival - 1000) * this.opts.rateHz) / 1000);
      this.nextArrival = now - 1000;
    }
    const events: Buffer[] = [];
    while (this.nextArrival <= now) {
      if (this.opts.maxEvents !== undefined && this.stats.events >= this.opts.maxEvents) {
        this.finish();
        break;
      }
      const e = this.source.next();
      if (!e) {
        if (this.source.done) {
          this.finish();
          break;
        }
        this.stats.late++;
        this.nextArrival += this.interval();
        continue;
      }
      this.nextArrival += this.interval();
      const time = Date.now() / 1000 - (now - this.nextArrival) / 1000;
      const obsId = this.source.keepIds ? e.obsId : 1;
      const eventId = this.source.keepIds ? e.eventId : this.nextEventId++;
      this.stats.events++;
      if (this.clients.size === 0) continue; // nobody listening: nothing to encode
      // the event's frames in one buffer, each image copied once
      const bytes = encodeDaqEvent({ obsId, eventId, time }, e.images);
      events.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    if (events.length) this.broadcast(events);
  }

  /** writes whole events; a client whose socket buffer is full skips them (counted) */
  private broadcast(events: Buffer[]): void {
    for (const c of this.clients) {
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
    this.lastSend = performance.now();
  }

  private beat(): void {
    if (performance.now() - this.lastSend < 500) return;
    const f = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: Date.now() / 1000 });
    for (const c of this.clients) if (c.socket.writableLength <= MAX_CLIENT_BUFFER) c.socket.write(f);
  }

  private finish(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.emit('done');
  }

  clientStats(): { peer: string; sent: number; dropped: number }[] {
    return [...this.clients].map((c) => ({ peer: c.peer, sent: c.sent, dropped: c.dropped }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.source.close();
  }
}
