/**
 * `lightpool spectrum`: every signal of an N × samples dataset shaped in the
 * worker pool, the pulse-height spectrum, its peaks fitted (Gaussian on a
 * linear background), an optional rise-time correction and energy
 * calibration, written to OUT (temporary file, renamed when complete):
 *
 *   /amplitude        float64 (N)  pulse height per signal (ADC × the gain convention)
 *   /baseline         float64 (N)  the subtracted pre-trigger mean
 *   /rise_time        float64 (N)  10–90 % rise time, samples
 *   /amplitude_corrected  float64 (N)  with --risetime-correction
 *   /spectrum/counts, /spectrum/bin_edges (ADC) [, /spectrum/bin_edges_keV]
 *   /peaks/…          one entry per fitted peak (centroid, errors, FWHM, resolution, counts; keV when calibrated)
 *
 * with the settings as attributes.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyseSpectrum, type SpectrumAnalysis } from '../../src-worker/lab/spectroscopy/spectrum-analysis.js';
import type { CalibrationPoint } from '../../src-worker/lab/spectroscopy/energy-calibration.js';
import { toKeV } from '../../src-worker/lab/spectroscopy/energy-calibration.js';
import type { PulseShapingOptions } from '../../src-worker/lab/spectroscopy/pulse-amplitude.js';
import type { PhotopeakFit } from '../../src-worker/lab/spectroscopy/photopeak-fit.js';
import { attributes, checkOutputPath, LabOutputFile } from '../../src-worker/lab/lab-output-file.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import { describeSignals, shapeSignals, type ShapedSignals } from './shape-signals.js';
import { throwIfCancelled, type LabProgress } from './lab-job.js';

export interface SpectrumJobOptions {
  input: string;
  dataset?: string;
  output: string;
  shaping: PulseShapingOptions;
  bins?: number;
  range?: [number, number];
  calibration?: CalibrationPoint[];
  riseTimeCorrection?: boolean;
  overwrite?: boolean;
  threads?: number;
  pool?: WorkerPool;
  command?: string;
  signal?: AbortSignal;
  onProgress?: (p: LabProgress) => void;
}

export interface SpectrumJobResult {
  output: string;
  shaped: ShapedSignals;
  analysis: SpectrumAnalysis;
  bytes: number;
}

/** Default pre-trigger: the first 500 samples, at most a quarter of the trace. */
export function defaultBaselineSamples(nSamples: number): number {
  return Math.min(500, Math.floor(nSamples / 4));
}

export async function runSpectrum(o: SpectrumJobOptions): Promise<SpectrumJobResult> {
  const input = resolve(o.input);
  const output = checkOutputPath(o.output, [input], !!o.overwrite);
  const dataset = o.dataset ?? '/signals';
  const info = await describeSignals(input, dataset);
  const shaping: PulseShapingOptions = { riseTime: true, baselineSamples: defaultBaselineSamples(info.shape[1]), ...o.shaping };
  const shaped = await shapeSignals({ input, dataset, shaping, pool: o.pool, threads: o.threads, signal: o.signal, onProgress: o.onProgress });
  throwIfCancelled(o.signal, 'spectrum');
  const analysis = analyseSpectrum(shaped.amplitude, shaped.riseTime, {
    bins: o.bins,
    range: o.range,
    calibration: o.calibration,
    riseTimeCorrection: o.riseTimeCorrection,
  });
  throwIfCancelled(o.signal, 'spectrum');
  const out = new LabOutputFile(output);
  try {
    writeSpectrumFile(out, input, dataset, shaped, analysis, o.command ?? 'lightpool spectrum');
    throwIfCancelled(o.signal, 'spectrum');
    out.commit();
  } catch (err) {
    out.abort();
    throw err;
  }
  return { output, shaped, analysis, bytes: statSync(output).size };
}

