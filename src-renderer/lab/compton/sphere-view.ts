/**
 * The 4π image on a sphere (three.js): the same colour-mapped raster as the
 * flat figure wrapped as an equirectangular texture — rows polar 0..180°
 * from the top, columns azimuth −180..180° — with the maximum's direction
 * marked and the axes drawn: up (green) is polar 0°, red azimuth 0° and
 * blue azimuth −90° (physics' x, z, −y as three.js' x, y, z, so the frame
 * stays right-handed). Drag to turn it; PNG export with title and colour
 * bar. The flat view keeps hover values and SVG export.
 */
import * as THREE from 'three';
import { ThreeStage } from '../../three/three-stage.js';
import { renderToCanvas } from '../../three/export-png.js';
import { drawColorBar } from '../../camera/color-bar.js';
import { colormapLut } from '../../colormap/colormaps.js';
import type { ImageFigureContent } from '../figure/image-figure-canvas.js';

/** Direction of (polar, azimuth) in degrees in the sphere's three.js frame. */
export function sphereDirection(polarDeg: number, azimuthDeg: number): [number, number, number] {
  const t = (polarDeg * Math.PI) / 180;
  const a = (azimuthDeg * Math.PI) / 180;
  return [Math.sin(t) * Math.cos(a), Math.cos(t), -Math.sin(t) * Math.sin(a)];
}

export class SphereView {
  readonly element: HTMLElement;
  private readonly stage: ThreeStage;
  private readonly texture: THREE.CanvasTexture;
  private readonly marker: THREE.Mesh;
  private readonly bar = document.createElement('canvas');
  private title = '';

  constructor(raster: HTMLCanvasElement) {
    this.element = document.createElement('div');
    this.element.className = 'cp-sphere';
    this.stage = new ThreeStage(this.element, { fov: 35 });
    this.texture = new THREE.CanvasTexture(raster);
    this.texture.magFilter = THREE.NearestFilter;
    this.texture.minFilter = THREE.LinearFilter;
    this.texture.generateMipmaps = false;
    const sphere = new THREE.Mesh(new THREE.SphereGeometry(1, 180, 90), new THREE.MeshBasicMaterial({ map: this.texture }));
    this.marker = new THREE.Mesh(new THREE.SphereGeometry(0.025, 16, 8), new THREE.MeshBasicMaterial({ color: 0x00e5ff }));
    const axes = new THREE.AxesHelper(1.5);
    this.stage.scene.add(sphere, this.marker, axes);
    this.stage.applyPreset({ position: [3.3, 1.4, 1.5] });
    this.bar.className = 'cp-sphere-bar';
    this.bar.width = 120;
    this.bar.height = 240;
    this.element.append(this.bar);
  }

  /** Shows the figure's raster (already updated) and the maximum's direction. */
  update(c: ImageFigureContent, maxPolar: number, maxAzimuth: number): void {
    this.title = `${c.title} · polar axis up, azimuth 0° red`;
    this.texture.needsUpdate = true;
    this.marker.position.set(...(sphereDirection(maxPolar, maxAzimuth).map((v) => v * 1.02) as [number, number, number]));
    drawColorBar(this.bar, colormapLut(c.colormap), c.norm, c.unit, 1);
    this.stage.requestRender();
  }

  setVisible(visible: boolean): void {
    this.element.hidden = !visible;
    this.stage.setVisible(visible);
  }

  async exportPng(): Promise<Blob> {
    const { width, height } = this.stage.size;
    const bar = this.bar.getBoundingClientRect();
    const host = this.element.getBoundingClientRect();
    const canvas = renderToCanvas(this.stage.renderer, this.stage.scene, this.stage.camera, width, height, {
      scale: 2,
      title: this.title,
      overlays: [{ canvas: this.bar, x: bar.left - host.left, y: bar.top - host.top, width: bar.width, height: bar.height }],
    });
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }
}
