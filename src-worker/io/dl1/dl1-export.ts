/**
 * Subset export of a ctapipe DL1 file: the selected events written with the
 * same layout. Every table with obs_id and event_id columns (subarray and
 * per-telescope event tables of dl1, dl2 and simulation) keeps exactly the
 * rows of the kept events, in file order; everything else (configuration,
 * service tables) is copied whole; groups, attributes (NROWS updated) and
 * the PyTables/ctapipe metadata come along, plus Lightpool's provenance.
 *
 * Selections: a list of (obs_id, event_id), event indices, or a cut
 * expression on parameter columns. An expression naming telescope columns
 * (those of /dl1/event/telescope/parameters and the true_* ones of
 * /simulation/event/telescope/parameters) keeps an event when at least one
 * of its telescopes passes; event columns (obs_id, event_id, event_type,
 * n_triggered, and the columns of the simulated shower and the DL2 geometry
 * tables) are shared by all its telescopes.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { ChunkCache, TableReader } from '../hdf5/table-reader.js';
import { decodeColumn, toFloat64 } from '../hdf5/column-decode.js';
import type { Dl1Reader } from './dl1-reader.js';
import { DL1_PATHS, telTableName } from './dl1-layout.js';
import { H5Writer } from '../hdf5/writer/h5-writer.js';
import type { TypeDesc } from '../hdf5/writer/datatype-encode.js';
import type { Selection } from '../export/selection.js';
import { cutColumns, parseCut, passes, CutSyntaxError } from '../../selection/cut-expression.js';
import { int64Attr, readAttributeSpecs, setAttr } from '../export/copy-attributes.js';
import { chunkOptions, copyDataset, listTree, provenanceAttributes, type ExportEnv } from '../export/export-common.js';
import type { ExportResult } from '../export/export-types.js';

/** Event-level columns of a cut: trigger columns, n_triggered, shower and DL2 geometry tables. */
function eventColumnSource(r: Dl1Reader): Map<string, () => Float64Array> {
  const n = r.nEvents;
  const src = new Map<string, () => Float64Array>();
  src.set('obs_id', () => r.index.obsId);
  src.set('event_id', () => r.index.eventId);
  src.set('event_type', () => Float64Array.from(r.index.eventType));
  src.set('n_triggered', () => Float64Array.from(r.index.nTriggered));
  const tables = [DL1_PATHS.shower, ...r.reconstructors().map((x) => `${DL1_PATHS.dl2Geometry}/${x}`)];
  for (const path of tables) {
    if (!r.file.hasDataset(path)) continue;
    const t = new TableReader(r.file, path, new ChunkCache(32 << 20));
    if (!t.hasField('obs_id') || !t.hasField('event_id')) continue;
    for (const f of t.fields) {
      if (f.count !== 1 || f.kind === 'string' || src.has(f.name)) continue;
      src.set(f.name, () => {
        const out = new Float64Array(n).fill(NaN);
        const c = t.columns(0, t.nRows, ['obs_id', 'event_id', f.name]);
        const obs = toFloat64(c.obs_id);
        const ev = toFloat64(c.event_id);
        const v = toFloat64(c[f.name]);
        for (let i = 0; i < t.nRows; i++) {
          const e = r.findEvent(obs[i], ev[i]);
          if (e >= 0) out[e] = v[i];
        }
        return out;
      });
    }
  }
  return src;
}

/** Telescope-level tables a cut can use, per telescope. */
function telescopeTables(r: Dl1Reader): { group: string; fields: Set<string> }[] {
  const out: { group: string; fields: Set<string> }[] = [];
  for (const group of [DL1_PATHS.parameters, DL1_PATHS.simParameters]) {
    if (r.file.kindOf(group) !== 'group') continue;
    const fields = new Set<string>();
    for (const k of r.file.keys(group)) {
      const t = new TableReader(r.file, `${group}/${k}`, new ChunkCache(1 << 20));
      for (const f of t.fields) if (f.count === 1 && f.kind !== 'string') fields.add(f.name);
      break; // per-telescope tables of a group share their columns
    }
    out.push({ group, fields });
  }
  return out;
}

