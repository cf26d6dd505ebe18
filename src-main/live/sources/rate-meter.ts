/** Counts occurrences in one-second buckets and reports the mean rate over a window. */
export class RateMeter {
  private readonly buckets: number[];
  private currentSecond = Math.floor(Date.now() / 1000);

  constructor(private readonly windowSeconds: number) {
    this.buckets = new Array<number>(windowSeconds + 1).fill(0);
  }

  private roll(): void {
    const second = Math.floor(Date.now() / 1000);
    const steps = Math.min(second - this.currentSecond, this.buckets.length);
    for (let i = 0; i < steps; i++) {
      this.buckets.shift();
      this.buckets.push(0);
    }
    this.currentSecond = second;
  }

  add(n: number): void {
    this.roll();
    this.buckets[this.buckets.length - 1] += n;
  }

  /** mean rate over the last complete seconds, Hz */
  rate(): number {
    this.roll();
    let sum = 0;
    for (let i = 0; i < this.buckets.length - 1; i++) sum += this.buckets[i];
    return sum / this.windowSeconds;
  }
}
