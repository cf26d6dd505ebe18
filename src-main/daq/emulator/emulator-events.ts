/**
 * Where the DAQ emulator's events come from: the simulated array (a pool of
 * events generated once from a seed, then cycled with new event ids and
 * times, so the emulator costs little CPU at high rates) or a DL1 file's
 * images read through the HDF5 worker (cycled over the file; obs_id grows
 * by one per pass so ids stay unique).
 */
import type { DaqSubarray } from '../protocol/daq-protocol.js';
import type { RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { ArraySimulation } from '../../../src-worker/simulation/array-simulation.js';
import { defaultSubarray } from '../../../src-worker/instrument/default-subarray.js';
import { loadCameraGeometry } from '../../../src-worker/io/assets/load-camera-geometry.js';
import type { CameraGeometry } from '../../../src-worker/containers/camera-geometry.js';
import { Hdf5Client } from '../../files/hdf5-client.js';
import { Dl1Files, type Dl1FileRef } from '../../files/dl1-files.js';
import { DL1_PATHS } from '../../../src-worker/io/dl1/dl1-layout.js';

export interface EmulatorEvents {
  readonly subarray: DaqSubarray;
  /** true: send the events' own obs_id and event_id (replay); false: the server numbers them */
  readonly keepIds: boolean;
  /** the next event's images (the time is set by the server) */
  next(): RawArrayEvent | undefined;
  /** events ready without waiting */
  readonly ready: number;
  /** true when there will be no more events (a replay without looping at its end) */
  readonly done?: boolean;
  close(): Promise<void>;
}

export class SimulatedEvents implements EmulatorEvents {
  readonly subarray: DaqSubarray;
  readonly keepIds = false;
  private pool: RawArrayEvent[] = [];
  private i = 0;

  constructor(poolSize = 500, seed = 1, layout: DaqSubarray = defaultSubarray) {
    this.subarray = structuredClone(layout);
    const geoms = new Map<string, CameraGeometry>();
    for (const t of this.subarray.telescopes) if (!geoms.has(t.camera)) geoms.set(t.camera, loadCameraGeometry(t.camera));
    const sim = new ArraySimulation(this.subarray.telescopes, geoms, this.subarray.pointing, seed);
    for (let k = 0; k < poolSize; k++) {
      const e = sim.nextTriggeredEvent();
      this.pool.push({ obsId: 1, eventId: e.eventId, time: 0, images: e.telescopes.map((t) => ({ telId: t.telId, image: t.image, peakTime: t.peakTime })) });
    }
  }

  get ready(): number {
    return Infinity;
  }

  next(): RawArrayEvent {
    const e = this.pool[this.i++ % this.pool.length];
    return { ...e };
  }

  async close(): Promise<void> {}
}

/** Replays a DL1 file's images (its subarray, obs_id and event_id; cycling when `loop`). */
export class ReplayEvents implements EmulatorEvents {
  readonly keepIds = true;
  private buffer: RawArrayEvent[] = [];
  private index = 0;
  private pass = 0;
  private fetching = false;
  private ended = false;
  error: Error | undefined;

  private constructor(
    readonly subarray: DaqSubarray,
    private readonly client: Hdf5Client,
    private readonly files: Dl1Files,
    private readonly ref: Dl1FileRef,
    private readonly loop: boolean,
    private readonly prefetch = 256,
  ) {}

  static async open(path: string, loop = true): Promise<ReplayEvents> {
    const client = new Hdf5Client();
    try {
      const { fileId, summary } = await client.open(path);
      const nEvents = summary.eventCount;
      if (!summary.format.offers.includes('replay') || nEvents === 0)
        throw new Error(`${path} is not a ctapipe DL1 file with events (it is ${summary.format.label}); replay needs ${DL1_PATHS.images}`);
      const files = new Dl1Files(() => client);
      const ref: Dl1FileRef = { fileId, path, summary, info: { eventCount: nEvents } };
      const d = await files.subarray(ref);
      // the file's own event ids go out as they are: their gaps are not losses
      const subarray: DaqSubarray = { name: d.name, pointing: d.pointing, telescopes: d.telescopes.map((t) => ({ ...t })), eventIds: 'source' };
      const r = new ReplayEvents(subarray, client, files, ref, loop);
      await r.fill();
      return r;
    } catch (err) {
      await client.dispose();
      throw err;
    }
  }

  get ready(): number {
    return this.buffer.length;
  }

  /** true when a non-looping replay has sent every event */
  get done(): boolean {
    return this.ended && this.buffer.length === 0;
  }

  private async fill(): Promise<void> {
    if (this.fetching || this.ended) return;
    this.fetching = true;
    try {
      const n = this.ref.info.eventCount;
      while (this.buffer.length < this.prefetch && !this.ended) {
        const ev = await this.files.event(this.ref, this.index);
        const images = ev.telescopes.map((t) => ({ telId: t.telId, image: t.image, peakTime: t.peakTime }));
        this.buffer.push({ obsId: ev.obsId + this.pass, eventId: ev.eventId, time: ev.time, images });
        this.index++;
        if (this.index >= n) {
          if (!this.loop) this.ended = true;
          this.index = 0;
          this.pass++;
        }
      }
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      this.ended = true;
    } finally {
      this.fetching = false;
    }
  }

  next(): RawArrayEvent | undefined {
    const e = this.buffer.shift();
    if (this.buffer.length < this.prefetch / 2) void this.fill();
    return e;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
