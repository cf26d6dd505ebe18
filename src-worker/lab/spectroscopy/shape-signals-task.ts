/**
 * The worker-pool task of the spectroscopy: a batch of rows of a signals
 * dataset, read by the worker itself (h5wasm, the file kept open between
 * batches) and measured (shaper, amplitude, rise time). Only the per-signal
 * numbers travel back, as transferred typed arrays; the main thread never
 * touches the samples. A batch checks the shared cancel flag every 64 rows.
 */
import { cachedH5File } from '../lab-file-cache.js';
import { numericDatasetInfo, readNumericRows } from '../numeric-dataset.js';
import { measurePulses, shapeOneSignal, type PulseShapingOptions } from './pulse-amplitude.js';

export interface ShapeSignalsTask {
  kind: 'lab-shape-signals';
  file: string;
  dataset: string;
  rowStart: number;
  rowCount: number;
  options: PulseShapingOptions;
  /** Int32Array(1) over a SharedArrayBuffer: non-zero = stop */
  cancel?: SharedArrayBuffer;
}

export interface ShapeSignalsResult {
  kind: 'lab-shape-signals';
  rowStart: number;
  rowCount: number;
  amplitude: Float64Array;
  baseline: Float64Array;
  peakSample: Int32Array;
  riseTime: Float64Array;
  /** true when the batch stopped early on the cancel flag */
  cancelled: boolean;
}

/** Raw and shaped traces of chosen rows, for a view's overlay. */
export interface SignalTracesTask {
  kind: 'lab-signal-traces';
  file: string;
  dataset: string;
  rows: number[];
  options: PulseShapingOptions;
}

export interface SignalTracesResult {
  kind: 'lab-signal-traces';
  rows: number[];
  nSamples: number;
  /** baseline-subtracted raw samples, rows.length × nSamples */
  raw: Float64Array;
  /** shaped traces, rows.length × nSamples */
  shaped: Float64Array;
  baseline: Float64Array;
}

export async function runShapeSignals(task: ShapeSignalsTask): Promise<{ result: ShapeSignalsResult; transfer: ArrayBuffer[] }> {
  const file = await cachedH5File(task.file);
  const info = numericDatasetInfo(file, task.dataset, [2], 'signals (N signals × samples)');
  const [nRows, nSamples] = info.shape;
  if (!(task.rowStart >= 0 && task.rowCount >= 0 && task.rowStart + task.rowCount <= nRows)) {
    throw new Error(`${task.file}: rows ${task.rowStart}..${task.rowStart + task.rowCount} are outside the ${nRows} signals of ${task.dataset}`);
  }
  const flag = task.cancel ? new Int32Array(task.cancel) : null;
  const samples = readNumericRows(file, info, task.rowStart, task.rowCount);
  let cancelled = false;
  const m = measurePulses(
    samples,
    nSamples,
    task.options,
    () => {
      if (flag && Atomics.load(flag, 0) !== 0) {
        cancelled = true;
        return false;
      }
      return true;
    },
    64,
  );
  const result: ShapeSignalsResult = { kind: 'lab-shape-signals', rowStart: task.rowStart, rowCount: task.rowCount, ...m, cancelled };
  return { result, transfer: [m.amplitude.buffer, m.baseline.buffer, m.peakSample.buffer, m.riseTime.buffer] as ArrayBuffer[] };
}

export async function runSignalTraces(task: SignalTracesTask): Promise<{ result: SignalTracesResult; transfer: ArrayBuffer[] }> {
  const file = await cachedH5File(task.file);
  const info = numericDatasetInfo(file, task.dataset, [2], 'signals (N signals × samples)');
  const [nRows, nSamples] = info.shape;
  if (task.rows.length > 64) throw new Error(`at most 64 traces at a time, asked for ${task.rows.length}`);
  const raw = new Float64Array(task.rows.length * nSamples);
  const shaped = new Float64Array(task.rows.length * nSamples);
  const baseline = new Float64Array(task.rows.length);
  task.rows.forEach((row, i) => {
    if (!(Number.isInteger(row) && row >= 0 && row < nRows)) throw new Error(`${task.file}: signal ${row} does not exist (${task.dataset} has ${nRows})`);
    const one = shapeOneSignal(readNumericRows(file, info, row, 1), nSamples, 0, task.options);
    raw.set(one.raw, i * nSamples);
    shaped.set(one.shaped, i * nSamples);
    baseline[i] = one.baseline;
  });
  return {
    result: { kind: 'lab-signal-traces', rows: task.rows.slice(), nSamples, raw, shaped, baseline },
    transfer: [raw.buffer, shaped.buffer, baseline.buffer],
  };
}
