/**
 * The spectroscopy view: a signals dataset (N × samples) of an open HDF5
 * file; the raw and shaped traces of chosen rows overlaid (uPlot), stepped
 * with ← and →; the trapezoidal shaper's k, m, M, gain and amplitude method;
 * "Shape all" in the backend's worker pool with progress and Cancel; the
 * pulse-height spectrum (bins, range, log y) with its peaks marked, the
 * chosen peak's Gaussian-plus-linear fit drawn with centroid ± error, FWHM
 * and resolution; a calibration table (two or more lines ADC = keV) that
 * puts the axis in keV; PNG and SVG of both plots.
 */
import type { ApiClient } from '../../api/api-client.js';
import type { SignalsInfo, SpectrumWire, ShapingWire } from '../../../src-main/api/lab-contract.js';
import { html, setHtml } from '../../dom/html.js';
import { HistogramPlot, LAYER_COLORS } from '../../histograms/histogram-plot.js';
import { LinePlot, type LineSeries } from '../figure/line-plot.js';
import { exportButtons } from '../figure/figure-export.js';
import { LabDatasetPicker } from '../lab-dataset-picker.js';
import { LabJobBar } from '../lab-job-bar.js';
import { CalibrationTable } from './calibration-table.js';
import { canShowKeV, fixed2, peakLines, photopeakIndex, spectrumPlotContent } from './spectrum-content.js';
import { parseRows } from './signal-rows.js';