/** Which events a selection keeps: flags per event index. */
export function selectDl1Events(r: Dl1Reader, sel: Selection, env: ExportEnv): Uint8Array {
  const n = r.nEvents;
  const keep = new Uint8Array(n);
  const file = r.file.path;
  if (sel.kind === 'events') {
    for (const { obsId, eventId } of sel.events) {
      const i = r.findEvent(obsId, eventId);
      if (i < 0) throw new Hdf5Error('bad-request', `${file}: no event ${obsId}:${eventId} (obs_id:event_id) in the file`, file);
      keep[i] = 1;
    }
    return keep;
  }
  if (sel.kind === 'indices') {
    for (const i of sel.indices) {
      if (i >= n) throw new Hdf5Error('bad-request', `${file}: event index ${i} out of range (the file has ${n} events)`, file);
      keep[i] = 1;
    }
    return keep;
  }
  let tree;
  try {
    tree = parseCut(sel.expr);
  } catch (err) {
    if (err instanceof CutSyntaxError) throw new Hdf5Error('bad-request', `cut expression "${sel.expr}": ${err.message}`, file);
    throw err;
  }
  const names = [...cutColumns(tree)];
  const eventSrc = eventColumnSource(r);
  const telTables = telescopeTables(r);
  const telNames = names.filter((c) => telTables.some((t) => t.fields.has(c)) || c === 'tel_id');
  const unknown = names.filter((c) => !telNames.includes(c) && !eventSrc.has(c));
  if (unknown.length) {
    const known = [...new Set([...telTables.flatMap((t) => [...t.fields]), ...eventSrc.keys()])]
      .filter((c) => !['obs_id', 'event_id'].includes(c))
      .slice(0, 40);
    throw new Hdf5Error(
      'bad-request',
      `cut expression "${sel.expr}": unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in ${file} (columns include: ${known.join(', ')}, ...)`,
      file,
    );
  }
  const eventCols = new Map<string, Float64Array>();
  for (const c of names) if (!telNames.includes(c)) eventCols.set(c, eventSrc.get(c)!());
  if (!telNames.length) {
    for (let i = 0; i < n; i++) {
      env.checkCancel();
      if (passes(tree, (c) => eventCols.get(c)![i])) keep[i] = 1;
    }
    return keep;
  }
  const telIds = r.subarray.telescopes.map((t) => t.telId);
  telIds.forEach((telId, ti) => {
    env.checkCancel();
    env.progress({ phase: 'select', done: ti, total: telIds.length, current: `tel_id ${telId}` });
    // per-event values of this telescope's columns (NaN where it has no row)
    const telCols = new Map<string, Float64Array>();
    let present: Uint8Array | null = null;
    for (const { group, fields } of telTables) {
      const want = telNames.filter((c) => fields.has(c) && !telCols.has(c));
      if (!want.length) continue;
      const path = `${group}/${telTableName(telId)}`;
      if (!r.file.hasDataset(path)) continue;
      const t = new TableReader(r.file, path, new ChunkCache(64 << 20));
      const rowsPresent = new Uint8Array(n);
      for (const c of want) telCols.set(c, new Float64Array(n).fill(NaN));
      const fObs = t.field('obs_id');
      const fEv = t.field('event_id');
      t.scan((raw, _start, count) => {
        env.checkCancel();
        const obs = toFloat64(decodeColumn(raw, t.rowSize, count, fObs));
        const ev = toFloat64(decodeColumn(raw, t.rowSize, count, fEv));
        const vals = want.map((c) => toFloat64(decodeColumn(raw, t.rowSize, count, t.field(c))));
        for (let k = 0; k < count; k++) {
          const e = r.findEvent(obs[k], ev[k]);
          if (e < 0) continue;
          rowsPresent[e] = 1;
          want.forEach((c, j) => (telCols.get(c)![e] = vals[j][k]));
        }
      });
      present = present ? present.map((p, i) => p | rowsPresent[i]) : rowsPresent;
    }
    if (!present) return;
    for (let i = 0; i < n; i++) {
      if (keep[i] || !present[i]) continue;
      const ok = passes(tree, (c) => (c === 'tel_id' ? telId : (telCols.get(c)?.[i] ?? eventCols.get(c)?.[i] ?? NaN)));
      if (ok) keep[i] = 1;
    }
  });
  return keep;
}

function selectionText(sel: Selection, r: Dl1Reader, keep: Uint8Array): string {
  if (sel.kind === 'where') return `where: ${sel.expr}`;
  const ids: string[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) ids.push(`${r.index.obsId[i]}:${r.index.eventId[i]}`);
  const text = `events (obs_id:event_id): ${ids.join(',')}`;
  return text.length > 60000 ? `${text.slice(0, 60000)}…` : text;
}

