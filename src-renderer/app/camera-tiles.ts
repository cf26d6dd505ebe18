/**
 * The camera tiles of the event view, readable for arrays of any size: only
 * the triggered telescopes by default (all on demand, A), the tiles sized to
 * the space (src-renderer/camera/tile-layout.ts, re-laid out on resize), small
 * tiles with the compact colour bar; a click on a tile focuses it: the camera
 * large with a slot beside it for its waveform panel, the other tiles as a
 * strip below; ] / [ step the focus, Esc returns to the grid.
 */
import type { CameraView } from '../camera/camera-view.js';
import { tileGrid } from '../camera/tile-layout.js';
import { shownTelescopes, stepTelescope, triggeredCountText } from '../camera/shown-telescopes.js';
import { html, setHtml } from '../dom/html.js';

/** Arrays up to this size show every telescope by default (their tiles keep their places from event to event). */
export const SMALL_ARRAY = 8;

export class CameraTiles {
  /** the tiles, the focused camera and its waveform slot */
  readonly element: HTMLElement;
  /** the count, the "all telescopes" toggle and the way back from a focused tile */
  readonly bar: HTMLElement;
  /**
   * Beside the focused camera, for its waveform panel (empty: the camera takes
   * the whole row). Filled by whoever shows waveforms, on `onFocusChange`.
   */
  readonly waveformSlot: HTMLElement;
  /** called when a tile is focused (its telescope id) or the grid comes back (undefined) */
  onFocusChange: ((telId: number | undefined, view: CameraView | undefined) => void) | undefined;

