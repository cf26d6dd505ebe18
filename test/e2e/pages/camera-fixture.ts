/**
 * A stand-alone page for e2e screenshots and the rendering benchmark: camera
 * views of any shipped geometry, fed from the test through `window.lpCamera`,
 * without the backend. Bundled by build-camera-fixture.ts.
 */
import { CameraView, defaultCameraViewSettings, type CameraImage, type CameraViewSettings } from '../../../src-renderer/camera/camera-view.js';
import { cameraGeometryFromJson, type CameraGeometryJson } from '../../../src-worker/instrument/camera-geometry-json.js';
import type { HillasEllipse } from '../../../src-main/api/event-types.js';

export interface FixtureImage {
  image: number[];
  peakTime?: number[];
  mask?: number[];
  hillas?: HillasEllipse;
  timing?: { slope: number; intercept?: number };
}

export interface BenchResult {
  views: number;
  pixelsPerView: number;
  frames: number;
  seconds: number;
  /** frames per second of the requestAnimationFrame loop that set a new image in every view each frame */
  fps: number;
  /** time spent in setImage for all views per frame, ms */
  meanUpdateMs: number;
  p95UpdateMs: number;
}

const views: CameraView[] = [];

function grid(): HTMLElement {
  return document.getElementById('grid')!;
}

/** A shower-like test image: noise plus a Gaussian blob at a random place, seeded. */
function syntheticImage(x: Float64Array, y: Float64Array, seed: number): Float32Array {
  let s = (seed * 2654435761) >>> 0;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
  let rMax = 0;
  for (let i = 0; i < x.length; i++) rMax = Math.max(rMax, Math.hypot(x[i], y[i]));
  const cx = (rnd() - 0.5) * rMax;
  const cy = (rnd() - 0.5) * rMax;
  const psi = rnd() * Math.PI;
  const l = 0.15 * rMax;
  const w = 0.04 * rMax;
  const amp = 50 + 200 * rnd();
  const c = Math.cos(psi);
  const sn = Math.sin(psi);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - cx;
    const dy = y[i] - cy;
    const a = (dx * c + dy * sn) / l;
    const b = (-dx * sn + dy * c) / w;
    out[i] = amp * Math.exp(-0.5 * (a * a + b * b)) + (rnd() - 0.3) * 3;
  }
  return out;
}

const api = {
  mount(geometries: CameraGeometryJson[], opts: { columns?: number; settings?: Partial<CameraViewSettings>; titles?: string[] } = {}): number {
    for (const v of views) v.dispose();
    views.length = 0;
    grid().style.gridTemplateColumns = `repeat(${opts.columns ?? geometries.length}, max-content)`;
    geometries.forEach((json, i) => {
      const g = cameraGeometryFromJson(json);
      const view = new CameraView(g, opts.titles?.[i] ?? g.name, { ...defaultCameraViewSettings, ...opts.settings });
      view.element.dataset.index = String(i);
      grid().append(view.element);
      views.push(view);
    });
    return views.length;
  },
  setImage(i: number, img: FixtureImage): void {
    const n = img.image.length;
    const ci: CameraImage = {
      image: Float32Array.from(img.image),
      peakTime: img.peakTime ? Float32Array.from(img.peakTime) : undefined,
      mask: img.mask ? Uint8Array.from(img.mask) : undefined,
      hillas: img.hillas,
      timing: img.timing,
    };
    if (ci.peakTime && ci.peakTime.length !== n) throw new Error('peak time length');
    views[i].setImage(ci);
  },
  view(i: number): CameraView {
    return views[i];
  },
  /** pixel centre of camera pixel `pixel` of view `i`, in page CSS px */
  pixelCenterPage(i: number, pixel: number): [number, number] {
    const v = views[i];
    const rect = v.element.querySelector('canvas.camera-overlay')!.getBoundingClientRect();
    const [x, y] = v.pixelCenterCss(pixel);
    return [rect.left + x, rect.top + y];
  },
  /** New image in every view each animation frame, for `seconds`. */
  bench(seconds: number, poolSize = 16): Promise<BenchResult> {
    const pools = views.map((v, k) => Array.from({ length: poolSize }, (_, j) => syntheticImage(v.geometry.pixX, v.geometry.pixY, 1 + j + k * poolSize)));
    const updates: number[] = [];
    return new Promise((resolve) => {
      let frames = 0;
      let t0 = 0;
      const tick = (now: number) => {
        if (t0 === 0) t0 = now;
        const a = performance.now();
        for (let k = 0; k < views.length; k++) views[k].setImage({ image: pools[k][frames % poolSize] });
        updates.push(performance.now() - a);
        frames++;
        if (now - t0 < seconds * 1000) requestAnimationFrame(tick);
        else {
          const secs = (now - t0) / 1000;
          const sorted = [...updates].sort((x, y) => x - y);
          resolve({
            views: views.length,
            pixelsPerView: views[0]?.geometry.nPixels ?? 0,
            frames: frames - 1,
            seconds: secs,
            fps: (frames - 1) / secs,
            meanUpdateMs: updates.reduce((x, y) => x + y, 0) / updates.length,
            p95UpdateMs: sorted[Math.floor(0.95 * (sorted.length - 1))],
          });
        }
      };
      requestAnimationFrame(tick);
    });
  },
};

declare global {
  interface Window {
    lpCamera: typeof api;
  }
}
window.lpCamera = api;
document.body.dataset.ready = '1';
