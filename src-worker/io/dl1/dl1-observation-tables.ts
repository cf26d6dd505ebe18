/**
 * What ctapipe's HDF5EventSource reads besides the instrument and the events
 * (compare test/fixtures/samples, written by ctapipe 0.26):
 *
 *   /configuration/observation/scheduling_block    sb_id, sb_type, producer_id, observing_mode, pointing_mode
 *   /configuration/observation/observation_block   obs_id, sb_id, producer_id, state, subarray_pointing_lat/lon (deg),
 *                                                  subarray_pointing_frame, scheduled_duration (min),
 *                                                  scheduled_start_time, actual_start_time (MJD, TAI), actual_duration (min)
 *   root attributes                                CTA reference metadata ("CTA PRODUCT DATA MODEL VERSION" ...)
 *
 * One observation and one scheduling block per obs_id recorded (sb_id =
 * obs_id, as ctapipe does for simulations). A live stream knows its obs_id,
 * the array pointing (alt/az) and when its events came; the rest is written
 * as ctapipe writes what it does not know (checked with ctapipe 0.26): -1
 * (UNKNOWN) for its enums, NaN for the scheduled duration, and for the
 * scheduled start its NAN_TIME, which is MJD 0 (TAI), not NaN: ctapipe's
 * HDF5EventSource turns the column into an astropy Time, which refuses NaN. The enum columns carry ctapipe's pickled enum class, as ctapipe
 * writes them, so its table reader gives back enum members.
 *
 * A sim_telarray run (`simulation`) is written as ctapipe's
 * SimTelEventSource fills its blocks instead: producer_id 'simulation',
 * sb_type OBSERVATION (0), pointing_mode DRIFT (1), state
 * COMPLETED_SUCCEDED (1), scheduled and actual start the run header's time
 * (not the first event's), and both durations NaN.
 */
import { randomUUID } from 'node:crypto';
import type { H5Writer, AttrSpec } from '../hdf5/writer/h5-writer.js';
import { asciiAttr, stringAttr } from '../export/copy-attributes.js';
import { layoutOf, maxLen, RowWriter, tableAttrs, type Col } from './dl1-table-layout.js';
import type { SubarrayDescription } from '../../containers/subarray.js';
import { DATA_MODEL_VERSION, DL1_PATHS, OBS_ID_DESCRIPTION, TAI_MINUS_UTC_S } from './dl1-layout.js';
import { unixToMjdTai } from './unix-time-tai.js';

/** ctapipe's UNKNOWN member of its observation enums */
const UNKNOWN = -1;
/** CoordinateFrameType.ALTAZ */
const ALTAZ = 0;
/** SchedulingBlockType.OBSERVATION */
const SB_OBSERVATION = 0;
/** PointingMode.DRIFT */
const DRIFT = 1;
/** ObservationBlockState.COMPLETED_SUCCEDED (sic) */
const COMPLETED_SUCCEEDED = 1;
/** SimTelEventSource's producer_id */
const SIMULATION_PRODUCER = 'simulation';
/** MJD of the Unix epoch */
const MJD_UNIX_EPOCH = 40587;
/** ctapipe's NAN_TIME (`Time(0, format="mjd", scale="tai")`): the time it writes when it does not know one */
export const CTAPIPE_UNKNOWN_MJD = 0;

/** a pickled ctapipe enum class, as PyTables stores it (protocol 0) */
export const ctapipeEnumClass = (name: string) => `cctapipe.containers\n${name}\np0\n.`;

/** what ctapipe writes beyond a column's name, description and unit: its enum class, or a time format */
interface FieldExtra {
  enumName?: string;
  /** MJD in TAI */
  time?: boolean;
}

function extraAttrs(extras: FieldExtra[]): AttrSpec[] {
  const out: AttrSpec[] = [];
  extras.forEach((m, i) => {
    if (m.enumName) out.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'enum'), asciiAttr(`CTAFIELD_${i}_ENUM`, ctapipeEnumClass(m.enumName)));
    if (m.time)
      out.push(stringAttr(`CTAFIELD_${i}_TRANSFORM`, 'time'), stringAttr(`CTAFIELD_${i}_TIME_FORMAT`, 'mjd'), stringAttr(`CTAFIELD_${i}_TIME_SCALE`, 'tai'));
  });
  return out;
}