  private readonly grid: HTMLElement;
  private readonly focusRow: HTMLElement;
  private readonly focusSlot: HTMLElement;
  private readonly countEl: HTMLElement;
  private readonly allInput: HTMLInputElement;
  private views = new Map<number, CameraView>();
  private order: number[] = [];
  private triggered: Set<number> | undefined;
  /** undefined: automatic (all for small arrays, the triggered ones for large) */
  private showAllChoice: boolean | undefined;
  private focused: number | undefined;
  private shown: number[] = [];
  private readonly resizeObserver: ResizeObserver;
  private layoutRequested = false;
  /** what the tiles were last placed for (shown telescopes and focus): the same again needs no DOM work */
  private placed = '';

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'camera-area';
    setHtml(
      this.element,
      html`<div class="focus-row" hidden><div class="focus-slot"></div><div class="waveform-slot"></div></div><div class="camera-grid"></div>`,
    );
    this.grid = this.element.querySelector('.camera-grid')!;
    this.focusRow = this.element.querySelector('.focus-row')!;
    this.focusSlot = this.element.querySelector('.focus-slot')!;
    this.waveformSlot = this.element.querySelector('.waveform-slot')!;
    this.bar = document.createElement('div');
    this.bar.className = 'tiles-bar';
    setHtml(
      this.bar,
      html`<span class="tiles-count"></span>
        <label title="A: every telescope of the array, or only those with an image in the event"><input type="checkbox" class="all-telescopes"> all telescopes</label>
        <button class="unfocus" title="back to all tiles (Esc); ] / [ step to the next / previous tile" hidden>⊞ all tiles</button>`,
    );
    this.countEl = this.bar.querySelector('.tiles-count')!;
    this.allInput = this.bar.querySelector('.all-telescopes')!;
    this.allInput.onchange = () => this.setShowAll(this.allInput.checked);
    this.bar.querySelector<HTMLButtonElement>('.unfocus')!.onclick = () => this.focus(undefined);
    // laid out at the next frame: the tiles' own observers then see their new sizes in a frame of their own
    this.resizeObserver = new ResizeObserver(() => {
      if (this.layoutRequested) return;
      this.layoutRequested = true;
      requestAnimationFrame(() => {
        this.layoutRequested = false;
        this.layout();
      });
    });
    this.resizeObserver.observe(this.element);
  }

  /** New cameras (a new subarray), in the subarray's order; no event shown yet, no focus. */
  setCameras(views: Map<number, CameraView>, order: number[]): void {
    const hadFocus = this.focused !== undefined;
    this.views = views;
    this.order = [...order];
    this.triggered = undefined;
    this.focused = undefined;
    this.placed = '';
    this.waveformSlot.replaceChildren();
    this.grid.replaceChildren();
    for (const telId of this.order) {
      const view = views.get(telId)!;
      this.grid.append(view.element);
      this.wireFocusClick(telId, view);
    }
    this.update();
    if (hadFocus) this.onFocusChange?.(undefined, undefined);
  }

  /** The telescopes with an image in the shown event. */
  setTriggered(telIds: Iterable<number>): void {
    const next = new Set(telIds);
    const same = this.triggered && next.size === this.triggered.size && [...next].every((id) => this.triggered!.has(id));
    this.triggered = next;
    if (!same) this.update();
    else this.countEl.textContent = triggeredCountText(this.order, this.triggered);
  }

  get showAll(): boolean {
    return this.showAllChoice ?? this.order.length <= SMALL_ARRAY;
  }

  setShowAll(all: boolean): void {
    this.showAllChoice = all;
    this.update();
  }

  /** The focused telescope, or undefined when the grid is shown. */
  get focusedTelescope(): number | undefined {
    return this.focused;
  }

  /** Focuses a telescope's camera (large, the others as a strip), or back to the grid (undefined). */
  focus(telId: number | undefined): void {
    if (telId !== undefined && !this.views.has(telId)) return;
    if (telId === this.focused) return;
    this.focused = telId;
    if (telId === undefined) this.waveformSlot.replaceChildren();
    this.update();
    this.onFocusChange?.(telId, telId === undefined ? undefined : this.views.get(telId));
  }

  /** The next (+1) or previous (-1) shown tile gets the focus. */
  step(delta: number): void {
    const next = stepTelescope(this.shown, this.focused, delta);
    if (next !== undefined) this.focus(next);
  }

  /** A, F, ] / [ and Esc of the Event tab; true when used. `hovered`: the tile under the pointer. */
  handleKey(e: KeyboardEvent, hovered: number | undefined): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case 'a':
      case 'A':
        this.setShowAll(!this.showAll);
        return true;
      case 'f':
      case 'F':
        if (this.focused !== undefined) this.focus(undefined);
        else this.focus(hovered ?? this.shown[0]);
        return true;
      case ']':
        this.step(1);
        return true;
      case '[':
        this.step(-1);
        return true;
      case 'Escape':
        if (this.focused === undefined) return false;
        this.focus(undefined);
        return true;
      default:
        return false;
    }
  }

  /** Which tiles are shown and where, after any change of cameras, event, toggle or focus. */
  private update(): void {
    this.shown = shownTelescopes(this.order, this.triggered, this.showAll);
    this.allInput.checked = this.showAll;
    this.countEl.textContent = triggeredCountText(this.order, this.triggered);
    const focused = this.focused;
    const placed = `${this.shown.join(',')}|${focused ?? ''}`;
    if (placed === this.placed) return;
    this.placed = placed;
    this.element.dataset.focused = focused === undefined ? '' : String(focused);
    this.bar.querySelector<HTMLButtonElement>('.unfocus')!.hidden = focused === undefined;
    this.focusRow.hidden = focused === undefined;
    const shownSet = new Set(this.shown);
    for (const telId of this.order) {
      const view = this.views.get(telId)!;
      const isFocused = telId === focused;
      view.element.classList.toggle('tile-hidden', !isFocused && !shownSet.has(telId));
      view.element.classList.toggle('focused', isFocused);
      if (isFocused && view.element.parentElement !== this.focusSlot) this.focusSlot.replaceChildren(view.element);
    }
    // the grid keeps the subarray's order (a tile leaving the focus goes back to its place)
    const inGrid = this.order.filter((id) => id !== focused).map((id) => this.views.get(id)!.element);
    if (inGrid.some((el, i) => this.grid.children[i] !== el)) this.grid.append(...inGrid);
    this.element.dataset.shown = String(this.shown.filter((id) => id !== focused).length);
    this.layout();
  }

  /** Columns and rows of the grid (or the strip below a focused camera) for its size now. */
  private layout(): void {
    const n = this.shown.filter((id) => id !== this.focused).length;
    this.grid.hidden = n === 0 && this.focused !== undefined;
    const g = tileGrid(n, this.grid.clientWidth, this.grid.clientHeight);
    this.grid.style.setProperty('--columns', String(g.columns));
    this.grid.style.setProperty('--rows', String(g.rows));
    for (const [telId, view] of this.views) view.setCompact(telId !== this.focused && g.compact);
  }

  private wireFocusClick(telId: number, view: CameraView): void {
    let down: { x: number; y: number } | undefined;
    view.element.addEventListener('mousedown', (e) => (down = { x: e.clientX, y: e.clientY }));
    view.element.addEventListener('click', (e) => {
      const start = down;
      down = undefined;
      // a drag (pan) or a camera tool is not a click on the tile
      if (!start || Math.abs(e.clientX - start.x) + Math.abs(e.clientY - start.y) > 3) return;
      if ((e.target as HTMLElement).closest('.camera-tools')) return;
      if (this.focused !== telId) this.focus(telId);
    });
  }

  dispose(): void {
    this.resizeObserver.disconnect();
  }
}
