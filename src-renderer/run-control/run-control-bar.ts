/** Run control: start, pause/resume, stop, rate, and the always-visible counters. */
import type { SourceStatus } from '../../src-main/api/event-types.js';
import type { ApiClient } from '../api/api-client.js';
import { formatBytes, formatRate } from '../format/numbers.js';
import { html, setHtml } from '../dom/html.js';

export class RunControlBar {
  readonly element: HTMLElement;
  private status: SourceStatus | undefined;

  constructor(private readonly api: ApiClient, private readonly notify: (msg: string) => void) {
    this.element = document.createElement('div');
    this.element.className = 'run-control';
    setHtml(this.element, html`
      <span class="state-pill" data-state="idle">idle</span>
      <span class="needs-control control-group"><button data-action="start" title="Start (S)">Start</button>
      <button data-action="pause" title="Pause / resume (Space)">Pause</button>
      <button data-action="stop" title="Stop (X)">Stop</button>
      <label>rate <input class="rate" type="number" min="0.1" max="100000" step="1" value="10"> Hz</label></span>
      <span class="counters">
        <span title="events received from the source">received <b data-c="received">0</b></span>
        <span title="events processed">processed <b data-c="processed">0</b></span>
        <span title="events sent to this display (coalesced to display rate)">displayed <b data-c="displayed">0</b></span>
        <span title="events dropped before processing" class="dropped">dropped <b data-c="dropped">0</b></span>
        <span>rate <b data-c="rate">0 Hz</b></span>
        <span>data <b data-c="bytes">0</b></span>
      </span>`);
    this.element.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest('button')?.dataset.action;
      if (action === 'start') void this.control('start');
      else if (action === 'pause') void this.togglePause();
      else if (action === 'stop') void this.control('stop');
    });
    const rate = this.element.querySelector<HTMLInputElement>('.rate')!;
    rate.addEventListener('change', () => {
      const v = Number(rate.value);
      if (!(v >= 0.1 && v <= 100_000)) { this.notify('The rate must be between 0.1 and 100,000 Hz'); return; }
      this.api.request('source.configure', { rateHz: v }).then((s) => this.update(s), (err: Error) => this.notify(err.message));
    });
  }

  async control(action: 'start' | 'pause' | 'resume' | 'stop'): Promise<void> {
    try {
      this.update(await this.api.request('source.control', { action }));
    } catch (err) {
      this.notify((err as Error).message);
    }
  }

  togglePause(): Promise<void> {
    return this.control(this.status?.state === 'running' ? 'pause' : 'resume');
  }

  update(s: SourceStatus): void {
    this.status = s;
    const pill = this.element.querySelector<HTMLElement>('.state-pill')!;
    pill.dataset.state = s.state;
    pill.textContent = `${s.kind}: ${s.state}`;
    pill.title = s.message ?? '';
    const set = (k: string, v: string) => { this.element.querySelector(`[data-c="${k}"]`)!.textContent = v; };
    set('received', s.received.toLocaleString('en-US'));
    set('processed', s.processed.toLocaleString('en-US'));
    set('displayed', s.displayed.toLocaleString('en-US'));
    set('dropped', s.dropped.toLocaleString('en-US'));
    set('rate', formatRate(s.measuredRateHz));
    set('bytes', formatBytes(s.bytes));
    this.element.querySelector<HTMLElement>('.dropped')!.title = s.droppedReason ? `dropped: ${s.droppedReason}` : 'events dropped before processing';
    const pause = this.element.querySelector<HTMLButtonElement>('[data-action="pause"]')!;
    pause.textContent = s.state === 'paused' ? 'Resume' : 'Pause';
    const rate = this.element.querySelector<HTMLInputElement>('.rate')!;
    // the simulated array's rate is set here; a DAQ's is what it sends (shown, not editable)
    rate.disabled = s.kind === 'daq';
    rate.title = s.kind === 'daq' ? 'the DAQ sets its own rate' : 'event rate of the simulated array';
    if (document.activeElement !== rate) rate.value = s.kind === 'daq' ? String(Math.round(s.rateHz)) : String(s.rateHz);
  }
}
