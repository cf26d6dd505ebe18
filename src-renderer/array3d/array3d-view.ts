/**
 * The Array 3D tab: the ground with the telescopes at their positions
 * (ctapipe GroundFrame), triggered ones coloured by image intensity (log
 * scale, colour bar), the reconstructed shower axis and core, the true axis
 * and core for simulations, and the array pointing. The live 'array-event'
 * stream drives it by default; a DL1 file (opened here or anywhere) switches
 * it to the file's subarray and events (←/→, Home/End).
 */
import * as THREE from 'three';
import type { ApiClient } from '../api/api-client.js';
import type { TabView } from '../app/tabs.js';
import type { ArrayEvent, ShowerGeometry, TrueShower } from '../../src-main/api/event-types.js';
import type { SubarrayDescription } from '../../src-main/api/instrument-types.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';
import { clearGroup, ThreeStage } from '../three/three-stage.js';
import { downloadCanvasPng, renderToCanvas } from '../three/export-png.js';
import { colormapLut } from '../colormap/colormaps.js';
import { normalize, type FigureNorm } from '../../src-worker/figure/figure-colors.js';
import { drawColorBar } from '../camera/color-bar.js';
import { angularSeparationDeg, groundDirection, groundExtent, sceneFromGround, telescopeRadius } from './array-scene-math.js';
import { handleEventStepKey } from '../app/event-step-keys.js';
import { hoverPerFrame } from '../three/hover-per-frame.js';
import { html, setHtml } from '../dom/html.js';
import { UserEdits } from '../dom/user-edits.js';
import { countText } from '../format/numbers.js';

const IDLE_RGB: [number, number, number] = [0.3, 0.34, 0.4];
const RECO_COLOR = 0xff5252;
const TRUE_COLOR = 0x69f0ae;
const POINTING_COLOR = 0xffd740;

function intensityOf(t: ArrayEvent['telescopes'][number]): number {
  if (t.hillas && Number.isFinite(t.hillas.intensity)) return t.hillas.intensity;
  let s = 0;
  const img = t.image;
  const mask = t.mask;
  for (let i = 0; i < img.length; i++) if (!mask || mask[i]) s += img[i];
  return s;
}

