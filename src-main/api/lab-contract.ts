/**
 * The lab part of the API (the Lab tab): gamma spectroscopy of digitized
 * preamplifier signals, Compton imaging by list-mode MLEM, and labelled
 * image stacks. Over the same jobs as `lightpool spectrum|mlem|stack`
 * (src-main/lab): the backend holds what was opened (a signals dataset and
 * its pulse heights, a loaded system matrix and its reconstruction, a stack
 * of image files) under an id, and the views ask for what they show.
 *
 * Long work (shaping every signal, the per-label statistics of a stack)
 * starts with a request that replies at once with a job id; progress and the
 * end arrive on the 'lab-job' stream and 'lab.cancel' stops it. MLEM images
 * arrive on the 'lab-mlem' stream while iterations run (coalesced to display
 * rate, newest wins, at most 5 a second; the last one always). Large arrays are typed arrays,
 * which both transports move as raw bytes.
 */
import { z } from 'zod';
import type { PulseShapingOptions } from '../../src-worker/lab/spectroscopy/pulse-amplitude.js';
import type { SpectrumPeakCandidate } from '../../src-worker/lab/spectroscopy/spectrum-peaks.js';
import type { PhotopeakFit } from '../../src-worker/lab/spectroscopy/photopeak-fit.js';
import type { EnergyCalibration } from '../../src-worker/lab/spectroscopy/energy-calibration.js';
import type { RiseTimeCorrection } from '../../src-worker/lab/spectroscopy/rise-time-correction.js';
import type { LabelStatistics } from '../../src-worker/lab/image-stack/stack-statistics.js';

