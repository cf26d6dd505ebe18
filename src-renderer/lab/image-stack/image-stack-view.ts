/**
 * The image-stack view: a glob of PNG/TIFF frames (on the serving machine,
 * inside its data directories in serve mode), labels and energies from
 * editable path expressions; a slider over the stack ([ and ] step); window
 * [min, max] → [0, 1] and centre crop; the current image with its label and
 * energy and its pixel-value histogram; the per-label mean images and
 * histograms of the whole stack (a job with progress and Cancel); the
 * current file's channels, each in gray or jet with its histogram. Every
 * image and plot exports as PNG and SVG.
 */
import type { ApiClient } from '../../api/api-client.js';
import type { StackChannelsWire, StackImageWire, StackInfo, StackStatisticsWire } from '../../../src-main/api/lab-contract.js';
import { html, setHtml } from '../../dom/html.js';
import { colormapNames, type ColormapName } from '../../colormap/colormaps.js';
import { autoLimits } from '../../colormap/color-scale.js';
import { formatSignificant } from '../../format/numbers.js';
import { HistogramPlot, LAYER_COLORS } from '../../histograms/histogram-plot.js';
import { ImageFigure } from '../figure/image-figure.js';
import type { ImageFigureContent } from '../figure/image-figure-canvas.js';
import { exportButtons } from '../figure/figure-export.js';
import { LabJobBar } from '../lab-job-bar.js';
import { commonFolder, labelCounts, relativePath, windowBins } from './stack-paths.js';

const CHANNEL_COLORS: Record<string, string> = { grey: '#cfd8dc', red: '#ef5350', green: '#66bb6a', blue: '#42a5f5', alpha: '#bdbdbd' };

interface Settings {
  window?: [number, number];
  crop?: number;
}

const edgesOf = (lo: number, hi: number, n: number) => Float64Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);

