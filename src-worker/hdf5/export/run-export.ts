/** Runs a subset export request in the worker (filled in by the writer step). */
import { Hdf5Error } from '../h5-errors.js';
import type { RequestOf } from '../hdf5-protocol.js';
import type { ExportProgress, ExportResult } from './export-types.js';

export async function runExport(req: RequestOf<'export'>, _progress: (p: ExportProgress) => void): Promise<ExportResult> {
  throw new Hdf5Error('internal', `${req.input}: export is not available yet`, req.input);
}
