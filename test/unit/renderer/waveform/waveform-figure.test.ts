/**
 * The waveform view's pure parts: stepping to the neighbouring pixel on a
 * hexagonal and a square camera (a square grid and the shipped LSTCam geometry),
 * and the figure made from a file.waveforms reply (time axis from the
 * sampling rate, windows in ns, read-out text, the SVG with its shaded
 * windows and text escaped).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { neighbourInDirection } from '../../../../src-renderer/waveform/pixel-steps.js';
import { readoutText, waveformFigure, waveformSvg } from '../../../../src-renderer/waveform/waveform-figure.js';
import type { PixelWaveforms } from '../../../../src-main/api/file-contract.js';

function camera(name: string): { x: number[]; y: number[] } {
  const g = JSON.parse(readFileSync(`assets/cameras/${name}.camgeom.json`, 'utf8')) as { pix_x: number[]; pix_y: number[] };
  return { x: g.pix_x, y: g.pix_y };
}

describe('neighbourInDirection', () => {
  it('steps to the adjacent pixel in each direction on a square camera (never a diagonal)', () => {
    const x: number[] = [];
    const y: number[] = [];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) (x.push(c * 0.006), y.push(r * 0.006));
    const at = (c: number, r: number) => r * 5 + c;
    expect(neighbourInDirection(x, y, at(2, 2), 1, 0)).toBe(at(3, 2));
    expect(neighbourInDirection(x, y, at(2, 2), -1, 0)).toBe(at(1, 2));
    expect(neighbourInDirection(x, y, at(2, 2), 0, 1)).toBe(at(2, 3));
    expect(neighbourInDirection(x, y, at(2, 2), 0, -1)).toBe(at(2, 1));
    expect(neighbourInDirection(x, y, at(4, 2), 1, 0)).toBe(-1);
  });

  it('on LSTCam steps to a touching hexagon roughly in the direction asked', () => {
    const { x, y } = camera('LSTCam');
    let nearest = Infinity;
    for (let i = 1; i < x.length; i++) nearest = Math.min(nearest, Math.hypot(x[i] - x[0], y[i] - y[0]));
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ]) {
      const n = neighbourInDirection(x, y, 0, dx, dy);
      expect(n).toBeGreaterThan(0);
      const ex = x[n] - x[0];
      const ey = y[n] - y[0];
      expect(Math.hypot(ex, ey)).toBeLessThan(1.01 * nearest);
      expect((ex * dx + ey * dy) / Math.hypot(ex, ey)).toBeGreaterThan(0.5);
    }
  });
});

describe('waveform figure', () => {
  const reply: PixelWaveforms = {
    fileId: 'f',
    index: 0,
    obsId: 1,
    eventId: 7,
    telId: 3,
    camera: 'Cam<&>',
    nSamples: 4,
    samplingRateGHz: 0.5,
    source: 'test',
    extractor: { type: 'NeighborPeakWindowSum', windowWidth: 2, windowShift: 1 },
    hasR0: true,
    pixels: [
      {
        pixel: 5,
        r1: Float32Array.from([0, 1, 3, 1]),
        r0High: Uint16Array.from([300, 310, 330, 310]),
        r0Low: null,
        selectedGain: 0,
        windowStart: 1,
        windowWidth: 2,
        charge: 4.25,
        peakTime: 4.1,
        invalid: false,
        truePe: 5,
        truePeTimes: null,
      },
    ],
  };

  it('puts samples on a time axis from the sampling rate and the window around the summed samples', () => {
    const f = waveformFigure(reply, 'r1', () => '#123456');
    expect(Array.from(f.x)).toEqual([0, 2, 4, 6]);
    expect(f.series[0].window).toEqual([1, 5]);
    expect(Array.from(f.series[0].y)).toEqual([0, 1, 3, 1]);
    expect(waveformFigure(reply, 'r0high', () => '#123456').series[0].y[2]).toBe(330);
    expect(waveformFigure(reply, 'r0low', () => '#123456').series).toEqual([]);
    expect(readoutText(reply.pixels[0], 0.5)).toBe(
      'pixel 5 · charge 4.25 p.e. · peak time 4.10 ns · window samples 1–2 (at 2.0–4.0 ns) · high gain · true 5 p.e.',
    );
  });

  it('writes an SVG with the window shaded, the peak time marked and file text escaped', () => {
    const svg = waveformSvg(
      waveformFigure(reply, 'r1', () => '#123456'),
      ['a <b> & c'],
    );
    expect(svg).toContain('<rect class="window"');
    expect(svg).toContain('class="peak-time"');
    expect(svg).toContain('Cam&lt;&amp;&gt;');
    expect(svg).toContain('a &lt;b&gt; &amp; c');
    expect(svg).not.toContain('<b>');
    expect(svg.match(/<polyline/g)).toHaveLength(1);
  });
});
