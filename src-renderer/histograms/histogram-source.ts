/**
 * Where the histogram panel's data come from: the live aggregation
 * (live-histogram-source.ts) or a column of an open DL1 file
 * (file-histogram-source.ts). The panel (histogram-panel.ts) owns the
 * controls, overlays, fit and export, and asks its current source for the
 * rest; it never asks which kind of source it has.
 */
import type { ApiClient } from '../api/api-client.js';
import type { HistogramLayer } from './histogram-layers.js';

/** The histogram being shown (before overlays), with what is needed to fit it and list a bin. */
export interface Shown {
  title: string;
  xLabel: string;
  unit: string;
  /** the total (layer 0) and, when split, the per-telescope layers */
  layers: HistogramLayer[];
  /** for file bins: how it was binned */
  binning?: { fileId: string; column: string; bins: number; range: [number, number]; log: boolean; where?: string; telIds?: number[] };
  status: string;
}

/** at most this many per-telescope layers */
export const PER_TEL_MAX = 9;

/** What a source may read from and do to the panel. */
export interface HistogramPanelHost {
  readonly api: ApiClient;
  notify(msg: string, level?: 'info' | 'warning' | 'error'): void;
  /** this source is the panel's current one (a source that is not does not draw) */
  isCurrent(source: HistogramSource): boolean;
  /** the panel's tab is on screen */
  readonly visible: boolean;
  /** the quantity chosen */
  quantity(): string;
  /** the quantity changed (a new list, or the user's choice): the panel resets what belongs to the old one and asks the source to show it */
  quantityChanged(): void;
  /** how many quantities the list has */
  quantityCount(): number;
  /** replaces the quantity list; keeps the current choice when it is still there, else `preferred`, else the first */
  setQuantities(options: { value: string; label: string }[], preferred?: string): void;
  bins(): number;
  setBins(n: number): void;
  /** the range typed in, when a bound is */
  lo(): number | undefined;
  hi(): number | undefined;
  logX(): boolean;
  setLogX(on: boolean): void;
  perTelescope(): boolean;
  /** the file controls */
  where(): string | undefined;
  telIds(): number[] | undefined;
  setStatus(text: string): void;
  /** shows a histogram (undefined: nothing to show); `fresh`: new data, so the fit goes */
  show(shown: Shown | undefined, entries?: number, fresh?: boolean): void;
  /** a long read is running (its job id), or no longer (undefined) */
  setJob(jobId: string | undefined): void;
  readonly job: string | undefined;
  /** the fit is kept up to date with the data (live) */
  refreshFit(): void;
}

export interface HistogramSource {
  /** the value of the panel's source menu */
  readonly id: string;
  /** the controls of file sources (cut, telescopes, Draw) apply */
  readonly usesFileControls: boolean;
  /** chosen as the panel's source: fill the quantity list (choose `column` when given) and show */
  activate(column?: string): Promise<void>;
  /** another quantity: default binning for it, then show */
  quantityChanged(): void;
  /** bins or range changed by the user */
  rebin(): void;
  /** log x changed by the user */
  logXChanged(): void;
  /** per-telescope layers on or off */
  perTelescopeChanged(): void;
  /** the user asks to draw (Draw, Enter in the cut) */
  draw(): void;
  /** a click on a bin of the shown histogram */
  binClicked(bin: number, shown: Shown): void;
  /** the label of an overlay kept from `shown` */
  overlayLabel(shown: Shown, stamp: string): string;
  /** the panel's tab came on screen */
  shownTab(): void;
}
