/**
 * `lightpool process IN.h5 --out OUT.h5 [--config FILE]... [--focal-length-choice EQUIVALENT]`:
 * recomputes the cleaning masks, image parameters (telescope frame) and the
 * HillasReconstructor stereo geometry of a ctapipe DL1 file as
 * ctapipe-process would (its defaults, or its own config files; see
 * src-main/process/process-config.ts), and writes them in ctapipe's layout
 * (src-main/process/run-process.ts). Progress on stderr; Ctrl-C stops it
 * without leaving a half-written OUT.
 */
import type { Command } from 'commander';
import { runProcess, type ProcessProgress, type ProcessSummary } from '../../process/run-process.js';
import { loadProcessConfig } from '../../process/process-config.js';
import { isSimtelPath, runProcessSimtel } from '../../process/process-simtel.js';
import { COMPRESSION_KINDS, type CompressionKind } from '../../../src-worker/io/hdf5/writer/output-filters.js';

export interface ProcessCliOptions {
  out: string;
  config?: string[];
  focalLengthChoice?: string;
  threads?: string;
  level?: string;
  compression?: string;
  force?: boolean;
  quiet?: boolean;
  writeWaveforms?: boolean;
}

function progressLine(p: ProcessProgress): string {
  switch (p.phase) {
    case 'copy':
      return `copying unchanged tables ${p.done}/${p.total}`;
    case 'images':
      if (p.total <= 0) return `images ${p.done}, ${Math.round(p.rate ?? 0)} images/s`;
      return (
        `images ${p.done}/${p.total} (${((100 * p.done) / Math.max(1, p.total)).toFixed(0)}%), ${Math.round(p.rate ?? 0)} images/s, ` +
        `${((p.bytesPerSecond ?? 0) / 1e6).toFixed(0)} MB/s` +
        (p.etaSeconds !== undefined && p.done < p.total ? `, ${Math.ceil(p.etaSeconds)} s left` : '')
      );
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
  const choice = o.focalLengthChoice?.toUpperCase();
  if (choice !== undefined && choice !== 'EFFECTIVE' && choice !== 'EQUIVALENT')
    throw new Error(`--focal-length-choice ${o.focalLengthChoice}: use EFFECTIVE or EQUIVALENT`);
  const settings = loadProcessConfig(o.config ?? [], { focalLengthChoice: choice });
  const threads = o.threads === undefined ? undefined : Number(o.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new Error(`--threads ${o.threads}: give a whole number >= 1`);
  const level = o.level === undefined ? undefined : Number(o.level);
  if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) throw new Error(`--level ${o.level}: use a level 0-9`);
  const compression = o.compression?.toLowerCase();
  if (compression !== undefined && !(COMPRESSION_KINDS as readonly string[]).includes(compression))
    throw new Error(`--compression ${o.compression}: use ${COMPRESSION_KINDS.join(', ')}`);
  const abort = new AbortController();
  const onSigint = () => {
    if (!o.quiet) process.stderr.write('\ninterrupted: stopping, the output will not be written\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  let last = 0;
  const tty = process.stderr.isTTY;
  const simtel = isSimtelPath(input);
  if (simtel && compression !== undefined && compression !== 'gzip')
    throw new Error(`--compression ${compression}: a sim_telarray input is written with gzip (shuffle + deflate, --level) for now`);
  if (o.writeWaveforms && !simtel)
    throw new Error(`--write-waveforms: ${input} is not a sim_telarray file (.simtel, .simtel.gz, .simtel.zst); only those have waveforms to write`);
  try {
    const common = {
      input,
      output: o.out,
      settings,
      overwrite: o.force,
      compressionLevel: level,
      compression: compression as CompressionKind | undefined,
      command: ['lightpool', ...argv.slice(2)].join(' '),
      signal: abort.signal,
      onProgress: (p: ProcessProgress) => {
        if (o.quiet) return;
        const now = Date.now();
        const final = p.total > 0 && p.done >= p.total;
        // a line per second in logs, a refreshed line on a terminal
        if (now - last < (tty ? 200 : 1000) && !final) return;
        if (!tty && !final && p.phase !== 'images') return;
        last = now;
        const line = progressLine(p);
        process.stderr.write(tty ? `\r${line.padEnd(79).slice(0, 79)}${final ? '\n' : ''}` : `${line}\n`);
      },
    };
    const summary = simtel ? await runProcessSimtel({ ...common, writeWaveforms: o.writeWaveforms, threads }) : await runProcess({ ...common, threads });
    return summaryText(summary);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function registerProcess(program: Command): void {
  program
    .command('process')
    .description(
      "recompute cleaning masks, image parameters and the stereo geometry of a ctapipe DL1 file, or calibrate a sim_telarray file (.simtel, .simtel.gz, .simtel.zst) to DL1 images and parameters as ctapipe-process does; written in ctapipe's layout",
    )
    .argument('<in>', 'ctapipe DL1 HDF5 file with images, or a sim_telarray file')
    .requiredOption('--out <file>', 'output HDF5 file (written to a temporary file, then renamed)')
    .option(
      '--config <file>',
      'a ctapipe config file (YAML, TOML or JSON: ImageProcessor.TailcutsImageCleaner, ImageQualityQuery, ShowerProcessor.HillasReconstructor.StereoQualityQuery, HDF5EventSource.focal_length_choice; for a sim_telarray input also CameraCalibrator.image_extractor_type and the extractors\' traits, SimTelEventSource.ThresholdGainSelector.threshold), e.g. ctapipe\'s base_config.yaml; repeat it, later files win; or Lightpool\'s short JSON {"cleaning": {"default"|CAMERA: {picture_thresh, boundary_thresh, keep_isolated_pixels, min_number_picture_neighbors}}, "image_quality": {nonzero_pixels_above, intensity_above}|null}. Default: ctapipe-process\'s defaults (tailcuts 10/5 p.e., image.sum() > 0)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--focal-length-choice <kind>',
      'EFFECTIVE (default, as ctapipe) or EQUIVALENT: the focal length for the telescope frame (ctapipe: HDF5EventSource.focal_length_choice)',
    )
    .option('--threads <n>', 'worker threads (default: all cores; sim_telarray input: 1, as more gave no speed here)')
    .option(
      '--write-waveforms',
      'sim_telarray input: also write the R1 (calibrated, gain-selected) and R0 (raw ADC) waveform tables, as ctapipe-process with DataWriter.write_r1_waveforms / write_r0_waveforms',
    )
    .option(
      '--compression <kind>',
      "the output's compression: input (default: each table's as in the input, e.g. ctapipe's Blosc/zstd 5 + fletcher32), blosc (Blosc/zstd + fletcher32), gzip (shuffle + deflate) or none",
    )
    .option('--level <n>', "the compressor's level: Blosc 1-9 (default 5), gzip 0-9 (default 4); 0 stores the chunks uncompressed")
    .option('--force', 'replace OUT if it exists')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options: ProcessCliOptions) => {
      process.stdout.write(await runProcessCli(input, options));
    });
}
