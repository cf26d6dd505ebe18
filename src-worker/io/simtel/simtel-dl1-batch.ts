/**
 * sim_telarray → DL1 spread over threads (`lightpool process FILE.simtel.zst
 * --threads N`, src-main/process/process-simtel.ts):
 *
 * - a reader thread (`startSimtelReader`) decodes the EventIO stream in
 *   order (reading and decompression are sequential) and hands batches of
 *   events on as `SimtelWireEvent`s: what the DL1 writer and the calibration
 *   need, no more (not the raw objects), each event's ADC samples and true
 *   image in an ArrayBuffer of its own, transferred, not copied;
 * - calibration workers of the pool run `runSimtelDl1Batch` on a batch: R0 →
 *   DL1 → cleaning → parameters, and the true-image parameters, with one
 *   SimtelDL1Processor per run and worker (the file's subarray read from the
 *   file's header there), returning the results and the samples they were
 *   given, transferred;
 * - the main thread orders the batches and writes them.
 *
 * `dl1OfEvent` is what one event becomes, the same on every path (one
 * thread or many).
 */
import type { MessagePort } from 'node:worker_threads';
import { openSimtelFile } from './simtel-file.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor, type TelescopeDL1 } from './simtel-dl1.js';
import type { SimtelEvent, SimtelShower, SimtelTelescopeEvent } from './simtel-types.js';
import type { SimtelCalibrationOptions } from '../../calib/simtel-calibration.js';
import type { TailcutsOptions } from '../../image/tailcuts.js';
import { N_PARAMETER_COLUMNS, packDefaultImageParameters } from '../../image/parameter-columns.js';
import { newQualityCounts, type QualityCounts, type QualityCriterion } from '../../selection/quality-query.js';

/** A telescope event as it travels between threads. */
export interface SimtelWireTelescope {
  telId: number;
  r0: SimtelTelescopeEvent['r0'];
  /** shared by the events with the same monitoring: cloned once per message */
  pedestalPerSample: Float32Array | null;
  dcToPe: Float32Array | null;
  timeShift: Float32Array | null;
  pointing: { azimuth: number; altitude: number };
  trueImage: Int32Array | null;
  trueImageSum: number;
}

/** An array event as it travels between threads: what the DL1 output and the calibration use. */
export interface SimtelWireEvent {
  obsId: number;
  eventId: number;
  kind: SimtelEvent['kind'];
  trigger: {
    eventType: number;
    timeS: number;
    timeNs: number;
    telsWithTrigger: number[];
    tel: Map<number, { timeNs: number; nTriggerPixels: number }>;
  };
  shower: SimtelShower | null;
  tel: SimtelWireTelescope[];
}

/** The buffers of an array of its own (a view into a larger buffer is copied). */
function own<T extends Uint16Array | Uint32Array | Int32Array>(a: T): T {
  return a.slice() as T;
}

/** A decoded event for another thread: its samples and true image copied into buffers of their own (the reader's may be shared or reused). */
export function wireEvent(e: SimtelEvent): SimtelWireEvent {
  const tel = new Map<number, { timeNs: number; nTriggerPixels: number }>();
  for (const [id, t] of e.trigger.tel) tel.set(id, { timeNs: t.timeNs, nTriggerPixels: t.nTriggerPixels });
  return {
    obsId: e.obsId,
    eventId: e.eventId,
    kind: e.kind,
    trigger: { eventType: e.trigger.eventType, timeS: e.trigger.timeS, timeNs: e.trigger.timeNs, telsWithTrigger: [...e.trigger.telsWithTrigger], tel },
    shower: e.shower,
    tel: e.tel.map((te) => ({
      telId: te.telId,
      r0: { ...te.r0, waveform: own(te.r0.waveform) },
      pedestalPerSample: te.pedestalPerSample,
      dcToPe: te.dcToPe,
      timeShift: te.timeShift,
      pointing: { ...te.pointing },
      trueImage: te.trueImage ? own(te.trueImage) : null,
      trueImageSum: te.trueImageSum,
    })),
  };
}

/** The per-event buffers of wire events (samples, true images), to transfer. */
export function wireBuffers(events: readonly SimtelWireEvent[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const e of events) {
    for (const te of e.tel) {
      out.push(te.r0.waveform.buffer as ArrayBuffer);
      if (te.trueImage) out.push(te.trueImage.buffer as ArrayBuffer);
    }
  }
  return out;
}

