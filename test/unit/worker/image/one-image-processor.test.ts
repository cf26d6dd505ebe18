/**
 * One image processor: the same images through the live path (the
 * 'live-process' pool task, as a DAQ stream's events take it, unpacked as the
 * backend unpacks them) and the process path (the 'reconstruct-images' pool
 * task of `lightpool process`) with the same configuration give identical
 * cleaning masks and identical parameters, bit for bit — with the live
 * pipeline's own configuration (stage-1 cleaning, no quality query) and with
 * ctapipe-process's defaults as `lightpool process` resolves them (tailcuts
 * 10/5 p.e., `size_greater_0`).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readRefValues, toFloat32Array } from '../../../../src-main/tools/ctapipe-refvalues.js';
import { defaultProcessSettings } from '../../../../src-main/process/process-config.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { runReconstructImages } from '../../../../src-worker/image/image-batch.js';
import { IMAGE_STATUS, settingsFor, type ImageProcessingConfig } from '../../../../src-worker/image/image-processor.js';
import { packedParameterColumns, N_PARAMETER_COLUMNS } from '../../../../src-worker/image/parameter-columns.js';
import { runLiveProcess } from '../../../../src-worker/live/live-tasks.js';
import { unpackLiveEvents } from '../../../../src-worker/live/live-batch-codec.js';
import { LIVE_IMAGE_PROCESSING } from '../../../../src-worker/live/live-image-processing.js';
import type { LiveImageParameters, RawArrayEvent } from '../../../../src-worker/live/live-types.js';
import type { SubarrayDescription } from '../../../../src-worker/containers/subarray.js';

const ref = readRefValues(join(__dirname, '../../../../test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz'));
const CAMERAS = ['LSTCam', 'NectarCam', 'CHEC'];
const TYPES: Record<string, string> = { LSTCam: 'LST_LST_LSTCam', NectarCam: 'MST_MST_NectarCam', CHEC: 'SST_ASTRI_CHEC' };

/** the live image parameters and the packed column each one is */
const LIVE_COLUMNS: [keyof Omit<LiveImageParameters, 'ok'>, string][] = [
  ['intensity', 'hillas_intensity'],
  ['fovLon', 'hillas_fov_lon'],
  ['fovLat', 'hillas_fov_lat'],
  ['length', 'hillas_length'],
  ['width', 'hillas_width'],
  ['psi', 'hillas_psi'],
  ['skewness', 'hillas_skewness'],
  ['kurtosis', 'hillas_kurtosis'],
  ['timeGradient', 'timing_slope'],
  ['nPixels', 'morphology_n_pixels'],
  ['nIslands', 'morphology_n_islands'],
  ['leakage2', 'leakage_intensity_width_2'],
];

const subarray: SubarrayDescription = {
  name: 'one telescope per camera',
  pointing: { alt: 70, az: 0 },
  telescopes: CAMERAS.map((camera, k) => ({
    telId: k + 1,
    type: TYPES[camera],
    camera,
    focalLength: loadCameraGeometry(camera).focalLength!,
    position: [10 * k, 0, 0],
  })),
};

function imagesOf(camera: string): { images: Float32Array[]; peaks: Float32Array[] } {
  const images: Float32Array[] = [],
    peaks: Float32Array[] = [];
  for (const d of ref.imageData.values()) {
    if (d.camera !== camera) continue;
    images.push(toFloat32Array(d.image));
    peaks.push(toFloat32Array(d.peak_time));
  }
  return { images, peaks };
}

/** ctapipe-process's defaults as `lightpool process` resolves them for this subarray, as a configuration by camera */
function processDefaults(): ImageProcessingConfig {
  const settings = defaultProcessSettings();
  const resolved = settings.resolve(subarray.telescopes.map((t) => ({ telId: t.telId, type: t.type })));
  return {
    cleaning: { default: resolved.cleaningFor(1), cameras: Object.fromEntries(subarray.telescopes.map((t) => [t.camera, resolved.cleaningFor(t.telId)])) },
    quality: settings.imageQuality,
  };
}

