/**
 * The Compton-imaging view: a system matrix of an open HDF5 file (dense
 * cones × pixels, or a CSR group) loaded into the backend's MLEM worker;
 * Run N iterations, Stop, Continue (the rest of a stopped run), Reset (the
 * backprojection); the 4π image after each iteration as azimuth × polar
 * angle through a colour map (plasma by default) with its colour bar, the
 * maximum marked and named, the angles and value under the pointer, and
 * PNG / SVG export.
 */
import type { ApiClient } from '../../api/api-client.js';
import type { MlemImageMessage, MlemState } from '../../../src-main/api/lab-contract.js';
import { html, setHtml } from '../../dom/html.js';
import { colormapNames, type ColormapName } from '../../colormap/colormaps.js';
import { autoLimits } from '../../colormap/color-scale.js';
import { formatSignificant } from '../../format/numbers.js';
import { ImageFigure } from '../figure/image-figure.js';
import { LabDatasetPicker } from '../lab-dataset-picker.js';
import { angleText, azimuthOfColumn, polarOfRow, sphereAxes, sphereHoverText } from './sphere-axes.js';
import { SphereView } from './sphere-view.js';
import { exportButtons } from '../figure/figure-export.js';

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export class ComptonView {
  readonly element: HTMLElement;
  private readonly picker: LabDatasetPicker;
  private readonly figure: ImageFigure;
  /** the three.js sphere, made when first asked for */
  private sphere: SphereView | undefined;
  private sphereBox: HTMLElement | undefined;
  private state: MlemState | undefined;
  private image: Float64Array | undefined;
  /** the iteration a run was asked to reach (Continue runs the rest) */
  private target = 0;
  /** the last run ended on Stop */
  private stopped = false;
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (m: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'lab-subview lab-compton';
    setHtml(
      this.element,
      html`
      <div class="lab-controls cp-source">
        <label title="[polar, azimuth] bins when the file has no image_shape attribute (default 181x361)">image shape <input class="cp-shape" type="text" placeholder="from file" spellcheck="false"></label>
        <label title="a dataset of per-pixel sensitivities in the same file (empty: ones)">sensitivity <input class="cp-sensitivity" type="text" placeholder="none" spellcheck="false"></label>
      </div>
      <div class="lab-controls cp-run">
        <label class="needs-control">iterations <input class="cp-n" type="number" min="1" max="100000" step="1" value="10"></label>
        <button class="cp-run-n needs-control" title="run N more MLEM iterations">Run N</button>
        <button class="cp-stop needs-control" title="stop after the iteration in progress" disabled>Stop</button>
        <button class="cp-continue needs-control" title="run the rest of the stopped run" disabled>Continue</button>
        <button class="cp-reset needs-control" title="back to the backprojection (iteration 0)" disabled>Reset</button>
        <span class="cp-counter lab-counter">no matrix loaded</span>
        <span class="lab-spacer"></span>
        <label>colour map <select class="cp-cmap">${colormapNames.map((n) => html`<option${n === 'plasma' ? ' selected' : ''}>${n}</option>`)}</select></label>
        <label>scale <select class="cp-scale"><option>linear</option><option>log</option></select></label>
        <label title="the image on a sphere (drag to turn); the flat view has the hover values and SVG"><input class="cp-sphere-toggle" type="checkbox"> 3D sphere</label>
      </div>
      <div class="lab-error" role="alert" hidden></div>
      <div class="cp-body">
        <section class="lab-panel cp-image-panel"></section>
        <aside class="lab-side cp-side">
          <div class="lab-side-head">maximum</div>
          <div class="cp-maximum lab-muted">–</div>
          <div class="lab-side-head">system matrix</div>
          <div class="cp-info lab-muted">Choose an open file and its system matrix (a dense cones × pixels dataset, or a CSR group with data, indices, indptr), then Load.</div>
        </aside>
      </div>`,
    );
    this.picker = new LabDatasetPicker(api, '/sysmat', 'Load matrix', 'load this system matrix into an MLEM worker (its image: the backprojection)');
    this.picker.element.classList.add('needs-control');
    this.picker.onOpen = (fileId, dataset) => void this.load(fileId, dataset);
    this.q('.cp-source').prepend(this.picker.element);
    this.figure = new ImageFigure({
      className: 'cp-figure',
      notify: (m) => this.notify(m),
      hover: (row, col, v) => (this.state ? sphereHoverText(row, col, v, this.state.imageShape[0], this.state.imageShape[1]) : ''),
    });
    this.q('.cp-image-panel').append(this.figure.element);
    this.q('.cp-run-n').addEventListener('click', () => {
      const n = Number(this.q<HTMLInputElement>('.cp-n').value);
      if (!(Number.isInteger(n) && n >= 1 && n <= 100_000)) return this.showError('iterations must be a whole number from 1 to 100000');
      void this.run(n);
    });
    this.q('.cp-stop').addEventListener('click', () => {
      if (this.state) this.api.request('lab.mlem.stop', { mlemId: this.state.mlemId }).catch((err: Error) => this.showError(err.message));
    });
    this.q('.cp-continue').addEventListener('click', () => {
      if (this.state && this.target > this.state.iteration) void this.run(this.target - this.state.iteration, false);
    });
    this.q('.cp-reset').addEventListener('click', () => void this.reset());
    this.q('.cp-sphere-toggle').addEventListener('change', () => this.toggleSphere());
    this.q('.cp-cmap').addEventListener('change', () => this.render());
    this.q('.cp-scale').addEventListener('change', () => this.render());
    api.on('lab-mlem', (m) => {
      // a window with nothing loaded follows what another one runs
      if (!this.state || m.mlemId === this.state.mlemId) this.show(m);
    });
  }

  private toggleSphere(): void {
    const on = this.q<HTMLInputElement>('.cp-sphere-toggle').checked;
    if (on && !this.sphere) {
      this.sphere = new SphereView(this.figure.rasterCanvas);
      this.sphereBox = document.createElement('div');
      this.sphereBox.className = 'cp-sphere-box';
      const foot = document.createElement('div');
      foot.className = 'lab-figure-foot';
      const hint = document.createElement('span');
      hint.className = 'lab-readout';
      hint.textContent = 'drag to turn, wheel to zoom · green: polar 0°, red: azimuth 0°, blue: azimuth −90° · cyan dot: the maximum';
      const png = exportButtons(
        { exportPng: () => this.sphere!.exportPng(), exportSvg: () => this.figure.exportSvg() },
        () => `sphere ${this.figure.current?.title ?? 'MLEM image'}`,
        (m) => this.notify(m),
      );
      foot.append(hint, png);
      this.sphereBox.append(this.sphere.element, foot);
      this.q('.cp-image-panel').append(this.sphereBox);
    }
    this.figure.element.hidden = on;
    if (this.sphereBox) this.sphereBox.hidden = !on;
    this.sphere?.setVisible(on);
    this.element.dataset.sphere = String(on);
    if (on) this.render();
  }

  /** Loads `dataset` of open file `fileId` as a system matrix (also the Browser's "open as system matrix"). */
  async load(fileId: string, dataset: string): Promise<void> {
    this.picker.choose(fileId, dataset);
    this.clearError();
    const shapeText = this.q<HTMLInputElement>('.cp-shape').value.trim();
    let imageShape: [number, number] | undefined;
    if (shapeText) {
      const m = /^(\d+)\s*[x×,]\s*(\d+)$/.exec(shapeText);
      if (!m) return this.showError(`image shape "${shapeText}": write polar × azimuth bins, e.g. 181x361`);
      imageShape = [Number(m[1]), Number(m[2])];
    }
    const sensitivity = this.q<HTMLInputElement>('.cp-sensitivity').value.trim() || undefined;
    if (sensitivity && !sensitivity.startsWith('/')) return this.showError('the sensitivity dataset is a path in the file, starting with "/"');
    this.q('.cp-counter').textContent = 'loading the system matrix…';
    try {
      const m = await this.api.request('lab.mlem.load', { fileId, dataset, imageShape, sensitivity });
      this.target = 0;
      this.show(m);
    } catch (err) {
      this.q('.cp-counter').textContent = this.state ? this.counterText(this.state) : 'no matrix loaded';
      this.showError((err as Error).message);
    }
  }

  private async run(n: number, fresh = true): Promise<void> {
    const s = this.state;
    if (!s) return this.showError('load a system matrix first');
    this.clearError();
    if (fresh) this.target = s.iteration + n;
    try {
      const st = await this.api.request('lab.mlem.run', { mlemId: s.mlemId, iterations: n });
      if (this.state?.mlemId === st.mlemId && st.running) {
        this.state = { ...this.state, running: true };
        this.sync();
      }
    } catch (err) {
      this.showError((err as Error).message);
    }
  }

  private async reset(): Promise<void> {
    const s = this.state;
    if (!s) return;
    try {
      this.target = 0;
      this.show(await this.api.request('lab.mlem.reset', { mlemId: s.mlemId }));
    } catch (err) {
      this.showError((err as Error).message);
    }
  }

  private show(m: MlemImageMessage): void {
    const { image, stopped, error, ...state } = m;
    this.state = state;
    this.image = image;
    if (error) this.showError(error);
    this.stopped = !!stopped;
    const [nRows, nCols] = state.imageShape;
    this.q('.cp-info').textContent =
      `${baseName(state.file)}:${state.dataset} · ${state.format} ${state.dtype}, ${state.nCones.toLocaleString('en-US')} cones × ${state.nPixels.toLocaleString('en-US')} pixels, ` +
      `${state.nnz.toLocaleString('en-US')} non-zero · image ${nRows} × ${nCols} (${state.shapeFrom === 'attribute' ? 'shape from the file' : state.shapeFrom === 'user' ? 'shape given' : 'default shape'}) · ` +
      `sensitivity ${state.hasSensitivity ? 'from the file' : 'ones'} · ${state.engine === 'wasm-simd' ? 'WebAssembly SIMD' : 'JavaScript'} kernels`;
    this.render();
    this.sync();
  }

  private counterText(s: MlemState): string {
    const rate = s.rate ? ` · ${s.rate >= 100 ? Math.round(s.rate).toLocaleString('en-US') : s.rate.toFixed(1)} iterations/s` : '';
    const how = s.running ? 'running: ' : this.stopped ? 'stopped at ' : '';
    return `${how}iteration ${s.iteration}${s.iteration === 0 ? ' (backprojection)' : ''}${rate}`;
  }

  /** Buttons and counter follow the state. */
  private sync(): void {
    const s = this.state;
    if (!s) return;
    this.q('.cp-counter').textContent = this.counterText(s);
    this.q<HTMLButtonElement>('.cp-run-n').disabled = s.running;
    this.q<HTMLButtonElement>('.cp-stop').disabled = !s.running;
    this.q<HTMLButtonElement>('.cp-continue').disabled = s.running || !(this.target > s.iteration);
    this.q<HTMLButtonElement>('.cp-reset').disabled = s.iteration === 0 && !s.running;
    this.element.dataset.iteration = String(s.iteration);
    this.element.dataset.running = String(s.running);
  }

  private render(): void {
    const s = this.state;
    const image = this.image;
    if (!s || !image) return;
    const [nRows, nCols] = s.imageShape;
    const colormap = this.q<HTMLSelectElement>('.cp-cmap').value as ColormapName;
    const log = this.q<HTMLSelectElement>('.cp-scale').value === 'log';
    const lim = autoLimits(image);
    let vmin = lim.vmin;
    if (log) {
      let minPos = Infinity;
      for (const v of image) if (v > 0 && v < minPos) minPos = v;
      vmin = Number.isFinite(minPos) ? Math.max(minPos, lim.vmax * 1e-6) : 1e-6;
    }
    const max = s.maximum;
    const polar = polarOfRow(max.row, nRows);
    const azimuth = azimuthOfColumn(max.column, nCols);
    const axes = sphereAxes(nRows, nCols);
    this.figure.set({
      title: `MLEM image after ${s.iteration} iteration${s.iteration === 1 ? '' : 's'} · ${baseName(s.file)}:${s.dataset}`,
      values: image,
      rows: nRows,
      cols: nCols,
      x: axes.x,
      y: axes.y,
      colormap,
      norm: { kind: log ? 'log' : 'linear', vmin, vmax: lim.vmax, linthresh: 1 },
      unit: 'relative intensity',
      markers: [{ row: max.row, col: max.column, label: `max: polar ${angleText(polar)}, azimuth ${angleText(azimuth)}` }],
    });
    const text = `polar ${angleText(polar)}, azimuth ${angleText(azimuth)}: ${formatSignificant(max.value, 5)}`;
    this.q('.cp-maximum').textContent = text;
    this.q('.cp-maximum').classList.remove('lab-muted');
    this.figure.setIdleText(`maximum at ${text} · hover for values`);
    if (this.sphere && this.q<HTMLInputElement>('.cp-sphere-toggle').checked) {
      const c = this.figure.current;
      if (c) this.sphere.update(c, polar, azimuth);
    }
    Object.assign(this.element.dataset, {
      maxPolar: String(polar),
      maxAzimuth: String(azimuth),
      maxValue: String(max.value),
      maxRow: String(max.row),
      maxCol: String(max.column),
    });
  }

  private showError(message: string): void {
    const el = this.q('.lab-error');
    el.textContent = message;
    el.hidden = false;
  }

  private clearError(): void {
    const el = this.q('.lab-error');
    el.textContent = '';
    el.hidden = true;
  }

  shown(): void {
    void this.picker.refresh();
    if (!this.state) void this.adopt();
  }

  /** With nothing loaded here, shows the newest reconstruction the backend holds (another window's). */
  private async adopt(): Promise<void> {
    const list = await this.api.request('lab.list', {}).catch(() => undefined);
    const last = list?.mlem[list.mlem.length - 1];
    if (!last || this.state) return;
    const m = await this.api.request('lab.mlem.image', { mlemId: last.mlemId }).catch(() => undefined);
    if (m && !this.state) this.show(m);
  }
}
