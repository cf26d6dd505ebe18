/**
 * The lab service: the handlers of the lab API (lab-contract.ts) over the
 * jobs of `lightpool spectrum|mlem|stack` — spectroscopy of signals datasets
 * (lab-signals.ts), Compton MLEM (lab-mlem.ts) and image stacks
 * (lab-stacks.ts) — and the 'lab-job' and 'lab-mlem' streams. The session
 * owns one; every connected window shares it.
 */
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { labRequestSchemas, LabReplies, LabStreams } from '../api/lab-contract.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import { fullAccess, type FileAccess } from '../files/file-access.js';
import { ApiError } from '../util/errors.js';
import { LabJobs } from './lab-jobs.js';
import { LabSignals, type LabFiles } from './lab-signals.js';
import { LabMlem } from './lab-mlem.js';
import { LabStacks } from './lab-stacks.js';
import type { MlemClient } from './mlem-client.js';

type LabMethod = keyof typeof labRequestSchemas;
type LabParams<M extends LabMethod> = z.infer<(typeof labRequestSchemas)[M]>;
export type LabHandlers = { [M in LabMethod]: (p: LabParams<M>) => Promise<LabReplies[M]> | LabReplies[M] };
type StreamEvents = { [K in keyof LabStreams]: [LabStreams[K]] };

export interface LabServiceOptions {
  files: LabFiles;
  pool: WorkerPool;
  /** where image stacks may be read (default anywhere; serve mode: its data directories) */
  access?: FileAccess;
  /** MLEM clients (tests) */
  mlemClient?: () => MlemClient;
}

export class LabService extends EventEmitter<StreamEvents> {
  private readonly jobs: LabJobs;
  readonly signals: LabSignals;
  readonly mlem: LabMlem;
  readonly stacks: LabStacks;

  constructor(o: LabServiceOptions) {
    super();
    this.jobs = new LabJobs((m) => this.emit('lab-job', m));
    this.signals = new LabSignals(o.files, o.pool, this.jobs);
    this.mlem = new LabMlem(o.files, (m) => this.emit('lab-mlem', m), o.mlemClient);
    this.stacks = new LabStacks(o.access ?? fullAccess, o.pool, this.jobs);
  }

  readonly handlers: LabHandlers = {
    'lab.list': () => ({ signals: this.signals.list(), mlem: this.mlem.list(), stacks: this.stacks.list() }),
    'lab.signals.open': (p) => this.signals.open(p),
    'lab.signals.traces': (p) => this.signals.traces(p),
    'lab.signals.shape': (p) => this.signals.shape(p),
    'lab.spectrum': (p) => this.signals.spectrum(p),
    'lab.cancel': (p) => ({ cancelled: this.jobs.cancel(p.jobId) }),
    'lab.mlem.load': (p) => this.mlem.load(p),
    'lab.mlem.run': (p) => this.mlem.run(p),
    'lab.mlem.stop': (p) => this.mlem.stop(p),
    'lab.mlem.reset': (p) => this.mlem.reset(p),
    'lab.mlem.image': (p) => this.mlem.image(p),
    'lab.mlem.close': async (p) => ({ closed: await this.mlem.close(p.mlemId) }),
    'lab.stack.open': (p) => this.stacks.open(p),
    'lab.stack.image': (p) => this.stacks.image(p),
    'lab.stack.channels': (p) => this.stacks.channels(p),
    'lab.stack.statistics': (p) => this.stacks.statistics(p),
    'lab.stack.statisticsResult': (p) => this.stacks.statisticsResult(p),
    'lab.close': (p) => {
      const closed = this.signals.close(p.id) || this.stacks.close(p.id);
      if (!closed && p.id.startsWith('mlem-')) throw new ApiError('bad-request', `${p.id} is an MLEM reconstruction: close it with lab.mlem.close`);
      return { closed };
    },
  };

  async dispose(): Promise<void> {
    this.jobs.cancelAll();
    await this.mlem.dispose();
  }
}
