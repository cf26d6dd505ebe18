/** The facts of one HDF5 node: path, kind, shape, dtype, chunking, filters, size, columns and attributes. */
import type { TreeNode } from '../../src-main/api/file-contract.js';
import { html, type SafeHtml } from '../dom/html.js';

export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${(n / 2 ** 30).toFixed(2)} GiB`;
}

function attrText(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

const BLOSC_COMPRESSORS = ['blosclz', 'lz4', 'lz4hc', 'snappy', 'zlib', 'zstd'];

/** A filter as a user reads it: Blosc's parameters decoded (cd_values: version, version, type size, chunk bytes, level, shuffle, compressor). */
export function filterText(f: { id: number; name: string; cdValues: number[] }): string {
  const cd = f.cdValues;
  if (f.id === 32001 && cd.length >= 7) {
    const shuffle = cd[5] === 1 ? ', byte shuffle' : cd[5] === 2 ? ', bit shuffle' : '';
    return `blosc:${BLOSC_COMPRESSORS[cd[6]] ?? `compressor ${cd[6]}`} level ${cd[4]}${shuffle}`;
  }
  if (f.id === 1 && cd.length >= 1) return `deflate (gzip) level ${cd[0]}`;
  return `${f.name || `filter ${f.id}`}${cd.length ? ` [${cd.join(', ')}]` : ''}`;
}

/** Everything here comes from the file (names, dtypes, attribute values): escaped by html. */
export function nodeDetailsHtml(n: TreeNode): SafeHtml {
  const rows: [string, string][] = [
    ['path', n.path],
    ['kind', n.columns ? 'table (compound dataset)' : n.kind],
  ];
  if (n.kind === 'dataset') {
    rows.push(['shape', n.shape?.length ? `(${n.shape.join(', ')})` : 'scalar']);
    if (n.maxshape) rows.push(['max shape', `(${n.maxshape.map((m) => (m === null ? 'None' : String(m))).join(', ')})`]);
    if (!n.columns) rows.push(['dtype', n.dtype ?? '?']);
    rows.push(['chunks', n.chunks ? `(${n.chunks.join(', ')})` : 'contiguous']);
    rows.push(['filters', n.filters?.length ? n.filters.map(filterText).join(', ') : 'none']);
    if (n.nbytes !== undefined) rows.push(['size in memory', bytesText(n.nbytes)]);
  } else if (n.kind === 'group') {
    rows.push(['members', String(n.children?.length ?? 0) + (n.truncated ? '+' : '')]);
  }
  const facts = html`<table class="node-facts">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`;
  const columns = n.columns?.length
    ? html`<details class="node-columns"><summary>${n.columns.length} columns</summary><table>${n.columns.map(
        (c) => html`<tr><th>${c.name}</th><td>${c.dtype}${c.shape.length ? ` (${c.shape.join('×')})` : ''}</td></tr>`,
      )}</table></details>`
    : '';
  const attrs = n.attrs.length
    ? html`<details class="node-attrs" ${n.attrs.length <= 12 ? 'open' : ''}><summary>${n.attrs.length} attributes</summary><table>${n.attrs.map(
        (a) => html`<tr><th>${a.name}</th><td>${attrText(a.value)}</td><td class="attr-dtype">${a.dtype}</td></tr>`,
      )}</table></details>`
    : '';
  return html`${facts}${columns}${attrs}`;
}
