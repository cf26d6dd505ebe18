/**
 * `lightpool mlem`: a system matrix from HDF5 reconstructed by list-mode
 * MLEM in the MLEM worker (mlem-client.ts), written to OUT (temporary file,
 * renamed when complete):
 *
 *   /image           float64 (polar × azimuth): after the iterations
 *   /backprojection  float64 (polar × azimuth): sysmat.sum(axis=0)
 *
 * with the iterations, matrix format and axes as attributes.
 */
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { MlemLoaded } from '../../src-worker/lab/compton/mlem-protocol.js';
import { attributes, checkOutputPath, LabOutputFile } from '../../src-worker/lab/lab-output-file.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import { MlemClient } from './mlem-client.js';
import { LabJobCancelled, type LabProgress } from './lab-job.js';

export interface MlemJobOptions {
  input: string;
  dataset?: string;
  imageShape?: [number, number];
  sensitivity?: string;
  iterations: number;
  output: string;
  overwrite?: boolean;
  engine?: 'auto' | 'js';
  command?: string;
  signal?: AbortSignal;
  onProgress?: (p: LabProgress) => void;
}

export interface MlemJobResult {
  output: string;
  loaded: Omit<MlemLoaded, 'backprojection'>;
  iterations: number;
  rate: number;
  /** row (polar bin) and column (azimuth bin) of the image maximum */
  maximum: { row: number; column: number; value: number };
  bytes: number;
}

export async function runMlem(o: MlemJobOptions): Promise<MlemJobResult> {
  const input = resolve(o.input);
  const output = checkOutputPath(o.output, [input], !!o.overwrite);
  if (!(Number.isInteger(o.iterations) && o.iterations >= 0)) throw new Error(`iterations must be a whole number ≥ 0, got ${o.iterations}`);
  const client = new MlemClient();
  const onAbort = () => client.stop();
  o.signal?.addEventListener('abort', onAbort);
  try {
    const loaded = await client.load({ file: input, dataset: o.dataset, imageShape: o.imageShape, sensitivity: o.sensitivity, engine: o.engine });
    if (o.signal?.aborted) throw new LabJobCancelled('mlem');
    let image = loaded.backprojection;
    o.onProgress?.({ phase: 'iterations', done: 0, total: o.iterations, rate: 0 });
    const t0 = performance.now();
    // an image every 100th of the way, every half second and after the last: each is a 0.5 MB message
    const emitEvery = Math.max(1, Math.ceil(o.iterations / 100));
    const done = await client.run(
      o.iterations,
      (it) => {
        image = it.image;
        const s = (performance.now() - t0) / 1000;
        o.onProgress?.({ phase: 'iterations', done: it.iteration, total: o.iterations, rate: s > 0 ? it.iteration / s : 0 });
      },
      emitEvery,
      0.5,
    );
    if (done.stopped || o.signal?.aborted) throw new LabJobCancelled('mlem');
    const [nRows, nCols] = loaded.imageShape;
    let k = 0;
    for (let i = 1; i < image.length; i++) if (image[i] > image[k]) k = i;
    const out = new LabOutputFile(output);
    try {
      const common = { units: 'relative intensity', image_shape: [nRows, nCols], axes: loaded.axes ?? 'polar angle (rows) x azimuth (columns)' };
      out.rootAttributes(
        attributes({
          software: LIGHTPOOL_NAME,
          software_version: LIGHTPOOL_VERSION,
          command: o.command ?? 'lightpool mlem',
          timestamp: new Date().toISOString(),
          source_file: input,
          source_dataset: loaded.dataset,
          matrix_format: loaded.format,
          matrix_dtype: loaded.dtype,
          cones: loaded.nCones,
          iterations: done.iteration,
          sensitivity: o.sensitivity ?? 'ones',
          algorithm: 'list-mode MLEM: img = img / s * (sysmat.T @ (1 / (sysmat @ img))), from img = sysmat.sum(axis=0)',
        }),
      );
      out.array('/image', image, [nCols], attributes({ ...common, iterations: done.iteration }));
      out.array('/backprojection', loaded.backprojection, [nCols], attributes({ ...common, description: 'sysmat.sum(axis=0)' }));
      if (o.signal?.aborted) throw new LabJobCancelled('mlem');
      out.commit();
    } catch (err) {
      out.abort();
      throw err;
    }
    const { backprojection: _bp, ...info } = loaded;
    void _bp;
    return {
      output,
      loaded: info,
      iterations: done.iteration,
      rate: done.rate,
      maximum: { row: Math.floor(k / nCols), column: k % nCols, value: image[k] },
      bytes: statSync(output).size,
    };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await client.close();
  }
}

export function mlemSummary(r: MlemJobResult): string {
  const l = r.loaded;
  const [nRows, nCols] = l.imageShape;
  const lines = [
    `${r.output}: ${r.iterations} MLEM iterations on ${l.nCones} cones × ${l.nPixels} pixels (${l.format} ${l.dtype}, ${l.nnz} non-zero, ${l.engine}), ${r.rate.toFixed(0)} iterations/s`,
    `image ${nRows} × ${nCols} (${l.shapeFrom === 'attribute' ? 'shape from the file' : l.shapeFrom === 'user' ? 'shape given' : 'default shape'}); maximum ${r.maximum.value.toPrecision(6)} at row ${r.maximum.row}, column ${r.maximum.column}` +
      (nRows === 181 && nCols === 361 ? ` (polar ${r.maximum.row}°, azimuth ${r.maximum.column - 180}°)` : ''),
  ];
  return `${lines.join('\n')}\n`;
}
