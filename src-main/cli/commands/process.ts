/**
 * `lightpool process IN.h5 --out OUT.h5 [--config cleaning.json]`: recomputes
 * the cleaning masks, image parameters (telescope frame) and the
 * HillasReconstructor stereo geometry of a ctapipe DL1 file, and writes them
 * in ctapipe's layout (see src-main/process/run-process.ts). Progress on
 * stderr; Ctrl-C stops it without leaving a half-written OUT.
 */
import type { Command } from 'commander';
import { runProcess, type ProcessProgress, type ProcessSummary } from '../../process/run-process.js';
import { loadProcessConfig } from '../../process/process-config.js';

export interface ProcessCliOptions {
  out: string;
  config?: string;
  threads?: string;
  level?: string;
  force?: boolean;
  quiet?: boolean;
}

function progressLine(p: ProcessProgress): string {
  switch (p.phase) {
    case 'copy':
      return `copying unchanged tables ${p.done}/${p.total}`;
    case 'images':
      return `images ${p.done}/${p.total} (${((100 * p.done) / Math.max(1, p.total)).toFixed(0)}%), ${Math.round(p.rate ?? 0)} images/s`;
    case 'stereo':
      return `stereo: events ${p.done}/${p.total}`;
    case 'write':
      return `writing parameter tables ${p.done}/${p.total}`;
  }
}

export function summaryText(s: ProcessSummary): string {
  const lines = [
    `${s.output}: ${s.nImages} images of ${s.nEvents} events (${s.nParameterised} parameterised), ` +
      `${s.nStereoValid} events with a stereo geometry; ${Math.round(s.imagesPerSecond)} images/s on ${s.threads} threads, ` +
      `${s.seconds.toFixed(1)} s, ${(s.bytes / 1e6).toFixed(1)} MB`,
    ...s.notes.map((n) => `  note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runProcessCli(input: string, o: ProcessCliOptions, argv = process.argv): Promise<string> {
  const settings = o.config ? loadProcessConfig(o.config) : undefined;
  const threads = o.threads === undefined ? undefined : Number(o.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new Error(`--threads ${o.threads}: give a whole number >= 1`);
  const level = o.level === undefined ? undefined : Number(o.level);
  if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) throw new Error(`--level ${o.level}: use a gzip level 0-9`);
  const abort = new AbortController();
  const onSigint = () => {
    if (!o.quiet) process.stderr.write('\ninterrupted: stopping, the output will not be written\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  let last = 0;
  const tty = process.stderr.isTTY;
  try {
    const summary = await runProcess({
      input,
      output: o.out,
      settings,
      overwrite: o.force,
      threads,
      compressionLevel: level,
      command: ['lightpool', ...argv.slice(2)].join(' '),
      signal: abort.signal,
      onProgress: (p) => {
        if (o.quiet) return;
        const now = Date.now();
        const final = p.done >= p.total;
        // a line per second in logs, a refreshed line on a terminal
        if (now - last < (tty ? 200 : 1000) && !final) return;
        if (!tty && !final && p.phase !== 'images') return;
        last = now;
        const line = progressLine(p);
        process.stderr.write(tty ? `\r${line.padEnd(79).slice(0, 79)}${final ? '\n' : ''}` : `${line}\n`);
      },
    });
    return summaryText(summary);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function registerProcess(program: Command): void {
  program
    .command('process')
    .description('recompute cleaning masks, image parameters and the stereo geometry of a ctapipe DL1 file, written in ctapipe\'s layout')
    .argument('<in>', 'ctapipe DL1 HDF5 file with images')
    .requiredOption('--out <file>', 'output HDF5 file (written to a temporary file, then renamed)')
    .option('--config <file>', 'JSON cleaning config: {"cleaning": {"default"|CAMERA: {picture_thresh, boundary_thresh, keep_isolated_pixels, min_number_picture_neighbors}}, "image_quality": {nonzero_pixels_above, intensity_above}|null}; default: ctapipe-process stage 1')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option('--level <n>', 'gzip level 0-9 of the output (default 4)')
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options: ProcessCliOptions) => {
      process.stdout.write(await runProcessCli(input, options));
    });
}