const fileId = z.string().min(1).max(200);
const labId = z.string().min(1).max(100);
const jobId = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'job ids are 1-100 letters, digits, "_", "." or "-"');
const datasetPath = z.string().min(1).max(4096).regex(/^\//, 'a dataset path starts with "/"');
const finite = z.number().finite();
const samples = (max: number) => z.number().int().min(0).max(max);

/** The trapezoidal shaper's settings (samples); defaults as `lightpool spectrum`. */
const shaping = z
  .object({
    k: z.number().int().min(1).max(1_000_000),
    m: samples(1_000_000),
    M: z.number().finite().min(0).max(1e12),
    /** 'Mk' divides by M·k (the seed's, default), 'M1k' by (M+1)·k (flat top = step height) */
    gain: z.enum(['Mk', 'M1k']).optional(),
    /** 'max' of the shaped trace (default) or the mean of the central half of the flat top */
    amplitude: z.enum(['max', 'flat-top-mean']).optional(),
    /** leading samples whose mean is subtracted; default min(500, samples/4) */
    baselineSamples: samples(10_000_000).optional(),
  })
  .strict();

const window = z.tuple([finite, finite]).refine(([lo, hi]) => hi > lo, 'the window needs min < max');
const regex = z.string().min(1).max(200);

export const labRequestSchemas = {
  /** what the lab holds: signals datasets, loaded system matrices, image stacks (a watcher finds them here) */
  'lab.list': z.object({}).strict(),
  /** a numeric N × samples dataset of an open HDF5 file as signals (checked: 2-D, integer or float) */
  'lab.signals.open': z.object({ fileId, dataset: datasetPath }).strict(),
  /** raw (baseline-subtracted) and shaped traces of up to 16 signals */
  'lab.signals.traces': z.object({ signalsId: labId, rows: z.array(z.number().int().nonnegative()).min(1).max(16), shaping }).strict(),
  /** shapes every signal in the worker pool; replies at once, progress and the end on 'lab-job' */
  'lab.signals.shape': z.object({ signalsId: labId, shaping, jobId: jobId.optional() }).strict(),
  /** the pulse-height spectrum of the shaped signals: peaks, photopeak fits, calibration */
  'lab.spectrum': z
    .object({
      signalsId: labId,
      bins: z.number().int().min(8).max(65_536).optional(),
      range: window.optional(),
      /** two or more lines, ADC = keV (a straight line through them by least squares) */
      calibration: z
        .array(z.object({ adc: finite, keV: finite }).strict())
        .min(2)
        .max(32)
        .optional(),
      /** scale each pulse to the rise-time line measured on the most prominent peak */
      riseTimeCorrection: z.boolean().optional(),
    })
    .strict(),
  /** stops a running lab job (shaping, stack statistics) */
  'lab.cancel': z.object({ jobId }).strict(),

  /** loads a system matrix (dense cones × pixels, or a CSR group) into an MLEM worker; the image is its backprojection */
  'lab.mlem.load': z
    .object({
      fileId,
      dataset: datasetPath,
      /** [polar, azimuth] bins when the file has no image_shape attribute (default 181 × 361) */
      imageShape: z.tuple([z.number().int().min(1).max(100_000), z.number().int().min(1).max(100_000)]).optional(),
      /** a dataset of per-pixel sensitivities in the same file */
      sensitivity: datasetPath.optional(),
    })
    .strict(),
  /** runs more iterations; replies at once, images on 'lab-mlem' */
  'lab.mlem.run': z.object({ mlemId: labId, iterations: z.number().int().min(1).max(100_000) }).strict(),
  /** ends a run after the iteration in progress ('lab.mlem.run' continues from there) */
  'lab.mlem.stop': z.object({ mlemId: labId }).strict(),
  /** back to the backprojection (iteration 0) */
  'lab.mlem.reset': z.object({ mlemId: labId }).strict(),
  /** the current image and state (for a window that joins) */
  'lab.mlem.image': z.object({ mlemId: labId }).strict(),
  /** ends the MLEM worker and forgets the matrix */
  'lab.mlem.close': z.object({ mlemId: labId }).strict(),

  /** image files (PNG or TIFF) from a glob, sorted, labelled from their paths; only inside the data directories in serve mode */
  'lab.stack.open': z
    .object({
      pattern: z.string().min(1).max(4096),
      /** regular expression whose first group is the label; default /([NE]R)/ */
      label: regex.optional(),
      /** regular expression whose first group is the energy in keV; default /([0-9]+)_keV; null: none */
      energy: regex.nullable().optional(),
    })
    .strict(),
  /** one image of a stack: one channel (grey, or luma of colour), centre crop, window; its pixel-value histogram */
  'lab.stack.image': z
    .object({
      stackId: labId,
      index: z.number().int().nonnegative(),
      /** [min, max] → [0, 1], clipped; absent: raw values */
      window: window.optional(),
      /** half-width of the centre crop, pixels (64 → 128 × 128); absent: the whole image */
      crop: z.number().int().min(1).max(100_000).optional(),
      bins: z.number().int().min(1).max(4096).optional(),
    })
    .strict(),
  /** each channel of one image of a stack (grey, or R, G, B, A) with its histogram */
  'lab.stack.channels': z.object({ stackId: labId, index: z.number().int().nonnegative() }).strict(),
  /** per-label mean images and pixel-value histograms over the whole stack; replies at once, progress on 'lab-job' */
  'lab.stack.statistics': z
    .object({
      stackId: labId,
      window: window.optional(),
      crop: z.number().int().min(1).max(100_000).optional(),
      bins: z.number().int().min(1).max(4096).optional(),
      jobId: jobId.optional(),
    })
    .strict(),
  /** the result of the last finished 'lab.stack.statistics' of a stack */
  'lab.stack.statisticsResult': z.object({ stackId: labId }).strict(),
  /** forgets a signals dataset or an image stack */
  'lab.close': z.object({ id: labId }).strict(),
} as const satisfies Record<string, z.ZodType>;

export type ShapingWire = z.infer<typeof shaping>;

/** A signals dataset as the lab holds it. */
export interface SignalsInfo {
  signalsId: string;
  fileId: string;
  /** the file on the serving machine */
  file: string;
  dataset: string;
  /** [signals, samples] */
  shape: [number, number];
  dtype: string;
  /** ns per sample when the dataset says (attribute sample_period_ns) */
  samplePeriodNs?: number;
  /** the default pre-trigger samples for this length */
  defaultBaselineSamples: number;
  /** set once every signal was shaped */
  shaped?: { shaping: Required<PulseShapingOptions>; seconds: number; threads: number; count: number };
}

export interface SignalTraces {
  signalsId: string;
  rows: number[];
  nSamples: number;
  /** baseline-subtracted raw samples, rows.length × nSamples */
  raw: Float64Array;
  /** shaped traces, rows.length × nSamples */
  shaped: Float64Array;
  baseline: Float64Array;
  shaping: Required<PulseShapingOptions>;
}

/** A fitted peak with what is needed to draw it. */
export interface SpectrumPeakWire extends PhotopeakFit {
  /** Gaussian height A in counts per bin (model: A·exp(−(x−μ)²/2σ²) + b0 + b1·(x − x0)) */
  amplitude: number;
  /** the model sampled over the fit range: x in ADC (and keV when calibrated), y in counts per bin */
  curve: { x: Float64Array; y: Float64Array; xKeV?: Float64Array };
}

export interface SpectrumWire {
  signalsId: string;
  nSignals: number;
  shaping: Required<PulseShapingOptions>;
  /** bin edges in ADC, bins + 1 */
  edges: Float64Array;
  counts: Float64Array;
  /** bin edges in keV when calibrated */
  edgesKeV?: Float64Array;
  underflow: number;
  overflow: number;
  entries: number;
  candidates: SpectrumPeakCandidate[];
  peaks: SpectrumPeakWire[];
  failed: { position: number; reason: string }[];
  calibration?: EnergyCalibration;
  correction?: RiseTimeCorrection;
  elapsedMs: number;
}

export interface MlemState {
  mlemId: string;
  fileId: string;
  file: string;
  dataset: string;
  format: 'dense' | 'csr';
  dtype: string;
  nCones: number;
  nPixels: number;
  nnz: number;
  /** [polar bins, azimuth bins]: rows span polar 0..180°, columns azimuth −180..180° */
  imageShape: [number, number];
  shapeFrom: 'attribute' | 'user' | 'default';
  axes?: string;
  engine: 'wasm-simd' | 'js';
  hasSensitivity: boolean;
  /** iterations done since the backprojection */
  iteration: number;
  running: boolean;
  /** iterations per second of the last run */
  rate?: number;
  /** the largest pixel of the current image */
  maximum: { row: number; column: number; value: number };
}

/** Stream 'lab-mlem': the image after an iteration (or a reset), and the state. */
export interface MlemImageMessage extends MlemState {
  /** polar × azimuth, row-major */
  image: Float64Array;
  /** a run ended early on Stop */
  stopped?: boolean;
  /** a run failed */
  error?: string;
}

export interface StackInfo {
  stackId: string;
  pattern: string;
  /** absolute paths, sorted */
  paths: string[];
  labels: string[];
  /** keV per image (NaN without an energy expression) */
  energies: Float64Array;
  classes: string[];
  classIndex: Int32Array;
  label: string;
  energy: string | null;
}

export interface StackImageWire {
  stackId: string;
  index: number;
  path: string;
  label: string;
  energy: number;
  source: { width: number; height: number; channels: number; bitDepth: number; format: 'png' | 'tiff' };
  width: number;
  height: number;
  pixels: Float32Array;
  /** histogram of the pixel values over [lo, hi) */
  histogram: { lo: number; hi: number; counts: Float64Array };
  window?: [number, number];
  crop?: number;
}

export interface StackChannelsWire {
  stackId: string;
  index: number;
  path: string;
  width: number;
  height: number;
  bitDepth: number;
  channels: { name: string; values: Float32Array; /** 256 bins over [0, 2^bitDepth) */ histogram: Float64Array }[];
}

export interface StackStatisticsWire {
  stackId: string;
  window?: [number, number];
  crop?: number;
  /** the histograms' range and bins */
  lo: number;
  hi: number;
  bins: number;
  labels: LabelStatistics[];
  seconds: number;
}

export interface LabList {
  signals: SignalsInfo[];
  mlem: MlemState[];
  stacks: { stackId: string; pattern: string; count: number }[];
}

/** Stream 'lab-job': progress of a long lab job, and its end (once). */
export interface LabJobMessage {
  jobId: string;
  kind: 'shape' | 'stack-statistics';
  /** the signals or stack id the job works on */
  targetId: string;
  phase: string;
  done: number;
  total: number;
  rate?: number;
  finished?: { ok: true } | { ok: false; message: string; cancelled: boolean };
}

export interface LabStreams {
  'lab-job': LabJobMessage;
  'lab-mlem': MlemImageMessage;
}

export const labStreamNames = ['lab-job', 'lab-mlem'] as const satisfies readonly (keyof LabStreams)[];

export interface LabReplies {
  'lab.list': LabList;
  'lab.signals.open': SignalsInfo;
  'lab.signals.traces': SignalTraces;
  'lab.signals.shape': { jobId: string };
  'lab.spectrum': SpectrumWire;
  'lab.cancel': { cancelled: boolean };
  'lab.mlem.load': MlemImageMessage;
  'lab.mlem.run': MlemState;
  'lab.mlem.stop': MlemState;
  'lab.mlem.reset': MlemImageMessage;
  'lab.mlem.image': MlemImageMessage;
  'lab.mlem.close': { closed: boolean };
  'lab.stack.open': StackInfo;
  'lab.stack.image': StackImageWire;
  'lab.stack.channels': StackChannelsWire;
  'lab.stack.statistics': { jobId: string };
  'lab.stack.statisticsResult': StackStatisticsWire;
  'lab.close': { closed: boolean };
}
