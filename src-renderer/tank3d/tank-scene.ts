/**
 * The tank in three.js: every PMT is one instance of a single InstancedMesh
 * (a disc facing into the tank); a new event only rewrites the per-instance
 * colour and size attributes. Plus the tank outline, the true vertex and
 * direction as an arrow, and the expected Cherenkov ring on the wall.
 * Discs are drawn from their front (inside the tank), so from outside one sees
 * the far wall through the near one; "near wall" draws both sides.
 */
import * as THREE from 'three';
import type { TankCylinder } from '../../src-worker/tank/tank-frame.js';
import type { RingPoints } from '../../src-worker/tank/cherenkov-ring.js';
import { fromAxial } from '../../src-worker/tank/tank-frame.js';
import { GpuPicker, PICK_ENCODE_GLSL } from '../three/gpu-picker.js';
import { CM_TO_SCENE, pmtSpacing, sceneFromDetector } from './tank-scene-math.js';
import type { PmtGeometry } from '../../src-worker/containers/pmt-geometry.js';

const VERTEX = /* glsl */ `
attribute vec3 aColor;
attribute float aScale;
varying vec3 vColor;
varying float vId;
void main() {
  vColor = aColor;
  vId = float(gl_InstanceID);
  gl_Position = projectionMatrix * modelViewMatrix * instanceMatrix * vec4(position * aScale, 1.0);
}`;

const FRAGMENT = /* glsl */ `
varying vec3 vColor;
void main() { gl_FragColor = vec4(vColor, 1.0); }`;

const PICK_FRAGMENT = /* glsl */ `
varying float vId;
${PICK_ENCODE_GLSL}
void main() { gl_FragColor = lpEncodeId(int(vId + 0.5)); }`;

export class TankScene {
  readonly group = new THREE.Group();
  readonly mesh: THREE.InstancedMesh;
  private readonly colorAttr: THREE.InstancedBufferAttribute;
  private readonly scaleAttr: THREE.InstancedBufferAttribute;
  private readonly material: THREE.ShaderMaterial;
  private readonly pickMaterial: THREE.ShaderMaterial;
  private readonly pickMesh: THREE.InstancedMesh;
  private readonly track = new THREE.Group();
  private readonly ring: THREE.LineSegments;
  readonly extent: number;

