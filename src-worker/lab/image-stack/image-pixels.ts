/**
 * From decoded pixels to the numbers a training set holds, as the seed's
 * numpy does it (np.array(PIL.Image.open(path)), float32 arithmetic):
 *
 * - one value per pixel: grey images as they are (the alpha of grey + alpha
 *   dropped), RGB/RGBA converted like PIL's convert('L') (ITU-R 601-2 luma,
 *   L = (19595·R + 38470·G + 7471·B + 2¹⁵) >> 16 for 8 bit; R·0.299 +
 *   G·0.587 + B·0.114 for 16 bit), or one chosen channel;
 * - centre crop to half-width c: rows [H//2 − c, H//2 + c) and the same
 *   columns, so a 2c × 2c image (c = 64: 128 × 128);
 * - window [lo, hi]: clip((v − lo)/(hi − lo), 0, 1) with numpy's float32
 *   rounding (v − lo and the division each rounded to float32, hi − lo
 *   computed in float64 and rounded once, as numpy 1.x does with Python
 *   scalars).
 */
import type { DecodedImage } from './decode-image.js';

export type ChannelChoice = 'grey' | 'r' | 'g' | 'b' | 'a' | number;

export interface PixelOptions {
  /** default 'grey' (luma for colour images) */
  channel?: ChannelChoice;
  /** [lo, hi] → [0, 1], clipped; null: raw values */
  window?: [number, number] | null;
  /** half-width of the centre crop, pixels; null: the whole image */
  crop?: number | null;
}

function channelIndex(img: DecodedImage, c: ChannelChoice): number | 'luma' | 'grey' {
  if (c === 'grey') return img.channels >= 3 ? 'luma' : 0;
  const i = typeof c === 'number' ? c : { r: 0, g: 1, b: 2, a: 3 }[c];
  if (!(Number.isInteger(i) && i >= 0 && i < img.channels))
    throw new Error(`${img.path}: channel ${String(c)} does not exist in an image of ${img.channels} channel${img.channels === 1 ? '' : 's'}`);
  return i;
}

/** The values of one channel (or luma) as float32, whole image (height × width). */
export function channelValues(img: DecodedImage, channel: ChannelChoice = 'grey'): Float32Array {
  const ci = channelIndex(img, channel);
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  const nc = img.channels;
  if (ci === 'luma') {
    if (img.bitDepth === 8) for (let i = 0; i < n; i++) out[i] = (d[i * nc] * 19595 + d[i * nc + 1] * 38470 + d[i * nc + 2] * 7471 + 0x8000) >>> 16;
    else for (let i = 0; i < n; i++) out[i] = d[i * nc] * 0.299 + d[i * nc + 1] * 0.587 + d[i * nc + 2] * 0.114;
  } else {
    const c = ci === 'grey' ? 0 : ci;
    for (let i = 0; i < n; i++) out[i] = d[i * nc + c];
  }
  return out;
}

/** Rows/columns of a centre crop of half-width `c`. */
export function cropBounds(width: number, height: number, c: number, path = 'image'): { x0: number; y0: number; size: number } {
  if (!Number.isInteger(c) || c < 1) throw new Error(`crop half-width must be a whole number ≥ 1, got ${c}`);
  const y0 = Math.floor(height / 2) - c;
  const x0 = Math.floor(width / 2) - c;
  if (y0 < 0 || x0 < 0 || y0 + 2 * c > height || x0 + 2 * c > width) {
    throw new Error(`${path}: a centre crop of half-width ${c} (${2 * c} × ${2 * c}) does not fit in the ${width} × ${height} image`);
  }
  return { x0, y0, size: 2 * c };
}

export interface ProcessedImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

export function processPixels(img: DecodedImage, o: PixelOptions = {}): ProcessedImage {
  const values = channelValues(img, o.channel ?? 'grey');
  let width = img.width;
  let height = img.height;
  let pixels = values;
  if (o.crop != null) {
    const { x0, y0, size } = cropBounds(img.width, img.height, o.crop, img.path);
    pixels = new Float32Array(size * size);
    for (let y = 0; y < size; y++) pixels.set(values.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + size), y * size);
    width = height = size;
  }
  if (o.window) applyWindow(pixels, o.window);
  return { width, height, pixels };
}

/** In place: clip((v − lo)/(hi − lo), 0, 1) in float32 (see the file comment). */
export function applyWindow(pixels: Float32Array, [lo, hi]: [number, number]): void {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new Error(`window [${lo}, ${hi}]: need finite numbers with min < max`);
  const f = Math.fround;
  const lo32 = f(lo);
  const width32 = f(hi - lo);
  for (let i = 0; i < pixels.length; i++) {
    const v = f(f(pixels[i] - lo32) / width32);
    pixels[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
