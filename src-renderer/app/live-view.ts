/**
 * The live event view: the array from above and one camera per telescope in
 * tiles sized to the space (app/camera-tiles.ts): every telescope of a small
 * array, each in its place, non-triggered ones dimmed; for large arrays the
 * triggered ones only (all on demand); a click focuses one camera.
 */
import type { ApiClient } from '../api/api-client.js';
import type { ArrayEvent } from '../../src-main/api/event-types.js';
import type { CameraGeometry, SubarrayDescription } from '../../src-main/api/instrument-types.js';
import type { WaveformLevels, WaveformSums } from '../../src-main/api/file-contract.js';
import { ArrayLayoutView } from '../array/array-layout-view.js';
import { CameraView, defaultCameraViewSettings, type CameraViewSettings } from '../camera/camera-view.js';
import type { ColorLimits } from '../camera/color-limits.js';
import { html, setHtml } from '../dom/html.js';
import { CameraTiles } from './camera-tiles.js';

export class LiveView {
  readonly element: HTMLElement;
  private readonly cameras = new Map<number, CameraView>();
  private arrayView: ArrayLayoutView | undefined;
  private settings: CameraViewSettings = { ...defaultCameraViewSettings };
  private lastEvent: ArrayEvent | undefined;
  private readonly eventLabel: HTMLElement;
  private frameRequested = false;
  private commonScale = false;
  /** the camera under the pointer, for keyboard export */
  private hovered: CameraView | undefined;
  private input: 'live' | 'file' = 'live';
  /** true while the shifter looks back through recent live events: the live stream waits */
  private held = false;
  private buildGeneration = 0;
  /** the tiles: which cameras are shown, their sizes, the focused one (and its waveform slot) */
  readonly tiles = new CameraTiles();
  /** telescope of the camera under the pointer */
  private hoveredTel: number | undefined;
  /** told when the view switches between the live stream and a file */
  onInputChange: ((input: 'live' | 'file') => void) | undefined;
  /** a live event was drawn (not while held on a past one): the waveform view follows the stream */
  onLiveEventShown: ((event: ArrayEvent) => void) | undefined;
  /** a click on a camera pixel (shift: add it), for the waveform view */
  onPixelClick: ((telId: number, pixel: number, shift: boolean) => void) | undefined;
  /** the R0 / R1 waveforms the shown input has (a file's, once known; undefined: the live stream, none) */
  onWaveformLevels: ((levels: WaveformLevels | undefined) => void) | undefined;
  /** told when an R0 / R1 sums request fails */
  onSumsError: ((message: string) => void) | undefined;
  private readonly sumsNote: HTMLElement;
  private sumsToken = 0;
  private levels: WaveformLevels | undefined;
  private levelsFileId: string | undefined;

  constructor(private readonly api: ApiClient) {
    this.element = document.createElement('div');
    this.element.className = 'live-view';
    setHtml(
      this.element,
      html`<aside class="side"></aside><div class="main"><div class="event-row"><div class="event-label">waiting for events…</div></div><div class="sums-note" hidden></div></div>`,
    );
    this.eventLabel = this.element.querySelector('.event-label')!;
    this.sumsNote = this.element.querySelector('.sums-note')!;
    this.element.querySelector('.event-row')!.append(this.tiles.bar);
    this.element.querySelector('.main')!.append(this.tiles.element);
  }

  async load(): Promise<void> {
    const subarray: SubarrayDescription = await this.api.request('instrument.subarray', {});
    this.input = 'live';
    await this.build(subarray, (camera) => this.api.request('instrument.geometry', { camera }));
  }

