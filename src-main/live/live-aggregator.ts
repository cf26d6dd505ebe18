/**
 * Everything the backend accumulates from processed live events: histograms,
 * rates, pixel maps and the ring buffer of the newest events. Every event
 * handed to add() counts; snapshots are taken at display rate.
 */
import type { LiveProcessedEvent, PixelSums } from '../../src-worker/live/live-types.js';
import { LiveHistogramSet } from './live-histograms.js';
import { RateHistory } from './rate-history.js';
import { PixelMaps } from './pixel-maps.js';
import { EventRing } from './event-ring.js';

export interface LiveAggregatorOptions {
  ringCapacity?: number;
  rateWindowSeconds?: number;
  hotPixelFactor?: () => number;
  pointing?: () => { alt: number; az: number };
  /** an event the ring let go of (nothing here holds it any more) */
  onEvict?: (e: LiveProcessedEvent) => void;
}

export class LiveAggregator {
  readonly histograms: LiveHistogramSet;
  readonly rates: RateHistory;
  readonly pixelMaps: PixelMaps;
  /** the newest processed events (converted for the views when asked for) */
  readonly ring: EventRing<LiveProcessedEvent>;
  /** events / images added since the last reset */
  events = 0;
  images = 0;

  constructor(opts: LiveAggregatorOptions = {}) {
    this.histograms = new LiveHistogramSet(opts.pointing ?? (() => ({ alt: 70, az: 0 })));
    this.rates = new RateHistory(opts.rateWindowSeconds ?? 300);
    this.pixelMaps = new PixelMaps(opts.hotPixelFactor ?? (() => 5));
    this.ring = new EventRing<LiveProcessedEvent>(opts.ringCapacity ?? 200, opts.onEvict);
  }

  /**
   * One processed event (kept in the ring). Pixel maps: pass `pixels: true`
   * to accumulate its images here, or merge the worker's per-batch sums with
   * addPixelSums(). Rates: `rates: false` when the source counts its events
   * on arrival instead (a DAQ: the trigger rate includes events dropped
   * before processing).
   */
  add(e: LiveProcessedEvent, arrival = Date.now() / 1000, pixels = true, rates = true): void {
    this.events++;
    this.images += e.images.length;
    this.histograms.add(e);
    if (rates)
      this.rates.add(
        e.images.map((i) => i.telId),
        arrival,
      );
    if (pixels) for (const img of e.images) this.pixelMaps.add(img.telId, img.camera, img.image, img.mask);
    this.ring.push(e);
  }

  /** a batch's pixel-map sums (the events of the batch go through add(..., pixels=false)) */
  addPixelSums(sums: readonly PixelSums[]): void {
    for (const s of sums) this.pixelMaps.addSums(s.telId, s.camera, s.images, s.sum, s.sumSq, s.survived);
  }

  reset(): void {
    this.events = this.images = 0;
    this.histograms.reset();
    this.rates.reset();
    this.pixelMaps.reset();
    this.ring.clear();
  }
}
