/**
 * Accumulated pixel maps, one camera per telescope (the event view's
 * CameraView): the mean image or how often each pixel survives cleaning,
 * with hot pixels ringed in red and dead pixels crossed in cyan.
 */
import type { ApiClient } from '../api/api-client.js';
import type { LivePixelMap, LivePixelMaps } from '../../src-main/api/live-contract.js';
import type { CameraGeometry } from '../../src-main/api/instrument-types.js';
import { CameraView, defaultCameraViewSettings } from '../camera/camera-view.js';
import { html, setHtml } from '../dom/html.js';

type MapKind = 'mean' | 'survival';

interface Cell {
  view: CameraView;
  marks: HTMLCanvasElement;
  map?: LivePixelMap;
}

export class PixelMapGrid {
  readonly element: HTMLElement;
  private readonly cells = new Map<number, Cell>();
  private readonly pending = new Set<number>();
  private readonly geometries = new Map<string, Promise<CameraGeometry>>();
  private kind: MapKind = 'mean';
  private marksOn = true;
  private readonly grid: HTMLElement;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (msg: string) => void,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'monitor-panel monitor-pixel-maps';
    setHtml(
      this.element,
      html`<header class="panel-title"><span>Pixel maps</span><span class="subtitle monitor-pixmap-summary"></span>
      <select class="monitor-pixmap-kind monitor-tool" title="what the cameras show">
        <option value="mean">mean image / p.e.</option><option value="survival">cleaning survival fraction</option></select>
      <label class="monitor-tool" title="ring hot pixels, cross dead ones"><input type="checkbox" class="monitor-pixmap-marks-on" checked> mark</label>
      <button class="monitor-pixmap-reset monitor-tool needs-control" title="clear the accumulated pixel maps">Reset</button></header>
      <div class="monitor-pixmap-legend"><span><i class="hot"></i>hot pixel</span><span><i class="dead"></i>dead pixel</span></div>
      <div class="monitor-pixmap-grid"></div>`,
    );
    this.grid = this.element.querySelector('.monitor-pixmap-grid')!;
    this.element.querySelector<HTMLSelectElement>('.monitor-pixmap-kind')!.onchange = (e) => {
      this.kind = (e.target as HTMLSelectElement).value as MapKind;
      for (const c of this.cells.values()) this.draw(c);
    };
    this.element.querySelector<HTMLInputElement>('.monitor-pixmap-marks-on')!.onchange = (e) => {
      this.marksOn = (e.target as HTMLInputElement).checked;
      for (const c of this.cells.values()) this.drawMarks(c);
    };
    this.element.querySelector<HTMLButtonElement>('.monitor-pixmap-reset')!.onclick = () => {
      this.api.request('live.pixelMaps.reset', {}).then(
        (m) => this.update(m),
        (err: Error) => this.notify(err.message),
      );
    };
  }

  private geometry(camera: string): Promise<CameraGeometry> {
    let g = this.geometries.get(camera);
    if (!g) {
      g = this.api.request('instrument.geometry', { camera });
      g.catch(() => this.geometries.delete(camera));
      this.geometries.set(camera, g);
    }
    return g;
  }

  update(maps: LivePixelMaps): void {
    let hot = 0;
    let dead = 0;
    for (const m of maps.telescopes) {
      hot += m.hotPixels.length;
      dead += m.deadPixels.length;
      const cell = this.cells.get(m.telId);
      if (cell) {
        cell.map = m;
        this.draw(cell);
      } else if (!this.pending.has(m.telId)) {
        this.pending.add(m.telId);
        this.geometry(m.camera).then(
          (g) => {
            this.pending.delete(m.telId);
            this.addCell(m, g);
          },
          (err: Error) => {
            this.pending.delete(m.telId);
            this.notify(`No camera geometry for telescope ${m.telId} (${m.camera}): ${err.message}`);
          },
        );
      }
    }
    this.element.querySelector('.monitor-pixmap-summary')!.textContent = `${maps.telescopes.length} cameras · ${hot} hot · ${dead} dead pixels`;
    this.element.dataset.hot = String(hot);
    this.element.dataset.dead = String(dead);
  }

  private addCell(m: LivePixelMap, g: CameraGeometry): void {
    const view = new CameraView(g, `Tel ${m.telId} · ${m.camera}`, { ...defaultCameraViewSettings, showHillas: false, showMask: false, showTiming: false });
    view.element.dataset.telId = String(m.telId);
    view.element.classList.add('monitor-pixmap');
    const marks = document.createElement('canvas');
    marks.className = 'monitor-pixmap-marks';
    view.element.querySelector('.camera-stage')!.append(marks);
    const cell: Cell = { view, marks, map: m };
    const redraw = () => requestAnimationFrame(() => this.drawMarks(cell));
    new ResizeObserver(redraw).observe(marks.parentElement!);
    view.element.addEventListener('wheel', redraw, { passive: true });
    view.element.addEventListener('mouseup', redraw);
    view.element.addEventListener('dblclick', redraw);
    this.cells.set(m.telId, cell);
    const sorted = [...this.cells.entries()].sort(([a], [b]) => a - b).map(([, c]) => c.view.element);
    this.grid.replaceChildren(...sorted);
    const columns = Math.min(4, Math.ceil(Math.sqrt(this.cells.size)));
    this.grid.style.setProperty('--columns', String(columns));
    this.grid.style.setProperty('--rows', String(Math.ceil(this.cells.size / columns)));
    this.draw(cell);
  }

  private draw(cell: Cell): void {
    const m = cell.map;
    if (!m) return;
    const values = this.kind === 'mean' ? m.meanImage : m.survivalFraction;
    cell.view.setImage({ image: values, peakTime: values });
    cell.view.setSubtitle(`${m.images.toLocaleString('en-US')} images · ${m.hotPixels.length} hot · ${m.deadPixels.length} dead`);
    cell.view.element.dataset.images = String(m.images);
    this.drawMarks(cell);
  }

  private drawMarks(cell: Cell): void {
    const m = cell.map;
    const canvas = cell.marks;
    const stage = canvas.parentElement;
    if (!m || !stage) return;
    const dpr = window.devicePixelRatio || 1;
    const w = stage.clientWidth;
    const h = stage.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!this.marksOn) return;
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#ff1744';
    for (const p of m.hotPixels) {
      const [x, y] = cell.view.pixelCenterCss(p);
      ctx.beginPath();
      ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.strokeStyle = '#18ffff';
    for (const p of m.deadPixels) {
      const [x, y] = cell.view.pixelCenterCss(p);
      ctx.beginPath();
      ctx.moveTo(x - 4, y - 4);
      ctx.lineTo(x + 4, y + 4);
      ctx.moveTo(x + 4, y - 4);
      ctx.lineTo(x - 4, y + 4);
      ctx.stroke();
    }
  }
}
