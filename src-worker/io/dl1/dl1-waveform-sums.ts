/**
 * R0 and R1 sums of a ctapipe HDF5 file that carries waveform tables
 * (/r0/event/telescope/tel_NNN, /r1/event/telescope/tel_NNN, fixed-point
 * columns decoded as ctapipe's read_table does): per pixel,
 * `r0.waveform[gain].sum(axis=-1)` and `r1.waveform.sum(axis=-1)`.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { TableReader } from '../hdf5/table-reader.js';
import type { Dl1Reader } from './dl1-reader.js';
import { DL1_PATHS } from './dl1-layout.js';
import { readRow } from './dl1-waveforms.js';
import {
  sumSamples,
  type WaveformLevel,
  type WaveformLevelInfo,
  type WaveformLevels,
  type WaveformSums,
  type WaveformSumsQuery,
} from '../../containers/waveform-sums.js';

const UNIT: Record<WaveformLevel, string> = { r0: 'ADC counts', r1: 'p.e.' };
const GROUP: Record<WaveformLevel, string> = { r0: DL1_PATHS.r0Waveforms, r1: DL1_PATHS.r1Waveforms };
const WRITER: Record<WaveformLevel, string> = { r0: 'DataWriter.write_r0_waveforms', r1: 'DataWriter.write_r1_waveforms' };

function what(level: WaveformLevel): string {
  return level === 'r0'
    ? `Σ raw ADC samples per pixel as stored in ${GROUP.r0}, pedestal included (R0 is not pedestal-subtracted)`
    : `Σ R1 samples per pixel as stored in ${GROUP.r1} (calibrated, gain-selected)`;
}

function levelInfo(r: Dl1Reader, level: WaveformLevel): WaveformLevelInfo {
  const group = GROUP[level];
  const tables = r.file.kindOf(group) === 'group' ? r.file.keys(group).filter((n) => /^tel_\d+$/.test(n)) : [];
  if (tables.length === 0) {
    return {
      available: false,
      why: `this file has no ${level.toUpperCase()} waveforms: no ${group}/tel_NNN tables (ctapipe writes them with ${WRITER[level]})`,
      gains: 0,
      unit: UNIT[level],
      what: what(level),
    };
  }
  const t = new TableReader(r.file, `${group}/${tables[0]}`, r.cache);
  if (!t.hasField('waveform')) {
    return { available: false, why: `${group}/${tables[0]} has no waveform column`, gains: 0, unit: UNIT[level], what: what(level) };
  }
  const shape = t.field('waveform').shape;
  return { available: true, why: '', gains: shape.length === 3 ? shape[0] : 1, unit: UNIT[level], what: what(level) };
}

export function dl1WaveformLevels(r: Dl1Reader, fileId: string): WaveformLevels {
  return { fileId, r0: levelInfo(r, 'r0'), r1: levelInfo(r, 'r1') };
}

export function dl1WaveformSums(r: Dl1Reader, q: WaveformSumsQuery): WaveformSums {
  r.checkIndex(q.index);
  const gain = q.level === 'r0' ? (q.gain ?? 'high') : null;
  const telIds = q.telIds ?? r.triggeredTelIds(q.index);
  const out: WaveformSums = {
    fileId: q.fileId,
    index: q.index,
    obsId: r.index.obsId[q.index],
    eventId: r.index.eventId[q.index],
    level: q.level,
    gain,
    unit: UNIT[q.level],
    what: gain ? `${gain} gain: ${what(q.level)}` : what(q.level),
    telescopes: [],
    missing: [],
  };
  for (const telId of telIds) {
    const tel = r.subarray.telescopes.find((t) => t.telId === telId);
    if (!tel) throw new Hdf5Error('bad-request', `${r.file.path}: no telescope ${telId} in the subarray`, r.file.path);
    const row = readRow(r, GROUP[q.level], telId, q.index);
    if (!row) {
      out.missing.push({ telId, why: `no ${GROUP[q.level]} row of telescope ${telId} in event ${q.index}` });
      continue;
    }
    const [channels, nPixels, nSamples] = row.shape.length === 3 ? row.shape : [1, row.shape[0], row.shape[1]];
    const g = gain === 'low' ? 1 : 0;
    if (g >= channels) {
      out.missing.push({ telId, why: `telescope ${telId} (${tel.cameraName}) has one gain only in ${row.path}: no low-gain R0` });
      continue;
    }
    out.telescopes.push({ telId, camera: tel.cameraName, nSamples, sums: sumSamples(row.values, g * nPixels, nPixels, nSamples), pedestalSums: null });
  }
  return out;
}
