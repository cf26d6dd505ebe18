/**
 * Stepping through the events of an open ctapipe DL1 file in the Event tab:
 * the event view is rebuilt for the file's subarray and geometries, a banner
 * says which file and event is shown ("file: name · event i / N ·
 * obs_id/event_id") with a way back to the live stream, and the keyboard
 * steps (→/N next, ←/P previous, Home/End, J jump to an index or event id,
 * B bookmark). Replies that arrive after a newer step are dropped.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';
import type { ArrayEvent } from '../../src-main/api/event-types.js';
import type { LiveView } from '../app/live-view.js';
import { baseName } from './paths.js';
import { html, setHtml } from '../dom/html.js';
import { countText } from '../format/numbers.js';

export interface FileEventsState {
  file: FileOpenResult;
  index: number;
  event: ArrayEvent | undefined;
  bookmarks: Set<number>;
}

export class FileEvents {
  readonly banner: HTMLElement;
  private state: FileEventsState | undefined;
  private readonly bookmarksByFile = new Map<string, Set<number>>();
  private seq = 0;
  private readonly label: HTMLElement;
  private readonly note: HTMLElement;
  private readonly jumpForm: HTMLFormElement;
  private readonly jumpInput: HTMLInputElement;
  private readonly jumpKind: HTMLSelectElement;
  /** called when the user asks for the export dialog */
  onExport: (() => void) | undefined;
  /** told after each file event is shown (other views follow the Event tab's position) */
  onShown: ((file: FileOpenResult, index: number, event: ArrayEvent) => void) | undefined;
  /** told when the Event tab stops showing a file event (another file is opened, back to live): nothing of the old one may stay shown */
  onCleared: (() => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly live: LiveView,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.banner = document.createElement('div');
    this.banner.className = 'file-banner';
    setHtml(
      this.banner,
      html`
      <span class="file-label" aria-live="polite"></span>
      <span class="file-nav">
        <button class="first" title="first event (Home)">|◀</button><button class="prev" title="previous event (← or P)">◀</button><button class="next" title="next event (→ or N)">▶</button><button class="last" title="last event (End)">▶|</button>
        <button class="bookmark" title="bookmark this event (B)">☆</button>
        <form class="jump" hidden><select class="jump-kind"><option value="index">index</option><option value="event">event_id</option></select><input class="jump-value" placeholder="0" size="9" aria-label="jump to"><button type="submit">go</button></form>
        <button class="jump-open" title="jump to an event index or event id (J)">jump…</button>
        <button class="export needs-control" title="export events of this file to a new HDF5 file">export…</button>
        <button class="back-live" title="leave the file and show the live stream again">back to live</button>
      </span>
      <span class="file-note" hidden></span>
      <span class="file-keys" title="→ or N next · ← or P previous · Home first · End last · J jump to an index or event id · B bookmark">keys: → ← N P Home End J B</span>`,
    );
    this.label = this.banner.querySelector('.file-label')!;
    this.note = this.banner.querySelector('.file-note')!;
    this.jumpForm = this.banner.querySelector('.jump')!;
    this.jumpInput = this.banner.querySelector('.jump-value')!;
    this.jumpKind = this.banner.querySelector('.jump-kind')!;
    const on = (cls: string, fn: () => void) => this.banner.querySelector<HTMLButtonElement>(`.${cls}`)!.addEventListener('click', fn);
    on('first', () => void this.go(0));
    on('prev', () => void this.step(-1));
    on('next', () => void this.step(1));
    on('last', () => void this.go(Number.MAX_SAFE_INTEGER));
    on('bookmark', () => this.toggleBookmark());
    on('jump-open', () => this.openJump());
    on('export', () => this.onExport?.());
    on('back-live', () => void this.backToLive());
    this.jumpForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.jump(this.jumpKind.value as 'index' | 'event', this.jumpInput.value);
    });
    this.jumpInput.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.closeJump();
    });
  }

  get current(): FileEventsState | undefined {
    return this.state;
  }

  /** the bookmarked event indices of a file (kept per path while the window is open) */
  bookmarksOf(path: string): number[] {
    return [...(this.bookmarksByFile.get(path) ?? [])].sort((x, y) => x - y);
  }

  get active(): boolean {
    return this.state !== undefined;
  }

  /** Shows the events of a DL1 file in the Event tab, starting at event 0. */
  async open(file: FileOpenResult): Promise<void> {
    const token = ++this.seq;
    this.live.setInput('file');
    this.live.setFile(file.fileId);
    this.live.setBanner(this.banner);
    let bookmarks = this.bookmarksByFile.get(file.path);
    if (!bookmarks) this.bookmarksByFile.set(file.path, (bookmarks = new Set()));
    this.state = { file, index: 0, event: undefined, bookmarks };
    this.onCleared?.();
    this.closeJump();
    this.label.textContent = `file: ${baseName(file.path)} · loading…`;
    this.label.title = file.path;
    this.setNote(file);
    this.setNavigable(file.eventCount > 0);
    delete this.banner.dataset.index;
    delete this.banner.dataset.obsId;
    delete this.banner.dataset.eventId;
    try {
      const subarray = await this.api.request('file.subarray', { fileId: file.fileId });
      if (token !== this.seq) return;
      await this.live.build(subarray, (camera) => this.api.request('file.geometry', { fileId: file.fileId, camera }));
      if (token !== this.seq) return;
      await this.go(0);
    } catch (err) {
      this.notify(`Could not show the events of ${file.path}: ${(err as Error).message}`);
      if (token === this.seq) await this.backToLive();
    }
  }

  /** Forgets a closed file (e.g. re-opened under a new id). */
  closed(fileId: string): void {
    if (this.state?.file.fileId === fileId) void this.backToLive();
  }

  async backToLive(): Promise<void> {
    ++this.seq;
    this.state = undefined;
    this.closeJump();
    this.onCleared?.();
    try {
      await this.live.load();
    } catch (err) {
      this.notify(`Could not load the live instrument description: ${(err as Error).message}`);
    }
    this.live.setBanner(null);
    this.live.setInput('live');
  }

  step(delta: number): Promise<void> {
    return this.state ? this.go(this.state.index + delta) : Promise.resolve();
  }

  /** Shows event `index` (clamped to the file). */
  async go(index: number): Promise<void> {
    const s = this.state;
    if (!s) return;
    const n = s.file.eventCount;
    if (n === 0) {
      this.label.textContent = `file: ${baseName(s.file.path)} · no events`;
      this.banner.dataset.empty = 'true';
      this.live.showNoEvents(`no events to show: ${s.file.summary}`);
      return;
    }
    const i = Math.max(0, Math.min(n - 1, Math.trunc(index)));
    s.index = i;
    const token = ++this.seq;
    this.renderLabel();
    try {
      const r = await this.api.request('file.event', { fileId: s.file.fileId, index: i });
      if (token !== this.seq || r.kind !== 'dl1') return;
      s.event = r.event;
      this.live.showFileEvent(r.event);
      this.renderLabel();
      this.onShown?.(s.file, i, r.event);
    } catch (err) {
      if (token === this.seq) this.notify(`Event ${i} of ${s.file.path}: ${(err as Error).message}`);
    }
  }

  /** Jumps to an event index (0-based) or an event id ("obs:event" or an event_id of the current observation). */
  async jump(kind: 'index' | 'event', text: string): Promise<void> {
    const s = this.state;
    if (!s) return;
    const value = text.trim();
    const pair = /^(\d+)\s*[:/]\s*(\d+)$/.exec(value);
    try {
      if (kind === 'index' && !pair) {
        if (!/^\d+$/.test(value)) throw new Error(`"${value}" is not an event index: type a whole number from 0 to ${s.file.eventCount - 1}`);
        const i = Number(value);
        if (i >= s.file.eventCount)
          throw new Error(`index ${i} is past the end: ${baseName(s.file.path)} has ${countText(s.file.eventCount, 'event')} (0…${s.file.eventCount - 1})`);
        this.closeJump();
        await this.go(i);
        return;
      }
      let obsId = s.event?.obsId;
      let eventId: number;
      if (pair) {
        obsId = Number(pair[1]);
        eventId = Number(pair[2]);
      } else if (/^\d+$/.test(value)) {
        eventId = Number(value);
      } else {
        throw new Error(`"${value}" is not an event id: type event_id, or obs_id:event_id`);
      }
      if (obsId === undefined) throw new Error('no observation id known yet: type obs_id:event_id');
      const { index } = await this.api.request('file.findEvent', { fileId: s.file.fileId, obsId, eventId });
      this.closeJump();
      await this.go(index);
    } catch (err) {
      this.notify((err as Error).message, 'warning');
    }
  }

  openJump(): void {
    if (!this.state || this.state.file.eventCount === 0) return;
    this.jumpForm.hidden = false;
    this.jumpInput.value = '';
    this.jumpInput.placeholder = this.jumpKind.value === 'index' ? `0…${this.state.file.eventCount - 1}` : 'event_id';
    this.jumpInput.focus();
  }

  closeJump(): void {
    this.jumpForm.hidden = true;
  }

  toggleBookmark(): void {
    const s = this.state;
    if (!s || s.file.eventCount === 0) return;
    if (s.bookmarks.has(s.index)) s.bookmarks.delete(s.index);
    else s.bookmarks.add(s.index);
    this.renderLabel();
  }

  /** The file's problem (a truncated file: where its events stop), said beside the label. */
  private setNote(file: FileOpenResult): void {
    const problem = fileProblem(file.summary);
    this.note.hidden = !problem;
    this.note.textContent = problem ? `⚠ ${problem}` : '';
    this.note.title = problem ? `${file.path}: ${problem}` : '';
    if (problem) this.banner.dataset.problem = problem;
    else delete this.banner.dataset.problem;
  }

  /** A file without events: nothing to step, bookmark, jump to or export. */
  private setNavigable(on: boolean): void {
    for (const cls of ['first', 'prev', 'next', 'last', 'bookmark', 'jump-open', 'export']) {
      const b = this.banner.querySelector<HTMLButtonElement>(`.${cls}`)!;
      b.disabled = !on;
    }
    if (on) delete this.banner.dataset.empty;
    else this.banner.dataset.empty = 'true';
  }

  private renderLabel(): void {
    const s = this.state;
    if (!s) return;
    const e = s.event && s.event.fileIndex?.index === s.index ? s.event : undefined;
    const ids = e ? `obs_id ${e.obsId} / event_id ${e.eventId}` : 'loading…';
    const marks = s.bookmarks.size ? ` · ${s.bookmarks.size} bookmarked` : '';
    this.label.textContent = `file: ${baseName(s.file.path)} · event ${s.index + 1} / ${s.file.eventCount} · ${ids}${marks}`;
    this.label.title = s.file.path;
    const marked = s.bookmarks.has(s.index);
    const b = this.banner.querySelector<HTMLButtonElement>('.bookmark')!;
    b.textContent = marked ? '★' : '☆';
    b.classList.toggle('on', marked);
    this.banner.dataset.index = String(s.index);
    if (e) {
      this.banner.dataset.obsId = String(e.obsId);
      this.banner.dataset.eventId = String(e.eventId);
    }
  }

  /** Keys of the Event tab while a file is shown; true when used. */
  onKey(e: KeyboardEvent): boolean {
    if (!this.state || e.ctrlKey || e.metaKey || e.altKey) return false;
    // a file without events: the stepping keys do nothing (and do not reach the live history)
    if (this.state.file.eventCount === 0) return ['ArrowRight', 'ArrowLeft', 'n', 'N', 'p', 'P', 'Home', 'End', 'j', 'J', 'b', 'B'].includes(e.key);
    switch (e.key) {
      case 'ArrowRight':
      case 'n':
      case 'N':
        void this.step(1);
        return true;
      case 'ArrowLeft':
      case 'p':
      case 'P':
        void this.step(-1);
        return true;
      case 'Home':
        void this.go(0);
        return true;
      case 'End':
        void this.go(Number.MAX_SAFE_INTEGER);
        return true;
      case 'j':
      case 'J':
        this.openJump();
        return true;
      case 'b':
      case 'B':
        this.toggleBookmark();
        return true;
      case 'Escape':
        if (!this.jumpForm.hidden) {
          this.closeJump();
          return true;
        }
        return false;
      default:
        return false;
    }
  }
}

/**
 * The problem a file's summary line reports (the formats end the line with
 * " · problem: …" when a file is cut short), or undefined.
 */
export function fileProblem(summary: string): string | undefined {
  const at = summary.indexOf(PROBLEM_MARK);
  return at < 0 ? undefined : summary.slice(at + PROBLEM_MARK.length).trim() || undefined;
}

const PROBLEM_MARK = ' · problem: ';
