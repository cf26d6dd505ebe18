/**
 * The image-stack side of the lab service: a glob of PNG/TIFF files
 * (inside the data directories in serve mode, stack-pattern.ts) labelled
 * from their paths; one image at a time decoded, windowed and cropped in the
 * worker pool with its pixel-value histogram; one image's channels; and the
 * per-label mean images and histograms of the whole stack as a job with
 * progress and Cancel.
 */
import type { z } from 'zod';
import type { labRequestSchemas, StackChannelsWire, StackImageWire, StackInfo, StackStatisticsWire } from '../api/lab-contract.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import type { FileAccess } from '../files/file-access.js';
import { compilePathExpression, DEFAULT_ENERGY_RE, DEFAULT_LABEL_RE, labelPaths } from '../../src-worker/lab/image-stack/path-labels.js';
import { histogramValues, type StackImageResult, type StackImageTask } from '../../src-worker/lab/image-stack/stack-image-task.js';
import type { ImageChannelsResult } from '../../src-worker/lab/image-stack/image-channels-task.js';
import { StackStatistics } from '../../src-worker/lab/image-stack/stack-statistics.js';
import { ApiError, errorMessage } from '../util/errors.js';
import { expandStackPattern } from './stack-pattern.js';
import { throwIfCancelled } from './lab-job.js';
import type { LabJobs } from './lab-jobs.js';

type P<M extends keyof typeof labRequestSchemas> = z.infer<(typeof labRequestSchemas)[M]>;

interface StackEntry {
  info: StackInfo;
  statistics?: StackStatisticsWire;
}

/** at most this many stacks are held */
const MAX_STACKS = 8;

/** histogram range of processed pixels: [0, 1] windowed, else the bit depth's */
function pixelRange(window: [number, number] | undefined, bitDepth: number): [number, number] {
  return window ? [0, 1] : [0, bitDepth === 16 ? 65536 : 256];
}

export class LabStacks {
  private readonly entries = new Map<string, StackEntry>();
  private seq = 0;

  constructor(
    private readonly access: FileAccess,
    private readonly pool: WorkerPool,
    private readonly jobs: LabJobs,
  ) {}

  list(): { stackId: string; pattern: string; count: number }[] {
    return [...this.entries.values()].map((e) => ({ stackId: e.info.stackId, pattern: e.info.pattern, count: e.info.paths.length }));
  }

  private entry(stackId: string): StackEntry {
    const e = this.entries.get(stackId);
    if (!e) throw new ApiError('not-found', `no image stack "${stackId}" is open (it was closed, or the backend restarted): open it again`);
    return e;
  }

