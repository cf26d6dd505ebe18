/**
 * The waveform view under the cameras of the Event tab, for files that have
 * waveforms (sim_telarray; ctapipe HDF5 with /r1 or /r0 tables): a click on
 * a camera pixel shows its R1 waveform (uPlot) with the extraction window
 * shaded, the peak time marked and the charge, peak time, window, gain and
 * true photo-electrons written; shift-click adds pixels (distinct colours,
 * legend); the arrow keys step the last pixel to its neighbour; R0 high /
 * low gain on demand; PNG and SVG export. Everything it shows comes from
 * file.waveforms; text from files goes into the DOM as text only.
 *
 * On the live stream (setLive) the same view shows the newest R1 waveforms
 * the DAQ sent for the clicked pixels (live.waveforms), asked again as new
 * events are shown (at most 4 times a second, one request at a time), with
 * the image value and peak time the stream sent; the window is not known
 * and not drawn. A live source without waveforms is said to be one.
 */
import uPlot from 'uplot';
import type { ApiClient } from '../api/api-client.js';
import type { CameraGeometry } from '../../src-main/api/instrument-types.js';
import type { FileOpenResult, PixelWaveforms, WaveformLevels } from '../../src-main/api/file-contract.js';
import { ensureUplotCss } from '../dom/uplot-css.js';
import { html, setHtml } from '../dom/html.js';
import { formatSignificant } from '../format/numbers.js';
import { plotAxis, plotValue, plotArea, resizePlot } from '../dom/uplot-style.js';
import { downloadBlob } from '../camera/camera-png.js';
import { neighbourInDirection } from './pixel-steps.js';
import { PIXEL_COLORS, readoutText, waveformFigure, waveformSvg, yRange, type WaveformFigure, type WaveformKind } from './waveform-figure.js';
import type { PixelWaveform } from '../../src-main/api/file-contract.js';
import { ExtractorControl } from './extractor-control.js';
import { LIVE_NO_WAVEFORMS, LIVE_WINDOW_UNKNOWN, RefreshGate, liveReadoutText, liveToPixelWaveforms } from './live-waveforms.js';

/** at most this many overlaid pixels (the API's limit is higher) */
export const MAX_OVERLAID_PIXELS = 10;

/** What the panel needs of the camera grid: geometries, and drawing the chosen pixels on the camera. */
export interface WaveformHost {
  geometryOf(telId: number): CameraGeometry | undefined;
  markPixels(telId: number, marks: { pixel: number; color: string }[]): void;
}

export class WaveformPanel {
  readonly element: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly plotEl: HTMLElement;
  private readonly readoutEl: HTMLElement;
  private readonly noteEl: HTMLElement;
  private readonly kindEl: HTMLSelectElement;
  /** sim_telarray files: the image extractor (file.extractor) */
  readonly extractor: ExtractorControl;
  private plot: uPlot | undefined;
  private figure: WaveformFigure | undefined;
  private file: FileOpenResult | undefined;
  private index = 0;
  private telId = -1;
  private pixels: number[] = [];
  private data: PixelWaveforms | undefined;
  private seq = 0;
  private signature = '';
  /** true while the cameras show the live stream: the waveforms come from live.waveforms */
  private live = false;
  private readonly liveRefresh = new RefreshGate(250);
  /** live: the panel takes the keyboard once waveforms are shown (a click on a source without them leaves the keys to the tiles) */
  private focusOnShow = false;

