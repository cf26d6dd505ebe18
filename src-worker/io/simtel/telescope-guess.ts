/**
 * Telescope, optics and camera names for a sim_telarray telescope, the way
 * ctapipe 0.26's SimTelEventSource finds them: from the telescope metadata
 * (OPTICS_CONFIG_NAME, CAMERA_CONFIG_NAME, MIRROR_CLASS ...) when the file
 * has it, else ctapipe's lookup table of (pixels, focal length, mirror
 * tiles) (ctapipe.instrument.guess), else UNKNOWN-<area>M2 / UNKNOWN-<n>PX.
 */
export type SizeType = 'LST' | 'MST' | 'SST' | 'UNKNOWN';
export type ReflectorShape = 'UNKNOWN' | 'PARABOLIC' | 'DAVIES_COTTON' | 'HYBRID' | 'SCHWARZSCHILD_COUDER';

export interface TelescopeGuess {
  /** size type */
  type: SizeType;
  /** optics (telescope) name, e.g. "LST" */
  name: string;
  cameraName: string;
  /** mirrors in the optical path (1, or 2 for dual-mirror telescopes; -1 unknown) */
  nMirrors: number;
  reflectorShape: ReflectorShape;
}

interface Entry {
  nPixels: number;
  focalLength: number;
  nMirrorTiles: number | null;
  result: TelescopeGuess;
}

const SC: ReflectorShape = 'SCHWARZSCHILD_COUDER';
const DC: ReflectorShape = 'DAVIES_COTTON';
const H: ReflectorShape = 'HYBRID';
const P: ReflectorShape = 'PARABOLIC';

const g = (type: SizeType, name: string, cameraName: string, nMirrors: number, reflectorShape: ReflectorShape): TelescopeGuess => ({
  type,
  name,
  cameraName,
  nMirrors,
  reflectorShape,
});

/** ctapipe.instrument.guess.TELESCOPE_NAMES */
const TELESCOPE_NAMES: Entry[] = [
  { nPixels: 2048, focalLength: 2.28, nMirrorTiles: null, result: g('SST', 'GCT', 'CHEC', 2, SC) },
  { nPixels: 2368, focalLength: 2.15, nMirrorTiles: null, result: g('SST', 'ASTRI', 'ASTRICam', 2, SC) },
  { nPixels: 2048, focalLength: 2.15, nMirrorTiles: null, result: g('SST', 'ASTRI', 'CHEC', 2, SC) },
  { nPixels: 1296, focalLength: 5.6, nMirrorTiles: null, result: g('SST', '1M', 'DigiCam', 1, DC) },
  { nPixels: 1764, focalLength: 16.0, nMirrorTiles: null, result: g('MST', 'MST', 'FlashCam', 1, H) },
  { nPixels: 1855, focalLength: 16.0, nMirrorTiles: null, result: g('MST', 'MST', 'NectarCam', 1, H) },
  { nPixels: 1855, focalLength: 28.0, nMirrorTiles: null, result: g('LST', 'LST', 'LSTCam', 1, P) },
  { nPixels: 11328, focalLength: 5.59, nMirrorTiles: null, result: g('MST', 'SCT', 'SCTCam', 1, SC) },
  { nPixels: 1039, focalLength: 16.97, nMirrorTiles: 964, result: g('LST', 'MAGIC-1', 'MAGICCam', 1, P) },
  { nPixels: 1039, focalLength: 16.97, nMirrorTiles: 247, result: g('LST', 'MAGIC-2', 'MAGICCam', 1, P) },
  { nPixels: 1039, focalLength: 17.0, nMirrorTiles: 964, result: g('LST', 'MAGIC-1', 'MAGICCam', 1, P) },
  { nPixels: 1039, focalLength: 17.0, nMirrorTiles: 247, result: g('LST', 'MAGIC-2', 'MAGICCam', 1, P) },
  { nPixels: 960, focalLength: 15.0, nMirrorTiles: null, result: g('MST', 'HESS-I', 'HESS-I', 1, DC) },
  { nPixels: 2048, focalLength: 36.0, nMirrorTiles: null, result: g('LST', 'HESS-II', 'HESS-II', 1, P) },
  { nPixels: 1440, focalLength: 4.89, nMirrorTiles: null, result: g('SST', 'FACT', 'FACT', 1, H) },
];

