/**
 * Lightpool's short JSON config for `lightpool process`, with ctapipe's option
 * names, kept beside ctapipe's own config files:
 *
 *     {
 *       "cleaning": {
 *         "default": { "picture_thresh": 10, "boundary_thresh": 5 },
 *         "LSTCam": { "picture_thresh": 6, "boundary_thresh": 3, "min_number_picture_neighbors": 1 }
 *       },
 *       "image_quality": { "nonzero_pixels_above": 2, "intensity_above": 50 }
 *     }
 *
 * It means the TailcutsImageCleaner patterns `["type", "*", v]` for
 * "default" and `["type", "*_<camera>", v]` for a camera name (the camera is
 * the last part of ctapipe's telescope type string, matched as ctapipe
 * matches: case-sensitive), appended to what the configuration had so far,
 * so an option it leaves out keeps its value; "image_quality" replaces the
 * ImageQualityQuery criteria with ctapipe-process's base_config pair with
 * these limits, and `null` parameterises every image with a non-empty mask.
 */
import { z } from 'zod';
import { ProcessConfigError } from './config-files.js';
import type { PatternEntry } from './telescope-pattern-list.js';

const cleaningSchema = z
  .object({
    picture_thresh: z.number(),
    boundary_thresh: z.number(),
    keep_isolated_pixels: z.boolean(),
    min_number_picture_neighbors: z.number().int().min(0),
  })
  .partial()
  .strict();

export const shorthandSchema = z
  .object({
    cleaning: z.record(z.string(), cleaningSchema).optional(),
    image_quality: z
      .object({ nonzero_pixels_above: z.number().int().min(0), intensity_above: z.number() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export type Shorthand = z.infer<typeof shorthandSchema>;

/** A file is the shorthand when its top-level keys are the shorthand's (lower case), not ctapipe sections. */
export function isShorthand(data: Record<string, unknown>): boolean {
  const keys = Object.keys(data);
  return keys.length > 0 && keys.every((k) => k === 'cleaning' || k === 'image_quality' || !/^[A-Z]/.test(k));
}

export function parseShorthand(data: Record<string, unknown>, file: string): Shorthand {
  const parsed = shorthandSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ProcessConfigError(
      `${file}: invalid config: ${issues.join('; ')}. Expected ctapipe sections (ImageProcessor: ...) or Lightpool's short form {"cleaning": {"default" or camera name: {picture_thresh, boundary_thresh, keep_isolated_pixels, min_number_picture_neighbors}}, "image_quality": {nonzero_pixels_above, intensity_above} or null}`,
    );
  }
  return parsed.data;
}

/** ctapipe TailcutsImageCleaner trait ← shorthand option */
export const SHORTHAND_TRAITS = {
  picture_thresh: 'picture_threshold_pe',
  boundary_thresh: 'boundary_threshold_pe',
  keep_isolated_pixels: 'keep_isolated_pixels',
  min_number_picture_neighbors: 'min_picture_neighbors',
} as const;

/** The patterns the shorthand adds, per TailcutsImageCleaner trait, in order ("default" first). */
export function shorthandPatterns(s: Shorthand): Record<string, PatternEntry[]> {
  const out: Record<string, PatternEntry[]> = {};
  const cleaning = s.cleaning ?? {};
  const names = Object.keys(cleaning).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
  for (const name of names) {
    const pattern = name === 'default' ? '*' : `*_${name}`;
    for (const [opt, trait] of Object.entries(SHORTHAND_TRAITS)) {
      const v = cleaning[name][opt as keyof typeof SHORTHAND_TRAITS];
      if (v === undefined) continue;
      (out[trait] ??= []).push(['type', pattern, v]);
    }
  }
  return out;
}

/** The ImageQualityQuery criteria the shorthand sets, or undefined when it says nothing about them. */
export function shorthandQuality(s: Shorthand): [string, string][] | undefined {
  if (s.image_quality === undefined) return undefined;
  if (s.image_quality === null) return [];
  return [
    ['enough_pixels', `np.count_nonzero(image) > ${s.image_quality.nonzero_pixels_above}`],
    ['enough_charge', `image.sum() > ${s.image_quality.intensity_above}`],
  ];
}
