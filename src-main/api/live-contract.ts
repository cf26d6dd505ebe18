/**
 * The live-monitoring part of the API: DAQ sources over TCP, run control of the
 * live source (the built-in simulated array or a DAQ stream), histograms,
 * rates and pixel maps aggregated in the backend, alarms, recording to
 * DL1-layout HDF5, and the ring buffer of the newest events.
 *
 * Every processed event is counted in the backend; the renderer only receives
 * pre-binned results at display rate (histograms and status ~2 Hz, rates
 * ~2 Hz, pixel maps ~1 Hz). Arrays travel as typed arrays (binary on the wire,
 * see wire-codec.ts). Units are ctapipe's: p.e., deg, ns, m, s, Hz.
 *
 * Which source feeds the aggregation (one at a time, all with the same run
 * control and status): the simulated array by default. After
 * `live.connect` the DAQ stream does (the simulation is stopped; a new run:
 * histograms, rates, pixel maps, ring and alarms start empty). After
 * `live.disconnect` the DAQ stays the source (state 'stopped', its final
 * counters and histograms kept; `live.control {action: 'start'}` reconnects);
 * `live.simulate` makes the simulated array the source again (a new run);
 * `live.replay` replays an open DL1 file's images as the source (a new run).
 */
import { z } from 'zod';
import type { ArrayEvent } from './event-types.js';
import type { RotatingRecorderStatus } from '../../src-worker/io/dl1/recording-status.js';

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/** `tcp://host:port` of a DAQ stream, or `zmq+tcp://host:port` (`zmq://`) of a ZeroMQ publisher (see src-main/daq/protocol/daq-protocol.md; parseDaqUrl in daq-url.ts). */
const daqUrl = z
  .string()
  .min(1)
  .max(300)
  .regex(
    /^(tcp|zmq\+tcp|zmq):\/\/[A-Za-z0-9_.:\-[\]]+:\d{1,5}$/,
    'a DAQ address looks like tcp://host:port (e.g. tcp://127.0.0.1:5555), or zmq+tcp://host:port for a ZeroMQ publisher',
  );

/** Names of the histograms the backend fills (see LiveHistogram.name). */
export const liveHistogramNames = [
  'intensity',
  'width',
  'length',
  'skewness',
  'kurtosis',
  'n_islands',
  'n_pixels',
  'time_gradient',
  'multiplicity',
  'reco_delta_alt',
  'reco_delta_az',
  'reco_offset',
  'h_max',
  'theta2',
] as const;
export type LiveHistogramName = (typeof liveHistogramNames)[number];

const thresholdsSchema = z
  .object({
    minRateHz: z.number().finite().min(0).max(1e6),
    rateWindowSeconds: z.number().finite().min(1).max(600),
    telescopeSilentSeconds: z.number().finite().min(1).max(3600),
    maxHotPixels: z.number().int().min(0).max(100_000),
    maxDeadPixels: z.number().int().min(0).max(100_000),
    hotPixelFactor: z.number().finite().min(1).max(1000),
    disconnectedSeconds: z.number().finite().min(0).max(3600),
  })
  .strict();

