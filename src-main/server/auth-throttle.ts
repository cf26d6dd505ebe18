/**
 * Wrong-token attempts, per client address: after `maxFailures` within
 * `windowMs`, the address is refused (429) until the oldest of them is older
 * than the window, whatever token it sends. Refused attempts are not counted,
 * so a user who mistyped waits at most one window. The table is bounded.
 */
export interface AuthThrottleOptions {
  /** wrong tokens allowed per address and window (default 10) */
  maxFailures?: number;
  /** ms (default 60,000) */
  windowMs?: number;
  /** addresses remembered at most (default 10,000; the oldest are forgotten) */
  maxAddresses?: number;
}

export class AuthThrottle {
  private readonly failures = new Map<string, number[]>();
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(options: AuthThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  private recent(address: string, now: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(address, list);
    else this.failures.delete(address);
    return list;
  }

  /** seconds until `address` may try again, or 0 when it may now */
  blockedFor(address: string, now = Date.now()): number {
    const list = this.recent(address, now);
    if (list.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((list[0] + this.windowMs - now) / 1000));
  }

  failed(address: string, now = Date.now()): void {
    const list = this.recent(address, now);
    list.push(now);
    this.failures.delete(address); // re-inserted last: the Map's order is least recently failed first
    this.failures.set(address, list);
    while (this.failures.size > this.maxAddresses) this.failures.delete(this.failures.keys().next().value!);
  }
}