  async open(p: P<'lab.stack.open'>): Promise<StackInfo> {
    const label = p.label ?? DEFAULT_LABEL_RE;
    const energy = p.energy === null ? null : (p.energy ?? DEFAULT_ENERGY_RE);
    let labelRe: RegExp, energyRe: RegExp | null;
    try {
      labelRe = compilePathExpression(label, 'label');
      energyRe = energy === null ? null : compilePathExpression(energy, 'energy');
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
    const paths = await expandStackPattern(p.pattern, this.access);
    let labels;
    try {
      labels = labelPaths(paths, labelRe, energyRe);
    } catch (err) {
      throw new ApiError('bad-request', `${errorMessage(err)} (edit the expression, or narrow the pattern)`);
    }
    const stackId = `stack-${++this.seq}`;
    const info: StackInfo = { stackId, pattern: p.pattern, paths, ...labels, label, energy };
    this.entries.set(stackId, { info });
    while (this.entries.size > MAX_STACKS) {
      const oldest = [...this.entries.keys()].find((id) => !this.jobs.busy('stack-statistics', id));
      if (!oldest) break;
      this.entries.delete(oldest);
    }
    return info;
  }

  private async pathOf(e: StackEntry, index: number): Promise<string> {
    const n = e.info.paths.length;
    if (index >= n) throw new ApiError('bad-request', `image ${index} does not exist: the stack has images 0…${n - 1}`);
    return this.access.place(e.info.paths[index], 'read');
  }

  private async decode(e: StackEntry, index: number, window: [number, number] | undefined, crop: number | undefined): Promise<StackImageResult> {
    const path = await this.pathOf(e, index);
    const task: StackImageTask = { kind: 'lab-stack-image', path, options: { window: window ?? null, crop: crop ?? null } };
    try {
      return await this.pool.run<StackImageResult>(task);
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
  }

  async image(p: P<'lab.stack.image'>): Promise<StackImageWire> {
    const e = this.entry(p.stackId);
    const r = await this.decode(e, p.index, p.window, p.crop);
    const [lo, hi] = pixelRange(p.window, r.source.bitDepth);
    const bins = p.bins ?? (p.window ? 100 : 256);
    return {
      stackId: p.stackId,
      index: p.index,
      path: e.info.paths[p.index],
      label: e.info.labels[p.index],
      energy: e.info.energies[p.index],
      source: r.source,
      width: r.width,
      height: r.height,
      pixels: r.pixels,
      histogram: { lo, hi, counts: histogramValues(r.pixels, bins, lo, hi) },
      window: p.window,
      crop: p.crop,
    };
  }

  async channels(p: P<'lab.stack.channels'>): Promise<StackChannelsWire> {
    const e = this.entry(p.stackId);
    const path = await this.pathOf(e, p.index);
    let r: ImageChannelsResult;
    try {
      r = await this.pool.run<ImageChannelsResult>({ kind: 'lab-image-channels', path });
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
    return { stackId: p.stackId, index: p.index, path: e.info.paths[p.index], width: r.width, height: r.height, bitDepth: r.bitDepth, channels: r.channels };
  }

  statistics(p: P<'lab.stack.statistics'>): { jobId: string } {
    const e = this.entry(p.stackId);
    if (this.jobs.busy('stack-statistics', p.stackId))
      throw new ApiError('bad-request', `the statistics of ${e.info.pattern} are being computed already: wait for them, or cancel`);
    const jobId = this.jobs.start('stack-statistics', p.stackId, p.jobId, async (signal, progress) => {
      const t0 = performance.now();
      const n = e.info.paths.length;
      const threads = this.pool.threads;
      const inFlight: Promise<StackImageResult>[] = [];
      let stats: StackStatistics | undefined;
      let range: [number, number] = [0, 1];
      const bins = p.bins ?? (p.window ? 100 : 256);
      let done = 0;
      const consume = async () => {
        const r = await inFlight.shift()!;
        throwIfCancelled(signal, 'statistics');
        if (!stats) {
          range = pixelRange(p.window, r.source.bitDepth);
          stats = new StackStatistics(bins, range[0], range[1]);
        }
        stats.add(e.info.labels[done], r.width, r.height, r.pixels);
        done++;
        const s = (performance.now() - t0) / 1000;
        progress({ phase: 'images', done, total: n, rate: s > 0 ? done / s : 0 });
      };
      progress({ phase: 'images', done: 0, total: n, rate: 0 });
      try {
        for (let i = 0; i < n; i++) {
          throwIfCancelled(signal, 'statistics');
          const p0 = this.decode(e, i, p.window, p.crop);
          p0.catch(() => {});
          inFlight.push(p0);
          if (inFlight.length >= 2 * threads) await consume();
        }
        while (inFlight.length) await consume();
      } catch (err) {
        await Promise.allSettled(inFlight);
        throw err;
      }
      e.statistics = {
        stackId: p.stackId,
        window: p.window,
        crop: p.crop,
        lo: range[0],
        hi: range[1],
        bins,
        labels: stats?.result() ?? [],
        seconds: (performance.now() - t0) / 1000,
      };
    });
    return { jobId };
  }

  statisticsResult(p: P<'lab.stack.statisticsResult'>): StackStatisticsWire {
    const e = this.entry(p.stackId);
    if (!e.statistics) throw new ApiError('not-found', `no statistics of ${e.info.pattern} yet: compute them first`);
    return e.statistics;
  }

  close(id: string): boolean {
    return this.entries.delete(id);
  }
}