const RAW_COLORS = ['#78909c', '#a1887f', '#9fa8da', '#80cbc4'];
const MAX_OVERLAY = 4;

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export class SpectroscopyView {
  readonly element: HTMLElement;
  private readonly picker: LabDatasetPicker;
  private readonly jobBar: LabJobBar;
  private readonly traces = new LinePlot('sp-traces');
  private readonly spectrumPlot = new HistogramPlot({ legend: false });
  private readonly calibration = new CalibrationTable();
  private signals: SignalsInfo | undefined;
  private spectrum: SpectrumWire | undefined;
  private rows: number[] = [0];
  private selected = -1;
  private userSelected = false;
  private traceSeq = 0;
  private spectrumSeq = 0;
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (m: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'lab-subview lab-spectroscopy';
    setHtml(
      this.element,
      html`
      <div class="lab-controls sp-source"><span class="lab-signals-info lab-muted"></span></div>
      <div class="lab-controls sp-shaping">
        <label title="peaking (rise) time of the trapezoid, samples">k <input class="sp-k" type="number" min="1" step="1" value="450"></label>
        <label title="gap (flat top) of the trapezoid, samples">m <input class="sp-m" type="number" min="0" step="1" value="60"></label>
        <label title="decay constant of the pole-zero correction, samples (≈ the preamplifier's decay time)">M <input class="sp-M" type="number" min="0" step="any" value="3600"></label>
        <label title="gain normalisation: M·k as Jordanov and the seed (flat top = step × (M+1)/M), or (M+1)·k (flat top = step height)">gain <select class="sp-gain"><option value="Mk">M·k</option><option value="M1k">(M+1)·k</option></select></label>
        <label title="pulse height: the maximum of the shaped trace, or the mean of the central half of its flat top">amplitude <select class="sp-amplitude"><option value="max">maximum</option><option value="flat-top-mean">flat-top mean</option></select></label>
        <label title="pre-trigger samples whose mean is subtracted (empty: 500, at most a quarter of the trace)">baseline <input class="sp-baseline" type="number" min="0" step="1" placeholder="auto"></label>
        <button class="sp-shape needs-control" title="shape every signal in the worker pool and make the pulse-height spectrum">Shape all</button>
      </div>
      <div class="lab-error" role="alert" hidden></div>
      <div class="sp-body">
        <section class="lab-panel sp-traces-panel">
          <div class="lab-panel-head">
            <label title="signal numbers, e.g. 12 or 3, 7, 12 (← → step)">signals <input class="sp-rows" type="text" value="0" spellcheck="false"></label>
            <button class="sp-prev" title="previous signal (←)">◀</button><button class="sp-next" title="next signal (→)">▶</button>
            <label title="keep the previous signals on the plot while stepping (up to ${MAX_OVERLAY})"><input class="sp-overlay" type="checkbox"> keep previous</label>
            <span class="lab-hint">← → step</span><span class="lab-spacer"></span>
          </div>
        </section>
        <section class="lab-panel sp-spectrum-panel">
          <div class="lab-panel-head">
            <label>bins <input class="sp-bins" type="number" min="8" max="65536" step="1" value="1024"></label>
            <label title="spectrum range in ADC (empty: 0 to 1.02 × the largest pulse)">range <input class="sp-lo" type="number" step="any" placeholder="0"> – <input class="sp-hi" type="number" step="any" placeholder="auto"></label>
            <label><input class="sp-logy" type="checkbox"> log y</label>
            <label title="scale each pulse to the rise-time line measured on the most prominent peak (ballistic deficit)"><input class="sp-risetime" type="checkbox"> rise-time correction</label>
            <label title="the x axis in keV (after a calibration)"><input class="sp-kev" type="checkbox" checked> keV axis</label>
            <span class="lab-spacer"></span>
          </div>
          <div class="sp-spectrum-status lab-muted">Shape all to make the pulse-height spectrum.</div>
        </section>
        <aside class="lab-side sp-side">
          <div class="lab-side-head">photopeak fit</div>
          <div class="lab-photopeak lab-muted">no spectrum yet</div>
          <div class="lab-side-head">peaks <span class="lab-muted">(click one to draw its fit)</span></div>
          <div class="sp-peaks"></div>
        </aside>
      </div>`,
    );
    this.picker = new LabDatasetPicker(api, '/signals', 'Open signals', 'open this N × samples dataset as digitized signals');
    this.picker.onOpen = (fileId, dataset) => void this.open(fileId, dataset);
    this.q('.sp-source').prepend(this.picker.element);
    this.jobBar = new LabJobBar(api, (m) => this.notify(m), 'sp-job');
    this.q('.sp-shaping').append(this.jobBar.element);
    const tracesPanel = this.q('.sp-traces-panel');
    tracesPanel.append(this.traces.element);
    tracesPanel.querySelector('.lab-panel-head')!.append(
      exportButtons(
        this.traces,
        () => this.tracesTitle(),
        (m) => this.notify(m),
      ),
    );
    const spectrumPanel = this.q('.sp-spectrum-panel');
    this.spectrumPlot.element.classList.add('sp-spectrum');
    spectrumPanel.insertBefore(this.spectrumPlot.element, this.q('.sp-spectrum-status'));
    spectrumPanel.querySelector('.lab-panel-head')!.append(
      exportButtons(
        this.spectrumPlot,
        () => this.spectrumTitle(),
        (m) => this.notify(m),
      ),
    );
    this.q('.sp-side').append(this.calibration.element);
    this.calibration.onApply = () => void this.analyse();
    this.wire();
  }

  private wire(): void {
    const retrace = () => void this.loadTraces();
    for (const sel of ['.sp-k', '.sp-m', '.sp-M', '.sp-baseline']) this.q<HTMLInputElement>(sel).addEventListener('change', retrace);
    for (const sel of ['.sp-gain', '.sp-amplitude']) this.q<HTMLSelectElement>(sel).addEventListener('change', retrace);
    this.q('.sp-shape').addEventListener('click', () => void this.shapeAll());
    const rows = this.q<HTMLInputElement>('.sp-rows');
    rows.addEventListener('change', () => {
      const r = parseRows(rows.value, this.signals?.shape[0] ?? Infinity, 16);
      if (typeof r === 'string') return this.showError(r);
      this.rows = r;
      void this.loadTraces();
    });
    this.q('.sp-prev').addEventListener('click', () => this.step(-1));
    this.q('.sp-next').addEventListener('click', () => this.step(1));
    const reanalyse = () => void this.analyse();
    for (const sel of ['.sp-bins', '.sp-lo', '.sp-hi']) this.q<HTMLInputElement>(sel).addEventListener('change', reanalyse);
    this.q('.sp-risetime').addEventListener('change', reanalyse);
    this.q('.sp-logy').addEventListener('change', () => this.renderSpectrum());
    this.q('.sp-kev').addEventListener('change', () => this.renderSpectrum());
    // a watcher's view follows what another window shaped
    this.api.on('lab-job', (m) => {
      if (m.kind === 'shape' && m.targetId === this.signals?.signalsId && m.finished?.ok && !this.jobBar.running) void this.refreshInfo();
    });
  }

  /** Opens `dataset` of open file `fileId` as signals (also called by the Browser's "open as signals"). */
  async open(fileId: string, dataset: string): Promise<void> {
    this.picker.choose(fileId, dataset);
    this.clearError();
    try {
      this.signals = await this.api.request('lab.signals.open', { fileId, dataset });
    } catch (err) {
      this.signals = undefined;
      this.showError((err as Error).message);
      return;
    }
    const s = this.signals;
    this.element.dataset.signalsId = s.signalsId;
    this.q('.lab-signals-info').textContent =
      `${baseName(s.file)}:${s.dataset} · ${s.shape[0].toLocaleString('en-US')} signals × ${s.shape[1].toLocaleString('en-US')} samples (${s.dtype})${s.samplePeriodNs ? ` · ${s.samplePeriodNs} ns per sample` : ''}`;
    this.rows = [0];
    this.q<HTMLInputElement>('.sp-rows').value = '0';
    this.spectrum = undefined;
    this.spectrumPlot.set({ title: '', xLabel: 'pulse height (ADC)', yLabel: 'counts per bin', layers: [] });
    this.q('.sp-spectrum-status').textContent = 'Shape all to make the pulse-height spectrum.';
    await this.loadTraces();
    if (s.shaped) {
      this.fillShaping(s.shaped.shaping);
      await this.analyse();
    }
  }

  private async refreshInfo(): Promise<void> {
    const s = this.signals;
    if (!s) return;
    const list = await this.api.request('lab.list', {}).catch(() => undefined);
    const info = list?.signals.find((x) => x.signalsId === s.signalsId);
    if (info) this.signals = info;
    await this.analyse();
  }

  private fillShaping(s: { k: number; m: number; M: number; gain: string; amplitude: string; baselineSamples: number }): void {
    this.q<HTMLInputElement>('.sp-k').value = String(s.k);
    this.q<HTMLInputElement>('.sp-m').value = String(s.m);
    this.q<HTMLInputElement>('.sp-M').value = String(s.M);
    this.q<HTMLSelectElement>('.sp-gain').value = s.gain;
    this.q<HTMLSelectElement>('.sp-amplitude').value = s.amplitude;
  }

  /** The shaper settings in the fields, or an error text. */
  private shaping(): ShapingWire | string {
    const int = (sel: string) => Number(this.q<HTMLInputElement>(sel).value);
    const k = int('.sp-k');
    const m = int('.sp-m');
    const M = Number(this.q<HTMLInputElement>('.sp-M').value);
    if (!(Number.isInteger(k) && k >= 1)) return 'k (peaking time) must be a whole number ≥ 1';
    if (!(Number.isInteger(m) && m >= 0)) return 'm (gap) must be a whole number ≥ 0';
    if (!(Number.isFinite(M) && M >= 0)) return 'M (decay constant) must be a number ≥ 0';
    const b = this.q<HTMLInputElement>('.sp-baseline').value.trim();
    const baselineSamples = b === '' ? undefined : Number(b);
    if (baselineSamples !== undefined && !(Number.isInteger(baselineSamples) && baselineSamples >= 0))
      return 'baseline samples must be a whole number ≥ 0 (or empty)';
    return {
      k,
      m,
      M,
      gain: this.q<HTMLSelectElement>('.sp-gain').value as 'Mk' | 'M1k',
      amplitude: this.q<HTMLSelectElement>('.sp-amplitude').value as 'max' | 'flat-top-mean',
      ...(baselineSamples !== undefined ? { baselineSamples } : {}),
    };
  }

  private step(delta: number): void {
    const s = this.signals;
    if (!s) return;
    const last = this.rows[this.rows.length - 1] ?? 0;
    const next = Math.max(0, Math.min(s.shape[0] - 1, last + delta));
    if (next === last) return;
    const keep = this.q<HTMLInputElement>('.sp-overlay').checked;
    this.rows = keep ? [...this.rows.filter((r) => r !== next), next].slice(-MAX_OVERLAY) : [next];
    this.q<HTMLInputElement>('.sp-rows').value = this.rows.join(', ');
    void this.loadTraces();
  }

  private async loadTraces(): Promise<void> {
    const s = this.signals;
    if (!s) return;
    const shaping = this.shaping();
    if (typeof shaping === 'string') return this.showError(shaping);
    const token = ++this.traceSeq;
    try {
      const t = await this.api.request('lab.signals.traces', { signalsId: s.signalsId, rows: this.rows, shaping });
      if (token !== this.traceSeq) return;
      this.clearError();
      const dt = s.samplePeriodNs ? s.samplePeriodNs / 1000 : undefined;
      const x = Float64Array.from({ length: t.nSamples }, (_, i) => (dt ? i * dt : i));
      const series: LineSeries[] = [];
      t.rows.forEach((row, i) => {
        series.push({ label: `raw #${row}`, color: RAW_COLORS[i % RAW_COLORS.length], y: t.raw.subarray(i * t.nSamples, (i + 1) * t.nSamples), width: 1 });
        series.push({
          label: `shaped #${row}`,
          color: LAYER_COLORS[(i + 1) % LAYER_COLORS.length],
          y: t.shaped.subarray(i * t.nSamples, (i + 1) * t.nSamples),
          width: 1.8,
        });
      });
      this.traces.set({ title: this.tracesTitle(), xLabel: dt ? 'time (µs)' : 'sample', yLabel: 'ADC (baseline subtracted)', x, series });
      this.element.dataset.rows = t.rows.join(',');
    } catch (err) {
      if (token === this.traceSeq) this.showError((err as Error).message);
    }
  }

  private tracesTitle(): string {
    const s = this.signals;
    const sh = this.shaping();
    const settings = typeof sh === 'string' ? '' : ` · k=${sh.k} m=${sh.m} M=${sh.M}`;
    return s ? `signals ${this.rows.join(', ')} of ${baseName(s.file)}:${s.dataset}${settings}` : 'signals';
  }

  private spectrumTitle(): string {
    const s = this.spectrum;
    const sig = this.signals;
    if (!s || !sig) return 'pulse-height spectrum';
    return `pulse-height spectrum · ${baseName(sig.file)}:${sig.dataset} · k=${s.shaping.k} m=${s.shaping.m} M=${s.shaping.M}`;
  }

  private async shapeAll(): Promise<void> {
    const s = this.signals;
    if (!s) return this.showError('open a signals dataset first (file, dataset, Open signals)');
    const shaping = this.shaping();
    if (typeof shaping === 'string') return this.showError(shaping);
    if (this.jobBar.running) return;
    this.clearError();
    const jobId = LabJobBar.newJobId('shape');
    this.element.dataset.shaping = 'running';
    this.jobBar.follow(jobId, `shaping ${s.shape[0].toLocaleString('en-US')} signals`, (m) => {
      this.element.dataset.shaping = m.finished?.ok ? 'done' : 'stopped';
      if (m.finished?.ok) void this.refreshInfo();
    });
    try {
      await this.api.request('lab.signals.shape', { signalsId: s.signalsId, shaping, jobId });
    } catch (err) {
      this.jobBar.fail((err as Error).message);
      this.element.dataset.shaping = 'stopped';
    }
  }

  private optionalNumber(sel: string): number | undefined {
    const v = this.q<HTMLInputElement>(sel).value.trim();
    return v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
  }

  private async analyse(): Promise<void> {
    const s = this.signals;
    if (!s || !s.shaped) return;
    const bins = Number(this.q<HTMLInputElement>('.sp-bins').value);
    if (!(Number.isInteger(bins) && bins >= 8 && bins <= 65536)) return this.showError('bins must be a whole number from 8 to 65536');
    const lo = this.optionalNumber('.sp-lo');
    const hi = this.optionalNumber('.sp-hi');
    let range: [number, number] | undefined;
    if (lo !== undefined || hi !== undefined) {
      if (lo === undefined || hi === undefined || !(hi > lo)) return this.showError('give both ends of the spectrum range, low < high (or leave both empty)');
      range = [lo, hi];
    }
    const lines = this.calibration.lines();
    if (typeof lines === 'string') return this.showError(lines);
    const token = ++this.spectrumSeq;
    this.q('.sp-spectrum-status').textContent = 'analysing…';
    try {
      const sp = await this.api.request('lab.spectrum', {
        signalsId: s.signalsId,
        bins,
        range,
        calibration: lines ?? undefined,
        riseTimeCorrection: this.q<HTMLInputElement>('.sp-risetime').checked || undefined,
      });
      if (token !== this.spectrumSeq) return;
      this.clearError();
      const samePeaks = this.spectrum && this.spectrum.peaks.length === sp.peaks.length;
      this.spectrum = sp;
      if (!(this.userSelected && samePeaks && this.selected < sp.peaks.length)) {
        this.selected = photopeakIndex(sp);
        this.userSelected = false;
      }
      this.calibration.showResult(sp.calibration);
      this.renderSpectrum();
    } catch (err) {
      if (token !== this.spectrumSeq) return;
      this.q('.sp-spectrum-status').textContent = '';
      this.showError((err as Error).message);
    }
  }

  private renderSpectrum(): void {
    const s = this.spectrum;
    if (!s) return;
    const keV = this.q<HTMLInputElement>('.sp-kev').checked && canShowKeV(s);
    this.spectrumPlot.set(spectrumPlotContent(s, { keV, logY: this.q<HTMLInputElement>('.sp-logy').checked, selected: this.selected }, this.spectrumTitle()));
    const c = s.correction;
    this.q('.sp-spectrum-status').textContent =
      `${s.entries.toLocaleString('en-US')} pulses (${s.underflow} below, ${s.overflow} above the range) · ${s.peaks.length} peak${s.peaks.length === 1 ? '' : 's'} fitted` +
      (s.failed.length ? `, ${s.failed.length} could not be fitted` : '') +
      (c
        ? ` · rise-time correction: height = ${c.intercept.toFixed(2)} ${c.slope < 0 ? '−' : '+'} ${Math.abs(c.slope).toFixed(4)}·t (${c.nUsed} pulses)`
        : '') +
      ` · shaped with k=${s.shaping.k} m=${s.shaping.m} M=${s.shaping.M}, gain ${s.shaping.gain === 'Mk' ? 'M·k' : '(M+1)·k'}, ${s.shaping.amplitude === 'max' ? 'maximum' : 'flat-top mean'}`;
    this.renderPhotopeak(keV);
    this.renderPeaks(keV);
    this.element.dataset.spectrum = 'shown';
  }

  private renderPhotopeak(keV: boolean): void {
    const box = this.q('.lab-photopeak');
    const s = this.spectrum!;
    const p = s.peaks[this.selected];
    if (!p) {
      box.textContent = s.failed.length ? `no peak could be fitted: ${s.failed[0].reason}` : 'no peak found';
      delete box.dataset.centroid;
      return;
    }
    box.classList.remove('lab-muted');
    box.replaceChildren(
      ...peakLines(p, this.selected, keV).map((l, i) => {
        const d = document.createElement('div');
        d.textContent = l;
        if (i === 1) d.className = 'lab-centroid';
        return d;
      }),
    );
    box.dataset.centroid = String(p.centroid);
    box.dataset.centroidError = String(p.centroidError);
    box.dataset.fwhm = String(p.fwhm);
    if (p.keV) box.dataset.centroidKev = String(p.keV.centroid);
    else delete box.dataset.centroidKev;
  }

  private renderPeaks(keV: boolean): void {
    const s = this.spectrum!;
    const table = document.createElement('table');
    table.className = 'lab-table sp-peak-table';
    const head = table.createTHead().insertRow();
    for (const t of ['#', keV ? 'keV' : 'ADC', 'FWHM', 'res.', 'counts', '']) {
      const th = document.createElement('th');
      th.textContent = t;
      head.append(th);
    }
    const body = table.createTBody();
    s.peaks.forEach((p, i) => {
      const tr = body.insertRow();
      tr.dataset.peak = String(i);
      if (i === this.selected) tr.classList.add('selected');
      const cal = keV && p.keV;
      const cells = [
        String(i + 1),
        cal ? `${fixed2(p.keV!.centroid)} ± ${fixed2(p.keV!.centroidError)}` : `${fixed2(p.centroid)} ± ${fixed2(p.centroidError)}`,
        cal ? fixed2(p.keV!.fwhm) : fixed2(p.fwhm),
        `${fixed2(100 * p.resolution)} %`,
        p.netCounts.toFixed(0),
      ];
      for (const c of cells) tr.insertCell().textContent = c;
      const use = document.createElement('button');
      use.className = 'sp-peak-to-cal';
      use.textContent = '→ cal';
      use.title = "add this peak's centroid (ADC) as a calibration line; type its energy in keV";
      use.addEventListener('click', (e) => {
        e.stopPropagation();
        this.calibration.addLine(p.centroid).focus();
      });
      tr.insertCell().append(use);
      tr.addEventListener('click', () => {
        this.selected = i;
        this.userSelected = true;
        this.renderSpectrum();
      });
    });
    this.q('.sp-peaks').replaceChildren(table);
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

  onKey(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key === 'ArrowRight') this.step(e.shiftKey ? 10 : 1);
    else if (e.key === 'ArrowLeft') this.step(e.shiftKey ? -10 : -1);
    else return false;
    return true;
  }

  shown(): void {
    void this.picker.refresh();
    if (!this.signals) void this.adopt();
  }

  /** With nothing open here, shows the newest signals dataset the backend holds (another window's, e.g. for a watcher). */
  private async adopt(): Promise<void> {
    const list = await this.api.request('lab.list', {}).catch(() => undefined);
    const last = list?.signals[list.signals.length - 1];
    if (last && !this.signals) await this.open(last.fileId, last.dataset);
  }
}