/** a column as ctapipe's HDF5TableWriter names and describes it */
const col = (name: string, type: Col['type'], desc: string, more: Partial<Col> = {}): Col => ({ name, type, field: name, desc, ...more });

function table(w: H5Writer, path: string, cols: Col[], rows: RowWriter, extras: FieldExtra[], title: string): void {
  const ds = w.dataset(path, layoutOf(cols).type, [], { chunkRows: Math.max(1, rows.nRows), deflateLevel: 5, shuffle: true });
  if (rows.nRows) ds.appendRows(rows.bytes, rows.nRows);
  ds.finish([...tableAttrs(cols, rows.nRows, title), ...extraAttrs(extras), stringAttr('CTAPIPE_VERSION', '0.26.0')]);
}

/** seconds since the Unix epoch (UTC) as MJD in TAI */
export function mjdTai(unixSeconds: number): number {
  return (unixSeconds + TAI_MINUS_UTC_S) / 86400 + MJD_UNIX_EPOCH;
}

export interface ObservationInfo {
  subarray: SubarrayDescription;
  /** per obs_id recorded: the times of its first and last events, s since the Unix epoch (UTC) */
  observations: Map<number, { first: number; last: number }>;
  /**
   * A sim_telarray run: the blocks as ctapipe's SimTelEventSource fills
   * them, with its run header's time (unix s, UTC) as the scheduled and
   * actual start of every observation.
   */
  simulation?: { runStartTime: number };
}

export function writeObservationTables(w: H5Writer, info: ObservationInfo): void {
  const obsIds = [...info.observations.keys()].sort((a, b) => a - b);
  const sim = info.simulation;
  const producer = sim ? SIMULATION_PRODUCER : info.subarray.name || 'unknown';
  const producerLen = maxLen([producer]);

  const sbCols: Col[] = [
    col('sb_id', 'u8', 'Scheduling block ID'),
    col('sb_type', 'i8', 'Type of scheduling block'),
    col('producer_id', 'i8', "Origin of the sb_id, i.e. name of the telescope site or 'simulation'", { str: producerLen }),
    col('observing_mode', 'i8', 'Defines how observations within the Scheduling Block are distributed in space'),
    col('pointing_mode', 'i8', 'Defines how the telescope drives move'),
  ];
  const sb = new RowWriter(layoutOf(sbCols), obsIds.length);
  obsIds.forEach((id, i) => {
    sb.u64(i, 'sb_id', id);
    sb.i64(i, 'sb_type', sim ? SB_OBSERVATION : UNKNOWN);
    sb.str(i, 'producer_id', producer, producerLen);
    sb.i64(i, 'observing_mode', UNKNOWN);
    sb.i64(i, 'pointing_mode', sim ? DRIFT : UNKNOWN);
  });
  table(
    w,
    DL1_PATHS.schedulingBlock,
    sbCols,
    sb,
    [{}, { enumName: 'SchedulingBlockType' }, {}, { enumName: 'ObservingMode' }, { enumName: 'PointingMode' }],
    'Storage of SchedulingBlockContainer',
  );

  const obCols: Col[] = [
    col('obs_id', 'u8', OBS_ID_DESCRIPTION),
    col('sb_id', 'u8', 'ID of the parent SchedulingBlock'),
    col('producer_id', 'i8', "Origin of the obs_id, i.e. name of the telescope site or 'simulation'", { str: producerLen }),
    col('state', 'i8', 'State of this OB'),
    col('subarray_pointing_lat', 'f8', 'latitude of the nominal center coordinate of this observation', { unit: 'deg' }),
    col('subarray_pointing_lon', 'f8', 'longitude of the nominal center coordinate of this observation', { unit: 'deg' }),
    col(
      'subarray_pointing_frame',
      'i8',
      'Frame in which the subarray_target is non-moving. If the frame is ALTAZ, the meaning of (lon,lat) is (azimuth, altitude) while for ICRS it is (right-ascension, declination)',
    ),
    col('scheduled_duration', 'f8', 'expected duration from scheduler', { unit: 'min' }),
    col('scheduled_start_time', 'f8', 'expected start time from scheduler'),
    col('actual_start_time', 'f8', 'true start time'),
    col('actual_duration', 'f8', 'true duration', { unit: 'min' }),
  ];
  const { alt, az } = info.subarray.pointing;
  const ob = new RowWriter(layoutOf(obCols), obsIds.length);
  obsIds.forEach((id, i) => {
    const t = info.observations.get(id)!;
    ob.u64(i, 'obs_id', id);
    ob.u64(i, 'sb_id', id);
    ob.str(i, 'producer_id', producer, producerLen);
    ob.i64(i, 'state', sim ? COMPLETED_SUCCEEDED : UNKNOWN);
    ob.f64(i, 'subarray_pointing_lat', alt);
    ob.f64(i, 'subarray_pointing_lon', az);
    ob.i64(i, 'subarray_pointing_frame', Number.isFinite(alt) && Number.isFinite(az) ? ALTAZ : UNKNOWN);
    ob.f64(i, 'scheduled_duration', NaN);
    ob.f64(i, 'scheduled_start_time', sim ? unixToMjdTai(sim.runStartTime) : CTAPIPE_UNKNOWN_MJD);
    ob.f64(i, 'actual_start_time', sim ? unixToMjdTai(sim.runStartTime) : mjdTai(t.first));
    ob.f64(i, 'actual_duration', sim ? NaN : (t.last - t.first) / 60);
  });
  table(
    w,
    DL1_PATHS.observationBlock,
    obCols,
    ob,
    [{}, {}, {}, { enumName: 'ObservationBlockState' }, {}, {}, { enumName: 'CoordinateFrameType' }, {}, { time: true }, { time: true }, {}],
    'Storage of ObservationBlockContainer',
  );
}

