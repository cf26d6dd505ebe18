/**
 * A three.js viewport that draws on demand: one WebGLRenderer on a canvas
 * that follows its container's size, a perspective camera with OrbitControls,
 * and a render only when something changed (controls, data, resize) — never
 * a continuous loop, and nothing while the tab is hidden.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

// Data colours are given as they should appear: no colour-space conversion on
// screen or in offscreen targets (so PNG export and picking see the same values).
THREE.ColorManagement.enabled = false;

export interface ViewPreset {
  /** camera position relative to the target, scene units */
  position: [number, number, number];
  target?: [number, number, number];
  /** camera up vector (default +y) */
  up?: [number, number, number];
}

export class ThreeStage {
  readonly canvas: HTMLCanvasElement;
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  private frameRequested = false;
  private visible = true;
  private readonly resizeObserver: ResizeObserver;
  /** called before each render (e.g. to update uniforms) */
  onBeforeRender: (() => void) | undefined;
  /** called after each render */
  onAfterRender: (() => void) | undefined;
  /** time of the last render call, ms */
  lastRenderMs = 0;
  renders = 0;

  constructor(
    readonly container: HTMLElement,
    options: { fov?: number; near?: number; far?: number; background?: number; antialias?: boolean } = {},
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'three-canvas';
    container.append(this.canvas);
    this.renderer = new THREE.WebGLRenderer({ canvas: this.canvas, antialias: options.antialias ?? true, preserveDrawingBuffer: false });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
    this.scene.background = new THREE.Color(options.background ?? 0x10141a);
    this.camera = new THREE.PerspectiveCamera(options.fov ?? 40, 1, options.near ?? 0.05, options.far ?? 1e5);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
  }

  /** Size of the drawing area in CSS px. */
  get size(): { width: number; height: number } {
    // the padding box (inside any border), where the canvas is placed
    return { width: Math.max(1, this.container.clientWidth), height: Math.max(1, this.container.clientHeight) };
  }

  resize(): void {
    const { width, height } = this.size;
    const current = this.renderer.getSize(new THREE.Vector2());
    if (current.x !== width || current.y !== height) {
      this.renderer.setSize(width, height, false);
      this.camera.aspect = width / height;
      this.camera.updateProjectionMatrix();
    }
    this.requestRender();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.resize();
  }

  requestRender(): void {
    if (this.frameRequested || !this.visible) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.renderNow();
    });
  }

  renderNow(): void {
    const t0 = performance.now();
    this.onBeforeRender?.();
    this.renderer.render(this.scene, this.camera);
    this.lastRenderMs = performance.now() - t0;
    this.renders++;
    // for tests and benchmarks: how many frames, and the last one's script time
    this.container.dataset.renders = String(this.renders);
    this.container.dataset.renderMs = this.lastRenderMs.toFixed(2);
    this.container.dataset.geometries = String(this.renderer.info.memory.geometries);
    this.onAfterRender?.();
  }

  /** Moves the camera to a preset around the target, at `distance` scene units. */
  applyPreset(p: ViewPreset): void {
    const target = new THREE.Vector3(...(p.target ?? [0, 0, 0]));
    this.camera.up.set(...(p.up ?? [0, 1, 0]));
    this.camera.position.copy(target).add(new THREE.Vector3(...p.position));
    this.controls.target.copy(target);
    this.camera.lookAt(target);
    this.controls.update();
    this.requestRender();
  }

  /** Pointer position in normalised device coordinates and in drawing-buffer pixels. */
  pointer(e: MouseEvent): { ndc: THREE.Vector2; px: number; py: number; cssX: number; cssY: number } {
    const r = this.canvas.getBoundingClientRect();
    const cssX = e.clientX - r.left;
    const cssY = e.clientY - r.top;
    const dpr = this.renderer.getPixelRatio();
    return {
      ndc: new THREE.Vector2((cssX / r.width) * 2 - 1, -(cssY / r.height) * 2 + 1),
      px: Math.floor(cssX * dpr),
      py: Math.floor(cssY * dpr),
      cssX,
      cssY,
    };
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.renderer.dispose();
  }
}

/** Removes every child of `group`, freeing geometries, materials and their textures. */
export function clearGroup(group: THREE.Object3D): void {
  for (const o of [...group.children]) {
    o.traverse((c) => {
      const m = c as THREE.Mesh;
      m.geometry?.dispose();
      const mats = Array.isArray(m.material) ? m.material : m.material ? [m.material] : [];
      for (const mat of mats) {
        (mat as THREE.Material & { map?: THREE.Texture | null }).map?.dispose();
        mat.dispose();
      }
    });
  }
  group.clear();
}
