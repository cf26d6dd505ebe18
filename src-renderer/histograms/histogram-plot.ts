/**
 * One histogram plot (uPlot): several layers drawn as steps (runs,
 * telescopes), linear or log axes, an optional fitted curve with its fit box
 * drawn on the canvas, a click-on-bin callback, and PNG / SVG export with
 * axes, labels, legend and fit box.
 */
import uPlot from 'uplot';
import { ensureUplotCss } from '../dom/uplot-css.js';
import { LAYER_COLORS, binIndex, curveX, stepSeries, unionX, type HistogramLayer } from './histogram-layers.js';
import { histogramSvg } from './histogram-svg.js';
import { plotAxis, plotValue, plotArea, resizePlot } from '../dom/uplot-style.js';

export { LAYER_COLORS };

export interface PlotContent {
  title: string;
  xLabel: string;
  yLabel: string;
  layers: HistogramLayer[];
  /** per-layer factor applied to the contents (normalisation) */
  scales?: number[];
  logX?: boolean;
  logY?: boolean;
  /** a fitted function over [lo, hi] */
  fit?: { f: (x: number) => number; range: [number, number]; lines: string[] };
  /** marked x positions (found peaks), drawn as dashed vertical lines with a label at the top */
  markers?: { x: number; label: string }[];
  /** where the fit box goes (default top right; top left keeps a peak at the right end visible) */
  fitBox?: 'left' | 'right';
}

export interface HistogramPlotOptions {
  /** show uPlot's legend under the plot (off in small grid cells) */
  legend?: boolean;
  /** called with the layer-0 bin index under a click */
  onBinClick?: (bin: number, x: number) => void;
  compact?: boolean;
}

const FIT_COLOR = '#ef5350';
const MARKER_COLOR = '#fff176';
const CURVE_POINTS = 300;

export class HistogramPlot {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private content: PlotContent | undefined;
  private signature = '';
  private readonly observer: ResizeObserver;
  private curve: { x: Float64Array; y: Float64Array } | undefined;
  private xs: Float64Array = new Float64Array(0);

  constructor(private readonly options: HistogramPlotOptions = {}) {
    ensureUplotCss();
    this.element = document.createElement('div');
    this.element.className = 'hist-plot';
    // resized at the next frame: resizing inside the observer's callback would re-trigger it
    this.observer = new ResizeObserver(() => requestAnimationFrame(() => this.resize()));
    this.observer.observe(this.element);
  }

  /** Draws new content; the uPlot instance is rebuilt only when the series or axes change. */
  set(content: PlotContent): void {
    this.content = content;
    const sig = JSON.stringify([content.layers.map((l) => [l.label, l.color]), !!content.logX, !!content.logY, !!content.fit, content.xLabel, content.yLabel]);
    const data = this.data(content);
    if (!this.plot || sig !== this.signature) {
      this.signature = sig;
      this.plot?.destroy();
      this.plot = undefined;
      const { width, height } = this.size();
      if (width < 10 || height < 10) return;
      this.plot = new uPlot(this.opts(content, width, height), data, this.element);
    } else {
      this.plot.setData(data, true);
    }
  }

  private size(): { width: number; height: number } {
    return plotArea(this.element, this.plot, this.options.legend ? 28 : 0);
  }

  private resize(): void {
    resizePlot(this.plot, this.size(), () => {
      if (this.content) this.set(this.content);
    });
  }

  private data(c: PlotContent): uPlot.AlignedData {
    const logX = !!c.logX;
    const logY = !!c.logY;
    let extra: Float64Array = new Float64Array(0);
    this.curve = undefined;
    if (c.fit) {
      const [lo, hi] = c.fit.range;
      extra = curveX(lo, hi, CURVE_POINTS, logX);
    }
    let xs = unionX(c.layers, extra);
    if (logX) xs = xs.filter((x) => x > 0);
    this.xs = xs;
    const series: (number | null)[][] = c.layers.map((l, i) => stepSeries(l, xs, logY, c.scales?.[i] ?? 1));
    if (c.fit) {
      const [lo, hi] = c.fit.range;
      const f = c.fit.f;
      const ys = Array.from(xs, (x) => {
        if (x < lo || x > hi) return null;
        const v = f(x);
        return Number.isFinite(v) && (!logY || v > 0) ? v : null;
      });
      this.curve = { x: extra, y: extra.map(f) };
      series.push(ys);
    }
    return [Array.from(xs), ...series] as uPlot.AlignedData;
  }

