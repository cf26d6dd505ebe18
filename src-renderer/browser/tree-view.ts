/**
 * The tree of groups and datasets of an HDF5 file: groups fold and unfold,
 * datasets show their shape and dtype, a click (or Enter) selects a node.
 * Keyboard: ↑/↓ move, → opens a group, ← closes it.
 */
import type { TreeNode } from '../../src-main/api/file-contract.js';
import { html, setHtml } from '../dom/html.js';

export class TreeView {
  readonly element: HTMLElement;
  private readonly open = new Set<string>(['/']);
  private selected: string | undefined;
  private root: TreeNode | undefined;
  onSelect: ((node: TreeNode) => void) | undefined;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'browser-tree';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'tree');
    this.element.addEventListener('keydown', (e) => this.key(e));
  }

  setRoot(root: TreeNode | undefined): void {
    this.root = root;
    this.open.clear();
    this.open.add('/');
    // open the first levels of small trees
    if (root?.children && root.children.length <= 8) for (const c of root.children) if (c.kind === 'group') this.open.add(c.path);
    this.selected = undefined;
    this.render();
  }

  /** Selects (and reveals) the node at `path`. */
  select(path: string): TreeNode | undefined {
    const node = this.find(path);
    if (!node) return undefined;
    for (let p = parentOf(path); p; p = parentOf(p)) this.open.add(p);
    this.selected = path;
    this.render();
    this.element.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.scrollIntoView({ block: 'nearest' });
    this.onSelect?.(node);
    return node;
  }

  find(path: string): TreeNode | undefined {
    const walk = (n: TreeNode): TreeNode | undefined => {
      if (n.path === path) return n;
      for (const c of n.children ?? []) {
        const hit = walk(c);
        if (hit) return hit;
      }
      return undefined;
    };
    return this.root ? walk(this.root) : undefined;
  }

  private visible(): TreeNode[] {
    const out: TreeNode[] = [];
    const walk = (n: TreeNode) => {
      out.push(n);
      if (n.kind === 'group' && this.open.has(n.path)) for (const c of n.children ?? []) walk(c);
    };
    if (this.root) walk(this.root);
    return out;
  }

  private render(): void {
    const ul = document.createElement('ul');
    for (const n of this.visible()) {
      const li = document.createElement('li');
      li.dataset.path = n.path;
      li.dataset.kind = n.kind;
      li.setAttribute('role', 'treeitem');
      const depth = n.path === '/' ? 0 : n.path.split('/').length - 1;
      li.style.paddingLeft = `${depth * 14 + 4}px`;
      if (n.path === this.selected) li.classList.add('selected');
      const twisty = n.kind === 'group' ? (this.open.has(n.path) ? '▾' : '▸') : ' ';
      // the dtype and shape come from the file: escaped by html
      const info =
        n.kind === 'dataset'
          ? html` <span class="tree-info">${n.columns ? `table ${n.shape?.[0] ?? 0} rows` : `${(n.shape ?? []).join('×') || 'scalar'} ${n.dtype ?? ''}`}</span>`
          : n.truncated
            ? html` <span class="tree-info">…</span>`
            : '';
      setHtml(li, html`<span class="twisty">${twisty}</span><span class="tree-name"></span>${info}`);
      li.querySelector('.tree-name')!.textContent = n.name;
      li.addEventListener('click', (e) => {
        if (n.kind === 'group' && (e.target as HTMLElement).classList.contains('twisty')) this.toggle(n.path);
        else {
          if (n.kind === 'group' && !this.open.has(n.path)) this.open.add(n.path);
          this.select(n.path);
        }
      });
      ul.append(li);
    }
    this.element.replaceChildren(ul);
  }

  private toggle(path: string): void {
    if (this.open.has(path)) this.open.delete(path);
    else this.open.add(path);
    this.render();
  }

  private key(e: KeyboardEvent): void {
    const list = this.visible();
    const i = list.findIndex((n) => n.path === this.selected);
    const cur = list[i];
    let used = true;
    if (e.key === 'ArrowDown') this.select(list[Math.min(list.length - 1, i + 1)]?.path ?? '/');
    else if (e.key === 'ArrowUp') this.select(list[Math.max(0, i - 1)]?.path ?? '/');
    else if (e.key === 'ArrowRight' && cur?.kind === 'group') {
      this.open.add(cur.path);
      this.render();
    } else if (e.key === 'ArrowLeft' && cur) {
      if (cur.kind === 'group' && this.open.has(cur.path)) {
        this.open.delete(cur.path);
        this.render();
      } else {
        const p = parentOf(cur.path);
        if (p) this.select(p);
      }
    } else used = false;
    if (used) {
      e.preventDefault();
      e.stopPropagation();
    }
  }
}

function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
