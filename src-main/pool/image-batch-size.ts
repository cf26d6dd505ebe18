/**
 * Images per 'reconstruct-images' pool task: about 0.5 MiB of float32
 * pixels, between 24 and 256 images (LSTCam: 70, SCTCam: 24). Each task
 * costs the worker some 40 µs besides its images (piscina's post and
 * wake-up, the task's structured clone, the copy of the result), so a task
 * must carry enough images that this stays a few per cent of the work
 * (24 SCTCam images: ~0.5 ms of cleaning and Hillas), while two batches in
 * flight per thread keep memory flat (24 images of a 40,000-pixel camera:
 * 3.8 MB).
 */
export function imageBatchSize(nPixels: number): number {
  return Math.max(24, Math.min(256, Math.floor((1 << 19) / (4 * nPixels))));
}
