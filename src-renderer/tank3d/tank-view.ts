/**
 * The Tank 3D tab: a WatChMaL hit file's events on the real PMT geometry, in
 * 3D (one instanced draw for all PMTs, orbit controls, view presets, GPU
 * picking) beside the unrolled tank, coloured by charge or time with a colour
 * bar, with the true vertex, direction and expected Cherenkov ring.
 * ←/→ step through the file's events (Home/End: first/last).
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileEvent, FileOpenResult } from '../../src-main/api/file-contract.js';
import type { TabView } from '../app/tabs.js';
import { measureTank, pmtRegions, type TankCylinder } from '../../src-worker/tank/tank-frame.js';
import { unrollFrame, unrollPmts } from '../../src-worker/tank/unrolled-projection.js';
import { PmtHitAccumulator } from '../../src-worker/tank/pmt-hits.js';
import { cherenkovAngle, cherenkovRing, directionFromAngles, rayExit } from '../../src-worker/tank/cherenkov-ring.js';
import { hitLimits, PmtStyler, type TankQuantity } from './pmt-style-math.js';
import { CM_TO_SCENE, pmtSpacing, sceneFromDetector } from './tank-scene-math.js';
import { TankScene } from './tank-scene.js';
import { UnrolledView } from './unrolled-view.js';
import { ThreeStage } from '../three/three-stage.js';
import { UserEdits } from '../dom/user-edits.js';
import { GpuPicker } from '../three/gpu-picker.js';
import { downloadCanvasPng, renderToCanvas } from '../three/export-png.js';
import { colormapLut, colormapNames, type ColormapName } from '../colormap/colormaps.js';
import type { ColorScale } from '../colormap/color-scale.js';
import { drawColorBar } from '../camera/color-bar.js';
import { hoverPerFrame } from '../three/hover-per-frame.js';
import { handleEventStepKey } from '../app/event-step-keys.js';
import { html, setHtml } from '../dom/html.js';
import type { PmtGeometry } from '../../src-worker/containers/pmt-geometry.js';
import type { WatchmalEvent } from '../../src-worker/io/watchmal/watchmal-types.js';

const LABELS: Record<number, string> = { 0: 'γ', 1: 'e', 2: 'μ', [-1]: 'other' };
const REGION_NAMES = ['barrel', 'top cap', 'bottom cap'];

export class TankView implements TabView {
  readonly element: HTMLElement;
  private readonly stage: ThreeStage;
  private readonly picker: GpuPicker;
  private readonly unrolled = new UnrolledView();
  /** the file path typed and not yet opened */
  private readonly pathEdits = new UserEdits();
  private readonly colorBar: HTMLCanvasElement;
  private readonly tooltip3d: HTMLElement;
  private readonly tooltip2d: HTMLElement;
  private readonly info: HTMLElement;
  private readonly indexInput: HTMLInputElement;
  private file: FileOpenResult | undefined;
  private geometry: PmtGeometry | undefined;
  private tank: TankCylinder | undefined;
  private regions: Uint8Array | undefined;
  private scene: TankScene | undefined;
  private hits: PmtHitAccumulator | undefined;
  private styler: PmtStyler | undefined;
  private event: WatchmalEvent | undefined;
  private index = 0;
  private requestSeq = 0;
  private quantity: TankQuantity = 'charge';
  private colormap: ColormapName = 'viridis';
  private norm: ColorScale = { kind: 'linear', vmin: 0, vmax: 1, linthresh: 1 };
  private showRing = true;
  /** a WatChMaL file announced while this view showed another (serve mode) */
  private announced: { file: FileOpenResult; at: number } | undefined;
  private listed = false;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'tank-view';
    setHtml(
      this.element,
      html`
      <div class="tank-toolbar">
        <input class="tank-path needs-control" type="text" placeholder="WatChMaL hit file (.h5) on the serving machine" spellcheck="false">
        <button class="tank-open needs-control">Open</button>
        <span class="tank-nav"><button class="tank-prev" title="previous event (←)">◀</button>
          <input class="tank-index" type="number" min="0" value="0" title="event index (Enter)"><span class="tank-count">/ –</span>
          <button class="tank-next" title="next event (→)">▶</button></span>
        <select class="tank-quantity" title="colour by"><option value="charge">charge (p.e.)</option><option value="time">time (ns)</option></select>
        <select class="tank-limits" title="colour limits over the hit PMTs"><option value="100">min–max</option><option value="99">99 %</option><option value="98">98 %</option><option value="95">95 %</option></select>
        <select class="tank-colormap" title="colour map">${colormapNames.map((n) => html`<option>${n}</option>`)}</select>
        <span class="tank-presets">view <button data-preset="side">side</button><button data-preset="top">top</button><button data-preset="bottom">bottom</button><button data-preset="iso">3/4</button><button data-preset="track" title="look along the true track at its ring">along track</button></span>
        <label title="expected Cherenkov ring and the true track"><input type="checkbox" class="tank-ring" checked> ring</label>
        <label title="draw the near wall's PMTs too (both sides of every PMT)"><input type="checkbox" class="tank-near"> near wall</label>
        <select class="tank-export-scale" title="PNG scale"><option value="1">1×</option><option value="2" selected>2×</option><option value="4">4×</option></select>
        <select class="tank-scale" title="colour scale"><option value="linear">linear</option><option value="log">log</option></select>
        <button class="tank-export" title="save the 3D view as PNG">PNG 3D</button>
        <button class="tank-export-2d" title="save the unrolled view as PNG">PNG 2D</button>
      </div>
      <div class="tank-info">Open a WatChMaL hit file (digitised or true hits) to see its events on the PMTs.</div>
      <div class="tank-body">
        <section class="tank-panel"><header class="panel-title">Tank <span class="subtitle tank-3d-subtitle">3D · drag to orbit, wheel to zoom</span></header>
          <div class="tank-3d-stage"><canvas class="tank-colorbar"></canvas><div class="tank-tooltip" hidden></div></div></section>
        <section class="tank-panel"><header class="panel-title">Unrolled <span class="subtitle">barrel: azimuth × height; caps above and below</span></header>
          <div class="tank-2d-host"><div class="tank-tooltip" hidden></div></div></section>
      </div>`,
    );
    const stageHost = this.element.querySelector<HTMLElement>('.tank-3d-stage')!;
    this.stage = new ThreeStage(stageHost);
    stageHost.prepend(this.stage.canvas);
    this.picker = new GpuPicker(this.stage.renderer);
    this.colorBar = this.element.querySelector('.tank-colorbar')!;
    this.tooltip3d = stageHost.querySelector('.tank-tooltip')!;
    const host2d = this.element.querySelector<HTMLElement>('.tank-2d-host')!;
    host2d.prepend(this.unrolled.element);
    this.tooltip2d = host2d.querySelector('.tank-tooltip')!;
    this.info = this.element.querySelector('.tank-info')!;
    this.indexInput = this.element.querySelector('.tank-index')!;
    this.wire();
    this.stage.applyPreset({ position: [0, 3, 14] });
    // A WatChMaL file opened elsewhere: the desktop window is one person's, so it is shown at once.
    // In serve mode several people may watch: it is shown when this view is empty, or when this
    // window's Open… brings the Tank tab up right after the announcement; otherwise it waits.
    api.on('file-opened', (f) => {
      if (!f.format.offers.includes('tank-events') || f.fileId === this.file?.fileId) return;
      if (api.transport.kind === 'electron-ipc' || !this.file) void this.useFile(f);
      else this.announced = { file: f, at: performance.now() };
    });
  }

  private wire(): void {
    const q = <T extends Element>(s: string) => this.element.querySelector<T>(s)!;
    const pathInput = q<HTMLInputElement>('.tank-path');
    this.pathEdits.watch(pathInput);
    const open = () => {
      this.pathEdits.applied(pathInput);
      const p = pathInput.value.trim();
      if (p) void this.openPath(p);
    };
    q('.tank-open').addEventListener('click', open);
    pathInput.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') open();
    });
    q('.tank-prev').addEventListener('click', () => this.step(-1));
    q('.tank-next').addEventListener('click', () => this.step(1));
    this.indexInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.goTo(Number(this.indexInput.value));
    });
    q<HTMLSelectElement>('.tank-quantity').addEventListener('change', (e) => {
      this.quantity = (e.target as HTMLSelectElement).value as TankQuantity;
      // times have late stragglers: clip them by default; charges show their full range
      q<HTMLSelectElement>('.tank-limits').value = this.quantity === 'time' ? '98' : '100';
      this.restyle();
    });
    q<HTMLSelectElement>('.tank-limits').addEventListener('change', () => this.restyle());
    q<HTMLSelectElement>('.tank-scale').addEventListener('change', () => this.restyle());
    q('.tank-export-2d').addEventListener('click', () => {
      void this.exportUnrolledPng(Number(q<HTMLSelectElement>('.tank-export-scale').value)).catch((err: Error) =>
        this.notify(`PNG export failed: ${err.message}`),
      );
    });
    q<HTMLSelectElement>('.tank-colormap').addEventListener('change', (e) => {
      this.colormap = (e.target as HTMLSelectElement).value as ColormapName;
      this.restyle();
    });
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('[data-preset]')) b.addEventListener('click', () => this.preset(b.dataset.preset!));
    q<HTMLInputElement>('.tank-ring').addEventListener('change', (e) => this.setRingVisible((e.target as HTMLInputElement).checked));
    q<HTMLInputElement>('.tank-near').addEventListener('change', (e) => {
      this.scene?.setNearWall((e.target as HTMLInputElement).checked);
      this.stage.requestRender();
    });
    q('.tank-export').addEventListener('click', () => {
      void this.exportPng(Number(q<HTMLSelectElement>('.tank-export-scale').value)).catch((err: Error) => this.notify(`PNG export failed: ${err.message}`));
    });
    hoverPerFrame(
      this.stage.canvas,
      (e) => this.pickAt(e),
      () => (this.tooltip3d.hidden = true),
    );
    this.unrolled.onHover = (pmt, x, y) => this.showTooltip(this.tooltip2d, pmt, x, y);
  }

  shown(): void {
    this.stage.setVisible(true);
    this.unrolled.requestDraw();
    const a = this.announced;
    this.announced = undefined;
    if (a && performance.now() - a.at < 5000) void this.useFile(a.file);
    else if (!this.file && !this.listed) {
      // files opened before this window connected (`lightpool serve FILE`, a reload)
      this.listed = true;
      this.api.request('file.list', {}).then(
        (list) => {
          const w = list.filter((f) => f.format.offers.includes('tank-events')).pop();
          if (w && !this.file) void this.useFile(w);
        },
        () => undefined,
      );
    }
  }

  hidden(): void {
    this.stage.setVisible(false);
  }

  onKey(e: KeyboardEvent): boolean {
    return handleEventStepKey(e, { step: (d) => this.step(d), goTo: (i) => this.goTo(i), eventCount: this.file?.eventCount });
  }

  async openPath(path: string): Promise<void> {
    try {
      const f = await this.api.request('file.open', { path });
      if (!f.format.offers.includes('tank-events')) {
        this.notify(
          `${path} is a ${f.format.label} file, not a WatChMaL hit file: the Tank view shows WatChMaL files (event_hits_index, hit_pmt, …)`,
          'warning',
        );
        return;
      }
      await this.useFile(f);
    } catch (err) {
      this.notify(`Could not open ${path}: ${(err as Error).message}`);
    }
  }

  /** Shows a WatChMaL file opened elsewhere (HDF5 browser, command line, menu). */
  async useFile(f: FileOpenResult): Promise<void> {
    try {
      const geometry = await this.api.request('file.pmtGeometry', { fileId: f.fileId });
      this.file = f;
      this.setGeometry(geometry);
      this.element.querySelector('.tank-count')!.textContent = `/ ${f.eventCount}`;
      this.indexInput.max = String(Math.max(0, f.eventCount - 1));
      // a path being typed stays: a file opened elsewhere does not overwrite it
      this.pathEdits.put(this.element.querySelector<HTMLInputElement>('.tank-path')!, f.path);
      this.element.dataset.fileId = f.fileId;
      await this.load(0);
    } catch (err) {
      this.notify(`Could not show ${f.path} in the Tank view: ${(err as Error).message}`);
    }
  }

  private setGeometry(g: PmtGeometry): void {
    if (this.geometry && this.geometry.name === g.name && this.geometry.nPmts === g.nPmts) return;
    if (this.scene) {
      this.stage.scene.remove(this.scene.group);
      this.scene.detachPicker(this.picker);
      this.scene.dispose();
    }
    this.geometry = g;
    this.regions = pmtRegions(g);
    this.tank = measureTank(g, this.regions);
    this.hits = new PmtHitAccumulator(g.nPmts);
    this.styler = new PmtStyler(g.nPmts);
    this.scene = new TankScene(g, this.tank, this.styler.colors, this.styler.scales);
    this.scene.setRingVisible(this.showRing);
    this.scene.setNearWall(this.element.querySelector<HTMLInputElement>('.tank-near')!.checked);
    this.stage.scene.add(this.scene.group);
    this.scene.attachPicker(this.picker);
    const spacing = pmtSpacing(g.nPmts, this.tank.radius, this.tank.hTop - this.tank.hBottom);
    this.unrolled.setGeometry(unrollPmts(g, this.regions, this.tank), unrollFrame(this.tank), this.styler, 0.3 * spacing);
    this.element.querySelector('.tank-3d-subtitle')!.textContent = `${g.name} · ${g.nPmts} PMTs · axis ${g.axis} · drag to orbit, wheel to zoom`;
    this.stage.camera.far = this.scene.extent * 40;
    this.stage.camera.near = this.scene.extent * 0.005;
    this.stage.camera.updateProjectionMatrix();
    this.preset('iso');
  }

  preset(name: string): void {
    const d = (this.scene?.extent ?? 5) * 3.6;
    if (name === 'track') {
      const ev = this.event;
      if (!ev?.position || !ev.angles || !this.tank) return;
      const v = ev.position;
      const dir = directionFromAngles(ev.angles[0], ev.angles[1]);
      const exit = rayExit(this.tank, v, dir);
      const reach = exit ? exit.distance * 0.8 : 0;
      const t = sceneFromDetector(this.tank.axis, v[0] + dir[0] * reach, v[1] + dir[1] * reach, v[2] + dir[2] * reach);
      const ds = sceneFromDetector(this.tank.axis, dir[0], dir[1], dir[2]).map((c) => c / CM_TO_SCENE);
      const back = d * 0.9 + reach * CM_TO_SCENE;
      const vertical = Math.abs(ds[1]) > 0.9;
      this.stage.applyPreset({ target: t, position: [-ds[0] * back, -ds[1] * back, -ds[2] * back], up: vertical ? [0, 0, -1] : [0, 1, 0] });
      return;
    }
    const presets: Record<string, { position: [number, number, number]; up?: [number, number, number] }> = {
      side: { position: [0, 0, d] },
      top: { position: [0, d, 0], up: [0, 0, -1] },
      bottom: { position: [0, -d, 0], up: [0, 0, 1] },
      iso: { position: [d * 0.62, d * 0.42, d * 0.62] },
    };
    const p = presets[name];
    if (p) this.stage.applyPreset(p);
  }

  step(delta: number): void {
    if (!this.file) return;
    this.goTo(this.index + delta);
  }

  goTo(index: number): void {
    if (!this.file || !Number.isFinite(index)) return;
    const i = Math.max(0, Math.min(this.file.eventCount - 1, Math.trunc(index)));
    void this.load(i);
  }

  private async load(index: number): Promise<void> {
    const f = this.file;
    if (!f) return;
    const seq = ++this.requestSeq;
    this.index = index;
    this.indexInput.value = String(index);
    try {
      const r: FileEvent = await this.api.request('file.event', { fileId: f.fileId, index });
      if (seq !== this.requestSeq) return; // a newer step was asked for meanwhile
      if (r.kind !== 'watchmal') return;
      if (!r.event.hitPmt && r.event.image) {
        this.info.textContent = `${f.path} holds per-event images (event_data ${r.event.imageShape?.join('×') ?? ''}), not hit lists: the Tank view draws hits on PMTs; look at the images in the Browser tab`;
        return;
      }
      this.showEvent(r.event);
    } catch (err) {
      if (seq === this.requestSeq) this.notify(`Event ${index} of ${f.path}: ${(err as Error).message}`);
    }
  }

  /** Shows one event: recolours the PMTs (no geometry rebuilt) and moves the track and ring. */
  showEvent(ev: WatchmalEvent): void {
    if (!this.hits || !this.styler || !this.scene || !this.tank) return;
    const t0 = performance.now();
    this.event = ev;
    this.hits.set(ev.hitPmt ?? [], ev.hitCharge, ev.hitTime);
    const summary = this.applyStyle();
    const vertex = ev.position && ev.position.length >= 3 ? ev.position.slice(0, 3) : null;
    const dir = ev.angles && ev.angles.length >= 2 ? directionFromAngles(ev.angles[0], ev.angles[1]) : null;
    const ring = vertex && dir ? cherenkovRing(this.tank, vertex, dir, cherenkovAngle()) : null;
    this.scene.setTrack(vertex, dir, ring);
    this.unrolled.setRing(ring);
    const ms = performance.now() - t0;
    this.stage.requestRender();
    this.unrolled.requestDraw();
    const label = ev.label !== null ? (LABELS[ev.label] ?? String(ev.label)) : '?';
    const charged = ev.hitCharge !== undefined;
    this.info.textContent =
      `event ${ev.index}${ev.eventId !== null ? ` (id ${ev.eventId})` : ''} · ${label}` +
      (ev.energy !== null ? ` · ${ev.energy.toFixed(1)} MeV` : '') +
      ` · ${ev.nHits} hits on ${summary.colored} PMTs` +
      (charged ? ` · ${summary.shownCharge.toFixed(1)} p.e.` : ' (true hits: charge = number of photons)') +
      (vertex ? ` · vertex (${vertex.map((v) => v.toFixed(0)).join(', ')}) cm` : '') +
      (this.hits.outOfRange ? ` · ${this.hits.outOfRange} hits on PMTs outside the geometry were skipped` : '');
    const d = this.element.dataset;
    d.eventIndex = String(ev.index);
    d.coloredPmts = String(summary.colored);
    d.shownCharge = summary.shownCharge.toFixed(4);
    d.updateMs = ms.toFixed(3);
  }

  private applyStyle() {
    const hits = this.hits!;
    const styler = this.styler!;
    const lim = hitLimits(hits, this.quantity, Number(this.element.querySelector<HTMLSelectElement>('.tank-limits')!.value));
    const log = this.element.querySelector<HTMLSelectElement>('.tank-scale')!.value === 'log';
    // log: from the smallest positive value (times can start at 0)
    let vmin = lim.vmin;
    if (log && !(vmin > 0)) {
      const values = this.quantity === 'charge' ? hits.charge : hits.time;
      vmin = Infinity;
      for (let k = 0; k < hits.nHitPmts; k++) {
        const v = values[hits.hitPmts[k]];
        if (v > 0 && v < vmin) vmin = v;
      }
      if (!Number.isFinite(vmin)) vmin = lim.vmax / 100;
    }
    this.norm = { kind: log ? 'log' : 'linear', vmin, vmax: lim.vmax, linthresh: 1 };
    const lut = colormapLut(this.colormap);
    const summary = styler.apply(hits, this.quantity, this.norm, lut);
    this.scene!.markStyleChanged();
    this.drawColorBar();
    return summary;
  }

  private restyle(): void {
    if (!this.event) return;
    this.applyStyle();
    this.stage.requestRender();
    this.unrolled.requestDraw();
  }

  private drawColorBar(): void {
    const dpr = window.devicePixelRatio || 1;
    const r = this.colorBar.getBoundingClientRect();
    this.colorBar.width = Math.max(1, Math.round(r.width * dpr));
    this.colorBar.height = Math.max(1, Math.round(r.height * dpr));
    const unit = this.quantity === 'charge' ? (this.event?.hitCharge ? 'p.e.' : 'hits') : 'ns';
    drawColorBar(this.colorBar, colormapLut(this.colormap), this.norm, unit, dpr);
  }

  private setRingVisible(v: boolean): void {
    this.showRing = v;
    this.scene?.setRingVisible(v);
    this.unrolled.showRing = v;
    this.stage.requestRender();
    this.unrolled.requestDraw();
  }

  private pickAt(ev: MouseEvent): void {
    if (!this.scene) return;
    const p = this.stage.pointer(ev);
    const pmt = this.picker.pick(this.stage.camera, p.px, p.py);
    this.showTooltip(this.tooltip3d, pmt, p.cssX, p.cssY);
  }

  /** The PMT under the pointer: index, region, charge and time. */
  pmtText(pmt: number): string {
    const g = this.geometry;
    const h = this.hits;
    if (!g || !h || pmt < 0 || pmt >= g.nPmts) return '';
    const region = REGION_NAMES[this.regions![pmt]] ?? '?';
    const hit = h.count[pmt] > 0;
    const what = hit
      ? `${h.charge[pmt].toFixed(2)} ${this.event?.hitCharge ? 'p.e.' : 'hits'} · ${h.time[pmt].toFixed(1)} ns${h.count[pmt] > 1 ? ` (${h.count[pmt]} hits)` : ''}`
      : 'no hit';
    return `PMT ${pmt} · ${region} · ${what}`;
  }

  private showTooltip(tip: HTMLElement, pmt: number, x: number, y: number): void {
    const text = this.pmtText(pmt);
    tip.hidden = !text;
    if (!text) return;
    tip.textContent = text;
    tip.style.left = `${x + 14}px`;
    tip.style.top = `${y + 10}px`;
    tip.dataset.pmt = String(pmt);
  }

  /** Saves the unrolled view (with colour bar and a title) as PNG at `scale` × its size on screen. */
  async exportUnrolledPng(scale: number): Promise<{ width: number; height: number }> {
    const canvas = this.unrolled.renderToCanvas(scale);
    const ctx = canvas.getContext('2d')!;
    const bar = this.colorBar.getBoundingClientRect();
    if (this.event) ctx.drawImage(this.colorBar, canvas.width - (bar.width + 6) * scale, 8 * scale, bar.width * scale, bar.height * scale);
    ctx.font = `${Math.round(13 * scale)}px system-ui, sans-serif`;
    ctx.fillStyle = '#dfe6f3';
    ctx.textBaseline = 'top';
    const ev = this.event;
    ctx.fillText(
      ev
        ? `${this.file?.path.split('/').pop() ?? ''} · event ${ev.index} · ${this.geometry?.name ?? ''} unrolled · ${this.quantity}`
        : 'Lightpool tank, unrolled',
      8 * scale,
      8 * scale,
    );
    await downloadCanvasPng(canvas, `tank-event-${ev?.index ?? 0}-unrolled.png`);
    this.element.dataset.lastExport2d = `${canvas.width}x${canvas.height}`;
    return { width: canvas.width, height: canvas.height };
  }

  /** Saves the 3D view (with colour bar and a title) as PNG at `scale` × its size on screen. */
  async exportPng(scale: number): Promise<{ width: number; height: number; bytes: number }> {
    const { width, height } = this.stage.size;
    const bar = this.colorBar.getBoundingClientRect();
    const host = this.stage.container.getBoundingClientRect();
    const ev = this.event;
    const canvas = renderToCanvas(this.stage.renderer, this.stage.scene, this.stage.camera, width, height, {
      scale,
      title: ev ? `${this.file?.path.split('/').pop() ?? ''} · event ${ev.index} · ${this.geometry?.name ?? ''} · ${this.quantity}` : 'Lightpool tank',
      overlays: this.event ? [{ canvas: this.colorBar, x: bar.left - host.left, y: bar.top - host.top, width: bar.width, height: bar.height }] : [],
    });
    const blob = await downloadCanvasPng(canvas, `tank-event-${ev?.index ?? 0}.png`);
    this.element.dataset.lastExport = `${canvas.width}x${canvas.height}`;
    return { width: canvas.width, height: canvas.height, bytes: blob.size };
  }
}
