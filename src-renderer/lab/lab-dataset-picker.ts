/**
 * Choosing a dataset for a lab view directly: one of the open HDF5 files
 * (open more with Open… at the top) and a dataset path, with a button that
 * opens it. The HDF5 Browser's "open as …" buttons fill the same fields.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';

export class LabDatasetPicker {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly dataset: HTMLInputElement;
  private files: FileOpenResult[] = [];
  /** told when the user asks to open the chosen dataset */
  onOpen: ((fileId: string, dataset: string) => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    defaultDataset: string,
    buttonLabel: string,
    buttonTitle: string,
  ) {
    this.element = document.createElement('span');
    this.element.className = 'lab-picker';
    this.select = document.createElement('select');
    this.select.className = 'lab-file';
    this.select.setAttribute('aria-label', 'open file');
    this.select.title = 'an open HDF5 file (open more with Open… at the top)';
    this.dataset = document.createElement('input');
    this.dataset.className = 'lab-dataset';
    this.dataset.value = defaultDataset;
    this.dataset.spellcheck = false;
    this.dataset.title = 'the dataset (or CSR group) inside the file';
    this.dataset.setAttribute('aria-label', 'dataset');
    const open = document.createElement('button');
    open.className = 'lab-open';
    open.textContent = buttonLabel;
    open.title = buttonTitle;
    open.addEventListener('click', () => this.requestOpen());
    this.dataset.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.requestOpen();
    });
    this.select.addEventListener('focus', () => void this.refresh());
    const file = document.createElement('label');
    file.append('file ', this.select);
    const ds = document.createElement('label');
    ds.append('dataset ', this.dataset);
    this.element.append(file, ds, open);
    api.on('file-opened', (f) => this.add(f));
  }

  private requestOpen(): void {
    const fileId = this.select.value;
    if (!fileId) return;
    this.onOpen?.(fileId, this.dataset.value.trim());
  }

  /** Re-reads the list of open files (a file may have been closed elsewhere). */
  async refresh(): Promise<void> {
    try {
      this.files = await this.api.request('file.list', {});
    } catch {
      return;
    }
    this.render();
  }

  private add(f: FileOpenResult): void {
    this.files = [...this.files.filter((x) => x.fileId !== f.fileId), f];
    this.render();
  }

  private render(): void {
    const current = this.select.value;
    this.select.replaceChildren(
      ...this.files.map((f) => {
        const o = new Option(f.path.split(/[\\/]/).pop() ?? f.path, f.fileId);
        o.title = f.path;
        return o;
      }),
    );
    if (this.files.some((f) => f.fileId === current)) this.select.value = current;
    if (!this.files.length) this.select.append(new Option('(no file open: use Open… at the top)', ''));
  }

  /** Shows a choice made elsewhere (the Browser's "open as …"). */
  choose(fileId: string, dataset: string): void {
    if (![...this.select.options].some((o) => o.value === fileId)) this.select.append(new Option(fileId, fileId));
    this.select.value = fileId;
    this.dataset.value = dataset;
  }
}
