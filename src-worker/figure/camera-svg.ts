/**
 * A camera image as a stand-alone SVG figure, the way ctapipe's
 * CameraDisplay draws it: one <polygon> per pixel with its true vertices
 * (pixel-polygons.ts), filled from a colour map, axes in m (or deg when a
 * focal length is given), a colour bar with its unit, a title (telescope id,
 * camera, event id, intensity) and optional overlays (cleaning-mask outline,
 * Hillas ellipse at 1σ and 2σ with its major axis and centroid).
 *
 * Pixel polygons are written in camera-frame metres inside one group whose
 * transform maps metres to figure pixels (y up), so the numbers in the file
 * are the geometry itself. Pure: runs in Node and in the browser.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { pixelPolygons, polygonBounds } from '../instrument/pixel-polygons.js';
import {
  colormapTable,
  figureLimits,
  formatFigureTick,
  niceTicks,
  normalize,
  valueAtT,
  type FigureColormap,
  type FigureNorm,
  type FigureScale,
} from './figure-colors.js';
import type { HillasEllipse } from '../containers/hillas.js';

export type FigureGeometry = Pick<CameraGeometry, 'name' | 'nPixels' | 'pixX' | 'pixY' | 'pixArea' | 'pixType' | 'pixRotation' | 'camRotation'>;

/** The camera-frame Hillas ellipse drawn over the image (intensity optional). */
export type FigureHillas = Omit<HillasEllipse, 'intensity'> & { intensity?: number };

export interface CameraFigureOptions {
  geometry: FigureGeometry;
  /** one value per pixel (p.e. for charge images, ns for peak time) */
  image: ArrayLike<number>;
  unit?: string;
  /** what the values are, for the colour bar label (default "charge") */
  quantity?: string;
  telId?: number;
  eventId?: number | bigint;
  /** image intensity shown in the title, p.e.; default: hillas.intensity, else the sum over the mask, else none */
  intensity?: number;
  /** extra text appended to the title */
  titleExtra?: string;
  /** the title's leading text instead of "CT<tel> · <camera> · event <id>" */
  title?: string;
  colormap?: FigureColormap;
  scale?: FigureScale;
  /** typed-in limits; missing ones come from the data (min/max, or `percentile`) */
  vmin?: number;
  vmax?: number;
  percentile?: number;
  /** symlog linear half-width (default 1) */
  linthresh?: number;
  mask?: ArrayLike<number | boolean>;
  hillas?: FigureHillas;
  /** focal length, m: axes in deg (x/f, as ctapipe's camera → telescope frame) instead of m */
  focalLength?: number;
  /** figure size, px (default 640 × 560) */
  width?: number;
  height?: number;
}

