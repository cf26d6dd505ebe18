/**
 * The histogram panel, shared by live data and files: choose a source (the
 * live aggregation, or an open DL1 file) and a quantity, bins, range,
 * log/linear axes; overlay telescopes or kept runs; fit a Gaussian,
 * exponential or polynomial (in the backend's fit worker) with parameters ±
 * errors and χ²/ndf on the plot; export PNG/SVG. Live data arrive pre-binned
 * from the backend (never raw events); a file column is histogrammed over the
 * whole file by the backend with an optional cut, and a click on a bin lists
 * its events, one of which can be opened.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileHistogramResult, FitResultWire } from '../../src-main/api/histogram-contract.js';
import type { LiveHistogram, LiveHistograms } from '../../src-main/api/live-contract.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';
import { HistogramPlot, LAYER_COLORS, downloadBlob } from './histogram-plot.js';
import { evaluateFitAt, fitLines } from './fit-display.js';
import { layerTotal, type HistogramLayer } from './histogram-layers.js';
import { BinEventList } from './bin-event-list.js';
import { formatSignificant } from '../format/numbers.js';
import { html, setHtml } from '../dom/html.js';

type Source = { kind: 'live' } | { kind: 'file'; fileId: string; path: string };

/** The histogram being shown (before overlays), with what is needed to fit it and list a bin. */
interface Shown {
  title: string;
  xLabel: string;
  unit: string;
  /** the total (layer 0) and, when split, the per-telescope layers */
  layers: HistogramLayer[];
  /** for file bins: how it was binned */
  binning?: { fileId: string; column: string; bins: number; range: [number, number]; log: boolean; where?: string; telIds?: number[] };
  status: string;
}

const PER_TEL_MAX = 9;

export class HistogramPanel {
  readonly element: HTMLElement;
  private readonly plot: HistogramPlot;
  private source: Source = { kind: 'live' };
  private files: FileOpenResult[] = [];
  /** units of the current file's columns */
  private units: Record<string, string> = {};
  private live: LiveHistograms | undefined;
  private shown: Shown | undefined;
  private overlays: HistogramLayer[] = [];
  private fit: FitResultWire | undefined;
  private fitRange: [number, number] | undefined;
  private fitInFlight = false;
  /** the running file-column histogram */
  private job: string | undefined;
  private visible = false;
  private frame = 0;
  private readonly binList: BinEventList;
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(private readonly api: ApiClient, private readonly notify: (msg: string, level?: 'info' | 'warning' | 'error') => void) {
    this.element = document.createElement('div');
    this.element.className = 'hist-panel';
    setHtml(this.element, html`
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
      </div>`);
    this.plot = new HistogramPlot({ legend: true, onBinClick: (bin) => this.binClicked(bin) });
    this.q('.hist-main').append(this.plot.element);
    this.binList = new BinEventList(api, notify);
    this.q('.hist-side').append(this.binList.element);
    this.wire();
    api.on('live-histograms', (h) => this.liveUpdate(h));
    api.on('file-opened', (f) => this.addFile(f));
    api.on('histogram-progress', (m) => {
      if (m.jobId !== this.job || m.done) return;
      this.setStatus(`histogramming ${m.column}: ${m.rowsRead.toLocaleString('en-US')} of ${m.rowsTotal.toLocaleString('en-US')} rows (${((100 * m.rowsRead) / Math.max(1, m.rowsTotal)).toFixed(0)} %)…`);
    });
    this.syncSourceControls();
  }

