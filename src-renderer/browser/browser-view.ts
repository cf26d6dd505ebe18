/**
 * The HDF5 Browser tab: the open files, the tree of the chosen one, the
 * facts of the selected node and a preview (line, image, image stack,
 * virtualised table, text) that reads only what it shows.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileOpenResult, TreeNode } from '../../src-main/api/file-contract.js';
import type { TabView } from '../app/tabs.js';
import { TreeView } from './tree-view.js';
import { nodeDetailsHtml, bytesText } from './node-details.js';
import { canShowAsPoints, previewKind } from './preview-choice.js';
import { LinePreview } from './preview-line.js';
import { ImagePreview } from './preview-image.js';
import { TablePreview } from './preview-table.js';
import { TextPreview } from './preview-text.js';
import type { ShowPointCloud } from '../points/point-cloud-view.js';
import { labActions } from '../lab/lab-routes.js';
import { openInLab } from '../lab/lab-view.js';
import { html, setHtml } from '../dom/html.js';

type Preview = { element: HTMLElement; dispose?(): void; stepStack?(d: number): void };

export class BrowserView implements TabView {
  readonly element: HTMLElement;
  private readonly files = new Map<string, FileOpenResult>();
  private current: FileOpenResult | undefined;
  private readonly tree = new TreeView();
  private preview: Preview | undefined;
  private readonly select: HTMLSelectElement;
  private seq = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (m: string, level?: 'info' | 'warning' | 'error') => void,
    private readonly showPointCloud: ShowPointCloud,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'browser-view';
    setHtml(
      this.element,
      html`
      <aside class="browser-side">
        <div class="browser-file"><select class="browser-files" aria-label="open file"></select><button class="browser-events" title="step through this file's events in the Event tab" hidden>events</button><button class="browser-export needs-control" title="export events of this file to a new HDF5 file" hidden>export…</button><button class="browser-close needs-control" title="close this file">close</button></div>
        <div class="browser-file-info"></div>
      </aside>
      <section class="browser-main">
        <div class="browser-details"><p class="browser-empty">No file open. Use <b>Open…</b> at the top (a path on the machine running Lightpool), drop a file on the desktop app, or start <code>lightpool serve FILE</code>.</p></div>
        <div class="browser-preview-host"></div>
      </section>`,
    );
    this.element.querySelector('.browser-side')!.append(this.tree.element);
    this.select = this.element.querySelector('.browser-files')!;
    this.select.addEventListener('change', () => {
      const f = this.files.get(this.select.value);
      if (f) void this.show(f);
    });
    this.element.querySelector('.browser-close')!.addEventListener('click', () => void this.closeCurrent());
    this.element.querySelector('.browser-events')!.addEventListener('click', () => {
      if (this.current) this.onShowEvents?.(this.current);
    });
    this.element.querySelector('.browser-export')!.addEventListener('click', () => {
      if (this.current) this.onExport?.(this.current);
    });
    this.tree.onSelect = (n) => this.selectNode(n);
  }

  /** Adds an opened file to the list; browses it unless `show` is false (then only when nothing is browsed yet). */
  add(f: FileOpenResult, show = true): void {
    for (const [id, g] of this.files) if (g.path === f.path && id !== f.fileId) this.files.delete(id);
    this.files.set(f.fileId, f);
    this.renderFileList();
    if (show || !this.current) void this.show(f);
  }

  get currentFile(): FileOpenResult | undefined {
    return this.current;
  }

  async show(f: FileOpenResult): Promise<void> {
    const token = ++this.seq;
    this.current = f;
    this.select.value = f.fileId;
    this.element.querySelector<HTMLButtonElement>('.browser-events')!.hidden = !f.format.offers.includes('array-events');
    this.element.querySelector<HTMLButtonElement>('.browser-export')!.hidden = !f.format.offers.includes('subset-export');
    this.element.querySelector('.browser-file-info')!.textContent = `${f.summary} · ${bytesText(f.size)}`;
    this.element.querySelector<HTMLElement>('.browser-file-info')!.title = f.path;
    this.setPreview(undefined);
    if (!f.format.offers.includes('tree')) {
      this.tree.setRoot(undefined);
      this.element.querySelector('.browser-details')!.textContent =
        `${f.path} is a ${f.format.label} file, not HDF5: it has no tree of groups and datasets. Its events are shown in the Event tab.`;
      return;
    }
    setHtml(this.element.querySelector('.browser-details')!, html`<p class="browser-empty">reading the tree…</p>`);
    try {
      const root = await this.api.request('file.tree', { fileId: f.fileId });
      if (token !== this.seq) return;
      this.tree.setRoot(root);
      this.tree.select('/');
      this.element.dataset.fileId = f.fileId;
    } catch (err) {
      if (token !== this.seq) return;
      this.tree.setRoot(undefined);
      this.element.querySelector('.browser-details')!.textContent = `Could not read the tree of ${f.path}: ${(err as Error).message}`;
    }
  }

  /** Selects a node by path (tests, links). */
  selectPath(path: string): boolean {
    return !!this.tree.select(path);
  }

  private selectNode(n: TreeNode): void {
    const details = this.element.querySelector('.browser-details')!;
    setHtml(details, nodeDetailsHtml(n));
    this.element.dataset.selected = n.path;
    const f = this.current;
    if (!f) return;
    if (canShowAsPoints(n)) {
      const button = document.createElement('button');
      button.className = 'browser-as-points';
      button.textContent = 'show as 3D points';
      button.title = 'draw the rows as points in the Points tab (first three columns as x, y, z)';
      button.addEventListener('click', () => {
        this.showPointCloud({ kind: 'hdf5', fileId: f.fileId, path: n.path }).catch((err: Error) =>
          this.notify(`Could not show ${n.path} as points: ${err.message}`),
        );
      });
      details.append(button);
    }
    for (const action of labActions(n)) {
      const button = document.createElement('button');
      button.className = `browser-as-lab browser-as-${action.target}`;
      button.textContent = action.label;
      button.title = action.title;
      button.addEventListener('click', () => {
        openInLab(action.target, f.fileId, n.path).catch((err: Error) => this.notify(`Could not open ${n.path} in the Lab tab: ${err.message}`));
      });
      details.append(button);
    }
    const kind = previewKind(n);
    this.element.dataset.preview = kind;
    switch (kind) {
      case 'line':
      case 'lines':
        this.setPreview(new LinePreview(this.api, f.fileId, n));
        break;
      case 'image':
      case 'stack':
        this.setPreview(new ImagePreview(this.api, f.fileId, n));
        break;
      case 'table':
        this.setPreview(new TablePreview(this.api, f.fileId, n));
        break;
      case 'text':
      case 'scalar':
        this.setPreview(new TextPreview(this.api, f.fileId, n));
        break;
      default:
        this.setPreview(undefined);
    }
  }

  private setPreview(p: Preview | undefined): void {
    this.preview?.dispose?.();
    this.preview = p;
    this.element.querySelector('.browser-preview-host')!.replaceChildren(...(p ? [p.element] : []));
  }

  private renderFileList(): void {
    this.select.replaceChildren(
      ...[...this.files.values()].map((f) => {
        const o = document.createElement('option');
        o.value = f.fileId;
        o.textContent = f.path.split(/[\\/]/).pop() ?? f.path;
        o.title = f.path;
        return o;
      }),
    );
    if (this.current) this.select.value = this.current.fileId;
  }

  /** Forgets a file that was closed elsewhere. */
  removed(fileId: string): void {
    if (!this.files.delete(fileId)) return;
    this.renderFileList();
    if (this.current?.fileId === fileId) {
      this.current = undefined;
      const next = [...this.files.values()].pop();
      if (next) void this.show(next);
      else {
        this.tree.setRoot(undefined);
        this.setPreview(undefined);
      }
    }
  }

  private async closeCurrent(): Promise<void> {
    const f = this.current;
    if (!f) return;
    try {
      await this.api.request('file.close', { fileId: f.fileId });
      this.removed(f.fileId);
      this.onClosed?.(f.fileId);
    } catch (err) {
      this.notify(`Could not close ${f.path}: ${(err as Error).message}`);
    }
  }

  /** asked to open the export dialog for a DL1 or WatChMaL file */
  onExport: ((f: FileOpenResult) => void) | undefined;

  /** asked to show a DL1 file's events in the Event tab */
  onShowEvents: ((f: FileOpenResult) => void) | undefined;

  /** told when the user closes a file here (so the Event tab can leave it) */
  onClosed: ((fileId: string) => void) | undefined;

  onKey(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if ((e.key === '[' || e.key === ']') && this.preview?.stepStack) {
      this.preview.stepStack(e.key === ']' ? 1 : -1);
      return true;
    }
    return false;
  }

  shown(): void {
    this.tree.element.focus({ preventScroll: true });
  }
}
