/**
 * The image parameters of every telescope image of a sim_telarray file, per
 * telescope, in the columns of ctapipe's /dl1/event/telescope/parameters
 * tables (PARAMETER_COLUMNS: obs_id, event_id, tel_id, hillas_intensity, …,
 * the float32 columns rounded to float32 as ctapipe stores them), computed
 * with SimtelDL1Processor (ctapipe-process's defaults), one row per
 * telescope event as `lightpool process` writes it (calibration events
 * skipped as ctapipe-process skips them), a run of events at a time. What
 * the histograms of a sim_telarray file are made of.
 */
import type { SimtelFile } from './simtel-file.js';
import { SIMTEL_DL1_EVENT_PARTS, type SimtelDL1Processor } from './simtel-dl1.js';
import { PARAMETER_COLUMNS } from '../dl1/dl1-layout.js';

/** One telescope's rows: a Float64Array per column, in `SimtelParameterChunk.columns` order. */
export interface SimtelParameterTable {
  telId: number;
  nRows: number;
  values: Float64Array[];
}

/** The parameter rows of a run of events [start, end) of a file. */
export interface SimtelParameterChunk {
  /** ctapipe's parameter-table columns: name, numpy dtype, unit ('' when none) */
  columns: { name: string; dtype: string; unit: string }[];
  /** telescopes with at least one image in these events, by telescope id */
  tables: SimtelParameterTable[];
  /** the events read: [start, end) */
  start: number;
  end: number;
  /** array events in the file (calibration events included) */
  nEvents: number;
}

const NUMPY_DTYPE: Record<string, string> = {
  f8: '<f8',
  f4: '<f4',
  i8: '<i8',
  i4: '<i4',
  i2: '<i2',
  i1: '|i1',
  u8: '<u8',
  u4: '<u4',
  u2: '<u2',
  u1: '|u1',
  b1: '|b1',
};

/** the parameter-table columns (without running anything) */
export function simtelParameterColumns(): SimtelParameterChunk['columns'] {
  return PARAMETER_COLUMNS.map((c) => ({ name: c.name, dtype: NUMPY_DTYPE[c.type] ?? c.type, unit: c.unit ?? '' }));
}

class GrowingColumns {
  values: Float64Array[];
  n = 0;
  constructor(nColumns: number) {
    this.values = Array.from({ length: nColumns }, () => new Float64Array(64));
  }
  row(): number {
    if (this.n === this.values[0].length) {
      this.values = this.values.map((v) => {
        const next = new Float64Array(v.length * 2);
        next.set(v);
        return next;
      });
    }
    return this.n++;
  }
}

/**
 * Reads events `start`, `start + 1`, … of `file` (random access by index: a truncated file gives its complete
 * events) for about `budgetMs` (at least one event) and parameterises each telescope image with `processor`.
 */
export function simtelParameterChunk(file: SimtelFile, processor: SimtelDL1Processor, start: number, budgetMs: number): SimtelParameterChunk {
  const columns = simtelParameterColumns();
  const f32 = PARAMETER_COLUMNS.map((c) => c.type === 'f4');
  const packedIndex = PARAMETER_COLUMNS.map((c) => processor.parameterColumns.indexOf(c.name));
  const at = (name: string) => PARAMETER_COLUMNS.findIndex((c) => c.name === name);
  const [obsCol, eventCol, telCol] = [at('obs_id'), at('event_id'), at('tel_id')];
  const perTel = new Map<number, GrowingColumns>();
  const n = file.nEvents;
  const t0 = performance.now();
  let i = Math.min(start, n);
  while (i < n && (i === start || performance.now() - t0 < budgetMs)) {
    const event = file.event(i++, SIMTEL_DL1_EVENT_PARTS);
    const dl1 = processor.process(event);
    for (const t of dl1.tel) {
      let g = perTel.get(t.telId);
      if (!g) perTel.set(t.telId, (g = new GrowingColumns(columns.length)));
      const r = g.row();
      for (let c = 0; c < columns.length; c++) {
        const k = packedIndex[c];
        // core_psi: no stereo here, NaN as `lightpool process` writes it
        let v = k >= 0 ? t.parameters[k] : NaN;
        if (f32[c]) v = Math.fround(v);
        g.values[c][r] = v;
      }
      g.values[obsCol][r] = event.obsId;
      g.values[eventCol][r] = event.eventId;
      g.values[telCol][r] = t.telId;
    }
  }
  const tables = [...perTel.entries()].sort((a, b) => a[0] - b[0]).map(([telId, g]) => ({ telId, nRows: g.n, values: g.values.map((v) => v.slice(0, g.n)) }));
  return { columns, tables, start, end: i, nEvents: n };
}
