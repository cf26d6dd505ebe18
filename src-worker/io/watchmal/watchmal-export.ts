/**
 * Subset export of a WatChMaL file: the selected events with every per-event
 * dataset (labels, event_ids, energies, positions, angles, veto flags,
 * root_files, event_data) gathered, the hit arrays (hit_pmt, hit_time,
 * hit_charge / hit_parent) concatenated event by event and event_hits_index
 * recomputed for them; attributes copied, provenance added. Chunked along
 * the first axis and deflated (h5py reads it as the original layout).
 *
 * Selections: event indices, or a cut on event columns: label(s),
 * energy/energies, event_id(s), veto, veto2, fully_contained, n_hits,
 * position_x/y/z (cm), polar, azimuth (rad).
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { elementSpec } from '../hdf5/h5-dtype.js';
import { readRawHyperslab } from '../hdf5/raw-read.js';
import { typedView } from '../hdf5/column-decode.js';
import { H5Writer } from '../hdf5/writer/h5-writer.js';
import { isVlenString, type TypeDesc } from '../hdf5/writer/datatype-encode.js';
import type { WatchmalReader } from './watchmal-reader.js';
import type { Selection } from '../export/selection.js';
import { cutColumns, parseCut, passes, CutSyntaxError } from '../../selection/cut-expression.js';
import { readAttributeSpecs, setAttr } from '../export/copy-attributes.js';
import { chunkOptions, copyDataset, provenanceAttributes, readStrings, type ExportEnv } from '../export/export-common.js';
import type { ExportResult } from '../export/export-types.js';

const HIT_ARRAYS = new Set(['hit_pmt', 'hit_time', 'hit_charge', 'hit_parent']);

/** Per-event values of dataset `name` (first component per event), as float64. */
function perEventValues(w: WatchmalReader, name: string, component = 0): Float64Array {
  const meta = w.file.metadata(`/${name}`);
  const shape = meta.shape ?? [];
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const raw = readRawHyperslab(
    w.file,
    `/${name}`,
    shape.map(() => 0),
    shape,
    meta.size,
  );
  const v = typedView(elementSpec(meta), raw);
  const out = new Float64Array(w.nEvents);
  for (let i = 0; i < w.nEvents; i++) out[i] = Number(v[i * per + component]);
  return out;
}

function cutSource(w: WatchmalReader): Map<string, () => Float64Array> {
  const m = new Map<string, () => Float64Array>();
  const add = (names: string[], ds: string, comp = 0) => {
    if (!w.has(ds)) return;
    for (const n of names) m.set(n, () => perEventValues(w, ds, comp));
  };
  add(['label', 'labels'], 'labels');
  add(['energy', 'energies'], 'energies');
  add(['event_id', 'event_ids'], 'event_ids');
  add(['veto'], 'veto');
  add(['veto2'], 'veto2');
  add(['fully_contained'], 'fully_contained');
  add(['position_x'], 'positions', 0);
  add(['position_y'], 'positions', 1);
  add(['position_z'], 'positions', 2);
  add(['polar'], 'angles', 0);
  add(['azimuth'], 'angles', 1);
  if (w.kind === 'watchmal-hits') {
    m.set('n_hits', () => Float64Array.from({ length: w.nEvents }, (_, i) => w.eventStart[i + 1] - w.eventStart[i]));
  }
  m.set('index', () => Float64Array.from({ length: w.nEvents }, (_, i) => i));
  return m;
}

export function selectWatchmalEvents(w: WatchmalReader, sel: Selection): number[] {
  const n = w.nEvents;
  const file = w.file.path;
  if (sel.kind === 'events') {
    throw new Hdf5Error('bad-request', `${file}: WatChMaL files have no obs_id:event_id; select events by index or with a cut`, file);
  }
  if (sel.kind === 'indices') {
    for (const i of sel.indices) if (i >= n) throw new Hdf5Error('bad-request', `${file}: event index ${i} out of range (the file has ${n} events)`, file);
    return [...new Set(sel.indices)].sort((a, b) => a - b);
  }
  let tree;
  try {
    tree = parseCut(sel.expr);
  } catch (err) {
    if (err instanceof CutSyntaxError) throw new Hdf5Error('bad-request', `cut expression "${sel.expr}": ${err.message}`, file);
    throw err;
  }
  const src = cutSource(w);
  const names = [...cutColumns(tree)];
  const unknown = names.filter((c) => !src.has(c));
  if (unknown.length) {
    throw new Hdf5Error(
      'bad-request',
      `cut expression "${sel.expr}": unknown column ${unknown.join(', ')} in ${file} (columns: ${[...src.keys()].join(', ')})`,
      file,
    );
  }
  const cols = new Map(names.map((c) => [c, src.get(c)!()]));
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (passes(tree, (c) => cols.get(c)![i])) out.push(i);
  return out;
}

