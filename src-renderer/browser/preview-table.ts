/**
 * Compound tables as a virtualised table: only the rows in view (plus a
 * margin) exist in the DOM, and they are read in blocks of BLOCK rows with
 * file.readTableRows as the user scrolls. Array columns up to
 * MAX_INLINE elements are shown inline; longer ones (an image column) are
 * named with their length and not read.
 */
import type { ApiClient } from '../api/api-client.js';
import type { TableRowsResult, TreeNode } from '../../src-main/api/file-contract.js';
import { formatValue } from './typed-values.js';
import { html, setHtml } from '../dom/html.js';

export const ROW_HEIGHT = 22;
export const BLOCK = 200;
const MAX_INLINE = 16;
const MAX_CACHED_BLOCKS = 32;

type Column = NonNullable<TreeNode['columns']>[number];

export class TablePreview {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private readonly columns: Column[];
  private readonly readColumns: string[];
  private readonly nRows: number;
  private readonly blocks = new Map<number, Promise<TableRowsResult> | TableRowsResult>();
  private frame = false;
  /** rows requested from the backend so far (tests check that only visible blocks are read) */
  rowsRequested = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly fileId: string,
    private readonly node: TreeNode,
  ) {
    this.columns = node.columns ?? [];
    this.nRows = node.shape?.[0] ?? 0;
    this.readColumns = this.columns.filter((c) => elements(c) <= MAX_INLINE).map((c) => c.name);
    this.element = document.createElement('div');
    this.element.className = 'browser-preview browser-table';
    const template = `4.5em ${this.columns.map((c) => (elements(c) > 1 ? 'minmax(9em, 1.5fr)' : 'minmax(6.5em, 1fr)')).join(' ')}`;
    this.element.style.setProperty('--table-columns', template);
    setHtml(
      this.element,
      html`<div class="table-viewport"><div class="table-head"></div><div class="table-spacer"><div class="table-body"></div></div></div><div class="browser-note">${this.nRows.toLocaleString()} rows · ${this.columns.length} columns · rows are read as you scroll · go to row <input class="table-goto" type="number" min="0" max="${Math.max(0, this.nRows - 1)}" step="1"></div>`,
    );
    this.viewport = this.element.querySelector('.table-viewport')!;
    this.spacer = this.element.querySelector('.table-spacer')!;
    this.body = this.element.querySelector('.table-body')!;
    const head = this.element.querySelector('.table-head')!;
    head.append(cell('row', 'th'));
    for (const c of this.columns) {
      const th = cell(c.name, 'th');
      th.title = `${c.name}: ${c.dtype}${c.shape.length ? ` (${c.shape.join('×')})` : ''}`;
      head.append(th);
    }
    this.spacer.style.height = `${this.nRows * ROW_HEIGHT}px`;
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.element
      .querySelector<HTMLInputElement>('.table-goto')!
      .addEventListener('change', (e) => this.scrollToRow(Number((e.target as HTMLInputElement).value) || 0));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.schedule();
  }

  /** Scrolls so that `row` is at the top (used by tests and the row field). */
  scrollToRow(row: number): void {
    this.viewport.scrollTop = Math.max(0, Math.min(this.nRows - 1, row)) * ROW_HEIGHT;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = true;
    requestAnimationFrame(() => {
      this.frame = false;
      void this.render();
    });
  }

  private visibleRange(): { first: number; last: number } {
    const headH = ROW_HEIGHT;
    const top = Math.max(0, this.viewport.scrollTop);
    const h = Math.max(ROW_HEIGHT, this.viewport.clientHeight - headH);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - 5);
    const last = Math.min(this.nRows - 1, Math.ceil((top + h) / ROW_HEIGHT) + 5);
    return { first, last };
  }

  private block(b: number): Promise<TableRowsResult> | TableRowsResult {
    let hit = this.blocks.get(b);
    if (hit) {
      // keep recently used blocks at the end
      this.blocks.delete(b);
      this.blocks.set(b, hit);
      return hit;
    }
    const start = b * BLOCK;
    const count = Math.min(BLOCK, this.nRows - start);
    this.rowsRequested += count;
    const p = this.api.request('file.readTableRows', { fileId: this.fileId, path: this.node.path, start, count, columns: this.readColumns }).then((r) => {
      this.blocks.set(b, r);
      return r;
    });
    p.catch(() => this.blocks.delete(b));
    this.blocks.set(b, p);
    while (this.blocks.size > MAX_CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
    hit = p;
    return hit;
  }

  private async render(): Promise<void> {
    if (this.nRows === 0) return;
    const { first, last } = this.visibleRange();
    const blocks: TableRowsResult[] = [];
    try {
      for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) blocks.push(await this.block(b));
    } catch (err) {
      this.element.querySelector('.browser-note')!.textContent = `could not read rows of ${this.node.path}: ${(err as Error).message}`;
      return;
    }
    const now = this.visibleRange();
    if (now.first !== first || now.last !== last) return this.schedule();
    const rows: HTMLElement[] = [];
    for (let i = first; i <= last; i++) {
      const block = blocks[Math.floor(i / BLOCK) - Math.floor(first / BLOCK)];
      const k = i - block.start;
      const tr = document.createElement('div');
      tr.className = 'table-row';
      tr.style.top = `${i * ROW_HEIGHT}px`;
      tr.dataset.row = String(i);
      tr.append(cell(String(i), 'rn'));
      for (const c of this.columns) tr.append(cell(valueText(block, c, k)));
      rows.push(tr);
    }
    this.body.replaceChildren(...rows);
    this.element.dataset.firstRow = String(first);
  }
}

function elements(c: Column): number {
  return c.shape.reduce((a, b) => a * b, 1);
}

function cell(text: string, cls = 'td'): HTMLElement {
  const d = document.createElement('div');
  d.className = cls;
  d.textContent = text;
  return d;
}

function valueText(block: TableRowsResult, c: Column, k: number): string {
  const n = elements(c);
  const col = block.columns[c.name];
  if (!col) return `(${n.toLocaleString()} values)`;
  const data = col.data as ArrayLike<number | bigint | string>;
  if (n === 1) return formatValue(data[k] as number);
  const parts: string[] = [];
  for (let j = 0; j < n; j++) parts.push(formatValue(data[k * n + j] as number));
  return `[${parts.join(', ')}]`;
}
