/**
 * The live pipeline's image processing, stated once: ctapipe's stage-1
 * tailcuts per camera (stage1_config.yaml: LSTCam 8.5/4.25, NectarCam and
 * FlashCam 9/4.5, CHEC 4/2, others 10/5 p.e.; at least 2 picture
 * neighbours), no ImageQualityQuery, and every image parameter in the
 * telescope frame with the subarray's focal length — through the same image
 * processor as `lightpool process` (../image/image-processor.ts), so the
 * same images with the same configuration give the same masks and
 * parameters on both paths.
 *
 * Why no quality query, when ctapipe-process applies `size_greater_0:
 * image.sum() > 0` by default: with these thresholds (all above 0 p.e.) every
 * pixel that survives cleaning is positive, so the query would pass exactly
 * the images with a non-empty mask — the images the live pipeline
 * parameterises anyway (an empty mask has no Hillas parameters: `ok` false,
 * no ellipse, no stereo). The one difference would be the container of an
 * empty image: ctapipe's default (morphology -1) instead of the morphology
 * of its empty mask (0 pixels, 0 islands), which the live monitor's
 * n_islands histogram shows in its 0 bin and the live tests assert
 * (n_pixels equals the mask's count, also for an empty mask). A task can
 * carry another configuration (`processing` of the live tasks).
 */
import type { ImageProcessingConfig } from '../image/image-processor.js';
import { STAGE1_CLEANING } from '../image/stage1-cleaning.js';

export const LIVE_IMAGE_PROCESSING: ImageProcessingConfig = { cleaning: STAGE1_CLEANING, quality: null };
