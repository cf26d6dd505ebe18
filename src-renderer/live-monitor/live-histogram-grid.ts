/**
 * The live histograms as a grid of small plots, redrawn from the backend's
 * pre-binned 'live-histograms' stream (every event counted there; never raw
 * events here). A click opens one in the full histogram panel.
 */
import type { LiveHistogram, LiveHistograms } from '../../src-main/api/live-contract.js';
import { HistogramPlot, LAYER_COLORS } from '../histograms/histogram-plot.js';
import { html, setHtml } from '../dom/html.js';

interface Cell {
  element: HTMLElement;
  plot: HistogramPlot;
  info: HTMLElement;
}

export class LiveHistogramGrid {
  readonly element: HTMLElement;
  private readonly cells = new Map<string, Cell>();
  private readonly grid: HTMLElement;
  private logY = false;
  private last: LiveHistograms | undefined;

  constructor(private readonly open: (name: string) => void) {
    this.element = document.createElement('section');
    this.element.className = 'monitor-panel monitor-histograms';
    setHtml(
      this.element,
      html`<header class="panel-title"><span>Histograms</span><span class="subtitle monitor-hist-summary">waiting for data…</span>
      <label class="monitor-tool"><input type="checkbox" class="monitor-hist-logy"> log y</label></header><div class="monitor-hist-grid"></div>`,
    );
    this.grid = this.element.querySelector('.monitor-hist-grid')!;
    this.element.querySelector<HTMLInputElement>('.monitor-hist-logy')!.onchange = (e) => {
      this.logY = (e.target as HTMLInputElement).checked;
      if (this.last) this.update(this.last);
    };
  }

  update(h: LiveHistograms): void {
    this.last = h;
    this.element.querySelector('.monitor-hist-summary')!.textContent =
      `${h.events.toLocaleString('en-US')} events · ${h.images.toLocaleString('en-US')} images (${h.source})`;
    this.element.dataset.events = String(h.events);
    let total = 0;
    for (const hist of h.histograms) {
      const cell = this.cell(hist);
      total += hist.total;
      cell.element.dataset.total = String(hist.total);
      cell.info.textContent = `${hist.total.toLocaleString('en-US')}`;
      cell.plot.set({
        title: hist.label,
        xLabel: hist.label,
        yLabel: hist.per === 'image' ? 'images' : 'events',
        layers: [{ label: hist.name, edges: hist.edges, counts: hist.counts, color: LAYER_COLORS[0] }],
        logX: hist.axis === 'log10',
        logY: this.logY,
      });
    }
    this.element.dataset.entries = String(total);
  }

  private cell(h: LiveHistogram): Cell {
    let c = this.cells.get(h.name);
    if (c) return c;
    const element = document.createElement('div');
    element.className = 'monitor-hist-cell';
    element.dataset.name = h.name;
    element.title = `${h.label}: click to open in the histogram panel (fit, overlay, export)`;
    const head = document.createElement('div');
    head.className = 'monitor-hist-head';
    const name = document.createElement('span');
    name.textContent = h.label;
    const info = document.createElement('span');
    info.className = 'monitor-hist-entries';
    head.append(name, info);
    const plot = new HistogramPlot({ compact: true });
    element.append(head, plot.element);
    head.onclick = () => this.open(h.name);
    element.ondblclick = () => this.open(h.name);
    this.grid.append(element);
    c = { element, plot, info };
    this.cells.set(h.name, c);
    return c;
  }
}
