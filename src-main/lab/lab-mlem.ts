/**
 * The Compton-imaging side of the lab service: a system matrix of an open
 * HDF5 file loaded into an MLEM worker (MlemClient: one worker thread per
 * matrix), iterations run on request with the image after each one sent on
 * the 'lab-mlem' stream — coalesced to display rate (newest wins; the last
 * image of a run always goes out) — Stop ending a run after the iteration in
 * progress, a new run continuing from there, Reset going back to the
 * backprojection.
 */
import type { z } from 'zod';
import type { labRequestSchemas, MlemImageMessage, MlemState } from '../api/lab-contract.js';
import type { MlemLoaded } from '../../src-worker/lab/compton/mlem-protocol.js';
import { ApiError, errorMessage } from '../util/errors.js';
import { MlemClient } from './mlem-client.js';
import type { LabFiles } from './lab-signals.js';

type P<M extends keyof typeof labRequestSchemas> = z.infer<(typeof labRequestSchemas)[M]>;

interface MlemSession {
  state: MlemState;
  client: MlemClient;
  backprojection: Float64Array;
  image: Float64Array;
  run?: Promise<void>;
  /** a coalesced image waiting to go out */
  timer?: ReturnType<typeof setTimeout>;
  lastEmit: number;
}

/** at most this many matrices are loaded (each holds a worker thread and its matrix); loading another closes the oldest idle one */
const MAX_LOADED = 2;
/** least time between two images of a run on the stream, ms: 0.5 MB each (181 × 361 float64) to every window, at most 5 a second */
const EMIT_INTERVAL_MS = 200;

export function imageMaximum(image: ArrayLike<number>, nCols: number): MlemState['maximum'] {
  let k = 0;
  for (let i = 1; i < image.length; i++) if (image[i] > image[k]) k = i;
  return { row: Math.floor(k / nCols), column: k % nCols, value: image.length ? image[k] : NaN };
}

export class LabMlem {
  private readonly sessions = new Map<string, MlemSession>();
  private seq = 0;

  constructor(
    private readonly files: LabFiles,
    private readonly emit: (m: MlemImageMessage) => void,
    private readonly newClient: () => MlemClient = () => new MlemClient(),
  ) {}

  list(): MlemState[] {
    return [...this.sessions.values()].map((s) => ({ ...s.state }));
  }

  private session(mlemId: string): MlemSession {
    const s = this.sessions.get(mlemId);
    if (!s) throw new ApiError('not-found', `no system matrix "${mlemId}" is loaded (it was closed, or replaced by a newer one): load it again`);
    return s;
  }

  private message(s: MlemSession, extra: Partial<MlemImageMessage> = {}): MlemImageMessage {
    s.state.maximum = imageMaximum(s.image, s.state.imageShape[1]);
    return { ...s.state, image: s.image, ...extra };
  }

  async load(p: P<'lab.mlem.load'>): Promise<MlemImageMessage> {
    const f = this.files.file(p.fileId);
    const client = this.newClient();
    let loaded: MlemLoaded;
    try {
      loaded = await client.load({ file: f.path, dataset: p.dataset, imageShape: p.imageShape, sensitivity: p.sensitivity });
    } catch (err) {
      await client.close();
      throw new ApiError('bad-request', `cannot load ${p.dataset} of ${f.path} as a system matrix: ${errorMessage(err)}`);
    }
    const mlemId = `mlem-${++this.seq}`;
    const state: MlemState = {
      mlemId,
      fileId: p.fileId,
      file: f.path,
      dataset: loaded.dataset,
      format: loaded.format,
      dtype: loaded.dtype,
      nCones: loaded.nCones,
      nPixels: loaded.nPixels,
      nnz: loaded.nnz,
      imageShape: loaded.imageShape,
      shapeFrom: loaded.shapeFrom,
      axes: loaded.axes,
      engine: loaded.engine,
      hasSensitivity: loaded.hasSensitivity,
      iteration: 0,
      running: false,
      maximum: imageMaximum(loaded.backprojection, loaded.imageShape[1]),
    };
    const s: MlemSession = { state, client, backprojection: loaded.backprojection, image: loaded.backprojection, lastEmit: 0 };
    this.sessions.set(mlemId, s);
    await this.evict(mlemId);
    return this.message(s);
  }

  private async evict(keep: string): Promise<void> {
    while (this.sessions.size > MAX_LOADED) {
      const victim =
        [...this.sessions.values()].find((s) => s.state.mlemId !== keep && !s.state.running) ??
        [...this.sessions.values()].find((s) => s.state.mlemId !== keep);
      if (!victim) return;
      await this.close(victim.state.mlemId);
    }
  }

  private flush(s: MlemSession, extra: Partial<MlemImageMessage> = {}): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    s.lastEmit = performance.now();
    if (this.sessions.get(s.state.mlemId) === s) this.emit(this.message(s, extra));
  }

  run(p: P<'lab.mlem.run'>): MlemState {
    const s = this.session(p.mlemId);
    if (s.state.running) throw new ApiError('bad-request', `MLEM on ${s.state.dataset} is running already: stop it first`);
    s.state.running = true;
    // the worker posts an image every iteration of a short run, every 1 % of a long one, and every 0.1 s
    const every = p.iterations <= 100 ? 1 : Math.ceil(p.iterations / 100);
    const t0 = performance.now();
    s.run = s.client
      .run(
        p.iterations,
        (it) => {
          s.image = it.image;
          s.state.iteration = it.iteration;
          const s0 = (performance.now() - t0) / 1000;
          s.state.rate = s0 > 0 ? it.iteration / s0 : undefined;
          if (s.timer) return;
          const wait = Math.max(0, EMIT_INTERVAL_MS - (performance.now() - s.lastEmit));
          s.timer = setTimeout(() => this.flush(s), wait);
        },
        every,
        0.1,
      )
      .then(
        (done) => {
          s.state.running = false;
          s.state.iteration = done.iteration;
          s.state.rate = done.rate;
          this.flush(s, { stopped: done.stopped });
        },
        (err: unknown) => {
          s.state.running = false;
          this.flush(s, { error: `MLEM failed: ${errorMessage(err)}` });
        },
      );
    return { ...s.state };
  }

  stop(p: P<'lab.mlem.stop'>): MlemState {
    const s = this.session(p.mlemId);
    s.client.stop();
    return { ...s.state };
  }

  async reset(p: P<'lab.mlem.reset'>): Promise<MlemImageMessage> {
    const s = this.session(p.mlemId);
    if (s.state.running) {
      s.client.stop();
      await s.run;
    }
    await s.client.reset();
    s.image = s.backprojection;
    s.state.iteration = 0;
    s.state.rate = undefined;
    const m = this.message(s);
    this.flush(s);
    return m;
  }

  image(p: P<'lab.mlem.image'>): MlemImageMessage {
    return this.message(this.session(p.mlemId));
  }

  async close(mlemId: string): Promise<boolean> {
    const s = this.sessions.get(mlemId);
    if (!s) return false;
    this.sessions.delete(mlemId);
    if (s.timer) clearTimeout(s.timer);
    await s.client.close();
    return true;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }
}
