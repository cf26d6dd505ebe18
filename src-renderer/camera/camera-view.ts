/**
 * One camera image: pixels as their true polygons (ctapipe's drawing rule),
 * coloured through a colour map, with colour bar, title, hover readout and
 * overlays (cleaning-mask outline, Hillas ellipse). Drawing a new image only
 * recolours the precomputed index map.
 */
import type { CameraGeometry } from '../../src-main/api/instrument-types.js';
import type { HillasEllipse } from '../../src-main/api/event-types.js';
import { pixelPolygons, polygonBounds, type PixelPolygons } from '../../src-worker/instrument/pixel-polygons.js';
import { colorPixels, fitTransform, paintIndexMap, rasterizeIndexMap, toWorld, type ViewTransform } from './camera-raster.js';
import { colormapLut, type ColormapName } from '../colormap/colormaps.js';
import { normalizer, type ColorScale, type ScaleKind } from '../colormap/color-scale.js';
import { drawColorBar, drawCompactColorBar } from './color-bar.js';
import { drawHillasEllipse, drawMaskOutline } from './ellipse-overlay.js';
import { drawPixelHighlight, drawTimingGradient, type TimingGradient } from './view-overlays.js';
import { colorLimits, type ColorLimits } from './color-limits.js';
import { composeCameraPng, downloadBlob } from './camera-png.js';
import { cameraFigureSvg } from '../../src-worker/figure/camera-svg.js';
import { html, setHtml } from '../dom/html.js';

const BACKGROUND = 0xff1a1410; // packed RGBA, little-endian: rgb(16, 20, 26)
const NAN_COLOR = 0xff404040;

export interface CameraImage {
  image: Float32Array;
  peakTime?: Float32Array;
  mask?: Uint8Array;
  /** simulations: the true image (p.e.) */
  trueImage?: Float32Array;
  hillas?: HillasEllipse;
  /** timing gradient along the Hillas major axis (needs `hillas`) */
  timing?: TimingGradient;
}

/** What a camera shows for "R0" or "R1": per-pixel sums over samples (file.waveformSums), or why there are none. */
export interface CameraWaveformSums {
  level: 'r0' | 'r1';
  /** one value per pixel; null while loading or when this telescope has none (then `why`) */
  values: Float32Array | null;
  /** 'ADC counts' (R0) or 'p.e.' (R1) */
  unit: string;
  /** R0: the gain summed */
  gain: 'high' | 'low' | null;
  /** why there are no values (loading, or the file has none for this telescope) */
  why: string;
}

/** The label of a pixel quantity, for readouts and figures. */
export function quantityLabel(quantity: CameraViewSettings['quantity'], gain: 'high' | 'low' | null = null): string {
  switch (quantity) {
    case 'peakTime':
      return 'peak time';
    case 'trueImage':
      return 'true charge';
    case 'r0':
      return `R0 Σ${gain ? ` ${gain} gain` : ''}`;
    case 'r1':
      return 'R1 Σ';
    default:
      return 'charge';
  }
}

export interface CameraViewSettings {
  colormap: ColormapName;
  scale: ScaleKind;
  showHillas: boolean;
  showMask: boolean;
  /**
   * what the pixels show: the extracted image, the peak time, the true image (simulations), or the sum
   * over samples of the R0 (raw ADC, one gain) or R1 (p.e.) waveforms
   */
  quantity: 'image' | 'peakTime' | 'trueImage' | 'r0' | 'r1';
  /** the R0 gain a camera showing R0 sums (default high) */
  r0Gain?: 'high' | 'low';
  /** timing-gradient direction overlay (when the image has one) */
  showTiming?: boolean;
}

export const defaultCameraViewSettings: CameraViewSettings = {
  colormap: 'viridis',
  scale: 'linear',
  showHillas: true,
  showMask: true,
  quantity: 'image',
  showTiming: true,
};