describe('one image processor: live path and process path', () => {
  const configs: [string, () => ImageProcessingConfig][] = [
    ['the live configuration (stage-1 cleaning, no quality query)', () => LIVE_IMAGE_PROCESSING],
    ["ctapipe-process's defaults (10/5 p.e., size_greater_0)", processDefaults],
  ];
  for (const [what, config] of configs) {
    for (const camera of CAMERAS) {
      it(`${camera}, ${what}: identical masks and parameters`, () => {
        const cfg = config();
        const tel = subarray.telescopes.find((t) => t.camera === camera)!;
        const g = loadCameraGeometry(camera);
        const n = g.nPixels;
        const { images, peaks } = imagesOf(camera);
        expect(images.length).toBeGreaterThan(10);

        // the process path: one batch of every image
        const flat = new Float32Array(images.length * n);
        const flatPeaks = new Float32Array(images.length * n);
        images.forEach((im, k) => flat.set(im, k * n));
        peaks.forEach((pk, k) => flatPeaks.set(pk, k * n));
        const settings = settingsFor(cfg, camera);
        const { result: proc } = runReconstructImages({
          kind: 'reconstruct-images',
          camera: { key: `${camera}|one-processor-test|${tel.focalLength}`, geometry: g, frame: 'TelescopeFrame', focalLength: tel.focalLength },
          cleaning: settings.cleaning,
          quality: settings.quality,
          parameters: 'all',
          nImages: images.length,
          images: flat,
          peakTimes: flatPeaks,
        });

        // the live path: each image an event of that telescope, as a DAQ sends them
        const events: RawArrayEvent[] = images.map((im, k) => ({
          obsId: 1,
          eventId: k + 1,
          time: 0,
          images: [{ telId: tel.telId, image: im.slice(), peakTime: peaks[k].slice() }],
        }));
        const { result: live } = runLiveProcess({ kind: 'live-process', subarray, events, processing: cfg });
        expect(live.rejected).toEqual([]);
        const liveEvents = unpackLiveEvents(live.events);
        expect(liveEvents).toHaveLength(images.length);

        const columns = packedParameterColumns('TelescopeFrame');
        let parameterised = 0,
          empty = 0;
        liveEvents.forEach((e, k) => {
          const img = e.images[0];
          // masks: the live image's mask, as pixel indices, is the process path's cleaned pixels
          const livePixels: number[] = [];
          img.mask.forEach((m, i) => m && livePixels.push(i));
          const procPixels = Array.from(proc.pixels.subarray(proc.pixelOffsets[k], proc.pixelOffsets[k + 1]));
          expect(livePixels, `image ${k}: mask`).toEqual(procPixels);
          if (procPixels.length === 0) empty++;
          // parameters: bit for bit (Object.is: NaN is NaN, 0 is not -0)
          const row = proc.parameters.subarray(k * N_PARAMETER_COLUMNS, (k + 1) * N_PARAMETER_COLUMNS);
          for (const [field, column] of LIVE_COLUMNS) {
            expect(
              Object.is(img.params[field], row[columns.indexOf(column)]),
              `image ${k}: ${field} ${img.params[field]} vs ${column} ${row[columns.indexOf(column)]}`,
            ).toBe(true);
          }
          const ok =
            proc.status[k] === IMAGE_STATUS.ok &&
            Number.isFinite(row[columns.indexOf('hillas_intensity')]) &&
            Number.isFinite(row[columns.indexOf('hillas_width')]);
          expect(img.params.ok, `image ${k}: ok`).toBe(ok);
          if (ok) parameterised++;
        });
        // the sample has both kinds of images for every camera
        expect(parameterised).toBeGreaterThan(0);
        expect(parameterised + empty).toBeLessThanOrEqual(images.length);
      });
    }
  }

  it("the live configuration is stated once: stage-1 tailcuts per camera, and ctapipe-process's size_greater_0 would pass exactly its non-empty masks", () => {
    expect(settingsFor(LIVE_IMAGE_PROCESSING, 'LSTCam').cleaning).toEqual({
      pictureThresh: 8.5,
      boundaryThresh: 4.25,
      keepIsolatedPixels: false,
      minNumberPictureNeighbors: 2,
    });
    expect(settingsFor(LIVE_IMAGE_PROCESSING, 'ASTRICam').cleaning).toEqual({
      pictureThresh: 10,
      boundaryThresh: 5,
      keepIsolatedPixels: false,
      minNumberPictureNeighbors: 2,
    });
    expect(LIVE_IMAGE_PROCESSING.quality).toBeNull();
    for (const c of [LIVE_IMAGE_PROCESSING.cleaning.default, ...Object.values(LIVE_IMAGE_PROCESSING.cleaning.cameras)])
      expect(c.boundaryThresh).toBeGreaterThan(0);
  });
});