function telIdOfPath(path: string): number | null {
  const m = /\/tel_(\d+)$/.exec(path);
  return m ? Number(m[1]) : null;
}

export function exportDl1(r: Dl1Reader, sel: Selection, output: string, env: ExportEnv): ExportResult {
  const file = r.file;
  const keep = selectDl1Events(r, sel, env);
  const keptIdx: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) keptIdx.push(i);
  const { groups, datasets } = listTree(file);
  const w = H5Writer.create(output);
  const written: { path: string; rows: number }[] = [];
  try {
    const rootAttrs = readAttributeSpecs(file, '/', env.skipped);
    const provenance = provenanceAttributes(
      env,
      file.path,
      [
        ['selection', selectionText(sel, r, keep)],
        ['n_events', keptIdx.length],
      ],
      'pytables',
    );
    for (const a of provenance) setAttr(rootAttrs, a);
    w.rootAttributes(rootAttrs);
    for (const g of groups) w.group(g, readAttributeSpecs(file, g, env.skipped));

    const cache = new ChunkCache(128 << 20);
    datasets.forEach((path, di) => {
      env.checkCancel();
      env.progress({ phase: 'copy', done: di, total: datasets.length, current: path });
      const meta = file.metadata(path);
      const attrs = readAttributeSpecs(file, path, env.skipped);
      const isEventTable =
        meta.type === 6 &&
        (meta.shape ?? []).length === 1 &&
        (() => {
          const t = new TableReader(file, path, cache);
          return t.hasField('obs_id') && t.hasField('event_id');
        })();
      if (!isEventTable) {
        written.push({ path, rows: copyDataset(file, w, path, attrs, env) });
        return;
      }
      const rows = keptRows(r, path, keep, keptIdx, cache, env);
      const t = new TableReader(file, path, cache);
      const dw = w.dataset(path, meta as unknown as TypeDesc, [], chunkOptions(meta, t.rowSize, env.level));
      for (const row of rows) {
        dw.appendRows(t.rawRows(row, 1), 1);
      }
      if (attrs.some((a) => a.name === 'NROWS')) setAttr(attrs, int64Attr('NROWS', rows.length));
      dw.finish(attrs);
      written.push({ path, rows: rows.length });
    });
    env.progress({ phase: 'finish', done: datasets.length, total: datasets.length });
    w.close();
  } catch (err) {
    w.abort();
    throw err;
  }
  return {
    output,
    kind: 'dl1',
    nEvents: keptIdx.length,
    kept: keptIdx.map((i) => ({ index: i, obsId: r.index.obsId[i], eventId: r.index.eventId[i] })),
    datasets: written,
    bytes: w.bytesWritten,
  };
}

/**
 * Rows of an event table that belong to kept events, ascending. Per-telescope
 * and per-event tables go through the reader's row locators (only the needed
 * chunks are read); other tables are scanned.
 */
function keptRows(r: Dl1Reader, path: string, keep: Uint8Array, keptIdx: number[], cache: ChunkCache, env: ExportEnv): number[] {
  const telId = telIdOfPath(path);
  const perTelescope = telId !== null && path.includes('/event/telescope/');
  const loc = perTelescope ? r.locator(path, telId) : path.includes('/event/subarray/') ? r.locator(path, null) : null;
  if (loc && !loc.scanned) {
    const rows: number[] = [];
    for (const e of keptIdx) {
      env.checkCancel();
      const row = loc.find(e);
      if (row >= 0) rows.push(row);
    }
    return rows.sort((a, b) => a - b);
  }
  // generic: scan the key columns; keeps every row of a kept event (duplicates too)
  const t = new TableReader(r.file, path, cache);
  const fObs = t.field('obs_id');
  const fEv = t.field('event_id');
  const rows: number[] = [];
  t.scan((raw, start, count) => {
    env.checkCancel();
    const obs = toFloat64(decodeColumn(raw, t.rowSize, count, fObs));
    const ev = toFloat64(decodeColumn(raw, t.rowSize, count, fEv));
    for (let k = 0; k < count; k++) {
      const e = r.findEvent(obs[k], ev[k]);
      if (e >= 0 && keep[e]) rows.push(start + k);
    }
  });
  return rows;
}