  /**
   * Rebuilds the array view and the camera grid for a subarray (the live one,
   * or an open file's with its own geometries) and clears the shown event.
   */
  async build(subarray: SubarrayDescription, geometryOf: (camera: string) => Promise<CameraGeometry>): Promise<void> {
    const generation = ++this.buildGeneration;
    const cameraNames = [...new Set(subarray.telescopes.map((t) => t.camera))];
    const geometries = new Map<string, CameraGeometry>();
    await Promise.all(cameraNames.map(async (name) => geometries.set(name, await geometryOf(name))));
    // a later build (e.g. back to live while a file was loading) wins
    if (generation !== this.buildGeneration) return;
    for (const v of this.cameras.values()) v.dispose();
    this.cameras.clear();
    this.hovered = undefined;
    this.lastEvent = undefined;
    this.arrayView = new ArrayLayoutView(subarray);
    this.element.querySelector('.side')!.replaceChildren(this.arrayView.element);
    this.hoveredTel = undefined;
    for (const tel of subarray.telescopes) {
      const view = new CameraView(geometries.get(tel.camera)!, `Tel ${tel.telId} · ${tel.camera}`, this.settings);
      view.element.dataset.telId = String(tel.telId);
      view.setImage(undefined);
      view.setSubtitle('not triggered');
      view.element.addEventListener('mouseenter', () => {
        this.hovered = view;
        this.hoveredTel = tel.telId;
      });
      view.onPixelClick = (pixel, shift) => this.onPixelClick?.(tel.telId, pixel, shift);
      this.cameras.set(tel.telId, view);
    }
    this.tiles.setCameras(
      this.cameras,
      subarray.telescopes.map((t) => t.telId),
    );
    this.eventLabel.textContent = this.input === 'file' ? 'loading the file…' : 'waiting for events…';
    delete this.element.dataset.eventId;
    delete this.element.dataset.noEvents;
  }

  /** The camera of a telescope (the waveform view outlines its pixels and steps along its geometry). */
  cameraOf(telId: number): CameraView | undefined {
    return this.cameras.get(telId);
  }

  /** A panel under the cameras (the waveform view). */
  addBelowCameras(panel: HTMLElement): void {
    this.element.querySelector('.main')!.append(panel);
  }

  /** Which events the view shows: the live stream, or only those given by showFileEvent (the live stream is then ignored). */
  setInput(input: 'live' | 'file'): void {
    if (input !== this.input) this.setHeld(false);
    const changed = input !== this.input;
    this.input = input;
    if (input === 'live') delete this.element.dataset.noEvents;
    if (changed && input === 'live') {
      this.levels = undefined;
      this.levelsFileId = undefined;
      this.onWaveformLevels?.(undefined);
    }
    if (changed) this.onInputChange?.(input);
    this.element.dataset.input = input;
  }

  get currentInput(): 'live' | 'file' {
    return this.input;
  }

  /** Draws an event of a file (at once; file stepping is driven by the keyboard, not a stream). */
  showFileEvent(event: ArrayEvent): void {
    this.lastEvent = event;
    const fileId = event.fileIndex?.fileId;
    if (fileId) this.setFile(fileId);
    this.draw(event);
  }

  /**
   * The file the view shows from now on (before its first event, which a file may not have): the
   * R0 / R1 waveforms it has are asked once, and until the answer none of the previous input's stay offered.
   */
  setFile(fileId: string): void {
    if (fileId === this.levelsFileId) return;
    this.levelsFileId = fileId;
    this.levels = undefined;
    this.onWaveformLevels?.(undefined);
    this.api.request('file.waveformLevels', { fileId }).then(
      (levels) => {
        if (this.levelsFileId !== fileId) return;
        this.levels = levels;
        this.onWaveformLevels?.(levels);
      },
      (err: Error) => this.onSumsError?.(`Could not ask which waveforms ${fileId} has: ${err.message}`),
    );
  }

  /** The shown file has no event to show: the event line says so (`text`), instead of waiting for one. */
  showNoEvents(text: string): void {
    this.lastEvent = undefined;
    this.loadSums(undefined);
    this.eventLabel.textContent = text;
    this.element.dataset.noEvents = 'true';
    delete this.element.dataset.eventId;
  }

  /** the R0 / R1 waveforms of the file shown (undefined: the live stream, or not known yet) */
  get waveformLevels(): WaveformLevels | undefined {
    return this.levels;
  }

  /** A bar above the cameras (the file indicator), or none. */
  setBanner(banner: HTMLElement | null): void {
    const main = this.element.querySelector('.main')!;
    main.querySelector(':scope > .view-banner')?.remove();
    if (banner) {
      banner.classList.add('view-banner');
      main.prepend(banner);
    }
  }

