/** Progress reports and results of subset exports. */

export interface ExportProgress {
  /**
   * 'select': evaluating the selection; 'copy': writing datasets; 'finish': closing the file;
   * 'events': events read and calibrated (sim_telarray: the parameter pass, the DL1 export)
   */
  phase: 'select' | 'copy' | 'finish' | 'events';
  /** datasets (or units of work) done so far */
  done: number;
  total: number;
  /** the dataset being written */
  current?: string;
}

export interface ExportResult {
  /** the file written (the temporary path the caller renames) */
  output: string;
  kind: 'dl1' | 'watchmal-hits' | 'watchmal-images';
  /** events kept */
  nEvents: number;
  /** (obs_id, event_id) of the kept events (DL1), or their indices in the input (WatChMaL) */
  kept: { obsId?: number; eventId?: number; index: number }[];
  /** rows written per dataset */
  datasets: { path: string; rows: number }[];
  bytes: number;
  /** attributes or datasets that could not be copied (types the writer does not handle) */
  skipped?: string[];
}

/** Thrown inside the worker when the caller cancelled the export. */
export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
  }
}

/** Checks the shared cancel flag (Int32 at 0 set non-zero by the main thread). */
export function cancelChecker(cancel: SharedArrayBuffer | undefined): () => void {
  if (!cancel) return () => {};
  const flag = new Int32Array(cancel);
  return () => {
    if (Atomics.load(flag, 0) !== 0) throw new ExportCancelled();
  };
}
