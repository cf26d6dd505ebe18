/**
 * The DAQ emulator's ZeroMQ output: an XPUB socket bound at the port
 * publishes every event as one single-part message holding its frames (the
 * same bytes as over TCP), so ZeroMQ delivers an event whole or not at all.
 * Not multipart: libzmq 4.3 can abort a publisher whose subscriber
 * disconnects while a multipart message is half sent (daq-protocol.md). Subscribers that read too slowly lose whole events at the
 * send high-water mark (ZeroMQ drops them silently; the client sees the gap
 * in event ids). Each new subscription (XPUB shows every one) makes the
 * server publish the subarray frame again, so a subscriber that joins late
 * learns the telescopes; subscribers that have it already ignore the
 * repetition. See daq-protocol.md, "ZeroMQ".
 */
import type { XPublisher } from 'zeromq';
import type { DaqOutput, DaqOutputListener, DaqOutputStats } from './daq-output.js';
import { errorMessage } from '../../util/errors.js';

/** events queued per subscriber before ZeroMQ drops for it (~1.2 GB of LSTCam images would be 10k; 1000 is ~100 MB at most) */
export const ZMQ_SEND_HWM = 1000;

export class DaqZmqOutput implements DaqOutput {
  private pub: XPublisher | undefined;
  private subscribers = 0;
  private subscriptions = 0;
  private sent = 0;

  constructor(
    private readonly subarrayFrame: Uint8Array,
    private readonly stats: DaqOutputStats,
    private readonly listener: DaqOutputListener,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const zmq = await import('zeromq');
    const pub = new zmq.XPublisher({ sendHighWaterMark: ZMQ_SEND_HWM, sendTimeout: 0, linger: 0 });
    // every subscribe and unsubscribe, also a second subscriber's, so each one gets the subarray
    pub.verbosity = 'allSubsUnsubs';
    const h = host.includes(':') ? `[${host}]` : host;
    try {
      await pub.bind(`tcp://${h}:${port === 0 ? '*' : port}`);
    } catch (err) {
      pub.close();
      throw err;
    }
    this.pub = pub;
    void this.readSubscriptions(pub);
    const m = /:(\d+)$/.exec(pub.lastEndpoint ?? '');
    return m ? Number(m[1]) : port;
  }

  url(host: string, port: number): string {
    return `zmq+tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get clients(): number {
    return this.subscribers;
  }

  private async readSubscriptions(pub: XPublisher): Promise<void> {
    try {
      for await (const [msg] of pub) {
        if (msg[0] === 1) {
          this.subscribers++;
          this.listener.client(`subscriber ${++this.subscriptions}`);
          this.send([this.subarrayFrame]);
        } else if (msg[0] === 0) {
          this.subscribers = Math.max(0, this.subscribers - 1);
          this.listener['client-gone']('a subscriber');
        }
      }
    } catch (err) {
      if (!pub.closed) process.stderr.write(`DAQ emulator: reading ZeroMQ subscriptions failed: ${errorMessage(err)}\n`);
    }
  }

  /** sendTimeout 0: a PUB socket never blocks, it drops at the high-water mark, so every send completes at once */
  private send(parts: Uint8Array[]): boolean {
    const pub = this.pub;
    if (!pub || pub.closed) return false;
    try {
      pub.send(parts).catch(() => this.stats.droppedForSlowClients++);
      return true;
    } catch {
      this.stats.droppedForSlowClients++;
      return false;
    }
  }

  /** ZeroMQ does not say whether a subscriber is behind: it drops at the high-water mark */
  readonly congested = false;

  dropForAll(): void {}

  sendEvents(events: Uint8Array[]): void {
    if (this.subscribers === 0) return;
    for (const ev of events) {
      if (!this.send([ev])) continue;
      this.sent++;
      this.stats.bytes += ev.length;
    }
  }

  sendFrame(frame: Uint8Array): void {
    if (this.subscribers > 0) this.send([frame]);
  }

  clientStats(): { peer: string; sent: number; dropped: number }[] {
    return this.subscribers ? [{ peer: `${this.subscribers} ZeroMQ subscriber(s)`, sent: this.sent, dropped: 0 }] : [];
  }

  async close(): Promise<void> {
    const pub = this.pub;
    this.pub = undefined;
    if (pub && !pub.closed) pub.close();
  }
}
