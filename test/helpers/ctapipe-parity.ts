/**
 * The parity runner against ctapipe itself: ctapipe 0.26 computes masks and
 * parameters of the given images in the same run (ctapipe-parity.py), in the
 * reference-value format the parity checker (src-main/tools/parity-check.ts)
 * compares Lightpool with. Call only where `ctapipe().ok` (describeWith).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ctapipe } from './reference-tools.js';
import { parseRefValues, type RefValues } from '../../src-main/tools/ctapipe-refvalues.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./ctapipe-parity.py', import.meta.url));
const CAMERAS = fileURLToPath(new URL('../../assets/cameras/', import.meta.url));

export interface CleaningSetting {
  setting: string;
  picture_thresh: number;
  boundary_thresh: number;
  keep_isolated_pixels: boolean;
  min_number_picture_neighbors: number;
}

export interface ParityImage {
  global_index: number;
  camera: string;
  /** float32 values, p.e. */
  image: ArrayLike<number>;
  /** float32 values, ns */
  peak_time: ArrayLike<number>;
  settings: CleaningSetting[];
}

/** ctapipe's masks and parameters of `images` (cameras from assets/cameras, with these focal lengths, m). */
export async function ctapipeReferenceValues(cameras: Record<string, number>, images: ParityImage[]): Promise<RefValues> {
  const tool = ctapipe();
  if (!tool.ok) throw new Error(`ctapipe is not available: ${tool.why}`);
  const dir = mkdtempSync(join(tmpdir(), 'lp-parity-'));
  try {
    const input = join(dir, 'input.json');
    writeFileSync(
      input,
      JSON.stringify({
        cameras: Object.entries(cameras).map(([camera, focal_length]) => ({ camera, focal_length, geometry_file: join(CAMERAS, `${camera}.camgeom.json`) })),
        images: images.map((i) => ({ ...i, image: Array.from(i.image), peak_time: Array.from(i.peak_time) })),
      }),
    );
    const { stdout } = await run(tool.path, [SCRIPT, input], { maxBuffer: 1 << 30, timeout: 900_000 });
    return parseRefValues(stdout, 'ctapipe-parity.py');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
