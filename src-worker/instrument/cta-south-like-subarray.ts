/**
 * A large built-in layout for the simulated array, shaped like CTA-South:
 * 4 LSTs (LSTCam) in the centre, 14 MSTs (FlashCam) in two rings around them
 * and 37 SSTs (CHEC on the ASTRI structure) in three wide rings: 55 telescopes
 * over ~1.3 km, the size of the production layouts (19 to more than 60
 * telescopes) whose events must stay readable in the event view. Positions
 * are rings, not the surveyed site (ctapipe GroundFrame, m: x north, y west).
 */
import type { SubarrayDescription, TelescopeDescription } from '../containers/subarray.js';

interface Ring {
  type: string;
  camera: string;
  focalLength: number;
  count: number;
  /** ring radius, m */
  radius: number;
  /** angle of the first telescope, deg */
  phase: number;
}

const rings: Ring[] = [
  { type: 'LST_LST_LSTCam', camera: 'LSTCam', focalLength: 28, count: 4, radius: 110, phase: 45 },
  { type: 'MST_MST_FlashCam', camera: 'FlashCam', focalLength: 16, count: 6, radius: 180, phase: 0 },
  { type: 'MST_MST_FlashCam', camera: 'FlashCam', focalLength: 16, count: 8, radius: 320, phase: 22.5 },
  { type: 'SST_ASTRI_CHEC', camera: 'CHEC', focalLength: 2.15, count: 8, radius: 260, phase: 22.5 },
  { type: 'SST_ASTRI_CHEC', camera: 'CHEC', focalLength: 2.15, count: 13, radius: 460, phase: 0 },
  { type: 'SST_ASTRI_CHEC', camera: 'CHEC', focalLength: 2.15, count: 16, radius: 650, phase: 11.25 },
];

function ringTelescopes(): TelescopeDescription[] {
  const telescopes: TelescopeDescription[] = [];
  for (const ring of rings) {
    for (let k = 0; k < ring.count; k++) {
      const a = ((ring.phase + (360 * k) / ring.count) * Math.PI) / 180;
      telescopes.push({
        telId: telescopes.length + 1,
        type: ring.type,
        camera: ring.camera,
        focalLength: ring.focalLength,
        position: [Math.round(ring.radius * Math.cos(a)), Math.round(ring.radius * Math.sin(a)), 0],
      });
    }
  }
  return telescopes;
}

export const ctaSouthLikeSubarray: SubarrayDescription = {
  name: 'Lightpool simulated array (CTA-South-like, 4 LST + 14 MST + 37 SST)',
  pointing: { alt: 70, az: 0 },
  telescopes: ringTelescopes(),
};
