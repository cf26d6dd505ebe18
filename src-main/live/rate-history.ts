/**
 * Array-event and per-telescope image rates in one-second bins over a
 * sliding window, binned by arrival time at the backend.
 */
import type { LiveRates } from '../api/live-contract.js';

export class RateHistory {
  /** start second of bins[0] */
  private first: number;
  private overall: Float64Array;
  private perTel = new Map<number, Float64Array>();
  private lastSeen = new Map<number, number>();

  constructor(
    readonly windowSeconds = 300,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.first = Math.floor(this.now()) - windowSeconds + 1;
    this.overall = new Float64Array(windowSeconds);
  }

  private slot(t: number): number {
    const s = Math.floor(t);
    const last = this.first + this.windowSeconds - 1;
    if (s > last) this.shift(s - last);
    return s - this.first;
  }

  private shift(n: number): void {
    const w = this.windowSeconds;
    const move = (a: Float64Array) => {
      if (n >= w) a.fill(0);
      else {
        a.copyWithin(0, n);
        a.fill(0, w - n);
      }
    };
    move(this.overall);
    for (const a of this.perTel.values()) move(a);
    this.first += n;
  }

  /** one array event with images from `telIds`, arrived at `t` (s since the epoch) */
  add(telIds: readonly number[], t = this.now()): void {
    const i = this.slot(t);
    if (i < 0) return;
    this.overall[i]++;
    for (const tel of telIds) {
      let a = this.perTel.get(tel);
      if (!a) this.perTel.set(tel, (a = new Float64Array(this.windowSeconds)));
      a[i]++;
      if (!((this.lastSeen.get(tel) ?? -Infinity) >= t)) this.lastSeen.set(tel, t);
    }
  }

  /** mean rate over the last `seconds` complete seconds, Hz */
  meanRate(seconds: number, telId?: number): number {
    this.slot(this.now());
    const a = telId === undefined ? this.overall : this.perTel.get(telId);
    if (!a) return 0;
    const n = Math.min(Math.max(1, Math.round(seconds)), this.windowSeconds - 1);
    let s = 0;
    for (let k = this.windowSeconds - 1 - n; k < this.windowSeconds - 1; k++) s += a[k];
    return s / n;
  }

  telescopes(): number[] {
    return [...this.lastSeen.keys()].sort((a, b) => a - b);
  }

  lastSeenTime(telId: number): number | undefined {
    return this.lastSeen.get(telId);
  }

  reset(): void {
    this.overall.fill(0);
    this.perTel.clear();
    this.lastSeen.clear();
  }

  snapshot(): LiveRates {
    this.slot(this.now());
    const times = new Float64Array(this.windowSeconds);
    for (let k = 0; k < this.windowSeconds; k++) times[k] = this.first + k;
    const perTelescope: Record<number, Float64Array> = {};
    const currentPerTelescopeHz: Record<number, number> = {};
    const lastSeen: Record<number, number> = {};
    for (const [tel, a] of this.perTel) {
      perTelescope[tel] = a.slice();
      currentPerTelescopeHz[tel] = this.meanRate(5, tel);
    }
    for (const [tel, t] of this.lastSeen) lastSeen[tel] = t;
    return { binSeconds: 1, times, overall: this.overall.slice(), perTelescope, currentHz: this.meanRate(5), currentPerTelescopeHz, lastSeen };
  }
}
