/**
 * The small parts of live monitoring: rate history bins and window, pixel
 * maps flag injected hot and dead pixels, alarms raise, persist, clear and
 * log, the event ring wraps.
 */
import { describe, expect, it } from 'vitest';
import { RateHistory } from '../../../../src-main/live/rate-history.js';
import { PixelMaps, MIN_IMAGES_FOR_FLAGS } from '../../../../src-main/live/pixel-maps.js';
import { AlarmMonitor } from '../../../../src-main/live/alarm-monitor.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { EventRing } from '../../../../src-main/live/event-ring.js';

describe('RateHistory', () => {
  it('bins by second and slides its window', () => {
    let now = 1000.5;
    const r = new RateHistory(10, () => now);
    for (let i = 0; i < 30; i++) r.add([1, 2], 1000.1);
    for (let i = 0; i < 10; i++) r.add([1], 999.9);
    now = 1001.2;
    expect(r.meanRate(1)).toBe(30);
    expect(r.meanRate(2, 2)).toBe(15);
    now = 1020;
    expect(r.meanRate(5)).toBe(0);
    expect(r.snapshot().overall.reduce((a, b) => a + b, 0)).toBe(0);
    expect(r.lastSeenTime(1)).toBe(1000.1);
  });
});

describe('PixelMaps', () => {
  it('flags a dead (constant) and a hot (bright) pixel after enough images', () => {
    const maps = new PixelMaps(() => 5);
    const n = 100;
    let s = 1;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < MIN_IMAGES_FOR_FLAGS; k++) {
      const image = new Float32Array(n).map(() => rnd() * 2);
      image[7] = 0; // dead
      image[42] = 30 + rnd(); // hot
      const mask = new Uint8Array(n);
      mask[3] = k % 25 === 0 ? 1 : 0; // survives 4 % of the time: below 5 × 1 % (not hot)
      maps.add(1, 'Toy', image, mask);
      if (k === MIN_IMAGES_FOR_FLAGS - 2) {
        expect(maps.map(1)!.deadPixels.length).toBe(0); // not yet enough images
      }
    }
    const m = maps.map(1)!;
    expect(m.images).toBe(MIN_IMAGES_FOR_FLAGS);
    expect([...m.deadPixels]).toEqual([7]);
    expect([...m.hotPixels]).toEqual([42]);
    expect(m.survivalFraction[3]).toBeCloseTo(0.04, 6);
  });
});

describe('PixelMaps on a real camera', () => {
  it('flags a lone bright pixel but not the shower region that lights up in every event', () => {
    const maps = new PixelMaps(() => 5);
    const g = loadCameraGeometry('LSTCam');
    const n = g.nPixels;
    let s = 3;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const hotPixel = 1500;
    for (let k = 0; k < 2 * MIN_IMAGES_FOR_FLAGS; k++) {
      const image = new Float32Array(n);
      const mask = new Uint8Array(n);
      // showers from the pointing: a bright blob near the camera centre in every event
      for (let i = 0; i < n; i++) {
        const r2 = (g.pixX[i] - 0.1) ** 2 + g.pixY[i] ** 2;
        const signal = 40 * Math.exp(-r2 / (2 * 0.08 ** 2));
        image[i] = signal + (rnd() - 0.5) * 2;
        mask[i] = signal > 6 ? 1 : 0;
      }
      image[hotPixel] = 25 + rnd(); // a star or a broken pixel, alone
      maps.add(1, 'LSTCam', image, mask);
    }
    const m = maps.map(1)!;
    expect([...m.hotPixels]).toEqual([hotPixel]);
    // the camera-median rule (no geometry) flags the whole blob
    const blind = new PixelMaps(
      () => 5,
      () => undefined,
    );
    for (let k = 0; k < MIN_IMAGES_FOR_FLAGS; k++) {
      const image = new Float32Array(n);
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const signal = 40 * Math.exp(-((g.pixX[i] - 0.1) ** 2 + g.pixY[i] ** 2) / (2 * 0.08 ** 2));
        image[i] = signal + (rnd() - 0.5) * 2;
        mask[i] = signal > 6 ? 1 : 0;
      }
      blind.add(1, 'LSTCam', image, mask);
    }
    expect(blind.map(1)!.hotPixels.length).toBeGreaterThan(10);
  });
});

describe('AlarmMonitor', () => {
  it('raises, keeps, clears and logs alarms; thresholds are editable', () => {
    const a = new AlarmMonitor();
    a.configure({ minRateHz: 100, telescopeSilentSeconds: 5 });
    const base = {
      running: true,
      rateHz: 50,
      runningForSeconds: 60,
      lastSeen: new Map([
        [1, 100],
        [2, 94],
      ]),
      pixelMaps: [],
    };
    expect(a.evaluate({ ...base, now: 100 })).toBe(true);
    let s = a.snapshot();
    expect(s.active.map((x) => x.id).sort()).toEqual(['rate-low', 'telescope-silent:2']);
    expect(a.evaluate({ ...base, now: 100.5 })).toBe(false); // same alarms
    expect(a.acknowledge('rate-low', 101)).toBe(true);
    expect(
      a.evaluate({
        ...base,
        rateHz: 500,
        now: 102,
        lastSeen: new Map([
          [1, 101],
          [2, 101],
        ]),
        disconnectedSince: 100,
        url: 'tcp://x:1',
      }),
    ).toBe(true);
    s = a.snapshot();
    expect(s.active.map((x) => x.id)).toEqual(['source-disconnected']);
    expect(s.log.map((l) => `${l.change}:${l.id}`)).toEqual([
      'raised:rate-low',
      'raised:telescope-silent:2',
      'acknowledged:rate-low',
      'cleared:rate-low',
      'cleared:telescope-silent:2',
      'raised:source-disconnected',
    ]);
    // no rate alarm before a full window of running
    const b = new AlarmMonitor();
    b.evaluate({ ...base, lastSeen: new Map(), now: 1, runningForSeconds: 2 });
    expect(b.activeCount).toBe(0);
  });
});

describe('EventRing', () => {
  it('keeps the newest N', () => {
    const r = new EventRing<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect([r.at(0), r.at(1), r.at(2), r.at(3)]).toEqual([5, 4, 3, undefined]);
    expect(r.size).toBe(3);
  });

  it('finds items by their sequence number in the stream while new ones arrive', () => {
    const r = new EventRing<number>(3);
    for (let i = 0; i < 5; i++) r.push(i * 10); // sequences 0…4
    expect(r.newestSequence).toBe(4);
    expect(r.at(r.offsetOf(3)!)).toBe(30);
    r.push(50); // sequence 5: item 3 is one further back now
    expect(r.offsetOf(3)).toBe(2);
    expect(r.at(r.offsetOf(3)!)).toBe(30);
    expect(r.offsetOf(2)).toBeUndefined(); // pushed out
    expect(r.offsetOf(6)).toBeUndefined(); // not yet
    r.clear();
    expect(r.newestSequence).toBe(-1);
  });
});