export const liveRequestSchemas = {
  /** connect to a DAQ stream; the DAQ becomes the live source (the simulation is stopped) */
  'live.connect': z.object({ url: daqUrl }).strict(),
  /** close the DAQ connection (state 'stopped'); no more retries */
  'live.disconnect': z.object({}).strict(),
  /**
   * the simulated array becomes the live source again (a new run) and starts, optionally at `rateHz`
   * and with another layout: a built-in one ('default': 4 LST + 4 MST; 'lst': the 4 LSTs alone; 'cta-south': 55 telescopes, CTA-South-like) or
   * the subarray of an open DL1 file (its telescopes, cameras, focal lengths and pointing)
   */
  'live.simulate': z
    .object({
      rateHz: z.number().finite().min(0.1).max(100_000).optional(),
      layout: z.union([z.enum(['default', 'lst', 'cta-south']), z.object({ fileId: z.string().min(1).max(200) }).strict()]).optional(),
    })
    .strict(),
  /** an open ctapipe DL1 file's images replayed as the live source (a new run), at `rateHz` (default 10), cycling unless `loop` is false */
  'live.replay': z
    .object({ fileId: z.string().min(1).max(200), rateHz: z.number().finite().min(0.1).max(100_000).optional(), loop: z.boolean().optional() })
    .strict(),
  /** run control of the current live source (simulation, DAQ or replay) */
  'live.control': z.object({ action: z.enum(['start', 'pause', 'resume', 'stop']) }).strict(),
  /** the live source's event rate, Hz (the simulation's or a replay's; a DAQ sets its own and refuses) */
  'live.configure': z.object({ rateHz: z.number().finite().min(0.1).max(100_000) }).strict(),
  'live.status': z.object({}).strict(),
  /** change some alarm thresholds (the others keep their values); replies with all of them */
  'live.alarms.configure': z.object({ thresholds: thresholdsSchema.partial() }).strict(),
  /** active alarms, thresholds and the alarm log */
  'live.alarms': z.object({}).strict(),
  /** mark an active alarm as seen (it stays active while its condition holds) */
  'live.alarms.acknowledge': z.object({ id: z.string().min(1).max(200) }).strict(),
  /** record every received event to DL1-layout HDF5 files in `dir` */
  'live.record.start': z
    .object({
      dir: z.string().min(1).max(4096),
      /** file name prefix, default "lightpool_live" */
      prefix: z
        .string()
        .min(1)
        .max(100)
        .regex(/^[A-Za-z0-9_.-]+$/)
        .optional(),
      /** start a new file after this many MB (1e6 bytes) of image data, default 500 */
      rotateMB: z.number().finite().min(0.01).max(1e6).optional(),
      /** start a new file after this many seconds, default 600 */
      rotateSeconds: z.number().finite().min(1).max(86_400).optional(),
      /**
       * a crash loses at most this many seconds, default 1. Lightpool's HDF5 writer
       * makes a file valid only when it closes it, so a file is closed (and renamed
       * from *.h5.partial to *.h5) at least this often: files cover
       * min(rotateSeconds, flushSeconds) and at most rotateMB.
       */
      flushSeconds: z.number().finite().min(0.2).max(86_400).optional(),
    })
    .strict(),
  'live.record.stop': z.object({}).strict(),
  /** clear histograms (all, or the named ones) */
  'live.histograms.reset': z.object({ names: z.array(z.enum(liveHistogramNames)).max(64).optional() }).strict(),
  /** change the binning of one histogram (clears it) */
  'live.histograms.configure': z
    .object({
      name: z.enum(liveHistogramNames),
      bins: z.number().int().min(1).max(10_000),
      /** in the histogram's unit (for a log10 axis: the unit, not its log; must be > 0) */
      min: z.number().finite(),
      max: z.number().finite(),
      axis: z.enum(['linear', 'log10']).optional(),
    })
    .strict()
    .refine((p) => p.max > p.min, { message: 'max must be greater than min' }),
  /** the current histograms at once (same payload as the stream) */
  'live.histograms': z.object({}).strict(),
  /** the current rates at once (same payload as the stream) */
  'live.rates': z.object({}).strict(),
  /** the current pixel maps at once (same payload as the stream) */
  'live.pixelMaps': z.object({}).strict(),
  /** clear the accumulated pixel maps (all telescopes, or the listed ones) */
  'live.pixelMaps.reset': z.object({ telIds: z.array(z.number().int().nonnegative()).max(1000).optional() }).strict(),
  /**
   * an event from the ring buffer of the newest events: offset 0 is the newest,
   * 1 the one before, ... up to size-1. The ring keeps moving while running;
   * `eventId` in the reply says which one you got.
   */
  /** an event of the ring: by offset from the newest (0), or by its sequence number in the stream (stable while new events arrive) */
  'live.ring': z.object({ offset: z.number().int().nonnegative().max(1_000_000).optional(), sequence: z.number().int().nonnegative().optional() }).strict(),
  /**
   * the R1 waveforms of the listed pixels of a telescope, from the newest event whose stream carried that
   * telescope's waveforms (the DAQ protocol's optional waveform block, e.g. `lightpool daq --replay FILE.simtel.zst`)
   */
  'live.waveforms': z
    .object({
      telId: z.number().int().nonnegative().max(0xffff),
      pixels: z.array(z.number().int().nonnegative().max(1_000_000)).min(1).max(2048),
    })
    .strict(),
} as const satisfies Record<string, z.ZodType>;

// ---------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------

