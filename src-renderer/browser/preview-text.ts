/**
 * String datasets as numbered lines (the first MAX_STRINGS of the leading
 * axis, read as a slice), and scalars (0-d or all-length-1 datasets) as one value.
 */
import type { ApiClient } from '../api/api-client.js';
import type { TreeNode } from '../../src-main/api/file-contract.js';
import { formatValue } from './typed-values.js';
import { html, setHtml } from '../dom/html.js';

export const MAX_STRINGS = 2000;

export class TextPreview {
  readonly element: HTMLElement;

  constructor(
    private readonly api: ApiClient,
    private readonly fileId: string,
    private readonly node: TreeNode,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'browser-preview browser-text';
    setHtml(this.element, html`<pre class="text-lines"></pre><div class="browser-note"></div>`);
    void this.load();
  }

  private async load(): Promise<void> {
    const shape = this.node.shape ?? [];
    const start = shape.map(() => 0);
    const count = shape.map((d, i) => (i === 0 ? Math.min(d, MAX_STRINGS) : d));
    const note = this.element.querySelector('.browser-note')!;
    try {
      const r = await this.api.request('file.readSlice', { fileId: this.fileId, path: this.node.path, start, count });
      const values = Array.isArray(r.data) ? r.data : Array.from(r.data as ArrayLike<number | bigint>, (v) => formatValue(v as number));
      const pre = this.element.querySelector('.text-lines')!;
      if (shape.length === 0 || values.length === 1) pre.textContent = values[0] ?? '';
      else pre.textContent = values.map((v, i) => `${String(i).padStart(String(values.length).length, ' ')}  ${v}`).join('\n');
      if (shape.length && shape[0] > count[0]) note.textContent = `showing the first ${count[0].toLocaleString()} of ${shape[0].toLocaleString()}`;
    } catch (err) {
      note.textContent = `could not read ${this.node.path}: ${(err as Error).message}`;
    }
  }
}