  private wire(): void {
    this.q<HTMLSelectElement>('.hist-source').onchange = (e) => {
      const v = (e.target as HTMLSelectElement).value;
      const f = this.files.find((x) => x.fileId === v);
      this.setSource(f ? { kind: 'file', fileId: f.fileId, path: f.path } : { kind: 'live' });
    };
    this.q<HTMLSelectElement>('.hist-quantity').onchange = () => this.quantityChanged();
    const redraw = () => (this.source.kind === 'live' ? this.applyLiveBinning() : void this.drawFile());
    this.q<HTMLInputElement>('.hist-bins').onchange = redraw;
    this.q<HTMLInputElement>('.hist-lo').onchange = redraw;
    this.q<HTMLInputElement>('.hist-hi').onchange = redraw;
    this.q<HTMLInputElement>('.hist-logx').onchange = () => (this.source.kind === 'file' ? void this.drawFile() : this.render());
    this.q<HTMLInputElement>('.hist-logy').onchange = () => this.render();
    this.q<HTMLInputElement>('.hist-norm').onchange = () => this.render();
    this.q<HTMLInputElement>('.hist-pertel').onchange = () => (this.source.kind === 'file' ? void this.drawFile() : this.renderLive());
    this.q<HTMLInputElement>('.hist-where').onkeydown = (e) => { if (e.key === 'Enter') void this.drawFile(); };
    this.q<HTMLInputElement>('.hist-tels').onkeydown = (e) => { if (e.key === 'Enter') void this.drawFile(); };
    this.q('.hist-draw').onclick = () => void this.drawFile();
    this.q('.hist-cancel').onclick = () => {
      if (this.job) this.api.request('hist.cancel', { jobId: this.job }).catch((err: Error) => this.notify(err.message));
    };
    this.q('.hist-keep').onclick = () => this.keepOverlay();
    this.q('.hist-clear').onclick = () => { this.overlays = []; this.render(); };
    this.q<HTMLSelectElement>('.hist-fit-model').onchange = () => {
      this.q('.hist-degree-label').hidden = this.q<HTMLSelectElement>('.hist-fit-model').value !== 'polynomial';
    };
    this.q('.hist-fit').onclick = () => void this.runFit(true);
    this.q('.hist-fit-clear').onclick = () => { this.fit = undefined; this.fitRange = undefined; this.render(); };
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
    if (this.source.kind === 'live' && !this.live) {
      this.api.request('live.histograms', {}).then((h) => this.liveUpdate(h), () => undefined);
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
    this.setSource({ kind: 'live' });
    const sel = this.q<HTMLSelectElement>('.hist-quantity');
    if (![...sel.options].some((o) => o.value === name)) sel.append(new Option(name, name));
    sel.value = name;
    this.quantityChanged();
  }

  /** Switches to an open file and (optionally) a column. */
  async showFile(fileId: string, column?: string): Promise<void> {
    const f = this.files.find((x) => x.fileId === fileId);
    if (!f) throw new Error(`file ${fileId} is not open`);
    await this.setSource({ kind: 'file', fileId, path: f.path }, column);
  }

  private async setSource(source: Source, column?: string): Promise<void> {
    this.source = source;
    this.shown = undefined;
    this.fit = undefined;
    this.binList.clear();
    this.q<HTMLSelectElement>('.hist-source').value = source.kind === 'live' ? 'live' : source.fileId;
    this.syncSourceControls();
    const sel = this.q<HTMLSelectElement>('.hist-quantity');
    if (source.kind === 'live') {
      sel.replaceChildren(...(this.live?.histograms ?? []).map((h) => new Option(h.label || h.name, h.name)));
      this.quantityChanged();
      return;
    }
    this.setStatus(`reading the columns of ${source.path}…`);
    try {
      const cols = await this.api.request('hist.fileColumns', { fileId: source.fileId });
      const skip = new Set(['obs_id', 'event_id', 'tel_id']);
      this.units = Object.fromEntries(cols.columns.map((c) => [c.name, c.unit]));
      sel.replaceChildren(...cols.columns.filter((c) => !skip.has(c.name)).map((c) => new Option(c.name, c.name)));
      sel.value = column && cols.columns.some((c) => c.name === column) ? column : cols.columns.some((c) => c.name === 'hillas_intensity') ? 'hillas_intensity' : sel.options[0]?.value ?? '';
      this.setStatus(`${cols.telIds.length} telescopes, ${Object.values(cols.rows).reduce((a, b) => a + b, 0).toLocaleString('en-US')} image rows`);
      this.quantityChanged();
    } catch (err) {
      this.setStatus(`cannot histogram ${source.path}: ${(err as Error).message}`);
    }
  }

  private syncSourceControls(): void {
    const file = this.source.kind === 'file';
    for (const el of this.element.querySelectorAll<HTMLElement>('.file-only, .hist-draw')) el.hidden = !file;
    this.element.dataset.source = this.source.kind;
  }

  private quantityChanged(): void {
    const name = this.q<HTMLSelectElement>('.hist-quantity').value;
    this.fit = undefined;
    this.fitRange = undefined;
    this.binList.clear();
    this.q<HTMLInputElement>('.hist-lo').value = '';
    this.q<HTMLInputElement>('.hist-hi').value = '';
    if (this.source.kind === 'live') {
      const h = this.live?.histograms.find((x) => x.name === name);
      if (h) {
        this.q<HTMLInputElement>('.hist-bins').value = String(h.counts.length);
        this.q<HTMLInputElement>('.hist-logx').checked = h.axis === 'log10';
      }
      this.renderLive();
    } else {
      const log = /intensity|size/.test(name);
      this.q<HTMLInputElement>('.hist-logx').checked = log;
      void this.drawFile();
    }
  }

  // ---- live ----

  private liveUpdate(h: LiveHistograms): void {
    const first = !this.live;
    this.live = h;
    if (this.source.kind !== 'live') return;
    const sel = this.q<HTMLSelectElement>('.hist-quantity');
    if (first || sel.options.length !== h.histograms.length) {
      const current = sel.value;
      sel.replaceChildren(...h.histograms.map((x) => new Option(x.label || x.name, x.name)));
      sel.value = h.histograms.some((x) => x.name === current) ? current : h.histograms[0]?.name ?? '';
      if (first || current !== sel.value) { this.quantityChanged(); return; }
    }
    if (!this.visible || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderLive();
      if (this.fit && !this.fitInFlight) void this.runFit(false);
    });
  }