export class CameraView {
  readonly element: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly subtitleEl: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly colorBar: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly polygons: PixelPolygons;
  private transform: ViewTransform = { scale: 1, offsetX: 0, offsetY: 0 };
  private indexMap: Int32Array = new Int32Array(0);
  private imageData: ImageData | undefined;
  private readonly pixelColors: Uint32Array;
  private current: CameraImage | undefined;
  private sums: CameraWaveformSums | undefined;
  private dpr = 1;
  private settings: CameraViewSettings;
  private readonly resizeObserver: ResizeObserver;
  private limits: ColorLimits = { mode: 'auto' };
  private lastScale: ColorScale | undefined;
  private selected = -1;
  private drag: { x: number; y: number; offsetX: number; offsetY: number; moved: boolean } | undefined;
  private zoomed = false;
  private overlayDirty = true;
  /** the last draw showed no image (nothing to redraw for another empty one) */
  private drawnEmpty = false;
  /** true after pan or zoom, until the view is reset or resized */
  get isZoomed(): boolean {
    return this.zoomed;
  }
  /** called when a click selects a pixel (-1: selection cleared) */
  onPixelSelect: ((pixel: number) => void) | undefined;
  /** called on every click on a pixel (shift: the shift key was held), before the selection changes */
  onPixelClick: ((pixel: number, shift: boolean) => void) | undefined;
  /** pixels outlined in colours (the waveform view's) */
  private marks: { pixel: number; color: string }[] = [];

