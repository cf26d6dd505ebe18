/**
 * `lightpool info FILE [--json]`: what an HDF5 file holds, as its format
 * (the file-format registry, src-worker/io/formats) describes it — ctapipe
 * DL1: the subarray (telescopes, cameras), event count, data levels;
 * WatChMaL: events, hits, labels; any other HDF5: the tree of groups and
 * datasets. Every file lists its datasets with shapes, dtypes and filters.
 */
import type { Command } from 'commander';
import { Hdf5Client } from '../../files/hdf5-client.js';
import type { FileSummary } from '../../../src-worker/io/service/hdf5-protocol.js';
import type { TreeNode } from '../../../src-worker/io/hdf5/browse-types.js';

export interface InfoOptions {
  json?: boolean;
  /** a client to use (tests); a new one is made and closed otherwise */
  client?: Hdf5Client;
}

function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function shortDtype(dtype: string): string {
  if (dtype.startsWith('{')) return `table(${dtype.split(': ').length - 1} columns)`;
  return dtype;
}

function table(rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

function treeLines(node: TreeNode, indent = ''): string[] {
  const attrs = node.attrs.length ? `  {${node.attrs.length} attrs}` : '';
  if (node.kind === 'dataset') {
    const filters = node.filters?.length ? `  ${node.filters.map((f) => f.name || f.id).join('+')}` : '';
    return [`${indent}${node.name}  [${(node.shape ?? []).join(', ')}]  ${shortDtype(node.dtype ?? '')}${filters}${attrs}`];
  }
  const out = [`${indent}${node.name === '/' ? '/' : node.name + '/'}${attrs}${node.truncated ? '  …' : ''}`];
  for (const c of node.children ?? []) out.push(...treeLines(c, indent + '  '));
  return out;
}

/** The text report of `lightpool info`: the file, what its format says of it (the registry's), then its tree or its datasets. */
export function formatInfo(s: FileSummary, tree?: TreeNode): string {
  const lines: string[] = [`file: ${s.file} (${mb(s.size)})`, ...s.info];
  if (!s.format.offers.includes('tree')) {
    // not HDF5 (sim_telarray): what the format said is all
  } else if (tree) {
    lines.push('tree:');
    lines.push(...treeLines(tree, '  '));
  } else {
    lines.push(`datasets: ${s.datasets.length}${s.datasetsTruncated ? '+' : ''}`);
    lines.push(
      ...table(
        s.datasets.map((d) => [
          `  ${d.path}`,
          `[${d.shape.join(', ')}]`,
          shortDtype(d.dtype),
          d.chunks ? `chunks [${d.chunks.join(', ')}]` : 'contiguous',
          d.filters.join('+'),
        ]),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

/** Runs `info` on one file and returns what it prints. */
export async function runInfo(path: string, opts: InfoOptions = {}): Promise<string> {
  const client = opts.client ?? new Hdf5Client();
  try {
    const { fileId, summary } = await client.open(path);
    // a file whose format offers nothing but its tree is described by the tree
    const tree = summary.format.offers.every((o) => o === 'tree') ? await client.request({ type: 'tree', fileId, maxDepth: 32 }) : undefined;
    await client.close(fileId);
    if (opts.json) return JSON.stringify(tree ? { ...summary, tree } : summary, null, 2) + '\n';
    return formatInfo(summary, tree);
  } finally {
    if (!opts.client) await client.dispose();
  }
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('describe a file: ctapipe DL1 or sim_telarray (run, telescopes, cameras, events), WatChMaL (events, hits), or any HDF5 tree')
    .argument('<file>', 'HDF5 or sim_telarray file')
    .option('--json', 'print the description as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      process.stdout.write(await runInfo(file, { json: options.json }));
    });
}