const NAN_FILL = '#bdbdbd';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function num(v: number, digits: number): string {
  // fixed precision without trailing zeros and without "-0"
  const s = v.toFixed(digits).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Title line: "CT<tel> · <camera> · event <id> · intensity <x> p.e.". */
export function figureTitle(o: CameraFigureOptions, intensity: number | undefined): string {
  const parts: string[] = [];
  if (o.title) parts.push(o.title);
  else {
    if (o.telId !== undefined) parts.push(`CT${o.telId}`);
    parts.push(o.geometry.name);
    if (o.eventId !== undefined) parts.push(`event ${o.eventId}`);
  }
  if (intensity !== undefined && Number.isFinite(intensity)) parts.push(`intensity ${intensity.toFixed(1)} p.e.`);
  if (o.titleExtra) parts.push(o.titleExtra);
  return parts.join(' · ');
}

function imageIntensity(o: CameraFigureOptions): number | undefined {
  if (o.intensity !== undefined) return o.intensity;
  if (o.hillas?.intensity !== undefined) return o.hillas.intensity;
  if (!o.mask) return undefined;
  let s = 0;
  for (let i = 0; i < o.image.length; i++) if (o.mask[i] && Number.isFinite(o.image[i])) s += o.image[i];
  return s;
}

export function cameraFigureSvg(o: CameraFigureOptions): string {
  const g = o.geometry;
  if (o.image.length !== g.nPixels) throw new Error(`image has ${o.image.length} values, camera ${g.name} has ${g.nPixels} pixels`);
  if (o.mask && o.mask.length !== g.nPixels) throw new Error(`mask has ${o.mask.length} values, camera ${g.name} has ${g.nPixels} pixels`);
  const W = o.width ?? 640;
  const H = o.height ?? 560;
  const left = 64;
  const right = 118;
  const top = 40;
  const bottom = 50;
  const pw = W - left - right;
  const ph = H - top - bottom;

  const poly = pixelPolygons(g);
  const b = polygonBounds(poly);
  const padX = 0.03 * (b.xMax - b.xMin);
  const padY = 0.03 * (b.yMax - b.yMin);
  const x0 = b.xMin - padX;
  const x1 = b.xMax + padX;
  const y0 = b.yMin - padY;
  const y1 = b.yMax + padY;
  const s = Math.min(pw / (x1 - x0), ph / (y1 - y0));
  const cxData = (x0 + x1) / 2;
  const cyData = (y0 + y1) / 2;
  const cxPx = left + pw / 2;
  const cyPx = top + ph / 2;
  const tx = cxPx - s * cxData;
  const ty = cyPx + s * cyData;
  const toPxX = (x: number) => tx + s * x;
  const toPxY = (y: number) => ty - s * y;
  // visible data range of the (square-scaled) plot area
  const vx0 = (left - tx) / s;
  const vx1 = (left + pw - tx) / s;
  const vy0 = (ty - (top + ph)) / s;
  const vy1 = (ty - top) / s;

  // colour scale
  const kind = o.scale ?? 'linear';
  const auto = figureLimits(o.image, o.percentile ?? 100, kind === 'log');
  const norm: FigureNorm = { kind, vmin: o.vmin ?? auto.vmin, vmax: o.vmax ?? auto.vmax, linthresh: o.linthresh ?? 1 };
  if (!(norm.vmax > norm.vmin)) norm.vmax = norm.vmin + 1;
  const table = colormapTable(o.colormap ?? 'viridis');
  const fillOf = (v: number) => {
    const t = normalize(norm, v);
    return Number.isNaN(t) ? NAN_FILL : table[Math.round(t * (table.length - 1))];
  };

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="14">${esc(figureTitle(o, imageIntensity(o)))}</text>`);
  out.push(`<defs><clipPath id="plot-area"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath></defs>`);

  // pixels, in metres
  const nv = poly.nVertices;
  out.push(
    `<g clip-path="url(#plot-area)"><g class="camera-pixels" transform="matrix(${num(s, 4)} 0 0 ${num(-s, 4)} ${num(tx, 4)} ${num(ty, 4)})" stroke-width="${num(0.4 / s, 7)}">`,
  );
  for (let i = 0; i < g.nPixels; i++) {
    const base = i * nv * 2;
    const pts: string[] = [];
    for (let k = 0; k < nv; k++) pts.push(`${num(poly.vertices[base + 2 * k], 7)},${num(poly.vertices[base + 2 * k + 1], 7)}`);
    const fill = fillOf(o.image[i]);
    // a hairline stroke in the fill colour closes the anti-aliasing seams between touching pixels
    out.push(`<polygon data-pix="${i}" points="${pts.join(' ')}" fill="${fill}" stroke="${fill}"/>`);
  }
  const lw = (px: number) => num(px / s, 6);
  if (o.mask) {
    const d: string[] = [];
    for (let i = 0; i < g.nPixels; i++) {
      if (!o.mask[i]) continue;
      const base = i * nv * 2;
      for (let k = 0; k < nv; k++) d.push(`${k === 0 ? 'M' : 'L'}${num(poly.vertices[base + 2 * k], 6)} ${num(poly.vertices[base + 2 * k + 1], 6)}`);
      d.push('Z');
    }
    if (d.length) out.push(`<path class="cleaning-mask" d="${d.join('')}" fill="none" stroke="#e8333a" stroke-width="${lw(1.2)}" stroke-linejoin="round"/>`);
  }
  if (o.hillas && [o.hillas.x, o.hillas.y, o.hillas.length, o.hillas.width, o.hillas.psi].every(Number.isFinite)) {
    const h = o.hillas;
    const rot = `rotate(${num(h.psi, 4)} ${num(h.x, 6)} ${num(h.y, 6)})`;
    out.push(`<g class="hillas" fill="none" stroke="#ffffff" stroke-width="${lw(1.6)}">`);
    out.push(`<ellipse cx="${num(h.x, 6)}" cy="${num(h.y, 6)}" rx="${num(h.length, 6)}" ry="${num(h.width, 6)}" transform="${rot}"/>`);
    out.push(
      `<ellipse cx="${num(h.x, 6)}" cy="${num(h.y, 6)}" rx="${num(2 * h.length, 6)}" ry="${num(2 * h.width, 6)}" transform="${rot}" stroke-dasharray="${lw(6)} ${lw(4)}"/>`,
    );
    out.push(
      `<line x1="${num(h.x - 3 * h.length, 6)}" y1="${num(h.y, 6)}" x2="${num(h.x + 3 * h.length, 6)}" y2="${num(h.y, 6)}" transform="${rot}" stroke-dasharray="${lw(2)} ${lw(3)}"/>`,
    );
    const c = 5 / s;
    out.push(`<path d="M${num(h.x - c, 6)} ${num(h.y, 6)}H${num(h.x + c, 6)}M${num(h.x, 6)} ${num(h.y - c, 6)}V${num(h.y + c, 6)}"/>`);
    out.push('</g>');
  }
  out.push('</g></g>');

  // axes
  const deg = o.focalLength !== undefined && o.focalLength > 0;
  const k = deg ? 180 / Math.PI / o.focalLength! : 1; // axis units per metre
  const unitLabel = deg ? 'deg' : 'm';
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#000000" stroke-width="1"/>`);
  const xt = niceTicks(vx0 * k, vx1 * k, 6);
  const yt = niceTicks(vy0 * k, vy1 * k, 6);
  const xStep = xt.length > 1 ? xt[1] - xt[0] : 1;
  const yStep = yt.length > 1 ? yt[1] - yt[0] : 1;
  out.push('<g class="axes" stroke="#000000" stroke-width="1">');
  for (const v of xt) {
    const X = num(toPxX(v / k), 2);
    out.push(`<line x1="${X}" y1="${top + ph}" x2="${X}" y2="${top + ph + 5}"/>`);
  }
  for (const v of yt) {
    const Y = num(toPxY(v / k), 2);
    out.push(`<line x1="${left - 5}" y1="${Y}" x2="${left}" y2="${Y}"/>`);
  }
  out.push('</g><g class="tick-labels" fill="#000000">');
  for (const v of xt) out.push(`<text x="${num(toPxX(v / k), 2)}" y="${top + ph + 18}" text-anchor="middle">${formatFigureTick(v, xStep)}</text>`);
  for (const v of yt) out.push(`<text x="${left - 8}" y="${num(toPxY(v / k) + 4, 2)}" text-anchor="end">${formatFigureTick(v, yStep)}</text>`);
  out.push('</g>');
  out.push(`<text x="${left + pw / 2}" y="${H - 10}" text-anchor="middle">x [${unitLabel}]</text>`);
  out.push(`<text x="16" y="${top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + ph / 2})">y [${unitLabel}]</text>`);

  // colour bar
  const bx = left + pw + 18;
  const bw = 16;
  const by = top;
  const bh = ph;
  out.push('<defs><linearGradient id="colorbar" x1="0" y1="1" x2="0" y2="0">');
  const nStops = 64;
  for (let i = 0; i <= nStops; i++) {
    const t = i / nStops;
    out.push(`<stop offset="${num(t, 4)}" stop-color="${table[Math.round(t * (table.length - 1))]}"/>`);
  }
  out.push('</linearGradient></defs>');
  out.push(`<rect class="colorbar" x="${bx}" y="${by}" width="${bw}" height="${bh}" fill="url(#colorbar)" stroke="#000000" stroke-width="1"/>`);
  let ticks: number[];
  if (kind === 'linear') ticks = niceTicks(norm.vmin, norm.vmax, 5);
  else ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => valueAtT(norm, t));
  const cStep = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  out.push('<g class="colorbar-ticks">');
  for (const v of ticks) {
    const Y = by + bh * (1 - normalize(norm, v));
    const label = kind === 'linear' ? formatFigureTick(v, cStep) : formatFigureTick(v, Math.abs(v) / 10 || 1);
    out.push(`<line x1="${bx + bw}" y1="${num(Y, 2)}" x2="${bx + bw + 4}" y2="${num(Y, 2)}" stroke="#000000"/>`);
    out.push(`<text x="${bx + bw + 7}" y="${num(Y + 4, 2)}">${label}</text>`);
  }
  out.push('</g>');
  const cbLabel = `${o.quantity ?? 'charge'} [${o.unit ?? 'p.e.'}]`;
  const lx = W - 10;
  const ly = top + ph / 2;
  out.push(`<text x="${lx}" y="${ly}" text-anchor="middle" transform="rotate(-90 ${lx} ${ly})">${esc(cbLabel)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