export class Array3DView implements TabView {
  readonly element: HTMLElement;
  private readonly stage: ThreeStage;
  private readonly colorBar: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly info: HTMLElement;
  private readonly sourceSelect: HTMLSelectElement;
  /** the file path typed and not yet opened */
  private readonly pathEdits = new UserEdits();
  private subarray: SubarrayDescription | undefined;
  private liveSubarray: SubarrayDescription | undefined;
  private telescopes: THREE.InstancedMesh | undefined;
  private telIndex = new Map<number, number>();
  private readonly ground = new THREE.Group();
  private readonly overlays = new THREE.Group();
  private extent = 200;
  private file: FileOpenResult | undefined;
  private fileIndex = 0;
  private seq = 0;
  private mode: 'live' | 'file' = 'live';
  private pending: ArrayEvent | undefined;
  private frameRequested = false;
  private event: ArrayEvent | undefined;
  private intensities = new Map<number, number>();
  private norm: FigureNorm = { kind: 'log', vmin: 10, vmax: 1e4, linthresh: 1 };
  private readonly raycaster = new THREE.Raycaster();

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'array3d-view';
    setHtml(
      this.element,
      html`
      <div class="array3d-toolbar">
        <select class="array3d-source" title="what drives the view"><option value="live">live stream</option><option value="file" disabled>file</option></select>
        <input class="array3d-path needs-control" type="text" placeholder="ctapipe DL1 file (.h5) on the serving machine" spellcheck="false">
        <button class="array3d-open needs-control">Open</button>
        <span class="array3d-nav" hidden><button class="array3d-prev" title="previous event (←)">◀</button><span class="array3d-pos"></span><button class="array3d-next" title="next event (→)">▶</button></span>
        <span class="array3d-presets">view <button data-preset="iso">3/4</button><button data-preset="top">top</button><button data-preset="south">from south</button><button data-preset="axis">along axis</button></span>
        <select class="array3d-export-scale" title="PNG scale"><option value="1">1×</option><option value="2" selected>2×</option><option value="4">4×</option></select>
        <button class="array3d-export" title="save the view as PNG">PNG</button>
      </div>
      <div class="array3d-info">waiting for the subarray…</div>
      <div class="array3d-stage"><canvas class="array3d-colorbar"></canvas><div class="array3d-tooltip" hidden></div>
        <div class="array3d-legend"><span><i style="background:#ff5252"></i>reconstructed axis and core</span><span><i style="background:#69f0ae"></i>true axis and core</span><span><i style="background:#ffd740"></i>pointing</span><span><i style="background:rgb(77,87,102)"></i>not triggered</span></div></div>`,
    );
    const host = this.element.querySelector<HTMLElement>('.array3d-stage')!;
    this.stage = new ThreeStage(host, { near: 1, far: 1e5 });
    host.prepend(this.stage.canvas);
    this.stage.scene.add(this.ground, this.overlays);
    this.colorBar = this.element.querySelector('.array3d-colorbar')!;
    this.tooltip = this.element.querySelector('.array3d-tooltip')!;
    this.info = this.element.querySelector('.array3d-info')!;
    this.sourceSelect = this.element.querySelector('.array3d-source')!;
    this.wire();
    this.element.dataset.mode = this.mode;
    api.on('array-event', (e) => {
      if (this.mode === 'live') this.queue(e);
    });
    // A DL1 file opened elsewhere: the desktop window (one person's) shows it at once; in serve mode
    // the live display is not taken over — the file is offered in the source menu.
    api.on('file-opened', (f) => {
      if (!f.format.views.includes('array3d')) return;
      if (api.transport.kind === 'electron-ipc') void this.useFile(f);
      else this.offerFile(f);
    });
  }

  private wire(): void {
    const q = <T extends Element>(s: string) => this.element.querySelector<T>(s)!;
    const path = q<HTMLInputElement>('.array3d-path');
    this.pathEdits.watch(path);
    const open = () => {
      this.pathEdits.applied(path);
      const p = path.value.trim();
      if (p) void this.openPath(p);
    };
    q('.array3d-open').addEventListener('click', open);
    path.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') open();
    });
    this.sourceSelect.addEventListener('change', () => void this.setMode(this.sourceSelect.value as 'live' | 'file'));
    q('.array3d-prev').addEventListener('click', () => this.step(-1));
    q('.array3d-next').addEventListener('click', () => this.step(1));
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('[data-preset]')) b.addEventListener('click', () => this.preset(b.dataset.preset!));
    q('.array3d-export').addEventListener('click', () => {
      void this.exportPng(Number(q<HTMLSelectElement>('.array3d-export-scale').value)).catch((err: Error) => this.notify(`PNG export failed: ${err.message}`));
    });
    hoverPerFrame(
      this.stage.canvas,
      (e) => this.hover(e),
      () => (this.tooltip.hidden = true),
    );
  }

  /** Loads the live subarray (call once connected). */
  async load(): Promise<void> {
    this.liveSubarray = await this.api.request('instrument.subarray', {});
    if (this.mode === 'live') this.setSubarray(this.liveSubarray);
  }

  shown(): void {
    this.stage.setVisible(true);
    this.drawColorBar();
    if (this.mode === 'live' && this.pending) this.queue(this.pending);
  }

  hidden(): void {
    this.stage.setVisible(false);
  }

  onKey(e: KeyboardEvent): boolean {
    if (this.mode !== 'file') return false;
    return handleEventStepKey(e, { step: (d) => this.step(d), goTo: (i) => this.goTo(i), eventCount: this.file?.eventCount });
  }

  async openPath(path: string): Promise<void> {
    try {
      const f = await this.api.request('file.open', { path });
      if (!f.format.views.includes('array3d')) {
        this.notify(`${path} is a ${f.format.label} file: the Array 3D view shows ctapipe DL1 files`, 'warning');
        return;
      }
      await this.useFile(f);
    } catch (err) {
      this.notify(`Could not open ${path}: ${(err as Error).message}`);
    }
  }

  /** Shows a DL1 file's subarray and events (from event 0). */
  async useFile(f: FileOpenResult): Promise<void> {
    if (this.file?.fileId === f.fileId && this.mode === 'file') return;
    this.offerFile(f);
    await this.setMode('file');
  }

  /** Makes a DL1 file the one behind the "file" source, without leaving the live stream. */
  offerFile(f: FileOpenResult): void {
    if (this.file?.fileId !== f.fileId) this.fileIndex = 0;
    this.file = f;
    // a path being typed stays: a file opened elsewhere does not overwrite it
    this.pathEdits.put(this.element.querySelector<HTMLInputElement>('.array3d-path')!, f.path);
    const opt = this.sourceSelect.querySelector<HTMLOptionElement>('option[value="file"]')!;
    opt.disabled = false;
    opt.textContent = `file: ${f.path.split(/[\\/]/).pop()}`;
  }

  private async setMode(mode: 'live' | 'file'): Promise<void> {
    this.mode = mode;
    this.sourceSelect.value = mode;
    this.element.querySelector<HTMLElement>('.array3d-nav')!.hidden = mode !== 'file';
    this.element.dataset.mode = mode;
    try {
      if (mode === 'file' && this.file) {
        this.setSubarray(await this.api.request('file.subarray', { fileId: this.file.fileId }));
        await this.load1(this.fileIndex);
      } else if (this.liveSubarray) {
        this.setSubarray(this.liveSubarray);
      }
    } catch (err) {
      this.notify(`Array 3D: ${(err as Error).message}`);
    }
  }

  step(delta: number): void {
    this.goTo(this.fileIndex + delta);
  }

  goTo(index: number): void {
    if (!this.file) return;
    const i = Math.max(0, Math.min(this.file.eventCount - 1, index));
    // when the Event tab shows the same file, move it: its event comes back through followFile
    if (this.navigate?.(this.file.fileId, i)) return;
    void this.load1(i);
  }

  /** steps the Event tab when it shows the same file (set by main.ts); false when it does not */
  navigate: ((fileId: string, index: number) => boolean) | undefined;

  /** Follows the Event tab: shows event `index` of the DL1 file it stepped to (switching to that file). */
  followFile(f: FileOpenResult, index: number, event: ArrayEvent): void {
    const switching = this.file?.fileId !== f.fileId || this.mode !== 'file';
    this.offerFile(f);
    this.fileIndex = index;
    this.element.querySelector('.array3d-pos')!.textContent = ` ${index} / ${f.eventCount} `;
    if (switching) {
      this.seq++;
      this.mode = 'file';
      this.sourceSelect.value = 'file';
      this.element.querySelector<HTMLElement>('.array3d-nav')!.hidden = false;
      this.element.dataset.mode = 'file';
      this.api.request('file.subarray', { fileId: f.fileId }).then(
        (s) => {
          if (this.file?.fileId !== f.fileId) return;
          this.setSubarray(s);
          this.show(event);
        },
        (err: Error) => this.notify(`Array 3D: ${err.message}`),
      );
    } else {
      this.seq++;
      this.show(event);
    }
  }

  private async load1(index: number): Promise<void> {
    const f = this.file;
    if (!f) return;
    const seq = ++this.seq;
    this.fileIndex = index;
    this.element.querySelector('.array3d-pos')!.textContent = ` ${index} / ${f.eventCount} `;
    try {
      const r = await this.api.request('file.event', { fileId: f.fileId, index });
      if (seq !== this.seq || this.mode !== 'file' || r.kind !== 'dl1') return;
      this.show(r.event);
    } catch (err) {
      if (seq === this.seq) this.notify(`Event ${index} of ${f.path}: ${(err as Error).message}`);
    }
  }

  private queue(e: ArrayEvent): void {
    this.pending = e;
    if (this.frameRequested || this.element.hidden) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (this.pending) this.show(this.pending);
    });
  }

  setSubarray(s: SubarrayDescription): void {
    this.subarray = s;
    if (this.telescopes) {
      this.stage.scene.remove(this.telescopes);
      this.telescopes.geometry.dispose();
      (this.telescopes.material as THREE.Material).dispose();
    }
    this.telIndex = new Map(s.telescopes.map((t, i) => [t.telId, i]));
    this.extent = groundExtent(s.telescopes.map((t) => t.position));
    const geometry = new THREE.CylinderGeometry(1, 1, 1, 24);
    geometry.translate(0, 0.5, 0);
    this.telescopes = new THREE.InstancedMesh(geometry, new THREE.MeshBasicMaterial({ color: 0xffffff }), s.telescopes.length);
    this.telescopes.frustumCulled = false;
    this.stage.scene.add(this.telescopes);
    this.buildGround();
    this.intensities.clear();
    this.styleTelescopes();
    this.clearOverlays();
    this.preset('iso');
    this.info.textContent = `${s.name} · ${countText(s.telescopes.length, 'telescope')} · pointing alt ${s.pointing.alt.toFixed(1)}°, az ${s.pointing.az.toFixed(1)}°`;
    this.element.dataset.telescopes = String(s.telescopes.length);
  }

  private buildGround(): void {
    clearGroup(this.ground);
    const e = this.extent;
    const step = [10, 20, 50, 100, 200, 500, 1000].find((s) => (2 * e) / s <= 24) ?? 1000;
    const half = Math.ceil(e / step) * step;
    const grid = new THREE.GridHelper(2 * half, (2 * half) / step, 0x3a4656, 0x232b36);
    this.ground.add(grid);
    // north arrow and labels
    const label = (text: string, x: number, y: number, color = '#8a94a8') => {
      const c = document.createElement('canvas');
      c.width = 256;
      c.height = 64;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = color;
      ctx.font = '36px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(text, 128, 32);
      const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: new THREE.CanvasTexture(c), depthTest: false, transparent: true }));
      sprite.position.set(...sceneFromGround(x, y, 0));
      sprite.scale.set(half * 0.24, half * 0.06, 1);
      this.ground.add(sprite);
    };
    label('N', half * 1.08, 0, '#dfe6f3');
    label('E', 0, -half * 1.08);
    label(`${step} m grid`, -half * 1.12, half * 0.75);
  }

  private styleTelescopes(): void {
    const s = this.subarray;
    const mesh = this.telescopes;
    if (!s || !mesh) return;
    const lut = colormapLut('plasma');
    const m = new THREE.Matrix4();
    const c = new THREE.Color();
    s.telescopes.forEach((t, i) => {
      const r = telescopeRadius(t.focalLength);
      const q = this.intensities.get(t.telId);
      const h = q !== undefined ? r * (0.6 + 1.6 * Math.max(0, normalize(this.norm, q))) : r * 0.35;
      m.makeScale(r, h, r);
      m.setPosition(...sceneFromGround(t.position[0], t.position[1], 0));
      mesh.setMatrixAt(i, m);
      if (q !== undefined) {
        const v = lut[Math.round(Math.max(0.15, normalize(this.norm, q)) * 255)];
        c.setRGB((v & 255) / 255, ((v >>> 8) & 255) / 255, ((v >>> 16) & 255) / 255);
      } else c.setRGB(...IDLE_RGB);
      mesh.setColorAt(i, c);
    });
    mesh.instanceMatrix.needsUpdate = true;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
  }

  /** Shows one array event: telescope colours and heights, axes, cores and pointing. */
  show(e: ArrayEvent): void {
    if (!this.subarray) return;
    this.event = e;
    this.intensities = new Map(e.telescopes.filter((t) => this.telIndex.has(t.telId)).map((t) => [t.telId, intensityOf(t)]));
    const values = [...this.intensities.values()].filter((v) => v > 0);
    const lo = values.length ? Math.min(...values) : 10;
    const hi = values.length ? Math.max(...values) : 1000;
    this.norm = { kind: 'log', vmin: Math.max(1, lo * 0.8), vmax: Math.max(hi, lo * 10), linthresh: 1 };
    this.styleTelescopes();
    this.clearOverlays();
    const pointing = e.pointing ?? this.subarray.pointing;
    const axisLength = Math.max(400, this.extent * 2.2);
    this.addArrow([0, 0, 0], groundDirection(pointing.alt, pointing.az), this.extent * 0.55, POINTING_COLOR);
    const reco = e.reconstructed;
    if (reco && reco.isValid && Number.isFinite(reco.alt)) this.addShower(reco.coreX, reco.coreY, reco.alt, reco.az, axisLength, RECO_COLOR);
    const truth = e.trueShower;
    if (truth) this.addShower(truth.coreX, truth.coreY, truth.alt, truth.az, axisLength, TRUE_COLOR);
    this.drawColorBar();
    // draw now, so the canvas and the text below always show the same event
    if (!this.element.hidden) this.stage.renderNow();
    this.info.textContent = this.describe(e, reco, truth);
    const d = this.element.dataset;
    d.eventId = String(e.eventId);
    d.triggered = String(this.intensities.size);
    d.recoValid = String(Boolean(reco?.isValid && Number.isFinite(reco.alt)));
    d.hasTruth = String(Boolean(truth));
  }

  /** removes the axes, cores and arrows, freeing their GPU buffers (a live stream replaces them 20 times a second) */
  private clearOverlays(): void {
    clearGroup(this.overlays);
  }

  private describe(e: ArrayEvent, reco: ShowerGeometry | undefined, truth: TrueShower | undefined): string {
    const parts = [
      `${e.source === 'file' && e.fileIndex ? `event ${e.fileIndex.index} of ${e.fileIndex.count} · ` : ''}obs ${e.obsId} · event ${e.eventId} · ${this.intensities.size} triggered`,
    ];
    if (reco?.isValid)
      parts.push(
        `reco (${reco.reconstructor}): alt ${reco.alt.toFixed(2)}°, az ${reco.az.toFixed(2)}°, core (${reco.coreX.toFixed(1)}, ${reco.coreY.toFixed(1)}) m`,
      );
    else if (reco) parts.push('reconstruction not valid');
    if (truth)
      parts.push(
        `true: ${truth.energy.toFixed(2)} TeV, alt ${truth.alt.toFixed(2)}°, az ${truth.az.toFixed(2)}°, core (${truth.coreX.toFixed(1)}, ${truth.coreY.toFixed(1)}) m`,
      );
    if (reco?.isValid && truth)
      parts.push(
        `Δθ ${angularSeparationDeg(reco.alt, reco.az, truth.alt, truth.az).toFixed(3)}°, Δcore ${Math.hypot(reco.coreX - truth.coreX, reco.coreY - truth.coreY).toFixed(1)} m`,
      );
    return parts.join(' · ');
  }

  private addArrow(from: [number, number, number], dir: [number, number, number], length: number, color: number): void {
    const o = new THREE.Vector3(...sceneFromGround(...from));
    const d = new THREE.Vector3(...sceneFromGround(...dir)).normalize();
    this.overlays.add(new THREE.ArrowHelper(d, o, length, color, length * 0.12, length * 0.05));
  }

  private addShower(coreX: number, coreY: number, alt: number, az: number, length: number, color: number): void {
    const dir = groundDirection(alt, az);
    const a = sceneFromGround(coreX, coreY, 0);
    const b = sceneFromGround(coreX + dir[0] * length, coreY + dir[1] * length, dir[2] * length);
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute([...a, ...b], 3));
    this.overlays.add(new THREE.Line(g, new THREE.LineBasicMaterial({ color })));
    const ring = new THREE.Mesh(
      new THREE.RingGeometry(this.extent * 0.025, this.extent * 0.04, 32),
      new THREE.MeshBasicMaterial({ color, side: THREE.DoubleSide }),
    );
    ring.rotation.x = -Math.PI / 2;
    ring.position.set(a[0], 0.5, a[2]);
    this.overlays.add(ring);
    // the axis' shadow on the ground helps to read its azimuth
    const s = new THREE.BufferGeometry();
    s.setAttribute('position', new THREE.Float32BufferAttribute([a[0], 0.2, a[2], b[0], 0.2, b[2]], 3));
    this.overlays.add(new THREE.Line(s, new THREE.LineBasicMaterial({ color, transparent: true, opacity: 0.35 })));
  }

  preset(name: string): void {
    const d = this.extent * 2.6;
    if (name === 'axis') {
      const reco = this.event?.reconstructed;
      const dirShower = reco?.isValid
        ? groundDirection(reco.alt, reco.az)
        : groundDirection(this.subarray?.pointing.alt ?? 70, this.subarray?.pointing.az ?? 0);
      const p = sceneFromGround(dirShower[0] * d, dirShower[1] * d, dirShower[2] * d);
      this.stage.applyPreset({ position: p, up: [0, 0, -1] });
      return;
    }
    const presets: Record<string, { position: [number, number, number]; up?: [number, number, number] }> = {
      iso: { position: [d * 0.42, d * 0.36, d * 0.6] },
      top: { position: [0, d * 1.45, 0.001], up: [0, 0, -1] },
      south: { position: [0, d * 0.25, d] },
    };
    if (presets[name]) this.stage.applyPreset(presets[name]);
  }

  private drawColorBar(): void {
    const dpr = window.devicePixelRatio || 1;
    const r = this.colorBar.getBoundingClientRect();
    if (!r.width) return;
    this.colorBar.width = Math.round(r.width * dpr);
    this.colorBar.height = Math.round(r.height * dpr);
    drawColorBar(this.colorBar, colormapLut('plasma'), this.norm, 'p.e.', dpr);
  }

  private hover(e: MouseEvent): void {
    if (!this.telescopes || !this.subarray) return;
    const p = this.stage.pointer(e);
    this.raycaster.setFromCamera(p.ndc, this.stage.camera);
    const hit = this.raycaster.intersectObject(this.telescopes)[0];
    const t = hit?.instanceId !== undefined ? this.subarray.telescopes[hit.instanceId] : undefined;
    this.tooltip.hidden = !t;
    if (!t) return;
    const q = this.intensities.get(t.telId);
    this.tooltip.textContent = `tel ${t.telId} · ${t.type} · (${t.position[0].toFixed(1)}, ${t.position[1].toFixed(1)}) m · ${q !== undefined ? `${q.toFixed(0)} p.e.` : 'not triggered'}`;
    this.tooltip.style.left = `${p.cssX + 14}px`;
    this.tooltip.style.top = `${p.cssY + 10}px`;
  }

  async exportPng(scale: number): Promise<{ width: number; height: number }> {
    const { width, height } = this.stage.size;
    const bar = this.colorBar.getBoundingClientRect();
    const host = this.stage.container.getBoundingClientRect();
    const e = this.event;
    const canvas = renderToCanvas(this.stage.renderer, this.stage.scene, this.stage.camera, width, height, {
      scale,
      title: e
        ? `${this.subarray?.name ?? 'array'} · obs ${e.obsId} event ${e.eventId} · red: reconstructed, green: true, yellow: pointing`
        : this.subarray?.name,
      overlays: [{ canvas: this.colorBar, x: bar.left - host.left, y: bar.top - host.top, width: bar.width, height: bar.height }],
    });
    await downloadCanvasPng(canvas, `array-${e?.obsId ?? 0}-${e?.eventId ?? 0}.png`);
    this.element.dataset.lastExport = `${canvas.width}x${canvas.height}`;
    return { width: canvas.width, height: canvas.height };
  }
}