  private currentLive(): LiveHistogram | undefined {
    const name = this.q<HTMLSelectElement>('.hist-quantity').value;
    return this.live?.histograms.find((x) => x.name === name);
  }

  private renderLive(): void {
    const h = this.currentLive();
    if (!h) {
      this.shown = undefined;
      this.setStatus(this.live ? 'choose a quantity' : 'waiting for live histograms from the backend…');
      this.render();
      return;
    }
    const layers: HistogramLayer[] = [{ label: `live ${h.name}`, edges: h.edges, counts: h.counts, color: LAYER_COLORS[0] }];
    if (this.q<HTMLInputElement>('.hist-pertel').checked && h.perTelescope) {
      Object.entries(h.perTelescope).slice(0, PER_TEL_MAX).forEach(([tel, counts], i) => {
        layers.push({ label: `tel ${tel}`, edges: h.edges, counts, color: LAYER_COLORS[(i + 1) % LAYER_COLORS.length] });
      });
    }
    const inRange = h.total - h.underflow - h.overflow - h.invalid;
    const mean = inRange > 0 ? h.sum / inRange : NaN;
    const rms = inRange > 0 ? Math.sqrt(Math.max(0, h.sumSquares / inRange - mean * mean)) : NaN;
    this.shown = {
      title: `${h.label} (live, ${h.per === 'image' ? 'per image' : 'per event'})`,
      xLabel: h.label,
      unit: h.unit,
      layers,
      status: `${h.total.toLocaleString('en-US')} ${h.per === 'image' ? 'images' : 'events'} · underflow ${fmtCount(h.underflow)} · overflow ${fmtCount(h.overflow)} · no value ${fmtCount(h.invalid)} · mean ${fmtNum(mean)} · rms ${fmtNum(rms)}`,
    };
    this.element.dataset.entries = String(h.total);
    this.render();
  }

  private applyLiveBinning(): void {
    const h = this.currentLive();
    if (!h) return;
    const bins = Number(this.q<HTMLInputElement>('.hist-bins').value);
    const lo = this.numberOr('.hist-lo', h.edges[0]);
    const hi = this.numberOr('.hist-hi', h.edges[h.edges.length - 1]);
    const log = this.q<HTMLInputElement>('.hist-logx').checked;
    this.api
      .request('live.histograms.configure', { name: h.name, bins, min: lo, max: hi, axis: log ? 'log10' : 'linear' })
      .then((r) => this.liveUpdate(r), (err: Error) => this.notify(`Could not re-bin ${h.name}: ${err.message}`));
  }

  // ---- files ----

