/**
 * 2-D numeric datasets as an image through the colour map (the camera
 * view's colour maps and scales), ≥ 3-D ones as an image stack with a slider
 * per leading axis. Only the shown frame is read, as a hyperslab of at most
 * MAX_SIDE × MAX_SIDE (offset fields move that window over larger images).
 */
import type { ApiClient } from '../api/api-client.js';
import type { TreeNode } from '../../src-main/api/file-contract.js';
import { colormapLut, colormapNames, type ColormapName } from '../colormap/colormaps.js';
import { autoLimits, normalizer, type ScaleKind } from '../colormap/color-scale.js';
import { drawColorBar } from '../camera/color-bar.js';
import { clampWindow, imageAxes } from './preview-choice.js';
import { formatValue, toNumbers } from './typed-values.js';
import { html, setHtml } from '../dom/html.js';

export const MAX_SIDE = 1024;

export class ImagePreview {
  readonly element: HTMLElement;
  private readonly shape: number[];
  /** the two image axes (rows, columns) and the leading axes with sliders */
  private readonly rowAxis: number;
  private readonly colAxis: number;
  private readonly stackAxes: number[];
  private readonly index: number[];
  private offset = [0, 0];
  private frame: { values: Float64Array; rows: number; cols: number } | undefined;
  private colormap: ColormapName = 'viridis';
  private scale: ScaleKind = 'linear';
  private seq = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly fileId: string,
    private readonly node: TreeNode,
  ) {
    this.shape = node.shape ?? [];
    const axes = imageAxes(this.shape);
    this.rowAxis = axes.row;
    this.colAxis = axes.col;
    this.stackAxes = axes.sliders;
    this.index = this.shape.map(() => 0);
    this.element = document.createElement('div');
    this.element.className = 'browser-preview browser-image';
    const sliders = this.stackAxes.map(
      (a) =>
        html`<label class="stack-slider">axis ${a} <input type="range" min="0" max="${this.shape[a] - 1}" value="0" data-axis="${a}"> <output>0</output> / ${this.shape[a] - 1}</label>`,
    );
    const big = this.shape[this.rowAxis] > MAX_SIDE || this.shape[this.colAxis] > MAX_SIDE;
    setHtml(
      this.element,
      html`
      <div class="image-controls">${sliders}
        <label>colour map <select class="img-cmap">${colormapNames.map((n) => html`<option>${n}</option>`)}</select></label>
        <label>scale <select class="img-scale"><option>linear</option><option>log</option><option>symlog</option></select></label>
        <span class="image-window" ${big ? '' : 'hidden'}>window at row <input class="off-r" type="number" min="0" value="0"> col <input class="off-c" type="number" min="0" value="0"></span>
      </div>
      <div class="image-stage"><canvas class="image-canvas"></canvas><canvas class="image-colorbar" width="60" height="300"></canvas></div>
      <div class="browser-note image-readout"></div>`,
    );
    for (const input of this.element.querySelectorAll<HTMLInputElement>('.stack-slider input')) {
      input.addEventListener('input', () => {
        this.index[Number(input.dataset.axis)] = Number(input.value);
        input.nextElementSibling!.textContent = input.value;
        void this.load();
      });
    }
    this.element.querySelector<HTMLSelectElement>('.img-cmap')!.addEventListener('change', (e) => {
      this.colormap = (e.target as HTMLSelectElement).value as ColormapName;
      this.paint();
    });
    this.element.querySelector<HTMLSelectElement>('.img-scale')!.addEventListener('change', (e) => {
      this.scale = (e.target as HTMLSelectElement).value as ScaleKind;
      this.paint();
    });
    for (const [cls, k] of [
      ['.off-r', 0],
      ['.off-c', 1],
    ] as const) {
      this.element.querySelector<HTMLInputElement>(cls)!.addEventListener('change', (e) => {
        this.offset[k] = Number((e.target as HTMLInputElement).value) || 0;
        void this.load();
      });
    }
    const canvas = this.element.querySelector<HTMLCanvasElement>('.image-canvas')!;
    canvas.addEventListener('mousemove', (e) => this.readout(e));
    void this.load();
  }

  /** Steps the first stack slider (keyboard: [ and ]). */
  stepStack(delta: number): void {
    const a = this.stackAxes[0];
    if (a === undefined) return;
    const input = this.element.querySelector<HTMLInputElement>(`.stack-slider input[data-axis="${a}"]`)!;
    const v = Math.max(0, Math.min(this.shape[a] - 1, this.index[a] + delta));
    input.value = String(v);
    input.dispatchEvent(new Event('input'));
  }

  private async load(): Promise<void> {
    const token = ++this.seq;
    const r0 = clampWindow(this.offset[0], this.shape[this.rowAxis], MAX_SIDE);
    const c0 = clampWindow(this.offset[1], this.shape[this.colAxis], MAX_SIDE);
    const start = this.index.slice();
    const count = this.shape.map(() => 1);
    start[this.rowAxis] = r0.start;
    count[this.rowAxis] = r0.count;
    start[this.colAxis] = c0.start;
    count[this.colAxis] = c0.count;
    const note = this.element.querySelector('.image-readout')!;
    try {
      const r = await this.api.request('file.readSlice', { fileId: this.fileId, path: this.node.path, start, count });
      if (token !== this.seq) return;
      this.frame = { values: toNumbers(r.data), rows: r0.count, cols: c0.count };
      this.offset = [r0.start, c0.start];
      this.element.dataset.frame = start.join(',');
      this.paint();
      const part =
        r0.count < this.shape[this.rowAxis] || c0.count < this.shape[this.colAxis]
          ? ` (window ${r0.count}×${c0.count} of ${this.shape[this.rowAxis]}×${this.shape[this.colAxis]})`
          : '';
      note.textContent = `frame [${start.map((s, i) => (i === this.rowAxis || i === this.colAxis ? ':' : String(s))).join(', ')}]${part} · hover for values`;
    } catch (err) {
      note.textContent = `could not read ${this.node.path}: ${(err as Error).message}`;
    }
  }

  private paint(): void {
    const f = this.frame;
    if (!f) return;
    const canvas = this.element.querySelector<HTMLCanvasElement>('.image-canvas')!;
    canvas.width = f.cols;
    canvas.height = f.rows;
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(f.cols, f.rows);
    const px = new Uint32Array(img.data.buffer);
    const lut = colormapLut(this.colormap);
    const lim = autoLimits(f.values);
    const norm = {
      kind: this.scale,
      vmin: lim.vmin,
      vmax: lim.vmax > lim.vmin ? lim.vmax : lim.vmin + 1,
      linthresh: Math.max(1e-12, (Math.abs(lim.vmax) + Math.abs(lim.vmin)) * 0.01),
    };
    if (this.scale === 'log' && !(norm.vmin > 0)) {
      let minPos = Infinity;
      for (const v of f.values) if (v > 0 && v < minPos) minPos = v;
      norm.vmin = Number.isFinite(minPos) ? minPos : 1e-3;
    }
    const t = normalizer(norm);
    const n = lut.length - 1;
    for (let i = 0; i < f.values.length; i++) {
      const u = t(f.values[i]);
      px[i] = Number.isNaN(u) ? 0xff404040 : lut[Math.round(u * n)];
    }
    ctx.putImageData(img, 0, 0);
    const bar = this.element.querySelector<HTMLCanvasElement>('.image-colorbar')!;
    drawColorBar(bar, lut, norm, '', 1);
  }

  private readout(e: MouseEvent): void {
    const f = this.frame;
    if (!f) return;
    const canvas = e.target as HTMLCanvasElement;
    const rect = canvas.getBoundingClientRect();
    // the canvas keeps its aspect ratio inside its box (object-fit: contain)
    const s = Math.min(rect.width / f.cols, rect.height / f.rows);
    const x0 = rect.left + (rect.width - s * f.cols) / 2;
    const y0 = rect.top + (rect.height - s * f.rows) / 2;
    const c = Math.floor((e.clientX - x0) / s);
    const r = Math.floor((e.clientY - y0) / s);
    if (c < 0 || r < 0 || c >= f.cols || r >= f.rows) return;
    const el = this.element.querySelector('.image-readout')!;
    el.textContent = `[row ${r + this.offset[0]}, col ${c + this.offset[1]}] = ${formatValue(f.values[r * f.cols + c])}`;
  }

  dispose(): void {
    this.seq++;
  }
}