export function exportWatchmal(r: WatchmalReader, sel: Selection, output: string, env: ExportEnv): ExportResult {
  const file = r.file;
  const kept = selectWatchmalEvents(r, sel);
  const names = file.keys('/');
  const w = H5Writer.create(output);
  const written: { path: string; rows: number }[] = [];
  try {
    const rootAttrs = readAttributeSpecs(file, '/', env.skipped);
    const selection = sel.kind === 'where' ? `where: ${sel.expr}` : `indices: ${kept.join(',')}`;
    const selectionAttr = selection.length > 60000 ? `${selection.slice(0, 60000)}…` : selection;
    for (const a of provenanceAttributes(
      env,
      file.path,
      [
        ['selection', selectionAttr],
        ['n_events', kept.length],
      ],
      'h5py',
    ))
      setAttr(rootAttrs, a);
    w.rootAttributes(rootAttrs);

    // new event_hits_index: starts of the kept events in the concatenated hits
    const newStarts = new BigInt64Array(kept.length);
    let total = 0;
    kept.forEach((i, k) => {
      newStarts[k] = BigInt(total);
      total += r.eventStart[i + 1] - r.eventStart[i];
    });

    names.forEach((name, di) => {
      env.checkCancel();
      env.progress({ phase: 'copy', done: di, total: names.length, current: `/${name}` });
      const path = `/${name}`;
      const kind = file.kindOf(path);
      if (kind === 'group') {
        env.skipped.push(`${path} (group; WatChMaL files are flat)`);
        return;
      }
      if (kind !== 'dataset') return;
      const meta = file.metadata(path);
      const shape = meta.shape ?? [];
      const rest = shape.slice(1);
      const attrs = readAttributeSpecs(file, path, env.skipped);
      const type = meta as unknown as TypeDesc;
      const rowBytes = rest.reduce((a, b) => a * b, 1) * meta.size;
      if (r.kind === 'watchmal-hits' && name === 'event_hits_index') {
        const dw = w.dataset(path, { type: 0, size: 8, signed: true }, [], chunkOptions(meta, 8, env.level));
        dw.appendRows(new Uint8Array(newStarts.buffer), kept.length);
        dw.finish(attrs);
        written.push({ path, rows: kept.length });
        return;
      }
      if (r.kind === 'watchmal-hits' && HIT_ARRAYS.has(name) && shape.length === 1 && shape[0] === r.nHits) {
        const dw = w.dataset(path, type, [], chunkOptions(meta, meta.size, env.level));
        for (const i of kept) {
          env.checkCancel();
          const s = r.eventStart[i];
          const c = r.eventStart[i + 1] - s;
          if (c > 0) dw.appendRows(readRawHyperslab(file, path, [s], [c], meta.size), c);
        }
        dw.finish(attrs);
        written.push({ path, rows: dw.nRows });
        return;
      }
      if (shape.length >= 1 && shape[0] === r.nEvents) {
        if (isVlenString(type)) {
          const all = readStrings(file, path, 0, r.nEvents);
          const dw = w.stringDataset(
            path,
            kept.map((i) => all[i]),
            chunkOptions(meta, 16, env.level),
            meta.cset ?? 1,
          );
          dw.finish(attrs);
        } else {
          const dw = w.dataset(path, type, rest, chunkOptions(meta, rowBytes, env.level));
          // read in blocks of rows and pick the kept ones (kept is ascending)
          const block = Math.max(1, Math.floor((8 << 20) / Math.max(1, rowBytes)));
          let k = 0;
          while (k < kept.length) {
            env.checkCancel();
            const start = kept[k];
            const count = Math.min(block, r.nEvents - start);
            const raw = readRawHyperslab(file, path, [start, ...rest.map(() => 0)], [count, ...rest], meta.size);
            while (k < kept.length && kept[k] < start + count) {
              const off = (kept[k] - start) * rowBytes;
              dw.appendRows(raw.subarray(off, off + rowBytes), 1);
              k++;
            }
          }
          dw.finish(attrs);
        }
        written.push({ path, rows: kept.length });
        return;
      }
      // anything else (not per event, not per hit) is copied as it is
      written.push({ path, rows: copyDataset(file, w, path, attrs, env) });
    });
    env.progress({ phase: 'finish', done: names.length, total: names.length });
    w.close();
  } catch (err) {
    w.abort();
    throw err;
  }
  return {
    output,
    kind: r.kind,
    nEvents: kept.length,
    kept: kept.map((index) => ({ index })),
    datasets: written,
    bytes: w.bytesWritten,
  };
}
