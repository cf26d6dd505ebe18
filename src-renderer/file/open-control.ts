/**
 * "Open…" in a browser (serve mode), where a page cannot hand over a file's
 * path (the desktop shell opens files with its native dialog, its menu and
 * drag-and-drop, which call file.open themselves). Two forms:
 *
 * - serve mode with data directories (app.info says which): a navigable list
 *   of the folders inside them and the files Lightpool can open, with size
 *   and kind (file.browse); an HDF5 file is opened, a NumPy file shown in the
 *   Points tab. Nothing outside the data directories can be asked for.
 * - otherwise (a backend with full access): a path field with the recently
 *   opened paths.
 *
 * Where an opened file goes is decided by the file router.
 */
import type { ApiClient } from '../api/api-client.js';
import type { DataEntry, DataListing, FileOpenResult } from '../../src-main/api/file-contract.js';
import { html, setHtml } from '../dom/html.js';
import { formatBytes } from '../format/numbers.js';
import type { ShowPointCloud } from '../points/point-cloud-view.js';

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

const kindText: Record<DataEntry['kind'], string> = { folder: 'folder', hdf5: 'HDF5', simtel: 'sim_telarray', npy: 'NumPy array', npz: 'NumPy archive' };

export class OpenControl {
  readonly element: HTMLElement;
  private readonly panel: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLDataListElement;
  private readonly error: HTMLElement;
  private readonly browser: HTMLElement;
  /** set: serve mode's list of the data directories instead of the path field */
  private dataDirectories: string[] | undefined;
  private folder: string | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly opened: (f: FileOpenResult) => void,
    private readonly showPointCloud: ShowPointCloud,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'open-control needs-control';
    setHtml(
      this.element,
      html`
      <button type="button" class="open-toggle" title="open an HDF5 file on the machine running Lightpool">Open…</button>
      <form class="open-panel" hidden>
        <label class="open-path-label">HDF5 file <input class="open-path" list="open-recent" type="text" size="60" spellcheck="false" placeholder="/path/to/file.h5 (on the machine running Lightpool)"></label>
        <datalist id="open-recent"></datalist>
        <button type="submit" class="open-go">Open</button>
        <button type="button" class="open-close" title="close (Esc)">×</button>
        <div class="open-browser" hidden></div>
        <div class="open-error" role="alert"></div>
        <ul class="open-recent-list"></ul>
      </form>`,
    );
    this.panel = this.element.querySelector('.open-panel')!;
    this.input = this.element.querySelector('.open-path')!;
    this.list = this.element.querySelector('#open-recent')!;
    this.error = this.element.querySelector('.open-error')!;
    this.browser = this.element.querySelector('.open-browser')!;
    this.element.querySelector('.open-toggle')!.addEventListener('click', () => (this.panel.hidden ? this.show() : this.hide()));
    this.element.querySelector('.open-close')!.addEventListener('click', () => this.hide());
    this.panel.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!this.dataDirectories) void this.open(this.input.value.trim());
    });
    this.panel.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') this.hide();
    });
    window.addEventListener('resize', () => this.place());
  }

  /** Shifts the shown panel so that it stays inside the window (the Open… button may sit near its right edge). */
  private place(): void {
    if (this.panel.hidden) return;
    const margin = 8;
    this.panel.style.left = '0px';
    const r = this.panel.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const shift = Math.max(margin - r.left, Math.min(0, width - margin - r.right));
    this.panel.style.left = `${Math.round(shift)}px`;
  }

  /** Serve mode's data directories (from app.info): Open… lists them instead of asking for a path. */
  setDataDirectories(dirs: string[] | undefined): void {
    this.dataDirectories = dirs;
    const browse = dirs !== undefined;
    this.panel.classList.toggle('browse', browse);
    this.element.querySelector<HTMLElement>('.open-path-label')!.hidden = browse;
    this.element.querySelector<HTMLElement>('.open-go')!.hidden = browse;
    this.browser.hidden = !browse;
    this.element.querySelector<HTMLElement>('.open-toggle')!.title = browse
      ? 'open a file from the data directories of the machine running Lightpool'
      : 'open an HDF5 file on the machine running Lightpool';
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
    this.place();
    if (this.dataDirectories) {
      void this.browse(this.folder);
    } else {
      this.input.focus();
      this.input.select();
    }
  }

  hide(): void {
    this.panel.hidden = true;
  }

  /** Lists a folder of the data directories (undefined: the data directories themselves). */
  async browse(dir: string | undefined): Promise<void> {
    this.error.textContent = '';
    let listing: DataListing;
    try {
      listing = await this.api.request('file.browse', dir === undefined ? {} : { dir });
    } catch (err) {
      this.error.textContent = (err as Error).message;
      if (dir !== undefined) this.folder = undefined;
      return;
    }
    this.folder = listing.dir;
    const head = document.createElement('div');
    head.className = 'open-where';
    const up = document.createElement('button');
    up.type = 'button';
    up.className = 'open-up';
    up.textContent = '↑ up';
    up.disabled = listing.dir === undefined;
    up.title = listing.parent ? `up to ${listing.parent}` : 'the data directories';
    up.addEventListener('click', () => void this.browse(listing.parent));
    const where = document.createElement('span');
    where.className = 'open-folder';
    where.textContent = listing.dir ?? 'data directories';
    head.append(up, where);
    const table = document.createElement('table');
    table.className = 'open-entries';
    for (const e of listing.entries) {
      const tr = document.createElement('tr');
      tr.dataset.kind = e.kind;
      tr.dataset.name = e.name;
      const name = document.createElement('td');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'open-entry';
      b.textContent = e.kind === 'folder' ? `${e.name}/` : e.name;
      b.title = e.path;
      b.addEventListener('click', () => void (e.kind === 'folder' ? this.browse(e.path) : this.openEntry(e)));
      name.append(b);
      const kind = document.createElement('td');
      kind.textContent = kindText[e.kind];
      const size = document.createElement('td');
      size.className = 'open-size';
      size.textContent = e.kind === 'folder' ? '' : formatBytes(e.size);
      tr.append(name, kind, size);
      table.append(tr);
    }
    const note = document.createElement('div');
    note.className = 'open-note';
    note.textContent =
      listing.entries.length === 0 ? 'nothing here Lightpool can open' : listing.truncated ? 'the folder holds more entries than are listed' : '';
    this.browser.replaceChildren(head, table, note);
  }

  private async openEntry(e: DataEntry): Promise<void> {
    if (e.kind === 'npy' || e.kind === 'npz') {
      this.hide();
      rememberPath(e.path);
      await this.showPointCloud({ kind: 'numpy', path: e.path }).catch(() => undefined); // the Points tab says what went wrong
      return;
    }
    await this.open(e.path);
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