  constructor(
    private readonly api: ApiClient,
    private readonly host: WaveformHost,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    ensureUplotCss();
    this.element = document.createElement('section');
    this.element.className = 'waveform-panel';
    this.element.tabIndex = 0;
    this.element.hidden = true;
    setHtml(
      this.element,
      html`<header class="waveform-header"><span class="waveform-title"></span>
        <span class="waveform-tools">
          <label title="which trace: calibrated R1, or the raw ADC samples of either gain">trace <select class="waveform-kind"><option value="r1">R1 (p.e.)</option><option value="r0high">R0 high gain (ADC)</option><option value="r0low">R0 low gain (ADC)</option></select></label>
          <span class="waveform-keys" title="click a pixel: its waveform · shift-click: add a pixel · arrow keys: step to the neighbouring pixel · Esc: close">click · shift-click · ← ↑ → ↓</span>
          <button class="waveform-png" title="save the waveforms as PNG">PNG</button>
          <button class="waveform-svg" title="save the waveforms as an SVG figure">SVG</button>
          <button class="waveform-close" title="close (Esc)">×</button>
        </span></header>
      <div class="waveform-plot"></div>
      <ul class="waveform-readout"></ul>
      <div class="waveform-note"></div>`,
    );
    this.titleEl = this.element.querySelector('.waveform-title')!;
    this.plotEl = this.element.querySelector('.waveform-plot')!;
    this.readoutEl = this.element.querySelector('.waveform-readout')!;
    this.noteEl = this.element.querySelector('.waveform-note')!;
    this.kindEl = this.element.querySelector('.waveform-kind')!;
    this.extractor = new ExtractorControl(api, notify);
    this.element.querySelector('.waveform-tools')!.prepend(this.extractor.element);
    this.kindEl.addEventListener('change', () => void this.load());
    this.element.querySelector('.waveform-close')!.addEventListener('click', () => this.close());
    this.element.querySelector('.waveform-png')!.addEventListener('click', () => {
      this.exportPng().then(
        (b) => downloadBlob(b, `${this.fileName()}.png`),
        (err: Error) => this.notify(`export failed: ${err.message}`),
      );
    });
    this.element.querySelector('.waveform-svg')!.addEventListener('click', () => {
      try {
        downloadBlob(new Blob([this.exportSvg()], { type: 'image/svg+xml' }), `${this.fileName()}.svg`);
      } catch (err) {
        this.notify(`export failed: ${(err as Error).message}`);
      }
    });
    this.element.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => requestAnimationFrame(() => this.resize())).observe(this.plotEl);
  }

  get kind(): WaveformKind {
    return this.kindEl.value as WaveformKind;
  }

  /** The cameras show the live stream: a click shows the newest waveforms the live source sent. */
  setLive(): void {
    const was = this.live;
    this.live = true;
    this.file = undefined;
    void this.extractor.setFile(undefined);
    this.kindEl.value = 'r1';
    this.kindEl.disabled = true;
    this.kindEl.title = 'the live stream carries R1 only';
    this.element.dataset.input = 'live';
    if (!was) this.close();
  }

  /**
   * The cameras show no event (a file is being opened, or has none): nothing of the event shown
   * before stays, and a pixel click says there is no event instead of asking for waveforms.
   */
  clearEvent(): void {
    if (this.live) {
      this.live = false;
      this.kindEl.disabled = false;
      this.kindEl.title = '';
      this.element.dataset.input = 'file';
    }
    if (this.file) void this.extractor.setFile(undefined);
    this.file = undefined;
    this.index = 0;
    this.close();
  }

  /**
   * The R0 / R1 waveforms of the file shown (undefined: not known, or the live stream): R0 is offered
   * where the file has it, its low gain where the cameras have two gains.
   */
  setWaveformLevels(levels: WaveformLevels | undefined): void {
    const high = this.kindEl.querySelector<HTMLOptionElement>('option[value=r0high]')!;
    const low = this.kindEl.querySelector<HTMLOptionElement>('option[value=r0low]')!;
    const r0 = levels?.r0;
    const noR0 = r0 !== undefined && !r0.available;
    const oneGain = r0 !== undefined && r0.available && r0.gains < 2;
    high.disabled = noR0;
    low.disabled = noR0 || oneGain;
    high.title = noR0 ? `no R0: ${r0.why}` : '';
    low.title = noR0 ? `no R0: ${r0.why}` : oneGain ? 'this camera has one gain: its R0 is the high gain only' : '';
    low.textContent = oneGain ? 'R0 low gain (ADC) · none: one gain' : 'R0 low gain (ADC)';
    const kind = this.kind;
    if ((kind === 'r0low' && low.disabled) || (kind === 'r0high' && high.disabled)) {
      this.kindEl.value = noR0 ? 'r1' : 'r0high';
      if (!this.element.hidden && this.pixels.length) void this.load();
    }
  }

  /** A live event was drawn: the shown pixels' waveforms follow the stream (rate-limited). */
  liveEventShown(): void {
    if (!this.live || this.element.hidden || !this.pixels.length) return;
    if (this.liveRefresh.tryStart(performance.now())) void this.load(true);
  }

  /** The file event the cameras show (its pixels' waveforms follow it), or none. */
  setEvent(file: FileOpenResult | undefined, index: number): void {
    if (this.live && file) {
      this.live = false;
      this.kindEl.disabled = false;
      this.kindEl.title = '';
      this.element.dataset.input = 'file';
      this.close();
    }
    const sameFile = file?.fileId === this.file?.fileId;
    this.file = file;
    this.index = index;
    if (!sameFile) void this.extractor.setFile(file);
    if (!file || !sameFile) {
      this.close();
      return;
    }
    if (!this.element.hidden && this.pixels.length) void this.load();
  }

  /** A click on pixel `pixel` of telescope `telId` (`add`: shift-click, overlay it). */
  pixelClicked(telId: number, pixel: number, add: boolean): void {
    if (pixel < 0) return;
    if (!this.file && !this.live) return this.showNoEvent(telId, pixel);
    if (add && telId === this.telId && this.pixels.length) {
      if (this.pixels.includes(pixel)) this.pixels = this.pixels.filter((p) => p !== pixel);
      else this.pixels = [...this.pixels, pixel].slice(-MAX_OVERLAID_PIXELS);
      if (!this.pixels.length) return this.close();
    } else {
      if (this.telId !== telId) this.host.markPixels(this.telId, []);
      this.telId = telId;
      this.pixels = [pixel];
    }
    this.element.hidden = false;
    // live: the keyboard moves to the panel once it shows waveforms (a live source may have none)
    if (this.live) this.focusOnShow = true;
    else this.element.focus({ preventScroll: true });
    this.liveRefresh.reset();
    void this.load();
  }

  close(): void {
    this.element.hidden = true;
    if (this.telId >= 0) this.host.markPixels(this.telId, []);
    this.pixels = [];
    this.data = undefined;
    this.seq++;
  }

  /** A click while no event is shown (a file without events, or one still loading): says so, shows no trace. */
  private showNoEvent(telId: number, pixel: number): void {
    this.close();
    this.figure = undefined;
    this.plot?.destroy();
    this.plot = undefined;
    this.signature = '';
    this.readoutEl.replaceChildren();
    for (const key of ['telId', 'kind', 'yLabel', 'pixels', 'eventId', 'obsId']) delete this.element.dataset[key];
    this.titleEl.textContent = `Tel ${telId} · pixel ${pixel}`;
    this.noteEl.textContent = 'no event is shown: there is no waveform to show';
    this.element.dataset.state = 'no-event';
    this.element.hidden = false;
  }

  private colorOf(k: number): string {
    return PIXEL_COLORS[k % PIXEL_COLORS.length];
  }

  private async load(refresh = false): Promise<void> {
    if (this.live) return this.loadLive(refresh);
    const file = this.file;
    if (!file || !this.pixels.length) return;
    const token = ++this.seq;
    const pixels = [...this.pixels];
    this.host.markPixels(
      this.telId,
      pixels.map((p, k) => ({ pixel: p, color: this.colorOf(k) })),
    );
    this.element.dataset.state = 'loading';
    try {
      const w = await this.api.request('file.waveforms', { fileId: file.fileId, index: this.index, telId: this.telId, pixels, r0: this.kind !== 'r1' });
      // a newer click, or another file or event meanwhile: this answer is not shown
      if (token !== this.seq || file !== this.file) return;
      this.data = w;
      this.show(w);
      this.element.dataset.input = 'file';
      this.element.dataset.state = 'shown';
    } catch (err) {
      if (token !== this.seq) return;
      this.data = undefined;
      this.plot?.destroy();
      this.plot = undefined;
      this.readoutEl.replaceChildren();
      this.titleEl.textContent = `Tel ${this.telId} · pixel ${pixels.join(', ')}`;
      this.noteEl.textContent = `no waveforms: ${(err as Error).message}`;
      this.element.dataset.state = 'error';
    }
  }

  /** the newest waveforms of the live stream (`refresh`: asked because a new event was shown, not by a click) */
  private async loadLive(refresh: boolean): Promise<void> {
    if (!this.pixels.length) return this.liveRefresh.done();
    const token = ++this.seq;
    const pixels = [...this.pixels];
    const telId = this.telId;
    this.host.markPixels(
      telId,
      pixels.map((p, k) => ({ pixel: p, color: this.colorOf(k) })),
    );
    // a new pixel while waveforms are shown keeps the plot in place until the answer
    if (!refresh && this.element.dataset.state !== 'shown') this.element.dataset.state = 'loading';
    try {
      const r = await this.api.request('live.waveforms', { telId, pixels });
      if (token !== this.seq) return;
      const w = liveToPixelWaveforms(r, this.host.geometryOf(telId)?.name ?? '');
      this.element.dataset.input = 'live';
      if (!w) {
        this.data = undefined;
        this.figure = undefined;
        this.plot?.destroy();
        this.plot = undefined;
        this.signature = '';
        this.readoutEl.replaceChildren();
        this.titleEl.textContent = `Tel ${telId} · pixel ${pixels.join(', ')} · live`;
        this.noteEl.textContent = LIVE_NO_WAVEFORMS;
        delete this.element.dataset.eventId;
        this.element.dataset.state = 'unavailable';
        this.focusOnShow = false;
        return;
      }
      this.data = w;
      this.show(w);
      this.element.dataset.eventId = String(w.eventId);
      this.element.dataset.obsId = String(w.obsId);
      this.element.dataset.state = 'shown';
      if (this.focusOnShow) this.element.focus({ preventScroll: true });
      this.focusOnShow = false;
    } catch (err) {
      if (token !== this.seq) return;
      this.data = undefined;
      this.readoutEl.replaceChildren();
      this.noteEl.textContent = `no live waveforms: ${(err as Error).message}`;
      this.element.dataset.state = 'error';
    } finally {
      this.liveRefresh.done();
    }
  }

  /** a pixel's read-out line (live: what the stream sent; the window is not known) */
  private readout(p: PixelWaveform, rateGHz: number): string {
    return this.live ? liveReadoutText(p) : readoutText(p, rateGHz);
  }

  private show(w: PixelWaveforms): void {
    const kind = this.kind;
    const fig = waveformFigure(w, kind, (_p, k) => this.colorOf(k));
    this.figure = fig;
    this.titleEl.textContent = `${fig.title} · ${w.pixels.length === 1 ? `pixel ${w.pixels[0].pixel}` : `${w.pixels.length} pixels`}`;
    this.element.dataset.telId = String(w.telId);
    this.element.dataset.kind = kind;
    this.element.dataset.yLabel = fig.yLabel;
    this.element.dataset.pixels = w.pixels.map((p) => p.pixel).join(',');
    const items = w.pixels.map((p, k) => {
      const li = document.createElement('li');
      li.className = 'waveform-pixel';
      li.dataset.pixel = String(p.pixel);
      li.dataset.charge = String(p.charge);
      li.dataset.peakTime = String(p.peakTime);
      li.dataset.windowStart = String(p.windowStart ?? '');
      li.dataset.windowWidth = String(p.windowWidth ?? '');
      if (p.truePe !== null) li.dataset.truePe = String(p.truePe);
      // the samples drawn (for checks from outside: the plot's canvas has no numbers)
      const drawn = fig.series.find((sr) => sr.pixel === p.pixel);
      li.dataset.samples = drawn ? Array.from(drawn.y).join(',') : '';
      const swatch = document.createElement('span');
      swatch.className = 'waveform-swatch';
      swatch.style.background = this.colorOf(k);
      const text = document.createElement('span');
      text.className = 'waveform-text';
      text.textContent = this.readout(p, w.samplingRateGHz);
      li.append(swatch, text);
      return li;
    });
    this.readoutEl.replaceChildren(...items);
    const nMissing = w.pixels.length - fig.series.length;
    const missing = nMissing > 0 ? ` · ${nMissing} ${nMissing === 1 ? 'pixel has' : 'pixels have'} no ${kind === 'r1' ? 'R1' : 'R0'} trace in this file` : '';
    const pe = w.pixels.some((p) => p.truePeTimes && p.truePeTimes.length)
      ? ' · true photo-electron times are in the simulation’s own time frame, not the readout’s: their number is listed, not drawn'
      : '';
    this.noteEl.textContent = `${w.source} · ${samplesText(w.nSamples)} at ${formatSignificant(w.samplingRateGHz, 4)} GHz${w.extractor ? ` · window: ${w.extractor.type} width ${w.extractor.windowWidth}, shift ${w.extractor.windowShift}` : ''}${missing}${pe}`;
    const kindOk = kind === 'r1' || w.hasR0;
    if (!kindOk) this.noteEl.textContent += ' · this file has no R0 waveforms';
    else if (kind === 'r0low' && w.pixels.every((p) => !p.r0Low) && w.pixels.some((p) => p.r0High))
      this.noteEl.textContent += ' · this camera has one gain: no low-gain R0 (choose R0 high gain)';
    if (this.live)
      this.noteEl.textContent = `${w.source} · event ${w.eventId} · ${samplesText(w.nSamples)} at ${formatSignificant(w.samplingRateGHz, 4)} GHz · ${LIVE_WINDOW_UNKNOWN}`;
    this.draw(fig);
  }

  private draw(fig: WaveformFigure): void {
    const data = [Array.from(fig.x), ...fig.series.map((s) => Array.from(s.y))] as uPlot.AlignedData;
    const sig = JSON.stringify([fig.series.map((s) => [s.label, s.color]), fig.yLabel]);
    const { width, height } = this.size();
    if (this.plot && sig === this.signature) {
      this.plot.setData(data, true);
      this.plot.redraw();
      return;
    }
    this.signature = sig;
    this.plot?.destroy();
    this.plot = undefined;
    if (width < 10 || height < 10) return;
    this.plot = new uPlot(this.options(fig, width, height), data, this.plotEl);
  }

  private options(fig: WaveformFigure, width: number, height: number): uPlot.Options {
    return {
      width,
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
      scales: { x: { time: false }, y: { range: () => yRange(this.figure ?? fig) } },
      axes: [plotAxis(fig.xLabel, 2), plotAxis(fig.yLabel, 3)],
      series: [
        { label: 'time (ns)', value: plotValue },
        ...fig.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, points: { show: true, size: 4, fill: s.color }, value: plotValue })),
      ],
      hooks: { drawClear: [(u: uPlot) => this.drawWindows(u)], draw: [(u: uPlot) => this.drawPeakTimes(u)] },
    };
  }

  /** The integration windows, shaded in each pixel's colour under the traces. */
  private drawWindows(u: uPlot): void {
    const fig = this.figure;
    if (!fig) return;
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.globalAlpha = 0.16;
    const drawn = new Set<string>();
    for (const s of fig.series) {
      if (!s.window) continue;
      // equal windows of several pixels are shaded once (in the first one's colour), not stacked into mud
      const key = s.window.join(':');
      if (drawn.has(key)) continue;
      drawn.add(key);
      const a = u.valToPos(s.window[0], 'x', true);
      const b = u.valToPos(s.window[1], 'x', true);
      ctx.fillStyle = s.color;
      ctx.fillRect(a, top, b - a, height);
    }
    ctx.restore();
  }

  /** Each pixel's peak time, a dashed line in its colour. */
  private drawPeakTimes(u: uPlot): void {
    const fig = this.figure;
    if (!fig) return;
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.setLineDash([5 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.lineWidth = uPlot.pxRatio;
    for (const s of fig.series) {
      if (!Number.isFinite(s.peakTime)) continue;
      const x = u.valToPos(s.peakTime, 'x', true);
      ctx.strokeStyle = s.color;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
  }

  private size(): { width: number; height: number } {
    return plotArea(this.plotEl, this.plot, 26);
  }

  private resize(): void {
    resizePlot(this.plot, this.size(), () => {
      if (this.figure) this.draw(this.figure);
    });
  }

  private key(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    // the header's inputs and menus keep their own keys
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const dir: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (e.key === 'Escape') {
      this.close();
    } else if (dir[e.key]) {
      const g = this.host.geometryOf(this.telId);
      const last = this.pixels[this.pixels.length - 1];
      if (g && last !== undefined) {
        const next = neighbourInDirection(g.pixX, g.pixY, last, dir[e.key][0], dir[e.key][1]);
        if (next >= 0 && !this.pixels.includes(next)) {
          this.pixels = [...this.pixels.slice(0, -1), next];
          void this.load();
        }
      }
    } else return;
    // the panel's keys do not step the file's events
    e.preventDefault();
    e.stopPropagation();
  }

  private fileName(): string {
    const base = this.figure?.title ?? 'waveforms';
    return `${base} ${this.pixels.join('_')}`.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'waveforms';
  }

  /** The plot as a PNG: title band, the uPlot canvas (windows and peak times included), the read-out lines. */
  async exportPng(): Promise<Blob> {
    const u = this.plot;
    const fig = this.figure;
    const w = this.data;
    if (!u || !fig || !w) throw new Error('no waveform shown');
    const src = u.ctx.canvas;
    const r = uPlot.pxRatio;
    const band = Math.round(26 * r);
    const line = Math.round(17 * r);
    const canvas = document.createElement('canvas');
    canvas.width = src.width;
    canvas.height = src.height + band + line * w.pixels.length + Math.round(8 * r);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#171c24';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#dfe6f3';
    ctx.font = `600 ${14 * r}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(fig.title, canvas.width / 2, band / 2);
    ctx.drawImage(src, 0, band);
    ctx.textAlign = 'left';
    ctx.font = `${12 * r}px system-ui, sans-serif`;
    w.pixels.forEach((p, k) => {
      const y = band + src.height + line * k + line / 2 + 4 * r;
      ctx.fillStyle = this.colorOf(k);
      ctx.fillRect(12 * r, y - 2 * r, 14 * r, 4 * r);
      ctx.fillStyle = '#dfe6f3';
      ctx.fillText(this.readout(p, w.samplingRateGHz), 32 * r, y);
    });
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  exportSvg(): string {
    const fig = this.figure;
    const w = this.data;
    if (!fig || !w) throw new Error('no waveform shown');
    return waveformSvg(
      fig,
      w.pixels.map((p) => this.readout(p, w.samplingRateGHz)),
    );
  }
}

function samplesText(n: number): string {
  return `${n} ${n === 1 ? 'sample' : 'samples'}`;
}