/**
 * Run-control state machine of the live source:
 *
 *   idle --connect/start--> connecting --connected--> running
 *   running <--pause/resume--> paused
 *   running|paused --connection lost--> reconnecting --connected--> running
 *   reconnecting --(retries with exponential backoff 0.25 s .. 10 s, forever)--> ...
 *   any --stop/disconnect--> stopped --start/connect--> connecting|running
 *   any --unrecoverable (bad protocol version, bad URL)--> error
 *
 * The simulation goes idle -> running directly (no connecting).
 * In 'paused', DAQ events keep being received (and recorded when recording) but
 * are not processed or aggregated; they are counted under dropped reason 'paused'.
 */
export type LiveState = 'idle' | 'connecting' | 'running' | 'paused' | 'reconnecting' | 'stopped' | 'error';

/** The kinds of live source: the built-in simulated array, a DAQ stream (TCP or ZeroMQ), a DL1 file replayed. */
export type LiveSourceKind = 'simulation' | 'daq' | 'replay';

/** Why events were dropped before processing. Every dropped event is counted under exactly one reason. */
export type DropReason =
  /**
   * a bounded queue was full: the processing queue (the worker pool could not keep up), or, for a
   * DAQ, the queue from the thread that reads the stream to the backend's main thread (those
   * events are still recorded when recording: the reading thread sends them to the recorder)
   */
  | 'queue-full'
  /** received while paused */
  | 'paused'
  /** a frame that could not be decoded (bad version, bad size, pixel count not matching the camera) */
  | 'bad-frame'
  /** a telescope id that is not in the subarray */
  | 'unknown-telescope'
  /** processing failed in the worker */
  | 'processing-error'
  /** an event cut off by a lost connection (images arrived without their event end) */
  | 'connection-lost'
  /** the simulation could not generate events at the requested rate */
  | 'simulation-busy';

export interface LiveCounters {
  /** array events received from the source (DAQ: complete events assembled from frames) */
  received: number;
  /** array events cleaned, parameterised and aggregated */
  processed: number;
  /** array events sent to at least one renderer's camera views (coalesced, newest wins) */
  displayed: number;
  /** array events dropped before processing, all reasons */
  dropped: number;
  /** dropped array events by reason */
  droppedByReason: Partial<Record<DropReason, number>>;
  /** telescope images received */
  imagesReceived: number;
  /** telescope images processed */
  imagesProcessed: number;
  /**
   * DAQ: event ids skipped in the stream (a jump from id n to n+k counts k−1): events the DAQ
   * server dropped or never sent, e.g. because this client did not read fast enough. Never
   * received, so not in `received` or `dropped`.
   */
  missedUpstream?: number;
  /** bytes received from the source (DAQ: frame bytes incl. headers; simulation: image + peak-time bytes) */
  bytes: number;
  /** events waiting for processing or being processed now (bounded) */
  queued: number;
  /** the bound on `queued`, events (the queue plus the batches the pool may hold) */
  queueCapacity: number;
}

/** The recorder's status (files, counts, last flush, error: see RotatingRecorderStatus) and its settings. */
export interface RecordingStatus extends RotatingRecorderStatus {
  active: boolean;
  /**
   * events offered for recording: every event received while recording (DAQ: also those dropped
   * before processing). Equals eventsWritten once stopped, unless `error` says why not.
   */
  eventsOffered?: number;
  dir?: string;
  rotateMB: number;
  rotateSeconds: number;
  flushSeconds: number;
}

export interface LiveStatus {
  /** which source feeds the aggregation now */
  source: LiveSourceKind;
  /**
   * name of the live source's subarray (the simulated array's, or what the DAQ
   * announced); when it changes, read `instrument.subarray` again
   */
  subarrayName?: string;
  state: LiveState;
  /** DAQ: the address connected to; replay: the file */
  url?: string;
  /** the event rate the source is set to, Hz (simulation, replay); a DAQ sets its own */
  configuredRateHz?: number;
  /** reconnecting: attempt number (1 = first retry) and the wait before it, s */
  reconnectAttempt?: number;
  reconnectDelaySeconds?: number;
  /** one line for the user: what is going on or what went wrong */
  message?: string;
  /** measured array-event (trigger) rate over the last 5 complete seconds, Hz (as LiveRates.currentHz) */
  rateHz: number;
  counters: LiveCounters;
  recording: RecordingStatus;
  /** events in the ring buffer / its capacity */
  ringSize: number;
  ringCapacity: number;
  /** number of active (unacknowledged or acknowledged) alarms */
  activeAlarms: number;
  /**
   * how often the camera views get a new event now, Hz: the display rate, or
   * less while the source drops events for lack of processing capacity
   * (processing comes first: the views yield their share of the CPU)
   */
  displayHz: number;
  /** true while displayHz is lowered because the source drops events for lack of processing capacity */
  displayBusy: boolean;
  /** seconds since the epoch */
  time: number;
}

