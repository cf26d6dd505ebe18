/**
 * Toy air showers seen by a small telescope array. Each shower has a power-law
 * energy, a core uniformly spread on the ground and a direction at the array
 * pointing (a point source). Each telescope sees an elliptical image whose
 * centroid is displaced from the source position in the camera along the
 * direction from the core to the telescope, by an amount that grows with the
 * impact distance; its size falls with impact distance. A telescope triggers
 * when its expected signal passes a threshold; the array when two do.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { Random } from '../util/random.js';
import { defaultNoise, toyShowerImage } from './toy-image.js';
import type { TelescopeDescription } from '../containers/subarray.js';
import type { HillasEllipse } from '../containers/hillas.js';

export interface SimulatedTelescopeImage {
  telId: number;
  camera: string;
  image: Float32Array;
  peakTime: Float32Array;
  /** the light distribution used to draw the image (camera frame: m, deg) */
  truth: HillasEllipse;
}

export interface SimulatedEvent {
  eventId: number;
  /** TeV */
  energy: number;
  /** m */
  coreX: number;
  coreY: number;
  /** deg */
  alt: number;
  az: number;
  telescopes: SimulatedTelescopeImage[];
}

export interface ArraySimulationOptions {
  /** power-law index of dN/dE */
  spectralIndex: number;
  /** TeV */
  eMin: number;
  eMax: number;
  /** radius of the disc on which cores are thrown, m */
  coreRadius: number;
  /** expected signal a telescope needs to trigger, p.e. */
  triggerThreshold: number;
  /** telescopes needed for an array trigger */
  minTelescopes: number;
}

export const defaultSimulationOptions: ArraySimulationOptions = {
  spectralIndex: 2.2,
  eMin: 0.05,
  eMax: 100,
  coreRadius: 300,
  triggerThreshold: 120,
  minTelescopes: 2,
};

const DEG = Math.PI / 180;

/**
 * The default options with cores thrown over the whole array: a disc reaching
 * 100 m beyond the farthest telescope, never smaller than the default 300 m
 * (so a large layout's outer telescopes see showers too).
 */
export function coreOptionsFor(telescopes: readonly TelescopeDescription[]): ArraySimulationOptions {
  const farthest = Math.max(0, ...telescopes.map((t) => Math.hypot(t.position[0], t.position[1])));
  return { ...defaultSimulationOptions, coreRadius: Math.max(defaultSimulationOptions.coreRadius, Math.ceil(farthest + 100)) };
}

/** Photo-electrons per TeV for a telescope at 0 impact distance, scaled by mirror (focal length) size. */
function lightYield(focalLength: number): number {
  return 5000 * (focalLength / 28) ** 2;
}

/** Where a telescope's image and peak-time arrays come from (fresh arrays by default). */
export type ImageAllocator = (nPixels: number) => { image: Float32Array; peakTime: Float32Array };

const freshArrays: ImageAllocator = (n) => ({ image: new Float32Array(n), peakTime: new Float32Array(n) });

export class ArraySimulation {
  private readonly rng: Random;
  private nextEventId = 1;
  /** e.g. views into a batch's slab (live-tasks.ts) */
  allocate: ImageAllocator = freshArrays;

  constructor(
    private readonly telescopes: TelescopeDescription[],
    private readonly geometries: Map<string, CameraGeometry>,
    private readonly pointing: { alt: number; az: number },
    seed: number,
    private readonly options: ArraySimulationOptions = coreOptionsFor(telescopes),
  ) {
    this.rng = new Random(seed);
  }

  /** Throws showers until one triggers the array, and returns it. */
  nextTriggeredEvent(): SimulatedEvent {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const event = this.throwShower();
      if (event) return event;
    }
    throw new Error('simulation: no shower triggered the array in 10,000 attempts; check the trigger threshold');
  }

  private throwShower(): SimulatedEvent | null {
    const { rng, options } = this;
    const energy = rng.powerLaw(options.spectralIndex, options.eMin, options.eMax);
    const r = options.coreRadius * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    const coreX = r * Math.cos(phi);
    const coreY = r * Math.sin(phi);
    const seen: { tel: TelescopeDescription; impact: number; angle: number; expected: number }[] = [];
    for (const tel of this.telescopes) {
      const dx = tel.position[0] - coreX;
      const dy = tel.position[1] - coreY;
      const impact = Math.hypot(dx, dy);
      // Cherenkov light pool: flat to ~120 m, then falling
      const pool = impact < 120 ? 1 : Math.exp(-(impact - 120) / 60);
      const expected = energy * lightYield(tel.focalLength) * pool;
      if (expected >= options.triggerThreshold) seen.push({ tel, impact, angle: Math.atan2(dy, dx), expected });
    }
    if (seen.length < options.minTelescopes) return null;
    const eventId = this.nextEventId++;
    const telescopes = seen.map(({ tel, impact, angle, expected }) => this.image(tel, impact, angle, expected));
    return { eventId, energy, coreX, coreY, alt: this.pointing.alt, az: this.pointing.az, telescopes };
  }

  private image(tel: TelescopeDescription, impact: number, angle: number, expected: number): SimulatedTelescopeImage {
    const geometry = this.geometries.get(tel.camera);
    if (!geometry) throw new Error(`simulation: no geometry loaded for camera ${tel.camera}`);
    const f = tel.focalLength;
    // displacement of the image centroid from the source (deg on the sky) grows with impact distance
    const dispDeg = Math.min(0.3 + impact / 170, 1.9) * (0.9 + 0.2 * this.rng.uniform());
    const dispM = dispDeg * DEG * f;
    const lengthDeg = 0.12 + 0.07 * Math.log10(expected / 50) + impact / 1500;
    const widthDeg = 0.05 + 0.02 * Math.log10(expected / 50);
    const intensity = expected * (0.85 + 0.3 * this.rng.uniform());
    const truth = {
      intensity,
      x: dispM * Math.cos(angle),
      y: dispM * Math.sin(angle),
      length: lengthDeg * DEG * f,
      width: widthDeg * DEG * f,
      psi: normalisePsi((angle * 180) / Math.PI),
    };
    const { image, peakTime } = this.allocate(geometry.nPixels);
    toyShowerImage(
      geometry,
      { intensity, x: truth.x, y: truth.y, length: truth.length, width: truth.width, psi: truth.psi, timeGradient: 12 / (f * DEG), timeAtCentroid: 18 },
      defaultNoise,
      this.rng,
      image,
      peakTime,
    );
    return { telId: tel.telId, camera: tel.camera, image, peakTime, truth };
  }
}

/** psi in (-90°, 90°] as ctapipe reports it */
export function normalisePsi(deg: number): number {
  let p = deg % 180;
  if (p > 90) p -= 180;
  if (p <= -90) p += 180;
  return p;
}