  private opts(c: PlotContent, width: number, height: number): uPlot.Options {
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const series: uPlot.Series[] = [
      { label: c.xLabel, value: plotValue },
      ...c.layers.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: 1.5,
        fill: c.layers.length === 1 ? l.color + '22' : undefined,
        paths: stepped,
        points: { show: false },
        spanGaps: false,
        value: plotValue,
      })),
    ];
    if (c.fit) series.push({ label: 'fit', stroke: FIT_COLOR, width: 2, points: { show: false }, spanGaps: true });
    return {
      width,
      height,
      legend: { show: !!this.options.legend, live: true },
      cursor: { drag: { x: !this.options.compact, y: false, setScale: true }, points: { show: false } },
      scales: {
        x: { time: false, distr: c.logX ? 3 : 1 },
        y: {
          distr: c.logY ? 3 : 1,
          range: (_u, min, max) => yRange(min, max, !!c.logY),
        },
      },
      axes: [plotAxis(c.xLabel, 2, this.options.compact), plotAxis(c.yLabel, 3, this.options.compact)],
      series,
      hooks: {
        draw: [(u) => this.drawOverlays(u)],
        ready: [
          (u) => {
            u.over.addEventListener('click', () => this.clicked(u));
          },
        ],
      },
    };
  }

  private clicked(u: uPlot): void {
    const c = this.content;
    const left = u.cursor.left;
    if (!c || !this.options.onBinClick || left == null || left < 0 || c.layers.length === 0) return;
    const x = u.posToVal(left, 'x');
    const bin = binIndex(c.layers[0].edges, x);
    if (bin >= 0) this.options.onBinClick(bin, x);
  }

  /** Legend (several layers) and fit box, drawn into the canvas so PNG export keeps them. */
  private drawOverlays(u: uPlot): void {
    const c = this.content;
    if (!c) return;
    const ctx = u.ctx;
    const r = uPlot.pxRatio;
    const { left, top, width } = u.bbox;
    const font = (this.options.compact ? 10 : 12) * r;
    ctx.save();
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    const lh = font * 1.3;
    for (const m of c.markers ?? []) {
      const x = u.valToPos(m.x, 'x', true);
      if (!(x >= left && x <= left + width)) continue;
      ctx.strokeStyle = MARKER_COLOR;
      ctx.lineWidth = r;
      ctx.setLineDash([4 * r, 3 * r]);
      ctx.beginPath();
      ctx.moveTo(x, top + lh);
      ctx.lineTo(x, top + u.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = MARKER_COLOR;
      ctx.textAlign = 'center';
      ctx.fillText(m.label, x, top + 2 * r);
      ctx.textAlign = 'left';
    }
    if (c.layers.length > 1 && !this.options.compact) {
      c.layers.forEach((l, i) => {
        const y = top + 6 * r + i * lh;
        ctx.fillStyle = l.color;
        ctx.fillRect(left + 8 * r, y + font * 0.45, 16 * r, 2 * r);
        ctx.fillStyle = '#dfe6f3';
        ctx.fillText(l.label, left + 28 * r, y);
      });
    }
    if (c.fit) {
      const lines = c.fit.lines;
      const widths = lines.map((l, i) => {
        ctx.font = `${i === 0 ? '600 ' : ''}${font}px system-ui, sans-serif`;
        return ctx.measureText(l).width;
      });
      const w = Math.max(...widths) + 12 * r;
      const h = lines.length * lh + 8 * r;
      const x = c.fitBox === 'left' ? left + 6 * r : left + width - w - 6 * r;
      const y = top + 6 * r;
      ctx.fillStyle = 'rgba(16, 20, 26, 0.88)';
      ctx.strokeStyle = FIT_COLOR;
      ctx.lineWidth = r;
      ctx.fillRect(x, y, w, h);
      ctx.strokeRect(x, y, w, h);
      ctx.fillStyle = '#dfe6f3';
      lines.forEach((l, i) => {
        ctx.font = `${i === 0 ? '600 ' : ''}${font}px system-ui, sans-serif`;
        ctx.fillText(l, x + 6 * r, y + 4 * r + i * lh);
      });
    }
    ctx.restore();
  }

  /** The plot as PNG: title band + the canvas (axes, labels, legend, fit box) on the panel background. */
  async exportPng(): Promise<Blob> {
    const u = this.plot;
    const c = this.content;
    if (!u || !c) throw new Error('nothing drawn yet');
    const src = u.ctx.canvas;
    const r = uPlot.pxRatio;
    const band = Math.round(26 * r);
    const canvas = document.createElement('canvas');
    canvas.width = src.width;
    canvas.height = src.height + band;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#171c24';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#dfe6f3';
    ctx.font = `600 ${14 * r}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(c.title, canvas.width / 2, band / 2);
    ctx.drawImage(src, 0, band);
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  /** The plot as a standalone SVG figure with the current axis ranges. */
  exportSvg(): string {
    const u = this.plot;
    const c = this.content;
    if (!u || !c) throw new Error('nothing drawn yet');
    const xs = u.scales.x;
    const ys = u.scales.y;
    return histogramSvg({
      title: c.title,
      xLabel: c.xLabel,
      yLabel: c.yLabel,
      layers: c.layers.map((l) => ({ ...l, color: darken(l.color) })),
      scales: c.scales,
      xRange: [xs.min ?? this.xs[0], xs.max ?? this.xs[this.xs.length - 1]],
      yRange: [ys.min ?? 0, ys.max ?? 1],
      logX: !!c.logX,
      logY: !!c.logY,
      curve: this.curve && c.fit ? { ...this.curve, color: '#c62828' } : undefined,
      fitLines: c.fit?.lines,
      markers: c.markers,
      fitBox: c.fitBox,
    });
  }

  /** Pixel position (CSS, relative to the page) of x in the plot area, for tests. */
  pagePosition(x: number, y: number): [number, number] | undefined {
    const u = this.plot;
    if (!u) return undefined;
    const rect = u.over.getBoundingClientRect();
    return [rect.left + u.valToPos(x, 'x'), rect.top + u.valToPos(y, 'y')];
  }

  dispose(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }
}

function yRange(min: number | null, max: number | null, log: boolean): uPlot.Range.MinMax {
  if (log) {
    const lo = min != null && min > 0 ? min : 0.5;
    const hi = max != null && max > 0 ? max : 10;
    return [10 ** Math.floor(Math.log10(lo * 0.8)), 10 ** Math.ceil(Math.log10(hi * 1.5))];
  }
  const hi = max != null && max > 0 ? max : 1;
  return [Math.min(0, min ?? 0), hi * 1.12];
}

/** The layer colours are for a dark background; the SVG is on white. */
function darken(color: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  const ch = (s: number) => Math.round(((n >> s) & 255) * 0.7);
  return `rgb(${ch(16)}, ${ch(8)}, ${ch(0)})`;
}

export function downloadBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
