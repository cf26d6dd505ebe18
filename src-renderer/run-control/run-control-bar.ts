/** Run control of the live source: start, pause/resume, stop, rate, and the always-visible counters (from the one live status). */
import type { LiveStatus } from '../../src-main/api/live-contract.js';
import type { ApiClient } from '../api/api-client.js';
import { formatBytes, formatRate } from '../format/numbers.js';
import { html, setHtml } from '../dom/html.js';

export class RunControlBar {
  readonly element: HTMLElement;
  private status: LiveStatus | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (msg: string) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'run-control';
    setHtml(
      this.element,
      html`
      <span class="state-pill" data-state="idle">idle</span>
      <span class="needs-control control-group"><button data-action="start" title="Start (S)">Start</button>
      <button data-action="pause" title="Pause / resume (Space)">Pause</button>
      <button data-action="stop" title="Stop (X)">Stop</button>
      <label>rate <input class="rate" type="number" min="0.1" max="100000" step="1" value="10"> Hz</label></span>
      <span class="counters">
        <span title="events received from the source">received <b data-c="received">0</b></span>
        <span title="events processed">processed <b data-c="processed">0</b></span>
        <span title="events sent to the displays (coalesced to display rate; an event shown in two windows counts once)">displayed <b data-c="displayed">0</b></span>
        <span title="events dropped before processing" class="dropped">dropped <b data-c="dropped">0</b></span>
        <span>rate <b data-c="rate">0 Hz</b></span>
        <span>data <b data-c="bytes">0</b></span>
      </span>`,
    );
    this.element.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest('button')?.dataset.action;
      if (action === 'start') void this.control('start');
      else if (action === 'pause') void this.togglePause();
      else if (action === 'stop') void this.control('stop');
    });
    const rate = this.element.querySelector<HTMLInputElement>('.rate')!;
    rate.addEventListener('change', () => {
      const v = Number(rate.value);
      if (!(v >= 0.1 && v <= 100_000)) {
        this.notify('The rate must be between 0.1 and 100,000 Hz');
        return;
      }
      this.api.request('live.configure', { rateHz: v }).then(
        (s) => this.update(s),
        (err: Error) => this.notify(err.message),
      );
    });
  }

  async control(action: 'start' | 'pause' | 'resume' | 'stop'): Promise<void> {
    try {
      this.update(await this.api.request('live.control', { action }));
    } catch (err) {
      this.notify((err as Error).message);
    }
  }

  togglePause(): Promise<void> {
    return this.control(this.status?.state === 'running' ? 'pause' : 'resume');
  }

  update(s: LiveStatus): void {
    this.status = s;
    const c = s.counters;
    const pill = this.element.querySelector<HTMLElement>('.state-pill')!;
    pill.dataset.state = s.state;
    pill.textContent = `${s.source}: ${s.state}`;
    pill.title = s.message ?? '';
    const set = (k: string, v: string) => {
      this.element.querySelector(`[data-c="${k}"]`)!.textContent = v;
    };
    set('received', c.received.toLocaleString('en-US'));
    set('processed', c.processed.toLocaleString('en-US'));
    set('displayed', c.displayed.toLocaleString('en-US'));
    set('dropped', c.dropped.toLocaleString('en-US'));
    set('rate', formatRate(s.rateHz));
    set('bytes', formatBytes(c.bytes));
    const reasons = Object.entries(c.droppedByReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    this.element.querySelector<HTMLElement>('.dropped')!.title = reasons ? `dropped: ${reasons}` : 'events dropped before processing';
    const pause = this.element.querySelector<HTMLButtonElement>('[data-action="pause"]')!;
    pause.textContent = s.state === 'paused' ? 'Resume' : 'Pause';
    const rate = this.element.querySelector<HTMLInputElement>('.rate')!;
    // the simulated array's (or a replay's) rate is set here; a DAQ's is what it sends (shown, not editable)
    const settable = s.configuredRateHz !== undefined;
    rate.disabled = !settable;
    rate.title = settable ? `event rate of the ${s.source === 'replay' ? 'replay' : 'simulated array'}` : 'the DAQ sets its own rate';
    if (document.activeElement !== rate) rate.value = settable ? String(s.configuredRateHz) : String(Math.round(s.rateHz));
  }
}
