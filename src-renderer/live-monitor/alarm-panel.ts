/**
 * Alarms: a banner of the active alarms (acknowledge each), the alarm log,
 * and the thresholds, which the shifter can edit (sent to the backend, which
 * evaluates the alarms).
 */
import type { ApiClient } from '../api/api-client.js';
import type { AlarmThresholds, LiveAlarms } from '../../src-main/api/live-contract.js';
import { html, setHtml } from '../dom/html.js';
import { UserEdits } from '../dom/user-edits.js';

const THRESHOLDS: { key: keyof AlarmThresholds; label: string; unit: string; step: string }[] = [
  { key: 'minRateHz', label: 'array rate below', unit: 'Hz', step: 'any' },
  { key: 'rateWindowSeconds', label: 'rate averaged over', unit: 's', step: 'any' },
  { key: 'telescopeSilentSeconds', label: 'telescope silent for', unit: 's', step: 'any' },
  { key: 'disconnectedSeconds', label: 'source disconnected for', unit: 's', step: 'any' },
  { key: 'maxHotPixels', label: 'hot pixels per camera >', unit: '', step: '1' },
  { key: 'maxDeadPixels', label: 'dead pixels per camera >', unit: '', step: '1' },
  { key: 'hotPixelFactor', label: 'hot: × its neighbours', unit: '', step: 'any' },
];

const BANNER_ROWS = 2;

export class AlarmPanel {
  /** the banner goes above the monitor's panels */
  readonly banner: HTMLElement;
  readonly element: HTMLElement;
  private alarms: LiveAlarms | undefined;
  /** thresholds typed and not yet applied: the alarm updates do not overwrite them */
  private readonly edits = new UserEdits();
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (msg: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.banner = document.createElement('div');
    this.banner.className = 'monitor-alarm-banner';
    this.banner.hidden = true;
    this.element = document.createElement('section');
    this.element.className = 'monitor-panel monitor-alarms';
    setHtml(
      this.element,
      html`<header class="panel-title"><span>Alarms</span><span class="subtitle monitor-alarm-count">none active</span></header>
      <form class="monitor-thresholds needs-control" title="alarm thresholds (the backend evaluates them)">
        ${THRESHOLDS.map((t) => html`<label>${t.label} <span><input type="number" min="0" step="${t.step}" name="${t.key}"> ${t.unit}</span></label>`)}
        <button type="submit">Apply thresholds</button>
      </form>
      <div class="monitor-alarm-log" aria-label="alarm log"></div>`,
    );
    this.edits.watch(...THRESHOLDS.map((t) => this.q<HTMLInputElement>(`input[name="${t.key}"]`)));
    this.q<HTMLFormElement>('.monitor-thresholds').onsubmit = (e) => {
      e.preventDefault();
      void this.applyThresholds();
    };
  }

  private async applyThresholds(): Promise<void> {
    const thresholds: Partial<AlarmThresholds> = {};
    for (const t of THRESHOLDS) {
      const input = this.q<HTMLInputElement>(`input[name="${t.key}"]`);
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v) || v < 0) {
        this.notify(`Alarm threshold "${t.label}" must be a number ≥ 0, got "${input.value}"`);
        return;
      }
      thresholds[t.key] = v;
    }
    try {
      const r = await this.api.request('live.alarms.configure', { thresholds });
      this.edits.clear();
      this.update(r, true);
      this.notify('Alarm thresholds applied', 'info');
    } catch (err) {
      this.notify(`Could not apply the alarm thresholds: ${(err as Error).message}`);
    }
  }

  private async acknowledge(ids: string[]): Promise<void> {
    try {
      let r: LiveAlarms | undefined;
      for (const id of ids) r = await this.api.request('live.alarms.acknowledge', { id });
      if (r) this.update(r);
    } catch (err) {
      this.notify(`Could not acknowledge the alarm: ${(err as Error).message}`);
    }
  }

  update(a: LiveAlarms, refreshThresholds = false): void {
    const first = !this.alarms;
    this.alarms = a;
    // the thresholds form is filled from the backend, but not while the shifter is editing it,
    // nor over thresholds typed and not yet applied
    const form = this.q<HTMLFormElement>('.monitor-thresholds');
    if (first || refreshThresholds || !form.contains(document.activeElement)) {
      for (const t of THRESHOLDS) {
        const input = this.q<HTMLInputElement>(`input[name="${t.key}"]`);
        if (document.activeElement !== input) this.edits.put(input, String(a.thresholds[t.key]));
      }
    }
    this.q('.monitor-alarm-count').textContent = a.active.length ? `${a.active.length} active` : 'none active';
    this.banner.hidden = a.active.length === 0;
    this.banner.dataset.count = String(a.active.length);
    // the banner stays small: the newest alarms in full, the rest counted (all are in the log)
    const shown = [...a.active].sort((x, y) => Number(x.acknowledged) - Number(y.acknowledged) || y.since - x.since);
    const rows = shown.slice(0, BANNER_ROWS).map((al) => {
      const row = document.createElement('div');
      row.className = `monitor-alarm ${al.severity}${al.acknowledged ? ' acknowledged' : ''}`;
      row.dataset.kind = al.kind;
      const text = document.createElement('span');
      text.textContent = `⚠ ${al.message} · since ${clock(al.since)}`;
      row.append(text);
      if (!al.acknowledged) {
        const ack = document.createElement('button');
        ack.textContent = 'Acknowledge';
        ack.className = 'needs-control';
        ack.onclick = () => void this.acknowledge([al.id]);
        row.append(ack);
      }
      return row;
    });
    const unacknowledged = a.active.filter((al) => !al.acknowledged);
    if (shown.length > BANNER_ROWS || unacknowledged.length > 1) {
      const more = document.createElement('div');
      more.className = 'monitor-alarm more';
      const text = document.createElement('span');
      const rest = shown.length - BANNER_ROWS;
      text.textContent =
        rest > 0
          ? `… and ${rest} more alarm${rest === 1 ? '' : 's'} (${[...new Set(shown.slice(BANNER_ROWS).map((x) => x.kind))].join(', ')}): see the alarm log`
          : '';
      more.append(text);
      if (unacknowledged.length > 1) {
        const all = document.createElement('button');
        all.textContent = `Acknowledge all ${unacknowledged.length}`;
        all.className = 'needs-control';
        all.onclick = () => void this.acknowledge(unacknowledged.map((x) => x.id));
        more.append(all);
      }
      rows.push(more);
    }
    this.banner.replaceChildren(...rows);
    const log = this.q('.monitor-alarm-log');
    log.replaceChildren(
      ...a.log
        .slice(-200)
        .reverse()
        .map((e) => {
          const row = document.createElement('div');
          row.className = `monitor-log-${e.change}`;
          row.textContent = `${clock(e.time)} ${e.change} · ${e.message}`;
          return row;
        }),
    );
  }
}

function clock(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 19);
}
