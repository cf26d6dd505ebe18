/**
 * The live waveform view's pure parts: a live.waveforms reply as the figure's
 * PixelWaveforms (samples as sent, the image value and peak time the stream
 * sent, no window, no R0, no truth; null from JSON as "not known"), nothing
 * for a source without waveforms, the read-out line that says the window is
 * not known, the figure drawn from it (no shaded window), and the refresh
 * gate (one request at a time, at most one per interval, at once after a click).
 */
import { describe, expect, it } from 'vitest';
import { RefreshGate, liveReadoutText, liveToPixelWaveforms } from '../../../../src-renderer/waveform/live-waveforms.js';
import { waveformFigure } from '../../../../src-renderer/waveform/waveform-figure.js';
import type { LiveWaveforms } from '../../../../src-main/api/live-contract.js';

const reply: LiveWaveforms = {
  telId: 1,
  available: true,
  obsId: 7,
  eventId: 4201,
  time: 1.7e9,
  nSamples: 4,
  samplingRateGHz: 2,
  pixels: [17, 3],
  waveforms: [
    [0.5, 3.25, 1, -0.125],
    [0, 0.1, 0.2, 0.3],
  ],
  image: [4.625, 0.5],
  // a peak time the stream did not have comes as null over JSON
  peakTime: [0.75, null as unknown as number],
};

describe('liveToPixelWaveforms', () => {
  it('keeps the samples, the event and the values the stream sent; no window, R0 or truth', () => {
    const w = liveToPixelWaveforms(reply, 'LSTCam')!;
    expect(w.telId).toBe(1);
    expect(w.camera).toBe('LSTCam');
    expect(w.obsId).toBe(7);
    expect(w.eventId).toBe(4201);
    expect(w.nSamples).toBe(4);
    expect(w.samplingRateGHz).toBe(2);
    expect(w.extractor).toBeNull();
    expect(w.hasR0).toBe(false);
    expect(w.pixels.map((p) => p.pixel)).toEqual([17, 3]);
    expect(Array.from(w.pixels[0].r1!)).toEqual([0.5, 3.25, 1, -0.125]);
    expect(Array.from(w.pixels[1].r1!)).toEqual([0, 0.1, 0.2, 0.3].map(Math.fround));
    expect(w.pixels[0].charge).toBe(4.625);
    expect(w.pixels[0].peakTime).toBe(0.75);
    expect(w.pixels[1].peakTime).toBeNaN();
    for (const p of w.pixels) {
      expect(p.windowStart).toBeNull();
      expect(p.windowWidth).toBeNull();
      expect(p.r0High).toBeNull();
      expect(p.r0Low).toBeNull();
      expect(p.truePe).toBeNull();
      expect(p.selectedGain).toBe(-1);
    }
  });

  it('gives nothing for a source without waveforms', () => {
    expect(liveToPixelWaveforms({ telId: 2, available: false, pixels: [0], waveforms: [], image: [], peakTime: [] }, 'LSTCam')).toBeUndefined();
  });

  it('draws the samples at k / rate ns, with no shaded window and the peak time marked', () => {
    const fig = waveformFigure(liveToPixelWaveforms(reply, 'LSTCam')!, 'r1', () => '#fff');
    expect(Array.from(fig.x)).toEqual([0, 0.5, 1, 1.5]);
    expect(fig.series).toHaveLength(2);
    expect(fig.series[0].window).toBeNull();
    expect(fig.series[0].peakTime).toBe(0.75);
    expect(fig.title).toBe('Tel 1 · LSTCam · event 4201');
  });

  it('writes the image value and peak time and says the window is not known', () => {
    const w = liveToPixelWaveforms(reply, 'LSTCam')!;
    expect(liveReadoutText(w.pixels[0])).toBe('pixel 17 · image 4.63 p.e. · peak time 0.75 ns · window not known');
    expect(liveReadoutText(w.pixels[1])).toBe('pixel 3 · image 0.50 p.e. · peak time – ns · window not known');
  });
});

describe('RefreshGate', () => {
  it('lets one request out at a time, at most one per interval', () => {
    const g = new RefreshGate(250);
    expect(g.tryStart(1000)).toBe(true);
    // the answer has not come: no second request, however late
    expect(g.tryStart(5000)).toBe(false);
    g.done();
    // answered, but too soon after the last one
    expect(g.tryStart(1100)).toBe(false);
    expect(g.tryStart(1250)).toBe(true);
    g.done();
    // a click asks at once
    g.reset();
    expect(g.tryStart(1251)).toBe(true);
  });
});
