/** Camera-view overlays beyond the Hillas ellipse: timing-gradient direction and the selected pixel. */
import type { HillasEllipse } from '../../src-main/api/event-types.js';
import { toScreen, type ViewTransform } from './camera-raster.js';

/**
 * ctapipe timing_parameters: peak time = intercept + slope · l, with l the
 * coordinate along the Hillas major axis (psi) from the centroid; slope in
 * ns/m (camera frame) and intercept in ns.
 */
export interface TimingGradient {
  slope: number;
  intercept?: number;
}

/** An arrow from the centroid along the major axis, pointing to later times; its length grows with |slope|. */
export function drawTimingGradient(ctx: CanvasRenderingContext2D, t: ViewTransform, h: HillasEllipse, timing: TimingGradient, dpr: number): void {
  if (!Number.isFinite(timing.slope) || timing.slope === 0) return;
  const [cx, cy] = toScreen(t, h.x, h.y);
  const psi = (h.psi * Math.PI) / 180;
  const dir = Math.sign(timing.slope);
  // 2 lengths of the ellipse, at least 25 px
  const len = Math.max(25 * dpr, 2 * h.length * t.scale);
  const ux = Math.cos(psi) * dir;
  const uy = -Math.sin(psi) * dir; // screen y down
  const ex = cx + ux * len;
  const ey = cy + uy * len;
  ctx.save();
  ctx.strokeStyle = '#ffb000';
  ctx.fillStyle = '#ffb000';
  ctx.lineWidth = 2 * dpr;
  ctx.shadowColor = 'rgba(0,0,0,0.8)';
  ctx.shadowBlur = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(cx, cy);
  ctx.lineTo(ex, ey);
  ctx.stroke();
  const head = 9 * dpr;
  ctx.beginPath();
  ctx.moveTo(ex, ey);
  ctx.lineTo(ex - ux * head - uy * head * 0.5, ey - uy * head + ux * head * 0.5);
  ctx.lineTo(ex - ux * head + uy * head * 0.5, ey - uy * head - ux * head * 0.5);
  ctx.closePath();
  ctx.fill();
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.fillText(`${Math.abs(timing.slope).toFixed(1)} ns/m`, ex + 4 * dpr, ey - 4 * dpr);
  ctx.restore();
}

/** A bright double outline around one pixel. */
export function drawPixelHighlight(
  ctx: CanvasRenderingContext2D,
  t: ViewTransform,
  vertices: Float64Array,
  nVertices: number,
  pixel: number,
  dpr: number,
  color = '#00e5ff',
): void {
  const base = pixel * nVertices * 2;
  ctx.save();
  ctx.beginPath();
  for (let k = 0; k < nVertices; k++) {
    const [x, y] = toScreen(t, vertices[base + 2 * k], vertices[base + 2 * k + 1]);
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
  ctx.lineWidth = 3 * dpr;
  ctx.strokeStyle = '#000000';
  ctx.stroke();
  ctx.lineWidth = 1.5 * dpr;
  ctx.strokeStyle = color;
  ctx.stroke();
  ctx.restore();
}
