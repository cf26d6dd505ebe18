/**
 * What a stack view shows beside the images: per label, the mean image
 * (float64 sums of the processed pixels, divided at the end) and the
 * histogram of pixel values; and for one image, each channel with its own
 * histogram.
 */
import type { DecodedImage } from './decode-image.js';
import { channelValues } from './image-pixels.js';
import { histogramValues } from './stack-image-task.js';

export interface LabelStatistics {
  label: string;
  count: number;
  width: number;
  height: number;
  /** mean image, height × width */
  mean: Float64Array;
  /** pixel-value histogram over [lo, hi) */
  histogram: Float64Array;
}

export class StackStatistics {
  private byLabel = new Map<string, { count: number; sum: Float64Array; histogram: Float64Array; width: number; height: number }>();

  constructor(
    readonly bins = 100,
    readonly lo = 0,
    readonly hi = 1,
  ) {
    if (!(Number.isInteger(bins) && bins >= 1 && hi > lo)) throw new Error(`histogram of ${bins} bins over [${lo}, ${hi}): need bins ≥ 1 and lo < hi`);
  }

  add(label: string, width: number, height: number, pixels: ArrayLike<number>): void {
    let s = this.byLabel.get(label);
    if (!s) this.byLabel.set(label, (s = { count: 0, sum: new Float64Array(width * height), histogram: new Float64Array(this.bins), width, height }));
    if (s.width !== width || s.height !== height)
      throw new Error(`label ${label}: images of ${width} × ${height} and ${s.width} × ${s.height} cannot be averaged together`);
    for (let i = 0; i < pixels.length; i++) s.sum[i] += pixels[i];
    histogramValues(pixels, this.bins, this.lo, this.hi, s.histogram);
    s.count++;
  }

  /** Labels in sorted order. */
  result(): LabelStatistics[] {
    return [...this.byLabel.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([label, s]) => ({ label, count: s.count, width: s.width, height: s.height, mean: s.sum.map((v) => v / s.count), histogram: s.histogram.slice() }));
  }
}

export interface ImageChannel {
  name: string;
  values: Float32Array;
  /** histogram of the raw values, 256 bins over [0, 2^bitDepth) */
  histogram: Float64Array;
}

/** Each channel of one image (R, G, B, A or grey, alpha), with its histogram. */
export function imageChannels(img: DecodedImage): ImageChannel[] {
  const names =
    img.channels === 1 ? ['grey'] : img.channels === 2 ? ['grey', 'alpha'] : img.channels === 3 ? ['red', 'green', 'blue'] : ['red', 'green', 'blue', 'alpha'];
  const top = img.bitDepth === 16 ? 65536 : 256;
  return names.map((name, c) => {
    const values = channelValues(img, c);
    return { name, values, histogram: histogramValues(values, 256, 0, top) };
  });
}
