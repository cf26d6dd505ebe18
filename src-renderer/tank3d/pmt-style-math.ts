/**
 * Per-PMT colour and size for the tank views (3D instances and the unrolled
 * canvas), from an event's per-PMT charge or time: hit PMTs take the colour
 * map's colour and grow with charge, the others are drawn faintly. Only the
 * PMTs that changed are touched. Pure (no DOM), so unit tests check what is
 * shown.
 */
import type { PmtHitsView } from '../../src-worker/tank/pmt-hits.js';
import { figureLimits, normalize, type FigureNorm } from '../../src-worker/figure/figure-colors.js';

export type TankQuantity = 'charge' | 'time';

/** faint colour of PMTs without a hit (linear RGB 0..1) */
export const UNHIT_RGB: readonly [number, number, number] = [0.2, 0.23, 0.28];
/** size of an unhit PMT relative to a hit one of the smallest charge */
export const UNHIT_SCALE = 0.55;

export interface StyleSummary {
  /** PMTs drawn in a colour-map colour */
  colored: number;
  /** summed charge of the coloured PMTs, p.e. */
  shownCharge: number;
  /** limits used */
  vmin: number;
  vmax: number;
}

/**
 * Colour limits over the hit PMTs (finite values only): min and max, or the
 * [100 − p, p] percentile range (late hits would otherwise squeeze a time scale).
 */
export function hitLimits(hits: PmtHitsView, quantity: TankQuantity, percentile = 100): { vmin: number; vmax: number } {
  const values = quantity === 'charge' ? hits.charge : hits.time;
  if (percentile < 100) {
    const hv = new Float64Array(hits.nHitPmts);
    for (let k = 0; k < hits.nHitPmts; k++) hv[k] = values[hits.hitPmts[k]];
    return hits.nHitPmts ? figureLimits(hv, percentile) : { vmin: 0, vmax: 1 };
  }
  let vmin = Infinity;
  let vmax = -Infinity;
  for (let k = 0; k < hits.nHitPmts; k++) {
    const v = values[hits.hitPmts[k]];
    if (!Number.isFinite(v)) continue;
    if (v < vmin) vmin = v;
    if (v > vmax) vmax = v;
  }
  if (!(vmax >= vmin)) return { vmin: 0, vmax: 1 };
  if (vmax === vmin) return { vmin: vmin - 0.5, vmax: vmax + 0.5 };
  return { vmin, vmax };
}

export class PmtStyler {
  /** RGB per PMT, 0..1 */
  readonly colors: Float32Array;
  /** size factor per PMT */
  readonly scales: Float32Array;
  /** 1 where the PMT is shown as hit */
  readonly hit: Uint8Array;
  private shown: Int32Array = new Int32Array(0);
  private nShown = 0;

  constructor(readonly nPmts: number) {
    this.colors = new Float32Array(nPmts * 3);
    this.scales = new Float32Array(nPmts).fill(UNHIT_SCALE);
    this.hit = new Uint8Array(nPmts);
    for (let i = 0; i < nPmts; i++) this.colors.set(UNHIT_RGB, 3 * i);
  }

  /**
   * Styles the hit PMTs of an event and resets the previous event's. `lut` is
   * 256 packed RGBA (little-endian) colours. Size grows with √charge up to
   * `maxScale` at the largest charge of the event.
   */
  apply(hits: PmtHitsView, quantity: TankQuantity, norm: FigureNorm, lut: Uint32Array, maxScale = 2.2): StyleSummary {
    for (let k = 0; k < this.nShown; k++) {
      const p = this.shown[k];
      this.colors[3 * p] = UNHIT_RGB[0];
      this.colors[3 * p + 1] = UNHIT_RGB[1];
      this.colors[3 * p + 2] = UNHIT_RGB[2];
      this.scales[p] = UNHIT_SCALE;
      this.hit[p] = 0;
    }
    if (this.shown.length < hits.nHitPmts) this.shown = new Int32Array(Math.max(hits.nHitPmts, this.shown.length * 2));
    let qmax = 0;
    for (let k = 0; k < hits.nHitPmts; k++) qmax = Math.max(qmax, hits.charge[hits.hitPmts[k]]);
    const values = quantity === 'charge' ? hits.charge : hits.time;
    const last = lut.length - 1;
    let shownCharge = 0;
    this.nShown = 0;
    for (let k = 0; k < hits.nHitPmts; k++) {
      const p = hits.hitPmts[k];
      const t = normalize(norm, values[p]);
      const c = lut[Number.isNaN(t) ? 0 : Math.round(t * last)];
      this.colors[3 * p] = (c & 255) / 255;
      this.colors[3 * p + 1] = ((c >>> 8) & 255) / 255;
      this.colors[3 * p + 2] = ((c >>> 16) & 255) / 255;
      const q = hits.charge[p];
      this.scales[p] = 1 + (maxScale - 1) * (qmax > 0 ? Math.sqrt(Math.max(0, q) / qmax) : 0);
      this.hit[p] = 1;
      this.shown[this.nShown++] = p;
      shownCharge += q;
    }
    return { colored: this.nShown, shownCharge, vmin: norm.vmin, vmax: norm.vmax };
  }

  /** the PMTs currently shown as hit */
  shownPmts(): Int32Array {
    return this.shown.subarray(0, this.nShown);
  }
}
