/**
 * The histogram panel, shared by live data and files: choose a source (the
 * live aggregation, or an open DL1 file) and a quantity, bins, range,
 * log/linear axes; overlay telescopes or kept runs; fit a Gaussian,
 * exponential or polynomial (in the backend's fit worker) with parameters ±
 * errors and χ²/ndf on the plot; export PNG/SVG. Live data arrive pre-binned
 * from the backend (never raw events); a file column is histogrammed over the
 * whole file by the backend with an optional cut, and a click on a bin lists
 * its events, one of which can be opened. The data come from a
 * HistogramSource (live-histogram-source.ts, file-histogram-source.ts); the
 * panel never asks which kind it has.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FitResultWire } from '../../src-main/api/histogram-contract.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';
import { HistogramPlot, LAYER_COLORS, downloadBlob } from './histogram-plot.js';
import { evaluateFitAt, fitLines } from './fit-display.js';
import { layerTotal, type HistogramLayer } from './histogram-layers.js';
import { BinEventList } from './bin-event-list.js';
import { html, setHtml } from '../dom/html.js';
import { PER_TEL_MAX, type HistogramPanelHost, type HistogramSource, type Shown } from './histogram-source.js';
import { LiveHistogramSource } from './live-histogram-source.js';
import { FileHistogramSource } from './file-histogram-source.js';

export class HistogramPanel implements HistogramPanelHost {
  readonly element: HTMLElement;
  private readonly plot: HistogramPlot;
  private readonly liveSource: LiveHistogramSource;
  private source: HistogramSource;
  private files: FileOpenResult[] = [];
  private shown: Shown | undefined;
  private overlays: HistogramLayer[] = [];
  private fit: FitResultWire | undefined;
  private fitRange: [number, number] | undefined;
  private fitInFlight = false;
  /** the running file-column histogram */
  job: string | undefined;
  visible = false;
  private readonly binList: BinEventList;
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(
    readonly api: ApiClient,
    readonly notify: (msg: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'hist-panel';
    setHtml(
      this.element,
      html`
      <div class="hist-controls">
        <label>source <select class="hist-source"><option value="live">live</option></select></label>
        <label>quantity <select class="hist-quantity"></select></label>
        <label>bins <input class="hist-bins" type="number" min="1" max="10000" value="50"></label>
        <label>range <input class="hist-lo" type="number" step="any" placeholder="auto"> – <input class="hist-hi" type="number" step="any" placeholder="auto"></label>
        <label title="logarithmic x axis (and log bins for files)"><input class="hist-logx" type="checkbox"> log x</label>
        <label><input class="hist-logy" type="checkbox"> log y</label>
        <label class="file-only" title="cut expression over the parameter table's columns, e.g. hillas_width > 0.02 && leakage_intensity_width_2 < 0.2">cut <input class="hist-where" type="text" placeholder="e.g. hillas_width > 0.02" spellcheck="false"></label>
        <label class="file-only" title="telescope ids, e.g. 1,2,5 (empty: all)">tel <input class="hist-tels" type="text" placeholder="all" style="width:6em"></label>
        <label title="one layer per telescope (up to ${PER_TEL_MAX})"><input class="hist-pertel" type="checkbox"> per telescope</label>
        <label title="divide each layer by its number of entries, to compare shapes"><input class="hist-norm" type="checkbox"> normalise</label>
        <button class="hist-draw" title="histogram the column over the whole file">Draw</button>
        <button class="hist-keep" title="keep the current histogram as an overlay (compare runs)">Keep overlay</button>
        <button class="hist-clear" title="remove the kept overlays">Clear overlays</button>
      </div>
      <div class="hist-controls">
        <label>fit <select class="hist-fit-model"><option value="gaussian">Gaussian</option><option value="exponential">exponential</option><option value="polynomial">polynomial</option></select></label>
        <label class="hist-degree-label" hidden>degree <input class="hist-degree" type="number" min="0" max="9" value="1" style="width:3.5em"></label>
        <label title="fit bins with centres in this range (empty: all)">in <input class="hist-fit-lo" type="number" step="any" placeholder="from"> – <input class="hist-fit-hi" type="number" step="any" placeholder="to"></label>
        <button class="hist-fit">Fit</button>
        <button class="hist-fit-clear">Remove fit</button>
        <span class="hist-spacer"></span>
        <button class="hist-export-png" title="save the plot as PNG">PNG</button>
        <button class="hist-export-svg" title="save the plot as an SVG figure">SVG</button>
      </div>
      <div class="hist-body">
        <div class="hist-main"><div class="hist-status-row"><span class="hist-status">choose a quantity</span><button class="hist-cancel" hidden>Cancel</button></div></div>
        <aside class="hist-side"><div class="hist-fit-result"></div></aside>
      </div>`,
    );
    this.plot = new HistogramPlot({ legend: true, onBinClick: (bin) => this.binClicked(bin) });
    this.q('.hist-main').append(this.plot.element);
    this.binList = new BinEventList(api, notify);
    this.q('.hist-side').append(this.binList.element);
    this.liveSource = new LiveHistogramSource(this);
    this.source = this.liveSource;
    this.wire();
    api.on('live-histograms', (h) => this.liveSource.update(h));
    api.on('file-opened', (f) => this.addFile(f));
    api.on('histogram-progress', (m) => {
      if (m.jobId !== this.job || m.done) return;
      const pct = `${((100 * m.rowsRead) / Math.max(1, m.rowsTotal)).toFixed(0)} %`;
      this.setStatus(
        m.unit === 'events'
          ? `calibrating and parameterising the images of the sim_telarray file for ${m.column}: ${m.rowsRead.toLocaleString('en-US')} of ${m.rowsTotal.toLocaleString('en-US')} events (${pct})…`
          : `histogramming ${m.column}: ${m.rowsRead.toLocaleString('en-US')} of ${m.rowsTotal.toLocaleString('en-US')} rows (${pct})…`,
      );
    });
    this.showSourceControls();
  }

  private wire(): void {
    this.q<HTMLSelectElement>('.hist-source').onchange = (e) => {
      const v = (e.target as HTMLSelectElement).value;
      const f = this.files.find((x) => x.fileId === v);
      void this.setSource(f ? new FileHistogramSource(this, this.binList, f.fileId, f.path) : this.liveSource);
    };
    this.q<HTMLSelectElement>('.hist-quantity').onchange = () => this.quantityChanged();
    const rebin = () => this.source.rebin();
    this.q<HTMLInputElement>('.hist-bins').onchange = rebin;
    this.q<HTMLInputElement>('.hist-lo').onchange = rebin;
    this.q<HTMLInputElement>('.hist-hi').onchange = rebin;
    this.q<HTMLInputElement>('.hist-logx').onchange = () => this.source.logXChanged();
    this.q<HTMLInputElement>('.hist-logy').onchange = () => this.render();
    this.q<HTMLInputElement>('.hist-norm').onchange = () => this.render();
    this.q<HTMLInputElement>('.hist-pertel').onchange = () => this.source.perTelescopeChanged();
    this.q<HTMLInputElement>('.hist-where').onkeydown = (e) => {
      if (e.key === 'Enter') this.source.draw();
    };
    this.q<HTMLInputElement>('.hist-tels').onkeydown = (e) => {
      if (e.key === 'Enter') this.source.draw();
    };
    this.q('.hist-draw').onclick = () => this.source.draw();
    this.q('.hist-cancel').onclick = () => {
      if (this.job) this.api.request('hist.cancel', { jobId: this.job }).catch((err: Error) => this.notify(err.message));
    };
    this.q('.hist-keep').onclick = () => this.keepOverlay();
    this.q('.hist-clear').onclick = () => {
      this.overlays = [];
      this.render();
    };
    this.q<HTMLSelectElement>('.hist-fit-model').onchange = () => {
      this.q('.hist-degree-label').hidden = this.q<HTMLSelectElement>('.hist-fit-model').value !== 'polynomial';
    };
    this.q('.hist-fit').onclick = () => void this.runFit(true);
    this.q('.hist-fit-clear').onclick = () => {
      this.fit = undefined;
      this.fitRange = undefined;
      this.render();
    };
    this.q('.hist-export-png').onclick = () => void this.exportFigure('png');
    this.q('.hist-export-svg').onclick = () => void this.exportFigure('svg');
  }

  /** Loads the list of open files (call once the API is connected). */
  async load(): Promise<void> {
    try {
      for (const f of await this.api.request('file.list', {})) this.addFile(f);
    } catch (err) {
      this.notify(`Could not list the open files: ${(err as Error).message}`);
    }
    if (!this.liveSource.loaded) {
      this.api.request('live.histograms', {}).then(
        (h) => this.liveSource.update(h),
        () => undefined,
      );
    }
  }

  private addFile(f: FileOpenResult): void {
    if (!f.format.offers.includes('parameters')) return;
    this.files = [...this.files.filter((x) => x.fileId !== f.fileId && x.path !== f.path), f];
    const sel = this.q<HTMLSelectElement>('.hist-source');
    const current = sel.value;
    sel.replaceChildren(new Option('live', 'live'), ...this.files.map((x) => new Option(`file: ${x.path.split('/').pop()}`, x.fileId)));
    sel.value = this.files.some((x) => x.fileId === current) ? current : 'live';
  }

  /** Shows a live histogram by name (e.g. from the monitor's grid). */
  showLive(name: string): void {
    void this.setSource(this.liveSource);
    const sel = this.q<HTMLSelectElement>('.hist-quantity');
    if (![...sel.options].some((o) => o.value === name)) sel.append(new Option(name, name));
    sel.value = name;
    this.quantityChanged();
  }

  /** Switches to an open file and (optionally) a column. */
  async showFile(fileId: string, column?: string): Promise<void> {
    const f = this.files.find((x) => x.fileId === fileId);
    if (!f) throw new Error(`file ${fileId} is not open`);
    await this.setSource(new FileHistogramSource(this, this.binList, fileId, f.path), column);
  }

  private async setSource(source: HistogramSource, column?: string): Promise<void> {
    this.source = source;
    this.shown = undefined;
    this.fit = undefined;
    this.binList.clear();
    this.q<HTMLSelectElement>('.hist-source').value = source.id;
    this.showSourceControls();
    await source.activate(column);
  }

  private showSourceControls(): void {
    for (const el of this.element.querySelectorAll<HTMLElement>('.file-only, .hist-draw')) el.hidden = !this.source.usesFileControls;
    this.element.dataset.source = this.source.usesFileControls ? 'file' : 'live';
  }

  /** a new quantity: the fit, bin list and range go, and the source shows it */
  quantityChanged(): void {
    this.fit = undefined;
    this.fitRange = undefined;
    this.binList.clear();
    this.q<HTMLInputElement>('.hist-lo').value = '';
    this.q<HTMLInputElement>('.hist-hi').value = '';
    this.source.quantityChanged();
  }

  // ---- what the sources read and do (HistogramPanelHost) ----

  isCurrent(source: HistogramSource): boolean {
    return this.source === source;
  }

  quantity(): string {
    return this.q<HTMLSelectElement>('.hist-quantity').value;
  }

  quantityCount(): number {
    return this.q<HTMLSelectElement>('.hist-quantity').options.length;
  }

  setQuantities(options: { value: string; label: string }[], preferred?: string): void {
    const sel = this.q<HTMLSelectElement>('.hist-quantity');
    const current = sel.value;
    sel.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
    const has = (v: string | undefined): v is string => v !== undefined && options.some((o) => o.value === v);
    sel.value = has(preferred) ? preferred : has(current) ? current : (options[0]?.value ?? '');
  }

  bins(): number {
    return Number(this.q<HTMLInputElement>('.hist-bins').value);
  }

  setBins(n: number): void {
    this.q<HTMLInputElement>('.hist-bins').value = String(n);
  }

  lo(): number | undefined {
    return this.optionalNumber('.hist-lo');
  }

  hi(): number | undefined {
    return this.optionalNumber('.hist-hi');
  }

  logX(): boolean {
    return this.q<HTMLInputElement>('.hist-logx').checked;
  }

  setLogX(on: boolean): void {
    this.q<HTMLInputElement>('.hist-logx').checked = on;
  }

  perTelescope(): boolean {
    return this.q<HTMLInputElement>('.hist-pertel').checked;
  }

  where(): string | undefined {
    return this.q<HTMLInputElement>('.hist-where').value.trim() || undefined;
  }

  telIds(): number[] | undefined {
    const text = this.q<HTMLInputElement>('.hist-tels').value.trim();
    return text
      ? text
          .split(/[\s,]+/)
          .map(Number)
          .filter((n) => Number.isInteger(n) && n >= 0)
      : undefined;
  }

  show(shown: Shown | undefined, entries?: number, fresh = false): void {
    this.shown = shown;
    if (entries !== undefined) this.element.dataset.entries = String(entries);
    // the counts of the first layer, as drawn (for tests and tools reading the page)
    if (shown?.layers[0]) this.element.dataset.counts = Array.from(shown.layers[0].counts).join(',');
    else delete this.element.dataset.counts;
    if (fresh) this.fit = undefined;
    this.render();
  }

  setJob(jobId: string | undefined): void {
    this.job = jobId;
    this.q('.hist-cancel').hidden = jobId === undefined;
    if (jobId) this.element.dataset.busy = 'true';
    else delete this.element.dataset.busy;
  }

  refreshFit(): void {
    if (this.fit && !this.fitInFlight) void this.runFit(false);
  }

  private binClicked(bin: number): void {
    if (this.shown) this.source.binClicked(bin, this.shown);
  }

  // ---- overlays, fit, drawing ----

  private keepOverlay(): void {
    const s = this.shown;
    if (!s) return;
    const stamp = new Date().toLocaleTimeString('en-GB');
    const base = s.layers[0];
    const label = this.source.overlayLabel(s, stamp);
    this.overlays.push({
      label,
      edges: Float64Array.from(base.edges),
      counts: Float64Array.from(base.counts),
      color: LAYER_COLORS[(this.overlays.length + 4) % LAYER_COLORS.length],
    });
    this.render();
  }

  private async runFit(user: boolean): Promise<void> {
    const s = this.shown;
    if (!s) {
      if (user) this.notify('Nothing to fit yet: choose a quantity first', 'warning');
      return;
    }
    const layer = s.layers[0];
    const model = this.q<HTMLSelectElement>('.hist-fit-model').value as FitResultWire['model'];
    const degree = Number(this.q<HTMLInputElement>('.hist-degree').value) || 0;
    if (user) {
      const lo = this.optionalNumber('.hist-fit-lo');
      const hi = this.optionalNumber('.hist-fit-hi');
      this.fitRange = lo !== undefined || hi !== undefined ? [lo ?? -Infinity, hi ?? Infinity] : undefined;
    }
    const edges = Array.from(layer.edges);
    const range: [number, number] | undefined = this.fitRange
      ? [Math.max(this.fitRange[0], edges[0]), Math.min(this.fitRange[1], edges[edges.length - 1])]
      : undefined;
    this.fitInFlight = true;
    try {
      this.fit = await this.api.request('hist.fit', { edges, counts: Array.from(layer.counts), model, degree, range });
      this.render();
    } catch (err) {
      if (user) this.notify((err as Error).message);
      this.fit = undefined;
      this.render();
    } finally {
      this.fitInFlight = false;
    }
  }

  private render(): void {
    const s = this.shown;
    const statusEl = this.q('.hist-status');
    if (!s) {
      this.q('.hist-fit-result').textContent = '';
      return;
    }
    statusEl.textContent = s.status;
    const layers = [...this.overlays, ...s.layers];
    const norm = this.q<HTMLInputElement>('.hist-norm').checked;
    const scales = layers.map((l) => (norm ? 1 / Math.max(1, layerTotal(l)) : 1));
    const main = s.layers[0];
    const edges = main.edges;
    const fit = this.fit;
    let fitContent;
    if (fit) {
      const lo = this.fitRange ? Math.max(this.fitRange[0], edges[0]) : edges[0];
      const hi = this.fitRange ? Math.min(this.fitRange[1], edges[edges.length - 1]) : edges[edges.length - 1];
      const k = scales[this.overlays.length];
      const lines = fitLines(fit, s.unit);
      fitContent = { f: (x: number) => evaluateFitAt(fit, x) * k, range: [lo, hi] as [number, number], lines };
      this.q('.hist-fit-result').replaceChildren(...lines.map((l) => Object.assign(document.createElement('div'), { textContent: l })));
      this.element.dataset.fitted = fit.model;
    } else {
      this.q('.hist-fit-result').textContent = '';
      delete this.element.dataset.fitted;
    }
    this.plot.set({
      title: s.title,
      xLabel: s.xLabel,
      yLabel: norm ? 'fraction of entries per bin' : 'entries per bin',
      layers,
      scales,
      logX: this.q<HTMLInputElement>('.hist-logx').checked && edges[0] > 0,
      logY: this.q<HTMLInputElement>('.hist-logy').checked,
      fit: fitContent,
    });
  }

  private async exportFigure(format: 'png' | 'svg'): Promise<void> {
    if (!this.shown) {
      this.notify('Nothing to export yet', 'warning');
      return;
    }
    const name = this.shown.title.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'histogram';
    try {
      if (format === 'png') downloadBlob(await this.plot.exportPng(), `${name}.png`);
      else downloadBlob(new Blob([this.plot.exportSvg()], { type: 'image/svg+xml' }), `${name}.svg`);
    } catch (err) {
      this.notify(`export failed: ${(err as Error).message}`);
    }
  }

  /** for tests: the SVG figure of the current plot */
  figureSvg(): string {
    return this.plot.exportSvg();
  }

  setStatus(text: string): void {
    this.q('.hist-status').textContent = text;
  }

  private optionalNumber(sel: string): number | undefined {
    const v = this.q<HTMLInputElement>(sel).value.trim();
    return v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
  }

  shownTab(): void {
    this.visible = true;
    this.render();
    this.source.shownTab();
  }

  hiddenTab(): void {
    this.visible = false;
  }
}
