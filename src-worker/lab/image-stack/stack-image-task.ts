/**
 * The worker-pool task of the image stacks: one file decoded (PNG/TIFF),
 * reduced to one channel, centre-cropped and windowed; optionally the
 * histogram of its processed pixel values. Pixels come back as a transferred
 * Float32Array.
 */
import { decodeImageFile } from './decode-image.js';
import { processPixels, type PixelOptions } from './image-pixels.js';

export interface StackImageTask {
  kind: 'lab-stack-image';
  path: string;
  options: PixelOptions;
  /** also histogram the processed values into `bins` bins over [lo, hi) */
  histogram?: { bins: number; lo: number; hi: number };
}

export interface StackImageResult {
  kind: 'lab-stack-image';
  path: string;
  /** the file as decoded */
  source: { width: number; height: number; channels: number; bitDepth: number; format: 'png' | 'tiff' };
  width: number;
  height: number;
  pixels: Float32Array;
  /** counts per bin (values ≥ hi in the last bin, < lo in the first) */
  histogram?: Float64Array;
}

export function histogramValues(values: ArrayLike<number>, bins: number, lo: number, hi: number, into: Float64Array = new Float64Array(bins)): Float64Array {
  const f = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    let b = Math.floor((values[i] - lo) * f);
    if (b < 0) b = 0;
    else if (b >= bins) b = bins - 1;
    if (b === b) into[b]++;
  }
  return into;
}

export async function runStackImage(task: StackImageTask): Promise<{ result: StackImageResult; transfer: ArrayBuffer[] }> {
  const img = decodeImageFile(task.path);
  const p = processPixels(img, task.options);
  const result: StackImageResult = {
    kind: 'lab-stack-image',
    path: task.path,
    source: { width: img.width, height: img.height, channels: img.channels, bitDepth: img.bitDepth, format: img.format },
    width: p.width,
    height: p.height,
    pixels: p.pixels,
  };
  const transfer = [p.pixels.buffer as ArrayBuffer];
  if (task.histogram) {
    result.histogram = histogramValues(p.pixels, task.histogram.bins, task.histogram.lo, task.histogram.hi);
    transfer.push(result.histogram.buffer as ArrayBuffer);
  }
  return { result, transfer };
}
