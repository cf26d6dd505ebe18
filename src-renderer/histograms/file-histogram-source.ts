/**
 * A column of an open DL1 file (or of the parameters of an open sim_telarray
 * file) as a histogram source: histogrammed over the
 * whole file by the backend with an optional cut and telescope choice
 * (progress and Cancel), and a click on a bin lists its events.
 */
import type { FileHistogramResult } from '../../src-main/api/histogram-contract.js';
import { LAYER_COLORS } from './histogram-plot.js';
import type { HistogramLayer } from './histogram-layers.js';
import type { BinEventList } from './bin-event-list.js';
import { PER_TEL_MAX, type HistogramPanelHost, type HistogramSource, type Shown } from './histogram-source.js';
import { fmtCount, fmtNum } from './live-histogram-source.js';
import { countText } from '../format/numbers.js';

export class FileHistogramSource implements HistogramSource {
  readonly usesFileControls = true;
  /** units of the file's columns */
  private units: Record<string, string> = {};

  constructor(
    private readonly host: HistogramPanelHost,
    private readonly binList: BinEventList,
    readonly id: string,
    readonly path: string,
  ) {}

  async activate(column?: string): Promise<void> {
    this.host.setStatus(`reading the columns of ${this.path}…`);
    try {
      const cols = await this.host.api.request('hist.fileColumns', { fileId: this.id });
      const skip = new Set(['obs_id', 'event_id', 'tel_id']);
      this.units = Object.fromEntries(cols.columns.map((c) => [c.name, c.unit]));
      const names = cols.columns.filter((c) => !skip.has(c.name)).map((c) => c.name);
      const preferred = column && names.includes(column) ? column : names.includes('hillas_intensity') ? 'hillas_intensity' : undefined;
      this.host.setQuantities(
        names.map((n) => ({ value: n, label: n })),
        preferred,
      );
      this.host.setStatus(
        cols.pending
          ? `${countText(cols.telIds.length, 'telescope')}; ${cols.pending}`
          : `${countText(cols.telIds.length, 'telescope')}, ${Object.values(cols.rows)
              .reduce((a, b) => a + b, 0)
              .toLocaleString('en-US')} image rows`,
      );
      this.host.quantityChanged();
    } catch (err) {
      this.host.setStatus(`cannot histogram ${this.path}: ${(err as Error).message}`);
    }
  }

  quantityChanged(): void {
    this.host.setLogX(/intensity|size/.test(this.host.quantity()));
    void this.drawFile();
  }

  rebin(): void {
    void this.drawFile();
  }

  logXChanged(): void {
    void this.drawFile();
  }

  perTelescopeChanged(): void {
    void this.drawFile();
  }

  draw(): void {
    void this.drawFile();
  }

  binClicked(bin: number, shown: Shown): void {
    if (shown.binning) void this.binList.show({ ...shown.binning, bin });
  }

  overlayLabel(shown: Shown): string {
    return `${shown.title.split(' · ')[1] ?? 'file'}${shown.binning?.where ? ' (cut)' : ''}`;
  }

  shownTab(): void {
    // the panel redraws what it shows
  }

  private async drawFile(): Promise<void> {
    const host = this.host;
    const column = host.quantity();
    if (!column) return;
    const bins = host.bins() || 50;
    const lo = host.lo();
    const hi = host.hi();
    const log = host.logX();
    const where = host.where();
    const telIds = host.telIds();
    const range: [number, number] | undefined = lo !== undefined && hi !== undefined ? [lo, hi] : undefined;
    host.setStatus(`histogramming ${column} over ${this.path}…`);
    if (host.job) void host.api.request('hist.cancel', { jobId: host.job }).catch(() => undefined);
    const jobId = `hist-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    host.setJob(jobId);
    try {
      const total = await host.api.request('hist.fileColumn', { fileId: this.id, column, bins, range, log, where, telIds, jobId });
      if (host.job !== jobId) return;
      const h = total.histogram;
      const r: [number, number] = [h.edges[0], h.edges[h.edges.length - 1]];
      const layers: HistogramLayer[] = [
        { label: telIds ? `tel ${telIds.join(', ')}` : 'all telescopes', edges: h.edges, counts: h.counts, color: LAYER_COLORS[0] },
      ];
      if (host.perTelescope()) {
        const per = await Promise.all(
          total.telIds
            .slice(0, PER_TEL_MAX)
            .map((t) => host.api.request('hist.fileColumn', { fileId: this.id, column, bins, range: r, log, where, telIds: [t] })),
        );
        per.forEach((p, i) =>
          layers.push({
            label: `tel ${p.telIds[0]}`,
            edges: p.histogram.edges,
            counts: p.histogram.counts,
            color: LAYER_COLORS[(i + 1) % LAYER_COLORS.length],
          }),
        );
      }
      const name = this.path.split('/').pop();
      const unit = unitOf(column, this.units);
      this.binList.clear();
      host.show(
        {
          title: `${column} · ${name}${where ? ` · ${where}` : ''}`,
          xLabel: unit ? `${column} / ${unit}` : column,
          unit,
          layers,
          binning: { fileId: this.id, column, bins, range: r, log, where, telIds },
          status: statusLine(total),
        },
        h.entries,
        true,
      );
    } catch (err) {
      if (host.job !== jobId) return;
      host.setStatus(`${column}: ${(err as Error).message}`);
      if (!/was cancelled/.test((err as Error).message)) host.notify((err as Error).message);
    } finally {
      if (host.job === jobId) host.setJob(undefined);
    }
  }
}

function statusLine(r: FileHistogramResult): string {
  const h = r.histogram;
  return `${r.rowsSelected.toLocaleString('en-US')} of ${r.rowsRead.toLocaleString('en-US')} images pass${r.where ? ' the cut' : ''} · ${countText(r.telIds.length, 'telescope')} · underflow ${fmtCount(h.underflow)} · overflow ${fmtCount(h.overflow)} · NaN ${fmtCount(h.nan)} · mean ${fmtNum(h.mean)} · std ${fmtNum(h.std)} · ${r.elapsedMs.toFixed(0)} ms`;
}

/** The unit of a parameter column: the file's (ctapipe's CTAFIELD_i_UNIT), p.e. for intensities. */
export function unitOf(column: string, fileUnits: Record<string, string>): string {
  const u = fileUnits[column];
  if (u) return u.replace('**-1', '⁻¹').replace('**2', '²');
  return /^(hillas_intensity|intensity_(max|min|mean|std))$/.test(column) ? 'p.e.' : '';
}