  /** Holds the view on the event it shows (live history) or lets the live stream through again. */
  setHeld(held: boolean): void {
    this.held = held;
    this.element.dataset.held = String(held);
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes the newest event; drawing happens at the next animation frame (newest wins). */
  show(event: ArrayEvent): void {
    if (this.input === 'file' && event.source !== 'file') return;
    if (this.held) return;
    this.lastEvent = event;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (this.lastEvent) this.draw(this.lastEvent);
    });
  }

  private draw(event: ArrayEvent): void {
    // an event that arrives while the cameras are (re)built waits for the next one
    if (this.cameras.size === 0) return;
    const byTel = new Map(event.telescopes.map((t) => [t.telId, t]));
    // the common scale comes with the image, so that each camera draws once per event
    const common = this.commonScale ? this.commonLimits(event) : undefined;
    for (const [telId, view] of this.cameras) {
      const t = byTel.get(telId);
      view.setImage(
        t
          ? {
              image: t.image,
              peakTime: t.peakTime,
              mask: t.mask,
              trueImage: t.trueImage,
              hillas: t.hillas,
              timing: t.timingSlope !== undefined ? { slope: t.timingSlope } : undefined,
            }
          : undefined,
        common,
      );
      view.setSubtitle(
        !t
          ? 'not triggered'
          : t.hillas
            ? `event ${event.eventId} · ${Math.round(t.hillas.intensity)} p.e.`
            : `event ${event.eventId} · no parameters (empty mask)`,
      );
    }
    this.tiles.setTriggered(byTel.keys());
    this.arrayView?.setEvent(event);
    const shower = event.trueShower;
    this.eventLabel.textContent =
      `obs ${event.obsId} · event ${event.eventId} · ${event.telescopes.length} ${event.telescopes.length === 1 ? 'telescope' : 'telescopes'} triggered` +
      (shower ? ` · true E = ${shower.energy.toFixed(2)} TeV, core (${shower.coreX.toFixed(0)}, ${shower.coreY.toFixed(0)}) m` : '');
    this.element.dataset.eventId = String(event.eventId);
    delete this.element.dataset.noEvents;
    this.loadSums(event);
    if (this.input === 'live' && !this.held && event.source !== 'file') this.onLiveEventShown?.(event);
  }

  updateSettings(change: Partial<CameraViewSettings>): CameraViewSettings {
    const before = this.settings;
    this.settings = { ...this.settings, ...change };
    for (const v of this.cameras.values()) v.setSettings(this.settings);
    const sums = this.settings.quantity === 'r0' || this.settings.quantity === 'r1';
    if (sums && (before.quantity !== this.settings.quantity || before.r0Gain !== this.settings.r0Gain) && this.lastEvent) this.loadSums(this.lastEvent);
    else if (!sums) this.loadSums(undefined);
    return this.settings;
  }

  /**
   * The cameras showing R0 or R1: the per-pixel sums over samples of the shown file event, for all its
   * triggered telescopes in one request (file.waveformSums); the answer to an older request is dropped.
   */
  private loadSums(event: ArrayEvent | undefined): void {
    const level = this.settings.quantity === 'r0' || this.settings.quantity === 'r1' ? this.settings.quantity : undefined;
    const token = ++this.sumsToken;
    if (!level || !event) {
      this.sumsNote.hidden = true;
      for (const v of this.cameras.values()) v.setWaveformSums(undefined);
      return;
    }
    const gain = level === 'r0' ? (this.settings.r0Gain ?? 'high') : null;
    const unit = level === 'r0' ? 'ADC counts' : 'p.e.';
    const empty = (why: string) => ({ level, values: null, unit, gain, why });
    const fileId = event.fileIndex?.fileId;
    const telIds = event.telescopes.map((t) => t.telId);
    this.sumsNote.hidden = false;
    if (event.source !== 'file' || !fileId || !event.fileIndex) {
      this.sumsNote.textContent = `${level.toUpperCase()}: the live stream carries no ${level.toUpperCase()} waveforms of whole cameras`;
      for (const v of this.cameras.values()) v.setWaveformSums(empty('not on the live stream'));
      return;
    }
    for (const v of this.cameras.values()) v.setWaveformSums(empty(telIds.length ? 'loading…' : 'not triggered'));
    if (telIds.length === 0) {
      this.sumsNote.textContent = `${level.toUpperCase()}: no telescope triggered in this event`;
      return;
    }
    this.sumsNote.textContent = `${level.toUpperCase()}: loading…`;
    const index = event.fileIndex.index;
    this.api.request('file.waveformSums', { fileId, index, level, gain: gain ?? undefined, telIds }).then(
      (r) => {
        if (token === this.sumsToken) this.showSums(r);
      },
      (err: Error) => {
        if (token !== this.sumsToken) return;
        this.sumsNote.textContent = `${level.toUpperCase()}: ${err.message}`;
        for (const v of this.cameras.values()) v.setWaveformSums(empty(err.message));
        this.onSumsError?.(`${level.toUpperCase()} sums of event ${index}: ${err.message}`);
      },
    );
  }

  private showSums(r: WaveformSums): void {
    let vmin = Infinity;
    let vmax = -Infinity;
    if (this.commonScale) {
      for (const t of r.telescopes)
        for (const v of t.sums) {
          if (v < vmin) vmin = v;
          if (v > vmax) vmax = v;
        }
    }
    const limits = this.commonScale && vmax > vmin ? { mode: 'fixed' as const, vmin, vmax } : undefined;
    const byTel = new Map(r.telescopes.map((t) => [t.telId, t]));
    const missing = new Map(r.missing.map((m) => [m.telId, m.why]));
    for (const [telId, view] of this.cameras) {
      const t = byTel.get(telId);
      view.setWaveformSums({ level: r.level, values: t ? t.sums : null, unit: r.unit, gain: r.gain, why: missing.get(telId) ?? 'not triggered' }, limits);
    }
    const ped = r.telescopes.find((t) => t.pedestalSums)?.pedestalSums;
    const pedText = ped ? ` · the pedestal alone sums to about ${Math.round(median(ped))} ADC counts per pixel` : '';
    const missText = r.missing.length ? ` · none for ${r.missing.map((m) => `tel ${m.telId} (${m.why})`).join(', ')}` : '';
    this.sumsNote.textContent = `${r.level.toUpperCase()} (${r.unit}): ${r.what}${pedText}${missText}`;
    this.sumsNote.title = 'numpy: ' + (r.level === 'r0' ? `r0.waveform[${r.gain === 'low' ? 1 : 0}].sum(axis=-1)` : 'r1.waveform.sum(axis=-1)');
  }

  /** One colour scale (min–max over all triggered cameras) or each camera its own. */
  setCommonScale(common: boolean): boolean {
    this.commonScale = common;
    if (this.lastEvent) this.applyCommonScale(this.lastEvent);
    return common;
  }

  get isCommonScale(): boolean {
    return this.commonScale;
  }

  /** after the common scale was switched: the cameras' own (automatic) limits, or the common ones */
  private applyCommonScale(event: ArrayEvent): void {
    const limits = this.commonScale ? this.commonLimits(event) : { mode: 'auto' as const };
    if (limits) for (const v of this.cameras.values()) v.setLimits(limits);
  }

  /** min–max over all triggered cameras of the shown quantity (undefined when flat) */
  private commonLimits(event: ArrayEvent): ColorLimits | undefined {
    let vmin = Infinity;
    let vmax = -Infinity;
    const q = this.settings.quantity;
    if (q === 'r0' || q === 'r1') {
      for (const v of this.cameras.values()) {
        const values = v.values;
        if (values) for (const x of values) [vmin, vmax] = [Math.min(vmin, x), Math.max(vmax, x)];
      }
      return vmax > vmin ? { mode: 'fixed', vmin, vmax } : undefined;
    }
    for (const t of event.telescopes) {
      const values = q === 'peakTime' ? t.peakTime : q === 'trueImage' ? t.trueImage : t.image;
      if (!values) continue;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v < vmin) vmin = v;
        if (v > vmax) vmax = v;
      }
    }
    return vmax > vmin ? { mode: 'fixed', vmin, vmax } : undefined;
  }

  /** Exports the camera under the pointer (or the first triggered one). */
  exportHovered(format: 'png' | 'svg'): Promise<void> | undefined {
    const view = this.hovered ?? [...this.cameras.values()].find((v) => !v.element.classList.contains('not-triggered'));
    return view?.downloadFigure(format);
  }

  /** A, F, ] / [ and Esc: triggered or all telescopes, focus a tile and step between tiles; true when used. */
  onTileKey(e: KeyboardEvent): boolean {
    return this.tiles.handleKey(e, this.hoveredTel);
  }

  get currentSettings(): CameraViewSettings {
    return this.settings;
  }
}

function median(values: Float32Array): number {
  const s = Float32Array.from(values).sort();
  return s.length ? s[s.length >> 1] : Number.NaN;
}
