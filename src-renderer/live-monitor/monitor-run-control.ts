/**
 * Run control of the live source in the monitor: connect to a DAQ stream
 * (tcp://host:port, or zmq+tcp://host:port) or use the simulated array (with a built-in layout or
 * an open DL1 file's), start / pause / resume / stop,
 * the state machine's state shown plainly (with the retry countdown while
 * reconnecting), the counters always visible, and the recording toggle with
 * the number of events written.
 */
import type { ApiClient } from '../api/api-client.js';
import type { LiveStatus } from '../../src-main/api/live-contract.js';
import { droppedText, retryCountdown, stateLine } from './live-status-text.js';
import { formatBytes, formatRate } from '../format/numbers.js';
import { html, setHtml } from '../dom/html.js';
import { UserEdits } from '../dom/user-edits.js';

export class MonitorRunControl {
  readonly element: HTMLElement;
  private status: LiveStatus | undefined;
  /** when the current reconnection attempt was first reported (ms) */
  private attemptSeen: { attempt: number | undefined; at: number } | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  /** the source URL and layout as typed or chosen and not yet used: the status ticks do not overwrite them */
  private readonly edits = new UserEdits();
  private readonly q = <T extends HTMLElement>(sel: string) => this.element.querySelector<T>(sel)!;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (msg: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'monitor-run';
    setHtml(
      this.element,
      html`
      <div class="monitor-run-row">
        <span class="monitor-state" data-state="idle">not connected</span>
        <span class="needs-control control-group">
        <label title="a DAQ stream speaking Lightpool's protocol (lightpool daq, or a camera server): tcp://host:port, or zmq+tcp://host:port for a ZeroMQ publisher (lightpool daq --zmq)">source <input class="monitor-url" type="text" value="tcp://127.0.0.1:5555" spellcheck="false"></label>
        <button class="monitor-connect">Connect</button>
        <button class="monitor-disconnect" title="close the DAQ connection (no more retries)">Disconnect</button>
        <span class="monitor-sep"></span>
        <label title="the simulated array's layout: built in, or the subarray of an open DL1 file (its telescopes, cameras and pointing)">simulate <select class="monitor-layout">
          <option value="default">4 LST + 4 MST</option>
          <option value="lst">4 LST</option>
          <option value="cta-south">CTA-South-like, 4 LST + 14 MST + 37 SST</option>
        </select></label>
        <button class="monitor-simulate" title="make the simulated array the live source (a new run) with this layout">Simulate</button>
        <span class="monitor-sep"></span>
        <button data-action="start" title="start the live source">Start</button>
        <button data-action="pause" title="pause processing (DAQ events are still received, and recorded when recording)">Pause</button>
        <button data-action="resume">Resume</button>
        <button data-action="stop">Stop</button>
        <span class="monitor-sep"></span>
        <label title="directory on the backend's machine for the DL1-layout HDF5 files">record to <input class="monitor-record-dir" type="text" value="/tmp/lightpool-recordings" spellcheck="false"></label>
        <button class="monitor-record" data-recording="false">● Record</button>
        </span>
        <span class="monitor-record-status"></span>
      </div>
      <div class="monitor-counters">
        <span title="measured array-event rate, last 5 s">rate <b data-c="rate">–</b></span>
        <span title="array events received from the source">received <b data-c="received">0</b></span>
        <span title="array events cleaned, parameterised and aggregated">processed <b data-c="processed">0</b></span>
        <span title="array events sent to a display (coalesced to display rate)">displayed <b data-c="displayed">0</b></span>
        <span class="monitor-dropped" title="array events dropped before processing, by reason">dropped <b data-c="dropped">0</b></span>
        <span class="monitor-missed" title="DAQ: event ids skipped in the stream — events the DAQ server dropped or never sent (e.g. because Lightpool did not read fast enough)" hidden>missed upstream <b data-c="missed">0</b></span>
        <span title="telescope images received / processed">images <b data-c="images">0</b></span>
        <span title="bytes received from the source">data <b data-c="bytes">0 B</b></span>
        <span title="events waiting for processing / queue bound">queue <b data-c="queue">0</b></span>
        <span class="monitor-message"></span>
      </div>`,
    );
    this.q('.monitor-connect').onclick = () => void this.connect();
    this.q<HTMLInputElement>('.monitor-url').onkeydown = (e) => {
      if (e.key === 'Enter') void this.connect();
    };
    this.q('.monitor-disconnect').onclick = () => void this.call(() => this.api.request('live.disconnect', {}));
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      const action = b.dataset.action as 'start' | 'pause' | 'resume' | 'stop';
      b.onclick = () => void this.call(() => this.api.request('live.control', { action }));
    }
    this.q('.monitor-record').onclick = () => void this.toggleRecording();
    this.q('.monitor-layout').onfocus = () => void this.listLayouts();
    this.q('.monitor-layout').onpointerdown = () => void this.listLayouts();
    this.q('.monitor-simulate').onclick = () => void this.simulate();
    this.edits.watch(this.q<HTMLInputElement>('.monitor-url'), this.q<HTMLSelectElement>('.monitor-layout'));
    // the countdown moves between status updates
    this.timer = setInterval(() => {
      if (this.status?.state === 'reconnecting') this.renderState();
    }, 200);
  }

  /** the folder the record field proposes (serve mode: inside its first data directory) */
  setRecordDirectory(dir: string): void {
    this.q<HTMLInputElement>('.monitor-record-dir').value = dir;
  }

  async control(action: 'start' | 'pause' | 'resume' | 'stop'): Promise<void> {
    await this.call(() => this.api.request('live.control', { action }));
  }

  togglePause(): Promise<void> {
    const st = this.status?.state;
    if (st === 'running') return this.control('pause');
    if (st === 'paused') return this.control('resume');
    return Promise.resolve();
  }

  private async call(f: () => Promise<LiveStatus>): Promise<void> {
    try {
      this.update(await f());
    } catch (err) {
      this.notify((err as Error).message);
    }
  }

  async connect(url = this.q<HTMLInputElement>('.monitor-url').value.trim()): Promise<void> {
    this.q<HTMLInputElement>('.monitor-url').value = url;
    this.edits.applied(this.q<HTMLInputElement>('.monitor-url'));
    await this.call(() => this.api.request('live.connect', { url }));
  }

  /** the built-in layouts, and one per open DL1 file */
  private async listLayouts(): Promise<void> {
    const select = this.q<HTMLSelectElement>('.monitor-layout');
    let files;
    try {
      files = (await this.api.request('file.list', {})).filter((f) => f.format.offers.includes('subarray'));
    } catch {
      return; // the built-in layouts stay available
    }
    const chosen = select.value;
    for (const o of [...select.options]) if (o.value.startsWith('file:')) o.remove();
    for (const f of files) {
      const o = document.createElement('option');
      o.value = `file:${f.fileId}`;
      o.textContent = `layout of ${f.path.split('/').pop()}`;
      select.append(o);
    }
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  }

  async simulate(value = this.q<HTMLSelectElement>('.monitor-layout').value): Promise<void> {
    this.edits.applied(this.q<HTMLSelectElement>('.monitor-layout'));
    const layout = value.startsWith('file:') ? { fileId: value.slice(5) } : (value as 'default' | 'lst' | 'cta-south');
    await this.call(() => this.api.request('live.simulate', { layout }));
  }

  private async toggleRecording(): Promise<void> {
    const active = this.status?.recording.active;
    try {
      if (active) await this.api.request('live.record.stop', {});
      else await this.api.request('live.record.start', { dir: this.q<HTMLInputElement>('.monitor-record-dir').value.trim() });
      this.update(await this.api.request('live.status', {}));
    } catch (err) {
      this.notify(`Recording: ${(err as Error).message}`);
    }
  }

  update(s: LiveStatus): void {
    this.status = s;
    const attempt = s.state === 'reconnecting' ? s.reconnectAttempt : undefined;
    if (s.state !== 'reconnecting') this.attemptSeen = undefined;
    else if (!this.attemptSeen || this.attemptSeen.attempt !== attempt) this.attemptSeen = { attempt, at: Date.now() };
    this.renderState();
    const c = s.counters;
    const set = (k: string, v: string) => {
      this.q(`[data-c="${k}"]`).textContent = v;
    };
    set('rate', formatRate(s.rateHz));
    set('received', c.received.toLocaleString('en-US'));
    set('processed', c.processed.toLocaleString('en-US'));
    set('displayed', c.displayed.toLocaleString('en-US') + (s.displayBusy ? ` (views at ${s.displayHz} Hz: processing first)` : ''));
    set('dropped', droppedText(s));
    set('images', `${c.imagesReceived.toLocaleString('en-US')} / ${c.imagesProcessed.toLocaleString('en-US')}`);
    set('bytes', formatBytes(c.bytes));
    set('queue', `${c.queued} / ${c.queueCapacity}`);
    this.q('.monitor-dropped').classList.toggle('nonzero', c.dropped > 0);
    const missed = c.missedUpstream ?? 0;
    set('missed', missed.toLocaleString('en-US'));
    this.q('.monitor-missed').hidden = s.source !== 'daq';
    this.q('.monitor-missed').classList.toggle('nonzero', missed > 0);
    this.element.dataset.missed = String(missed);
    this.element.dataset.rate = String(s.rateHz);
    this.element.dataset.received = String(c.received);
    this.element.dataset.processed = String(c.processed);
    this.element.dataset.source = s.source;
    // the layout choice shows the simulated array's built-in layout while it runs (the names end in "(4 LST)" etc.)
    const layout = this.q<HTMLSelectElement>('.monitor-layout');
    const shown = [...layout.options].find((o) => !o.value.startsWith('file:') && s.subarrayName?.endsWith(`(${o.textContent})`));
    if (s.source === 'simulation' && shown && document.activeElement !== layout) this.edits.put(layout, shown.value);
    if (s.url && document.activeElement !== this.q('.monitor-url')) this.edits.put(this.q<HTMLInputElement>('.monitor-url'), s.url);
    const r = s.recording;
    const rec = this.q<HTMLButtonElement>('.monitor-record');
    rec.dataset.recording = String(r.active);
    rec.textContent = r.active ? '■ Stop recording' : '● Record';
    this.q('.monitor-record-status').textContent = r.error
      ? `${r.eventsWritten.toLocaleString('en-US')} of ${(r.eventsOffered ?? r.eventsWritten).toLocaleString('en-US')} events written; ${/^recording/.test(r.error) ? r.error : `recording stopped: ${r.error}`}`
      : r.active || r.eventsWritten > 0
        ? `${r.eventsWritten.toLocaleString('en-US')} events written (${formatBytes(r.bytesWritten)}, ${r.filesCompletedCount} file${r.filesCompletedCount === 1 ? '' : 's'} complete)${r.currentFile ? ` → ${r.currentFile.split('/').pop()}` : ''}`
        : '';
    this.q('.monitor-record-status').classList.toggle('error', !!r.error);
    const st = s.state;
    const btn = (a: string) => this.q<HTMLButtonElement>(`button[data-action="${a}"]`);
    btn('pause').disabled = st !== 'running';
    btn('resume').disabled = st !== 'paused';
    btn('stop').disabled = st === 'stopped' || st === 'idle';
    btn('start').disabled = st === 'running' || st === 'paused' || st === 'connecting' || st === 'reconnecting';
    this.q<HTMLButtonElement>('.monitor-disconnect').disabled = s.source !== 'daq' || st === 'stopped';
  }

  private renderState(): void {
    const s = this.status;
    if (!s) return;
    const countdown = this.attemptSeen ? retryCountdown(s, this.attemptSeen.at, Date.now()) : undefined;
    const pill = this.q('.monitor-state');
    pill.dataset.state = s.state;
    pill.textContent = stateLine(s, countdown);
    pill.title = s.message ?? '';
    this.q('.monitor-message').textContent = s.message ?? '';
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