export interface LiveHistogram {
  name: LiveHistogramName;
  /** axis label with unit, e.g. "width / deg" */
  label: string;
  /** physical unit of the x values ("" for dimensionless, "p.e.", "deg", "deg2", "ns/deg", "m") */
  unit: string;
  /** what one entry is: one telescope image, or one array event */
  per: 'image' | 'event';
  /** 'log10': bins are equally spaced in log10(value); `edges` are still in the unit, not its log */
  axis: 'linear' | 'log10';
  /** bins + 1 bin edges, in the unit */
  edges: Float64Array;
  /** entries per bin (all telescopes) */
  counts: Float64Array;
  /** per telescope id, entries per bin (only for per='image') */
  perTelescope?: Record<number, Float64Array>;
  underflow: number;
  overflow: number;
  /** images/events without this value (no parameters: empty mask, invalid stereo, NaN; or no simulation truth for θ²) */
  invalid: number;
  /** counts + underflow + overflow + invalid = images (per='image') or events (per='event') processed since the last reset */
  total: number;
  /** sum and sum of squares of the in-range values (for mean and rms) */
  sum: number;
  sumSquares: number;
}

/** Stream 'live-histograms' (~2 Hz) and reply of 'live.histograms'. */
export interface LiveHistograms {
  /** increases with each update */
  seq: number;
  source: LiveSourceKind;
  /** array events / telescope images aggregated since the last reset */
  events: number;
  images: number;
  /** seconds since the epoch */
  time: number;
  histograms: LiveHistogram[];
}

/**
 * Stream 'live-rates' (~2 Hz) and reply of 'live.rates'. Rates are binned by arrival time at the
 * backend. DAQ: every received event counts (also those dropped before processing: this is the
 * trigger rate); simulation: every simulated event.
 */
export interface LiveRates {
  /** bin width, s (1) */
  binSeconds: number;
  /** start time of each bin, seconds since the epoch; the last bin is the current (incomplete) second */
  times: Float64Array;
  /** array-event rate per bin, Hz */
  overall: Float64Array;
  /** telescope image rate (telescope triggers in array events) per bin, Hz, by telescope id */
  perTelescope: Record<number, Float64Array>;
  /** mean over the last 5 complete seconds, Hz */
  currentHz: number;
  currentPerTelescopeHz: Record<number, number>;
  /** seconds since the epoch of each telescope's newest image (absent: never seen) */
  lastSeen: Record<number, number>;
}

export interface LivePixelMap {
  telId: number;
  camera: string;
  nPixels: number;
  /** images accumulated since the last reset */
  images: number;
  /** mean charge per pixel, p.e. */
  meanImage: Float32Array;
  /** standard deviation of the charge per pixel, p.e. */
  stdImage: Float32Array;
  /** fraction of images in which the pixel survived cleaning, 0..1 */
  survivalFraction: Float32Array;
  /**
   * pixel indices (0-based, ctapipe pixel order) flagged hot after ≥ 50 images: mean charge
   * > hotPixelFactor × max(median of its neighbours' mean charge, 0.5 p.e.), or cleaning survival
   * fraction > hotPixelFactor × max(mean of its neighbours' survival fraction, 0.01); for
   * cameras without a known geometry the camera medians stand in for the neighbours'
   */
  hotPixels: Uint32Array;
  /** pixel indices flagged dead: charge standard deviation < 1e-3 p.e. after ≥ 50 images (a pixel that never changes) */
  deadPixels: Uint32Array;
}

/** Stream 'live-pixel-maps' (~1 Hz) and reply of 'live.pixelMaps'. */
export interface LivePixelMaps {
  seq: number;
  time: number;
  /** one per telescope seen since the last reset */
  telescopes: LivePixelMap[];
}

export type AlarmKind = 'rate-low' | 'telescope-silent' | 'hot-pixels' | 'dead-pixels' | 'source-disconnected';

