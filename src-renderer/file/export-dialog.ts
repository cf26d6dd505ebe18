/**
 * The export dialog: writes the current event, the bookmarked events or the
 * events passing a cut expression of an open file to a new HDF5 file with
 * the same layout (file.export); for a sim_telarray file, the chosen events
 * calibrated to ctapipe's DL1 layout (as `lightpool export` does), with the
 * R0/R1 waveforms on demand (no cut: the file stores no parameters). Shows progress from the "export-progress"
 * stream, can cancel, and says clearly what went wrong (existing file,
 * missing folder, bad expression).
 */
import type { ApiClient } from '../api/api-client.js';
import type { ExportProgressMessage, FileOpenResult } from '../../src-main/api/file-contract.js';
import { baseName, siblingName } from './paths.js';
import { parseIndexList } from './index-list.js';
import { html, setHtml } from '../dom/html.js';

export interface ExportContext {
  file: FileOpenResult;
  /** the event shown now (index in the file), when there is one */
  current?: number;
  bookmarks: number[];
}

type Choice = 'current' | 'bookmarks' | 'list' | 'where';

let jobCounter = 0;

export class ExportDialog {
  readonly element: HTMLElement;
  private ctx: ExportContext | undefined;
  private jobId: string | undefined;
  private readonly q = <T extends HTMLElement>(s: string) => this.element.querySelector<T>(s)!;

