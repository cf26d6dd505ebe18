/**
 * The Lab tab: the lab detectors' three views — spectroscopy of digitized
 * signals, Compton imaging by MLEM, labelled image stacks — one at a time,
 * chosen with the buttons at its top. Other views open datasets here with
 * `openInLab` (the HDF5 Browser's "open as signals" / "open as system
 * matrix").
 */
import type { ApiClient } from '../api/api-client.js';
import type { TabView } from '../app/tabs.js';
import { SpectroscopyView } from './spectroscopy/spectroscopy-view.js';
import { ComptonView } from './compton/compton-view.js';
import { ImageStackView } from './image-stack/image-stack-view.js';
import type { LabTarget } from './lab-routes.js';

type SubviewId = 'spectroscopy' | 'compton' | 'stack';

interface Subview {
  element: HTMLElement;
  shown(): void;
  onKey?(e: KeyboardEvent): boolean;
}

let current: LabView | undefined;

/** Opens `path` of open file `fileId` in the lab view for `target` (and switches to it). */
export function openInLab(target: LabTarget, fileId: string, path: string): Promise<void> {
  if (!current) return Promise.reject(new Error('the Lab view has not been created'));
  return current.open(target, fileId, path);
}

export class LabView implements TabView {
  readonly element: HTMLElement;
  readonly spectroscopy: SpectroscopyView;
  readonly compton: ComptonView;
  readonly stack: ImageStackView;
  private readonly views: Record<SubviewId, Subview>;
  private active: SubviewId = 'spectroscopy';
  private visible = false;

  constructor(
    api: ApiClient,
    notify: (m: string, level?: 'info' | 'warning' | 'error') => void,
    private readonly showTab: () => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'lab-view';
    this.spectroscopy = new SpectroscopyView(api, notify);
    this.compton = new ComptonView(api, notify);
    this.stack = new ImageStackView(api, notify);
    this.views = { spectroscopy: this.spectroscopy, compton: this.compton, stack: this.stack };
    const bar = document.createElement('nav');
    bar.className = 'lab-switch';
    bar.setAttribute('role', 'tablist');
    const names: [SubviewId, string, string][] = [
      ['spectroscopy', 'Spectroscopy', 'digitized preamplifier signals: trapezoidal shaper, pulse-height spectrum, photopeak fit, energy calibration'],
      ['compton', 'Compton imaging', 'a Compton camera system matrix: list-mode MLEM over the sphere'],
      ['stack', 'Image stack', 'PNG/TIFF frames from a glob: window, crop, labels from the path, per-label means'],
    ];
    for (const [id, label, title] of names) {
      const b = document.createElement('button');
      b.className = 'lab-switch-button';
      b.dataset.lab = id;
      b.textContent = label;
      b.title = title;
      b.setAttribute('role', 'tab');
      b.addEventListener('click', () => this.select(id));
      bar.append(b);
    }
    this.element.append(bar, ...Object.values(this.views).map((v) => v.element));
    this.select('spectroscopy');
    current = this;
  }

  select(id: SubviewId): void {
    this.active = id;
    for (const [k, v] of Object.entries(this.views)) v.element.hidden = k !== id;
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('.lab-switch-button')) {
      b.classList.toggle('active', b.dataset.lab === id);
      b.setAttribute('aria-selected', String(b.dataset.lab === id));
    }
    this.element.dataset.lab = id;
    if (this.visible) requestAnimationFrame(() => this.views[id].shown());
  }

  async open(target: LabTarget, fileId: string, path: string): Promise<void> {
    this.showTab();
    if (target === 'signals') {
      this.select('spectroscopy');
      await this.spectroscopy.open(fileId, path);
    } else {
      this.select('compton');
      await this.compton.load(fileId, path);
    }
  }

  onKey(e: KeyboardEvent): boolean {
    return this.views[this.active].onKey?.(e) ?? false;
  }

  shown(): void {
    this.visible = true;
    this.views[this.active].shown();
  }

  hidden(): void {
    this.visible = false;
  }
}
