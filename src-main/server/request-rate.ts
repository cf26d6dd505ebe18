/**
 * The per-connection request-rate cap: a token bucket (`burst` requests at
 * once, refilled at `perSecond`). A request over the cap is answered with a
 * 'rate-limited' error without being handled.
 */
export class RequestRate {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** true when one more request may be handled now */
  take(now = performance.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