export class ImageStackView {
  readonly element: HTMLElement;
  private readonly jobBar: LabJobBar;
  private readonly current: ImageFigure;
  private readonly currentHist = new HistogramPlot({ legend: false, compact: true });
  // not compact: the layers' legend is drawn in the plot (and kept in its PNG)
  private readonly meansHist = new HistogramPlot({ legend: false });
  private readonly channelsHist = new HistogramPlot({ legend: false });
  private meanFigures: ImageFigure[] = [];
  private channelFigures: ImageFigure[] = [];
  private stack: StackInfo | undefined;
  private folder = '';
  private index = 0;
  private shownImage: StackImageWire | undefined;
  private shownChannels: StackChannelsWire | undefined;
  private stats: StackStatisticsWire | undefined;
  private loading = false;
  private pendingIndex: number | undefined;
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (m: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'lab-subview lab-image-stack';
    setHtml(
      this.element,
      html`
      <div class="lab-controls st-source needs-control">
        <label title="PNG or TIFF files on the machine running Lightpool (relative to where it started), e.g. data/export/*/*/*/*.png">files <input class="st-pattern" type="text" spellcheck="false" placeholder="export/*/*/*/*.png"></label>
        <label title="regular expression whose first group is the label">label <input class="st-label" type="text" spellcheck="false" value="/([NE]R)/"></label>
        <label title="regular expression whose first group is the energy in keV (empty: none)">energy <input class="st-energy" type="text" spellcheck="false" value="/([0-9]+)_keV"></label>
        <button class="st-open" title="list the files (sorted) and label them">Open stack</button>
      </div>
      <div class="lab-controls st-view">
        <label title="window: [min, max] → [0, 1], clipped (both empty: raw values)">window <input class="st-wmin" type="number" step="any" placeholder="min"> – <input class="st-wmax" type="number" step="any" placeholder="max"></label>
        <label title="half-width of the centre crop, pixels (64 → 128 × 128; empty: whole image)">crop <input class="st-crop" type="number" min="1" step="1" placeholder="none"></label>
        <label>colour map <select class="st-cmap">${colormapNames.map((n) => html`<option${n === 'gray' ? ' selected' : ''}>${n}</option>`)}</select></label>
        <label class="st-slider-label">image <input class="st-slider" type="range" min="0" max="0" value="0" disabled> <span class="st-pos lab-counter">–</span></label>
        <span class="lab-hint">[ ] step</span>
        <span class="st-summary lab-muted"></span>
      </div>
      <div class="lab-error" role="alert" hidden></div>
      <div class="st-body">
        <section class="lab-panel st-current-panel">
          <div class="st-current-label lab-muted">Open a stack of images (a glob pattern), e.g. test/fixtures/lab/export/*/*/*/*.png.</div>
          <div class="st-hist-head lab-panel-head"><span>pixel values of this image</span><label><input class="st-logy" type="checkbox" checked> log y</label><span class="lab-spacer"></span></div>
        </section>
        <section class="lab-panel st-means-panel">
          <div class="lab-panel-head st-means-head"><span>per-label mean images</span><button class="st-means needs-control" title="mean image and pixel histogram per label over the whole stack (with the window and crop above)" disabled>Compute</button><span class="st-means-note lab-muted"></span></div>
          <div class="st-mean-images"></div>
          <div class="st-means-hist-head lab-panel-head"><span>pixel values per label</span><span class="lab-spacer"></span></div>
        </section>
        <section class="lab-panel st-channels-panel">
          <div class="lab-panel-head"><span>channels of this image</span><label>map <select class="st-chan-cmap"><option>gray</option><option>jet</option></select></label></div>
          <div class="st-channel-images"></div>
          <div class="st-chan-hist-head lab-panel-head"><span>values per channel</span><span class="lab-spacer"></span></div>
        </section>
      </div>`,
    );
    this.jobBar = new LabJobBar(api, (m) => this.notify(m), 'st-job');
    this.q('.st-means-head').append(this.jobBar.element);
    this.current = new ImageFigure({
      className: 'st-image',
      notify: (m) => this.notify(m),
      hover: (row, col, v) => `x ${col}, y ${row}: ${formatSignificant(v, 5)}`,
    });
    const cur = this.q('.st-current-panel');
    cur.insertBefore(this.current.element, this.q('.st-hist-head'));
    this.currentHist.element.classList.add('st-hist');
    cur.append(this.currentHist.element);
    this.q('.st-hist-head').append(
      exportButtons(
        this.currentHist,
        () => `pixel values ${this.currentTitle()}`,
        (m) => this.notify(m),
      ),
    );
    this.meansHist.element.classList.add('st-means-hist');
    this.q('.st-means-panel').append(this.meansHist.element);
    this.q('.st-means-hist-head').append(
      exportButtons(
        this.meansHist,
        () => 'pixel values per label',
        (m) => this.notify(m),
      ),
    );
    this.channelsHist.element.classList.add('st-chan-hist');
    this.q('.st-channels-panel').append(this.channelsHist.element);
    this.q('.st-chan-hist-head').append(
      exportButtons(
        this.channelsHist,
        () => 'values per channel',
        (m) => this.notify(m),
      ),
    );
    this.wire();
  }

