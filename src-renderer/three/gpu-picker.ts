/**
 * GPU picking: the pickable things are drawn once more — in a pick scene of
 * their own that shares their geometry, with a material that writes the
 * instance or vertex number + 1 as a colour — into a 1×1 render target
 * centred on the pointer (camera.setViewOffset). The pixel read back is the
 * index under the pointer: one extra draw call per hover, whatever the number
 * of instances or points.
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
  private readonly target = new THREE.WebGLRenderTarget(1, 1, { type: THREE.UnsignedByteType, format: THREE.RGBAFormat });
  private readonly pixel = new Uint8Array(4);

  constructor(private readonly renderer: THREE.WebGLRenderer) {
    this.scene.background = new THREE.Color(0x000000);
  }

  /** The index drawn at drawing-buffer pixel (px, py, from the top left), or -1. */
  pick(camera: THREE.PerspectiveCamera | THREE.OrthographicCamera, px: number, py: number): number {
    const size = this.renderer.getDrawingBufferSize(new THREE.Vector2());
    if (px < 0 || py < 0 || px >= size.x || py >= size.y) return -1;
    camera.setViewOffset(size.x, size.y, px, py, 1, 1);
    const previous = this.renderer.getRenderTarget();
    try {
      this.renderer.setRenderTarget(this.target);
      this.renderer.render(this.scene, camera);
      this.renderer.readRenderTargetPixels(this.target, 0, 0, 1, 1, this.pixel);
    } finally {
      this.renderer.setRenderTarget(previous);
      camera.clearViewOffset();
    }
    return (this.pixel[0] | (this.pixel[1] << 8) | (this.pixel[2] << 16)) - 1;
  }

  dispose(): void {
    this.target.dispose();
  }
}
