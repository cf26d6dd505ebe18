/**
 * Exports a subset of events of a DL1 or WatChMaL file to a new HDF5 file
 * through the HDF5 worker: written to a temporary file next to the output
 * and renamed when complete, so nothing half-written is ever left under the
 * output name; progress reports and cancellation (AbortSignal) pass through.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { outputPathProblem, temporaryOutputPath } from '../../src-worker/io/output-path.js';
import { Hdf5Client } from './hdf5-client.js';
import { Hdf5Error } from '../../src-worker/io/hdf5/h5-errors.js';
import type { Selection } from '../../src-worker/io/export/selection.js';
import type { ExportProgress, ExportResult } from '../../src-worker/io/export/export-types.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';

export interface ExportSubsetOptions {
  input: string;
  output: string;
  selection: Selection;
  /** the command line or UI action recorded in the file */
  command?: string;
  /** deflate level 0-9 (default 4) */
  compressionLevel?: number;
  /** replace an existing output file (default: refuse) */
  overwrite?: boolean;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** a client to use; a new one is made and closed otherwise */
  client?: Hdf5Client;
}

/**
 * Parses a list of events: "obs:event,obs:event" (DL1) or "i,j,k" (event
 * indices, e.g. for WatChMaL files).
 */
export function parseEventList(text: string): Selection {
  const items = text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new Error('the event list is empty');
  if (items.every((s) => /^\d+:\d+$/.test(s))) {
    return { kind: 'events', events: items.map((s) => ({ obsId: Number(s.split(':')[0]), eventId: Number(s.split(':')[1]) })) };
  }
  if (items.every((s) => /^\d+$/.test(s))) return { kind: 'indices', indices: items.map(Number) };
  const bad = items.find((s) => !/^\d+(:\d+)?$/.test(s));
  throw new Error(bad ? `"${bad}" is not an event (write obs_id:event_id, or an event index)` : 'mix of obs_id:event_id and plain indices in the event list');
}

export async function exportSubset(opts: ExportSubsetOptions): Promise<ExportResult> {
  const input = resolve(opts.input);
  const output = resolve(opts.output);
  if (input === output) throw new Hdf5Error('bad-request', `${output}: the output must be a different file than the input`, output);
  if (!existsSync(input)) throw new Hdf5Error('file-not-found', `${input}: file not found`, input);
  if (existsSync(output) && !opts.overwrite)
    throw new Hdf5Error('bad-request', `${output}: exists already (choose another name, or allow overwriting: --force on the command line)`, output);
  const problem = outputPathProblem(output);
  if (problem) throw new Hdf5Error('bad-request', problem, output);
  const temp = temporaryOutputPath(output);
  const client = opts.client ?? new Hdf5Client();
  try {
    const result = await client.request(
      {
        type: 'export',
        input,
        output: temp,
        selection: opts.selection,
        command: opts.command,
        software: { name: LIGHTPOOL_NAME, version: LIGHTPOOL_VERSION },
        compressionLevel: opts.compressionLevel,
      },
      { onProgress: opts.onProgress, signal: opts.signal },
    );
    renameSync(temp, output);
    return { ...result, output };
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  } finally {
    if (!opts.client) await client.dispose();
  }
}
