/**
 * `lightpool stack 'ROOT/export/*\/*\/*\/*.png' --window 60,130 --crop 64 --out train.h5`:
 * image frames into a training set (see src-main/lab/run-stack.ts).
 */
import type { Command } from 'commander';
import { runStack, stackSummary } from '../../lab/run-stack.js';
import { numberPair, progressPrinter, wholeNumber, withInterrupt } from '../../lab/cli-progress.js';
import type { ChannelChoice } from '../../../src-worker/lab/image-stack/image-pixels.js';

export interface StackCliOptions {
  out: string;
  window?: string;
  crop?: string;
  label?: string;
  energy?: string;
  classes?: string;
  channel?: string;
  level?: string;
  threads?: string;
  force?: boolean;
  quiet?: boolean;
}

function channel(v: string | undefined): ChannelChoice | undefined {
  if (v === undefined) return undefined;
  if (['grey', 'r', 'g', 'b', 'a'].includes(v)) return v as ChannelChoice;
  const n = Number(v);
  if (Number.isInteger(n) && n >= 0 && n <= 3) return n;
  throw new Error(`--channel ${v}: use grey, r, g, b, a or 0-3`);
}

export async function runStackCli(pattern: string, o: StackCliOptions, argv = process.argv): Promise<string> {
  const level = wholeNumber('--level', o.level, 0);
  if (level !== undefined && level > 9) throw new Error(`--level ${o.level}: use a gzip level 0-9`);
  const r = await withInterrupt(o.quiet, (signal) =>
    runStack({
      pattern,
      output: o.out,
      pixels: { window: numberPair('--window', o.window) ?? null, crop: wholeNumber('--crop', o.crop) ?? null, channel: channel(o.channel) },
      label: o.label,
      energy: o.energy,
      classes: o.classes ? o.classes.split(',').map((s) => s.trim()) : undefined,
      level,
      overwrite: o.force,
      threads: wholeNumber('--threads', o.threads),
      command: ['lightpool', ...argv.slice(2)].join(' '),
      signal,
      onProgress: progressPrinter(o.quiet, 'images'),
    }),
  );
  return stackSummary(r);
}

export function registerStack(program: Command): void {
  program
    .command('stack')
    .description('image frames (PNG/TIFF, 8/16 bit, grey or RGB/A) into a training set: window, centre crop, labels and energies from the path')
    .argument('<glob>', "quoted glob of image files, e.g. 'ROOT/export/*/*/*/*.png' (sorted; stored as absolute paths)")
    .requiredOption('--out <file>', 'output HDF5 file: /images (N × 2C × 2C float32), /labels, /energies, /paths (temporary file, then renamed)')
    .option('--window <min,max>', 'map [min, max] to [0, 1], clipped (e.g. 60,130); default: raw values')
    .option(
      '--crop <C>',
      'centre crop of HALF-width C pixels: rows and columns [size/2 − C, size/2 + C), i.e. a 2C × 2C image (64 → 128 × 128); default: whole images',
    )
    .option('--label <regexp>', 'regular expression on the path; its first group is the label', '/([NE]R)/')
    .option('--energy <regexp>', 'regular expression on the path; its first group is the energy in keV', '/([0-9]+)_keV')
    .option('--classes <a,b,...>', 'label names in class order (/labels holds the index); default: the labels found, sorted (ER = 0, NR = 1)')
    .option('--channel <grey|r|g|b|a|0-3>', 'which channel of colour images (default grey: grey images as they are, colour ones as luma like PIL convert("L"))')
    .option('--level <n>', 'gzip level 0-9 of /images (default 4)')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (pattern: string, options: StackCliOptions) => {
      process.stdout.write(await runStackCli(pattern, options));
    });
}
