/**
 * The Points tab: any N×3 (or N×C, C ≥ 3) table as a 3D point cloud in one
 * draw call, coloured by a chosen column through a colour-map texture (a new
 * column or limits only change uniforms and one attribute), with a colour bar,
 * hover values through GPU picking, orbit controls and PNG export.
 *
 * Sources: a .npy/.npz file on the serving machine (points.read), an HDF5
 * dataset N×C or a table's numeric columns (read in slices with progress), or
 * arrays handed over by another view. Other views call `showPointCloud`.
 */
import * as THREE from 'three';
import type { ApiClient } from '../api/api-client.js';
import type { TabView } from '../app/tabs.js';
import { ThreeStage } from '../three/three-stage.js';
import { GpuPicker, PICK_ENCODE_GLSL } from '../three/gpu-picker.js';
import { hoverPerFrame } from '../three/hover-per-frame.js';
import { downloadCanvasPng, renderToCanvas } from '../three/export-png.js';
import { colormapLut, colormapNames, type ColormapName } from '../colormap/colormaps.js';
import { drawColorBar } from '../camera/color-bar.js';
import { columnRange, columnValues, defaultColumnNames, pointText, scenePositions, shuffleRows, type PointTable } from './point-cloud-math.js';
import { html, setHtml } from '../dom/html.js';
import type { TreeNode } from '../../src-worker/io/hdf5/browse-types.js';

export type PointCloudSource =
  /** a .npy file, or an array of an .npz archive (default: the first N×3-or-wider one) */
  | { kind: 'numpy'; path: string; name?: string }
  /** an HDF5 dataset of shape (N, C ≥ 3) or (…, C), or a compound table's numeric scalar columns */
  | { kind: 'hdf5'; fileId: string; path: string; columns?: string[] }
  /** numbers already in hand: row-major rows × columns */
  | { kind: 'data'; source: string; rows: number; columns: number; data: Float32Array; columnNames?: string[] };

const VERTEX = /* glsl */ `
attribute float aValue;
uniform float uVmin;
uniform float uVmax;
uniform float uSize;
uniform float uLog;
uniform sampler2D uLut;
varying vec3 vColor;
varying float vId;
void main() {
  float t = uLog > 0.5
    ? (aValue > 0.0 ? clamp((log(aValue) - log(uVmin)) / max(log(uVmax) - log(uVmin), 1e-30), 0.0, 1.0) : 0.0)
    : clamp((aValue - uVmin) / max(uVmax - uVmin, 1e-30), 0.0, 1.0);
  vColor = texture2D(uLut, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
  vId = float(gl_VertexID);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = uSize;
}`;

const FRAGMENT = /* glsl */ `
varying vec3 vColor;
void main() {
  vec2 d = gl_PointCoord - 0.5;
  if (dot(d, d) > 0.25) discard;
  gl_FragColor = vec4(vColor, 1.0);
}`;

const PICK_FRAGMENT = /* glsl */ `
varying float vId;
${PICK_ENCODE_GLSL}
void main() {
  vec2 d = gl_PointCoord - 0.5;
  if (dot(d, d) > 0.25) discard;
  gl_FragColor = lpEncodeId(int(vId + 0.5));
}`;

/** rows read per HDF5 slice request */
const HDF5_BLOCK_ROWS = 262_144;
const MAX_POINTS = 50_000_000;
/** points drawn while the view moves (software renderers draw ~10⁶ points/s) */
const MOVING_POINTS = 250_000;

/**
 * Shows a point cloud in the Points tab (and switches to it): what the
 * views that offer point clouds (the Browser, Open…) are given by main.ts.
 * `{ kind: 'hdf5', fileId, path }` for a dataset of shape (N, ≥3) or a
 * table; `{ kind: 'numpy', path }` for .npy/.npz files; `{ kind: 'data', … }`
 * for arrays in hand.
 */
export type ShowPointCloud = (source: PointCloudSource) => Promise<void>;

