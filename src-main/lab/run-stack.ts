/**
 * `lightpool stack`: a glob of PNG/TIFF frames into a training set. Each
 * image is decoded, reduced to one channel, centre-cropped and windowed in
 * the worker pool (a bounded number in flight, consumed in path order) and
 * appended to OUT (temporary file, renamed when complete):
 *
 *   /images    float32 (N × 2c × 2c), chunked, shuffle + deflate
 *   /labels    int64 (N): class index (classes attribute; ER = 0, NR = 1 by default)
 *   /energies  float64 (N): keV, from the path
 *   /paths     strings (N): absolute paths, sorted
 *
 * Per-label mean images and pixel-value histograms are gathered on the way
 * (StackStatistics) for the caller.
 */
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { WorkerPool } from '../pool/worker-pool.js';
import { openImageStack, type ImageStack, type ImageStackOptions } from '../../src-worker/lab/image-stack/image-stack.js';
import type { PixelOptions } from '../../src-worker/lab/image-stack/image-pixels.js';
import type { StackImageResult, StackImageTask } from '../../src-worker/lab/image-stack/stack-image-task.js';
import { StackStatistics, type LabelStatistics } from '../../src-worker/lab/image-stack/stack-statistics.js';
import { attributes, checkOutputPath, F32, LabOutputFile } from '../../src-worker/lab/lab-output-file.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import { throwIfCancelled, type LabProgress } from './lab-job.js';

export interface StackJobOptions extends ImageStackOptions {
  pattern: string;
  output: string;
  pixels: PixelOptions;
  /** deflate level of /images; default 4 */
  level?: number;
  overwrite?: boolean;
  pool?: WorkerPool;
  threads?: number;
  command?: string;
  signal?: AbortSignal;
  onProgress?: (p: LabProgress) => void;
}

export interface StackJobResult {
  output: string;
  stack: ImageStack;
  width: number;
  height: number;
  statistics: LabelStatistics[];
  seconds: number;
  bytes: number;
}

export async function runStack(o: StackJobOptions): Promise<StackJobResult> {
  const t0 = performance.now();
  const output = checkOutputPath(o.output, [], !!o.overwrite);
  const stack = await openImageStack(o.pattern, o);
  if (stack.paths.some((p) => resolve(p) === output)) throw new Error(`${output}: the output is one of the input images`);
  const n = stack.paths.length;
  const ownPool = !o.pool;
  const threads = o.pool?.threads ?? Math.max(1, o.threads ?? availableParallelism());
  const pool = o.pool ?? new WorkerPool(threads);
  const stats = o.pixels.window ? new StackStatistics(100, 0, 1) : null;
  let rawStats: StackStatistics | null = null;
  const out = new LabOutputFile(output);
  const inFlight: Promise<StackImageResult>[] = [];
  let width = 0,
    height = 0;
  let images: ReturnType<LabOutputFile['rows']> | null = null;
  let done = 0;
  const consume = async () => {
    const r = await inFlight.shift()!;
    throwIfCancelled(o.signal, 'stack');
    if (!images) {
      width = r.width;
      height = r.height;
      const chunkRows = Math.max(1, Math.min(n, Math.floor((1 << 20) / (4 * width * height))));
      images = out.rows('/images', F32, [height, width], chunkRows, o.level ?? 4, true);
    } else if (r.width !== width || r.height !== height) {
      throw new Error(`${r.path}: gives a ${r.width} × ${r.height} image, the first gave ${width} × ${height} (crop them to one size with --crop)`);
    }
    images.appendRows(new Uint8Array(r.pixels.buffer, r.pixels.byteOffset, r.pixels.byteLength), 1);
    const label = stack.labels[done];
    if (stats) stats.add(label, width, height, r.pixels);
    else {
      const top = r.source.bitDepth === 16 ? 65536 : 256;
      rawStats ??= new StackStatistics(256, 0, top);
      rawStats.add(label, width, height, r.pixels);
    }
    done++;
    const s = (performance.now() - t0) / 1000;
    o.onProgress?.({ phase: 'images', done, total: n, rate: s > 0 ? done / s : 0 });
  };
  try {
    o.onProgress?.({ phase: 'images', done: 0, total: n, rate: 0 });
    for (const path of stack.paths) {
      throwIfCancelled(o.signal, 'stack');
      const task: StackImageTask = { kind: 'lab-stack-image', path, options: o.pixels };
      const p = pool.run<StackImageResult>(task);
      p.catch(() => {});
      inFlight.push(p);
      if (inFlight.length >= 2 * threads) await consume();
    }
    while (inFlight.length) await consume();
    const imgs = images as ReturnType<LabOutputFile['rows']> | null;
    imgs!.finish(
      attributes({
        description: 'images: one channel, centre-cropped, windowed',
        window: o.pixels.window ? o.pixels.window : undefined,
        crop_half_width: o.pixels.crop ?? undefined,
        channel: String(o.pixels.channel ?? 'grey'),
      }),
    );
    out.array(
      '/labels',
      BigInt64Array.from(stack.classIndex, (v) => BigInt(v)),
      [],
      attributes({ classes: stack.classes.join(','), expression: o.label ?? '/([NE]R)/' }),
    );
    out.array('/energies', stack.energies, [], attributes({ units: 'keV', expression: o.energy ?? '/([0-9]+)_keV' }));
    out.strings('/paths', stack.paths);
    out.rootAttributes(
      attributes({
        software: LIGHTPOOL_NAME,
        software_version: LIGHTPOOL_VERSION,
        command: o.command ?? 'lightpool stack',
        timestamp: new Date().toISOString(),
        pattern: o.pattern,
      }),
    );
    throwIfCancelled(o.signal, 'stack');
    out.commit();
  } catch (err) {
    out.abort();
    await Promise.allSettled(inFlight);
    throw err;
  } finally {
    if (ownPool) await pool.close();
  }
  return {
    output,
    stack,
    width,
    height,
    statistics: (stats ?? rawStats)?.result() ?? [],
    seconds: (performance.now() - t0) / 1000,
    bytes: statSync(output).size,
  };
}

export function stackSummary(r: StackJobResult): string {
  const lines = [`${r.output}: ${r.stack.paths.length} images of ${r.width} × ${r.height} in ${r.seconds.toFixed(1)} s`];
  for (const s of r.statistics) {
    let sum = 0;
    for (const v of s.mean) sum += v;
    lines.push(`  ${s.label} (class ${r.stack.classes.indexOf(s.label)}): ${s.count} images, mean pixel ${(sum / s.mean.length).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}
