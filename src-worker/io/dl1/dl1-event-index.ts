/**
 * The event index of a DL1 file: /dl1/event/subarray/trigger (obs_id,
 * event_id, time, tels_with_trigger, event_type) read column-wise, with a
 * lookup (obs_id, event_id) -> event index, and per telescope the list of
 * events it took part in from /dl1/event/telescope/trigger, which gives the
 * expected row of each event in the per-telescope tables.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import type { H5File } from '../hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../hdf5/table-reader.js';
import { toFloat64 } from '../hdf5/column-decode.js';
import type { Dl1EventIndex } from './dl1-types.js';
import { DL1_PATHS } from './dl1-layout.js';

export class EventLookup {
  private byObs = new Map<number, Map<number, number>>();

  constructor(obsId: Float64Array, eventId: Float64Array) {
    for (let i = 0; i < obsId.length; i++) {
      let m = this.byObs.get(obsId[i]);
      if (!m) this.byObs.set(obsId[i], (m = new Map()));
      if (!m.has(eventId[i])) m.set(eventId[i], i);
    }
  }

  /** Event index of (obs_id, event_id), or -1. */
  find(obsId: number, eventId: number): number {
    return this.byObs.get(obsId)?.get(eventId) ?? -1;
  }
}

export function readEventIndex(file: H5File, cache: ChunkCache, maskTelIds: number[]): Dl1EventIndex {
  if (!file.hasDataset(DL1_PATHS.subarrayTrigger)) {
    throw new Hdf5Error('unknown-layout', `${file.path}: no event list (${DL1_PATHS.subarrayTrigger}); not a ctapipe DL1 file with events`, file.path);
  }
  const t = new TableReader(file, DL1_PATHS.subarrayTrigger, cache);
  const n = t.nRows;
  const want = ['obs_id', 'event_id', 'time', 'tels_with_trigger', 'event_type'].filter((c) => t.hasField(c));
  const decoded = t.columns(0, n, want);
  const obsId = decoded.obs_id ? toFloat64(decoded.obs_id) : new Float64Array(n);
  const eventId = decoded.event_id ? toFloat64(decoded.event_id) : Float64Array.from({ length: n }, (_, i) => i);
  const timeS = new Uint32Array(n);
  const timeQns = new Uint32Array(n);
  if (decoded.time && !Array.isArray(decoded.time)) {
    const time = decoded.time;
    const per = time.length / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      timeS[i] = Number(time[i * per]);
      timeQns[i] = per > 1 ? Number(time[i * per + 1]) : 0;
    }
  }
  const eventType = new Int32Array(n).fill(-1);
  if (decoded.event_type) {
    const et = toFloat64(decoded.event_type);
    for (let i = 0; i < n; i++) eventType[i] = et[i];
  }
  const nTel = maskTelIds.length;
  const telsWithTrigger = new Uint8Array(n * nTel);
  const nTriggered = new Uint16Array(n);
  const mask = decoded.tels_with_trigger;
  if (mask && !Array.isArray(mask)) {
    const per = mask.length / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let j = 0; j < Math.min(per, nTel); j++) {
        const v = Number(mask[i * per + j]) ? 1 : 0;
        telsWithTrigger[i * nTel + j] = v;
        k += v;
      }
      nTriggered[i] = k;
    }
  }
  return { nEvents: n, obsId, eventId, timeS, timeQns, eventType, maskTelIds, telsWithTrigger, nTriggered };
}

/**
 * For each telescope, the event indices of its rows in the per-telescope
 * tables, in row order (from /dl1/event/telescope/trigger). Empty when the
 * file has no telescope trigger table.
 */
export function readTelescopeEventLists(file: H5File, cache: ChunkCache, lookup: EventLookup): Map<number, Int32Array> {
  const out = new Map<number, Int32Array>();
  if (!file.hasDataset(DL1_PATHS.telescopeTrigger)) return out;
  const t = new TableReader(file, DL1_PATHS.telescopeTrigger, cache);
  if (!t.hasField('tel_id') || !t.hasField('obs_id') || !t.hasField('event_id')) return out;
  const c = t.columns(0, t.nRows, ['obs_id', 'event_id', 'tel_id']);
  const obs = toFloat64(c.obs_id);
  const ev = toFloat64(c.event_id);
  const tel = toFloat64(c.tel_id);
  const lists = new Map<number, number[]>();
  for (let i = 0; i < t.nRows; i++) {
    let l = lists.get(tel[i]);
    if (!l) lists.set(tel[i], (l = []));
    l.push(lookup.find(obs[i], ev[i]));
  }
  for (const [id, l] of lists) out.set(id, Int32Array.from(l));
  return out;
}