export class PointCloudView implements TabView {
  readonly element: HTMLElement;
  private readonly stage: ThreeStage;
  private readonly picker: GpuPicker;
  private readonly colorBar: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly info: HTMLElement;
  private readonly selects: { x: HTMLSelectElement; y: HTMLSelectElement; z: HTMLSelectElement; color: HTMLSelectElement; member: HTMLSelectElement };
  private table: PointTable | undefined;
  private points: THREE.Points | undefined;
  private pickPoints: THREE.Points | undefined;
  private readonly geometry = new THREE.BufferGeometry();
  private readonly lut = new THREE.DataTexture(new Uint8Array(256 * 4), 256, 1, THREE.RGBAFormat);
  private readonly uniforms = {
    uVmin: { value: 0 },
    uVmax: { value: 1 },
    uSize: { value: 2 },
    uLog: { value: 0 },
    uLut: { value: this.lut as THREE.Texture },
  };
  private readonly material: THREE.ShaderMaterial;
  private readonly pickMaterial: THREE.ShaderMaterial;
  private colormap: ColormapName = 'viridis';
  private sizeCss = 2;
  private loadSeq = 0;
  private numpyPath: string | undefined;
  /** source row of each drawn row (rows are shuffled when there are more than MOVING_POINTS) */
  private sourceRow: Int32Array | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
    private readonly reveal: () => void = () => undefined,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'points-view';
    setHtml(
      this.element,
      html`
      <div class="points-toolbar">
        <input class="points-path needs-control" type="text" placeholder=".npy / .npz file, or file.h5:/dataset, on the serving machine" spellcheck="false">
        <select class="points-member needs-control" title="array of the .npz archive" hidden></select>
        <button class="points-load needs-control">Load</button>
        <button class="points-cancel" hidden>Cancel</button>
        <span class="points-axes">x <select class="points-x"></select> y <select class="points-y"></select> z <select class="points-z"></select></span>
        <span>colour <select class="points-color"></select></span>
        <select class="points-scale" title="colour scale"><option value="linear">linear</option><option value="log">log</option></select>
        <select class="points-colormap" title="colour map">${colormapNames.map((n) => html`<option>${n}</option>`)}</select>
        <label title="point size, px">size <input class="points-size" type="range" min="1" max="8" step="0.5" value="2"></label>
        <button data-preset="front">front</button><button data-preset="top">top</button><button data-preset="iso">3/4</button>
        <select class="points-export-scale" title="PNG scale"><option value="1">1×</option><option value="2" selected>2×</option><option value="4">4×</option></select>
        <button class="points-export" title="save the view as PNG">PNG</button>
      </div>
      <div class="points-info">Load an N×3 (or N×C) array: a .npy/.npz file here, or an HDF5 dataset from the Browser.</div>
      <div class="points-stage"><canvas class="points-colorbar"></canvas><div class="points-tooltip" hidden></div></div>`,
    );
    const host = this.element.querySelector<HTMLElement>('.points-stage')!;
    this.stage = new ThreeStage(host, { antialias: false });
    host.prepend(this.stage.canvas);
    this.picker = new GpuPicker(this.stage.renderer, 3);
    this.colorBar = this.element.querySelector('.points-colorbar')!;
    this.tooltip = this.element.querySelector('.points-tooltip')!;
    this.info = this.element.querySelector('.points-info')!;
    const q = <T extends Element>(s: string) => this.element.querySelector<T>(s)!;
    this.selects = { x: q('.points-x'), y: q('.points-y'), z: q('.points-z'), color: q('.points-color'), member: q('.points-member') };
    this.lut.magFilter = THREE.LinearFilter;
    this.lut.minFilter = THREE.LinearFilter;
    this.material = new THREE.ShaderMaterial({ vertexShader: VERTEX, fragmentShader: FRAGMENT, uniforms: this.uniforms });
    this.pickMaterial = new THREE.ShaderMaterial({ vertexShader: VERTEX, fragmentShader: PICK_FRAGMENT, uniforms: this.uniforms });
    this.setColormap('viridis');
    this.wire();
    this.stage.applyPreset({ position: [9, 7, 13] });
  }

  private wire(): void {
    const q = <T extends Element>(s: string) => this.element.querySelector<T>(s)!;
    const path = q<HTMLInputElement>('.points-path');
    const load = () => {
      const p = path.value.trim();
      if (!p) return;
      const h5 = /^(.+\.(?:h5|hdf5|hdf|he5))(?::(\/.*))?$/i.exec(p);
      if (h5) {
        void this.showHdf5Path(h5[1], h5[2]).catch(() => undefined);
        return;
      }
      const member = p === this.numpyPath && !this.selects.member.hidden ? this.selects.member.value : undefined;
      void this.show({ kind: 'numpy', path: p, name: member || undefined }).catch(() => undefined);
    };
    q('.points-load').addEventListener('click', load);
    path.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') load();
    });
    this.selects.member.addEventListener('change', load);
    q('.points-cancel').addEventListener('click', () => {
      this.loadSeq++;
      this.progress(undefined);
      this.info.textContent = 'cancelled';
    });
    for (const s of [this.selects.x, this.selects.y, this.selects.z]) s.addEventListener('change', () => this.updatePositions());
    this.selects.color.addEventListener('change', () => this.updateColors());
    q<HTMLSelectElement>('.points-scale').addEventListener('change', () => this.updateColors());
    q<HTMLSelectElement>('.points-colormap').addEventListener('change', (e) => this.setColormap((e.target as HTMLSelectElement).value as ColormapName));
    q<HTMLInputElement>('.points-size').addEventListener('input', (e) => {
      this.sizeCss = Number((e.target as HTMLInputElement).value);
      this.applySize(1);
      this.stage.requestRender();
    });
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('[data-preset]')) b.addEventListener('click', () => this.preset(b.dataset.preset!));
    q('.points-export').addEventListener('click', () => {
      void this.exportPng(Number(q<HTMLSelectElement>('.points-export-scale').value)).catch((err: Error) => this.notify(`PNG export failed: ${err.message}`));
    });
    hoverPerFrame(
      this.stage.canvas,
      (e) => this.pickAt(e),
      () => (this.tooltip.hidden = true),
    );
    this.stage.onBeforeRender = () => this.applySize(1);
    // while orbiting or zooming, draw a random subsample; the whole cloud when the view rests
    this.stage.controls.addEventListener('start', () => this.setMoving(true));
    this.stage.controls.addEventListener('end', () => this.setMoving(false));
  }

  private setMoving(moving: boolean): void {
    const t = this.table;
    if (!t) return;
    const n = moving ? Math.min(t.rows, MOVING_POINTS) : t.rows;
    this.geometry.setDrawRange(0, n);
    this.stage.container.dataset.drawn = String(n);
    this.stage.requestRender();
  }

  shown(): void {
    this.stage.setVisible(true);
    this.drawColorBar();
  }

  hidden(): void {
    this.stage.setVisible(false);
  }

  private applySize(exportFactor: number): void {
    this.uniforms.uSize.value = this.sizeCss * this.stage.renderer.getPixelRatio() * exportFactor;
  }

  preset(name: string): void {
    const d = 17;
    const p: Record<string, { position: [number, number, number]; up?: [number, number, number] }> = {
      front: { position: [0, 0, d] },
      top: { position: [0, d, 0], up: [0, 0, -1] },
      iso: { position: [d * 0.55, d * 0.42, d * 0.72] },
    };
    if (p[name]) this.stage.applyPreset(p[name]);
  }

  private progress(text: string | undefined): void {
    this.element.querySelector<HTMLElement>('.points-cancel')!.hidden = text === undefined;
    if (text !== undefined) this.info.textContent = text;
  }

  /** "file.h5:/dataset" typed in the path field: opens the file and shows the dataset or table. */
  private async showHdf5Path(file: string, dataset: string | undefined): Promise<void> {
    if (!dataset) {
      const message = `name the dataset after the file, e.g. ${file}:/positions (an N×3 or N×C dataset, or a table)`;
      this.info.textContent = message;
      this.notify(message, 'warning');
      return;
    }
    let fileId: string;
    try {
      fileId = (await this.api.request('file.open', { path: file })).fileId;
    } catch (err) {
      this.info.textContent = `Could not open ${file}: ${(err as Error).message}`;
      this.notify(this.info.textContent);
      return;
    }
    await this.show({ kind: 'hdf5', fileId, path: dataset });
  }

  /** Loads and shows a point cloud; resolves when it is drawn (or rejects with a message for the user). */
  async show(source: PointCloudSource): Promise<void> {
    this.reveal();
    const seq = ++this.loadSeq;
    try {
      const table = await this.fetch(source, seq);
      if (!table || seq !== this.loadSeq) return;
      this.reveal(); // again: opening a file may have routed another tab to the front meanwhile
      this.setTable(table);
    } catch (err) {
      if (seq === this.loadSeq) {
        this.progress(undefined);
        this.info.textContent = (err as Error).message;
        this.notify((err as Error).message);
      }
      throw err;
    }
  }

  private async fetch(source: PointCloudSource, seq: number): Promise<PointTable | undefined> {
    if (source.kind !== 'numpy') {
      this.selects.member.hidden = true;
      this.numpyPath = undefined;
    }
    if (source.kind === 'data') {
      return {
        source: source.source,
        rows: source.rows,
        columns: source.columns,
        data: source.data,
        columnNames: defaultColumnNames(source.columns, source.columnNames),
      };
    }
    if (source.kind === 'numpy') {
      this.progress(`reading ${source.path}…`);
      (this.element.querySelector('.points-path') as HTMLInputElement).value = source.path;
      if (this.numpyPath !== source.path) {
        const list = await this.api.request('points.list', { path: source.path });
        this.numpyPath = source.path;
        const m = this.selects.member;
        m.replaceChildren(
          ...list.arrays.map((a) => {
            const o = document.createElement('option');
            o.value = a.name;
            o.disabled = a.reason !== undefined;
            o.textContent = `${a.name} (${a.shape.join('×')} ${a.dtype})`;
            o.title = a.reason ?? `${a.rows} points × ${a.columns} columns`;
            return o;
          }),
        );
        m.hidden = list.arrays.length < 2;
      }
      const r = await this.api.request('points.read', { path: source.path, name: source.name });
      if (seq !== this.loadSeq) return undefined;
      this.selects.member.value = r.name;
      this.progress(undefined);
      return { source: r.source, rows: r.rows, columns: r.columns, data: r.data, columnNames: defaultColumnNames(r.columns) };
    }
    return this.fetchHdf5(source, seq);
  }

  private async fetchHdf5(source: { fileId: string; path: string; columns?: string[] }, seq: number): Promise<PointTable | undefined> {
    const node: TreeNode = await this.api.request('file.tree', { fileId: source.fileId, path: source.path, maxDepth: 0 });
    const name = source.path;
    if (node.kind !== 'dataset' || !node.shape) throw new Error(`${name} is not a dataset: choose an N×3 (or N×C) dataset or a table to show as points`);
    if (node.columns && node.columns.length) {
      const numeric = node.columns.filter((c) => c.shape.length === 0 && /^(<|>|\|)?[fiub]\d+$|^(float|int|uint|bool)/.test(c.dtype));
      const chosen = source.columns ?? numeric.map((c) => c.name);
      if (chosen.length < 3) throw new Error(`${name}: a table with ${chosen.length} numeric scalar column(s); points need at least 3 (x, y, z)`);
      const rows = node.shape[0] ?? 0;
      if (rows > MAX_POINTS) throw new Error(`${name}: ${rows} rows; the Points view shows at most ${MAX_POINTS}`);
      const data = new Float32Array(rows * chosen.length);
      for (let start = 0; start < rows; start += HDF5_BLOCK_ROWS) {
        if (seq !== this.loadSeq) return undefined;
        this.progress(`reading ${name}: rows ${start}–${Math.min(rows, start + HDF5_BLOCK_ROWS)} of ${rows}…`);
        const r = await this.api.request('file.readTableRows', {
          fileId: source.fileId,
          path: source.path,
          start,
          count: Math.min(HDF5_BLOCK_ROWS, rows - start),
          columns: chosen,
        });
        chosen.forEach((c, j) => {
          const col = r.columns[c].data as ArrayLike<number | bigint | boolean>;
          for (let i = 0; i < r.count; i++) data[(start + i) * chosen.length + j] = Number(col[i]);
        });
      }
      this.progress(undefined);
      return { source: name, rows, columns: chosen.length, data, columnNames: chosen };
    }
    const shape = node.shape;
    if (shape.length < 2 || shape[shape.length - 1] < 3) {
      throw new Error(`${name} has shape (${shape.join(', ')}): points need an N×3 (or N×C, C ≥ 3) dataset, or a table with x, y, z columns`);
    }
    const columns = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    if (rows > MAX_POINTS) throw new Error(`${name}: ${rows} points; the Points view shows at most ${MAX_POINTS}`);
    const data = new Float32Array(rows * columns);
    const lead = shape[0];
    const rowsPerLead = rows / Math.max(1, lead);
    const step = Math.max(1, Math.floor(HDF5_BLOCK_ROWS / Math.max(1, rowsPerLead)));
    for (let s = 0; s < lead; s += step) {
      if (seq !== this.loadSeq) return undefined;
      const n = Math.min(step, lead - s);
      this.progress(`reading ${name}: ${s}–${s + n} of ${lead}…`);
      const r = await this.api.request('file.readSlice', {
        fileId: source.fileId,
        path: source.path,
        start: [s, ...shape.slice(1).map(() => 0)],
        count: [n, ...shape.slice(1)],
      });
      const values = r.data as ArrayLike<number | bigint | boolean>;
      if (typeof (values as unknown[])[0] === 'string') throw new Error(`${name} holds strings, not numbers`);
      const off = s * rowsPerLead * columns;
      if (values instanceof Float32Array) data.set(values, off);
      else for (let i = 0; i < values.length; i++) data[off + i] = Number(values[i]);
    }
    this.progress(undefined);
    return { source: name, rows, columns, data, columnNames: defaultColumnNames(columns) };
  }

  private setTable(input: PointTable): void {
    let t = input;
    this.sourceRow = undefined;
    if (t.rows > MOVING_POINTS) {
      const s = shuffleRows(t);
      t = s.table;
      this.sourceRow = s.sourceRow;
    }
    this.table = t;
    const opts = (sel: HTMLSelectElement, value: number) => {
      sel.replaceChildren(
        ...t.columnNames.map((n, i) => {
          const o = document.createElement('option');
          o.value = String(i);
          o.textContent = n;
          return o;
        }),
      );
      sel.value = String(Math.min(value, t.columns - 1));
    };
    opts(this.selects.x, 0);
    opts(this.selects.y, 1);
    opts(this.selects.z, 2);
    opts(this.selects.color, t.columns > 3 ? 3 : 2);
    if (!this.points) {
      this.points = new THREE.Points(this.geometry, this.material);
      this.points.frustumCulled = false;
      this.pickPoints = new THREE.Points(this.geometry, this.pickMaterial);
      this.pickPoints.frustumCulled = false;
      this.stage.scene.add(this.points);
      this.picker.scene.add(this.pickPoints);
    }
    // sparse clouds get bigger points
    this.sizeCss = t.rows <= 10_000 ? 5 : t.rows <= 200_000 ? 3 : 2;
    this.element.querySelector<HTMLInputElement>('.points-size')!.value = String(this.sizeCss);
    this.updatePositions(false);
    this.updateColors();
    this.info.textContent = `${t.source} · ${t.rows.toLocaleString('en-US')} points × ${t.columns} columns (${t.columnNames.join(', ')})`;
    this.element.dataset.points = String(t.rows);
    this.element.dataset.source = t.source;
    this.preset('iso');
  }

  private updatePositions(render = true): void {
    const t = this.table;
    if (!t) return;
    const old = this.geometry.getAttribute('position') as THREE.BufferAttribute | undefined;
    const p = scenePositions(
      t,
      Number(this.selects.x.value),
      Number(this.selects.y.value),
      Number(this.selects.z.value),
      10,
      old?.array as Float32Array | undefined,
    );
    if (old && old.array === p.positions) old.needsUpdate = true;
    else this.geometry.setAttribute('position', new THREE.BufferAttribute(p.positions, 3));
    this.geometry.setDrawRange(0, t.rows);
    this.stage.container.dataset.drawn = String(t.rows);
    if (render) this.stage.requestRender();
  }

  private updateColors(): void {
    const t = this.table;
    if (!t) return;
    const col = Number(this.selects.color.value);
    const old = this.geometry.getAttribute('aValue') as THREE.BufferAttribute | undefined;
    const v = columnValues(t, col, old?.array as Float32Array | undefined);
    if (old && old.array === v) old.needsUpdate = true;
    else this.geometry.setAttribute('aValue', new THREE.BufferAttribute(v, 1));
    const r = columnRange(t, col);
    const log = this.element.querySelector<HTMLSelectElement>('.points-scale')!.value === 'log';
    let vmin = r.vmin;
    if (log && !(vmin > 0)) {
      // from the smallest positive value; values ≤ 0 take the low end
      vmin = Infinity;
      for (let i = 0; i < v.length; i++) if (v[i] > 0 && v[i] < vmin) vmin = v[i];
      if (!Number.isFinite(vmin)) vmin = r.vmax > 0 ? r.vmax / 1000 : 1;
    }
    this.uniforms.uLog.value = log ? 1 : 0;
    this.uniforms.uVmin.value = vmin;
    this.uniforms.uVmax.value = Math.max(r.vmax, vmin * 1.0001);
    this.drawColorBar();
    this.stage.requestRender();
  }

  private setColormap(name: ColormapName): void {
    this.colormap = name;
    const lut = colormapLut(name);
    const bytes = this.lut.image.data as Uint8Array;
    for (let i = 0; i < 256; i++) {
      const c = lut[i];
      bytes[4 * i] = c & 255;
      bytes[4 * i + 1] = (c >>> 8) & 255;
      bytes[4 * i + 2] = (c >>> 16) & 255;
      bytes[4 * i + 3] = 255;
    }
    this.lut.needsUpdate = true;
    this.drawColorBar();
    this.stage.requestRender();
  }

  private drawColorBar(): void {
    const dpr = window.devicePixelRatio || 1;
    const r = this.colorBar.getBoundingClientRect();
    if (!r.width) return;
    this.colorBar.width = Math.round(r.width * dpr);
    this.colorBar.height = Math.round(r.height * dpr);
    const unit = this.table ? (this.table.columnNames[Number(this.selects.color.value)] ?? '') : '';
    if (!this.table) {
      this.colorBar.getContext('2d')?.clearRect(0, 0, this.colorBar.width, this.colorBar.height);
      return;
    }
    const kind = this.uniforms.uLog.value > 0.5 ? 'log' : 'linear';
    drawColorBar(
      this.colorBar,
      colormapLut(this.colormap),
      { kind, vmin: this.uniforms.uVmin.value, vmax: this.uniforms.uVmax.value, linthresh: 1 },
      unit,
      dpr,
    );
  }

  private pickAt(ev: MouseEvent): void {
    if (!this.table) return;
    const p = this.stage.pointer(ev);
    this.applySize(1);
    const i = this.picker.pick(this.stage.camera, p.px, p.py);
    this.tooltip.hidden = i < 0 || i >= this.table.rows;
    if (this.tooltip.hidden) return;
    const row = this.sourceRow ? this.sourceRow[i] : i;
    this.tooltip.textContent = pointText(this.table, i, row);
    this.tooltip.dataset.point = String(row);
    this.tooltip.style.left = `${p.cssX + 14}px`;
    this.tooltip.style.top = `${p.cssY + 10}px`;
  }

  async exportPng(scale: number): Promise<{ width: number; height: number }> {
    const { width, height } = this.stage.size;
    const bar = this.colorBar.getBoundingClientRect();
    const host = this.stage.container.getBoundingClientRect();
    const canvas = renderToCanvas(this.stage.renderer, this.stage.scene, this.stage.camera, width, height, {
      scale,
      title: this.table ? `${this.table.source} · ${this.table.rows.toLocaleString('en-US')} points` : 'Lightpool points',
      overlays: this.table ? [{ canvas: this.colorBar, x: bar.left - host.left, y: bar.top - host.top, width: bar.width, height: bar.height }] : [],
      onScale: (f) => this.applySize(f),
    });
    await downloadCanvasPng(canvas, 'points.png');
    this.element.dataset.lastExport = `${canvas.width}x${canvas.height}`;
    return { width: canvas.width, height: canvas.height };
  }
}
