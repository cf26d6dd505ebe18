/**
 * "Open…": a path field with the recently opened paths, for serve mode where
 * a browser cannot hand over a file's path (the desktop shell's menu and
 * drag-and-drop call file.open themselves). The path is on the machine that
 * runs Lightpool. Where the opened file goes is decided by the file router.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';

const RECENT_KEY = 'lightpool.recentPaths';
const MAX_RECENT = 10;

export function recentPaths(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function rememberPath(path: string): void {
  const list = [path, ...recentPaths().filter((p) => p !== path)].slice(0, MAX_RECENT);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: recent paths are a convenience only
  }
}

export class OpenControl {
  readonly element: HTMLElement;
  private readonly panel: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLDataListElement;
  private readonly error: HTMLElement;

  constructor(private readonly api: ApiClient, private readonly opened: (f: FileOpenResult) => void) {
    this.element = document.createElement('div');
    this.element.className = 'open-control';
    this.element.innerHTML = `
      <button type="button" class="open-toggle" title="open an HDF5 file on the machine running Lightpool">Open…</button>
      <form class="open-panel" hidden>
        <label>HDF5 file <input class="open-path" list="open-recent" type="text" size="60" spellcheck="false" placeholder="/path/to/file.h5 (on the machine running Lightpool)"></label>
        <datalist id="open-recent"></datalist>
        <button type="submit" class="open-go">Open</button>
        <button type="button" class="open-close" title="close (Esc)">×</button>
        <div class="open-error" role="alert"></div>
        <ul class="open-recent-list"></ul>
      </form>`;
    this.panel = this.element.querySelector('.open-panel')!;
    this.input = this.element.querySelector('.open-path')!;
    this.list = this.element.querySelector('#open-recent')!;
    this.error = this.element.querySelector('.open-error')!;
    this.element.querySelector('.open-toggle')!.addEventListener('click', () => (this.panel.hidden ? this.show() : this.hide()));
    this.element.querySelector('.open-close')!.addEventListener('click', () => this.hide());
    this.panel.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.open(this.input.value.trim());
    });
    this.panel.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') this.hide();
    });
  }

  show(): void {
    const recent = recentPaths();
    this.list.replaceChildren(...recent.map((p) => Object.assign(document.createElement('option'), { value: p })));
    const ul = this.element.querySelector('.open-recent-list')!;
    ul.replaceChildren(
      ...recent.map((p) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = p;
        b.title = `open ${p}`;
        b.addEventListener('click', () => void this.open(p));
        li.append(b);
        return li;
      }),
    );
    this.error.textContent = '';
    this.panel.hidden = false;
    this.input.focus();
    this.input.select();
  }

  hide(): void {
    this.panel.hidden = true;
  }

  async open(path: string): Promise<void> {
    if (!path) {
      this.error.textContent = 'Type the path of an HDF5 file on the machine running Lightpool.';
      return;
    }
    this.error.textContent = `opening ${path}…`;
    try {
      const f = await this.api.request('file.open', { path });
      rememberPath(f.path);
      this.hide();
      this.opened(f);
    } catch (err) {
      this.error.textContent = (err as Error).message;
    }
  }
}
