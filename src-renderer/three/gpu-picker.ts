/**
 * GPU picking: the pickable things are drawn once more — in a pick scene of
 * their own that shares their geometry, with a material that writes the
 * instance or vertex number + 1 as a colour — into a 1×1 render target
 * a small render target centred on the pointer (camera.setViewOffset). The
 * nearest drawn pixel to the centre gives the index under the pointer, so
 * small targets (a 3-inch PMT seen from afar, a point) are easy to hover:
 * one extra draw call per hover, whatever the number of instances or points.
 */
import * as THREE from 'three';

/** GLSL (ES 3.00): encodes an index + 1 into RGB (24 bits); 0 = nothing. */
export const PICK_ENCODE_GLSL = `
vec4 lpEncodeId(int id) {
  int v = id + 1;
  return vec4(float(v & 255) / 255.0, float((v >> 8) & 255) / 255.0, float((v >> 16) & 255) / 255.0, 1.0);
}`;

export class GpuPicker {
  readonly scene = new THREE.Scene();
  private readonly target: THREE.WebGLRenderTarget;
  private readonly pixels: Uint8Array;

  /** `radius`: device pixels around the pointer that still count as under it */
  constructor(
    private readonly renderer: THREE.WebGLRenderer,
    private readonly radius = 4,
  ) {
    const n = 2 * radius + 1;
    this.target = new THREE.WebGLRenderTarget(n, n, { type: THREE.UnsignedByteType, format: THREE.RGBAFormat });
    this.pixels = new Uint8Array(n * n * 4);
    this.scene.background = new THREE.Color(0x000000);
  }

  /** The index drawn at (or nearest to) drawing-buffer pixel (px, py, from the top left), or -1. */
  pick(camera: THREE.PerspectiveCamera | THREE.OrthographicCamera, px: number, py: number): number {
    const size = this.renderer.getDrawingBufferSize(new THREE.Vector2());
    if (px < 0 || py < 0 || px >= size.x || py >= size.y) return -1;
    const r = this.radius;
    const n = 2 * r + 1;
    camera.setViewOffset(size.x, size.y, px - r, py - r, n, n);
    const previous = this.renderer.getRenderTarget();
    try {
      this.renderer.setRenderTarget(this.target);
      this.renderer.render(this.scene, camera);
      this.renderer.readRenderTargetPixels(this.target, 0, 0, n, n, this.pixels);
    } finally {
      this.renderer.setRenderTarget(previous);
      camera.clearViewOffset();
    }
    let best = -1;
    let bestD = Infinity;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const o = 4 * (y * n + x);
        const id = (this.pixels[o] | (this.pixels[o + 1] << 8) | (this.pixels[o + 2] << 16)) - 1;
        if (id < 0) continue;
        const d = (x - r) * (x - r) + (y - r) * (y - r);
        if (d < bestD) {
          bestD = d;
          best = id;
        }
      }
    }
    return best;
  }

  dispose(): void {
    this.target.dispose();
  }
}
