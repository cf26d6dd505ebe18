/**
 * Runs a subset export in the worker: opens the input, and its format (the
 * registry's) writes the selected events to `output` (the caller's temporary
 * path, renamed by the caller when this returns).
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { FileSession } from './file-session.js';
import type { RequestOf } from './hdf5-protocol.js';
import { cancelChecker, type ExportProgress, type ExportResult } from '../export/export-types.js';
import { checkPaths, type ExportEnv } from '../export/export-common.js';
import { FILE_FORMATS } from '../formats/registry.js';

export async function runExport(req: RequestOf<'export'>, progress: (p: ExportProgress) => void): Promise<ExportResult> {
  checkPaths(req.input, req.output);
  const session = await FileSession.open(req.input, 128 << 20);
  const env: ExportEnv = {
    progress,
    checkCancel: cancelChecker(req.cancel),
    level: req.compressionLevel ?? 4,
    command: req.command ?? '',
    software: { name: req.software?.name ?? 'lightpool', version: req.software?.version ?? 'unknown' },
    skipped: [],
  };
  try {
    const write = 'exportSubset' in session.format ? session.format.exportSubset : undefined;
    if (!write) {
      const can = FILE_FORMATS.filter((f) => f.exportSubset)
        .map((f) => f.label)
        .join(', ');
      throw new Hdf5Error('unknown-layout', `${req.input}: subsets can be exported from ${can} files only (this file is ${session.format.label})`, req.input);
    }
    const result: ExportResult = write(session.reader, req.selection, req.output, env);
    return { ...result, skipped: env.skipped };
  } finally {
    session.close();
  }
}
