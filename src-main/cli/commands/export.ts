/**
 * `lightpool export IN --out OUT (--events LIST | --where EXPR)`: writes the
 * selected events of a ctapipe DL1 or WatChMaL file to a new file with the
 * same layout (see src-main/files/export-subset.ts). LIST is obs_id:event_id
 * pairs (DL1) or event indices; EXPR is a cut on parameter columns, e.g.
 * "hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2".
 */
import type { Command } from 'commander';
import { exportSubset, parseEventList } from '../../files/export-subset.js';
import type { Hdf5Client } from '../../files/hdf5-client.js';
import type { Selection } from '../../../src-worker/io/export/selection.js';

export interface ExportCliOptions {
  out: string;
  events?: string;
  where?: string;
  level?: string;
  force?: boolean;
  quiet?: boolean;
}

/** Runs the export; returns the summary line printed at the end. */
export async function runExport(input: string, o: ExportCliOptions, client?: Hdf5Client, argv = process.argv): Promise<string> {
  if (!!o.events === !!o.where) throw new Error('give exactly one of --events LIST or --where EXPR');
  const selection: Selection = o.events ? parseEventList(o.events) : { kind: 'where', expr: o.where! };
  const level = o.level === undefined ? undefined : Number(o.level);
  if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) throw new Error(`--level ${o.level}: use a gzip level 0-9`);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let last = 0;
  try {
    const result = await exportSubset({
      input,
      output: o.out,
      selection,
      command: ['lightpool', ...argv.slice(2)].join(' '),
      compressionLevel: level,
      overwrite: o.force,
      client,
      signal: abort.signal,
      onProgress: (p) => {
        if (o.quiet || !process.stderr.isTTY) return;
        const now = Date.now();
        if (now - last < 200 && p.done < p.total) return;
        last = now;
        process.stderr.write(`\r${p.phase} ${p.done}/${p.total} ${p.current ?? ''}`.padEnd(100).slice(0, 100));
      },
    });
    if (!o.quiet && process.stderr.isTTY) process.stderr.write('\n');
    const rows = result.datasets.reduce((a, d) => a + d.rows, 0);
    return `${result.output}: ${result.nEvents} events, ${result.datasets.length} datasets, ${rows} rows, ${(result.bytes / 1e6).toFixed(1)} MB\n`;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write selected events of a ctapipe DL1 or WatChMaL file to a new HDF5 file with the same layout')
    .argument('<in>', 'input HDF5 file')
    .requiredOption('--out <file>', 'output HDF5 file (written to a temporary file, then renamed)')
    .option('--events <list>', 'events to keep: obs_id:event_id,... (DL1) or event indices i,j,... ')
    .option('--where <expr>', 'cut on parameter columns, e.g. "hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2"')
    .option('--level <n>', 'gzip level 0-9 (default 4)')
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options: ExportCliOptions) => {
      process.stdout.write(await runExport(input, options));
    });
}