/** What one event becomes: DL1 per telescope and the true-image parameters (null: none written for that telescope). */
export interface SimtelEventDl1 {
  tel: TelescopeDL1[];
  /** per `tel` entry of the event (not of `tel` above) */
  trueParameters: Map<number, Float64Array>;
  skipped?: string;
}

type Dl1Input = Pick<SimtelEvent, 'eventId' | 'kind'> & { tel: readonly SimtelTelescopeEvent[] };

/**
 * One event through the processor. With `fresh` every array is new (to keep
 * or transfer); otherwise they are the processor's buffers, valid until its
 * next event, and `scratch` holds the true-parameter buffers per telescope.
 */
export function dl1OfEvent(processor: SimtelDL1Processor, event: Dl1Input, fresh: boolean, scratch?: Map<number, Float64Array>): SimtelEventDl1 {
  const dl1 = processor.process(event as SimtelEvent, { fresh });
  const trueParameters = new Map<number, Float64Array>();
  if (dl1.skipped) return { tel: [], trueParameters, skipped: dl1.skipped };
  for (const te of event.tel) {
    let packed = fresh ? undefined : scratch?.get(te.telId);
    if (!packed) {
      packed = new Float64Array(N_PARAMETER_COLUMNS);
      if (!fresh) scratch?.set(te.telId, packed);
    }
    if (processor.processTrueImage(te, packed) !== null) trueParameters.set(te.telId, packed);
    else if (Number.isFinite(te.trueImageSum)) {
      // the output's true image is then all -1 (see SimtelDl1Output): ctapipe's default true parameters, uncounted,
      // so that ctapipe's HDF5EventSource finds the table it reads beside a true image
      packDefaultImageParameters(packed, 0);
      trueParameters.set(te.telId, packed);
    }
  }
  return { tel: dl1.tel, trueParameters };
}

/** The settings of one run, the same for every batch of it. */
export interface SimtelDl1Job {
  /** identifies the run: a worker keeps one processor per job */
  id: string;
  path: string;
  focalLengthChoice: 'EFFECTIVE' | 'EQUIVALENT';
  cleaning: Record<number, TailcutsOptions>;
  calibration: Record<number, SimtelCalibrationOptions>;
  quality: readonly QualityCriterion[] | null;
}

export interface SimtelDl1Task {
  kind: 'simtel-dl1';
  job: SimtelDl1Job;
  events: SimtelWireEvent[];
}

export interface SimtelDl1Result {
  kind: 'simtel-dl1';
  results: { tel: TelescopeDL1[]; trueTelIds: number[]; trueParameters: Float64Array[]; skipped?: string }[];
  /** the events' samples and true images, given back (they were transferred here) */
  events: SimtelWireEvent[];
  /** the quality query's counts over this batch */
  qualityCounts: QualityCounts | null;
}

const JOBS = new Map<string, SimtelDL1Processor>();
const JOBS_MAX = 2;

function processorOf(job: SimtelDl1Job): SimtelDL1Processor {
  let p = JOBS.get(job.id);
  if (p) return p;
  const file = openSimtelFile(job.path, { index: 'lazy', sequential: true, focalLengthChoice: job.focalLengthChoice });
  try {
    p = new SimtelDL1Processor(file.subarray, {
      source: job.path,
      calibration: (t) => job.calibration[t.telId] ?? {},
      cleaning: (t) => {
        const c = job.cleaning[t.telId];
        if (!c) throw new RangeError(`telescope ${t.telId}: no cleaning settings`);
        return c;
      },
      quality: job.quality,
    });
  } finally {
    file.close();
  }
  JOBS.set(job.id, p);
  while (JOBS.size > JOBS_MAX) JOBS.delete(JOBS.keys().next().value as string);
  return p;
}

