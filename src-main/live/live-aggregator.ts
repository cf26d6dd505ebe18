/**
 * Everything the backend accumulates from processed live events: histograms,
 * rates, pixel maps and the ring buffer of the newest events. Every event
 * handed to add() counts; snapshots are taken at display rate.
 */
import type { ArrayEvent } from '../api/event-types.js';
import type { LiveProcessedEvent } from '../../src-worker/live/live-types.js';
import { LiveHistogramSet } from './live-histograms.js';
import { RateHistory } from './rate-history.js';
import { PixelMaps } from './pixel-maps.js';
import { EventRing } from './event-ring.js';

export interface LiveAggregatorOptions {
  ringCapacity?: number;
  rateWindowSeconds?: number;
  hotPixelFactor?: () => number;
  pointing?: () => { alt: number; az: number };
}

export class LiveAggregator {
  readonly histograms: LiveHistogramSet;
  readonly rates: RateHistory;
  readonly pixelMaps: PixelMaps;
  readonly ring: EventRing<ArrayEvent>;
  /** events / images added since the last reset */
  events = 0;
  images = 0;

  constructor(opts: LiveAggregatorOptions = {}) {
    this.histograms = new LiveHistogramSet(opts.pointing ?? (() => ({ alt: 70, az: 0 })));
    this.rates = new RateHistory(opts.rateWindowSeconds ?? 300);
    this.pixelMaps = new PixelMaps(opts.hotPixelFactor ?? (() => 5));
    this.ring = new EventRing<ArrayEvent>(opts.ringCapacity ?? 200);
  }

  /** `display`: the same event as the views get it (kept in the ring) */
  add(e: LiveProcessedEvent, display: ArrayEvent | undefined, arrival = Date.now() / 1000): void {
    this.events++;
    this.images += e.images.length;
    this.histograms.add(e);
    const telIds = e.images.map((i) => i.telId);
    this.rates.add(telIds, arrival);
    for (const img of e.images) this.pixelMaps.add(img.telId, img.camera, img.image, img.mask);
    if (display) this.ring.push(display);
  }

  reset(): void {
    this.events = this.images = 0;
    this.histograms.reset();
    this.rates.reset();
    this.pixelMaps.reset();
    this.ring.clear();
  }
}
