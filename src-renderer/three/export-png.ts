/**
 * PNG export of a 3D view at a chosen scale: the scene is rendered into an
 * offscreen target `scale` times the on-screen size (capped by the GPU's
 * limits), read back, flipped, and composed with the view's overlays (title,
 * colour bar) on a 2D canvas; the screen's own canvas is left untouched.
 */
import * as THREE from 'three';

export interface PngOverlay {
  /** drawn at (x, y) CSS px of the view, scaled with the figure */
  canvas: HTMLCanvasElement;
  x: number;
  y: number;
  /** CSS size the overlay occupies on screen */
  width: number;
  height: number;
}

export interface ExportOptions {
  scale: number;
  title?: string;
  overlays?: PngOverlay[];
  /** called with the scale factor before and after the offscreen render (e.g. to scale point sizes) */
  onScale?: (factor: number) => void;
}

/** Renders `scene` through `camera` at `scale` × the CSS size into a PNG canvas. */
export function renderToCanvas(
  renderer: THREE.WebGLRenderer,
  scene: THREE.Scene,
  camera: THREE.PerspectiveCamera,
  cssWidth: number,
  cssHeight: number,
  options: ExportOptions,
): HTMLCanvasElement {
  const gl = renderer.getContext();
  const maxSize = Math.min(gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number, gl.getParameter(gl.MAX_TEXTURE_SIZE) as number);
  const scale = Math.max(0.25, Math.min(options.scale, maxSize / cssWidth, maxSize / cssHeight));
  const w = Math.max(1, Math.round(cssWidth * scale));
  const h = Math.max(1, Math.round(cssHeight * scale));
  const target = new THREE.WebGLRenderTarget(w, h, { type: THREE.UnsignedByteType, format: THREE.RGBAFormat, samples: 4 });
  const pixels = new Uint8Array(w * h * 4);
  const previous = renderer.getRenderTarget();
  options.onScale?.(scale / renderer.getPixelRatio());
  try {
    renderer.setRenderTarget(target);
    renderer.render(scene, camera);
    renderer.readRenderTargetPixels(target, 0, 0, w, h, pixels);
  } finally {
    renderer.setRenderTarget(previous);
    options.onScale?.(1);
    target.dispose();
  }
  const out = document.createElement('canvas');
  out.width = w;
  out.height = h;
  const ctx = out.getContext('2d')!;
  const image = ctx.createImageData(w, h);
  const row = w * 4;
  for (let y = 0; y < h; y++) image.data.set(pixels.subarray((h - 1 - y) * row, (h - y) * row), y * row);
  ctx.putImageData(image, 0, 0);
  for (const o of options.overlays ?? []) ctx.drawImage(o.canvas, o.x * scale, o.y * scale, o.width * scale, o.height * scale);
  if (options.title) {
    ctx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
    ctx.fillStyle = '#dfe6f3';
    ctx.textBaseline = 'top';
    ctx.fillText(options.title, 8 * scale, 8 * scale);
  }
  return out;
}

/** Saves a canvas as a PNG download named `name`. */
export async function downloadCanvasPng(canvas: HTMLCanvasElement, name: string): Promise<Blob> {
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
  );
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob;
}
