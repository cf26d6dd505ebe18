/**
 * A ctapipe DL1 event as read by the HDF5 worker (Dl1Event) turned into the
 * ArrayEvent the event views draw: images, peak times and stored masks of
 * the triggered telescopes, the stored Hillas parameters converted from the
 * TelescopeFrame (deg, as ctapipe writes them) to the CameraFrame (m) the
 * camera view draws in, the simulated shower, the stored DL2 geometry and
 * the array pointing.
 */
import type { ArrayEvent, HillasEllipse, ShowerGeometry, TelescopeImage, TrueShower } from '../api/event-types.js';
import type { Dl1Event, Dl1Subarray, ScalarRecord, ScalarValue } from '../../src-worker/io/dl1/dl1-types.js';
import { telescopeToCameraHillas, type CameraFrameHillas } from '../../src-worker/instrument/telescope-frame.js';
import { TAI_MINUS_UTC_S } from '../../src-worker/io/dl1/dl1-layout.js';

function num(r: ScalarRecord | undefined, key: string): number {
  const v: ScalarValue | undefined = r?.[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

// the inverse of the camera → telescope frame conversion lives beside it (the live pipeline uses it too)
export { telescopeToCameraHillas, type CameraFrameHillas };

/** The stored Hillas parameters of a parameters row in the camera frame, or why there are none. */
export function storedHillas(params: ScalarRecord | undefined, focalLength: number, camRotationDeg = 0): CameraFrameHillas | { status: string } {
  if (!params) return { status: 'no parameters stored for this telescope event' };
  const intensity = num(params, 'hillas_intensity');
  if ('hillas_x' in params) {
    // files written in the camera frame (ctapipe < 0.12 or CameraFrame option): m and deg as they are
    const h: HillasEllipse = {
      intensity,
      x: num(params, 'hillas_x'),
      y: num(params, 'hillas_y'),
      length: num(params, 'hillas_length'),
      width: num(params, 'hillas_width'),
      psi: num(params, 'hillas_psi'),
    };
    if (![h.x, h.y, h.length, h.width, h.psi].every(Number.isFinite))
      return { status: 'no Hillas parameters (NaN in the file: the cleaning left too few pixels)' };
    const slope = num(params, 'timing_slope');
    return { hillas: h, timingSlope: Number.isFinite(slope) ? slope : undefined };
  }
  const p = {
    intensity,
    fovLon: num(params, 'hillas_fov_lon'),
    fovLat: num(params, 'hillas_fov_lat'),
    length: num(params, 'hillas_length'),
    width: num(params, 'hillas_width'),
    psi: num(params, 'hillas_psi'),
    timingSlope: num(params, 'timing_slope'),
  };
  if (![p.fovLon, p.fovLat, p.length, p.width, p.psi].every(Number.isFinite)) {
    return { status: 'no Hillas parameters (NaN in the file: the cleaning left too few pixels)' };
  }
  if (!(focalLength > 0)) return { status: 'no focal length in the file to convert the Hillas parameters to the camera frame' };
  return telescopeToCameraHillas(p, focalLength, camRotationDeg);
}

export function trueShowerOf(shower: ScalarRecord | undefined): TrueShower | undefined {
  if (!shower) return undefined;
  const t: TrueShower = {
    energy: num(shower, 'true_energy'),
    alt: num(shower, 'true_alt'),
    az: num(shower, 'true_az'),
    coreX: num(shower, 'true_core_x'),
    coreY: num(shower, 'true_core_y'),
  };
  return Number.isFinite(t.energy) ? t : undefined;
}

/** The stored geometry of one reconstructor (columns "<name>_alt" …). `maskTelIds` gives the order of the telescope mask. */
export function showerGeometryOf(name: string, rec: ScalarRecord | undefined, maskTelIds: number[]): ShowerGeometry | undefined {
  if (!rec) return undefined;
  const k = (c: string) => `${name}_${c}`;
  const valid = rec[k('is_valid')];
  const g: ShowerGeometry = {
    reconstructor: name,
    isValid: valid === true || valid === 1,
    alt: num(rec, k('alt')),
    az: num(rec, k('az')),
    coreX: num(rec, k('core_x')),
    coreY: num(rec, k('core_y')),
  };
  const hMax = num(rec, k('h_max'));
  if (Number.isFinite(hMax)) g.hMax = hMax;
  const mask = rec[k('telescopes')];
  if (Array.isArray(mask)) g.telIds = maskTelIds.filter((_, j) => mask[j] === true || mask[j] === 1);
  return g;
}

export interface Dl1EventContext {
  fileId: string;
  count: number;
  subarray: Dl1Subarray;
  pointing?: { alt: number; az: number };
}

/** The effective focal length of a telescope (ctapipe's default for the telescope frame), m. */
export function effectiveFocalLength(subarray: Dl1Subarray, telId: number): number {
  const tel = subarray.telescopes.find((t) => t.telId === telId);
  const optics = tel && tel.opticsIndex >= 0 ? subarray.optics[tel.opticsIndex] : undefined;
  if (optics && optics.effectiveFocalLength > 0) return optics.effectiveFocalLength;
  const cam = tel ? subarray.cameras[tel.cameraName] : undefined;
  return cam?.effectiveFocalLength ?? cam?.focalLength ?? NaN;
}

export function dl1ToArrayEvent(ev: Dl1Event, ctx: Dl1EventContext): ArrayEvent {
  const telescopes: TelescopeImage[] = [];
  for (const t of ev.telescopes) {
    const cam = ctx.subarray.cameras[t.cameraName];
    const n = cam?.nPixels ?? t.image?.length ?? 0;
    const ti: TelescopeImage = {
      telId: t.telId,
      camera: t.cameraName,
      image: t.image ?? new Float32Array(n),
      peakTime: t.peakTime ?? new Float32Array(n),
    };
    if (t.imageMask) ti.mask = t.imageMask;
    if (t.trueImage && t.trueImage.length === n) ti.trueImage = Float32Array.from(t.trueImage);
    const h = storedHillas(t.parameters, effectiveFocalLength(ctx.subarray, t.telId), cam?.camRotation ?? 0);
    if ('hillas' in h) {
      ti.hillas = h.hillas;
      ti.hillasSource = 'file';
      if (h.timingSlope !== undefined) ti.timingSlope = h.timingSlope;
      ti.parameterStatus = 'ok';
    } else {
      ti.parameterStatus = h.status;
    }
    telescopes.push(ti);
  }
  const maskTelIds = ctx.subarray.telescopes.map((t) => t.telId);
  const out: ArrayEvent = {
    source: 'file',
    obsId: ev.obsId,
    eventId: ev.eventId,
    time: ev.timeS + ev.timeQns * 0.25e-9 - TAI_MINUS_UTC_S,
    telescopes,
    fileIndex: { fileId: ctx.fileId, index: ev.index, count: ctx.count },
  };
  const shower = trueShowerOf(ev.shower);
  if (shower) out.trueShower = shower;
  const names = Object.keys(ev.geometry ?? {});
  const reco = names.includes('HillasReconstructor') ? 'HillasReconstructor' : names[0];
  if (reco) {
    const g = showerGeometryOf(reco, ev.geometry?.[reco], maskTelIds);
    if (g) out.reconstructed = g;
  }
  if (ctx.pointing) out.pointing = { ...ctx.pointing };
  return out;
}
