/**
 * ctapipe's stage-1 tailcuts settings per camera (ctapipe-process
 * stage1_config.yaml): LSTCam 8.5/4.25, NectarCam and FlashCam 9/4.5,
 * CHEC 4/2, others 10/5 p.e.; at least 2 picture neighbours; isolated pixels dropped.
 */
import type { TailcutsOptions } from './tailcuts.js';
import { cleaningFor, type CleaningByCamera } from './image-processor.js';

const tailcuts = (pictureThresh: number, boundaryThresh: number): TailcutsOptions => ({
  pictureThresh,
  boundaryThresh,
  keepIsolatedPixels: false,
  minNumberPictureNeighbors: 2,
});

export const STAGE1_CLEANING: CleaningByCamera = {
  default: tailcuts(10, 5),
  cameras: {
    LSTCam: tailcuts(8.5, 4.25),
    NectarCam: tailcuts(9, 4.5),
    FlashCam: tailcuts(9, 4.5),
    CHEC: tailcuts(4, 2),
  },
};

export function stage1Cleaning(cameraName: string): TailcutsOptions {
  return cleaningFor(STAGE1_CLEANING, cameraName);
}