/** "2026-11-21 13:02:20.430", as ctapipe writes its times */
function ctaTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The CTA reference metadata at the root, the keys ctapipe writes; the
 * data model version says which ctapipe reads the file.
 */
export function referenceMetadata(opts: { simulated: boolean; instrument: string; started: Date; levels: string }): AttrSpec[] {
  const now = new Date();
  const entries: [string, string][] = [
    ['CTA ACTIVITY ID', randomUUID()],
    ['CTA ACTIVITY NAME', 'lightpool record'],
    ['CTA ACTIVITY SOFTWARE NAME', 'lightpool'],
    ['CTA ACTIVITY SOFTWARE VERSION', '0.1.0'],
    ['CTA ACTIVITY START TIME', ctaTime(opts.started)],
    ['CTA ACTIVITY STOP TIME', ctaTime(now)],
    ['CTA ACTIVITY TYPE', 'software'],
    ['CTA CONTACT EMAIL', 'unknown'],
    ['CTA CONTACT NAME', 'unknown'],
    ['CTA CONTACT ORGANIZATION', 'unknown'],
    ['CTA INSTRUMENT CLASS', 'Subarray'],
    ['CTA INSTRUMENT ID', opts.instrument || 'unknown'],
    ['CTA INSTRUMENT SITE', 'Other'],
    ['CTA INSTRUMENT SUBTYPE', 'unspecified'],
    ['CTA INSTRUMENT TYPE', 'unspecified'],
    ['CTA INSTRUMENT VERSION', 'unspecified'],
    ['CTA PROCESS ID', 'unknown'],
    ['CTA PROCESS SUBTYPE', ''],
    ['CTA PROCESS TYPE', opts.simulated ? 'Simulation' : 'Observation'],
    ['CTA PRODUCT CREATION TIME', ctaTime(now)],
    ['CTA PRODUCT DATA ASSOCIATION', 'Subarray'],
    ['CTA PRODUCT DATA CATEGORY', opts.simulated ? 'Sim' : 'Other'],
    ['CTA PRODUCT DATA LEVELS', opts.levels],
    ['CTA PRODUCT DATA MODEL NAME', 'ASWG'],
    ['CTA PRODUCT DATA MODEL URL', ''],
    ['CTA PRODUCT DATA MODEL VERSION', DATA_MODEL_VERSION],
    ['CTA PRODUCT DESCRIPTION', 'Lightpool live recording'],
    ['CTA PRODUCT FORMAT', 'hdf5'],
    ['CTA PRODUCT ID', randomUUID()],
    ['CTA REFERENCE VERSION', '1'],
  ];
  return entries.map(([k, v]) => stringAttr(k, v));
}
