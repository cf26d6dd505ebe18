/**
 * Aggregation: every processed event counts. N simulated events (processed
 * exactly as in the pool) give histogram totals of N events and of their
 * image count, per-telescope breakdowns that add up to the all-telescope
 * counts, rates that count every event and image, pixel maps with one entry
 * per image, and a ring holding the newest events.
 */
import { describe, expect, it } from 'vitest';
import { pixelSumsOf, runLiveSimulate } from '../../../../src-worker/live/live-tasks.js';
import { defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';
import { LiveAggregator } from '../../../../src-main/live/live-aggregator.js';
import { unpackLiveEvents } from '../../../../src-worker/live/live-batch-codec.js';
import type { LiveProcessedEvent } from '../../../../src-worker/live/live-types.js';

function simulate(n: number, seed: number): LiveProcessedEvent[] {
  return unpackLiveEvents(runLiveSimulate({ kind: 'live-simulate', count: n, seed, subarray: defaultSubarray }).result.events);
}

describe('live aggregation', () => {
  const events = [...simulate(150, 11), ...simulate(150, 12)];
  const nImages = events.reduce((a, e) => a + e.images.length, 0);

  it('counts every event and image in every histogram', () => {
    const agg = new LiveAggregator({ ringCapacity: 50, pointing: () => defaultSubarray.pointing });
    const t0 = Math.floor(Date.now() / 1000);
    events.forEach((e, i) => agg.add(e, t0 - 2 + (i % 2)));
    const snap = agg.histograms.snapshot('simulation');
    expect(snap.events).toBe(events.length);
    expect(snap.images).toBe(nImages);
    for (const h of snap.histograms) {
      const inRange = h.counts.reduce((a, b) => a + b, 0);
      expect(inRange + h.underflow + h.overflow + h.invalid, h.name).toBe(h.total);
      expect(h.total, h.name).toBe(h.per === 'image' ? nImages : events.length);
      if (h.perTelescope) {
        const perTel = Object.values(h.perTelescope).reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0);
        expect(perTel, h.name).toBe(inRange);
      }
    }
    // the simulated images are showers: most have parameters, and stereo works for most events
    const intensity = snap.histograms.find((h) => h.name === 'intensity')!;
    expect(intensity.invalid).toBeLessThan(0.2 * nImages);
    const theta2 = snap.histograms.find((h) => h.name === 'theta2')!;
    expect(theta2.invalid).toBeLessThan(0.5 * events.length);
    // point source at the pointing: θ² concentrated at small values
    expect(theta2.counts[0] + theta2.counts[1]).toBeGreaterThan(0.3 * (theta2.total - theta2.invalid));

    const rates = agg.rates.snapshot();
    expect(rates.overall.reduce((a, b) => a + b, 0)).toBe(events.length);
    const telSum = Object.values(rates.perTelescope).reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0);
    expect(telSum).toBe(nImages);

    const maps = agg.pixelMaps.snapshot();
    expect(maps.telescopes.reduce((a, m) => a + m.images, 0)).toBe(nImages);
    for (const m of maps.telescopes) {
      expect(m.meanImage.length).toBe(m.nPixels);
      expect(Math.max(...m.survivalFraction)).toBeLessThanOrEqual(1);
    }

    expect(agg.ring.size).toBe(50);
    expect(agg.ring.at(0)!.eventId).toBe(events[events.length - 1].eventId);
    expect(agg.ring.at(49)!.eventId).toBe(events[events.length - 50].eventId);
    expect(agg.ring.at(50)).toBeUndefined();
  });

  it('pixel maps merged from per-batch worker sums equal per-image accumulation', () => {
    const a = new LiveAggregator();
    const b = new LiveAggregator();
    for (const e of events) a.add(e);
    for (let k = 0; k < events.length; k += 32) {
      const part = events.slice(k, k + 32);
      for (const e of part) b.add(e, undefined, false);
      b.addPixelSums(pixelSumsOf(part));
    }
    const ma = a.pixelMaps.snapshot().telescopes;
    const mb = b.pixelMaps.snapshot().telescopes;
    expect(mb.map((m) => m.images)).toEqual(ma.map((m) => m.images));
    ma.forEach((m, i) => {
      for (let p = 0; p < m.nPixels; p++) {
        expect(mb[i].meanImage[p]).toBeCloseTo(m.meanImage[p], 4);
        expect(mb[i].survivalFraction[p]).toBe(m.survivalFraction[p]);
      }
    });
  });

  it('reset and rebinning clear what they should', () => {
    const agg = new LiveAggregator();
    for (const e of events.slice(0, 20)) agg.add(e);
    agg.histograms.configure('width', 10, 0, 1);
    let s = agg.histograms.snapshot('simulation');
    expect(s.histograms.find((h) => h.name === 'width')!.total).toBe(0);
    expect(s.histograms.find((h) => h.name === 'length')!.total).toBeGreaterThan(0);
    expect(() => agg.histograms.configure('intensity', 10, 0, 100, 'log10')).toThrow(/log10 axis needs min > 0/);
    agg.histograms.reset();
    s = agg.histograms.snapshot('simulation');
    expect(s.events).toBe(0);
    expect(s.histograms.every((h) => h.total === 0)).toBe(true);
  });
});
