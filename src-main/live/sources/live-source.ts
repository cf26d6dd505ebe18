/**
 * What every live source is to the live service: the built-in simulated
 * array (simulation-source.ts), a DAQ stream over TCP or ZeroMQ
 * (daq-source.ts), a DL1 file replayed (replay-source.ts). The service
 * keeps one `LiveSource` and knows nothing of its kind: run control
 * (start, pause, resume, stop), one status shape, the subarray, the events
 * (processed batches with their pixel sums, the telescopes of every event
 * received for the trigger rate) and recording.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LiveCounters, LiveSourceKind, LiveState } from '../../api/live-contract.js';
import type { LiveProcessedEvent, LiveWaveform, PixelSums, RawArrayEvent } from '../../../src-worker/live/live-types.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';

export type { LiveSourceKind } from '../../api/live-contract.js';

/** The one status shape of every live source. */
export interface LiveSourceStatus {
  kind: LiveSourceKind;
  state: LiveState;
  /** one line for the user: what is going on or what went wrong */
  message?: string;
  /** where the events come from (a DAQ's address, a replayed file's path) */
  url?: string;
  /** the event rate the source is set to, Hz (simulation, replay); a DAQ sets its own */
  configuredRateHz?: number;
  /** reconnect bookkeeping of a source that retries a lost connection */
  reconnect?: { attempt: number; delaySeconds: number; downSince: number | undefined };
  /** every counter of the live status but `displayed` (which the connections count) */
  counters: Omit<LiveCounters, 'displayed'>;
  /** events dropped so far because processing could not keep up (the camera views back off while this grows) */
  busyDropped: number;
}

/** A telescope's newest R1 waveforms and the event they came with. */
export interface LatestWaveform {
  obsId: number;
  eventId: number;
  /** s since the epoch */
  time: number;
  waveform: LiveWaveform;
  /** the telescope's image (p.e.) and peak times (ns) of that event, as the stream sent them (copies: the originals go to the workers) */
  image: Float32Array;
  peakTime: Float32Array;
}

/** Where a source sends what it receives while recording. */
export interface RecordSink {
  /** one received event, on this thread */
  record(e: RawArrayEvent): void;
  /** a port the recorder reads events from, for a source that records from a thread of its own */
  openFeed(): MessagePort | undefined;
}

export interface LiveSourceEvents {
  /**
   * processed events with the pixel-map sums of their batch; their pixel
   * arrays may be views into slabs that go back to the pool once the live
   * ring lets go of them: a listener that keeps images beyond that copies them
   */
  processed: [LiveProcessedEvent[], PixelSums[]];
  /** the telescopes of events as they arrive, for the trigger rate: every event, also those dropped before processing */
  triggered: [telIds: number[][]];
  /** the state (or its message) changed */
  status: [];
  /** the source's subarray changed (another layout, or what a DAQ announced) */
  subarray: [SubarrayDescription];
}

export interface LiveSource {
  readonly kind: LiveSourceKind;
  // the events, one signature each (a source's emitter may carry more events of its own)
  on(event: 'processed', listener: (...args: LiveSourceEvents['processed']) => void): unknown;
  on(event: 'triggered', listener: (...args: LiveSourceEvents['triggered']) => void): unknown;
  on(event: 'status', listener: (...args: LiveSourceEvents['status']) => void): unknown;
  on(event: 'subarray', listener: (...args: LiveSourceEvents['subarray']) => void): unknown;
  off(event: 'processed', listener: (...args: LiveSourceEvents['processed']) => void): unknown;
  off(event: 'triggered', listener: (...args: LiveSourceEvents['triggered']) => void): unknown;
  off(event: 'status', listener: (...args: LiveSourceEvents['status']) => void): unknown;
  off(event: 'subarray', listener: (...args: LiveSourceEvents['subarray']) => void): unknown;
  /** the events are simulated (recordings say so) */
  readonly simulated: boolean;
  readonly subarray: SubarrayDescription;
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  status(): LiveSourceStatus;
  /** the event rate, Hz, for sources that are set to one; throws (naming why) for a source that sets its own */
  setRate(rateHz: number): void;
  /** a new run: counters from zero */
  resetCounters(): void;
  /** a source whose stream can carry R1 waveforms: a telescope's newest, with its event */
  latestWaveform?(telId: number): LatestWaveform | undefined;
  /** record every received event from now on, or stop doing so (undefined) */
  recordTo(sink: RecordSink | undefined): void;
  /** stops for good (awaits threads and files the source holds) */
  close(): Promise<void>;
}