  constructor(
    readonly geometry: CameraGeometry,
    title: string,
    settings: CameraViewSettings = defaultCameraViewSettings,
  ) {
    this.settings = { ...settings };
    this.polygons = pixelPolygons(geometry);
    this.pixelColors = new Uint32Array(geometry.nPixels);
    this.element = document.createElement('section');
    this.element.className = 'camera-panel';
    setHtml(
      this.element,
      html`
      <header class="camera-title"><span class="title"></span><span class="subtitle"></span>
        <span class="camera-tools">
          <select class="limits-mode" title="colour limits"><option value="auto">min–max</option><option value="p99">99 %</option><option value="p95">95 %</option><option value="fixed">typed</option></select>
          <input class="vmin" type="number" step="any" placeholder="min" style="width:5em" hidden><input class="vmax" type="number" step="any" placeholder="max" style="width:5em" hidden>
          <button class="reset-view" title="reset zoom (double-click)">⤢</button>
          <button class="export-png" title="save this camera as PNG (2×)">PNG</button>
          <button class="export-svg" title="save this camera as an SVG figure (true pixel polygons)">SVG</button>
        </span></header>
      <div class="camera-body">
        <div class="camera-stage"><canvas class="camera-image"></canvas><canvas class="camera-overlay"></canvas><div class="camera-tooltip" hidden></div></div>
        <canvas class="camera-colorbar"></canvas>
      </div>`,
    );
    this.titleEl = this.element.querySelector('.title')!;
    this.subtitleEl = this.element.querySelector('.subtitle')!;
    this.canvas = this.element.querySelector('.camera-image')!;
    this.overlay = this.element.querySelector('.camera-overlay')!;
    this.colorBar = this.element.querySelector('.camera-colorbar')!;
    this.tooltip = this.element.querySelector('.camera-tooltip')!;
    this.titleEl.textContent = title;
    this.overlay.addEventListener('mousemove', (e) => this.pointerMove(e));
    this.overlay.addEventListener('mouseleave', () => {
      this.tooltip.hidden = true;
    });
    this.overlay.addEventListener('mousedown', (e) => this.pointerDown(e));
    window.addEventListener('mouseup', this.pointerUp);
    this.overlay.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    this.overlay.addEventListener('dblclick', () => this.resetView());
    this.wireTools();
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.element.querySelector('.camera-stage')!);
  }

  setSettings(settings: Partial<CameraViewSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.draw();
  }

  /** Small tile: a thin colour bar with min and max below the image instead of the full one beside it. */
  setCompact(compact: boolean): void {
    if (this.element.classList.contains('compact') === compact) return;
    this.element.classList.toggle('compact', compact);
    this.layout(true);
  }

  setSubtitle(text: string): void {
    if (this.subtitleEl.textContent !== text) this.subtitleEl.textContent = text;
  }

  /**
   * Shows a new image (or none: the camera did not trigger), with new colour
   * limits when given (one draw for both). A camera that did not trigger
   * and showed nothing already is not drawn again (live events come at
   * display rate; most cameras of a large array are idle in most of them).
   */
  setImage(image: CameraImage | undefined, limits?: ColorLimits): void {
    if (!image && !this.current && this.drawnEmpty) return;
    if (limits) this.applyLimits(limits);
    this.current = image;
    // the sums belong to the event they were asked for: a new image waits for its own
    if (this.sums) this.sums = { ...this.sums, values: null, why: 'loading…' };
    this.element.classList.toggle('not-triggered', !image);
    this.draw();
    this.drawnEmpty = !image;
  }

  /** camera pixel under a point given in CSS pixels relative to the image canvas, or -1 */
  pixelAt(cssX: number, cssY: number): number {
    const c = Math.floor(cssX * this.dpr);
    const r = Math.floor(cssY * this.dpr);
    if (c < 0 || r < 0 || c >= this.canvas.width || r >= this.canvas.height) return -1;
    return this.indexMap[r * this.canvas.width + c] ?? -1;
  }

  /** CSS position (relative to the image canvas) of a camera pixel's centre */
  pixelCenterCss(pixel: number): [number, number] {
    const t = this.transform;
    return [(t.offsetX + t.scale * this.polygons.centerX[pixel]) / this.dpr, (t.offsetY - t.scale * this.polygons.centerY[pixel]) / this.dpr];
  }

  /** The R0 or R1 sums of the shown event (they arrive after its image), or none. */
  setWaveformSums(sums: CameraWaveformSums | undefined, limits?: ColorLimits): void {
    this.sums = sums;
    if (limits) this.applyLimits(limits);
    this.element.dataset.sums = sums ? `${sums.level}${sums.gain ? `-${sums.gain}` : ''}:${sums.values ? 'shown' : 'none'}` : '';
    this.draw();
  }

  /** The values shown for the chosen quantity (undefined: none), for the common colour scale. */
  get values(): Float32Array | undefined {
    return this.shownValues();
  }

  /** Colour limits of this view: min–max, a percentile range, or typed in. */
  setLimits(limits: ColorLimits): void {
    this.applyLimits(limits);
    this.draw();
  }

  private applyLimits(limits: ColorLimits): void {
    this.limits = { ...limits };
    const q = this.element.querySelector<HTMLSelectElement>('.limits-mode')!;
    q.value = limits.mode === 'percentile' ? (limits.percentile === 95 ? 'p95' : 'p99') : limits.mode;
  }

  /** The colour scale used by the last draw (for tests and figure export). */
  get colorScale(): ColorScale | undefined {
    return this.lastScale ? { ...this.lastScale } : undefined;
  }

  get selectedPixel(): number {
    return this.selected;
  }

  /** Selects (highlights) a pixel; -1 clears. */
  selectPixel(pixel: number): void {
    this.selected = pixel >= 0 && pixel < this.geometry.nPixels ? pixel : -1;
    this.element.dataset.selectedPixel = String(this.selected);
    this.drawOverlay();
    this.onPixelSelect?.(this.selected);
  }

  /** Outlines pixels in colours (e.g. those whose waveforms are shown); [] clears. */
  markPixels(marks: { pixel: number; color: string }[]): void {
    this.marks = marks.filter((m) => m.pixel >= 0 && m.pixel < this.geometry.nPixels);
    this.element.dataset.markedPixels = this.marks.map((m) => m.pixel).join(',');
    this.drawOverlay();
  }

  /** Zoom by `factor` around a point in CSS pixels of the image canvas (default: the centre). */
  zoomBy(factor: number, cssX?: number, cssY?: number): void {
    const sx = (cssX ?? this.canvas.width / this.dpr / 2) * this.dpr;
    const sy = (cssY ?? this.canvas.height / this.dpr / 2) * this.dpr;
    const [wx, wy] = toWorld(this.transform, sx, sy);
    const scale = this.transform.scale * factor;
    this.setTransform({ scale, offsetX: sx - scale * wx, offsetY: sy + scale * wy });
  }

  /** Back to the whole camera. */
  resetView(): void {
    if (!this.canvas.width) return;
    this.zoomed = false;
    this.setTransform(fitTransform(polygonBounds(this.polygons), this.canvas.width, this.canvas.height));
  }

  /** The camera as a PNG (image, overlays, colour bar, title) at `scale` × the on-screen size. */
  async exportPng(scale = 2): Promise<Blob> {
    const canvas = composeCameraPng({
      polygons: this.polygons,
      widthCss: this.canvas.width / this.dpr,
      heightCss: this.canvas.height / this.dpr,
      view: this.transform,
      dpr: this.dpr,
      scale,
      pixelColors: this.pixelColors,
      background: BACKGROUND,
      title: [this.titleEl.textContent ?? '', this.subtitleEl.textContent ?? ''].filter(Boolean).join(' · '),
      colormap: this.settings.colormap,
      colorScale: this.lastScale ?? { kind: 'linear', vmin: 0, vmax: 1, linthresh: 1 },
      unit: this.unit(),
      drawOverlays: (ctx, t, dpr) => this.paintOverlays(ctx, t, dpr),
    });
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  /**
   * The current image as an SVG figure (src-worker/figure/camera-svg.ts): one
   * polygon per pixel, same colour map, scale and limits as on screen, the
   * enabled overlays, axes in m (deg when the geometry has a focal length and
   * `deg` is set).
   */
  exportSvg(deg = false): string {
    const img = this.current;
    const values = this.shownValues() ?? new Float32Array(this.geometry.nPixels).fill(Number.NaN);
    const sc = this.lastScale;
    const q = this.settings.quantity === 'peakTime' && !img?.peakTime ? 'image' : this.settings.quantity;
    return cameraFigureSvg({
      geometry: this.geometry,
      image: values,
      quantity: quantityLabel(q, this.sums?.gain ?? null),
      unit: this.unit(),
      title: [this.titleEl.textContent, this.subtitleEl.textContent].filter(Boolean).join(' · ') || undefined,
      intensity: img?.hillas?.intensity,
      colormap: this.settings.colormap,
      scale: this.settings.scale,
      vmin: sc?.vmin,
      vmax: sc?.vmax,
      mask: img?.mask && this.settings.showMask ? img.mask : undefined,
      hillas: img?.hillas && this.settings.showHillas ? img.hillas : undefined,
      focalLength: deg ? this.geometry.focalLength : undefined,
    });
  }

  private setTransform(t: ViewTransform): void {
    this.transform = t;
    this.zoomed = true;
    this.indexMap = rasterizeIndexMap(this.polygons, this.transform, this.canvas.width, this.canvas.height);
    this.draw();
  }

  /** the values the pixels show for the chosen quantity (undefined: no image, or no true image) */
  private shownValues(): Float32Array | undefined {
    const img = this.current;
    if (!img) return undefined;
    if (this.settings.quantity === 'peakTime' && img.peakTime) return img.peakTime;
    if (this.settings.quantity === 'trueImage') return img.trueImage;
    if (this.settings.quantity === 'r0' || this.settings.quantity === 'r1') {
      return this.sums?.level === this.settings.quantity ? (this.sums.values ?? undefined) : undefined;
    }
    return img.image;
  }

  private unit(): string {
    const q = this.settings.quantity;
    if (q === 'r0') return 'ADC counts';
    return q === 'peakTime' ? 'ns' : 'p.e.';
  }

  private wireTools(): void {
    const mode = this.element.querySelector<HTMLSelectElement>('.limits-mode')!;
    const vmin = this.element.querySelector<HTMLInputElement>('.vmin')!;
    const vmax = this.element.querySelector<HTMLInputElement>('.vmax')!;
    const apply = () => {
      const m = mode.value;
      vmin.hidden = vmax.hidden = m !== 'fixed';
      if (m === 'fixed') {
        if (vmin.value === '' && this.lastScale) vmin.value = String(+this.lastScale.vmin.toPrecision(4));
        if (vmax.value === '' && this.lastScale) vmax.value = String(+this.lastScale.vmax.toPrecision(4));
        this.limits = { mode: 'fixed', vmin: Number(vmin.value), vmax: Number(vmax.value) };
      } else if (m === 'p99' || m === 'p95') {
        this.limits = { mode: 'percentile', percentile: m === 'p99' ? 99 : 95 };
      } else this.limits = { mode: 'auto' };
      this.draw();
    };
    mode.onchange = apply;
    vmin.onchange = apply;
    vmax.onchange = apply;
    this.element.querySelector<HTMLButtonElement>('.reset-view')!.onclick = () => this.resetView();
    this.element.querySelector<HTMLButtonElement>('.export-png')!.onclick = () => void this.downloadFigure('png');
    this.element.querySelector<HTMLButtonElement>('.export-svg')!.onclick = () => void this.downloadFigure('svg');
  }

  /** Saves this camera as a PNG (2×) or SVG figure through the browser's download. */
  async downloadFigure(format: 'png' | 'svg'): Promise<void> {
    const name = (this.titleEl.textContent ?? 'camera').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_|_$/g, '') || 'camera';
    const blob = format === 'png' ? await this.exportPng(2) : new Blob([this.exportSvg()], { type: 'image/svg+xml' });
    downloadBlob(blob, `${name}.${format}`);
  }

  private layout(force = false): void {
    const stage = this.canvas.parentElement!;
    const rect = stage.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(rect.width * this.dpr));
    const h = Math.max(1, Math.round(rect.height * this.dpr));
    if (!force && w === this.canvas.width && h === this.canvas.height && this.indexMap.length === w * h) return;
    for (const c of [this.canvas, this.overlay]) {
      c.width = w;
      c.height = h;
    }
    const barRect = this.colorBar.getBoundingClientRect();
    this.colorBar.width = Math.max(1, Math.round(barRect.width * this.dpr));
    this.colorBar.height = this.element.classList.contains('compact') ? Math.max(1, Math.round(barRect.height * this.dpr)) : h;
    this.transform = fitTransform(polygonBounds(this.polygons), w, h);
    this.zoomed = false;
    this.indexMap = rasterizeIndexMap(this.polygons, this.transform, w, h);
    this.imageData = new ImageData(w, h);
    this.draw();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx || !this.imageData) return;
    const values = this.shownValues();
    const lut = colormapLut(this.settings.colormap);
    const limits = values ? colorLimits(values, this.limits, this.settings.scale) : { vmin: 0, vmax: 1 };
    const scale: ColorScale = { kind: this.settings.scale, ...limits, linthresh: 1 };
    if (scale.kind === 'log' && scale.vmin <= 0) scale.vmin = Math.max(scale.vmax * 1e-3, 1e-3);
    this.lastScale = scale;
    if (values) colorPixels(values, normalizer(scale), lut, NAN_COLOR, this.pixelColors);
    else this.pixelColors.fill(0xff2a241f);
    paintIndexMap(this.indexMap, this.pixelColors, BACKGROUND, new Uint32Array(this.imageData.data.buffer));
    ctx.putImageData(this.imageData, 0, 0);
    this.drawOverlay();
    this.element.dataset.unit = this.unit();
    (this.element.classList.contains('compact') ? drawCompactColorBar : drawColorBar)(this.colorBar, lut, scale, this.unit(), this.dpr);
  }

  private drawOverlay(): void {
    const octx = this.overlay.getContext('2d');
    if (!octx) return;
    // clearing a large canvas is not free: skip it when nothing was drawn last time
    if (this.overlayDirty) octx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.overlayDirty = this.paintOverlays(octx, this.transform, this.dpr);
  }

  /** Draws the enabled overlays; false when there was nothing to draw. */
  private paintOverlays(ctx: CanvasRenderingContext2D, t: ViewTransform, dpr: number): boolean {
    const img = this.current;
    const p = this.polygons;
    let drawn = false;
    if (img?.mask && this.settings.showMask) {
      drawMaskOutline(ctx, t, p.vertices, p.nVertices, img.mask, dpr);
      drawn = true;
    }
    if (img?.hillas && this.settings.showHillas) {
      drawHillasEllipse(ctx, t, img.hillas, dpr);
      drawn = true;
    }
    if (img?.hillas && img.timing && (this.settings.showTiming ?? true)) {
      drawTimingGradient(ctx, t, img.hillas, img.timing, dpr);
      drawn = true;
    }
    for (const m of this.marks) drawPixelHighlight(ctx, t, p.vertices, p.nVertices, m.pixel, dpr, m.color);
    if (this.marks.length) drawn = true;
    if (this.selected >= 0) {
      drawPixelHighlight(ctx, t, p.vertices, p.nVertices, this.selected, dpr);
      drawn = true;
    }
    return drawn;
  }

  private pointerDown(e: MouseEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, y: e.clientY, offsetX: this.transform.offsetX, offsetY: this.transform.offsetY, moved: false };
  }

  private readonly pointerUp = (e: MouseEvent): void => {
    const d = this.drag;
    this.drag = undefined;
    if (!d || d.moved || e.button !== 0) return;
    const rect = this.overlay.getBoundingClientRect();
    const pixel = this.pixelAt(e.clientX - rect.left, e.clientY - rect.top);
    if (pixel >= 0) this.onPixelClick?.(pixel, e.shiftKey);
    if (e.shiftKey && this.onPixelClick) return; // an added pixel: the selection stays
    this.selectPixel(pixel === this.selected ? -1 : pixel);
  };

  private pointerMove(e: MouseEvent): void {
    const d = this.drag;
    if (d && e.buttons & 1) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (d.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        d.moved = true;
        this.tooltip.hidden = true;
        this.setTransform({ scale: this.transform.scale, offsetX: d.offsetX + dx * this.dpr, offsetY: d.offsetY + dy * this.dpr });
        return;
      }
    }
    this.hover(e);
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.overlay.getBoundingClientRect();
    this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
  }

  private hover(e: MouseEvent): void {
    const rect = this.overlay.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const pixel = this.pixelAt(x, y);
    if (pixel < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const img = this.current;
    const charge = img ? `${img.image[pixel].toFixed(2)} p.e.` : 'no image';
    const time = img?.peakTime ? `, t = ${img.peakTime[pixel].toFixed(2)} ns` : '';
    const truth = img?.trueImage ? `, true ${img.trueImage[pixel]} p.e.` : '';
    const q = this.settings.quantity;
    let sum = '';
    delete this.tooltip.dataset.value;
    if ((q === 'r0' || q === 'r1') && img) {
      const s = this.sums?.level === q ? this.sums : undefined;
      const v = s?.values?.[pixel];
      if (v !== undefined) this.tooltip.dataset.value = String(v);
      sum =
        v !== undefined ? `${quantityLabel(q, s!.gain)} ${q === 'r0' ? String(v) : v.toFixed(2)} ${s!.unit} · ` : `${quantityLabel(q)}: ${s?.why || 'none'} · `;
    }
    this.tooltip.textContent = `pixel ${this.geometry.pixId[pixel]}: ${sum}${charge}${time}${truth}`;
    this.tooltip.dataset.pixel = String(this.geometry.pixId[pixel]);
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(x + 12, rect.width - 160)}px`;
    this.tooltip.style.top = `${y + 12}px`;
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    window.removeEventListener('mouseup', this.pointerUp);
    this.element.remove();
  }
}
