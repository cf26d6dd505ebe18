/** Stepping from a camera pixel to its neighbour in a direction (the waveform view's arrow keys). Pure. */

/**
 * The neighbour of `from` that lies most nearly in direction (dx, dy) (camera
 * frame: +x right, +y up), among the pixels within 1.6 × the distance to the
 * nearest one (hexagonal and square neighbours, square diagonals); -1 when
 * no neighbour lies within 60° of that direction.
 */
export function neighbourInDirection(pixX: ArrayLike<number>, pixY: ArrayLike<number>, from: number, dx: number, dy: number): number {
  const n = pixX.length;
  if (!(from >= 0 && from < n)) return -1;
  const x0 = pixX[from];
  const y0 = pixY[from];
  let nearest = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === from) continue;
    const d = Math.hypot(pixX[i] - x0, pixY[i] - y0);
    if (d > 0 && d < nearest) nearest = d;
  }
  if (!Number.isFinite(nearest)) return -1;
  const norm = Math.hypot(dx, dy) || 1;
  let best = -1;
  let bestCos = 0.5;
  let bestDist = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === from) continue;
    const ex = pixX[i] - x0;
    const ey = pixY[i] - y0;
    const d = Math.hypot(ex, ey);
    if (!(d > 0) || d > 1.6 * nearest) continue;
    const cos = (ex * dx + ey * dy) / (d * norm);
    if (cos > bestCos + 1e-9 || (Math.abs(cos - bestCos) <= 1e-9 && d < bestDist)) {
      best = i;
      bestCos = cos;
      bestDist = d;
    }
  }
  return best;
}