/** A batch of events through the run's processor (in a pool worker). */
export function runSimtelDl1Batch(task: SimtelDl1Task): { result: SimtelDl1Result; transfer: ArrayBuffer[] } {
  const processor = processorOf(task.job);
  const before = processor.qualityCounts ? { counts: processor.qualityCounts.counts.slice(), cumulative: processor.qualityCounts.cumulative.slice() } : null;
  const results: SimtelDl1Result['results'] = [];
  const transfer: ArrayBuffer[] = wireBuffers(task.events);
  for (const e of task.events) {
    const r = dl1OfEvent(processor, e as unknown as Dl1Input, true);
    const trueTelIds = [...r.trueParameters.keys()];
    const trueParameters = [...r.trueParameters.values()];
    results.push({ tel: r.tel, trueTelIds, trueParameters, skipped: r.skipped });
    for (const t of r.tel) {
      transfer.push(t.image.buffer as ArrayBuffer, t.peakTime.buffer as ArrayBuffer, t.mask.buffer as ArrayBuffer, t.selected.buffer as ArrayBuffer);
      transfer.push(t.parameters.buffer as ArrayBuffer, t.pixelStatus.buffer as ArrayBuffer);
      if (t.selectedGainChannel) transfer.push(t.selectedGainChannel.buffer as ArrayBuffer);
      if (t.r1) transfer.push(t.r1.buffer as ArrayBuffer);
    }
    for (const p of trueParameters) transfer.push(p.buffer as ArrayBuffer);
  }
  let qualityCounts: QualityCounts | null = null;
  if (before && processor.qualityCounts) {
    qualityCounts = newQualityCounts(before.counts.length - 1);
    for (let i = 0; i < before.counts.length; i++) {
      qualityCounts.counts[i] = processor.qualityCounts.counts[i] - before.counts[i];
      qualityCounts.cumulative[i] = processor.qualityCounts.cumulative[i] - before.cumulative[i];
    }
  }
  // a buffer listed twice cannot be transferred (e.g. two views of one calibration result)
  return { result: { kind: 'simtel-dl1', results, events: task.events, qualityCounts }, transfer: [...new Set(transfer)] };
}

/** What the reader thread is started with (`workerData.lightpoolSimtelReader`). */
export interface SimtelReaderData {
  path: string;
  focalLengthChoice: 'EFFECTIVE' | 'EQUIVALENT';
  /** a batch ends after this many events or this many sample bytes */
  batchEvents: number;
  batchBytes: number;
  /** set: the reader calibrates each batch itself (`lightpool process --threads 2`: one thread reads and calibrates, the main thread writes) */
  job?: SimtelDl1Job;
}

/** Reader → main thread. */
export type SimtelReaderMessage =
  | { type: 'batch'; events: SimtelWireEvent[]; done: false; result?: SimtelDl1Result }
  | { type: 'done'; events: SimtelWireEvent[]; done: true; warnings: string[]; result?: SimtelDl1Result }
  | { type: 'error'; message: string };

/**
 * The reader thread: decodes the file in order and, for each `'next'`
 * message, posts one batch (the last one says `done`, with the file's
 * warnings). It reads only when asked: the main thread bounds the memory.
 */
export function startSimtelReader(port: MessagePort, data: SimtelReaderData): void {
  let iter: Iterator<SimtelEvent> | null = null;
  let file: ReturnType<typeof openSimtelFile> | null = null;
  port.on('message', (m: { type: 'next' }) => {
    if (m.type !== 'next') return;
    try {
      if (!file) {
        file = openSimtelFile(data.path, { index: 'lazy', sequential: true, focalLengthChoice: data.focalLengthChoice });
        iter = file.iterEvents(SIMTEL_DL1_EVENT_PARTS)[Symbol.iterator]();
      }
      const events: SimtelWireEvent[] = [];
      let bytes = 0;
      let done = false;
      while (events.length < data.batchEvents && bytes < data.batchBytes) {
        const n = iter!.next();
        if (n.done) {
          done = true;
          break;
        }
        const w = wireEvent(n.value);
        for (const te of w.tel) bytes += te.r0.waveform.byteLength;
        events.push(w);
      }
      const calibrated = data.job && events.length ? runSimtelDl1Batch({ kind: 'simtel-dl1', job: data.job, events }) : null;
      const transfer = calibrated ? calibrated.transfer : wireBuffers(events);
      const result = calibrated?.result;
      if (done) {
        const warnings = [...file.warnings];
        file.close();
        const msg: SimtelReaderMessage = { type: 'done', events, done: true, warnings, result };
        port.postMessage(msg, transfer);
        return;
      }
      const msg: SimtelReaderMessage = { type: 'batch', events, done: false, result };
      port.postMessage(msg, transfer);
    } catch (err) {
      try {
        file?.close();
      } catch {
        // closing after a read error: the error told is the read's
      }
      const msg: SimtelReaderMessage = { type: 'error', message: err instanceof Error ? err.message : String(err) };
      port.postMessage(msg);
    }
  });
}
