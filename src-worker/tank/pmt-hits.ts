/**
 * Hits of one water-Cherenkov event summed per PMT: a PMT may appear more
 * than once in WatChMaL's flat hit lists, so its charge is the sum (p.e.) and
 * its time the earliest hit (ns). Buffers are kept between events and only
 * the previous event's PMTs are cleared, so a new event costs O(hits), not
 * O(PMTs). Pure.
 */

export interface PmtHitsView {
  nPmts: number;
  /** summed charge per PMT, p.e. (0 when not hit) */
  charge: Float32Array;
  /** earliest hit time per PMT, ns (NaN when not hit) */
  time: Float32Array;
  /** number of hits per PMT */
  count: Uint16Array;
  /** the distinct hit PMTs, in order of first hit */
  hitPmts: Int32Array;
  nHitPmts: number;
  /** sum of all hit charges on valid PMTs, p.e. */
  totalCharge: number;
  /** hits whose PMT index is outside the geometry (skipped) */
  outOfRange: number;
}

export class PmtHitAccumulator implements PmtHitsView {
  readonly charge: Float32Array;
  readonly time: Float32Array;
  readonly count: Uint16Array;
  hitPmts: Int32Array;
  nHitPmts = 0;
  totalCharge = 0;
  outOfRange = 0;

  constructor(readonly nPmts: number) {
    this.charge = new Float32Array(nPmts);
    this.time = new Float32Array(nPmts).fill(NaN);
    this.count = new Uint16Array(nPmts);
    this.hitPmts = new Int32Array(Math.min(nPmts, 4096));
  }

  /** Replaces the current event by these hits (charge or time may be absent: true-hit files have no charge). */
  set(hitPmt: ArrayLike<number>, hitCharge?: ArrayLike<number>, hitTime?: ArrayLike<number>): this {
    for (let k = 0; k < this.nHitPmts; k++) {
      const p = this.hitPmts[k];
      this.charge[p] = 0;
      this.time[p] = NaN;
      this.count[p] = 0;
    }
    this.nHitPmts = 0;
    this.totalCharge = 0;
    this.outOfRange = 0;
    const n = hitPmt.length;
    for (let k = 0; k < n; k++) {
      const p = hitPmt[k];
      if (!(p >= 0 && p < this.nPmts)) {
        this.outOfRange++;
        continue;
      }
      const q = hitCharge ? hitCharge[k] : 1;
      const t = hitTime ? hitTime[k] : NaN;
      if (this.count[p] === 0) {
        if (this.nHitPmts === this.hitPmts.length) {
          const grown = new Int32Array(Math.min(this.nPmts, this.hitPmts.length * 2));
          grown.set(this.hitPmts);
          this.hitPmts = grown;
        }
        this.hitPmts[this.nHitPmts++] = p;
        this.time[p] = t;
      } else if (t < this.time[p]) {
        this.time[p] = t;
      }
      if (this.count[p] < 65535) this.count[p]++;
      this.charge[p] += q;
      this.totalCharge += q;
    }
    return this;
  }
}
