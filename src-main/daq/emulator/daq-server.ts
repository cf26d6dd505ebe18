/**
 * The DAQ emulator's server: sends every client the subarray, then array
 * events (image frames + event end) at the chosen rate with Poisson arrival
 * times, and heartbeats when idle, over TCP (daq-tcp-output.ts) or a
 * ZeroMQ publisher (daq-zmq-output.ts): the same frames either way. A
 * client that does not read fast enough loses events (counted per client
 * over TCP; over ZeroMQ the client sees the gap in event ids), never
 * partial frames: an event is sent whole or not at all.
 */
import { EventEmitter } from 'node:events';
import { encodeDaqEvent, encodeDaqFrame } from '../protocol/daq-protocol.js';
import type { EmulatorEvents } from './emulator-events.js';
import type { DaqOutput } from './daq-output.js';
import { DaqTcpOutput } from './daq-tcp-output.js';
import { DaqZmqOutput } from './daq-zmq-output.js';

const TICK_MS = 5;

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
  /** 'tcp' (default): a TCP server; 'zmq': a ZeroMQ publisher (XPUB) bound at the port */
  transport?: 'tcp' | 'zmq';
}

export class DaqServer extends EventEmitter<{ listening: [number]; client: [string]; 'client-gone': [string]; done: [] }> {
  private output: DaqOutput;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private nextArrival = 0;
  private nextEventId = 1;
  private rng: number;
  readonly stats: DaqServerStats = { events: 0, clients: 0, droppedForSlowClients: 0, bytes: 0, late: 0 };
  private subarrayFrame: Uint8Array;
  private lastSend = 0;
  port = 0;

  constructor(
    private readonly source: EmulatorEvents,
    private readonly opts: DaqServerOptions,
  ) {
    super();
    this.rng = (opts.seed ?? 1) >>> 0 || 1;
    this.subarrayFrame = encodeDaqFrame({ type: 'subarray', obsId: 1, eventId: 0, time: Date.now() / 1000, subarray: source.subarray });
    const listener = {
      client: (peer: string) => {
        this.stats.clients = this.output.clients;
        this.emit('client', peer);
      },
      'client-gone': (peer: string) => {
        this.stats.clients = this.output.clients;
        this.emit('client-gone', peer);
      },
    };
    this.output =
      opts.transport === 'zmq' ? new DaqZmqOutput(this.subarrayFrame, this.stats, listener) : new DaqTcpOutput(this.subarrayFrame, this.stats, listener);
  }

  /** the URL clients connect to (after listen()) */
  get url(): string {
    return this.output.url(this.opts.host ?? '127.0.0.1', this.port);
  }

  async listen(): Promise<number> {
    this.port = await this.output.listen(this.opts.host ?? '127.0.0.1', this.opts.port);
    this.nextArrival = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.heartbeat = setInterval(() => this.beat(), 500);
    this.emit('listening', this.port);
    return this.port;
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
    const events: Uint8Array[] = [];
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
      if (this.output.clients === 0) continue; // nobody listening: nothing to encode
      if (this.output.congested) {
        // every client is behind: dropping without encoding leaves the time to drain their sockets
        this.output.dropForAll(1);
        continue;
      }
      // the event's frames in one buffer, each image copied once
      events.push(encodeDaqEvent({ obsId, eventId, time }, e.images));
    }
    if (events.length) {
      this.output.sendEvents(events);
      this.lastSend = performance.now();
    }
  }

  private beat(): void {
    if (performance.now() - this.lastSend < 500) return;
    const f = encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: Date.now() / 1000 });
    this.output.sendFrame(f);
  }

  private finish(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.emit('done');
  }

  clientStats(): { peer: string; sent: number; dropped: number }[] {
    return this.output.clientStats();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    await this.output.close();
    await this.source.close();
  }
}