  private async drawFile(): Promise<void> {
    const src = this.source;
    if (src.kind !== 'file') return;
    const column = this.q<HTMLSelectElement>('.hist-quantity').value;
    if (!column) return;
    const bins = Number(this.q<HTMLInputElement>('.hist-bins').value) || 50;
    const lo = this.optionalNumber('.hist-lo');
    const hi = this.optionalNumber('.hist-hi');
    const log = this.q<HTMLInputElement>('.hist-logx').checked;
    const where = this.q<HTMLInputElement>('.hist-where').value.trim() || undefined;
    const telText = this.q<HTMLInputElement>('.hist-tels').value.trim();
    const telIds = telText ? telText.split(/[\s,]+/).map(Number).filter((n) => Number.isInteger(n) && n >= 0) : undefined;
    const range: [number, number] | undefined = lo !== undefined && hi !== undefined ? [lo, hi] : undefined;
    this.setStatus(`histogramming ${column} over ${src.path}…`);
    this.element.dataset.busy = 'true';
    if (this.job) void this.api.request('hist.cancel', { jobId: this.job }).catch(() => undefined);
    const jobId = `hist-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.job = jobId;
    this.q('.hist-cancel').hidden = false;
    try {
      const total = await this.api.request('hist.fileColumn', { fileId: src.fileId, column, bins, range, log, where, telIds, jobId });
      if (this.job !== jobId) return;
      const h = total.histogram;
      const r: [number, number] = [h.edges[0], h.edges[h.edges.length - 1]];
      const layers: HistogramLayer[] = [{ label: telIds ? `tel ${telIds.join(', ')}` : 'all telescopes', edges: h.edges, counts: h.counts, color: LAYER_COLORS[0] }];
      if (this.q<HTMLInputElement>('.hist-pertel').checked) {
        const per = await Promise.all(
          total.telIds.slice(0, PER_TEL_MAX).map((t) => this.api.request('hist.fileColumn', { fileId: src.fileId, column, bins, range: r, log, where, telIds: [t] })),
        );
        per.forEach((p, i) => layers.push({ label: `tel ${p.telIds[0]}`, edges: p.histogram.edges, counts: p.histogram.counts, color: LAYER_COLORS[(i + 1) % LAYER_COLORS.length] }));
      }
      const name = src.path.split('/').pop();
      this.shown = {
        title: `${column} · ${name}${where ? ` · ${where}` : ''}`,
        xLabel: axisLabel(column, unitOf(column, this.units)),
        unit: unitOf(column, this.units),
        layers,
        binning: { fileId: src.fileId, column, bins, range: r, log, where, telIds },
        status: statusLine(total),
      };
      this.element.dataset.entries = String(h.entries);
      this.fit = undefined;
      this.binList.clear();
      this.render();
    } catch (err) {
      if (this.job !== jobId) return;
      this.setStatus(`${column}: ${(err as Error).message}`);
      if (!/was cancelled/.test((err as Error).message)) this.notify((err as Error).message);
    } finally {
      if (this.job === jobId) {
        this.job = undefined;
        this.q('.hist-cancel').hidden = true;
        delete this.element.dataset.busy;
      }
    }
  }

  private binClicked(bin: number): void {
    const b = this.shown?.binning;
    if (this.source.kind !== 'file' || !b) return;
    void this.binList.show({ ...b, bin });
  }

  // ---- overlays, fit, drawing ----

  private keepOverlay(): void {
    const s = this.shown;
    if (!s) return;
    const stamp = new Date().toLocaleTimeString('en-GB');
    const base = s.layers[0];
    const label = this.source.kind === 'live' ? `live at ${stamp}` : `${s.title.split(' · ')[1] ?? 'file'}${s.binning?.where ? ' (cut)' : ''}`;
    this.overlays.push({ label, edges: Float64Array.from(base.edges), counts: Float64Array.from(base.counts), color: LAYER_COLORS[(this.overlays.length + 4) % LAYER_COLORS.length] });
    this.render();
  }

  private async runFit(user: boolean): Promise<void> {
    const s = this.shown;
    if (!s) { if (user) this.notify('Nothing to fit yet: choose a quantity first', 'warning'); return; }
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
    if (!this.shown) { this.notify('Nothing to export yet', 'warning'); return; }
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

  private setStatus(text: string): void {
    this.q('.hist-status').textContent = text;
  }

  private optionalNumber(sel: string): number | undefined {
    const v = this.q<HTMLInputElement>(sel).value.trim();
    return v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
  }

  private numberOr(sel: string, fallback: number): number {
    return this.optionalNumber(sel) ?? fallback;
  }

  shownTab(): void {
    this.visible = true;
    if (this.source.kind === 'live') this.renderLive();
    else this.render();
  }

  hiddenTab(): void {
    this.visible = false;
  }
}

function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

function fmtNum(v: number): string {
  return Number.isFinite(v) ? formatSignificant(v) : '–';
}

function statusLine(r: FileHistogramResult): string {
  const h = r.histogram;
  return `${r.rowsSelected.toLocaleString('en-US')} of ${r.rowsRead.toLocaleString('en-US')} images pass${r.where ? ' the cut' : ''} · ${r.telIds.length} telescopes · underflow ${fmtCount(h.underflow)} · overflow ${fmtCount(h.overflow)} · NaN ${fmtCount(h.nan)} · mean ${fmtNum(h.mean)} · std ${fmtNum(h.std)} · ${r.elapsedMs.toFixed(0)} ms`;
}

/** The unit of a parameter column: the file's (ctapipe's CTAFIELD_i_UNIT), p.e. for intensities. */
export function unitOf(column: string, fileUnits: Record<string, string>): string {
  const u = fileUnits[column];
  if (u) return u.replace('**-1', '⁻¹').replace('**2', '²');
  return /^(hillas_intensity|intensity_(max|min|mean|std))$/.test(column) ? 'p.e.' : '';
}

function axisLabel(column: string, u: string): string {
  return u ? `${column} / ${u}` : column;
}
