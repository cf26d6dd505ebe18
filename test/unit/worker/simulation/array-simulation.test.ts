import { describe, expect, test } from 'vitest';
import { ArraySimulation, normalisePsi } from '../../../../src-worker/simulation/array-simulation.js';
import { defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { Random } from '../../../../src-worker/util/random.js';

const geometries = new Map(['LSTCam', 'NectarCam'].map((n) => [n, loadCameraGeometry(n)]));
const sim = (seed: number) => new ArraySimulation(defaultSubarray.telescopes, geometries, defaultSubarray.pointing, seed);

describe('simulated array', () => {
  test('is reproducible from its seed', () => {
    const a = sim(7).nextTriggeredEvent();
    const b = sim(7).nextTriggeredEvent();
    expect(a.energy).toBe(b.energy);
    expect(a.telescopes.map((t) => t.telId)).toEqual(b.telescopes.map((t) => t.telId));
    expect(a.telescopes[0].image).toEqual(b.telescopes[0].image);
  });

  test('every event triggers at least two telescopes, with images of the right size whose signal matches the truth', () => {
    const s = sim(11);
    for (let k = 0; k < 30; k++) {
      const e = s.nextTriggeredEvent();
      expect(e.telescopes.length).toBeGreaterThanOrEqual(2);
      for (const t of e.telescopes) {
        const g = geometries.get(t.camera)!;
        expect(t.image).toHaveLength(g.nPixels);
        expect(t.peakTime).toHaveLength(g.nPixels);
        expect(t.truth.psi).toBeGreaterThan(-90);
        expect(t.truth.psi).toBeLessThanOrEqual(90);
        // the pedestal-subtracted sum fluctuates around the signal inside the camera (≤ the truth intensity)
        let sum = 0;
        for (const v of t.image) sum += v;
        const noise = Math.sqrt(g.nPixels * (1.5 + 0.36)) * 6;
        expect(sum).toBeLessThan(t.truth.intensity + noise);
      }
    }
  });

  test('psi is normalised into (-90°, 90°]', () => {
    expect(normalisePsi(90)).toBe(90);
    expect(normalisePsi(-90)).toBe(90);
    expect(normalisePsi(135)).toBe(-45);
    expect(normalisePsi(-135)).toBe(45);
  });

  test('Poisson sampling has the right mean and variance', () => {
    const rng = new Random(3);
    for (const lambda of [0.5, 4, 50]) {
      let s = 0;
      let s2 = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) {
        const k = rng.poisson(lambda);
        s += k;
        s2 += k * k;
      }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.05);
    }
  });
});

describe('toy image background', () => {
  test('background-only pixels have the Poisson(nsb) + electronic noise mean and variance', async () => {
    const { toyShowerImage, defaultNoise } = await import('../../../../src-worker/simulation/toy-image.js');
    const g = geometries.get('LSTCam')!;
    const rng = new Random(21);
    const image = new Float32Array(g.nPixels);
    const peakTime = new Float32Array(g.nPixels);
    let s = 0,
      s2 = 0,
      n = 0;
    for (let k = 0; k < 40; k++) {
      // a shower far outside the camera: every pixel is background
      toyShowerImage(
        g,
        { intensity: 100, x: 50, y: 50, length: 0.05, width: 0.02, psi: 0, timeGradient: 0, timeAtCentroid: 10 },
        defaultNoise,
        rng,
        image,
        peakTime,
      );
      for (const v of image) {
        s += v;
        s2 += v * v;
        n++;
      }
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    const expectedVar = defaultNoise.nsb + defaultNoise.electronicNoise ** 2;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expectedVar / n));
    expect(Math.abs(variance / expectedVar - 1)).toBeLessThan(0.03);
  });
});

describe('toy image signal', () => {
  test('signal pixels have the Poisson(signal + nsb) + electronic noise mean and variance', async () => {
    const { toyShowerImage, defaultNoise } = await import('../../../../src-worker/simulation/toy-image.js');
    const g = geometries.get('LSTCam')!;
    const rng = new Random(5);
    const image = new Float32Array(g.nPixels);
    const peakTime = new Float32Array(g.nPixels);
    const shower = { intensity: 2000, x: 0.3, y: -0.2, length: 0.1, width: 0.04, psi: 30, timeGradient: 20, timeAtCentroid: 15 };
    // the expected signal per pixel, computed here over all pixels (not through the image's pixel grid)
    const psi = (shower.psi * Math.PI) / 180;
    const norm = shower.intensity / (2 * Math.PI * shower.length * shower.width);
    const expected = Float64Array.from({ length: g.nPixels }, (_, i) => {
      const dx = g.pixX[i] - shower.x,
        dy = g.pixY[i] - shower.y;
      const along = dx * Math.cos(psi) + dy * Math.sin(psi);
      const across = -dx * Math.sin(psi) + dy * Math.cos(psi);
      return norm * Math.exp(-(along * along) / (2 * shower.length ** 2) - (across * across) / (2 * shower.width ** 2)) * g.pixArea[i];
    });
    const pick = [...expected.keys()].filter((i) => expected[i] > 0.5 && expected[i] < 25);
    const bright = [...expected.keys()].filter((i) => expected[i] > 0.5);
    expect(pick.length).toBeGreaterThan(10);
    const rounds = 3000;
    const s = new Float64Array(g.nPixels),
      s2 = new Float64Array(g.nPixels);
    let timeOff = 0;
    for (let k = 0; k < rounds; k++) {
      toyShowerImage(g, shower, defaultNoise, rng, image, peakTime);
      for (const i of pick) {
        s[i] += image[i];
        s2[i] += image[i] ** 2;
      }
      // every pixel with > 0.5 p.e. of signal (all of them, wherever in the camera) carries the shower's peak time
      for (const i of bright) {
        const along = (g.pixX[i] - shower.x) * Math.cos(psi) + (g.pixY[i] - shower.y) * Math.sin(psi);
        if (Math.abs(peakTime[i] - (shower.timeAtCentroid + shower.timeGradient * along)) > 6 * defaultNoise.timeJitter) timeOff++;
      }
    }
    expect(timeOff).toBe(0);
    for (const i of pick) {
      const mean = s[i] / rounds;
      const variance = s2[i] / rounds - mean * mean;
      const lambda = expected[i] + defaultNoise.nsb;
      const expectedVar = lambda + defaultNoise.electronicNoise ** 2;
      // mean of Poisson(λ) − nsb + noise is the signal; its variance λ + σ²
      expect(Math.abs(mean - expected[i])).toBeLessThan(5 * Math.sqrt(expectedVar / rounds));
      expect(Math.abs(variance / expectedVar - 1)).toBeLessThan(6 * Math.sqrt(2 / rounds) + 0.01);
    }
  });
});