function writeSpectrumFile(out: LabOutputFile, input: string, dataset: string, s: ShapedSignals, a: SpectrumAnalysis, command: string): void {
  const sh = s.shaping;
  out.rootAttributes(
    attributes({
      software: LIGHTPOOL_NAME,
      software_version: LIGHTPOOL_VERSION,
      command,
      timestamp: new Date().toISOString(),
      source_file: input,
      source_dataset: dataset,
      shaper: 'Jordanov trapezoidal (NIM A 345 (1994) 337)',
      k: sh.k,
      m: sh.m,
      M: sh.M,
      gain: sh.gain === 'Mk' ? 'M*k' : '(M+1)*k',
      amplitude_method: sh.amplitude === 'max' ? 'maximum of the shaped trace' : 'mean of the central half of the flat top',
      baseline_samples: sh.baselineSamples,
      calibration_coefficients: a.calibration ? a.calibration.coefficients : undefined,
      calibration: a.calibration ? 'keV = sum(c[j] * ADC**j)' : undefined,
    }),
  );
  out.array('/amplitude', s.amplitude, [], attributes({ units: 'ADC', description: `pulse height: ${sh.amplitude} of the shaped trace, gain ${sh.gain}` }));
  out.array(
    '/baseline',
    s.baseline,
    [],
    attributes({ units: 'ADC', description: `mean of the first ${sh.baselineSamples} samples, subtracted before shaping` }),
  );
  out.array('/rise_time', s.riseTime, [], attributes({ units: 'samples', description: `10-90 % rise time on a ${sh.riseSmoothing}-sample moving average` }));
  if (a.correction) {
    out.array(
      '/amplitude_corrected',
      a.heights,
      [],
      attributes({
        units: 'ADC',
        description: 'pulse height scaled to the reference rise time: amplitude * (a + b*t_ref) / (a + b*rise_time)',
        a: a.correction.intercept,
        b: a.correction.slope,
        t_ref: a.correction.reference,
        n_used: a.correction.nUsed,
        window: a.correction.window,
      }),
    );
  }
  const h = a.histogram;
  out.group(
    '/spectrum',
    attributes({
      description: a.correction ? 'pulse-height spectrum of /amplitude_corrected' : 'pulse-height spectrum of /amplitude',
      underflow: h.underflow,
      overflow: h.overflow,
    }),
  );
  out.array('/spectrum/counts', h.counts);
  out.array('/spectrum/bin_edges', h.edges, [], attributes({ units: 'ADC' }));
  if (a.calibration) {
    const cal = a.calibration;
    out.array(
      '/spectrum/bin_edges_keV',
      h.edges.map((e) => toKeV(cal, e)),
      [],
      attributes({ units: 'keV' }),
    );
  }
  const p = a.peaks;
  const col = (f: (x: PhotopeakFit) => number) => Float64Array.from(p, f);
  out.group(
    '/peaks',
    attributes({ description: 'Gaussian on a linear background, Poisson maximum-likelihood fit over +-3 FWHM of each peak', units: 'ADC unless _keV' }),
  );
  out.array(
    '/peaks/centroid',
    col((x) => x.centroid),
  );
  out.array(
    '/peaks/centroid_error',
    col((x) => x.centroidError),
  );
  out.array(
    '/peaks/sigma',
    col((x) => x.sigma),
  );
  out.array(
    '/peaks/fwhm',
    col((x) => x.fwhm),
  );
  out.array(
    '/peaks/fwhm_error',
    col((x) => x.fwhmError),
  );
  out.array(
    '/peaks/resolution',
    col((x) => x.resolution),
  );
  out.array(
    '/peaks/net_counts',
    col((x) => x.netCounts),
  );
  out.array(
    '/peaks/net_counts_error',
    col((x) => x.netCountsError),
  );
  out.array(
    '/peaks/background',
    col((x) => x.background),
  );
  out.array(
    '/peaks/slope',
    col((x) => x.slope),
  );
  out.array(
    '/peaks/chi2',
    col((x) => x.chi2),
  );
  out.array(
    '/peaks/ndf',
    col((x) => x.ndf),
  );
  if (a.calibration) {
    out.array(
      '/peaks/centroid_keV',
      col((x) => x.keV!.centroid),
    );
    out.array(
      '/peaks/centroid_error_keV',
      col((x) => x.keV!.centroidError),
    );
    out.array(
      '/peaks/fwhm_keV',
      col((x) => x.keV!.fwhm),
    );
    out.array(
      '/peaks/fwhm_error_keV',
      col((x) => x.keV!.fwhmError),
    );
  }
}

const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** The fitted peaks as a table for the terminal. */
export function peaksText(r: SpectrumJobResult): string {
  const a = r.analysis;
  const lines: string[] = [];
  const s = r.shaped;
  lines.push(
    `${r.output}: ${s.amplitude.length} signals of ${s.info.shape[1]} samples (${s.info.dtype}) shaped with k=${s.shaping.k} m=${s.shaping.m} M=${s.shaping.M}, gain ${s.shaping.gain === 'Mk' ? 'M·k' : '(M+1)·k'}, amplitude = ${s.shaping.amplitude}; ${Math.round(s.amplitude.length / s.seconds)} signals/s on ${s.threads} threads`,
  );
  if (a.correction)
    lines.push(
      `rise-time correction: height = ${fmt(a.correction.intercept, 2)} ${a.correction.slope < 0 ? '−' : '+'} ${fmt(Math.abs(a.correction.slope), 4)}·t, to t = ${fmt(a.correction.reference, 1)} samples (${a.correction.nUsed} pulses)`,
    );
  if (a.calibration)
    lines.push(
      `calibration: keV = ${a.calibration.coefficients.map((c, j) => (j === 0 ? fmt(c, 4) : `${fmt(c, 6)}·ADC${j > 1 ? `^${j}` : ''}`)).join(' + ')} (residuals ${a.calibration.residuals.map((x) => fmt(x, 3)).join(', ')} keV)`,
    );
  if (!a.peaks.length) lines.push('no peaks found');
  a.peaks.forEach((p, i) => {
    let line = `peak ${i + 1}: ${fmt(p.centroid, 2)} ± ${fmt(p.centroidError, 2)} ADC, FWHM ${fmt(p.fwhm, 2)} ± ${fmt(p.fwhmError, 2)} ADC, resolution ${fmt(100 * p.resolution, 2)} %, ${fmt(p.netCounts, 0)} ± ${fmt(p.netCountsError, 0)} counts`;
    if (p.keV) line += ` | ${fmt(p.keV.centroid, 2)} ± ${fmt(p.keV.centroidError, 2)} keV, FWHM ${fmt(p.keV.fwhm, 2)} ± ${fmt(p.keV.fwhmError, 2)} keV`;
    line += `; χ²/ndf ${fmt(p.chi2, 1)}/${p.ndf}${p.backgroundModel === 'none' ? ', no background' : ''}`;
    lines.push(line);
  });
  for (const f of a.failed) lines.push(`  (a peak near ${fmt(f.position, 1)} ADC could not be fitted: ${f.reason})`);
  return `${lines.join('\n')}\n`;
}
