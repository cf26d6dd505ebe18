/**
 * The array seen from above: telescope positions on the ground (ctapipe
 * GroundFrame, m; x north, y west) coloured by type or by image intensity,
 * triggered telescopes highlighted and sized by intensity; the reconstructed
 * and the true core, each with its shower axis projected on the ground (from
 * the core to the point below the shower maximum), and the array pointing.
 */
import type { SubarrayDescription } from '../../src-main/api/instrument-types.js';
import type { ArrayEvent } from '../../src-main/api/event-types.js';
import { angularSeparationDeg, axisPointAtHeight } from './shower-axis.js';
import { colormapHex } from '../../src-worker/figure/figure-colors.js';
import { html, setHtml } from '../dom/html.js';

export type ArrayColorBy = 'type' | 'intensity';

/** height used to draw an axis when no h_max is known, m (a typical shower maximum) */
const DEFAULT_AXIS_HEIGHT_M = 10_000;
const RECO_COLOR = '#4dd0e1';
const TRUE_COLOR = '#ff5252';

const typeColors = ['#4fc3f7', '#ffb74d', '#aed581', '#ce93d8', '#f06292'];

export class ArrayLayoutView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private event: ArrayEvent | undefined;
  private readonly typeIndex = new Map<string, number>();
  private readonly resizeObserver: ResizeObserver;
  private colorBy: ArrayColorBy = 'type';
  private readonly readout: HTMLElement;
  /** CSS px, from the resize observer (nothing drawn before it reports) */
  private stageSize = { width: 0, height: 0 };

  constructor(private readonly subarray: SubarrayDescription) {
    this.element = document.createElement('section');
    this.element.className = 'array-panel';
    setHtml(
      this.element,
      html`<header class="panel-title">Array layout <span class="subtitle">ground frame, m</span>
      <select class="array-color-by" title="colour telescopes by"><option value="type">by type</option><option value="intensity">by intensity</option></select></header>
      <div class="array-stage"><canvas></canvas></div><div class="array-legend"></div><div class="array-readout"></div>`,
    );
    this.canvas = this.element.querySelector('canvas')!;
    this.readout = this.element.querySelector('.array-readout')!;
    const colorBy = this.element.querySelector<HTMLSelectElement>('.array-color-by')!;
    colorBy.addEventListener('change', () => this.setColorBy(colorBy.value as ArrayColorBy));
    for (const t of subarray.telescopes) if (!this.typeIndex.has(t.type)) this.typeIndex.set(t.type, this.typeIndex.size);
    // telescope types come from the DAQ or the file: escaped by html (a type announced as markup shows as text)
    setHtml(
      this.element.querySelector('.array-legend')!,
      html`${[...this.typeIndex].map(([type, i]) => html`<span><i style="background:${typeColors[i % typeColors.length]}"></i>${type}</span>`)}<span><i class="core"></i>true core &amp; axis</span><span><i class="core reco"></i>reconstructed</span><span><i class="pointing"></i>pointing</span>`,
    );
    // the stage's size comes from the observer: asking the layout for it on every event forced a
    // synchronous layout per live event (the subtitles and labels had just changed)
    this.resizeObserver = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      this.stageSize = { width: r.width, height: r.height };
      this.draw();
    });
    this.resizeObserver.observe(this.element.querySelector('.array-stage')!);
  }

  setEvent(event: ArrayEvent | undefined): void {
    this.event = event;
    this.draw();
    this.readout.textContent = describeReconstruction(event);
  }

  setColorBy(colorBy: ArrayColorBy): void {
    this.colorBy = colorBy;
    this.element.querySelector<HTMLSelectElement>('.array-color-by')!.value = colorBy;
    this.draw();
  }

  private draw(): void {
    const dpr = window.devicePixelRatio || 1;
    const rect = this.stageSize;
    if (rect.width === 0 || rect.height === 0) return;
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const tels = this.subarray.telescopes;
    const extent = Math.max(50, ...tels.map((t) => Math.max(Math.abs(t.position[0]), Math.abs(t.position[1])))) * 1.35;
    const margin = 34 * dpr;
    const scale = (Math.min(w, h) - 2 * margin) / (2 * extent);
    const cx = w / 2;
    const cy = h / 2;
    const sx = (x: number) => cx + x * scale;
    const sy = (y: number) => cy - y * scale;
    // axes and grid
    ctx.strokeStyle = 'rgba(255,255,255,0.08)';
    ctx.lineWidth = 1;
    ctx.fillStyle = '#8a94a8';
    ctx.font = `${10 * dpr}px system-ui, sans-serif`;
    const step = niceStep(extent / 2);
    for (let v = -Math.floor(extent / step) * step; v <= extent; v += step) {
      ctx.beginPath();
      ctx.moveTo(sx(v), sy(-extent));
      ctx.lineTo(sx(v), sy(extent));
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(sx(-extent), sy(v));
      ctx.lineTo(sx(extent), sy(v));
      ctx.stroke();
      ctx.textAlign = 'center';
      ctx.fillText(String(v), sx(v), h - margin / 2);
      ctx.textAlign = 'right';
      ctx.fillText(String(v), margin - 4 * dpr, sy(v) + 3 * dpr);
    }
    ctx.textAlign = 'center';
    ctx.fillText('x (north) / m', cx, h - 4 * dpr);
    ctx.save();
    ctx.translate(10 * dpr, cy);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('y (west) / m', 0, 0);
    ctx.restore();

    const triggered = new Map((this.event?.telescopes ?? []).map((t) => [t.telId, t]));
    // intensity colouring: log10(intensity) over the event's range
    const intensities = [...triggered.values()].map((t) => Math.log10(1 + (t.hillas?.intensity ?? 0)));
    const lo = Math.min(...intensities, Infinity);
    const hi = Math.max(...intensities, -Infinity);
    const intensityColor = (i: number) => colormapHex('viridis', hi > lo ? (Math.log10(1 + i) - lo) / (hi - lo) : 1);
    // shower axes run far beyond the array: keep them inside the plot area
    ctx.save();
    ctx.beginPath();
    ctx.rect(sx(-extent), sy(extent), 2 * extent * scale, 2 * extent * scale);
    ctx.clip();
    const pointing = this.event?.pointing ?? this.subarray.pointing;
    this.drawAxis(ctx, sx, sy, pointing.alt, pointing.az, 0, 0, DEFAULT_AXIS_HEIGHT_M, 'rgba(255,255,255,0.35)', dpr, [3, 4]);
    for (const tel of tels) {
      const hit = triggered.get(tel.telId);
      const intensity = hit?.hillas?.intensity ?? 0;
      const color = this.colorBy === 'intensity' ? intensityColor(intensity) : typeColors[(this.typeIndex.get(tel.type) ?? 0) % typeColors.length];
      const r = (hit ? 6 + Math.min(10, 2.2 * Math.log10(1 + intensity)) : 5) * dpr;
      ctx.beginPath();
      ctx.arc(sx(tel.position[0]), sy(tel.position[1]), r, 0, 2 * Math.PI);
      ctx.fillStyle = hit ? color : 'rgba(120,130,150,0.35)';
      ctx.fill();
      if (hit) {
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 1.5 * dpr;
        ctx.stroke();
      }
      ctx.fillStyle = '#dfe6f3';
      ctx.textAlign = 'left';
      ctx.fillText(String(tel.telId), sx(tel.position[0]) + r + 2 * dpr, sy(tel.position[1]) - r);
    }
    const truth = this.event?.trueShower;
    if (truth) {
      this.drawAxis(ctx, sx, sy, truth.alt, truth.az, truth.coreX, truth.coreY, DEFAULT_AXIS_HEIGHT_M, TRUE_COLOR, dpr);
      const x = sx(truth.coreX);
      const y = sy(truth.coreY);
      const s = 7 * dpr;
      ctx.strokeStyle = TRUE_COLOR;
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      ctx.moveTo(x - s, y - s);
      ctx.lineTo(x + s, y + s);
      ctx.moveTo(x - s, y + s);
      ctx.lineTo(x + s, y - s);
      ctx.stroke();
    }
    const reco = this.event?.reconstructed;
    if (reco?.isValid && Number.isFinite(reco.coreX) && Number.isFinite(reco.coreY)) {
      const height = reco.hMax && Number.isFinite(reco.hMax) ? reco.hMax : DEFAULT_AXIS_HEIGHT_M;
      this.drawAxis(ctx, sx, sy, reco.alt, reco.az, reco.coreX, reco.coreY, height, RECO_COLOR, dpr);
      const x = sx(reco.coreX);
      const y = sy(reco.coreY);
      const s = 7 * dpr;
      ctx.strokeStyle = RECO_COLOR;
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      ctx.moveTo(x, y - s);
      ctx.lineTo(x + s, y);
      ctx.lineTo(x, y + s);
      ctx.lineTo(x - s, y);
      ctx.closePath();
      ctx.stroke();
    }
    ctx.restore();
  }

  /** The axis's ground track: from the core to the point below the given height on the axis. */
  private drawAxis(
    ctx: CanvasRenderingContext2D,
    sx: (x: number) => number,
    sy: (y: number) => number,
    alt: number,
    az: number,
    coreX: number,
    coreY: number,
    heightM: number,
    color: string,
    dpr: number,
    dash: number[] = [],
  ): void {
    if (!Number.isFinite(alt) || !Number.isFinite(az)) return;
    const [x, y] = axisPointAtHeight(coreX, coreY, alt, az, heightM);
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash(dash.map((d) => d * dpr));
    ctx.beginPath();
    ctx.moveTo(sx(coreX), sy(coreY));
    ctx.lineTo(sx(x), sy(y));
    ctx.stroke();
    ctx.restore();
  }
}

/** One line: the reconstructed direction and core, and how far they are from the truth. */
export function describeReconstruction(event: ArrayEvent | undefined): string {
  const reco = event?.reconstructed;
  if (!event || !reco) return '';
  if (!reco.isValid) return `${reco.reconstructor}: no valid reconstruction for this event`;
  let text = `${reco.reconstructor}: alt ${reco.alt.toFixed(3)}°, az ${reco.az.toFixed(3)}°, core (${reco.coreX.toFixed(1)}, ${reco.coreY.toFixed(1)}) m`;
  if (reco.hMax && Number.isFinite(reco.hMax)) text += `, h_max ${(reco.hMax / 1000).toFixed(2)} km`;
  const truth = event.trueShower;
  if (truth) {
    const dCore = Math.hypot(reco.coreX - truth.coreX, reco.coreY - truth.coreY);
    text += ` · Δθ to true ${angularSeparationDeg(reco.alt, reco.az, truth.alt, truth.az).toFixed(3)}°, Δcore ${dCore.toFixed(1)} m`;
  }
  return text;
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m < 2 ? 1 : m < 5 ? 2 : 5) * p;
}
