/**
 * The DAQ emulator replaying a sim_telarray file (`lightpool daq --replay
 * FILE.simtel.zst`): each event calibrated as ctapipe does (R0 → R1 → DL1
 * images and peak times, SimtelDL1Processor), the subarray from the file
 * (telescope descriptions, cameras, equivalent focal lengths, positions,
 * the run's pointing), the file's obs_id and event ids (obs_id + 1 per pass
 * when looping). With waveforms on (the default), each image frame carries
 * the telescope's R1 waveforms in the protocol's waveform block: float32, or
 * int16 when asked or when float32 would not fit a frame; a telescope whose
 * waveforms fit neither is sent without them (said once in `notes`).
 * Calibration events are skipped, as ctapipe-process skips them.
 *
 * The file is read in order, one event per `next()`, in the emulator's
 * thread: sim_telarray files are simulations replayed at modest rates.
 */
import type { DaqCameraGeometry, DaqSubarray, DaqWaveformInput } from '../protocol/daq-protocol.js';
import { toAnnouncement } from '../../../src-worker/instrument/announced-geometry.js';
import { DAQ_HEADER_BYTES, DAQ_MAX_FRAME_BYTES } from '../protocol/daq-protocol.js';
import { DAQ_WAVEFORM_HEADER_BYTES } from '../protocol/daq-waveform-block.js';
import type { RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { openSimtelFile, type SimtelEvent, type SimtelFile } from '../../../src-worker/io/simtel/index.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor } from '../../../src-worker/io/simtel/simtel-dl1.js';
import { simtelTelDescription } from '../../../src-worker/io/simtel/simtel-dl1-instrument.js';
import type { EmulatorEvents } from './emulator-events.js';

const RAD2DEG = 180 / Math.PI;

export interface SimtelReplayOptions {
  /** start again at the end (obs_id + 1 per pass); default true */
  loop?: boolean;
  /** send R1 waveforms (default true) */
  waveforms?: boolean;
  /** waveform samples as float32 (default) or scaled int16 */
  waveformEncoding?: 'float32' | 'int16';
}

/** bytes of the subarray frame's JSON at most: room under the frame limit (DAQ_MAX_FRAME_BYTES) */
const MAX_SUBARRAY_JSON = DAQ_MAX_FRAME_BYTES - DAQ_HEADER_BYTES - 4096;

/**
 * The file's camera geometries as the subarray frame announces them (each
 * camera once): the geometry ctapipe builds from the file, so live views
 * and recordings use it, also for cameras Lightpool does not ship. When they
 * would not fit one frame, the largest are left out (`left` names them).
 */
export function simtelDaqCameras(f: SimtelFile, base: DaqSubarray): { cameras: Record<string, DaqCameraGeometry>; left: string[] } {
  const byName = new Map<string, DaqCameraGeometry>();
  for (const t of f.subarray.telescopes) if (!byName.has(t.camera.name)) byName.set(t.camera.name, toAnnouncement(t.camera.geometry));
  const names = [...byName.keys()].sort((a, b) => byName.get(a)!.pix_x.length - byName.get(b)!.pix_x.length);
  const left: string[] = [];
  for (;;) {
    const cameras = Object.fromEntries(names.map((n) => [n, byName.get(n)!]));
    if (names.length === 0 || new TextEncoder().encode(JSON.stringify({ ...base, cameras })).length <= MAX_SUBARRAY_JSON) return { cameras, left };
    left.push(names.pop()!);
  }
}

/** The subarray a DAQ announces for a sim_telarray file (its camera geometries: simtelDaqCameras). */
export function simtelDaqSubarray(f: SimtelFile): DaqSubarray {
  // the run's alt/az (tracking mode 0); a run pointed in ra/dec has none: 70° alt as a stand-in
  const alt = f.run.pointing.altitude;
  const az = f.run.pointing.azimuth;
  return {
    name: f.subarray.name || `sim_telarray run ${f.run.obsId}`,
    // float32 in the file: 90° comes out a hair above 90
    pointing: { alt: alt === undefined ? 70 : Math.max(-90, Math.min(90, alt * RAD2DEG)), az: az === undefined ? 0 : (((az * RAD2DEG) % 360) + 360) % 360 },
    telescopes: [...f.subarray.telescopes]
      .sort((a, b) => a.telId - b.telId)
      .map((t) => ({
        telId: t.telId,
        type: simtelTelDescription(t),
        camera: t.camera.name,
        focalLength: t.optics.equivalentFocalLength,
        position: [t.posX, t.posY, t.posZ] as [number, number, number],
      })),
    eventIds: 'source',
  };
}

export class SimtelReplayEvents implements EmulatorEvents {
  readonly keepIds = true;
  readonly subarray: DaqSubarray;
  /** what the replay could not send as asked */
  readonly notes: string[] = [];
  private file: SimtelFile;
  private events: Generator<SimtelEvent>;
  private processor: SimtelDL1Processor;
  private pass = 0;
  private ended = false;
  error: Error | undefined;
  /** events sent */
  sent = 0;

  private constructor(
    readonly path: string,
    private readonly opts: Required<SimtelReplayOptions>,
  ) {
    this.file = SimtelReplayEvents.openFile(path);
    const base = simtelDaqSubarray(this.file);
    const { cameras, left } = simtelDaqCameras(this.file, base);
    this.subarray = { ...base, cameras };
    if (left.length)
      this.note(`camera geometries of ${left.join(', ')} not announced: the subarray frame would exceed the protocol's ${DAQ_MAX_FRAME_BYTES} bytes`);
    this.processor = this.newProcessor();
    this.events = this.file.iterEvents(SIMTEL_DL1_EVENT_PARTS);
  }

  static open(path: string, options: SimtelReplayOptions = {}): SimtelReplayEvents {
    return new SimtelReplayEvents(path, { loop: true, waveforms: true, waveformEncoding: 'float32', ...options });
  }

  private static openFile(path: string): SimtelFile {
    // the equivalent focal length when the file has no effective one (the subarray announces the equivalent one)
    return openSimtelFile(path, { index: 'lazy', sequential: true, focalLengthChoice: 'AUTO' });
  }

  private newProcessor(): SimtelDL1Processor {
    return new SimtelDL1Processor(this.file.subarray, { source: this.file.path, calibration: { keepR1Waveforms: this.opts.waveforms } });
  }

  get ready(): number {
    return this.ended ? 0 : Infinity;
  }

  get done(): boolean {
    return this.ended;
  }

  private note(n: string): void {
    if (!this.notes.includes(n)) this.notes.push(n);
  }

  /** the waveform block of one telescope, or undefined when it fits no frame */
  private waveformOf(telId: number, nPixels: number, nSamples: number, samplingRateGHz: number, r1: Float32Array | Float64Array): DaqWaveformInput | undefined {
    if (r1.length !== nPixels * nSamples) {
      this.note(`telescope ${telId}: R1 of ${r1.length / (nPixels * nSamples)} channels (no gain selection): sent without waveforms`);
      return undefined;
    }
    const samples = r1 instanceof Float32Array ? r1.slice() : Float32Array.from(r1);
    const fits = (bytesPerSample: number) =>
      DAQ_HEADER_BYTES + 8 * nPixels + DAQ_WAVEFORM_HEADER_BYTES + nPixels * nSamples * bytesPerSample + 3 <= DAQ_MAX_FRAME_BYTES;
    let encoding = this.opts.waveformEncoding;
    if (encoding === 'float32' && !fits(4)) {
      encoding = 'int16';
      this.note(`telescope ${telId}: float32 waveforms of ${nPixels} × ${nSamples} samples exceed a frame: sent as int16`);
    }
    if (!fits(2)) {
      this.note(`telescope ${telId}: waveforms of ${nPixels} × ${nSamples} samples exceed a frame even as int16: sent without waveforms`);
      return undefined;
    }
    return { nSamples, samplingRateGHz, samples, encoding };
  }

  next(): RawArrayEvent | undefined {
    if (this.ended) return undefined;
    try {
      for (let guard = 0; guard < 2; guard++) {
        for (;;) {
          const r = this.events.next();
          if (r.done) break;
          const ev = r.value;
          const dl1 = this.processor.process(ev, { fresh: true });
          if (dl1.skipped) continue;
          const rates = new Map(this.file.subarray.telescopes.map((t) => [t.telId, t.camera.readout.samplingRate]));
          const nSamplesOf = new Map(ev.tel.map((te) => [te.telId, te.r0.nSamples]));
          this.sent++;
          return {
            obsId: ev.obsId + this.pass,
            eventId: ev.eventId,
            time: ev.trigger.timeS + ev.trigger.timeNs * 1e-9,
            images: dl1.tel.map((t) => {
              const waveform =
                this.opts.waveforms && t.r1 ? this.waveformOf(t.telId, t.image.length, nSamplesOf.get(t.telId)!, rates.get(t.telId)!, t.r1) : undefined;
              return waveform ? { telId: t.telId, image: t.image, peakTime: t.peakTime, waveform } : { telId: t.telId, image: t.image, peakTime: t.peakTime };
            }),
          };
        }
        // end of the file
        if (!this.opts.loop || this.sent === 0) break;
        this.file.close();
        this.pass++;
        this.file = SimtelReplayEvents.openFile(this.path);
        this.processor = this.newProcessor();
        this.events = this.file.iterEvents(SIMTEL_DL1_EVENT_PARTS);
      }
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
    }
    this.ended = true;
    return undefined;
  }

  async close(): Promise<void> {
    this.file.close();
  }
}
