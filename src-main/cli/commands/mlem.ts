/**
 * `lightpool mlem IN.h5 [--dataset /sysmat] [--shape 181x361] --iterations 10 --out OUT.h5`:
 * Compton-camera image reconstruction by list-mode MLEM (see src-main/lab/run-mlem.ts).
 */
import type { Command } from 'commander';
import { mlemSummary, runMlem } from '../../lab/run-mlem.js';
import { progressPrinter, wholeNumber, withInterrupt } from '../../lab/cli-progress.js';

export interface MlemCliOptions {
  out: string;
  dataset?: string;
  shape?: string;
  sensitivity?: string;
  iterations: string;
  force?: boolean;
  quiet?: boolean;
}

function parseShape(v: string | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*[x×,]\s*(\d+)$/.exec(v.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`--shape ${v}: give POLARxAZIMUTH bins, e.g. 181x361`);
  return [Number(m[1]), Number(m[2])];
}

export async function runMlemCli(input: string, o: MlemCliOptions, argv = process.argv): Promise<string> {
  const iterations = wholeNumber('--iterations', o.iterations, 0)!;
  const r = await withInterrupt(o.quiet, (signal) =>
    runMlem({
      input,
      dataset: o.dataset,
      imageShape: parseShape(o.shape),
      sensitivity: o.sensitivity,
      iterations,
      output: o.out,
      overwrite: o.force,
      command: ['lightpool', ...argv.slice(2)].join(' '),
      signal,
      onProgress: progressPrinter(o.quiet, 'iterations'),
    }),
  );
  return mlemSummary(r);
}

export function registerMlem(program: Command): void {
  program
    .command('mlem')
    .description('Compton-camera imaging: list-mode MLEM over a system matrix (dense or CSR) in a worker thread')
    .argument('<in>', 'HDF5 file with the system matrix (cones × image pixels)')
    .requiredOption('--out <file>', 'output HDF5 file: /image and /backprojection, polar × azimuth float64 (temporary file, then renamed)')
    .requiredOption('--iterations <n>', 'MLEM iterations after the backprojection')
    .option('--dataset <path>', 'a dense float dataset, or a group with CSR data/indices/indptr (and a shape attribute)', '/sysmat')
    .option('--shape <POLARxAZIMUTH>', 'image shape when the file has no image_shape attribute (default 181x361: 1° bins over the sphere)')
    .option('--sensitivity <dataset>', 'per-pixel sensitivity s in the same file (default: ones)')
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options: MlemCliOptions) => {
      process.stdout.write(await runMlemCli(input, options));
    });
}
