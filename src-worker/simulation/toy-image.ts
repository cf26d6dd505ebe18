/**
 * A toy Cherenkov camera image: a 2D elliptical Gaussian light distribution
 * (as ctapipe.image.toymodel.Gaussian), Poisson photon statistics on signal
 * plus night-sky background, pedestal subtraction and electronic noise, and a
 * peak time that grows linearly along the shower axis.
 */
import type { CameraGeometry } from '../geometry/camera-geometry.js';
import { Random } from '../util/random.js';

export interface ToyShowerImageParams {
  /** total signal, p.e. */
  intensity: number;
  /** centroid in the camera frame, m */
  x: number;
  y: number;
  /** RMS along and across the major axis, m */
  length: number;
  width: number;
  /** angle of the major axis to the x axis, deg */
  psi: number;
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

/** largest pixel area of each geometry, m² */
const maxAreas = new WeakMap<CameraGeometry, number>();
function maxPixelArea(g: CameraGeometry): number {
  let a = maxAreas.get(g);
  if (a === undefined) {
    a = 0;
    for (let i = 0; i < g.nPixels; i++) a = Math.max(a, g.pixArea[i]);
    maxAreas.set(g, a);
  }
  return a;
}

/**
 * Fills `image` (p.e.) and `peakTime` (ns) for one camera. Pixels with
 * signal draw Poisson(signal + nsb) photons, electronic noise and a jittered
 * peak time; background-only pixels (the vast majority) take their values
 * from the noise bank (same distributions, see noiseBank).
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
  // beyond this exponent even the largest pixel gets less than NEGLIGIBLE_SIGNAL: no exp() needed
  const maxExponent = Math.log((norm * maxPixelArea(geometry)) / NEGLIGIBLE_SIGNAL);
  const px = geometry.pixX;
  const py = geometry.pixY;
  const pa = geometry.pixArea;
  const cx = shower.x;
  const cy = shower.y;
  for (let i = 0; i < n; i++) {
    const dx = px[i] - cx;
    const dy = py[i] - cy;
    const along = dx * cos + dy * sin;
    const across = -dx * sin + dy * cos;
    const exponent = along * along * inv2l2 + across * across * inv2w2;
    if (!(exponent < maxExponent)) continue;
    const expected = norm * Math.exp(-exponent) * pa[i];
    if (expected <= NEGLIGIBLE_SIGNAL) continue;
    const photons = rng.poisson(expected + noise.nsb);
    image[i] = photons - noise.nsb + noise.electronicNoise * rng.normal();
    peakTime[i] = expected > 0.5
      ? shower.timeAtCentroid + shower.timeGradient * along + noise.timeJitter * rng.normal()
      : rng.uniform() * noise.readoutWindow;
  }
}
