/**
 * The array as Lightpool carries it between threads, the API and files
 * (ctapipe.instrument's TelescopeDescription / SubarrayDescription, reduced
 * to what the views and the live pipeline need; positions in the ctapipe
 * GroundFrame: x north, y west, z up).
 */
import type { CameraGeometry } from './camera-geometry.js';

export interface TelescopeDescription {
  telId: number;
  /** ctapipe's telescope type string, e.g. "LST_LST_LSTCam" */
  type: string;
  /** camera name, e.g. "LSTCam" */
  camera: string;
  /** equivalent focal length, m */
  focalLength: number;
  /** position on the ground, m */
  position: [number, number, number];
}

export interface SubarrayDescription {
  name: string;
  /** array pointing, deg */
  pointing: { alt: number; az: number };
  telescopes: TelescopeDescription[];
  /**
   * Camera geometries the source announced (a DAQ's subarray frame), by
   * camera name: they stand for the shipped geometry of that name, or for a
   * camera Lightpool does not ship. Pixel columns in SharedArrayBuffers, so
   * a task that carries the subarray to a worker does not copy them.
   */
  cameraGeometries?: Record<string, AnnouncedCameraGeometry>;
}

/** An announced camera geometry and a fingerprint of its pixels (caches key prepared cameras by it). */
export type AnnouncedCameraGeometry = CameraGeometry & { fingerprint: string };
