/** A processed live event as the views get it (camera-frame overlays, stereo geometry, truth). */
import type { ArrayEvent } from '../api/event-types.js';
import type { LiveProcessedEvent } from '../../src-worker/live/live-types.js';
import type { SubarrayDescription } from '../../src-worker/containers/subarray.js';

/**
 * The array itself when it owns its buffer, else a copy: the worker carves a
 * batch's arrays out of shared slabs, and a structured clone (Electron's
 * transport) would send a view's whole buffer.
 */
function own<T extends Float32Array | Uint8Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T);
}

export function toArrayEvent(e: LiveProcessedEvent, source: ArrayEvent['source'], subarray: SubarrayDescription): ArrayEvent {
  const s = e.stereo;
  return {
    source,
    obsId: e.obsId,
    eventId: e.eventId,
    time: e.time,
    pointing: { ...subarray.pointing },
    trueShower: e.trueShower,
    reconstructed: s.isValid
      ? { reconstructor: 'HillasReconstructor', isValid: true, alt: s.alt, az: s.az, coreX: s.coreX, coreY: s.coreY, hMax: s.hMax, telIds: s.telIds }
      : undefined,
    telescopes: e.images.map((img) => ({
      telId: img.telId,
      camera: img.camera,
      image: own(img.image),
      peakTime: own(img.peakTime),
      mask: own(img.mask),
      hillas: img.cameraHillas,
      hillasSource: img.cameraHillas ? ('reconstruction' as const) : undefined,
      timingSlope: img.cameraTimingSlope,
      parameterStatus: img.params.ok ? 'ok' : 'no parameters (an empty cleaning mask, or the image failed the image quality query)',
      trueEllipse: img.trueEllipse,
    })),
  };
}
