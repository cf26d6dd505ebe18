/**
 * The worker-pool task that shows one image per channel: the file decoded
 * here (PNG/TIFF), each channel (grey, or R, G, B, A) as float32 values
 * with its 256-bin histogram over [0, 2^bitDepth).
 */
import { decodeImageFile } from './decode-image.js';
import { imageChannels, type ImageChannel } from './stack-statistics.js';

export interface ImageChannelsTask {
  kind: 'lab-image-channels';
  path: string;
}

export interface ImageChannelsResult {
  kind: 'lab-image-channels';
  path: string;
  width: number;
  height: number;
  bitDepth: number;
  channels: ImageChannel[];
}

export function runImageChannels(task: ImageChannelsTask): { result: ImageChannelsResult; transfer: ArrayBuffer[] } {
  const img = decodeImageFile(task.path);
  const channels = imageChannels(img);
  const transfer = channels.flatMap((c) => [c.values.buffer, c.histogram.buffer]) as ArrayBuffer[];
  return { result: { kind: 'lab-image-channels', path: task.path, width: img.width, height: img.height, bitDepth: img.bitDepth, channels }, transfer };
}
