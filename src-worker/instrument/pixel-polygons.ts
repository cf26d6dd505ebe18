/**
 * Pixel outlines as ctapipe 0.26's CameraDisplay draws them (matplotlib
 * RegularPolygon): hexagon radius w/√3 with w = 2·sqrt(area/(2√3)), oriented
 * by pix_rotation; square radius w/√2 with w = sqrt(area), oriented by
 * pix_rotation + 45°. An unrotated matplotlib regular polygon has a vertex
 * pointing to +y; `orientation` turns it counter-clockwise. The camera
 * rotation turns the whole camera (positions and polygons).
 *
 * Pure and dependency-free: used by the renderer, the SVG exporter and tests.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';

type PolygonGeometry = Pick<CameraGeometry, 'nPixels' | 'pixX' | 'pixY' | 'pixArea' | 'pixType' | 'pixRotation' | 'camRotation'>;

export interface PixelPolygons {
  /** vertices per pixel (6 or 4) */
  nVertices: number;
  /** vertex coordinates, m: [x0, y0, x1, y1, ...] per pixel, pixel-major */
  vertices: Float64Array;
  /** pixel centres after the camera rotation, m */
  centerX: Float64Array;
  centerY: Float64Array;
}

const DEG = Math.PI / 180;

/** Circumradius of one pixel's polygon, m. */
export function pixelRadius(pixType: CameraGeometry['pixType'], area: number): number {
  if (pixType === 'hexagon') {
    const w = 2 * Math.sqrt(area / (2 * Math.sqrt(3)));
    return w / Math.sqrt(3);
  }
  return Math.sqrt(area) / Math.SQRT2;
}

export function pixelPolygons(geometry: PolygonGeometry): PixelPolygons {
  const nVertices = geometry.pixType === 'hexagon' ? 6 : 4;
  const orientation = (geometry.pixRotation + (geometry.pixType === 'square' ? 45 : 0) + geometry.camRotation) * DEG;
  const camRot = geometry.camRotation * DEG;
  const cr = Math.cos(camRot);
  const sr = Math.sin(camRot);
  const n = geometry.nPixels;
  const vertices = new Float64Array(n * nVertices * 2);
  const centerX = new Float64Array(n);
  const centerY = new Float64Array(n);
  // unit vertex directions, shared by all pixels
  const ux = new Float64Array(nVertices);
  const uy = new Float64Array(nVertices);
  for (let k = 0; k < nVertices; k++) {
    const a = Math.PI / 2 + orientation + (2 * Math.PI * k) / nVertices;
    ux[k] = Math.cos(a);
    uy[k] = Math.sin(a);
  }
  for (let i = 0; i < n; i++) {
    const cx = geometry.pixX[i] * cr - geometry.pixY[i] * sr;
    const cy = geometry.pixX[i] * sr + geometry.pixY[i] * cr;
    centerX[i] = cx;
    centerY[i] = cy;
    const r = pixelRadius(geometry.pixType, geometry.pixArea[i]);
    const base = i * nVertices * 2;
    for (let k = 0; k < nVertices; k++) {
      vertices[base + 2 * k] = cx + r * ux[k];
      vertices[base + 2 * k + 1] = cy + r * uy[k];
    }
  }
  return { nVertices, vertices, centerX, centerY };
}

/** Bounding box of all polygons, m. */
export function polygonBounds(p: PixelPolygons): { xMin: number; xMax: number; yMin: number; yMax: number } {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < p.vertices.length; i += 2) {
    const x = p.vertices[i];
    const y = p.vertices[i + 1];
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  return { xMin, xMax, yMin, yMax };
}
