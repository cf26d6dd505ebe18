/**
 * The lab's image figures (src-renderer/lab/figure/): square pixels inside
 * the space left by axes and colour bar, the cell under a point, tick
 * counts that fit, and the SVG figure (escaped text, the colour map's
 * gradient, the raster only as a PNG data URL); the line figure's SVG.
 */
import { describe, expect, it } from 'vitest';
import { axisTicks, cellAt, imageFigureLayout, tickCount } from '../../../../src-renderer/lab/figure/image-figure-layout.js';
import { imageFigureSvg } from '../../../../src-renderer/lab/figure/image-figure-svg.js';
import { lineFigureSvg } from '../../../../src-renderer/lab/figure/line-figure-svg.js';
import type { ImageFigureContent } from '../../../../src-renderer/lab/figure/image-figure-canvas.js';
import { colormapHex } from '../../../../src-worker/figure/figure-colors.js';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function content(over: Partial<ImageFigureContent> = {}): ImageFigureContent {
  return {
    title: 'MLEM <image> & "friends"',
    values: new Float64Array(181 * 361),
    rows: 181,
    cols: 361,
    x: { first: -180, step: 1, label: 'azimuth (deg)', ticks: [-180, -90, 0, 90, 180] },
    y: { first: 0, step: 1, label: 'polar angle (deg)', ticks: [0, 90, 180] },
    colormap: 'plasma',
    norm: { kind: 'linear', vmin: 0, vmax: 7.4, linthresh: 1 },
    unit: 'relative intensity',
    markers: [{ row: 90, col: 180, label: 'max: polar 90°, azimuth 0°' }],
    ...over,
  };
}

describe('image figure layout', () => {
  it('keeps pixels square and inside the figure, the colour bar beside the image', () => {
    for (const [w, h, rows, cols] of [
      [1280, 640, 181, 361],
      [500, 700, 128, 128],
      [300, 200, 576, 576],
    ]) {
      const L = imageFigureLayout(w, h, rows, cols);
      expect(L.plot.w / cols).toBeCloseTo(L.plot.h / rows, 9);
      expect(L.plot.x).toBeGreaterThan(40);
      expect(L.plot.y).toBeGreaterThanOrEqual(L.title.h);
      expect(L.bar.x + L.bar.w + 60).toBeLessThanOrEqual(w);
      expect(L.plot.y + L.plot.h + 36).toBeLessThanOrEqual(h);
      expect(L.bar.x).toBeGreaterThan(L.plot.x + L.plot.w);
    }
  });

  it('finds the cell under a point, and nothing outside', () => {
    const plot = { x: 10, y: 20, w: 361 * 2, h: 181 * 2 };
    expect(cellAt(plot, 181, 361, 10 + 2 * 180 + 1, 20 + 2 * 90 + 1)).toEqual({ row: 90, col: 180 });
    expect(cellAt(plot, 181, 361, 9, 30)).toBeNull();
    expect(cellAt(plot, 181, 361, 10 + 722, 30)).toBeNull();
  });

  it('tick counts follow the room: small mean images get few labels', () => {
    expect(tickCount(120, 55)).toBe(2);
    expect(tickCount(1000, 55)).toBe(8);
    expect(axisTicks({ first: 0, step: 1, label: 'x' }, 128, tickCount(120, 55))).toEqual([0, 50, 100]);
    expect(axisTicks({ first: 0, step: 1, label: 'x', ticks: [0, 45, 90, 135, 180, 225] }, 181)).toEqual([0, 45, 90, 135, 180]);
  });
});

describe('image figure SVG', () => {
  it('has the title, axes, colour bar and marker, all text escaped', () => {
    const svg = imageFigureSvg(content(), PNG);
    expect(svg).toContain('MLEM &lt;image&gt; &amp; &quot;friends&quot;');
    expect(svg).not.toContain('<image>');
    expect(svg).toContain('azimuth (deg)');
    expect(svg).toContain('polar angle (deg)');
    expect(svg).toContain('relative intensity');
    expect(svg).toContain('max: polar 90°, azimuth 0°');
    expect(svg).toContain(`stop-color="${colormapHex('plasma', 1)}"`);
    expect(svg).toContain(`stop-color="${colormapHex('plasma', 0)}"`);
    expect(svg).toContain(`href="${PNG}"`);
    expect((svg.match(/<text [^>]*text-anchor="middle">[−\d]+<\/text>/g) ?? []).length).toBe(5); // the azimuth ticks
    expect(imageFigureSvg(content({ norm: { kind: 'log', vmin: 1e-3, vmax: 10, linthresh: 1 } }), PNG)).toContain('relative intensity (log)');
  });

  it('takes the raster only as a PNG data URL', () => {
    expect(() => imageFigureSvg(content(), 'javascript:alert(1)')).toThrow(/PNG data URL/);
    expect(() => imageFigureSvg(content(), 'data:image/png;base64,AAA" onload="x')).toThrow(/PNG data URL/);
  });
});

describe('line figure SVG', () => {
  it('one polyline per series, a legend, escaped labels', () => {
    const x = [0, 1, 2, 3];
    const svg = lineFigureSvg({
      title: 'signals <5>',
      xLabel: 'time (µs)',
      yLabel: 'ADC',
      x,
      series: [
        { label: 'raw #5', color: '#888888', y: [0, 1, 2, 3] },
        { label: 'shaped <#5>', color: '#ffb74d', y: [0, 0.5, NaN, 1] },
      ],
      xRange: [0, 3],
      yRange: [0, 3],
    });
    expect((svg.match(/<polyline /g) ?? []).length).toBe(2);
    expect(svg).toContain('signals &lt;5&gt;');
    expect(svg).toContain('shaped &lt;#5&gt;');
    expect(svg).not.toContain('NaN');
  });
});
