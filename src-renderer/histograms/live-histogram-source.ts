/** The live aggregation as a histogram source: pre-binned histograms from the backend (never raw events), re-binned there. */
import type { LiveHistogram, LiveHistograms } from '../../src-main/api/live-contract.js';
import { LAYER_COLORS } from './histogram-plot.js';
import type { HistogramLayer } from './histogram-layers.js';
import { PER_TEL_MAX, type HistogramPanelHost, type HistogramSource, type Shown } from './histogram-source.js';
import { formatSignificant } from '../format/numbers.js';

export class LiveHistogramSource implements HistogramSource {
  readonly id = 'live';
  readonly usesFileControls = false;
  private live: LiveHistograms | undefined;
  private frame = 0;

  constructor(private readonly host: HistogramPanelHost) {}

  /** the newest histograms (stream 'live-histograms', or a reply) */
  update(h: LiveHistograms): void {
    const first = !this.live;
    this.live = h;
    if (!this.host.isCurrent(this)) return;
    const current = this.host.quantity();
    if (first || this.host.quantityCount() !== h.histograms.length) {
      this.fillQuantities();
      if (first || current !== this.host.quantity()) {
        this.host.quantityChanged();
        return;
      }
    }
    if (!this.host.visible || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      this.host.refreshFit();
    });
  }

  /** true once histograms have arrived */
  get loaded(): boolean {
    return this.live !== undefined;
  }

  private fillQuantities(): void {
    const list = this.live?.histograms ?? [];
    this.host.setQuantities(list.map((x) => ({ value: x.name, label: x.label || x.name })));
  }

  async activate(): Promise<void> {
    this.fillQuantities();
    this.host.quantityChanged();
  }

  private current(): LiveHistogram | undefined {
    const name = this.host.quantity();
    return this.live?.histograms.find((x) => x.name === name);
  }

  quantityChanged(): void {
    const h = this.current();
    if (h) {
      this.host.setBins(h.counts.length);
      this.host.setLogX(h.axis === 'log10');
    }
    this.render();
  }

  rebin(): void {
    const h = this.current();
    if (!h) return;
    const lo = this.host.lo() ?? h.edges[0];
    const hi = this.host.hi() ?? h.edges[h.edges.length - 1];
    this.host.api
      .request('live.histograms.configure', { name: h.name, bins: this.host.bins(), min: lo, max: hi, axis: this.host.logX() ? 'log10' : 'linear' })
      .then(
        (r) => this.update(r),
        (err: Error) => this.host.notify(`Could not re-bin ${h.name}: ${err.message}`),
      );
  }

  logXChanged(): void {
    this.render();
  }

  perTelescopeChanged(): void {
    this.render();
  }

  draw(): void {
    this.render();
  }

  binClicked(): void {
    // live bins have no event list
  }

  overlayLabel(_shown: Shown, stamp: string): string {
    return `live at ${stamp}`;
  }

  shownTab(): void {
    this.render();
  }

  private render(): void {
    const h = this.current();
    if (!h) {
      this.host.show(undefined);
      this.host.setStatus(this.live ? 'choose a quantity' : 'waiting for live histograms from the backend…');
      return;
    }
    const layers: HistogramLayer[] = [{ label: `live ${h.name}`, edges: h.edges, counts: h.counts, color: LAYER_COLORS[0] }];
    if (this.host.perTelescope() && h.perTelescope) {
      Object.entries(h.perTelescope)
        .slice(0, PER_TEL_MAX)
        .forEach(([tel, counts], i) => {
          layers.push({ label: `tel ${tel}`, edges: h.edges, counts, color: LAYER_COLORS[(i + 1) % LAYER_COLORS.length] });
        });
    }
    const inRange = h.total - h.underflow - h.overflow - h.invalid;
    const mean = inRange > 0 ? h.sum / inRange : NaN;
    const rms = inRange > 0 ? Math.sqrt(Math.max(0, h.sumSquares / inRange - mean * mean)) : NaN;
    this.host.show(
      {
        title: `${h.label} (live, ${h.per === 'image' ? 'per image' : 'per event'})`,
        xLabel: h.label,
        unit: h.unit,
        layers,
        status: `${h.total.toLocaleString('en-US')} ${h.per === 'image' ? 'images' : 'events'} · underflow ${fmtCount(h.underflow)} · overflow ${fmtCount(h.overflow)} · no value ${fmtCount(h.invalid)} · mean ${fmtNum(mean)} · rms ${fmtNum(rms)}`,
      },
      h.total,
    );
  }
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtNum(v: number): string {
  return Number.isFinite(v) ? formatSignificant(v) : '–';
}
