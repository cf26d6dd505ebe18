/**
 * Pixel status and invalid pixels, as ctapipe 0.26 derives them for
 * sim_telarray data (SimTelEventSource._get_r1_pixel_status and
 * _fill_mon_pixels_status, CameraCalibrator._get_invalid_pixels).
 *
 * - R1 `pixel_status` (uint8 per pixel, ctapipe.containers.PixelStatus bits):
 *   HIGH_GAIN_STORED where the high gain was selected, LOW_GAIN_STORED where
 *   the low gain was; both cleared for HV-disabled pixels. Without a gain
 *   selection no gain bit is set (ctapipe compares None with the channel).
 * - Invalid ("broken") pixels for extraction and the invalid-pixel handler:
 *   hardware | pedestal | flatfield failing masks `(nGains, nPixels)`, each
 *   taken at the pixel's selected gain. sim_telarray gives the HV-disabled
 *   pixels as all three masks, in every gain.
 */

/** ctapipe.containers.PixelStatus bits */
export const PixelStatus = {
  DVR_0: 1,
  DVR_1: 2,
  HIGH_GAIN_STORED: 4,
  LOW_GAIN_STORED: 8,
  SATURATED: 16,
  PIXEL_TRIGGER_0: 32,
  PIXEL_TRIGGER_1: 64,
  PIXEL_TRIGGER_2: 128,
} as const;

function checkPixelIds(what: string, ids: ArrayLike<number>, nPixels: number): void {
  for (let i = 0; i < ids.length; i++) {
    const p = ids[i];
    if (!Number.isInteger(p) || p < 0 || p >= nPixels) throw new RangeError(`${what}: pixel ${p} is not a pixel index (0..${nPixels - 1})`);
  }
}

/** The R1 pixel_status of a sim_telarray event. */
export function simtelR1PixelStatus(
  selectedGainChannel: Int8Array | null,
  nPixels: number,
  hvDisabledPixels: ArrayLike<number>,
  out: Uint8Array = new Uint8Array(nPixels),
): Uint8Array {
  if (out.length !== nPixels) throw new RangeError(`pixel status: output has ${out.length} pixels, expected ${nPixels}`);
  checkPixelIds('pixel status: HV-disabled', hvDisabledPixels, nPixels);
  if (!selectedGainChannel) {
    out.fill(0);
  } else {
    if (selectedGainChannel.length !== nPixels) throw new RangeError(`pixel status: ${selectedGainChannel.length} selected gains, expected ${nPixels}`);
    for (let p = 0; p < nPixels; p++) {
      const g = selectedGainChannel[p];
      out[p] = g === 0 ? PixelStatus.HIGH_GAIN_STORED : g === 1 ? PixelStatus.LOW_GAIN_STORED : 0;
    }
  }
  for (let i = 0; i < hvDisabledPixels.length; i++) out[hvDisabledPixels[i]] &= ~(PixelStatus.HIGH_GAIN_STORED | PixelStatus.LOW_GAIN_STORED);
  return out;
}

/** A per-pixel mask (1 = disabled) from a list of pixel indices. */
export function pixelMask(nPixels: number, pixels: ArrayLike<number>, out: Uint8Array = new Uint8Array(nPixels)): Uint8Array {
  if (out.length !== nPixels) throw new RangeError(`pixel mask: output has ${out.length} pixels, expected ${nPixels}`);
  checkPixelIds('pixel mask', pixels, nPixels);
  out.fill(0);
  for (let i = 0; i < pixels.length; i++) out[pixels[i]] = 1;
  return out;
}

/**
 * ctapipe's invalid pixels `(nChannels, nPixels)` for the calibrator: the OR
 * of the failing-pixel masks (each `(nGains, nPixels)`, 1 = failing; null
 * masks are skipped), taken at each pixel's selected gain (one row), or per
 * channel without a gain selection (nGains rows).
 */
export function invalidPixels(
  failingMasks: ReadonlyArray<Uint8Array | null>,
  nGains: number,
  nPixels: number,
  selectedGainChannel: Int8Array | null,
  out: Uint8Array = new Uint8Array((selectedGainChannel ? 1 : nGains) * nPixels),
): Uint8Array {
  const rows = selectedGainChannel ? 1 : nGains;
  if (out.length !== rows * nPixels) throw new RangeError(`invalid pixels: output has ${out.length} values, expected ${rows} × ${nPixels}`);
  out.fill(0);
  for (const mask of failingMasks) {
    if (!mask) continue;
    if (mask.length !== nGains * nPixels)
      throw new RangeError(`invalid pixels: a failing-pixel mask has ${mask.length} values, expected ${nGains} × ${nPixels}`);
    if (selectedGainChannel) {
      for (let p = 0; p < nPixels; p++) if (mask[selectedGainChannel[p] * nPixels + p]) out[p] = 1;
    } else {
      for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = 1;
    }
  }
  return out;
}

/**
 * The invalid pixels of a sim_telarray event: its HV-disabled pixels (ctapipe
 * fills all three failing masks with them, in every gain), one row when gain
 * selected, else `nGains` identical rows.
 */
export function simtelInvalidPixels(
  hvDisabledPixels: ArrayLike<number>,
  nGains: number,
  nPixels: number,
  selectedGainChannel: Int8Array | null,
  out?: Uint8Array,
): Uint8Array {
  const rows = selectedGainChannel ? 1 : nGains;
  const o = out ?? new Uint8Array(rows * nPixels);
  if (o.length !== rows * nPixels) throw new RangeError(`invalid pixels: output has ${o.length} values, expected ${rows} × ${nPixels}`);
  checkPixelIds('invalid pixels: HV-disabled', hvDisabledPixels, nPixels);
  o.fill(0);
  for (let r = 0; r < rows; r++) for (let i = 0; i < hvDisabledPixels.length; i++) o[r * nPixels + hvDisabledPixels[i]] = 1;
  return o;
}