  constructor(
    readonly geometry: PmtGeometry,
    readonly tank: TankCylinder,
    colors: Float32Array,
    scales: Float32Array,
  ) {
    const n = geometry.nPmts;
    const height = tank.hTop - tank.hBottom;
    const radiusCm = 0.3 * pmtSpacing(n, tank.radius, height);
    const disc = new THREE.CircleGeometry(radiusCm * CM_TO_SCENE, 10);
    this.colorAttr = new THREE.InstancedBufferAttribute(colors, 3);
    this.scaleAttr = new THREE.InstancedBufferAttribute(scales, 1);
    this.colorAttr.setUsage(THREE.DynamicDrawUsage);
    this.scaleAttr.setUsage(THREE.DynamicDrawUsage);
    disc.setAttribute('aColor', this.colorAttr);
    disc.setAttribute('aScale', this.scaleAttr);
    this.material = new THREE.ShaderMaterial({ vertexShader: VERTEX, fragmentShader: FRAGMENT, side: THREE.FrontSide });
    this.pickMaterial = new THREE.ShaderMaterial({ vertexShader: VERTEX, fragmentShader: PICK_FRAGMENT, side: THREE.FrontSide });
    this.mesh = new THREE.InstancedMesh(disc, this.material, n);
    this.mesh.frustumCulled = false;
    const m = new THREE.Matrix4();
    const q = new THREE.Quaternion();
    const zAxis = new THREE.Vector3(0, 0, 1);
    const dir = new THREE.Vector3();
    const pos = new THREE.Vector3();
    const one = new THREE.Vector3(1, 1, 1);
    const axis = geometry.axis;
    for (let i = 0; i < n; i++) {
      pos.set(...sceneFromDetector(axis, geometry.x[i], geometry.y[i], geometry.z[i]));
      dir.set(...sceneFromDetector(axis, geometry.dirX[i], geometry.dirY[i], geometry.dirZ[i])).normalize();
      q.setFromUnitVectors(zAxis, dir);
      m.compose(pos, q, one);
      this.mesh.setMatrixAt(i, m);
    }
    this.mesh.instanceMatrix.needsUpdate = true;
    this.pickMesh = new THREE.InstancedMesh(disc, this.pickMaterial, n);
    this.pickMesh.instanceMatrix = this.mesh.instanceMatrix;
    this.pickMesh.frustumCulled = false;
    this.group.add(this.mesh, this.outline(), this.track);
    this.ring = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.85 }));
    this.ring.frustumCulled = false;
    this.group.add(this.ring);
    this.extent = Math.max(tank.radius, height / 2) * CM_TO_SCENE;
  }

  /** the tank edges: cap circles and a few barrel lines */
  private outline(): THREE.LineSegments {
    const t = this.tank;
    const pts: number[] = [];
    const segs = 96;
    const push = (h: number, phi: number) =>
      pts.push(...sceneFromDetector(t.axis, ...fromAxial(t.axis, h, t.radius * Math.cos(phi), t.radius * Math.sin(phi))));
    for (const h of [t.hTop, t.hBottom]) {
      for (let k = 0; k < segs; k++) {
        push(h, (2 * Math.PI * k) / segs);
        push(h, (2 * Math.PI * (k + 1)) / segs);
      }
    }
    for (let k = 0; k < 8; k++) {
      const phi = (2 * Math.PI * k) / 8;
      push(t.hTop, phi);
      push(t.hBottom, phi);
    }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute(pts, 3));
    return new THREE.LineSegments(g, new THREE.LineBasicMaterial({ color: 0x3a4656 }));
  }

  /** the colour and size buffers were changed in place: upload them */
  markStyleChanged(): void {
    this.colorAttr.needsUpdate = true;
    this.scaleAttr.needsUpdate = true;
  }

  setNearWall(visible: boolean): void {
    const side = visible ? THREE.DoubleSide : THREE.FrontSide;
    this.material.side = side;
    this.pickMaterial.side = side;
    this.material.needsUpdate = true;
    this.pickMaterial.needsUpdate = true;
  }

  /** Vertex (cm) and direction (unit) of the true track, with its ring; null hides them. */
  setTrack(vertex: number[] | null, direction: number[] | null, ring: RingPoints | null): void {
    for (const c of [...this.track.children]) {
      this.track.remove(c);
      if (c instanceof THREE.ArrowHelper) c.dispose();
      else if (c instanceof THREE.Mesh) {
        c.geometry.dispose();
        (c.material as THREE.Material).dispose();
      }
    }
    const axis = this.tank.axis;
    if (vertex) {
      const origin = new THREE.Vector3(...sceneFromDetector(axis, vertex[0], vertex[1], vertex[2]));
      const dot = new THREE.Mesh(new THREE.SphereGeometry((0.06 * this.extent) / 5, 16, 12), new THREE.MeshBasicMaterial({ color: 0xff5252 }));
      dot.position.copy(origin);
      this.track.add(dot);
      if (direction) {
        const d = new THREE.Vector3(...sceneFromDetector(axis, direction[0], direction[1], direction[2])).normalize();
        const len = this.tank.radius * CM_TO_SCENE * 0.6;
        this.track.add(new THREE.ArrowHelper(d, origin, len, 0xff5252, len * 0.22, len * 0.1));
      }
    }
    const pos: number[] = [];
    if (ring) {
      const n = ring.region.length;
      for (let k = 0; k < n; k++) {
        const k2 = (k + 1) % n;
        if (ring.region[k] === 255 || ring.region[k2] === 255) continue;
        const p = ring.points;
        pos.push(...sceneFromDetector(axis, p[3 * k], p[3 * k + 1], p[3 * k + 2]), ...sceneFromDetector(axis, p[3 * k2], p[3 * k2 + 1], p[3 * k2 + 2]));
      }
    }
    this.ring.geometry.dispose();
    this.ring.geometry = new THREE.BufferGeometry();
    this.ring.geometry.setAttribute('position', new THREE.Float32BufferAttribute(pos, 3));
  }

  setRingVisible(visible: boolean): void {
    this.ring.visible = visible;
    this.track.visible = visible;
  }

  attachPicker(picker: GpuPicker): void {
    picker.scene.add(this.pickMesh);
  }

  detachPicker(picker: GpuPicker): void {
    picker.scene.remove(this.pickMesh);
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.material.dispose();
    this.pickMaterial.dispose();
    this.ring.geometry.dispose();
  }
}
