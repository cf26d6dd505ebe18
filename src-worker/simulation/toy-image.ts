/**
 * A toy Cherenkov camera image: a 2D elliptical Gaussian light distribution
 * (as ctapipe.image.toymodel.Gaussian), Poisson photon statistics on signal
 * plus night-sky background, pedestal subtraction and electronic noise, and a
 * peak time that grows linearly along the shower axis.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { Random } from '../util/random.js';
import { expNeg } from '../util/fast-exp.js';
import type { HillasEllipse } from '../containers/hillas.js';

/** The light distribution: a camera-frame ellipse (length, width: RMS along and across the major axis, m) and a time gradient. */
export interface ToyShowerImageParams extends HillasEllipse {
  /** peak-time gradient along the major axis, ns/m */
  timeGradient: number;
  /** peak time at the centroid, ns */
  timeAtCentroid: number;
}

export interface NoiseParams {
  /** mean night-sky background per pixel, p.e. */
  nsb: number;
  /** electronic noise RMS, p.e. */
  electronicNoise: number;
  /** RMS jitter of the peak time of signal pixels, ns */
  timeJitter: number;
  /** readout window for noise-only peak times, ns */
  readoutWindow: number;
}

export const defaultNoise: NoiseParams = { nsb: 1.5, electronicNoise: 0.6, timeJitter: 0.4, readoutWindow: 40 };

/** P(k ≤ j) of a Poisson(lambda), up to where it reaches 1 − 1e-15 (inverse-CDF sampling with one uniform). */
function poissonCdf(lambda: number): Float64Array {
  const values: number[] = [];
  let p = Math.exp(-lambda);
  let c = p;
  for (let k = 0; c < 1 - 1e-15 && k < 1000; k++) {
    values.push(c);
    p *= lambda / (k + 1);
    c += p;
  }
  values.push(1);
  return Float64Array.from(values);
}

/** samples in a background bank (2^18) */
const BANK_BITS = 18;
const BANK_SIZE = 1 << BANK_BITS;

interface NoiseBank {
  /** Poisson(nsb) − nsb + electronic noise, p.e. */
  image: Float32Array;
  /** noise-only peak time, uniform over the readout window, ns */
  time: Float32Array;
}

const banks = new Map<string, NoiseBank>();

/**
 * Background-only pixel values drawn once per thread and noise setting from
 * the exact distributions (Poisson(nsb) photons by inverse CDF, pedestal
 * subtraction, Gaussian electronic noise; uniform noise peak times), so that
 * the background of an image is one copy instead of several random draws
 * per pixel. Each image takes a contiguous run of the bank from a random
 * start: every pixel value has exactly the right distribution; images share
 * values of one 2^18-sample bank (an LSTCam image uses 0.7 % of it; two
 * images overlap by chance with that probability), drawn with a fixed seed
 * (the same bank in every thread).
 */
function noiseBank(noise: NoiseParams): NoiseBank {
  const key = `${noise.nsb}/${noise.electronicNoise}/${noise.readoutWindow}`;
  let b = banks.get(key);
  if (!b) {
    // its own fixed seed: the same bank in every thread, and the callers' random streams stay reproducible
    const rng = new Random(0x6e6f6973);
    const cdf = poissonCdf(noise.nsb);
    const last = cdf.length - 1;
    const image = new Float32Array(BANK_SIZE);
    const time = new Float32Array(BANK_SIZE);
    for (let i = 0; i < BANK_SIZE; i++) {
      const u = rng.uniform();
      let k = 0;
      while (k < last && u >= cdf[k]) k++;
      image[i] = k - noise.nsb + noise.electronicNoise * rng.normal();
      time[i] = rng.uniform() * noise.readoutWindow;
    }
    b = { image, time };
    banks.set(key, b);
  }
  return b;
}

/**
 * below this expected signal a pixel counts as background only, p.e.: 0.1 %
 * of a photo-electron, far below the night-sky background's Poisson spread
 * (1.2 p.e. for 1.5 p.e.), so the image statistics do not change
 */
const NEGLIGIBLE_SIGNAL = 1e-3;

/** Where a geometry's pixels are: a uniform grid of cells over the pixel centres (cell lists in CSR form). */
interface PixelGrid {
  /** largest pixel area, m² */
  maxArea: number;
  x0: number;
  y0: number;
  /** cell edge, m */
  cell: number;
  nx: number;
  ny: number;
  /** pixels of cell c: pixels[start[c] .. start[c + 1]) */
  start: Int32Array;
  pixels: Int32Array;
}

const grids = new WeakMap<CameraGeometry, PixelGrid>();

