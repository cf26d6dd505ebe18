/**
 * The live event view: the array from above and one camera per telescope in
 * tiles sized to the space (app/camera-tiles.ts): every telescope of a small
 * array, each in its place, non-triggered ones dimmed; for large arrays the
 * triggered ones only (all on demand); a click focuses one camera.
 */
import type { ApiClient } from '../api/api-client.js';
import type { ArrayEvent } from '../../src-main/api/event-types.js';
import type { CameraGeometry, SubarrayDescription } from '../../src-main/api/instrument-types.js';
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

  constructor(private readonly api: ApiClient) {
    this.element = document.createElement('div');
    this.element.className = 'live-view';
    setHtml(
      this.element,
      html`<aside class="side"></aside><div class="main"><div class="event-row"><div class="event-label">waiting for events…</div></div></div>`,
    );
    this.eventLabel = this.element.querySelector('.event-label')!;
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
    if (changed) this.onInputChange?.(input);
    this.element.dataset.input = input;
  }

  get currentInput(): 'live' | 'file' {
    return this.input;
  }

  /** Draws an event of a file (at once; file stepping is driven by the keyboard, not a stream). */
  showFileEvent(event: ArrayEvent): void {
    this.lastEvent = event;
    this.draw(event);
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
      `obs ${event.obsId} · event ${event.eventId} · ${event.telescopes.length} telescopes triggered` +
      (shower ? ` · true E = ${shower.energy.toFixed(2)} TeV, core (${shower.coreX.toFixed(0)}, ${shower.coreY.toFixed(0)}) m` : '');
    this.element.dataset.eventId = String(event.eventId);
    if (this.input === 'live' && !this.held && event.source !== 'file') this.onLiveEventShown?.(event);
  }

  updateSettings(change: Partial<CameraViewSettings>): CameraViewSettings {
    this.settings = { ...this.settings, ...change };
    for (const v of this.cameras.values()) v.setSettings(this.settings);
    return this.settings;
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
    for (const t of event.telescopes) {
      const values = this.settings.quantity === 'peakTime' ? t.peakTime : this.settings.quantity === 'trueImage' ? t.trueImage : t.image;
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
