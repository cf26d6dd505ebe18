/**
 * Reads a file Lightpool wrote with the real ctapipe (ctapipe-readback.py) and
 * lists what ctapipe could not do with it. Tests call it inside
 * `describeWith([ctapipe()], ...)` / `itWith(...)`, so a clone without the
 * oracle skips them visibly:
 *
 *     const r = await ctapipeReadback(file, { reference: replayed });
 *     expect(readbackProblems(r, { events: 150 })).toEqual([]);
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ctapipe } from './reference-tools.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./ctapipe-readback.py', import.meta.url));

interface Step {
  ok: boolean;
  error?: string;
  where?: string;
}

export interface CtapipeReadback {
  ctapipe: string;
  file: string;
  stored_events: number;
  stored_images: number;
  has_parameters: boolean;
  subarray: Step & { name?: string; tel_ids?: number[]; types?: string[]; cameras?: string[]; table_rows?: number };
  event_source: Step & {
    events: number;
    images: number;
    /** masks ctapipe read and compared (it reads them only from files with parameters) */
    masks_compared?: number;
    datalevels?: string[];
    per_tel?: Record<string, number>;
    event_ids?: [number, number][];
    stored_images?: number;
    not_read?: number[][];
    image_mismatch_count?: number;
    image_mismatch?: number[][];
    missing_in_file_count?: number;
    parameters_compared?: number;
    parameter_mismatch_count?: number;
    parameter_mismatch?: unknown[][];
  };
  reference?: Step & { compared: number; identical: number; missing: number[][]; mismatch: number[][] };
  table_loader: Step & {
    telescope_events?: { rows: number; columns: string[] };
    subarray_events?: { rows: number; columns: string[] };
    by_type?: Record<string, number>;
    hillas_intensity_finite?: number;
    hillas_width_unit?: string;
  };
}

export interface ReadbackOptions {
  /** a file whose images FILE's must equal bit for bit (e.g. the file a DAQ replayed) */
  reference?: string;
  /** ctapipe's focal_length_choice (default EFFECTIVE, as ctapipe) */
  focalLengthChoice?: 'EFFECTIVE' | 'EQUIVALENT';
}

/** Runs ctapipe-readback.py with the oracle's python. Call only where ctapipe().ok. */
export async function ctapipeReadback(file: string, opts: ReadbackOptions = {}): Promise<CtapipeReadback> {
  const tool = ctapipe();
  if (!tool.ok) throw new Error(`ctapipe is not available: ${tool.why}`);
  const args = [SCRIPT, file, '--focal-length-choice', opts.focalLengthChoice ?? 'EFFECTIVE'];
  if (opts.reference) args.push('--reference', opts.reference);
  const { stdout } = await run(tool.path, args, { maxBuffer: 256 << 20, timeout: 600_000 });
  return JSON.parse(stdout) as CtapipeReadback;
}

export interface ReadbackExpectations {
  /** array events in the file */
  events?: number;
  /** telescope images in the file */
  images?: number;
  /** the file has parameter tables (TableLoader must read them) */
  parameters?: boolean;
}

/** Everything ctapipe could not do, or did differently from what the file holds; [] when all is well. */
export function readbackProblems(r: CtapipeReadback, expect: ReadbackExpectations = {}): string[] {
  const p: string[] = [];
  const step = (name: string, s: Step | undefined) => {
    if (s && !s.ok) p.push(`${name}: ${s.error} (at ${s.where})`);
  };
  step('SubarrayDescription.from_hdf', r.subarray);
  step('HDF5EventSource', r.event_source);
  step('TableLoader', r.table_loader);
  step('reference', r.reference);
  const es = r.event_source;
  if (es.ok) {
    if (es.events !== r.stored_events) p.push(`HDF5EventSource read ${es.events} events, the trigger table has ${r.stored_events}`);
    if (es.images !== r.stored_images) p.push(`HDF5EventSource read ${es.images} images, the image tables have ${r.stored_images}`);
    if (es.image_mismatch_count)
      p.push(`${es.image_mismatch_count} images, peak times or masks differ from the stored rows, e.g. ${JSON.stringify(es.image_mismatch)}`);
    if (es.missing_in_file_count) p.push(`${es.missing_in_file_count} images ctapipe read are not in the image tables`);
    if (es.not_read?.length) p.push(`stored images ctapipe did not read, e.g. ${JSON.stringify(es.not_read)}`);
    if (r.has_parameters && es.masks_compared !== es.images) p.push(`ctapipe read ${es.masks_compared} cleaning masks of ${es.images} images`);
    if (es.parameter_mismatch_count)
      p.push(`${es.parameter_mismatch_count} parameters ctapipe read differ from the table, e.g. ${JSON.stringify(es.parameter_mismatch)}`);
  }
  if (expect.events !== undefined && r.stored_events !== expect.events) p.push(`the file has ${r.stored_events} events, expected ${expect.events}`);
  if (expect.images !== undefined && r.stored_images !== expect.images) p.push(`the file has ${r.stored_images} images, expected ${expect.images}`);
  if (expect.parameters !== undefined && r.has_parameters !== expect.parameters) p.push(`parameter tables ${r.has_parameters ? 'present' : 'missing'}`);
  if (r.table_loader.ok) {
    const te = r.table_loader.telescope_events;
    if (!te) p.push('TableLoader read no telescope events');
    else if (r.has_parameters && te.rows !== r.stored_images)
      p.push(`TableLoader read ${te.rows} telescope events with parameters, the file has ${r.stored_images} images`);
    if (r.table_loader.subarray_events && r.table_loader.subarray_events.rows !== r.stored_events) {
      p.push(`TableLoader read ${r.table_loader.subarray_events.rows} subarray events, the file has ${r.stored_events}`);
    }
    if (r.table_loader.by_type) {
      const n = Object.values(r.table_loader.by_type).reduce((a, b) => a + b, 0);
      if (n !== r.stored_images) p.push(`TableLoader read ${n} images by telescope type, the file has ${r.stored_images}`);
    }
    if (r.has_parameters && r.table_loader.hillas_width_unit !== 'deg')
      p.push(`TableLoader's hillas_width unit is '${r.table_loader.hillas_width_unit}', not deg`);
  }
  if (r.reference?.ok) {
    const ref = r.reference;
    if (ref.missing.length) p.push(`images not in the reference file, e.g. ${JSON.stringify(ref.missing)}`);
    if (ref.identical !== ref.compared) p.push(`${ref.compared - ref.identical} images differ from the reference, e.g. ${JSON.stringify(ref.mismatch)}`);
    if (ref.compared !== r.stored_images) p.push(`${ref.compared} images compared with the reference of ${r.stored_images}`);
  }
  return p;
}
