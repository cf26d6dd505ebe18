/**
 * A compact, always visible line in the header while a DAQ stream is the
 * live source: its address and state machine state, with the retry countdown
 * when reconnecting; a click opens the Monitor tab. (The header's run-control
 * bar beside it has the counters.)
 */
import type { LiveStatus } from '../../src-main/api/live-contract.js';
import { retryCountdown, stateLine } from './live-status-text.js';

export class LiveBadge {
  readonly element: HTMLButtonElement;
  private status: LiveStatus | undefined;
  private attemptSeen: { attempt: number | undefined; at: number } | undefined;

  constructor(open: () => void) {
    this.element = document.createElement('button');
    this.element.className = 'live-badge';
    this.element.title = 'the live DAQ source: open the Monitor tab';
    this.element.hidden = true;
    this.element.onclick = open;
    setInterval(() => {
      if (this.status?.state === 'reconnecting') this.render();
    }, 250);
  }

  update(s: LiveStatus): void {
    this.status = s;
    if (s.state !== 'reconnecting') this.attemptSeen = undefined;
    else if (!this.attemptSeen || this.attemptSeen.attempt !== s.reconnectAttempt) this.attemptSeen = { attempt: s.reconnectAttempt, at: Date.now() };
    this.render();
  }

  private render(): void {
    const s = this.status;
    if (!s) return;
    this.element.hidden = s.source !== 'daq';
    this.element.dataset.state = s.state;
    const countdown = this.attemptSeen ? retryCountdown(s, this.attemptSeen.at, Date.now()) : undefined;
    // the counters and the rate are in the run-control bar next to it
    this.element.textContent = stateLine(s, countdown);
  }
}
