/**
 * The live-monitoring tab for the shifter: run control and counters on top,
 * the alarm banner under them, then the trigger rate over time, the live
 * histograms, the accumulated pixel maps per camera, and the alarm log with
 * editable thresholds. Everything is drawn from the backend's aggregated
 * streams (live-status, live-rates, live-histograms, live-pixel-maps,
 * live-alarms), which count every event while arriving at display rate.
 */
import type { ApiClient } from '../api/api-client.js';
import { AlarmPanel } from './alarm-panel.js';
import { LiveHistogramGrid } from './live-histogram-grid.js';
import { MonitorRunControl } from './monitor-run-control.js';
import { PixelMapGrid } from './pixel-map-grid.js';
import { RatePlot } from './rate-plot.js';
import { LiveBadge } from './live-badge.js';

export class MonitorView {
  readonly element: HTMLElement;
  readonly runControl: MonitorRunControl;
  private readonly rates = new RatePlot();
  private readonly histograms: LiveHistogramGrid;
  private readonly pixelMaps: PixelMapGrid;
  private readonly alarms: AlarmPanel;
  private visible = false;
  /** for the header: the DAQ source's state, visible on every tab */
  readonly badge: LiveBadge;

  constructor(
    private readonly api: ApiClient,
    notify: (msg: string, level?: 'info' | 'warning' | 'error') => void,
    openHistogram: (name: string) => void,
    openMonitor: () => void = () => undefined,
  ) {
    this.badge = new LiveBadge(openMonitor);
    this.runControl = new MonitorRunControl(api, notify);
    this.histograms = new LiveHistogramGrid(openHistogram);
    this.pixelMaps = new PixelMapGrid(api, notify);
    this.alarms = new AlarmPanel(api, notify);
    this.element = document.createElement('div');
    this.element.className = 'monitor-view';
    const body = document.createElement('div');
    body.className = 'monitor-body';
    const left = document.createElement('div');
    left.className = 'monitor-left';
    left.append(this.rates.element, this.histograms.element);
    body.append(left, this.pixelMaps.element, this.alarms.element);
    this.element.append(this.runControl.element, this.alarms.banner, body);
    // status and alarms always (counters and banner must be current when the tab opens);
    // plots only while visible
    api.on('live-status', (s) => {
      this.runControl.update(s);
      this.badge.update(s);
    });
    api.on('live-alarms', (a) => this.alarms.update(a));
    api.on('live-rates', (r) => {
      if (this.visible) this.rates.update(r);
    });
    api.on('live-histograms', (h) => {
      if (this.visible) this.histograms.update(h);
    });
    api.on('live-pixel-maps', (m) => {
      if (this.visible) this.pixelMaps.update(m);
    });
  }

  /** Fetches the current state at once (call when the API is connected). */
  async load(): Promise<void> {
    const [status, alarms] = await Promise.all([this.api.request('live.status', {}), this.api.request('live.alarms', {})]);
    this.runControl.update(status);
    this.badge.update(status);
    this.alarms.update(alarms, true);
  }

  private refresh(): void {
    this.api.request('live.rates', {}).then(
      (r) => this.rates.update(r),
      () => undefined,
    );
    this.api.request('live.histograms', {}).then(
      (h) => this.histograms.update(h),
      () => undefined,
    );
    this.api.request('live.pixelMaps', {}).then(
      (m) => this.pixelMaps.update(m),
      () => undefined,
    );
  }

  /** Space pauses / resumes the live source, X stops it (while this tab is visible). */
  onKey(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) return false;
    if (e.key === ' ') {
      void this.runControl.togglePause();
      return true;
    }
    if (e.key === 'x' || e.key === 'X') {
      void this.runControl.control('stop');
      return true;
    }
    return false;
  }

  shown(): void {
    this.visible = true;
    this.refresh();
  }

  hidden(): void {
    this.visible = false;
  }
}
