/**
 * `lightpool spectrum IN.h5 --k 450 --m 60 --M 3600 --out OUT.h5`: the
 * trapezoidal shaper over every signal of an N × samples dataset in the
 * worker pool, the pulse-height spectrum, fitted peaks (printed), optional
 * energy calibration (see src-main/lab/run-spectrum.ts). Progress on
 * stderr; Ctrl-C leaves no OUT and no temporary file.
 */
import type { Command } from 'commander';
import { peaksText, runSpectrum } from '../../lab/run-spectrum.js';
import { numberPair, positiveNumber, progressPrinter, wholeNumber, withInterrupt } from '../../lab/cli-progress.js';
import { parseCalibrationPoints } from '../../../src-worker/lab/spectroscopy/energy-calibration.js';

export interface SpectrumCliOptions {
  out: string;
  dataset?: string;
  k: string;
  m: string;
  M: string;
  gain?: string;
  amplitude?: string;
  baseline?: string;
  bins?: string;
  range?: string;
  calibrate?: string;
  risetimeCorrection?: boolean;
  threads?: string;
  force?: boolean;
  quiet?: boolean;
}

export async function runSpectrumCli(input: string, o: SpectrumCliOptions, argv = process.argv): Promise<string> {
  const gain = o.gain ?? 'Mk';
  if (gain !== 'Mk' && gain !== 'M1k') throw new Error(`--gain ${gain}: use Mk (M·k, the default) or M1k ((M+1)·k)`);
  const amplitude = o.amplitude ?? 'max';
  if (amplitude !== 'max' && amplitude !== 'flat-top-mean') throw new Error(`--amplitude ${amplitude}: use max or flat-top-mean`);
  const shaping = {
    k: wholeNumber('--k', o.k)!,
    m: wholeNumber('--m', o.m, 0)!,
    M: positiveNumber('--M', o.M)!,
    gain: gain as 'Mk' | 'M1k',
    amplitude: amplitude as 'max' | 'flat-top-mean',
    ...(o.baseline !== undefined ? { baselineSamples: wholeNumber('--baseline', o.baseline, 0) } : {}),
  };
  const calibration = o.calibrate !== undefined ? parseCalibrationPoints(o.calibrate) : undefined;
  if (calibration && calibration.length < 2) throw new Error('--calibrate: give two or more lines ADC=keV,ADC=keV');
  const result = await withInterrupt(o.quiet, (signal) =>
    runSpectrum({
      input,
      dataset: o.dataset,
      output: o.out,
      shaping,
      bins: wholeNumber('--bins', o.bins, 8),
      range: numberPair('--range', o.range),
      calibration,
      riseTimeCorrection: o.risetimeCorrection,
      overwrite: o.force,
      threads: wholeNumber('--threads', o.threads),
      command: ['lightpool', ...argv.slice(2)].join(' '),
      signal,
      onProgress: progressPrinter(o.quiet, 'signals'),
    }),
  );
  return peaksText(result);
}

export function registerSpectrum(program: Command): void {
  program
    .command('spectrum')
    .description('gamma spectroscopy: trapezoidal shaper over every signal (worker threads), pulse-height spectrum, fitted photopeaks, energy calibration')
    .argument('<in>', 'HDF5 file with an N × samples dataset of digitized preamplifier signals (any integer or float type)')
    .requiredOption(
      '--out <file>',
      'output HDF5 file: /amplitude, /baseline, /rise_time, /spectrum/{counts,bin_edges}, /peaks/… (written to a temporary file, then renamed)',
    )
    .option('--dataset <path>', 'the signals dataset', '/signals')
    .requiredOption('--k <samples>', 'peaking (rise) time of the trapezoid, samples')
    .requiredOption('--m <samples>', 'gap (flat top) of the trapezoid, samples')
    .requiredOption('--M <samples>', 'decay constant of the pole-zero correction, samples (≈ the preamplifier decay time)')
    .option(
      '--gain <Mk|M1k>',
      "normalisation: Mk divides by M·k (Jordanov's and the seed's, default: the flat top is the step height × (M+1)/M), M1k by (M+1)·k (flat top = step height exactly)",
      'Mk',
    )
    .option(
      '--amplitude <max|flat-top-mean>',
      "pulse height: the maximum of the shaped trace (default, as numpy's shaped.max(axis=1)), or the mean of the central half of the flat top (less noise)",
      'max',
    )
    .option('--baseline <samples>', 'subtract the mean of the first N samples before shaping (default 500, at most a quarter of the trace; 0: none)')
    .option('--bins <n>', 'bins of the pulse-height spectrum (default 2048)')
    .option('--range <lo,hi>', 'range of the spectrum, ADC (default 0 to 1.02 × the largest pulse)')
    .option(
      '--calibrate <ADC=keV,...>',
      'energy calibration from two or more lines, e.g. 0=0,1315.7=661.657 (linear least squares); the peaks are printed and written in keV too',
    )
    .option(
      '--risetime-correction',
      'correct pulse heights for the rise-time (ballistic) deficit measured on the most prominent peak (writes /amplitude_corrected; the spectrum and fits use it)',
    )
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options: SpectrumCliOptions) => {
      process.stdout.write(await runSpectrumCli(input, options));
    });
}