  private wire(): void {
    this.q('.st-open').addEventListener('click', () => void this.open());
    this.q<HTMLInputElement>('.st-pattern').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.open();
    });
    const slider = this.q<HTMLInputElement>('.st-slider');
    slider.addEventListener('input', () => this.go(Number(slider.value)));
    for (const sel of ['.st-wmin', '.st-wmax', '.st-crop']) {
      this.q<HTMLInputElement>(sel).addEventListener('change', () => {
        void this.showImage(this.index);
        this.markStale();
      });
    }
    this.q('.st-cmap').addEventListener('change', () => {
      this.renderCurrent();
      this.renderMeans();
    });
    this.q('.st-logy').addEventListener('change', () => this.renderCurrent());
    this.q('.st-chan-cmap').addEventListener('change', () => this.renderChannels());
    this.q('.st-means').addEventListener('click', () => void this.computeMeans());
  }

  /** Window and crop from the fields, or an error text. */
  private settings(): Settings | string {
    const num = (sel: string) => {
      const v = this.q<HTMLInputElement>(sel).value.trim();
      return v === '' ? undefined : Number(v);
    };
    const lo = num('.st-wmin');
    const hi = num('.st-wmax');
    const crop = num('.st-crop');
    const out: Settings = {};
    if (lo !== undefined || hi !== undefined) {
      if (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo))
        return 'the window needs both min and max, min < max (or both empty for raw values)';
      out.window = [lo, hi];
    }
    if (crop !== undefined) {
      if (!(Number.isInteger(crop) && crop >= 1)) return 'the crop is a half-width in pixels, a whole number ≥ 1 (or empty)';
      out.crop = crop;
    }
    return out;
  }

  /** Opens the stack of the pattern field (also for tests and links). */
  async open(pattern = this.q<HTMLInputElement>('.st-pattern').value.trim()): Promise<void> {
    this.q<HTMLInputElement>('.st-pattern').value = pattern;
    if (!pattern) return this.showError('give a glob pattern of PNG or TIFF files, e.g. data/export/*/*/*/*.png');
    this.clearError();
    const label = this.q<HTMLInputElement>('.st-label').value.trim() || undefined;
    const energyText = this.q<HTMLInputElement>('.st-energy').value.trim();
    try {
      this.stack = await this.api.request('lab.stack.open', { pattern, label, energy: energyText === '' ? null : energyText });
    } catch (err) {
      this.showError((err as Error).message);
      return;
    }
    const st = this.stack;
    this.folder = commonFolder(st.paths);
    this.stats = undefined;
    this.element.dataset.stackId = st.stackId;
    this.element.dataset.count = String(st.paths.length);
    const slider = this.q<HTMLInputElement>('.st-slider');
    slider.max = String(st.paths.length - 1);
    slider.disabled = false;
    this.q<HTMLButtonElement>('.st-means').disabled = false;
    this.q('.st-summary').textContent = `${st.paths.length} images in ${this.folder || '/'} · ${labelCounts(st.classes, st.classIndex)}`;
    this.renderMeans();
    await this.go(0);
    if (document.body.dataset.role !== 'view') void this.computeMeans();
  }

  private go(index: number): Promise<void> | void {
    const st = this.stack;
    if (!st) return;
    this.index = Math.max(0, Math.min(st.paths.length - 1, index));
    this.q<HTMLInputElement>('.st-slider').value = String(this.index);
    return this.showImage(this.index);
  }

  /** Loads image `index` (newest wins: while one loads, only the last asked-for follows, with the settings of then). */
  private async showImage(index: number): Promise<void> {
    const st = this.stack;
    if (!st) return;
    if (this.loading) {
      this.pendingIndex = index;
      return;
    }
    const s = this.settings();
    if (typeof s === 'string') return this.showError(s);
    this.loading = true;
    try {
      const [img, channels] = await Promise.all([
        this.api.request('lab.stack.image', { stackId: st.stackId, index, window: s.window, crop: s.crop, bins: windowBins(s.window) }),
        this.api.request('lab.stack.channels', { stackId: st.stackId, index }),
      ]);
      if (this.stack !== st) return;
      this.clearError();
      this.shownImage = img;
      this.shownChannels = channels;
      this.renderCurrent();
      this.renderChannels();
    } catch (err) {
      this.showError((err as Error).message);
    } finally {
      this.loading = false;
      const next = this.pendingIndex;
      this.pendingIndex = undefined;
      // the same image again too when the window or crop changed while it loaded
      if (next !== undefined && (next !== index || JSON.stringify(this.settings()) !== JSON.stringify(s))) void this.showImage(next);
    }
  }

  private currentTitle(): string {
    const img = this.shownImage;
    if (!img) return 'image';
    const energy = Number.isFinite(img.energy) ? ` · ${img.energy} keV` : '';
    return `${img.label}${energy} · ${relativePath(img.path, this.folder)}`;
  }

  private colormap(): ColormapName {
    return this.q<HTMLSelectElement>('.st-cmap').value as ColormapName;
  }

  private pixelContent(
    title: string,
    values: ArrayLike<number>,
    width: number,
    height: number,
    windowed: boolean,
    colormap: ColormapName,
    unit: string,
  ): ImageFigureContent {
    const lim = windowed ? { vmin: 0, vmax: 1 } : autoLimits(values);
    return {
      title,
      values,
      rows: height,
      cols: width,
      x: { first: 0, step: 1, label: 'x (pixel)' },
      y: { first: 0, step: 1, label: 'y (pixel)' },
      colormap,
      norm: { kind: 'linear', vmin: lim.vmin, vmax: lim.vmax > lim.vmin ? lim.vmax : lim.vmin + 1, linthresh: 1 },
      unit,
    };
  }

  private renderCurrent(): void {
    const img = this.shownImage;
    const st = this.stack;
    if (!img || !st) return;
    const windowed = !!img.window;
    this.current.set(
      this.pixelContent(
        this.currentTitle(),
        img.pixels,
        img.width,
        img.height,
        windowed,
        this.colormap(),
        windowed ? `windowed [${img.window![0]}, ${img.window![1]}]` : `${img.source.bitDepth}-bit value`,
      ),
    );
    const energy = Number.isFinite(img.energy) ? `, energy ${img.energy} keV` : '';
    this.q('.st-current-label').textContent =
      `label ${img.label} (class ${st.classes.indexOf(img.label)})${energy} · ${relativePath(img.path, this.folder)} · ${img.source.width} × ${img.source.height} ${img.source.format.toUpperCase()}, ${img.source.bitDepth}-bit, ${img.source.channels} channel${img.source.channels === 1 ? '' : 's'}${img.crop ? ` · centre ${img.width} × ${img.height}` : ''}`;
    this.q('.st-pos').textContent = `${img.index + 1} / ${st.paths.length}`;
    this.current.setIdleText('hover for pixel values');
    Object.assign(this.element.dataset, { index: String(img.index), label: img.label, energy: String(img.energy) });
    const h = img.histogram;
    this.currentHist.set({
      title: `pixel values · ${this.currentTitle()}`,
      xLabel: windowed ? 'windowed value' : 'pixel value',
      yLabel: 'pixels',
      layers: [{ label: img.label, edges: edgesOf(h.lo, h.hi, h.counts.length), counts: h.counts, color: LAYER_COLORS[0] }],
      logY: this.q<HTMLInputElement>('.st-logy').checked,
    });
  }

  private renderChannels(): void {
    const ch = this.shownChannels;
    const host = this.q('.st-channel-images');
    if (!ch) return;
    const cmap = this.q<HTMLSelectElement>('.st-chan-cmap').value as ColormapName;
    while (this.channelFigures.length < ch.channels.length)
      this.channelFigures.push(new ImageFigure({ className: 'st-channel', notify: (m) => this.notify(m), hover: (r, c, v) => `x ${c}, y ${r}: ${v}` }));
    this.channelFigures.length = ch.channels.length;
    host.replaceChildren(...this.channelFigures.map((f) => f.element));
    host.dataset.channels = String(ch.channels.length);
    const file = relativePath(ch.path, this.folder);
    ch.channels.forEach((c, i) => {
      const f = this.channelFigures[i];
      const top = ch.bitDepth === 16 ? 65535 : 255;
      const content = this.pixelContent(`${c.name} · ${file}`, c.values, ch.width, ch.height, false, cmap, `${c.name} (${ch.bitDepth}-bit)`);
      content.norm = { kind: 'linear', vmin: 0, vmax: top, linthresh: 1 };
      f.set(content);
      f.setIdleText('hover for values');
    });
    const top = ch.bitDepth === 16 ? 65536 : 256;
    this.channelsHist.set({
      title: `values per channel · ${file}`,
      xLabel: `value (${ch.bitDepth}-bit)`,
      yLabel: 'pixels',
      layers: ch.channels.map((c) => ({
        label: c.name,
        edges: edgesOf(0, top, c.histogram.length),
        counts: c.histogram,
        color: CHANNEL_COLORS[c.name] ?? LAYER_COLORS[0],
      })),
      logY: true,
    });
  }

  private markStale(): void {
    const s = this.settings();
    const st = this.stats;
    if (!st || typeof s === 'string') return;
    const same = JSON.stringify([s.window ?? null, s.crop ?? null]) === JSON.stringify([st.window ?? null, st.crop ?? null]);
    this.q('.st-means-note').textContent = same ? '' : 'for other window/crop settings: Compute to update';
  }

  private async computeMeans(): Promise<void> {
    const st = this.stack;
    if (!st || this.jobBar.running) return;
    const s = this.settings();
    if (typeof s === 'string') return this.showError(s);
    const jobId = LabJobBar.newJobId('stack');
    this.element.dataset.means = 'running';
    this.jobBar.follow(jobId, `averaging ${st.paths.length} images`, (m) => {
      if (!m.finished?.ok) {
        this.element.dataset.means = 'stopped';
        return;
      }
      this.api.request('lab.stack.statisticsResult', { stackId: st.stackId }).then(
        (r) => {
          if (this.stack !== st) return;
          this.stats = r;
          this.renderMeans();
          this.markStale();
          this.element.dataset.means = 'shown';
        },
        (err: Error) => this.showError(err.message),
      );
    });
    try {
      await this.api.request('lab.stack.statistics', { stackId: st.stackId, window: s.window, crop: s.crop, bins: windowBins(s.window), jobId });
    } catch (err) {
      this.jobBar.fail((err as Error).message);
      this.element.dataset.means = 'stopped';
    }
  }

  private renderMeans(): void {
    const r = this.stats;
    const host = this.q('.st-mean-images');
    if (!r) {
      host.replaceChildren();
      this.meanFigures = [];
      return;
    }
    while (this.meanFigures.length < r.labels.length)
      this.meanFigures.push(
        new ImageFigure({ className: 'st-mean', notify: (m) => this.notify(m), hover: (row, col, v) => `x ${col}, y ${row}: mean ${formatSignificant(v, 5)}` }),
      );
    this.meanFigures.length = r.labels.length;
    host.replaceChildren(...this.meanFigures.map((f) => f.element));
    host.dataset.labels = r.labels.map((l) => l.label).join(',');
    const windowed = !!r.window;
    r.labels.forEach((l, i) => {
      const f = this.meanFigures[i];
      f.set(
        this.pixelContent(
          `mean of ${l.count} ${l.label} image${l.count === 1 ? '' : 's'}`,
          l.mean,
          l.width,
          l.height,
          false,
          this.colormap(),
          windowed ? 'mean windowed value' : 'mean value',
        ),
      );
      f.setIdleText('hover for values');
    });
    this.meansHist.set({
      title: 'pixel values per label',
      xLabel: windowed ? 'windowed value' : 'pixel value',
      yLabel: 'pixels',
      layers: r.labels.map((l, i) => ({
        label: `${l.label} (${l.count})`,
        edges: edgesOf(r.lo, r.hi, r.bins),
        counts: l.histogram,
        color: LAYER_COLORS[i % LAYER_COLORS.length],
      })),
      logY: true,
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

  onKey(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey || !this.stack) return false;
    if (e.key === ']') void this.go(this.index + 1);
    else if (e.key === '[') void this.go(this.index - 1);
    else return false;
    return true;
  }

  shown(): void {}
}
