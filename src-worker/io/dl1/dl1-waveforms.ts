/**
 * Pixel waveforms of a ctapipe HDF5 file that carries them (DataWriter's
 * `write_r0_waveforms` / `write_r1_waveforms`: /r0 and /r1
 * event/telescope/tel_NNN tables, fixed-point columns decoded with their
 * CTAFIELD_*_TRANSFORM_SCALE/OFFSET): R1 as stored, R0 on demand, the
 * extraction window ctapipe's default extractor (NeighborPeakWindowSum with
 * the camera's readout table) finds on that R1, and the charge and peak time
 * the file's DL1 image table holds (else the ones computed from R1).
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { readAttrs } from '../hdf5/h5-attrs.js';
import { TableReader } from '../hdf5/table-reader.js';
import { decodeColumn } from '../hdf5/column-decode.js';
import type { FieldSpec } from '../hdf5/h5-dtype.js';
import type { Dl1Reader } from './dl1-reader.js';
import { DL1_PATHS, telTableName } from './dl1-layout.js';
import { decodeFixedPoint, fixedPointTransformFromAttributes, type FixedPointStored } from '../../calib/fixed-point.js';
import { CameraCalibrator } from '../../calib/camera-calibrator.js';
import { integrationWindow, type CameraReadout } from '../../calib/image-extractor.js';
import { computePixelNeighbors } from '../../instrument/neighbors.js';
import type { PixelWaveform, PixelWaveforms } from '../../containers/pixel-waveforms.js';
import type { WaveformQuery } from '../simtel/simtel-reader.js';

export interface WaveformRow {
  path: string;
  values: Float32Array | Float64Array | Uint16Array | Uint32Array;
  shape: number[];
  selectedGain: Int8Array | null;
}

/** The `waveform` column of row `event` of a tel_NNN waveform table, decoded (fixed point → float). */
export function readRow(r: Dl1Reader, group: string, telId: number, index: number): WaveformRow | null {
  const path = `${group}/${telTableName(telId)}`;
  const loc = r.locator(path, telId);
  if (!loc) return null;
  const row = loc.find(index);
  if (row < 0) return null;
  const t: TableReader = loc.table;
  if (!t.hasField('waveform')) throw new Hdf5Error('unknown-layout', `${r.file.path}: ${path} has no waveform column`, r.file.path);
  const raw = t.rawRows(row, 1);
  const f: FieldSpec = t.field('waveform');
  const col = decodeColumn(raw, t.rowSize, 1, f);
  if (Array.isArray(col)) throw new Hdf5Error('unknown-layout', `${r.file.path}: ${path} waveform column is not numeric`, r.file.path);
  const pos = t.fields.indexOf(f);
  const transform = f.kind === 'float' ? null : fixedPointTransformFromAttributes(readAttrs(r.file, path) as Record<string, unknown>, pos);
  let values: WaveformRow['values'];
  if (transform) values = decodeFixedPoint(col as FixedPointStored, transform);
  else if (col instanceof Float32Array || col instanceof Float64Array || col instanceof Uint16Array || col instanceof Uint32Array) values = col;
  else values = Float64Array.from(col as ArrayLike<number>, Number);
  const selectedGain = t.hasField('selected_gain_channel')
    ? Int8Array.from(decodeColumn(raw, t.rowSize, 1, t.field('selected_gain_channel')) as ArrayLike<number>)
    : null;
  return { path, values, shape: f.shape, selectedGain };
}

/** The camera's readout table (found by its CAM_ID), as the extractors need it. */
function readoutOf(r: Dl1Reader, camera: string): CameraReadout | null {
  for (const name of r.file.keys(DL1_PATHS.cameras)) {
    if (!name.startsWith('readout_')) continue;
    const path = `${DL1_PATHS.cameras}/${name}`;
    const a = readAttrs(r.file, path) as Record<string, unknown>;
    const cam = typeof a.CAM_ID === 'string' ? a.CAM_ID : a.CAM_ID instanceof Uint8Array ? new TextDecoder().decode(a.CAM_ID) : name.slice(8);
    if (cam !== camera && name.slice(8) !== camera) continue;
    const t = new TableReader(r.file, path, r.cache);
    const shapes = t.fields.filter((f) => /^reference_pulse_shape_channel\d+$/.test(f.name));
    const nRef = t.nRows;
    const raw = t.rawRows(0, nRef);
    const flat = new Float64Array(shapes.length * nRef);
    shapes.forEach((f, g) => flat.set(Float64Array.from(decodeColumn(raw, t.rowSize, nRef, f) as ArrayLike<number>, Number), g * nRef));
    return {
      samplingRateGHz: Number(a.SAMPFREQ),
      referencePulseShape: flat,
      referencePulseGains: shapes.length,
      referencePulseSampleWidthNs: Number(a.REFWIDTH),
    };
  }
  return null;
}

