/**
 * One camera image: pixels as their true polygons (ctapipe's drawing rule),
 * coloured through a colour map, with colour bar, title, hover readout and
 * overlays (cleaning-mask outline, Hillas ellipse). Drawing a new image only
 * recolours the precomputed index map.
 */
import type { CameraGeometryWire } from '../../src-main/api/instrument-types.js';
import type { HillasEllipse } from '../../src-main/api/event-types.js';
import { pixelPolygons, polygonBounds, type PixelPolygons } from '../../src-worker/geometry/pixel-polygons.js';
import { colorPixels, fitTransform, paintIndexMap, rasterizeIndexMap, type ViewTransform } from './camera-raster.js';
import { colormapLut, type ColormapName } from '../colormap/colormaps.js';
import { autoLimits, normalizer, type ColorScale, type ScaleKind } from '../colormap/color-scale.js';
import { drawColorBar } from './color-bar.js';
import { drawHillasEllipse, drawMaskOutline } from './ellipse-overlay.js';

const BACKGROUND = 0xff1a1410; // packed RGBA, little-endian: rgb(16, 20, 26)
const NAN_COLOR = 0xff404040;

export interface CameraImage {
  image: Float32Array;
  peakTime?: Float32Array;
  mask?: Uint8Array;
  hillas?: HillasEllipse;
}

export interface CameraViewSettings {
  colormap: ColormapName;
  scale: ScaleKind;
  showHillas: boolean;
  showMask: boolean;
  quantity: 'image' | 'peakTime';
}

export const defaultCameraViewSettings: CameraViewSettings = {
  colormap: 'viridis', scale: 'linear', showHillas: true, showMask: true, quantity: 'image',
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
  private dpr = 1;
  private settings: CameraViewSettings;
  private readonly resizeObserver: ResizeObserver;

  constructor(readonly geometry: CameraGeometryWire, title: string, settings: CameraViewSettings = defaultCameraViewSettings) {
    this.settings = { ...settings };
    this.polygons = pixelPolygons(geometry);
    this.pixelColors = new Uint32Array(geometry.nPixels);
    this.element = document.createElement('section');
    this.element.className = 'camera-panel';
    this.element.innerHTML = `
      <header class="camera-title"><span class="title"></span><span class="subtitle"></span></header>
      <div class="camera-body">
        <div class="camera-stage"><canvas class="camera-image"></canvas><canvas class="camera-overlay"></canvas><div class="camera-tooltip" hidden></div></div>
        <canvas class="camera-colorbar"></canvas>
      </div>`;
    this.titleEl = this.element.querySelector('.title')!;
    this.subtitleEl = this.element.querySelector('.subtitle')!;
    this.canvas = this.element.querySelector('.camera-image')!;
    this.overlay = this.element.querySelector('.camera-overlay')!;
    this.colorBar = this.element.querySelector('.camera-colorbar')!;
    this.tooltip = this.element.querySelector('.camera-tooltip')!;
    this.titleEl.textContent = title;
    this.overlay.addEventListener('mousemove', (e) => this.hover(e));
    this.overlay.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.element.querySelector('.camera-stage')!);
  }

  setSettings(settings: Partial<CameraViewSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.draw();
  }

  setSubtitle(text: string): void {
    this.subtitleEl.textContent = text;
  }

  /** Shows a new image (or none: the camera did not trigger). */
  setImage(image: CameraImage | undefined): void {
    this.current = image;
    this.element.classList.toggle('not-triggered', !image);
    this.draw();
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

  private layout(): void {
    const stage = this.canvas.parentElement!;
    const rect = stage.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(rect.width * this.dpr));
    const h = Math.max(1, Math.round(rect.height * this.dpr));
    if (w === this.canvas.width && h === this.canvas.height && this.indexMap.length === w * h) return;
    for (const c of [this.canvas, this.overlay]) { c.width = w; c.height = h; }
    const barRect = this.colorBar.getBoundingClientRect();
    this.colorBar.width = Math.max(1, Math.round(barRect.width * this.dpr));
    this.colorBar.height = h;
    this.transform = fitTransform(polygonBounds(this.polygons), w, h);
    this.indexMap = rasterizeIndexMap(this.polygons, this.transform, w, h);
    this.imageData = new ImageData(w, h);
    this.draw();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    const octx = this.overlay.getContext('2d');
    if (!ctx || !octx || !this.imageData) return;
    const img = this.current;
    const values = img ? (this.settings.quantity === 'peakTime' && img.peakTime ? img.peakTime : img.image) : undefined;
    const lut = colormapLut(this.settings.colormap);
    const limits = values ? autoLimits(values) : { vmin: 0, vmax: 1 };
    const scale: ColorScale = { kind: this.settings.scale, ...limits, linthresh: 1 };
    if (scale.kind === 'log' && scale.vmin <= 0) scale.vmin = Math.max(scale.vmax * 1e-3, 1e-3);
    if (values) colorPixels(values, normalizer(scale), lut, NAN_COLOR, this.pixelColors);
    else this.pixelColors.fill(0xff2a241f);
    paintIndexMap(this.indexMap, this.pixelColors, BACKGROUND, new Uint32Array(this.imageData.data.buffer));
    ctx.putImageData(this.imageData, 0, 0);
    octx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (img?.mask && this.settings.showMask) drawMaskOutline(octx, this.transform, this.polygons.vertices, this.polygons.nVertices, img.mask, this.dpr);
    if (img?.hillas && this.settings.showHillas) drawHillasEllipse(octx, this.transform, img.hillas, this.dpr);
    drawColorBar(this.colorBar, lut, scale, this.settings.quantity === 'peakTime' ? 'ns' : 'p.e.', this.dpr);
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
    this.tooltip.textContent = `pixel ${this.geometry.pixId[pixel]}: ${charge}${time}`;
    this.tooltip.dataset.pixel = String(this.geometry.pixId[pixel]);
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(x + 12, rect.width - 160)}px`;
    this.tooltip.style.top = `${y + 12}px`;
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.element.remove();
  }
}
