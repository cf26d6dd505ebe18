/**
 * The array seen from above: telescope positions on the ground (ctapipe
 * GroundFrame, m; x north, y west) coloured by type, triggered telescopes
 * highlighted and sized by image intensity, and the true core when known.
 */
import type { SubarrayDescription } from '../../src-main/api/instrument-types.js';
import type { ArrayEvent } from '../../src-main/api/event-types.js';

const typeColors = ['#4fc3f7', '#ffb74d', '#aed581', '#ce93d8', '#f06292'];

export class ArrayLayoutView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private event: ArrayEvent | undefined;
  private readonly typeIndex = new Map<string, number>();
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly subarray: SubarrayDescription) {
    this.element = document.createElement('section');
    this.element.className = 'array-panel';
    this.element.innerHTML = `<header class="panel-title">Array layout <span class="subtitle">ground frame, m</span></header><div class="array-stage"><canvas></canvas></div><div class="array-legend"></div>`;
    this.canvas = this.element.querySelector('canvas')!;
    for (const t of subarray.telescopes) if (!this.typeIndex.has(t.type)) this.typeIndex.set(t.type, this.typeIndex.size);
    this.element.querySelector('.array-legend')!.innerHTML = [...this.typeIndex]
      .map(([type, i]) => `<span><i style="background:${typeColors[i % typeColors.length]}"></i>${type}</span>`)
      .join('') + '<span><i class="core"></i>true core</span>';
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.element.querySelector('.array-stage')!);
  }

  setEvent(event: ArrayEvent | undefined): void {
    this.event = event;
    this.draw();
  }

  private draw(): void {
    const stage = this.canvas.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    const rect = stage.getBoundingClientRect();
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const tels = this.subarray.telescopes;
    const extent = Math.max(50, ...tels.map((t) => Math.max(Math.abs(t.position[0]), Math.abs(t.position[1])))) * 1.35;
    const margin = 34 * dpr;
    const scale = (Math.min(w, h) - 2 * margin) / (2 * extent);
    const cx = w / 2; const cy = h / 2;
    const sx = (x: number) => cx + x * scale;
    const sy = (y: number) => cy - y * scale;
    // axes and grid
    ctx.strokeStyle = 'rgba(255,255,255,0.08)';
    ctx.lineWidth = 1;
    ctx.fillStyle = '#8a94a8';
    ctx.font = `${10 * dpr}px system-ui, sans-serif`;
    const step = niceStep(extent / 2);
    for (let v = -Math.floor(extent / step) * step; v <= extent; v += step) {
      ctx.beginPath(); ctx.moveTo(sx(v), sy(-extent)); ctx.lineTo(sx(v), sy(extent)); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(sx(-extent), sy(v)); ctx.lineTo(sx(extent), sy(v)); ctx.stroke();
      ctx.textAlign = 'center';
      ctx.fillText(String(v), sx(v), h - margin / 2);
      ctx.textAlign = 'right';
      ctx.fillText(String(v), margin - 4 * dpr, sy(v) + 3 * dpr);
    }
    ctx.textAlign = 'center';
    ctx.fillText('x (north) / m', cx, h - 4 * dpr);
    ctx.save(); ctx.translate(10 * dpr, cy); ctx.rotate(-Math.PI / 2); ctx.fillText('y (west) / m', 0, 0); ctx.restore();

    const triggered = new Map((this.event?.telescopes ?? []).map((t) => [t.telId, t]));
    for (const tel of tels) {
      const hit = triggered.get(tel.telId);
      const color = typeColors[(this.typeIndex.get(tel.type) ?? 0) % typeColors.length];
      const intensity = hit?.hillas?.intensity ?? 0;
      const r = (hit ? 6 + Math.min(10, 2.2 * Math.log10(1 + intensity)) : 5) * dpr;
      ctx.beginPath();
      ctx.arc(sx(tel.position[0]), sy(tel.position[1]), r, 0, 2 * Math.PI);
      ctx.fillStyle = hit ? color : 'rgba(120,130,150,0.35)';
      ctx.fill();
      if (hit) { ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 1.5 * dpr; ctx.stroke(); }
      ctx.fillStyle = '#dfe6f3';
      ctx.textAlign = 'left';
      ctx.fillText(String(tel.telId), sx(tel.position[0]) + r + 2 * dpr, sy(tel.position[1]) - r);
    }
    const core = this.event?.trueShower;
    if (core) {
      const x = sx(core.coreX); const y = sy(core.coreY); const s = 7 * dpr;
      ctx.strokeStyle = '#ff5252'; ctx.lineWidth = 2 * dpr;
      ctx.beginPath(); ctx.moveTo(x - s, y - s); ctx.lineTo(x + s, y + s); ctx.moveTo(x - s, y + s); ctx.lineTo(x + s, y - s); ctx.stroke();
    }
  }
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m < 2 ? 1 : m < 5 ? 2 : 5) * p;
}
