/**
 * The built-in simulated array: 4 LSTs with LSTCam and 4 MSTs with NectarCam,
 * laid out like a compact CTA-North core (positions in the ctapipe GroundFrame, m:
 * x to the north, y to the west, z up).
 */
import type { SubarrayDescription } from '../containers/subarray.js';
import { ctaSouthLikeSubarray } from './cta-south-like-subarray.js';
export const defaultSubarray: SubarrayDescription = {
  name: 'Lightpool simulated array (4 LST + 4 MST)',
  pointing: { alt: 70, az: 0 },
  telescopes: [
    { telId: 1, type: 'LST_LST_LSTCam', camera: 'LSTCam', focalLength: 28, position: [-70, -52, 0] },
    { telId: 2, type: 'LST_LST_LSTCam', camera: 'LSTCam', focalLength: 28, position: [-35, 66, 0] },
    { telId: 3, type: 'LST_LST_LSTCam', camera: 'LSTCam', focalLength: 28, position: [75, 50, 0] },
    { telId: 4, type: 'LST_LST_LSTCam', camera: 'LSTCam', focalLength: 28, position: [30, -62, 0] },
    { telId: 5, type: 'MST_MST_NectarCam', camera: 'NectarCam', focalLength: 16, position: [-190, 10, 0] },
    { telId: 6, type: 'MST_MST_NectarCam', camera: 'NectarCam', focalLength: 16, position: [0, 180, 0] },
    { telId: 7, type: 'MST_MST_NectarCam', camera: 'NectarCam', focalLength: 16, position: [195, -20, 0] },
    { telId: 8, type: 'MST_MST_NectarCam', camera: 'NectarCam', focalLength: 16, position: [-10, -185, 0] },
  ],
};

/** The four LSTs of the default array alone (as LST-1 to LST-4 at La Palma): LSTCam images only. */
export const lstSubarray: SubarrayDescription = {
  name: 'Lightpool simulated array (4 LST)',
  pointing: { ...defaultSubarray.pointing },
  telescopes: defaultSubarray.telescopes.filter((t) => t.camera === 'LSTCam').map((t) => ({ ...t, position: [...t.position] })),
};

/** the built-in layouts of the simulated array, by name ('cta-south': 55 telescopes, for large-array views) */
export const builtInLayouts = { default: defaultSubarray, lst: lstSubarray, 'cta-south': ctaSouthLikeSubarray } as const;
export type BuiltInLayout = keyof typeof builtInLayouts;
