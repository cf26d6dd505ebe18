/**
 * What every DAQ client shares, whatever carries the bytes (TCP in
 * daq-client.ts, ZeroMQ in daq-zmq-client.ts): frame decoding, array-event
 * assembly (image frames up to the event-end frame), event-id gap counting,
 * the connection states and their messages, the silence watchdog and the
 * reconnect bookkeeping (exponential backoff 0.25 s doubling to 10 s, from
 * 0.25 s again only after a connection stayed up for 10 s). A
 * transport only opens and closes its connection and hands over the bytes.
 * A protocol error (bad magic, version, size) is not retried: the server is
 * not speaking this protocol.
 */
import { EventEmitter } from 'node:events';
import { DAQ_HEADER_BYTES, DaqFrameDecoder, DaqProtocolError, type DaqFrame, type DaqSubarray } from '../protocol/daq-protocol.js';

/** bytes of a frame without payload: length prefix and header */
const FRAME_OVERHEAD = 4 + DAQ_HEADER_BYTES;
import type { RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { errorMessage } from '../../util/errors.js';

export type DaqClientState = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'error';

export interface DaqClientEvents {
  state: [DaqClientState, string | undefined];
  subarray: [DaqSubarray];
  event: [RawArrayEvent, number];
  /** an event that could not be assembled (with how many images were lost) */
  incomplete: [reason: 'bad-frame' | 'connection-lost', message: string];
  /** event ids skipped by the stream since the last 'missed' (events the server did not send us); missedUpstream is their sum */
  missed: [count: number];
}

export const BACKOFF_INITIAL_S = 0.25;
export const BACKOFF_MAX_S = 10;
/**
 * a connection counts as healthy once it has stayed up this long, s: only then
 * does the backoff start again from BACKOFF_INITIAL_S (a server that accepts
 * and closes at once must not be hammered every 0.25 s)
 */
export const HEALTHY_AFTER_S = 10;
/** a connected server that sends nothing (not even heartbeats, due every second) for this long is treated as lost, s */
export const SILENCE_TIMEOUT_S = 5;
/** frames held while waiting for a stream's subarray (see holdUntilSubarray), at most; then they go on under the subarray known so far */
export const MAX_HELD_FRAMES = 2000;
/** and for at most this long after the first of them, s */
export const MAX_HOLD_S = 2;

export interface Backoff {
  /** s */
  initial: number;
  /** s */
  max: number;
  /** s a connection must stay up before the backoff starts afresh (default HEALTHY_AFTER_S) */
  healthyAfter?: number;
}

export abstract class DaqStreamClient extends EventEmitter<DaqClientEvents> {
  private decoder = new DaqFrameDecoder();
  private current: RawArrayEvent | undefined;
  private currentBytes = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthyTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** watchdog ticks (1 s) without any byte received; counted in ticks, so a stalled event loop is not mistaken for a silent server */
  private silentTicks = 0;
  /** the subarray last emitted on this stream (JSON), so a server repeating it does not reset the consumer */
  private subarrayJson: string | undefined;
  /** true: frames wait for the stream's subarray (a subscriber can join a publisher between its subarray and the next events) */
  private holding = false;
  private held: DaqFrame[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  protected closed = false;
  state: DaqClientState = 'connecting';
  /** 1 = first retry */
  attempt = 0;
  delaySeconds = 0;
  bytes = 0;
  /** event ids skipped by the stream (events the server did not send us) */
  missedUpstream = 0;
  private lastEventId: number | undefined;
  /** the stream's subarray says its event ids count up by one (the default): gaps are missed events */
  private consecutiveIds = true;
  /** seconds since the epoch of the last frame (any type) */
  lastFrameTime = 0;
  /** when the connection went down, s since epoch (undefined while connected) */
  downSince: number | undefined;

  constructor(
    readonly url: string,
    protected readonly backoff: Backoff = { initial: BACKOFF_INITIAL_S, max: BACKOFF_MAX_S },
  ) {
    super();
  }

  start(): void {
    this.open();
  }

  /** opens a connection (or a socket that connects by itself) */
  protected abstract open(): void;
  /** closes the current connection, if any, and forgets it (its late callbacks must be ignored) */
  protected abstract teardown(): void;

  protected setState(s: DaqClientState, message?: string): void {
    this.state = s;
    this.emit('state', s, message);
  }

  /**
   * A new byte stream begins (a new connection): decoding starts afresh and
   * the next subarray is announced even if it equals the last one.
   * `holdUntilSubarray`: hold events until the stream's subarray arrives.
   */
  protected newStream(holdUntilSubarray = false): void {
    this.cutOff(); // what the previous stream left unfinished is counted, not forgotten
    this.decoder = new DaqFrameDecoder();
    this.current = undefined;
    this.subarrayJson = undefined;
    this.holding = holdUntilSubarray;
  }

  /**
   * The connection is up: watch for silence; once it has stayed up for the
   * healthy period, the retry bookkeeping starts afresh (attempts, backoff,
   * the time the connection went down).
   */
  protected connected(): void {
    clearTimeout(this.healthyTimer);
    this.healthyTimer = setTimeout(
      () => {
        this.attempt = 0;
        this.delaySeconds = 0;
        this.downSince = undefined;
        // said again, so those that copy the bookkeeping (the reading thread's owner) see it reset
        if (this.state === 'connected') this.setState('connected', `connected to ${this.url}`);
      },
      (this.backoff.healthyAfter ?? HEALTHY_AFTER_S) * 1000,
    );
    this.healthyTimer.unref();
    this.lastFrameTime = Date.now() / 1000;
    this.setState('connected', `connected to ${this.url}`);
    clearInterval(this.watchdog);
    this.silentTicks = 0;
    this.watchdog = setInterval(() => {
      if (++this.silentTicks > SILENCE_TIMEOUT_S) this.lost(`nothing received for ${SILENCE_TIMEOUT_S} s, not even heartbeats (a hung server?)`);
    }, 1000);
    this.watchdog.unref();
  }

  /**
   * Bytes arrived. `wholeFrames`: the bytes must end on a frame boundary (a
   * message of a message transport). Returns false after a protocol error
   * (the client is then closed, in state 'error').
   */
  protected received(chunk: Uint8Array, wholeFrames = false): boolean {
    this.silentTicks = 0;
    this.bytes += chunk.length;
    let frames: DaqFrame[];
    try {
      frames = wholeFrames ? this.decoder.pushWhole(chunk) : this.decoder.push(chunk);
    } catch (err) {
      this.failed(err instanceof DaqProtocolError ? err.message : errorMessage(err));
      return false;
    }
    if (frames.length) this.lastFrameTime = Date.now() / 1000;
    for (const f of frames) this.onFrame(f);
    return true;
  }

  /** the server does not speak this protocol: close, report, do not retry */
  protected failed(message: string): void {
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    this.cutOff();
    this.teardown();
    this.closed = true;
    this.setState('error', `${this.url}: ${message}`);
  }

  private onFrame(f: DaqFrame): void {
    if (this.holding && (f.type === 'image' || f.type === 'eventEnd')) {
      this.held.push(f);
      if (this.held.length === 1) this.holdTimer = setTimeout(() => this.release(), MAX_HOLD_S * 1000);
      if (this.held.length >= MAX_HELD_FRAMES) this.release();
      return;
    }
    switch (f.type) {
      case 'subarray': {
        const json = JSON.stringify(f.subarray);
        this.consecutiveIds = f.subarray.eventIds !== 'source';
        if (json !== this.subarrayJson) {
          this.subarrayJson = json;
          this.emit('subarray', f.subarray);
        }
        if (this.holding) this.release();
        return;
      }
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
        if (f.waveform) {
          const { nSamples, samplingRateGHz, samples } = f.waveform;
          this.current.images.push({ telId: f.telId, image: f.image, peakTime: f.peakTime, waveform: { nSamples, samplingRateGHz, samples } });
          this.currentBytes += FRAME_OVERHEAD + 8 * f.image.length + samples.byteLength;
        } else {
          this.current.images.push({ telId: f.telId, image: f.image, peakTime: f.peakTime });
          this.currentBytes += FRAME_OVERHEAD + 8 * f.image.length;
        }
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
        if (this.consecutiveIds && this.lastEventId !== undefined && e.eventId > this.lastEventId + 1) {
          const skipped = e.eventId - this.lastEventId - 1;
          this.missedUpstream += skipped;
          this.emit('missed', skipped);
        }
        this.lastEventId = e.eventId;
        this.emit('event', e, this.currentBytes + FRAME_OVERHEAD); // and its event-end frame
        return;
      }
    }
  }

  /** stop holding: the held frames go on, in order */
  private release(): void {
    clearTimeout(this.holdTimer);
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const f of held) this.onFrame(f);
  }

  /**
   * The stream ends (lost, replaced, closed): the event in assembly and the
   * events held for the subarray are counted as cut off, one 'incomplete' each.
   */
  private cutOff(): void {
    clearTimeout(this.holdTimer);
    const ids = new Set<number>();
    for (const f of this.held) if (f.type === 'image' || f.type === 'eventEnd') ids.add(f.eventId);
    if (this.current) ids.add(this.current.eventId);
    this.held = [];
    this.current = undefined;
    for (const id of ids) this.emit('incomplete', 'connection-lost', `event ${id} was cut off by the end of the connection`);
  }

  /**
   * The connection is down and the transport retries by itself after
   * `delaySeconds`: count the attempt and say so.
   */
  protected retrying(why: string, delaySeconds: number): void {
    clearInterval(this.watchdog);
    clearTimeout(this.healthyTimer);
    this.cutOff();
    if (this.closed) return;
    this.downSince ??= Date.now() / 1000;
    this.attempt++;
    this.delaySeconds = delaySeconds;
    this.setState('reconnecting', `${this.url}: ${why}; retry ${this.attempt} in ${this.delaySeconds.toFixed(2)} s`);
  }

  /** the connection is lost: close it and open a new one after the backoff delay */
  protected lost(why: string): void {
    // a stream that ended inside a frame says which frame (before newStream() forgets it)
    const partial = this.decoder.describePartial();
    if (partial) why = `${why} in the middle of ${partial}`;
    this.teardown();
    if (this.closed) {
      this.cutOff();
      return;
    }
    this.retrying(why, Math.min(this.backoff.max, this.backoff.initial * 2 ** this.attempt));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), this.delaySeconds * 1000);
  }

  /**
   * Resolves once the transport has let go of everything after close() (no
   * operation pending in a native library); a thread that owns this client
   * may end only then.
   */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    clearInterval(this.watchdog);
    this.teardown();
    this.cutOff();
    if (this.state !== 'error') this.setState('closed', `disconnected from ${this.url}`);
  }
}
