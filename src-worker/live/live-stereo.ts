/** Stereo geometry of a processed live event (ctapipe HillasReconstructor on telescope-frame Hillas). */
import { reconstructHillasGeometry, type StereoTelescopeEvent } from '../reco/hillas-reconstructor.js';
import type { LiveImage, LiveStereo } from './live-types.js';
import type { LiveCamera } from './live-camera.js';
import type { SubarrayDescription } from '../containers/subarray.js';

export function liveStereo(subarray: SubarrayDescription, images: LiveImage[], cameras: LiveCamera[]): LiveStereo {
  const tels: StereoTelescopeEvent[] = [];
  images.forEach((img, k) => {
    const tel = subarray.telescopes.find((t) => t.telId === img.telId);
    if (!tel || !img.params.ok) return;
    const p = img.params;
    tels.push({
      telId: img.telId,
      position: tel.position,
      pointingAlt: subarray.pointing.alt,
      pointingAz: subarray.pointing.az,
      hillas: { intensity: p.intensity, fovLon: p.fovLon, fovLat: p.fovLat, length: p.length, width: p.width, psi: p.psi },
      camRadiusDeg: cameras[k].radiusDeg,
      quality: { intensity: p.intensity, width: p.width, nPixels: p.nPixels, leakageIntensityWidth2: p.leakage2 },
    });
  });
  tels.sort((a, b) => a.telId - b.telId);
  const g = reconstructHillasGeometry({
    telescopes: tels,
    arrayPointingAlt: subarray.pointing.alt,
    arrayPointingAz: subarray.pointing.az,
    observationLevel: 0,
  });
  return { isValid: g.isValid, alt: g.alt, az: g.az, coreX: g.coreX, coreY: g.coreY, hMax: g.hMax, telIds: g.telIds };
}
