/**
 * A line plot (uPlot) of several series over one x array — the raw and
 * shaped signals of the spectroscopy view — with its legend, and PNG
 * (canvas with a title band) and SVG (line-figure-svg.ts) export.
 */
import uPlot from 'uplot';
import { ensureUplotCss } from '../../dom/uplot-css.js';
import { plotAxis, plotValue, plotArea, resizePlot } from '../../dom/uplot-style.js';
import { lineFigureSvg } from './line-figure-svg.js';

export interface LineSeries {
  label: string;
  color: string;
  y: ArrayLike<number>;
  width?: number;
}

export interface LineContent {
  title: string;
  xLabel: string;
  yLabel: string;
  x: ArrayLike<number>;
  series: LineSeries[];
}

export class LinePlot {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private content: LineContent | undefined;
  private signature = '';

  constructor(className: string) {
    ensureUplotCss();
    this.element = document.createElement('div');
    this.element.className = `lab-line-plot ${className}`;
    new ResizeObserver(() => requestAnimationFrame(() => this.resize())).observe(this.element);
  }

  set(c: LineContent): void {
    this.content = c;
    const sig = JSON.stringify([c.series.map((s) => [s.label, s.color]), c.xLabel, c.yLabel]);
    const data = [Array.from(c.x), ...c.series.map((s) => Array.from(s.y))] as uPlot.AlignedData;
    if (!this.plot || sig !== this.signature) {
      this.signature = sig;
      this.plot?.destroy();
      this.plot = undefined;
      const { width, height } = this.size();
      if (width < 10 || height < 10) return;
      this.plot = new uPlot(this.opts(c, width, height), data, this.element);
    } else this.plot.setData(data, true);
    this.element.dataset.series = String(c.series.length);
  }

  private size(): { width: number; height: number } {
    return plotArea(this.element, this.plot, 26);
  }

  private resize(): void {
    resizePlot(this.plot, this.size(), () => {
      if (this.content) this.set(this.content);
    });
  }

  private opts(c: LineContent, width: number, height: number): uPlot.Options {
    return {
      width,
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
      scales: { x: { time: false } },
      axes: [plotAxis(c.xLabel, 2), plotAxis(c.yLabel, 3)],
      series: [
        { label: c.xLabel, value: plotValue },
        ...c.series.map((s) => ({ label: s.label, stroke: s.color, width: s.width ?? 1.3, points: { show: false }, value: plotValue })),
      ],
    };
  }

  async exportPng(): Promise<Blob> {
    const u = this.plot;
    const c = this.content;
    if (!u || !c) throw new Error('nothing drawn yet');
    const src = u.ctx.canvas;
    const r = uPlot.pxRatio;
    const band = Math.round(26 * r);
    const legend = Math.round(20 * r);
    const canvas = document.createElement('canvas');
    canvas.width = src.width;
    canvas.height = src.height + band + legend;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#171c24';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#dfe6f3';
    ctx.font = `600 ${14 * r}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(c.title, canvas.width / 2, band / 2);
    ctx.drawImage(src, 0, band);
    // legend below (uPlot's is HTML)
    ctx.font = `${11 * r}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    let x = 60 * r;
    const y = band + src.height + legend / 2;
    for (const s of c.series) {
      ctx.fillStyle = s.color;
      ctx.fillRect(x, y - r, 16 * r, 2 * r);
      ctx.fillStyle = '#dfe6f3';
      ctx.fillText(s.label, x + 20 * r, y);
      x += ctx.measureText(s.label).width + 40 * r;
    }
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  exportSvg(): string {
    const u = this.plot;
    const c = this.content;
    if (!u || !c) throw new Error('nothing drawn yet');
    return lineFigureSvg({
      title: c.title,
      xLabel: c.xLabel,
      yLabel: c.yLabel,
      x: c.x,
      series: c.series.map((s) => ({ label: s.label, color: darken(s.color), y: s.y })),
      xRange: [u.scales.x.min ?? c.x[0], u.scales.x.max ?? c.x[c.x.length - 1]],
      yRange: [u.scales.y.min ?? 0, u.scales.y.max ?? 1],
    });
  }

  dispose(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}

/** The colours are for a dark background; the SVG is on white. */
function darken(color: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  const ch = (s: number) => Math.round(((n >> s) & 255) * 0.7);
  return `rgb(${ch(16)}, ${ch(8)}, ${ch(0)})`;
}
