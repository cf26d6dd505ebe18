/**
 * A toy Cherenkov camera image: a 2D elliptical Gaussian light distribution
 * (as ctapipe.image.toymodel.Gaussian), Poisson photon statistics on signal
 * plus night-sky background, pedestal subtraction and electronic noise, and a
 * peak time that grows linearly along the shower axis.
 */
import type { CameraGeometry } from '../geometry/camera-geometry.js';
import type { Random } from '../util/random.js';

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

/** Fills `image` (p.e.) and `peakTime` (ns) for one camera. */
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
  for (let i = 0; i < n; i++) {
    const dx = geometry.pixX[i] - shower.x;
    const dy = geometry.pixY[i] - shower.y;
    const along = dx * cos + dy * sin;
    const across = -dx * sin + dy * cos;
    const expected = norm * Math.exp(-along * along * inv2l2 - across * across * inv2w2) * geometry.pixArea[i];
    const photons = rng.poisson(expected + noise.nsb);
    image[i] = photons - noise.nsb + noise.electronicNoise * rng.normal();
    peakTime[i] = expected > 0.5
      ? shower.timeAtCentroid + shower.timeGradient * along + noise.timeJitter * rng.normal()
      : rng.uniform() * noise.readoutWindow;
  }
}
