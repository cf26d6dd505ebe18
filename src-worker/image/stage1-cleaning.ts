/**
 * ctapipe's stage-1 tailcuts settings per camera (ctapipe-process
 * stage1_config.yaml): LSTCam 8.5/4.25, NectarCam and FlashCam 9/4.5,
 * CHEC 4/2, others 10/5 p.e.; at least 2 picture neighbours; isolated pixels dropped.
 */
import type { TailcutsOptions } from './tailcuts.js';

const thresholds: Record<string, [number, number]> = {
  LSTCam: [8.5, 4.25],
  NectarCam: [9, 4.5],
  FlashCam: [9, 4.5],
  CHEC: [4, 2],
};

export function stage1Cleaning(cameraName: string): TailcutsOptions {
  const [pictureThresh, boundaryThresh] = thresholds[cameraName] ?? [10, 5];
  return { pictureThresh, boundaryThresh, keepIsolatedPixels: false, minNumberPictureNeighbors: 2 };
}
