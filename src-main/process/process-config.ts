/**
 * Settings of `lightpool process`: tailcuts cleaning per camera type and the
 * image quality query, with ctapipe-process's stage-1 values by default
 * (LSTCam 8.5/4.25, NectarCam and FlashCam 9/4.5, CHEC 4/2, others 10/5 p.e.,
 * at least 2 picture neighbours, isolated pixels dropped; images need more
 * than 2 non-zero cleaned pixels and more than 50 p.e.).
 *
 * A JSON config (`--config cleaning.json`) overrides them, with ctapipe's
 * option names:
 *
 *     {
 *       "cleaning": {
 *         "default": { "picture_thresh": 10, "boundary_thresh": 5 },
 *         "LSTCam": { "picture_thresh": 6, "boundary_thresh": 3, "min_number_picture_neighbors": 1 }
 *       },
 *       "image_quality": { "nonzero_pixels_above": 2, "intensity_above": 50 }
 *     }
 *
 * "default" applies to every camera, then the camera's own entry; omitted
 * options keep the stage-1 value. `"image_quality": null` parameterises every
 * image with a non-empty mask.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { stage1Cleaning } from '../../src-worker/cleaning/stage1-cleaning.js';
import type { TailcutsOptions } from '../../src-worker/cleaning/tailcuts.js';
import { CTAPIPE_PROCESS_IMAGE_QUALITY, type ImageQualityCriteria } from '../../src-worker/reconstruction/image-batch.js';

const threshold = z.number();
const cleaningSchema = z
  .object({
    picture_thresh: threshold,
    boundary_thresh: threshold,
    keep_isolated_pixels: z.boolean(),
    min_number_picture_neighbors: z.number().int().min(0),
  })
  .partial()
  .strict();

export const processConfigSchema = z
  .object({
    cleaning: z.record(z.string(), cleaningSchema).optional(),
    image_quality: z
      .object({ nonzero_pixels_above: z.number().int().min(0), intensity_above: z.number() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export type ProcessConfigJson = z.infer<typeof processConfigSchema>;

export interface ProcessSettings {
  cleaningFor: (cameraName: string) => TailcutsOptions;
  quality: ImageQualityCriteria | null;
  /** where the settings came from, for messages and provenance */
  source: string;
  /** the resolved settings as text (provenance attribute) */
  describe: (cameraNames: string[]) => string;
}

export class ProcessConfigError extends Error {}

function fromJson(json: ProcessConfigJson, source: string): ProcessSettings {
  const cleaning = json.cleaning ?? {};
  const cleaningFor = (camera: string): TailcutsOptions => {
    const base = stage1Cleaning(camera);
    for (const o of [cleaning.default, cleaning[camera]]) {
      if (!o) continue;
      if (o.picture_thresh !== undefined) base.pictureThresh = o.picture_thresh;
      if (o.boundary_thresh !== undefined) base.boundaryThresh = o.boundary_thresh;
      if (o.keep_isolated_pixels !== undefined) base.keepIsolatedPixels = o.keep_isolated_pixels;
      if (o.min_number_picture_neighbors !== undefined) base.minNumberPictureNeighbors = o.min_number_picture_neighbors;
    }
    return base;
  };
  const q = json.image_quality;
  const quality: ImageQualityCriteria | null =
    q === null ? null : q === undefined ? { ...CTAPIPE_PROCESS_IMAGE_QUALITY } : { nonzeroPixelsAbove: q.nonzero_pixels_above, intensityAbove: q.intensity_above };
  return {
    cleaningFor,
    quality,
    source,
    describe: (cameras) => {
      const parts = cameras.map((c) => {
        const o = cleaningFor(c);
        return `${c}: tailcuts ${o.pictureThresh}/${o.boundaryThresh} p.e., min ${o.minNumberPictureNeighbors} picture neighbours, ${o.keepIsolatedPixels ? 'isolated pixels kept' : 'isolated pixels dropped'}`;
      });
      const qText = quality ? `image quality: count_nonzero > ${quality.nonzeroPixelsAbove}, sum > ${quality.intensityAbove} p.e.` : 'no image quality query';
      return `${source}; ${parts.join('; ')}; ${qText}; parameters in the telescope frame (effective focal length); HillasReconstructor stereo`;
    },
  };
}

/** ctapipe-process stage-1 settings. */
export function defaultProcessSettings(): ProcessSettings {
  return fromJson({}, 'ctapipe-process stage-1 defaults');
}

/** Parses and validates a config given as text (the file name is used in messages). */
export function parseProcessConfig(text: string, file: string): ProcessSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProcessConfigError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); see \`lightpool process --help\` for the format`);
  }
  const parsed = processConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ProcessConfigError(
      `${file}: invalid config: ${issues.join('; ')}. Expected {"cleaning": {"default" or camera name: {picture_thresh, boundary_thresh, keep_isolated_pixels, min_number_picture_neighbors}}, "image_quality": {nonzero_pixels_above, intensity_above} or null}`,
    );
  }
  return fromJson(parsed.data, file);
}

export function loadProcessConfig(file: string): ProcessSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProcessConfigError(`${file}: cannot read the config (${code === 'ENOENT' ? 'file not found' : String(code ?? err)})`);
  }
  return parseProcessConfig(text, file);
}
