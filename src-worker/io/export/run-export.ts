/**
 * Runs a subset export in the worker: opens the input, recognises its layout
 * (ctapipe DL1 or WatChMaL), and writes the selected events to `output`
 * (the caller's temporary path, renamed by the caller when this returns).
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { FileSession } from '../hdf5/file-session.js';
import type { RequestOf } from '../hdf5/hdf5-protocol.js';
import { cancelChecker, type ExportProgress, type ExportResult } from './export-types.js';
import { checkPaths, type ExportEnv } from './export-common.js';
import { exportDl1 } from '../dl1/dl1-export.js';
import { exportWatchmal } from '../watchmal/watchmal-export.js';

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
    let result: ExportResult;
    if (session.kind === 'dl1') result = exportDl1(session, req.selection, req.output, env);
    else if (session.kind === 'watchmal-hits' || session.kind === 'watchmal-images') result = exportWatchmal(session, req.selection, req.output, env);
    else {
      throw new Hdf5Error('unknown-layout', `${req.input}: subsets can be exported from ctapipe DL1 and WatChMaL files only (this file's layout is not recognised)`, req.input);
    }
    return { ...result, skipped: env.skipped };
  } finally {
    session.close();
  }
}
