/**
 * `lightpool export IN --out OUT (--events LIST | --where EXPR)`: writes the
 * selected events of a ctapipe DL1 or WatChMaL file to a new file with the
 * same layout (see src-main/files/export-subset.ts). LIST is obs_id:event_id
 * pairs (DL1) or event indices; EXPR is a cut on parameter columns, e.g.
 * "hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2".
 *
 * A sim_telarray file (.simtel, .simtel.gz, .simtel.zst) takes `--events
 * obs_id:event_id,...`: those events are calibrated as `lightpool process`
 * does (ctapipe-process's defaults) and written in ctapipe's DL1 layout
 * (src-main/process/process-simtel.ts), with `--write-waveforms` the R0
 * and R1 tables too.
 */
import type { Command } from 'commander';
import { exportSubset, parseEventList } from '../../files/export-subset.js';
import type { Hdf5Client } from '../../files/hdf5-client.js';
import type { Selection } from '../../../src-worker/io/export/selection.js';
import { isSimtelPath, runProcessSimtel } from '../../process/process-simtel.js';
import { loadProcessConfig } from '../../process/process-config.js';

export interface ExportCliOptions {
  out: string;
  events?: string;
  where?: string;
  level?: string;
  force?: boolean;
  quiet?: boolean;
  writeWaveforms?: boolean;
  focalLengthChoice?: string;
}

/** The selected events of a sim_telarray file, calibrated to ctapipe's DL1 layout. */
async function exportSimtel(input: string, o: ExportCliOptions, level: number | undefined, argv: string[]): Promise<string> {
  if (!o.events)
    throw new Error(`${input}: a sim_telarray file takes --events obs_id:event_id,... (--where needs parameters, which a sim_telarray file does not store)`);
  const selection = parseEventList(o.events);
  if (selection.kind !== 'events') throw new Error(`${input}: give the events of a sim_telarray file as obs_id:event_id,... (event ids, not indices)`);
  const choice = o.focalLengthChoice?.toUpperCase();
  if (choice !== undefined && choice !== 'EFFECTIVE' && choice !== 'EQUIVALENT')
    throw new Error(`--focal-length-choice ${o.focalLengthChoice}: use EFFECTIVE or EQUIVALENT`);
  const settings = loadProcessConfig([], { focalLengthChoice: choice });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const summary = await runProcessSimtel({
      input,
      output: o.out,
      settings,
      events: selection.events,
      writeWaveforms: o.writeWaveforms === true,
      overwrite: o.force,
      compressionLevel: level,
      command: ['lightpool', ...argv.slice(2)].join(' '),
      signal: abort.signal,
    });
    const notes = summary.notes.map((n) => `  note: ${n}\n`).join('');
    return `${summary.output}: ${summary.nEvents} events, ${summary.nImages} images, ${(summary.bytes / 1e6).toFixed(1)} MB\n${o.quiet ? '' : notes}`;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Runs the export; returns the summary line printed at the end. */
export async function runExport(input: string, o: ExportCliOptions, client?: Hdf5Client, argv = process.argv): Promise<string> {
  if (!!o.events === !!o.where) throw new Error('give exactly one of --events LIST or --where EXPR');
  const level = o.level === undefined ? undefined : Number(o.level);
  if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) throw new Error(`--level ${o.level}: use a gzip level 0-9`);
  if (isSimtelPath(input)) return exportSimtel(input, o, level, argv);
  if (o.focalLengthChoice) throw new Error(`--focal-length-choice: ${input} is not a sim_telarray file (.simtel, .simtel.gz, .simtel.zst)`);
  if (o.writeWaveforms) throw new Error(`--write-waveforms: ${input} is not a sim_telarray file (.simtel, .simtel.gz, .simtel.zst)`);
  const selection: Selection = o.events ? parseEventList(o.events) : { kind: 'where', expr: o.where! };
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
    .description(
      "write selected events of a ctapipe DL1 or WatChMaL file to a new HDF5 file with the same layout, or of a sim_telarray file (calibrated as lightpool process does) to ctapipe's DL1 layout",
    )
    .argument('<in>', 'input HDF5 file, or a sim_telarray file (.simtel, .simtel.gz, .simtel.zst)')
    .requiredOption('--out <file>', 'output HDF5 file (written to a temporary file, then renamed)')
    .option('--events <list>', 'events to keep: obs_id:event_id,... (DL1) or event indices i,j,... ')
    .option('--where <expr>', 'cut on parameter columns, e.g. "hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2"')
    .option('--level <n>', 'gzip level 0-9 (default 4)')
    .option('--write-waveforms', 'sim_telarray input: also write the R1 and R0 waveform tables of the selected events')
    .option(
      '--focal-length-choice <kind>',
      'sim_telarray input: EFFECTIVE (default, as ctapipe) or EQUIVALENT (files whose camera settings have no effective focal length)',
    )
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options: ExportCliOptions) => {
      process.stdout.write(await runExport(input, options));
    });
}