function pixelGrid(g: CameraGeometry): PixelGrid {
  let grid = grids.get(g);
  if (grid) return grid;
  const n = g.nPixels;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity,
    maxArea = 0,
    area = 0;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, g.pixX[i]);
    x1 = Math.max(x1, g.pixX[i]);
    y0 = Math.min(y0, g.pixY[i]);
    y1 = Math.max(y1, g.pixY[i]);
    maxArea = Math.max(maxArea, g.pixArea[i]);
    area += g.pixArea[i];
  }
  // about two pixels per cell edge: few cells to visit, few pixels tested in vain
  const cell = Math.max(2 * Math.sqrt(area / n), 1e-9);
  const nx = Math.floor((x1 - x0) / cell) + 1;
  const ny = Math.floor((y1 - y0) / cell) + 1;
  const cellOf = new Int32Array(n);
  const start = new Int32Array(nx * ny + 1);
  for (let i = 0; i < n; i++) {
    const c = Math.floor((g.pixY[i] - y0) / cell) * nx + Math.floor((g.pixX[i] - x0) / cell);
    cellOf[i] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nx * ny);
  const pixels = new Int32Array(n);
  for (let i = 0; i < n; i++) pixels[fill[cellOf[i]]++] = i;
  grid = { maxArea, x0, y0, cell, nx, ny, start, pixels };
  grids.set(g, grid);
  return grid;
}

/**
 * Fills `image` (p.e.) and `peakTime` (ns) for one camera. Every pixel first
 * takes background from the noise bank (Poisson(nsb) − nsb + electronic
 * noise; noise peak time). Pixels with signal then add Poisson(signal)
 * photons, which gives exactly Poisson(signal + nsb) − nsb + noise (a sum of
 * independent Poisson counts is Poisson), and those with more than half a
 * photo-electron get the shower's peak time with jitter. Only the pixels
 * whose centres lie in the box around the ellipse where the signal can
 * exceed NEGLIGIBLE_SIGNAL are visited (grid cells over the camera).
 */
export function toyShowerImage(
  geometry: CameraGeometry,
  shower: ToyShowerImageParams,
  noise: NoiseParams,
  rng: Random,
  image: Float32Array,
  peakTime: Float32Array,
): void {
  const n = geometry.nPixels;
  const psi = (shower.psi * Math.PI) / 180;
  const cos = Math.cos(psi);
  const sin = Math.sin(psi);
  const norm = shower.intensity / (2 * Math.PI * shower.length * shower.width);
  const inv2l2 = 1 / (2 * shower.length * shower.length);
  const inv2w2 = 1 / (2 * shower.width * shower.width);
  if (n > BANK_SIZE / 4) throw new Error(`toy images: camera ${geometry.name} has ${n} pixels, more than the ${BANK_SIZE / 4} the noise bank serves`);
  const bank = noiseBank(noise);
  // background everywhere first: a contiguous run of the bank from a random start (one memcpy per array)
  const start = Math.floor(rng.uniform() * (BANK_SIZE - n));
  image.set(bank.image.subarray(start, start + n));
  peakTime.set(bank.time.subarray(start, start + n));
  const grid = pixelGrid(geometry);
  // beyond this exponent even the largest pixel gets less than NEGLIGIBLE_SIGNAL: no exp() needed
  const maxExponent = Math.log((norm * grid.maxArea) / NEGLIGIBLE_SIGNAL);
  if (!(maxExponent > 0)) return;
  // the ellipse exponent < maxExponent lies inside this box around the centroid
  const a = shower.length * Math.sqrt(2 * maxExponent);
  const b = shower.width * Math.sqrt(2 * maxExponent);
  const hx = Math.sqrt(a * a * cos * cos + b * b * sin * sin);
  const hy = Math.sqrt(a * a * sin * sin + b * b * cos * cos);
  const cx = shower.x;
  const cy = shower.y;
  const ix0 = Math.max(0, Math.floor((cx - hx - grid.x0) / grid.cell));
  const ix1 = Math.min(grid.nx - 1, Math.floor((cx + hx - grid.x0) / grid.cell));
  const iy0 = Math.max(0, Math.floor((cy - hy - grid.y0) / grid.cell));
  const iy1 = Math.min(grid.ny - 1, Math.floor((cy + hy - grid.y0) / grid.cell));
  const px = geometry.pixX;
  const py = geometry.pixY;
  const pa = geometry.pixArea;
  const { start: cellStart, pixels } = grid;
  for (let iy = iy0; iy <= iy1; iy++) {
    for (let ix = ix0; ix <= ix1; ix++) {
      const c = iy * grid.nx + ix;
      for (let k = cellStart[c], end = cellStart[c + 1]; k < end; k++) {
        const i = pixels[k];
        const dx = px[i] - cx;
        const dy = py[i] - cy;
        const along = dx * cos + dy * sin;
        const across = -dx * sin + dy * cos;
        const exponent = along * along * inv2l2 + across * across * inv2w2;
        if (!(exponent < maxExponent)) continue;
        const expected = norm * expNeg(exponent) * pa[i];
        if (expected <= NEGLIGIBLE_SIGNAL) continue;
        image[i] += rng.poisson(expected);
        if (expected > 0.5) peakTime[i] = shower.timeAtCentroid + shower.timeGradient * along + noise.timeJitter * rng.normal();
      }
    }
  }
}
