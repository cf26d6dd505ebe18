/**
 * Reader for ctapipe reference-value files in the format of
 * test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz: gzip-compressed
 * JSON lines, NaN written as null, float32 values written as the shortest
 * decimal that round-trips (Math.fround gives back the stored value).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface RefCamera {
  kind: 'camera';
  camera: string;
  n_pixels: number;
  pix_type: string;
  focal_length_m_used_for_telescope_frame: number;
  /** ctapipe's CameraGeometry.neighbors */
  neighbors: number[][];
}

export interface RefImageData {
  kind: 'image_data';
  global_index: number;
  camera: string;
  index_in_camera: number;
  /** p.e., float32 values */
  image: Array<number | null>;
  /** ns, float32 values */
  peak_time: Array<number | null>;
  truth?: Record<string, number | null>;
}

/** One parameter record: column name → value (null for NaN). */
export type RefParameters = Record<string, number | null>;

export interface RefImageResult {
  kind: 'image';
  global_index: number;
  camera: string;
  index_in_camera: number;
  setting: string;
  picture_thresh: number;
  boundary_thresh: number;
  keep_isolated_pixels: boolean;
  min_number_picture_neighbors: number;
  mask_pixel_indices: number[];
  camera_frame: RefParameters;
  camera_frame_status: string;
  telescope_frame: RefParameters;
  telescope_frame_status: string;
}

export interface RefValues {
  cameras: Map<string, RefCamera>;
  /** by global_index */
  imageData: Map<number, RefImageData>;
  results: RefImageResult[];
}

/** Reads and parses a reference file; `.gz` files are decompressed. */
export function readRefValues(file: string): RefValues {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read reference file ${file}: ${(err as Error).message}`);
  }
  const text = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return parseRefValues(text, file);
}

export function parseRefValues(text: string, source = 'input'): RefValues {
  const out: RefValues = { cameras: new Map(), imageData: new Map(), results: [] };
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    let obj: { kind?: unknown };
    try {
      obj = JSON.parse(line) as { kind?: unknown };
    } catch (err) {
      throw new Error(`${source}:${lineNo}: not valid JSON (${(err as Error).message})`);
    }
    switch (obj.kind) {
      case 'camera': {
        const cam = obj as RefCamera;
        out.cameras.set(cam.camera, cam);
        break;
      }
      case 'image_data': {
        const d = obj as RefImageData;
        out.imageData.set(d.global_index, d);
        break;
      }
      case 'image':
        out.results.push(obj as RefImageResult);
        break;
      default:
        throw new Error(`${source}:${lineNo}: unknown record kind ${JSON.stringify(obj.kind)} (expected camera, image_data or image)`);
    }
  }
  return out;
}

/** A float32 column (nulls → NaN) as a Float32Array. */
export function toFloat32Array(values: ReadonlyArray<number | null>): Float32Array {
  const a = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) a[i] = values[i] ?? NaN;
  return a;
}
