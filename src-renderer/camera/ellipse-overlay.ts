/** Draws a Hillas ellipse (1σ and 2σ), its major axis and centroid on a 2D canvas. */
import type { HillasEllipse } from '../../src-main/api/event-types.js';
import { toScreen, type ViewTransform } from './camera-raster.js';

export function drawHillasEllipse(ctx: CanvasRenderingContext2D, t: ViewTransform, h: HillasEllipse, dpr: number): void {
  const [cx, cy] = toScreen(t, h.x, h.y);
  const psi = (h.psi * Math.PI) / 180;
  const a = h.length * t.scale;
  const b = h.width * t.scale;
  ctx.save();
  ctx.lineWidth = 1.5 * dpr;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.95)';
  ctx.shadowColor = 'rgba(0,0,0,0.8)';
  ctx.shadowBlur = 2 * dpr;
  for (const nSigma of [1, 2]) {
    ctx.setLineDash(nSigma === 1 ? [] : [5 * dpr, 4 * dpr]);
    ctx.beginPath();
    // screen y points down, so the angle is mirrored
    ctx.ellipse(cx, cy, nSigma * a, nSigma * b, -psi, 0, 2 * Math.PI);
    ctx.stroke();
  }
  // major axis through the centroid, across 3 lengths either side
  ctx.setLineDash([2 * dpr, 3 * dpr]);
  ctx.beginPath();
  const ex = Math.cos(psi) * 3 * a;
  const ey = -Math.sin(psi) * 3 * a;
  ctx.moveTo(cx - ex, cy - ey);
  ctx.lineTo(cx + ex, cy + ey);
  ctx.stroke();
  ctx.setLineDash([]);
  const s = 5 * dpr;
  ctx.beginPath();
  ctx.moveTo(cx - s, cy);
  ctx.lineTo(cx + s, cy);
  ctx.moveTo(cx, cy - s);
  ctx.lineTo(cx, cy + s);
  ctx.stroke();
  ctx.restore();
}

/** Outlines the pixels of a cleaning mask. */
export function drawMaskOutline(
  ctx: CanvasRenderingContext2D,
  t: ViewTransform,
  vertices: Float64Array,
  nVertices: number,
  mask: Uint8Array,
  dpr: number,
): void {
  ctx.save();
  ctx.lineWidth = 1 * dpr;
  ctx.strokeStyle = 'rgba(255, 80, 80, 0.9)';
  ctx.beginPath();
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const base = i * nVertices * 2;
    for (let k = 0; k < nVertices; k++) {
      const [x, y] = toScreen(t, vertices[base + 2 * k], vertices[base + 2 * k + 1]);
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.closePath();
  }
  ctx.stroke();
  ctx.restore();
}
