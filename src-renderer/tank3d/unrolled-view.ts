/**
 * The unrolled tank on a 2D canvas: barrel rectangle (azimuth × height), top
 * and bottom caps as discs above and below, every PMT as a faint dot (drawn
 * once per size into a cached layer), hit PMTs on top in their colour and
 * size, the expected Cherenkov ring, and hover through a grid lookup.
 */
import type { UnrolledLayout } from '../../src-worker/tank/unrolled-projection.js';
import { UnrolledLookup, unrollAxial, type UnrollFrame } from '../../src-worker/tank/unrolled-projection.js';
import type { RingPoints } from '../../src-worker/tank/cherenkov-ring.js';
import type { PmtStyler } from './pmt-style-math.js';

interface Fit {
  scale: number;
  ox: number;
  oy: number;
  dpr: number;
}

export class UnrolledView {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private layout: UnrolledLayout | undefined;
  private frame: UnrollFrame | undefined;
  private lookup: UnrolledLookup | undefined;
  private styler: PmtStyler | undefined;
  private ringUv: Float32Array | undefined;
  private ringBreak: Uint8Array | undefined;
  private baseLayer: HTMLCanvasElement | undefined;
  private baseKey = '';
  private fit: Fit | undefined;
  private dotRadiusCm = 4;
  private frameRequested = false;
  private readonly resizeObserver: ResizeObserver;
  showRing = true;
  /** the PMT under the pointer (-1 none), with the pointer's position in the stage */
  onHover: ((pmt: number, x: number, y: number) => void) | undefined;
  /** CSS px the last draw took, for the bench */
  lastDrawMs = 0;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'tank-unrolled-stage';
    this.canvas = document.createElement('canvas');
    this.element.append(this.canvas);
    this.resizeObserver = new ResizeObserver(() => this.requestDraw());
    this.resizeObserver.observe(this.element);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => this.onHover?.(-1, 0, 0));
  }

  setGeometry(layout: UnrolledLayout, frame: UnrollFrame, styler: PmtStyler, dotRadiusCm: number): void {
    this.layout = layout;
    this.frame = frame;
    this.styler = styler;
    this.dotRadiusCm = dotRadiusCm;
    this.lookup = new UnrolledLookup(layout);
    this.baseKey = '';
    this.requestDraw();
  }

  /** The ring as unrolled points; a break wherever it changes surface or wraps around ±180°. */
  setRing(ring: RingPoints | null): void {
    if (!ring || !this.frame) {
      this.ringUv = undefined;
      this.requestDraw();
      return;
    }
    const n = ring.region.length;
    const uv = new Float32Array(2 * n);
    const brk = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      if (ring.region[k] === 255) {
        uv[2 * k] = uv[2 * k + 1] = NaN;
        continue;
      }
      const [u, v] = unrollAxial(this.frame, ring.region[k], ring.axial[3 * k], ring.axial[3 * k + 1], ring.axial[3 * k + 2]);
      uv[2 * k] = u;
      uv[2 * k + 1] = v;
    }
    for (let k = 0; k < n; k++) {
      const j = (k + n - 1) % n;
      brk[k] = ring.region[k] !== ring.region[j] || Math.abs(uv[2 * k] - uv[2 * j]) > this.frame.radius * 2 ? 1 : 0;
    }
    this.ringUv = uv;
    this.ringBreak = brk;
    this.requestDraw();
  }

  requestDraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  private computeFit(w: number, h: number, dpr: number): Fit | undefined {
    if (!this.layout) return undefined;
    const b = this.layout.bounds;
    const margin = 10 * dpr;
    const scale = Math.min((w - 2 * margin) / (b.uMax - b.uMin), (h - 2 * margin) / (b.vMax - b.vMin));
    if (!(scale > 0)) return undefined; // hidden or too small to draw
    return { scale, ox: w / 2 - ((b.uMin + b.uMax) / 2) * scale, oy: h / 2 + ((b.vMin + b.vMax) / 2) * scale, dpr };
  }

  /** the outline and faint dots of every PMT, cached per canvas size */
  private base(w: number, h: number, f: Fit): HTMLCanvasElement {
    const key = `${w}x${h}`;
    if (this.baseLayer && this.baseKey === key) return this.baseLayer;
    const c = this.baseLayer ?? document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, w, h);
    this.drawBase(ctx, f);
    this.baseLayer = c;
    this.baseKey = key;
    return c;
  }

  private drawBase(ctx: CanvasRenderingContext2D, f: Fit): void {
    const L = this.layout!;
    const X = (u: number) => f.ox + u * f.scale;
    const Y = (v: number) => f.oy - v * f.scale;
    ctx.strokeStyle = '#3a4656';
    ctx.lineWidth = f.dpr;
    ctx.strokeRect(X(-L.halfWidth), Y(L.vTop), 2 * L.halfWidth * f.scale, (L.vTop - L.vBottom) * f.scale);
    for (const cv of [L.topCentre, L.bottomCentre]) {
      ctx.beginPath();
      ctx.arc(X(0), Y(cv), L.capRadius * f.scale, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.fillStyle = '#333b47';
    const r = Math.max(0.6 * f.dpr, this.dotRadiusCm * 0.55 * f.scale);
    for (let i = 0; i < L.u.length; i++) ctx.fillRect(X(L.u[i]) - r, Y(L.v[i]) - r, 2 * r, 2 * r);
    ctx.fillStyle = '#8a94a8';
    ctx.font = `${10 * f.dpr}px system-ui, sans-serif`;
    ctx.fillText('top', X(-L.halfWidth), Y(L.topCentre));
    ctx.fillText('bottom', X(-L.halfWidth), Y(L.bottomCentre));
    ctx.fillText('−180°', X(-L.halfWidth) + 2 * f.dpr, Y(L.vBottom) + 12 * f.dpr);
    ctx.fillText('+180°', X(L.halfWidth) - 32 * f.dpr, Y(L.vBottom) + 12 * f.dpr);
    ctx.fillText('0°', X(0) - 5 * f.dpr, Y(L.vBottom) + 12 * f.dpr);
  }

  draw(): void {
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const rect = this.element.getBoundingClientRect();
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.fit = this.paint(this.canvas, dpr, true);
    this.lastDrawMs = performance.now() - t0;
  }

  /** The unrolled tank at `scale` device px per CSS px of its size on screen (PNG export; the caller adds title and colour bar). */
  renderToCanvas(scale: number): HTMLCanvasElement {
    const rect = this.element.getBoundingClientRect();
    const c = document.createElement('canvas');
    c.width = Math.max(1, Math.round(rect.width * scale));
    c.height = Math.max(1, Math.round(rect.height * scale));
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#171c24';
    ctx.fillRect(0, 0, c.width, c.height);
    this.paint(c, scale, false);
    return c;
  }

  private paint(canvas: HTMLCanvasElement, dpr: number, cached: boolean): Fit | undefined {
    const w = canvas.width;
    const h = canvas.height;
    const ctx = canvas.getContext('2d')!;
    if (cached) ctx.clearRect(0, 0, w, h);
    const f = this.computeFit(w, h, dpr);
    if (!f || !this.layout || !this.styler) return f;
    if (cached) ctx.drawImage(this.base(w, h, f), 0, 0);
    else this.drawBase(ctx, f);
    const L = this.layout;
    const s = this.styler;
    const shown = s.shownPmts();
    const r0 = Math.max(1.2 * dpr, this.dotRadiusCm * f.scale);
    for (let k = 0; k < shown.length; k++) {
      const p = shown[k];
      const c = s.colors;
      ctx.fillStyle = `rgb(${(c[3 * p] * 255) | 0},${(c[3 * p + 1] * 255) | 0},${(c[3 * p + 2] * 255) | 0})`;
      const r = r0 * s.scales[p];
      ctx.beginPath();
      ctx.arc(f.ox + L.u[p] * f.scale, f.oy - L.v[p] * f.scale, r, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (this.showRing && this.ringUv && this.ringBreak) {
      ctx.strokeStyle = 'rgba(255,255,255,0.85)';
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash([5 * dpr, 4 * dpr]);
      ctx.beginPath();
      const uv = this.ringUv;
      const n = this.ringBreak.length;
      let pen = false;
      for (let k = 0; k <= n; k++) {
        const i = k % n;
        const u = uv[2 * i];
        const v = uv[2 * i + 1];
        if (Number.isNaN(u)) {
          pen = false;
          continue;
        }
        const x = f.ox + u * f.scale;
        const y = f.oy - v * f.scale;
        if (!pen || this.ringBreak[i]) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    return f;
  }

  private hover(e: MouseEvent): void {
    const f = this.fit;
    if (!f || !this.lookup) return;
    const r = this.canvas.getBoundingClientRect();
    const x = (e.clientX - r.left) * f.dpr;
    const y = (e.clientY - r.top) * f.dpr;
    const u = (x - f.ox) / f.scale;
    const v = (f.oy - y) / f.scale;
    const pmt = this.lookup.nearest(u, v, Math.max(this.dotRadiusCm * 2.2, (6 * f.dpr) / f.scale));
    this.onHover?.(pmt, e.clientX - r.left, e.clientY - r.top);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
  }
}
