/** Instrument descriptions as they travel over the API: the domain types themselves (src-worker/containers). */
export type { CameraGeometry, PixelShape } from '../../src-worker/containers/camera-geometry.js';
export type { SubarrayDescription, TelescopeDescription } from '../../src-worker/containers/subarray.js';
