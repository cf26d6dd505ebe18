/**
 * ctapipe-process's record of a quality query: a table of criteria
 * (TOTAL first), how many items passed each (`counts`), how many passed it
 * and all before it (`cumulative_counts`), and the expression (`func`,
 * "True" for TOTAL) — /dl1/service/image_statistics for the
 * ImageQualityQuery, /dl2/service/tel_event_statistics/HillasReconstructor
 * for the StereoQualityQuery; columns and attributes as ctapipe 0.26
 * writes them (QualityQuery.to_table(functions=True)).
 */
import type { H5Writer } from '../hdf5/writer/h5-writer.js';
import type { H5File } from '../hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../hdf5/table-reader.js';
import type { QualityCounts, QualityCriterion } from '../../selection/quality-query.js';
import { layoutOf, maxLen, RowWriter, tableAttrs, type Col } from './dl1-table-layout.js';
import { DL1_PATHS, HILLAS_RECONSTRUCTOR } from './dl1-layout.js';

/** where ctapipe-process writes the ImageQualityQuery's and the HillasReconstructor's StereoQualityQuery's counts */
export const IMAGE_STATISTICS = DL1_PATHS.imageStatistics;
export const TEL_EVENT_STATISTICS = `${DL1_PATHS.telEventStatistics}/${HILLAS_RECONSTRUCTOR}`;

export function writeQualityStatistics(w: H5Writer, path: string, criteria: readonly QualityCriterion[], counts: QualityCounts, deflateLevel: number): void {
  const names = ['TOTAL', ...criteria.map((c) => c.name)];
  const funcs = ['True', ...criteria.map((c) => c.expression)];
  const cols: Col[] = [
    { name: 'criteria', type: 'i8', str: maxLen(names) },
    { name: 'counts', type: 'i8' },
    { name: 'cumulative_counts', type: 'i8' },
    { name: 'func', type: 'i8', str: maxLen(funcs) },
  ];
  const rows = new RowWriter(layoutOf(cols), names.length);
  names.forEach((n, i) => {
    rows.str(i, 'criteria', n, cols[0].str!);
    rows.i64(i, 'counts', counts.counts[i]);
    rows.i64(i, 'cumulative_counts', counts.cumulative[i]);
    rows.str(i, 'func', funcs[i], cols[3].str!);
  });
  const ds = w.dataset(path, layoutOf(cols).type, [], { chunkRows: Math.max(1, names.length), deflateLevel, shuffle: true });
  ds.appendRows(rows.bytes, rows.nRows);
  ds.finish(tableAttrs(cols, rows.nRows, ''));
}

/** The criteria a file records for a quality query ([name, expression], without TOTAL), or null when it records none. */
export function recordedQualityCriteria(file: H5File, path: string): [string, string][] | null {
  if (!file.hasDataset(path)) return null;
  const t = new TableReader(file, path, new ChunkCache(1 << 20));
  if (!t.hasField('criteria') || !t.hasField('func') || t.nRows === 0) return null;
  const c = t.columns(0, t.nRows, ['criteria', 'func']);
  const names = c.criteria as string[];
  const funcs = c.func as string[];
  if (!Array.isArray(names) || !Array.isArray(funcs)) return null;
  return names.map((n, i): [string, string] => [n, funcs[i]]).filter(([n]) => n !== 'TOTAL');
}