export function dl1Waveforms(r: Dl1Reader, q: WaveformQuery): PixelWaveforms {
  r.checkIndex(q.index);
  const tel = r.subarray.telescopes.find((t) => t.telId === q.telId);
  if (!tel) throw new Hdf5Error('bad-request', `${r.file.path}: no telescope ${q.telId} in the subarray`, r.file.path);
  const geometry = r.subarray.cameras[tel.cameraName];
  const r1 = readRow(r, DL1_PATHS.r1Waveforms, q.telId, q.index);
  const r0 = readRow(r, DL1_PATHS.r0Waveforms, q.telId, q.index);
  if (!r1 && !r0) {
    throw new Hdf5Error(
      'unknown-layout',
      `${r.file.path}: no waveforms of telescope ${q.telId} in event ${q.index} (the file has no ${DL1_PATHS.r1Waveforms} or ${DL1_PATHS.r0Waveforms} row for it: ctapipe writes them with DataWriter.write_r1_waveforms / write_r0_waveforms)`,
      r.file.path,
    );
  }
  const any = (r1 ?? r0)!;
  const [, nPixels, nSamples] = any.shape.length === 3 ? any.shape : [1, any.shape[0], any.shape[1]];
  for (const p of q.pixels) {
    if (!(p < nPixels)) throw new Hdf5Error('bad-request', `pixel ${p} is out of range: ${tel.cameraName} has ${nPixels} pixels`, r.file.path);
  }
  const readout = readoutOf(r, tel.cameraName);
  const dl1 = r.telescopeImage(q.index, q.telId);
  let computed: { charge: Float32Array; peakTime: Float32Array; peakIndex: Int32Array | null } | null = null;
  const extractor = { type: 'NeighborPeakWindowSum', windowWidth: 7, windowShift: 3 };
  const r1Channels = r1 ? (r1.shape.length === 3 ? r1.shape[0] : 1) : 0;
  if (r1 && readout && geometry && r1Channels === 1 && nSamples > 1) {
    const neighbors = computePixelNeighbors(geometry.pixX, geometry.pixY, geometry.pixType);
    const cal = new CameraCalibrator(readout, neighbors, {});
    const x = cal.extractor.config;
    Object.assign(extractor, { type: x.type, windowWidth: x.windowWidth, windowShift: x.windowShift });
    const d = cal.calibrate(
      { waveforms: r1.values as Float32Array, nChannels: 1, nPixels, nSamples, selectedGainChannel: r1.selectedGain },
      { invalidPixels: null, timeShift: null, nGains: readout.referencePulseGains },
    );
    computed = { charge: d.image, peakTime: d.peakTime, peakIndex: d.peakIndex };
  }
  const pixels: PixelWaveform[] = q.pixels.map((p) => {
    const peak = computed?.peakIndex ? computed.peakIndex[p] : -1;
    const win = peak >= 0 ? integrationWindow(peak, extractor.windowWidth, extractor.windowShift, nSamples) : null;
    const r0Gains = r0 ? (r0.shape.length === 3 ? r0.shape[0] : 1) : 0;
    const r0Row = (g: number) => (r0 && g < r0Gains ? (r0.values.slice((g * nPixels + p) * nSamples, (g * nPixels + p + 1) * nSamples) as Uint16Array) : null);
    return {
      pixel: p,
      r1: r1 && r1Channels === 1 ? Float32Array.from(r1.values.subarray(p * nSamples, (p + 1) * nSamples)) : null,
      r0High: q.r0 ? r0Row(0) : null,
      r0Low: q.r0 ? r0Row(1) : null,
      selectedGain: r1?.selectedGain ? r1.selectedGain[p] : -1,
      windowStart: win ? win.start : null,
      windowWidth: win ? win.end - win.start : null,
      charge: dl1?.image ? dl1.image[p] : computed ? computed.charge[p] : NaN,
      peakTime: dl1?.peakTime ? dl1.peakTime[p] : computed ? computed.peakTime[p] : NaN,
      invalid: false,
      truePe: null,
      truePeTimes: null,
    };
  });
  return {
    fileId: q.fileId,
    index: q.index,
    obsId: r.index.obsId[q.index],
    eventId: r.index.eventId[q.index],
    telId: q.telId,
    camera: tel.cameraName,
    nSamples,
    samplingRateGHz: readout?.samplingRateGHz ?? NaN,
    source: r1 ? `${r1.path}${computed ? ` (window: ${extractor.type} on the stored R1)` : ''}` : `${r0!.path} (raw ADC only)`,
    extractor: computed ? extractor : null,
    hasR0: Boolean(r0),
    pixels,
  };
}