  constructor(private readonly api: ApiClient) {
    this.element = document.createElement('div');
    this.element.className = 'export-dialog-backdrop';
    this.element.hidden = true;
    setHtml(
      this.element,
      html`
      <form class="export-dialog" role="dialog" aria-label="Export events">
        <h2>Export events <small class="export-source"></small></h2>
        <fieldset class="export-choice">
          <label class="export-current-label"><input type="radio" name="export-what" value="current" checked> the current event <span class="export-current"></span></label>
          <label><input type="radio" name="export-what" value="bookmarks"> bookmarked events <span class="export-bookmarks"></span></label>
          <label><input type="radio" name="export-what" value="list"> events by index:</label>
          <input class="export-list" type="text" placeholder="0-9, 15, 20" spellcheck="false">
          <label class="export-where-label"><input type="radio" name="export-what" value="where"> events passing a cut:</label>
          <input class="export-where" type="text" placeholder="hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2" spellcheck="false">
        </fieldset>
        <p class="export-simtel-note" hidden>to ctapipe's DL1 layout: images, peak times, masks and parameters as ctapipe-process computes them</p>
        <label class="export-waveforms-label" hidden><input class="export-waveforms" type="checkbox"> also write the R0 and R1 waveforms</label>
        <label class="export-out-label">output file <input class="export-out" type="text" spellcheck="false" required></label>
        <label class="export-overwrite-label"><input class="export-overwrite" type="checkbox"> overwrite if it exists</label>
        <div class="export-progress" hidden><progress max="1" value="0"></progress><span class="export-phase"></span></div>
        <div class="export-message" role="alert"></div>
        <div class="export-buttons">
          <button type="submit" class="export-start">Export</button>
          <button type="button" class="export-cancel" hidden>Cancel export</button>
          <button type="button" class="export-close">Close</button>
        </div>
      </form>`,
    );
    this.q<HTMLFormElement>('.export-dialog').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.start();
    });
    this.q<HTMLButtonElement>('.export-cancel').addEventListener('click', () => void this.cancel());
    this.q<HTMLButtonElement>('.export-close').addEventListener('click', () => this.close());
    this.q<HTMLInputElement>('.export-where').addEventListener('focus', () => {
      this.q<HTMLInputElement>('input[value=where]').checked = true;
    });
    this.q<HTMLInputElement>('.export-list').addEventListener('focus', () => {
      this.q<HTMLInputElement>('input[value=list]').checked = true;
    });
    this.element.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape' && !this.jobId) this.close();
    });
    api.on('export-progress', (m) => this.onProgress(m));
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(ctx: ExportContext, choice?: Choice): void {
    this.ctx = ctx;
    this.q('.export-source').textContent = `from ${baseName(ctx.file.path)}`;
    this.q('.export-current').textContent = ctx.current === undefined ? '' : `(index ${ctx.current})`;
    this.q('.export-current-label').hidden = ctx.current === undefined;
    const n = ctx.file.eventCount;
    this.q<HTMLInputElement>('.export-list').placeholder = n > 0 ? `0-9, 15, 20 (0…${n - 1})` : 'no events';
    this.q<HTMLInputElement>('.export-where').placeholder = ctx.file.format.offers.includes('tank-events')
      ? 'labels == 1 && energy > 500 && fully_contained == 1'
      : 'hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2';
    this.q('.export-bookmarks').textContent = ctx.bookmarks.length
      ? `(${ctx.bookmarks.length}: B toggles a bookmark)`
      : '(none yet: press B on an event to bookmark it)';
    const simtel = ctx.file.format.id === 'simtel';
    this.q('.export-where-label').hidden = simtel;
    this.q('.export-where').hidden = simtel;
    this.q('.export-simtel-note').hidden = !simtel;
    this.q('.export-waveforms-label').hidden = !simtel;
    const out = this.q<HTMLInputElement>('.export-out');
    if (!out.value || !this.jobId) out.value = simtel ? simtelOutName(ctx.file.path) : siblingName(ctx.file.path, 'subset');
    let pick = choice ?? (ctx.bookmarks.length ? 'bookmarks' : ctx.current !== undefined ? 'current' : 'list');
    if (simtel && pick === 'where') pick = ctx.current !== undefined ? 'current' : 'list';
    this.q<HTMLInputElement>(`input[value=${pick}]`).checked = true;
    this.message('', 'info');
    // a file without events: there is nothing to choose or export
    const none = n === 0;
    this.q<HTMLFieldSetElement>('.export-choice').disabled = none;
    this.q<HTMLButtonElement>('.export-start').disabled = none || this.jobId !== undefined;
    this.element.dataset.empty = String(none);
    if (none) this.message(`${baseName(ctx.file.path)} has no events to export.`, 'error');
    this.element.hidden = false;
    if (none) this.q<HTMLButtonElement>('.export-close').focus();
    else out.focus();
  }

  close(): void {
    if (this.jobId) return;
    this.element.hidden = true;
  }

  private choice(): Choice {
    return (this.q<HTMLInputElement>('input[name=export-what]:checked').value as Choice) ?? 'current';
  }

  private message(text: string, level: 'info' | 'error' | 'ok'): void {
    const m = this.q('.export-message');
    m.textContent = text;
    m.dataset.level = level;
  }

  private async start(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || this.jobId) return;
    if (ctx.file.eventCount === 0) return this.message(`${baseName(ctx.file.path)} has no events to export.`, 'error');
    const out = this.q<HTMLInputElement>('.export-out').value.trim();
    if (!out) return this.message('Give the output file path (on the machine running Lightpool).', 'error');
    let selection: { kind: 'indices'; indices: number[] } | { kind: 'where'; expr: string };
    const choice = this.choice();
    if (choice === 'current' && ctx.current !== undefined) selection = { kind: 'indices', indices: [ctx.current] };
    else if (choice === 'list' || choice === 'current') {
      try {
        selection = { kind: 'indices', indices: parseIndexList(this.q<HTMLInputElement>('.export-list').value, ctx.file.eventCount) };
      } catch (err) {
        return this.message(`Events by index: ${(err as Error).message}.`, 'error');
      }
    } else if (choice === 'bookmarks') {
      if (!ctx.bookmarks.length) return this.message('No bookmarked events: press B on the events you want, or choose another selection.', 'error');
      selection = { kind: 'indices', indices: [...ctx.bookmarks].sort((a, b) => a - b) };
    } else {
      const expr = this.q<HTMLInputElement>('.export-where').value.trim();
      if (!expr) return this.message('Type a cut expression on parameter columns, e.g. hillas_intensity > 1000.', 'error');
      selection = { kind: 'where', expr };
    }
    const jobId = `ui-${Date.now().toString(36)}-${++jobCounter}`;
    this.jobId = jobId;
    this.setRunning(true);
    this.progress(0, 'starting…');
    this.message('', 'info');
    try {
      await this.api.request('file.export', {
        fileId: ctx.file.fileId,
        out,
        selection,
        overwrite: this.q<HTMLInputElement>('.export-overwrite').checked,
        ...(ctx.file.format.id === 'simtel' ? { writeWaveforms: this.q<HTMLInputElement>('.export-waveforms').checked } : {}),
        jobId,
      });
    } catch (err) {
      this.jobId = undefined;
      this.setRunning(false);
      this.message((err as Error).message, 'error');
    }
  }

  private async cancel(): Promise<void> {
    if (!this.jobId) return;
    this.progress(undefined, 'cancelling…');
    await this.api.request('file.exportCancel', { jobId: this.jobId }).catch(() => undefined);
  }

  private onProgress(m: ExportProgressMessage): void {
    if (m.jobId !== this.jobId) return;
    if (m.progress) {
      const p = m.progress;
      if (p.phase === 'events') this.progress(p.total ? p.done / p.total : undefined, `${p.done} ${p.current ?? 'events read'}`);
      else {
        const phase = p.phase === 'select' ? 'selecting events' : p.phase === 'copy' ? `writing ${p.current ?? ''}` : 'finishing';
        this.progress(p.total ? p.done / p.total : undefined, `${phase} (${p.done}/${p.total})`);
      }
    }
    if (m.done) {
      this.jobId = undefined;
      this.setRunning(false);
      if (m.done.ok) {
        const r = m.done.result;
        this.progress(1, 'done');
        if (r.nEvents === 0) this.message(`No event passed the selection: ${r.output} holds the configuration and empty event tables.`, 'error');
        else this.message(`Wrote ${r.nEvents} event${r.nEvents === 1 ? '' : 's'} to ${r.output} (${(r.bytes / 1e6).toFixed(1)} MB).`, 'ok');
      } else {
        this.q('.export-progress').hidden = true;
        this.message(m.done.message, m.done.cancelled ? 'info' : 'error');
      }
    }
  }

  private progress(fraction: number | undefined, text: string): void {
    this.q('.export-progress').hidden = false;
    const bar = this.q<HTMLProgressElement>('progress');
    if (fraction === undefined) bar.removeAttribute('value');
    else bar.value = fraction;
    this.q('.export-phase').textContent = text;
  }

  private setRunning(running: boolean): void {
    this.q<HTMLButtonElement>('.export-start').disabled = running || this.ctx?.file.eventCount === 0;
    this.q<HTMLButtonElement>('.export-cancel').hidden = !running;
    this.q<HTMLButtonElement>('.export-close').disabled = running;
    this.element.dataset.running = String(running);
  }
}

/** FILE.simtel.zst → FILE.subset.dl1.h5 beside it */
function simtelOutName(path: string): string {
  return `${path.replace(/\.simtel(\.(gz|zst|zstd))?$/i, '')}.subset.dl1.h5`;
}
