/**
 * An image figure on screen: the image through a colour map with axes,
 * colour bar and marked cells (image-figure-canvas.ts), redrawn when its
 * box changes size, a read-out line that says what is under the pointer,
 * and PNG (the same drawing at twice the size) and SVG export.
 */
import type { ImageFigureLayout } from './image-figure-layout.js';
import { cellAt } from './image-figure-layout.js';
import { drawImageFigure, rasterize, type ImageFigureContent } from './image-figure-canvas.js';
import { imageFigureSvg } from './image-figure-svg.js';
import { exportButtons } from './figure-export.js';

export interface ImageFigureOptions {
  /** class added to the element (tests and styles find the figure by it) */
  className: string;
  /** the read-out text for the cell under the pointer */
  hover?: (row: number, col: number, value: number) => string;
  notify: (message: string) => void;
}

export class ImageFigure {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly stage: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly raster = document.createElement('canvas');
  private content: ImageFigureContent | undefined;
  private layout: ImageFigureLayout | undefined;
  private idle = '';
  private frame = 0;

  constructor(private readonly options: ImageFigureOptions) {
    this.element = document.createElement('div');
    this.element.className = `lab-figure ${options.className}`;
    this.stage = document.createElement('div');
    this.stage.className = 'lab-figure-stage';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'lab-figure-canvas';
    this.stage.append(this.canvas);
    const foot = document.createElement('div');
    foot.className = 'lab-figure-foot';
    this.readout = document.createElement('span');
    this.readout.className = 'lab-readout';
    foot.append(
      this.readout,
      exportButtons(this, () => this.content?.title ?? 'image', options.notify),
    );
    this.element.append(this.stage, foot);
    new ResizeObserver(() => this.schedule()).observe(this.stage);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => {
      this.readout.textContent = this.idle;
      delete this.element.dataset.hoverRow;
      delete this.element.dataset.hoverCol;
    });
  }

  /** Shows new content (the raster is rebuilt; the drawing follows at the next frame). */
  set(content: ImageFigureContent): void {
    this.content = content;
    this.raster.width = Math.max(1, content.cols);
    this.raster.height = Math.max(1, content.rows);
    this.raster.getContext('2d')!.putImageData(rasterize(content), 0, 0);
    this.element.dataset.rows = String(content.rows);
    this.element.dataset.cols = String(content.cols);
    this.schedule();
  }

  /** the colour-mapped image, one pixel per cell (the 3D sphere wraps it as its texture) */
  get rasterCanvas(): HTMLCanvasElement {
    return this.raster;
  }

  get current(): ImageFigureContent | undefined {
    return this.content;
  }

  /** The read-out text while the pointer is elsewhere. */
  setIdleText(text: string): void {
    this.idle = text;
    if (this.element.dataset.hoverRow === undefined) this.readout.textContent = text;
  }

  clear(): void {
    this.content = undefined;
    this.layout = undefined;
    const ctx = this.canvas.getContext('2d')!;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.setIdleText('');
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const c = this.content;
    const r = this.stage.getBoundingClientRect();
    const w = Math.floor(r.width);
    const h = Math.floor(r.height);
    if (!c || w < 20 || h < 20) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.layout = drawImageFigure(this.canvas.getContext('2d')!, c, this.raster, w, h, dpr);
    this.element.dataset.drawn = 'true';
    // where the image is inside the canvas (CSS px): tests and links find cells by it
    const P = this.layout.plot;
    this.element.dataset.plot = [P.x, P.y, P.w, P.h].map((v) => v.toFixed(2)).join(',');
  }

  private hover(e: MouseEvent): void {
    const c = this.content;
    const L = this.layout;
    if (!c || !L) return;
    const rect = this.canvas.getBoundingClientRect();
    const cell = cellAt(L.plot, c.rows, c.cols, e.clientX - rect.left, e.clientY - rect.top);
    if (!cell) {
      this.readout.textContent = this.idle;
      delete this.element.dataset.hoverRow;
      delete this.element.dataset.hoverCol;
      return;
    }
    const v = c.values[cell.row * c.cols + cell.col];
    this.element.dataset.hoverRow = String(cell.row);
    this.element.dataset.hoverCol = String(cell.col);
    this.readout.textContent = this.options.hover ? this.options.hover(cell.row, cell.col, v) : `row ${cell.row}, column ${cell.col}: ${v}`;
  }

  /** Page coordinates (CSS px) of the centre of a cell, for tests and links. */
  cellPagePosition(row: number, col: number): [number, number] | undefined {
    const c = this.content;
    const L = this.layout;
    if (!c || !L) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    return [rect.left + L.plot.x + ((col + 0.5) / c.cols) * L.plot.w, rect.top + L.plot.y + ((row + 0.5) / c.rows) * L.plot.h];
  }

  async exportPng(scale = 2): Promise<Blob> {
    const c = this.content;
    if (!c) throw new Error('nothing drawn yet');
    const r = this.stage.getBoundingClientRect();
    const w = Math.max(480, Math.floor(r.width));
    const h = Math.max(320, Math.floor(r.height));
    const out = document.createElement('canvas');
    out.width = Math.round(w * scale);
    out.height = Math.round(h * scale);
    drawImageFigure(out.getContext('2d')!, c, this.raster, w, h, scale);
    return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  exportSvg(): string {
    const c = this.content;
    if (!c) throw new Error('nothing drawn yet');
    const r = this.stage.getBoundingClientRect();
    return imageFigureSvg(c, this.raster.toDataURL('image/png'), Math.max(480, Math.floor(r.width)), Math.max(320, Math.floor(r.height)));
  }
}
