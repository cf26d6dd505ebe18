/**
 * A camera view composed into one canvas for PNG export at a chosen scale:
 * the index map is rasterised again at the export resolution (true polygon
 * edges, not an upscaled screen copy), overlays are drawn at that resolution,
 * with the title above and the colour bar at the right.
 */
import type { PixelPolygons } from '../../src-worker/instrument/pixel-polygons.js';
import { paintIndexMap, rasterizeIndexMap, type ViewTransform } from './camera-raster.js';
import { colormapLut, type ColormapName } from '../colormap/colormaps.js';
import type { ColorScale } from '../colormap/color-scale.js';
import { drawColorBar } from './color-bar.js';

export interface CameraPngInput {
  polygons: PixelPolygons;
  /** size of the on-screen image area, CSS px */
  widthCss: number;
  heightCss: number;
  /** the on-screen transform (device px) and its device-pixel ratio */
  view: ViewTransform;
  dpr: number;
  /** output px per CSS px */
  scale: number;
  pixelColors: Uint32Array;
  background: number;
  title: string;
  colormap: ColormapName;
  colorScale: ColorScale;
  unit: string;
  drawOverlays: (ctx: CanvasRenderingContext2D, t: ViewTransform, dpr: number) => void;
}

const TITLE_CSS = 22;
const BAR_CSS = 60;

export function composeCameraPng(p: CameraPngInput): HTMLCanvasElement {
  const s = p.scale;
  const w = Math.max(1, Math.round(p.widthCss * s));
  const h = Math.max(1, Math.round(p.heightCss * s));
  const k = s / p.dpr;
  const t: ViewTransform = { scale: p.view.scale * k, offsetX: p.view.offsetX * k, offsetY: p.view.offsetY * k };

  const image = document.createElement('canvas');
  image.width = w;
  image.height = h;
  const ictx = image.getContext('2d')!;
  const data = new ImageData(w, h);
  paintIndexMap(rasterizeIndexMap(p.polygons, t, w, h), p.pixelColors, p.background, new Uint32Array(data.data.buffer));
  ictx.putImageData(data, 0, 0);
  p.drawOverlays(ictx, t, s);

  const bar = document.createElement('canvas');
  bar.width = Math.round(BAR_CSS * s);
  bar.height = h;
  drawColorBar(bar, colormapLut(p.colormap), p.colorScale, p.unit, s);

  const out = document.createElement('canvas');
  out.width = w + bar.width;
  out.height = h + Math.round(TITLE_CSS * s);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#10141a';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#e6ebf2';
  ctx.font = `600 ${13 * s}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(p.title, 6 * s, (TITLE_CSS / 2) * s, out.width - 12 * s);
  const top = Math.round(TITLE_CSS * s);
  ctx.drawImage(image, 0, top);
  ctx.drawImage(bar, w, top);
  return out;
}

/** Saves a blob through a temporary <a download> link. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
