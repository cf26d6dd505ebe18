/**
 * TCP client of the DAQ protocol: connects to tcp://host:port, decodes frames,
 * assembles array events (image frames up to the event-end frame), and on
 * connection loss reconnects with exponential backoff (0.25 s doubling to
 * 10 s) until close(). A protocol error (bad magic, version, size) is not
 * retried: the server is not speaking this protocol.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { DaqFrameDecoder, DaqProtocolError, type DaqFrame, type DaqSubarray } from './daq-protocol.js';
import type { RawArrayEvent } from '../../src-worker/live/live-types.js';
import { errorMessage } from '../util/errors.js';

export type DaqClientState = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'error';

export interface DaqClientEvents {
  state: [DaqClientState, string | undefined];
  subarray: [DaqSubarray];
  event: [RawArrayEvent, number];
  /** an event that could not be assembled (with how many images were lost) */
  incomplete: [reason: 'bad-frame' | 'connection-lost', message: string];
}

export const BACKOFF_INITIAL_S = 0.25;
export const BACKOFF_MAX_S = 10;
/** a connected server that sends nothing (not even heartbeats, due every second) for this long is treated as lost, s */
export const SILENCE_TIMEOUT_S = 5;

export function parseDaqUrl(url: string): { host: string; port: number } {
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(url);
  if (!m) throw new Error(`"${url}" is not a DAQ address; write tcp://host:port, e.g. tcp://127.0.0.1:5555`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new Error(`"${url}": port ${port} is out of range 1-65535`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

export class DaqClient extends EventEmitter<DaqClientEvents> {
  private socket: Socket | undefined;
  private decoder = new DaqFrameDecoder();
  private current: RawArrayEvent | undefined;
  private currentBytes = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** watchdog ticks (1 s) without any byte received; counted in ticks, so a stalled event loop is not mistaken for a silent server */
  private silentTicks = 0;
  private closed = false;
  state: DaqClientState = 'connecting';
  /** 1 = first retry */
  attempt = 0;
  delaySeconds = 0;
  bytes = 0;
  /** event ids skipped by the stream (events the server did not send us) */
  missedUpstream = 0;
  private lastEventId: number | undefined;
  /** seconds since the epoch of the last frame (any type) */
  lastFrameTime = 0;
  /** when the connection went down, s since epoch (undefined while connected) */
  downSince: number | undefined;
  readonly host: string;
  readonly port: number;

  constructor(readonly url: string, private readonly backoff = { initial: BACKOFF_INITIAL_S, max: BACKOFF_MAX_S }) {
    super();
    ({ host: this.host, port: this.port } = parseDaqUrl(url));
  }

  start(): void {
    this.open();
  }

  private setState(s: DaqClientState, message?: string): void {
    this.state = s;
    this.emit('state', s, message);
  }

  private open(): void {
    if (this.closed) return;
    this.decoder = new DaqFrameDecoder();
    this.current = undefined;
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    if (this.attempt === 0) this.setState('connecting', `connecting to ${this.url}`);
    socket.on('connect', () => {
      this.attempt = 0;
      this.delaySeconds = 0;
      this.downSince = undefined;
      this.lastFrameTime = Date.now() / 1000;
      this.setState('connected', `connected to ${this.url}`);
      clearInterval(this.watchdog);
      this.silentTicks = 0;
      this.watchdog = setInterval(() => {
        if (this.socket !== socket) return clearInterval(this.watchdog);
        if (++this.silentTicks > SILENCE_TIMEOUT_S) this.lost(socket, `nothing received for ${SILENCE_TIMEOUT_S} s, not even heartbeats (a hung server?)`);
      }, 1000);
      this.watchdog.unref();
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (err) => {
      if (this.socket === socket) this.lost(socket, errorMessage(err));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.lost(socket, 'the server closed the connection');
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (this.socket !== socket) return;
    this.silentTicks = 0;
    this.bytes += chunk.length;
    let frames: DaqFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      const message = err instanceof DaqProtocolError ? err.message : errorMessage(err);
      this.socket = undefined;
      socket.destroy();
      this.closed = true;
      this.setState('error', `${this.url}: ${message}`);
      return;
    }
    if (frames.length) this.lastFrameTime = Date.now() / 1000;
    for (const f of frames) this.onFrame(f);
  }

  private onFrame(f: DaqFrame): void {
    switch (f.type) {
      case 'subarray':
        this.emit('subarray', f.subarray);
        return;
      case 'heartbeat':
        return;
      case 'image': {
        if (this.current && this.current.eventId !== f.eventId) {
          this.emit('incomplete', 'bad-frame', `event ${this.current.eventId} had no event-end frame before event ${f.eventId} began`);
          this.current = undefined;
        }
        if (!this.current) {
          this.current = { obsId: f.obsId, eventId: f.eventId, time: f.time, images: [] };
          this.currentBytes = 0;
        }
        this.current.images.push({ telId: f.telId, image: f.image, peakTime: f.peakTime });
        this.currentBytes += 44 + 8 * f.image.length;
        return;
      }
      case 'eventEnd': {
        const e = this.current;
        this.current = undefined;
        if (!e || e.eventId !== f.eventId) {
          if (f.nImages > 0) this.emit('incomplete', 'bad-frame', `event-end for event ${f.eventId} without its images`);
          return;
        }
        if (e.images.length !== f.nImages) {
          this.emit('incomplete', 'bad-frame', `event ${f.eventId}: event-end announces ${f.nImages} images, ${e.images.length} arrived`);
          return;
        }
        // ids that jump forward mark events the server did not send us (a replay restarting its file jumps back)
        if (this.lastEventId !== undefined && e.eventId > this.lastEventId + 1) this.missedUpstream += e.eventId - this.lastEventId - 1;
        this.lastEventId = e.eventId;
        this.emit('event', e, this.currentBytes + 44);
        return;
      }
    }
  }

  private lost(socket: Socket, why: string): void {
    clearInterval(this.watchdog);
    this.socket = undefined;
    socket.destroy();
    if (this.current) {
      this.emit('incomplete', 'connection-lost', `event ${this.current.eventId} was cut off by the connection loss`);
      this.current = undefined;
    }
    if (this.closed) return;
    this.downSince ??= Date.now() / 1000;
    this.attempt++;
    this.delaySeconds = Math.min(this.backoff.max, this.backoff.initial * 2 ** (this.attempt - 1));
    this.setState('reconnecting', `${this.url}: ${why}; retry ${this.attempt} in ${this.delaySeconds.toFixed(2)} s`);
    this.retryTimer = setTimeout(() => this.open(), this.delaySeconds * 1000);
  }

  /** stop reading (TCP backpressure reaches the server) / read again */
  pauseReading(): void {
    this.socket?.pause();
  }

  resumeReading(): void {
    this.socket?.resume();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    if (this.state !== 'error') this.setState('closed', `disconnected from ${this.url}`);
  }
}