/**
 * Python's round(x, 2): the exact binary value rounded to 2 decimals, ties
 * to even. `toFixed` rounds the exact value too but ties up; exact ties are
 * the odd multiples of 1/8 (0.125, 0.375, ...).
 */
export function pythonRound2(x: number): number {
  const r = Number(x.toFixed(2));
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    const lo = Math.floor(x * 100);
    const even = lo % 2 === 0 ? lo : lo + 1;
    return even / 100;
  }
  return r;
}

/** ctapipe's guess_telescope, or null when the table has no such telescope. */
export function guessTelescope(nPixels: number, focalLength: number, nMirrorTiles: number | null): TelescopeGuess | null {
  const f = pythonRound2(focalLength);
  const candidates = TELESCOPE_NAMES.filter((e) => e.nPixels === nPixels && e.focalLength === f);
  if (!candidates.length) return null;
  const exact = candidates.find((e) => e.nMirrorTiles === nMirrorTiles);
  if (exact) return { ...exact.result };
  const any = candidates.find((e) => e.nMirrorTiles === null);
  return any ? { ...any.result } : null;
}

/** ctapipe's type_from_mirror_area: by the diameter of a disc of that area. */
export function typeFromMirrorArea(mirrorArea: number): SizeType {
  const d = 2 * Math.sqrt(mirrorArea / Math.PI);
  if (d < 8) return 'SST';
  if (d < 16) return 'MST';
  return 'LST';
}

/** ctapipe's unknown_telescope. */
export function unknownTelescope(mirrorArea: number, nPixels: number, nMirrors = -1): TelescopeGuess {
  return {
    type: typeFromMirrorArea(mirrorArea),
    name: `UNKNOWN-${formatNoDecimals(mirrorArea)}M2`,
    cameraName: `UNKNOWN-${nPixels}PX`,
    nMirrors,
    reflectorShape: 'UNKNOWN',
  };
}

/** Python's f"{x:.0f}" (round half to even). */
function formatNoDecimals(x: number): string {
  const f = Math.floor(x);
  const d = x - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return String(r === 0 ? 0 : r);
}

/** ctapipe's _telescope_from_meta: null when the metadata lacks the names. */
export function telescopeFromMeta(meta: Map<string, string> | undefined, mirrorArea: number): TelescopeGuess | null {
  if (!meta) return null;
  const opticsName = meta.get('OPTICS_CONFIG_NAME');
  const cameraName = meta.get('CAMERA_CONFIG_NAME');
  const mirrorClassText = meta.get('MIRROR_CLASS');
  if (opticsName === undefined || cameraName === undefined || mirrorClassText === undefined) return null;
  const mirrorClass = parseInt(mirrorClassText, 10);
  if (![0, 1, 2].includes(mirrorClass)) throw new Error(`MIRROR_CLASS ${mirrorClassText} is not 0, 1 or 2`);
  let reflectorShape: ReflectorShape = 'UNKNOWN';
  if (mirrorClass === 2) {
    reflectorShape = 'SCHWARZSCHILD_COUDER';
  } else if (mirrorClass === 0) {
    if (parseInt(meta.get('PARABOLIC_DISH') ?? '0', 10) === 1) {
      reflectorShape = 'PARABOLIC';
    } else {
      reflectorShape = 'DAVIES_COTTON';
      const shapeLength = parseFloat(meta.get('DISH_SHAPE_Length') ?? '0');
      const focal = parseFloat(meta.get('FOCAL_Length') ?? '0');
      if (shapeLength !== focal) reflectorShape = 'HYBRID';
    }
  }
  return {
    type: typeFromMirrorArea(mirrorArea),
    name: opticsName,
    cameraName,
    nMirrors: mirrorClass === 2 ? 2 : 1,
    reflectorShape,
  };
}
