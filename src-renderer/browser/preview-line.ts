/**
 * 1-D datasets (and narrow N × k ones, one series per column) as lines with
 * uPlot, read by windows of at most MAX_POINTS elements (never a large
 * dataset whole): a start field and ◀ ▶ move the window.
 */
import uPlot from 'uplot';
import type { ApiClient } from '../api/api-client.js';
import type { TreeNode } from '../../src-main/api/file-contract.js';
import { clampWindow, squeezedAxes } from './preview-choice.js';
import { ensureUplotCss } from '../dom/uplot-css.js';
import { toNumbers } from './typed-values.js';
import { html, setHtml } from '../dom/html.js';
import { UserEdits } from '../dom/user-edits.js';

export const MAX_POINTS = 100_000;
const SERIES_COLORS = ['#4fc3f7', '#ffb74d', '#aed581', '#ce93d8', '#f06292', '#fff176', '#80cbc4', '#bcaaa4'];

export class LinePreview {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private start = 0;
  private readonly resize: ResizeObserver;
  private readonly axis: number;
  private readonly seriesAxis: number | undefined;
  /** the window start typed and not yet applied: a slice arriving meanwhile does not overwrite it */
  private readonly edits = new UserEdits();
  /** the newest load: an older one that ends later is not drawn */
  private seq = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly fileId: string,
    private readonly node: TreeNode,
  ) {
    ensureUplotCss();
    const shape = node.shape ?? [];
    const axes = squeezedAxes(shape);
    this.axis = axes[0] ?? 0;
    this.seriesAxis = axes[1];
    this.element = document.createElement('div');
    this.element.className = 'browser-preview browser-line';
    setHtml(
      this.element,
      html`<div class="browser-window-nav" hidden><button class="prev">◀</button> elements <input class="win-start" type="number" min="0" step="1"> … <span class="win-end"></span> of ${shape[this.axis]} <button class="next">▶</button></div><div class="browser-plot"></div><div class="browser-note"></div>`,
    );
    const n = shape[this.axis];
    if (n > MAX_POINTS) {
      const nav = this.element.querySelector<HTMLElement>('.browser-window-nav')!;
      nav.hidden = false;
      nav.querySelector('.prev')!.addEventListener('click', () => void this.load(this.start - MAX_POINTS));
      nav.querySelector('.next')!.addEventListener('click', () => void this.load(this.start + MAX_POINTS));
      const startInput = nav.querySelector<HTMLInputElement>('.win-start')!;
      this.edits.watch(startInput);
      startInput.addEventListener('change', () => {
        this.edits.applied(startInput);
        void this.load(Number(startInput.value));
      });
    }
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.element.querySelector('.browser-plot')!);
    void this.load(0);
  }

  private async load(start: number): Promise<void> {
    const shape = this.node.shape ?? [];
    const w = clampWindow(start, shape[this.axis], MAX_POINTS);
    this.start = w.start;
    const token = ++this.seq;
    const s = shape.map(() => 0);
    const c = shape.map((d) => d);
    s[this.axis] = w.start;
    c[this.axis] = w.count;
    const note = this.element.querySelector('.browser-note')!;
    try {
      const r = await this.api.request('file.readSlice', { fileId: this.fileId, path: this.node.path, start: s, count: c });
      if (token !== this.seq) return;
      const values = toNumbers(r.data);
      const k = this.seriesAxis === undefined ? 1 : shape[this.seriesAxis];
      const x = new Float64Array(w.count);
      for (let i = 0; i < w.count; i++) x[i] = w.start + i;
      const ys: Float64Array[] = [];
      // row-major: the leading squeezed axis varies slowest, so element (i, j) is at i*k + j
      for (let j = 0; j < k; j++) {
        const y = new Float64Array(w.count);
        for (let i = 0; i < w.count; i++) y[i] = values[i * k + j];
        ys.push(y);
      }
      this.draw(x, ys);
      this.edits.put(this.element.querySelector<HTMLInputElement>('.win-start')!, String(w.start));
      this.element.querySelector('.win-end')!.textContent = String(w.start + w.count - 1);
      note.textContent =
        w.count < shape[this.axis] ? `showing ${w.count.toLocaleString()} of ${shape[this.axis].toLocaleString()} elements (read as a slice)` : '';
      this.element.dataset.points = String(w.count);
    } catch (err) {
      if (token !== this.seq) return;
      note.textContent = `could not read ${this.node.path}: ${(err as Error).message}`;
    }
  }

  private draw(x: Float64Array, ys: Float64Array[]): void {
    const host = this.element.querySelector<HTMLElement>('.browser-plot')!;
    this.plot?.destroy();
    const { width, height } = this.size(host);
    const labels = ys.length === 1 ? [this.node.name] : ys.map((_, j) => `[…, ${j}]`);
    this.plot = new uPlot(
      {
        width,
        height,
        scales: { x: { time: false } },
        axes: [
          { stroke: '#8a94a8', grid: { stroke: 'rgba(255,255,255,0.07)' }, label: 'index' },
          { stroke: '#8a94a8', grid: { stroke: 'rgba(255,255,255,0.07)' } },
        ],
        series: [
          { label: 'index' },
          ...labels.map((label, j) => ({ label, stroke: SERIES_COLORS[j % SERIES_COLORS.length], width: 1, points: { show: x.length <= 200 } })),
        ],
        legend: { show: true },
        cursor: { drag: { x: true, y: false } },
      },
      [x, ...ys] as unknown as uPlot.AlignedData,
      host,
    );
  }

  private size(host: HTMLElement): { width: number; height: number } {
    const r = host.getBoundingClientRect();
    return { width: Math.max(200, Math.floor(r.width)), height: Math.max(160, Math.floor(r.height) - 40) };
  }

  private fit(): void {
    const host = this.element.querySelector<HTMLElement>('.browser-plot')!;
    if (this.plot) this.plot.setSize(this.size(host));
  }

  dispose(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }
}
