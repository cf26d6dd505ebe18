/**
 * Trigger rate over time (uPlot): the array-event rate and each telescope's
 * image rate per second, as the backend bins them by arrival time. The last
 * (incomplete) second is left out so the curve does not dip at its end.
 */
import uPlot from 'uplot';
import type { LiveRates } from '../../src-main/api/live-contract.js';
import { ensureUplotCss } from '../dom/uplot-css.js';
import { LAYER_COLORS } from '../histograms/histogram-layers.js';
import { formatRate } from '../format/numbers.js';
import { utcTickLabels } from './time-ticks.js';
import { html, setHtml } from '../dom/html.js';

const MAX_TELESCOPE_SERIES = 9;

export class RatePlot {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private telIds: number[] = [];
  private rates: LiveRates | undefined;
  private readonly stage: HTMLElement;
  private readonly observer: ResizeObserver;
  private readonly readout: HTMLElement;
  private perTelescope = true;

  constructor() {
    ensureUplotCss();
    this.element = document.createElement('section');
    this.element.className = 'monitor-panel monitor-rates';
    setHtml(
      this.element,
      html`<header class="panel-title"><span>Trigger rate</span><span class="subtitle monitor-rate-readout"></span>
      <label class="monitor-tool"><input type="checkbox" class="rate-per-tel" checked> per telescope</label></header><div class="monitor-rate-stage"></div>`,
    );
    this.stage = this.element.querySelector('.monitor-rate-stage')!;
    this.readout = this.element.querySelector('.monitor-rate-readout')!;
    this.element.querySelector<HTMLInputElement>('.rate-per-tel')!.onchange = (e) => {
      this.perTelescope = (e.target as HTMLInputElement).checked;
      this.rebuild();
    };
    // resized at the next frame: resizing inside the observer's callback would re-trigger it
    this.observer = new ResizeObserver(() => requestAnimationFrame(() => this.resize()));
    this.observer.observe(this.stage);
  }

  update(r: LiveRates): void {
    this.rates = r;
    const tels = Object.keys(r.perTelescope)
      .map(Number)
      .sort((a, b) => a - b)
      .slice(0, MAX_TELESCOPE_SERIES);
    const perTel = Object.entries(r.currentPerTelescopeHz)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([t, hz]) => `${t}: ${hz.toFixed(0)}`)
      .join(' · ');
    this.readout.textContent = `array ${formatRate(r.currentHz)}${perTel ? ` · per telescope (Hz) ${perTel}` : ''}`;
    this.element.dataset.currentHz = String(r.currentHz);
    if (!this.plot || tels.join() !== this.telIds.join()) {
      this.telIds = tels;
      this.rebuild();
    } else {
      this.plot.setData(this.data(r));
    }
  }

  private data(r: LiveRates): uPlot.AlignedData {
    const n = Math.max(0, r.times.length - 1);
    // from the first second with events (at least the last minute), so a new run fills the plot
    let first = 0;
    while (first < n && r.overall[first] === 0) first++;
    first = Math.max(0, Math.min(first, n - 60));
    const cols: (number | null)[][] = [Array.from(r.times.subarray(first, n)), Array.from(r.overall.subarray(first, n))];
    if (this.perTelescope) for (const t of this.telIds) cols.push(Array.from(r.perTelescope[t]?.subarray(first, n) ?? new Float64Array(n - first)));
    return cols as uPlot.AlignedData;
  }

  private rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    const r = this.rates;
    const { width, height } = this.stage.getBoundingClientRect();
    if (!r || width < 10 || height < 10) return;
    const series: uPlot.Series[] = [{}, { label: 'array', stroke: '#eceff1', width: 2, points: { show: false } }];
    if (this.perTelescope) {
      this.telIds.forEach((t, i) => series.push({ label: `tel ${t}`, stroke: LAYER_COLORS[i % LAYER_COLORS.length], width: 1, points: { show: false } }));
    }
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: '#8a94a8',
      grid: { stroke: '#263040', width: 1 },
      ticks: { stroke: '#263040', width: 1 },
      font: '10px system-ui, sans-serif',
      labelFont: '11px system-ui, sans-serif',
      labelSize: 16,
      size: 44,
    });
    this.plot = new uPlot(
      {
        width: Math.floor(width),
        height: Math.floor(height),
        legend: { show: false },
        cursor: { points: { show: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.15)] } },
        axes: [{ ...axis('time (UTC)'), values: (_u, splits) => utcTickLabels(splits) }, axis('rate / Hz')],
        series,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      },
      this.data(r),
      this.stage,
    );
  }

  private resize(): void {
    const { width, height } = this.stage.getBoundingClientRect();
    if (width < 10 || height < 10) return;
    if (!this.plot) this.rebuild();
    else this.plot.setSize({ width: Math.floor(width), height: Math.floor(height) });
  }

  dispose(): void {
    this.observer.disconnect();
    this.plot?.destroy();
  }
}
