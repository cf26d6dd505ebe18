/**
 * One renderer's connection to the session, independent of the transport:
 * validates each request, checks that the connection's role may call it
 * (method-roles.ts), calls the session, replies; forwards streams, with
 * array events coalesced to display rate (newest wins; slower while the live
 * source drops events for lack of processing capacity) and held back while the
 * transport is still busy sending the previous one.
 */
import { streamNames, type ReplyMessage, type Role, type ServerMessage, type StreamName, type Streams } from '../api/contract.js';
import { validateRequest } from '../api/validate.js';
import { roleAllows } from '../api/method-roles.js';
import type { ArrayEvent } from '../api/event-types.js';
import type { ConnectionContext, Session } from './session.js';
import { ApiError, errorMessage } from '../util/errors.js';
import { logger } from '../util/log.js';

const log = logger('api');

/** What a transport must provide. */
export interface Channel {
  /** a short description for logs, e.g. "ws 127.0.0.1:53211" */
  readonly peer: string;
  send(message: ServerMessage): void;
  /** false while earlier messages are still queued (backpressure) */
  ready(): boolean;
}

/** the fastest display rate for array events, Hz; the session's live service may ask for less (displayHz) */
const DISPLAY_HZ = 30;

export class ApiConnection {
  private pendingEvent: ArrayEvent | undefined;
  /** the live run the pending event came from */
  private pendingRun = 0;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly unsubscribers: (() => void)[] = [];
  private closed = false;
  private lastFlush = -Infinity;

  constructor(
    private readonly session: Session,
    private readonly channel: Channel,
    private readonly ctx: ConnectionContext & { role: Role },
  ) {
    this.subscribe('array-event', (event) => {
      this.pendingEvent = event; // newest wins
      this.pendingRun = this.session.live.run;
    });
    for (const name of streamNames) {
      if (name !== 'array-event') this.subscribe(name, (data) => this.sendStream(name, data));
    }
    this.flushTimer = setInterval(() => this.flush(), 1000 / DISPLAY_HZ);
  }

  private subscribe<K extends StreamName>(name: K, listener: (data: Streams[K]) => void): void {
    const l = listener as never;
    this.session.on(name, l);
    this.unsubscribers.push(() => this.session.off(name, l));
  }

  private flush(): void {
    if (!this.pendingEvent || !this.channel.ready()) return;
    // fewer events to the views while processing cannot keep up (LiveService.displayHz)
    const now = performance.now();
    if (now - this.lastFlush < 1000 / this.session.live.displayHz() - 5) return;
    this.lastFlush = now;
    const event = this.pendingEvent;
    this.pendingEvent = undefined;
    this.sendStream('array-event', event);
    this.session.countDisplayed(event, this.pendingRun);
  }

  private sendStream<K extends StreamName>(stream: K, data: Streams[K]): void {
    if (this.closed) return;
    try {
      this.channel.send({ type: 'stream', stream, data });
    } catch (err) {
      log.warn(`${this.channel.peer}: could not send ${stream}: ${errorMessage(err)}`);
    }
  }

  private reply(message: ReplyMessage): void {
    if (this.closed) return;
    try {
      this.channel.send(message);
    } catch (err) {
      log.warn(`${this.channel.peer}: could not send reply ${message.id}: ${errorMessage(err)}`);
    }
  }

  /** Handles one decoded incoming message. Never throws. */
  async receive(message: unknown): Promise<void> {
    const v = validateRequest(message);
    if (!v.ok) {
      log.warn(`${this.channel.peer}: rejected request: ${v.message}`);
      this.reply({ type: 'reply', id: v.id ?? -1, ok: false, error: { code: v.code, message: v.message } });
      return;
    }
    const { id, method, params } = v.request;
    if (!roleAllows(this.ctx.role, method)) {
      log.warn(`${this.channel.peer}: refused ${method}: the ${this.ctx.role} role may not call it`);
      this.reply({
        type: 'reply',
        id,
        ok: false,
        error: {
          code: 'forbidden',
          message: `${method}: this connection may only watch (${this.ctx.role} role); opening files by path, exporting HDF5, recording and controlling the live source need the full-control token`,
        },
      });
      return;
    }
    try {
      const result = await this.session.handle(method, params as never, this.ctx);
      this.reply({ type: 'reply', id, ok: true, result });
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'failed';
      const messageText = errorMessage(err);
      if (!(err instanceof ApiError)) log.error(`${this.channel.peer}: ${method} failed: ${messageText}`);
      this.reply({ type: 'reply', id, ok: false, error: { code, message: `${method}: ${messageText}` } });
    }
  }

  /** Reports an undecodable message (bad frame) with an error reply. */
  rejectUndecodable(reason: string): void {
    log.warn(`${this.channel.peer}: undecodable message: ${reason}`);
    this.reply({ type: 'reply', id: -1, ok: false, error: { code: 'bad-request', message: `undecodable message: ${reason}` } });
  }

  /** Answers a request the transport did not hand over because the connection sent too many. */
  rejectRateLimited(id: number, message: string): void {
    this.reply({ type: 'reply', id, ok: false, error: { code: 'rate-limited', message } });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.flushTimer);
    for (const u of this.unsubscribers) u();
  }
}
