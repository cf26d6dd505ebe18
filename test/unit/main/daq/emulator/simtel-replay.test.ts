/**
 * `lightpool daq --replay FILE.simtel.zst`: the emulator serves a sim_telarray
 * file's events calibrated to images (SimtelDL1Processor: what ctapipe-process
 * writes, tested in test/unit/worker/io/simtel/simtel-dl1.test.ts), the
 * subarray from the file, and each telescope's R1 waveforms in the protocol's
 * waveform block; the waveforms equal ctapipe's /r1 table within 1e-5
 * relative, after the DAQ protocol (float32 bit for bit, int16 within its
 * step). End to end: `lightpool daq --replay` in its own process,
 * live.connect, and `live.waveforms {telId, pixels}` gives the newest
 * event's R1 of those pixels, equal to ctapipe's, with the image value and
 * peak time sent in that event (ctapipe's DL1); `--no-waveforms` streams
 * carry none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SimtelReplayEvents } from '../../../../../src-main/daq/emulator/simtel-replay-events.js';
import { DaqFrameDecoder, encodeDaqEvent, type DaqImageFrame } from '../../../../../src-main/daq/protocol/daq-protocol.js';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../../src-worker/io/hdf5/table-reader.js';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/index.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor } from '../../../../../src-worker/io/simtel/simtel-dl1.js';
import { Session, type ConnectionContext } from '../../../../../src-main/session/session.js';
import type { Method, Params, Replies } from '../../../../../src-main/api/contract.js';
import type { ArrayEvent } from '../../../../../src-main/api/event-types.js';
import { validateRequest } from '../../../../../src-main/api/validate.js';
import { startEmulator, type Emulator } from '../../../../helpers/daq-emulator.js';

/** polls `get` until it gives a value (generous: the machine may be busy) */
async function until<T>(get: () => Promise<T | undefined>, o: { timeoutMs: number; what: string }): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > o.timeoutMs) throw new Error(`no ${o.what} within ${o.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/simtel/', import.meta.url));
const FILE = join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst');
const REF = join(FIXTURES, 'lst_muons_with_true_photons.ctapipe.dl1.h5');

/** ctapipe's R1 waveforms of tel 1 by event id: (1, pixels, samples) float32 */
async function referenceR1(): Promise<Map<number, Float32Array>> {
  const f = await H5File.open(REF);
  try {
    const t = new TableReader(f, '/r1/event/telescope/tel_001', new ChunkCache());
    const out = new Map<number, Float32Array>();
    for (let i = 0; i < t.nRows; i++) {
      const r = t.row(i);
      out.set(Number(r.event_id), r.waveform as Float32Array);
    }
    return out;
  } finally {
    f.close();
  }
}

/** ctapipe's DL1 image (p.e.) and peak time (ns) of tel 1 by event id */
async function referenceDl1(): Promise<Map<number, { image: Float32Array; peakTime: Float32Array }>> {
  const f = await H5File.open(REF);
  try {
    const t = new TableReader(f, '/dl1/event/telescope/images/tel_001', new ChunkCache());
    const out = new Map<number, { image: Float32Array; peakTime: Float32Array }>();
    for (let i = 0; i < t.nRows; i++) {
      const r = t.row(i);
      out.set(Number(r.event_id), { image: r.image as Float32Array, peakTime: r.peak_time as Float32Array });
    }
    return out;
  } finally {
    f.close();
  }
}

function maxRelative(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(ours.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i] - ref[i]);
    if (d === 0) continue;
    worst = Math.max(worst, ref[i] === 0 ? Infinity : d / Math.abs(ref[i]));
  }
  return worst;
}

describe('the DAQ emulator replaying a sim_telarray file', () => {
  let r1: Map<number, Float32Array>;
  beforeAll(async () => {
    r1 = await referenceR1();
  });

  it("announces the file's subarray and sends its events' images and R1 waveforms, equal to ctapipe's after the protocol", async () => {
    const replay = SimtelReplayEvents.open(FILE, { loop: false });
    try {
      expect(replay.subarray.eventIds).toBe('source');
      expect(replay.subarray.telescopes).toHaveLength(1);
      const [t] = replay.subarray.telescopes;
      expect(t.telId).toBe(1);
      expect(t.camera).toBe('LSTCam');
      expect(t.type).toBe('LST_LST_LSTCam');
      expect(t.focalLength).toBeCloseTo(28, 0);
      // the same images as the DL1 chain gives (itself tested against ctapipe-process)
      const f = openSimtelFile(FILE, { focalLengthChoice: 'AUTO' });
      const proc = new SimtelDL1Processor(f.subarray);
      const expected = [...f.iterEvents(SIMTEL_DL1_EVENT_PARTS)].map((e) => ({ id: e.eventId, dl1: proc.process(e, { fresh: true }) }));
      f.close();
      const ids: number[] = [];
      for (let e = replay.next(); e; e = replay.next()) {
        const exp = expected[ids.length];
        ids.push(e.eventId);
        expect(e.eventId).toBe(exp.id);
        expect(e.images[0].image).toEqual(exp.dl1.tel[0].image);
        expect(e.images[0].peakTime).toEqual(exp.dl1.tel[0].peakTime);
        // through the protocol
        const frames = new DaqFrameDecoder().push(encodeDaqEvent({ obsId: e.obsId, eventId: e.eventId, time: e.time }, e.images));
        const img = frames[0] as DaqImageFrame;
        expect(img.waveform?.nSamples).toBe(30);
        expect(img.waveform?.samplingRateGHz).toBe(1);
        expect(maxRelative(img.waveform!.samples, r1.get(e.eventId)!)).toBeLessThanOrEqual(1e-5);
      }
      expect(ids).toEqual([100, 200, 300]);
      expect(replay.done).toBe(true);
      expect(replay.error).toBeUndefined();
    } finally {
      await replay.close();
    }
  });

  it('int16 waveforms come back within their quantisation step; --no-waveforms sends none; looping counts obs_id up', async () => {
    const replay = SimtelReplayEvents.open(FILE, { waveformEncoding: 'int16' });
    try {
      const seen: [number, number][] = [];
      for (let k = 0; k < 4; k++) {
        const e = replay.next()!;
        seen.push([e.obsId, e.eventId]);
        const [img] = new DaqFrameDecoder().push(encodeDaqEvent(e, e.images)) as DaqImageFrame[];
        const ref = r1.get(e.eventId)!;
        const min = Math.min(...ref);
        const max = Math.max(...ref);
        let worst = 0;
        for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(img.waveform!.samples[i] - ref[i]));
        expect(img.waveform!.encoding).toBe('int16');
        expect(worst).toBeLessThanOrEqual(((max - min) / 65534) * 0.51 + 1e-5 * Math.max(Math.abs(min), Math.abs(max)));
      }
      expect(seen).toEqual([
        [14, 100],
        [14, 200],
        [14, 300],
        [15, 100],
      ]);
    } finally {
      await replay.close();
    }
    const plain = SimtelReplayEvents.open(FILE, { loop: false, waveforms: false });
    try {
      expect(plain.next()!.images.every((i) => i.waveform === undefined)).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it('a file that is not sim_telarray is refused naming it', () => {
    expect(() => SimtelReplayEvents.open(REF)).toThrow(/lst_muons_with_true_photons\.ctapipe\.dl1\.h5/);
  });
});

describe('live.waveforms over a `lightpool daq --replay FILE.simtel.zst` stream', () => {
  let session: Session;
  const emulators: Emulator[] = [];
  const ctx: ConnectionContext = { transport: 'websocket', tokenRequired: false };
  beforeAll(() => {
    session = new Session({ autoStart: false, threads: 1 });
  });
  afterAll(async () => {
    for (const e of emulators) await e.kill('SIGTERM');
    await session.close();
  });
  async function call<M extends Method>(method: M, params: Params<M>): Promise<Replies[M]> {
    const v = validateRequest({ type: 'request', id: 1, method, params });
    if (!v.ok) throw new Error(v.message);
    return session.handle(method, v.request.params as Params<M>, ctx);
  }

  it("gives the newest event's R1 of the pixels asked for, equal to ctapipe's /r1; a stream without waveforms says so", async () => {
    const r1 = await referenceR1();
    const daq = await startEmulator(['--replay', FILE, '--port', '0', '--rate', '20', '--quiet']);
    emulators.push(daq);
    expect(daq.output()).toContain('R1 waveforms: float32');
    await call('live.connect', { url: daq.url });
    const pixels = [0, 17, 1000, 1854];
    const w = await until(
      async () => {
        const r = await call('live.waveforms', { telId: 1, pixels });
        return r.available ? r : undefined;
      },
      { timeoutMs: 60_000, what: 'live.waveforms of telescope 1' },
    );
    expect(w.nSamples).toBe(30);
    expect(w.samplingRateGHz).toBe(1);
    expect(w.pixels).toEqual(pixels);
    const ref = r1.get(w.eventId!)!;
    expect(ref, `event ${w.eventId}`).toBeDefined();
    pixels.forEach((p, k) => expect(maxRelative(w.waveforms[k], ref.subarray(p * 30, (p + 1) * 30))).toBeLessThanOrEqual(1e-5));
    // with them, the image value and peak time the stream sent for those pixels in that event: ctapipe's DL1
    const dl1 = (await referenceDl1()).get(w.eventId!)!;
    expect(dl1, `DL1 of event ${w.eventId}`).toBeDefined();
    expect(w.image).toHaveLength(pixels.length);
    pixels.forEach((p, k) => {
      expect(Math.abs(w.image[k] - dl1.image[p])).toBeLessThanOrEqual(Math.max(1e-3, 1e-4 * Math.abs(dl1.image[p])));
      if (dl1.image[p] >= 1) expect(Math.abs(w.peakTime[k] - dl1.peakTime[p])).toBeLessThanOrEqual(1e-3);
    });
    // the images went on to the live processing as ever
    await until(async () => ((await call('live.status', {})).counters.processed > 0 ? true : undefined), { timeoutMs: 60_000, what: 'processed events' });
    await expect(call('live.waveforms', { telId: 1, pixels: [1855] })).rejects.toThrow(/1855 pixels \(0\.\.1854\); no pixel 1855/);
    const none = await call('live.waveforms', { telId: 2, pixels: [0] });
    expect(none.available).toBe(false);
    expect(none.image).toEqual([]);

    const plain = await startEmulator(['--replay', FILE, '--port', '0', '--rate', '20', '--quiet', '--no-waveforms']);
    emulators.push(plain);
    await call('live.connect', { url: plain.url });
    await until(async () => ((await call('live.status', {})).counters.received > 0 ? true : undefined), { timeoutMs: 60_000, what: 'events received' });
    expect((await call('live.waveforms', { telId: 1, pixels })).available).toBe(false);
  }, 180_000);

  it("a camera Lightpool does not ship (HESS-1U): processed and drawn with the geometry the stream's subarray frame announced", async () => {
    const hess = join(FIXTURES, 'gamma_with_obslevel_particles.simtel.zst');
    const daq = await startEmulator(['--replay', hess, '--port', '0', '--rate', '20', '--quiet']);
    emulators.push(daq);
    await call('live.connect', { url: daq.url });
    // the stream's subarray first (until it arrives, the previous stream's is current and its last events may still be processed)
    await until(async () => ((await call('instrument.subarray', {})).telescopes.some((t) => t.camera === 'HESS-1U') ? true : undefined), {
      timeoutMs: 60_000,
      what: "the HESS-1U stream's subarray",
    });
    expect((await call('instrument.subarray', {})).telescopes.map((t) => t.camera)).toEqual(['HESS-1U']);
    // the geometry the views ask for is the one ctapipe builds from the file (the DL1 chain's)
    const g = await call('instrument.geometry', { camera: 'HESS-1U' });
    const f = openSimtelFile(hess, { focalLengthChoice: 'EQUIVALENT' });
    const fileGeometry = f.subarray.telescopes[0].camera.geometry;
    f.close();
    expect(g.nPixels).toBe(960);
    expect(Array.from(g.pixX)).toEqual(Array.from(fileGeometry.pixX));
    expect(Array.from(g.pixY)).toEqual(Array.from(fileGeometry.pixY));
    expect(Array.from(g.pixArea)).toEqual(Array.from(fileGeometry.pixArea));
    expect(g.pixType).toBe(fileGeometry.pixType);
    // and its images went through the live processing: the event the views get has them, cleaned
    const w = await until(
      async () => {
        const r = await call('live.waveforms', { telId: 1, pixels: [0, 959] });
        return r.available ? r : undefined;
      },
      { timeoutMs: 60_000, what: 'live.waveforms of the HESS-1U telescope' },
    );
    expect(w.image).toHaveLength(2);
    // processed: the views get HESS-1U events with their cleaning masks (the live processing took the geometry from the frame)
    const processed = await new Promise<ArrayEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no processed HESS-1U event within 60 s')), 60_000);
      const on = (e: ArrayEvent) => {
        if (!e.telescopes.some((i) => i.camera === 'HESS-1U' && i.mask)) return;
        clearTimeout(timer);
        session.off('array-event', on);
        resolve(e);
      };
      session.on('array-event', on);
    });
    const img = processed.telescopes.find((i) => i.camera === 'HESS-1U')!;
    expect(img.image).toHaveLength(960);
    expect(img.mask).toHaveLength(960);
  }, 180_000);
});