export interface LiveAlarm {
  /** stable while the condition lasts, e.g. "telescope-silent:3" */
  id: string;
  kind: AlarmKind;
  severity: 'warning' | 'error';
  /** one line for the banner, e.g. "Telescope 3 silent for 12 s (threshold 10 s)" */
  message: string;
  telId?: number;
  /** seconds since the epoch */
  since: number;
  acknowledged: boolean;
}

export interface AlarmThresholds {
  /** alarm when the array rate (mean over rateWindowSeconds) is below this while running, Hz */
  minRateHz: number;
  /** window for the rate alarm, s */
  rateWindowSeconds: number;
  /** alarm when a telescope seen before sends no image for this long while running, s */
  telescopeSilentSeconds: number;
  /** alarm when a camera has more hot pixels than this */
  maxHotPixels: number;
  /** alarm when a camera has more dead pixels than this */
  maxDeadPixels: number;
  /** a pixel is hot when its mean charge or cleaning survival fraction exceeds this factor × its neighbours' median (charge) or mean (survival) */
  hotPixelFactor: number;
  /** alarm when the DAQ source has been disconnected/reconnecting for this long, s (0 = at once) */
  disconnectedSeconds: number;
}

export interface AlarmLogEntry {
  time: number;
  id: string;
  kind: AlarmKind;
  /** raised, cleared (condition gone) or acknowledged */
  change: 'raised' | 'cleared' | 'acknowledged';
  message: string;
}

/** Stream 'live-alarms' (on every change, and ~1 Hz while alarms are active) and reply of 'live.alarms'. */
export interface LiveAlarms {
  active: LiveAlarm[];
  thresholds: AlarmThresholds;
  /** newest last, at most 500 entries */
  log: AlarmLogEntry[];
}

/** Reply of 'live.ring'. */
export interface LiveRingEvent {
  /** the event's offset from the newest (0), clamped to size-1 */
  offset: number;
  /** the event's sequence number in the stream (-1 when the ring is empty) */
  sequence: number;
  /** the newest event's sequence number */
  newestSequence: number;
  /** true when the sequence asked for was already pushed out of the ring (the oldest held is given) */
  overwritten?: boolean;
  /** events in the ring now */
  size: number;
  capacity: number;
  /** absent when the ring is empty */
  event?: ArrayEvent;
}

/** Reply of 'live.waveforms'. */
export interface LiveWaveforms {
  telId: number;
  /** false when the source has sent no waveforms of this telescope (a DAQ without the waveform block, the simulation, a DL1 replay) */
  available: boolean;
  /** the event the waveforms belong to */
  obsId?: number;
  eventId?: number;
  /** s since the epoch */
  time?: number;
  nSamples?: number;
  /** GHz */
  samplingRateGHz?: number;
  pixels: number[];
  /** per pixel asked for, its nSamples samples (p.e.); empty when not available */
  waveforms: number[][];
  /**
   * per pixel asked for, the image value (p.e.) and peak time (ns) the stream sent with these waveforms
   * (the camera server's extraction: its window is not in the stream); empty when not available
   */
  image: number[];
  peakTime: number[];
}

export interface LiveReplies {
  'live.connect': LiveStatus;
  'live.disconnect': LiveStatus;
  'live.simulate': LiveStatus;
  'live.replay': LiveStatus;
  'live.control': LiveStatus;
  'live.configure': LiveStatus;
  'live.status': LiveStatus;
  'live.alarms.configure': LiveAlarms;
  'live.alarms': LiveAlarms;
  'live.alarms.acknowledge': LiveAlarms;
  'live.record.start': RecordingStatus;
  'live.record.stop': RecordingStatus;
  'live.histograms.reset': LiveHistograms;
  'live.histograms.configure': LiveHistograms;
  'live.histograms': LiveHistograms;
  'live.rates': LiveRates;
  'live.pixelMaps': LivePixelMaps;
  'live.pixelMaps.reset': LivePixelMaps;
  'live.ring': LiveRingEvent;
  'live.waveforms': LiveWaveforms;
}

export interface LiveStreams {
  /** the one status of the live source: run-control state, counters, recording: ~2 Hz and on every state change */
  'live-status': LiveStatus;
  'live-histograms': LiveHistograms;
  'live-rates': LiveRates;
  'live-pixel-maps': LivePixelMaps;
  'live-alarms': LiveAlarms;
}

export const liveStreamNames = [
  'live-status',
  'live-histograms',
  'live-rates',
  'live-pixel-maps',
  'live-alarms',
] as const satisfies readonly (keyof LiveStreams)[];
