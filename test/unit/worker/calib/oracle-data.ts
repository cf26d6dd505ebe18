/**
 * Reading what ctapipe-calibration-oracle.py dumps (manifest.json + raw
 * little-endian arrays), and turning its ctapipe configurations into
 * Lightpool's calibration options.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimtelCalibrationOptions } from '../../../../src-worker/calib/simtel-calibration.js';
import type { ImageExtractorConfig } from '../../../../src-worker/calib/image-extractor.js';

export interface ArrayRef {
  file: string;
  dtype: string;
  shape: number[];
}

export interface OracleTelescope {
  camera: string;
  n_pixels: number;
  n_channels: number;
  n_samples: number;
  time_slice_ns: number;
  sampling_rate_ghz: number;
  sample_width_ns: number;
  reference_pulse_shape: ArrayRef;
  reference_pulse_sample_width_ns: number;
  hv_disabled: number[];
  neighbors_indptr: ArrayRef;
  neighbors_indices: ArrayRef;
  /** "width,shift" -> correction per gain */
  integration_correction: Record<string, number[]>;
}

export interface OracleOutputs {
  event_id: number;
  tel_id: number;
  image: ArrayRef;
  peak_time: ArrayRef;
  /** null without gain selection */
  selected_gain_channel: ArrayRef | null;
  pixel_status: ArrayRef;
  r1?: ArrayRef;
  r0?: ArrayRef;
}

export interface OracleEvent extends OracleOutputs {
  r0: ArrayRef;
  r1: ArrayRef;
  pedestal_per_sample: ArrayRef;
  dc_to_pe: ArrayRef;
  time_shift: ArrayRef;
  r1_dtype: string;
}

export type CtapipeConfig = Record<string, Record<string, unknown>>;

export interface OracleCase {
  name: string;
  config: CtapipeConfig;
  hv_disabled?: number[];
  events: OracleOutputs[];
}

export interface OracleFile {
  telescopes: Record<string, OracleTelescope>;
  events: OracleEvent[];
  pedestal_sums: { tel_id: number; pedestal: ArrayRef; n_ped_slices: number }[];
  cases: OracleCase[];
}

export interface Oracle {
  dir: string;
  files: Record<string, OracleFile>;
}

const SCRIPT = fileURLToPath(new URL('./ctapipe-calibration-oracle.py', import.meta.url));

/** Runs the oracle script with ctapipe's python on the given sim_telarray files. */
export function runOracle(pythonPath: string, simtelFiles: string[]): Oracle {
  const dir = mkdtempSync(join(tmpdir(), 'lp-calib-oracle-'));
  execFileSync(pythonPath, [SCRIPT, dir, ...simtelFiles], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, maxBuffer: 64 << 20 });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, OracleFile> };
  return { dir, files: manifest.files };
}

export type OracleArray = Float32Array | Float64Array | Uint16Array | Uint32Array | Int8Array | Uint8Array | Int32Array;

/** An array the oracle wrote, as a typed array of its dtype. */
export function load(oracle: Oracle, ref: ArrayRef): OracleArray {
  const buf = readFileSync(join(oracle.dir, ref.file));
  const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  switch (ref.dtype) {
    case 'float32':
      return new Float32Array(bytes);
    case 'float64':
      return new Float64Array(bytes);
    case 'uint16':
      return new Uint16Array(bytes);
    case 'uint32':
      return new Uint32Array(bytes);
    case 'int8':
      return new Int8Array(bytes);
    case 'uint8':
      return new Uint8Array(bytes);
    case 'int32':
      return new Int32Array(bytes);
    default:
      throw new Error(`oracle array ${ref.file}: unexpected dtype ${ref.dtype}`);
  }
}

const EXTRACTOR_FIELDS: Record<string, string> = {
  window_width: 'windowWidth',
  window_shift: 'windowShift',
  local_weight: 'localWeight',
  pixel_fraction: 'pixelFraction',
  peak_index: 'peakIndex',
  apply_integration_correction: 'applyIntegrationCorrection',
};

/** A ctapipe traitlets configuration (as the oracle used it) as Lightpool's calibration options. */
export function optionsFromCtapipeConfig(config: CtapipeConfig): SimtelCalibrationOptions {
  const cc = config.CameraCalibrator ?? {};
  const type = (cc.image_extractor_type as string | undefined) ?? 'NeighborPeakWindowSum';
  const extractor: Record<string, unknown> = { type };
  for (const [k, v] of Object.entries(config[type] ?? {})) {
    const name = EXTRACTOR_FIELDS[k];
    if (!name) throw new Error(`no Lightpool name for ${type}.${k}`);
    extractor[name] = v;
  }
  const options: SimtelCalibrationOptions = { extractor: extractor as ImageExtractorConfig };
  for (const [k, v] of Object.entries(cc)) {
    if (k === 'image_extractor_type') continue;
    else if (k === 'invalid_pixel_handler_type') options.invalidPixelHandler = v as null;
    else if (k === 'apply_peak_time_shift') options.applyPeakTimeShift = v as boolean;
    else if (k === 'apply_waveform_time_shift') options.applyWaveformTimeShift = v as boolean;
    else throw new Error(`no Lightpool option for CameraCalibrator.${k}`);
  }
  const threshold = config.ThresholdGainSelector?.threshold;
  if (threshold !== undefined) options.gainThreshold = threshold as number;
  if (config.SimTelEventSource?.select_gain === false) options.gainThreshold = null;
  for (const [section, values] of Object.entries(config)) {
    if (section === 'SimTelEventSource' && Object.keys(values).join() !== 'select_gain')
      throw new Error(`unexpected SimTelEventSource options ${Object.keys(values).join()}`);
    else if (!['CameraCalibrator', type, 'ThresholdGainSelector', 'SimTelEventSource'].includes(section))
      throw new Error(`unexpected configuration section ${section}`);
  }
  return options;
}
