/**
 * A batch of processed live events packed into a few typed arrays for the
 * trip from a pool worker to the backend. A structured clone of the events
 * as objects (a parameter object, ellipses and three arrays per image) cost
 * about 7 µs of CPU per image between the two threads, as much as cleaning
 * the image; packed, the clone moves a handful of buffers and the backend
 * rebuilds the objects in a fraction of that. The pixel arrays stay where
 * they are (views into the batch's slabs or the images' own buffers, which
 * are transferred) and come back as views.
 */
import type { LiveImage, LiveImageParameters, LiveProcessedEvent, PackedLiveEvents } from './live-types.js';

/** per event: numbers in PackedLiveEvents.events */
const E = {
  obsId: 0,
  eventId: 1,
  time: 2,
  firstImage: 3,
  nImages: 4,
  stereoValid: 5,
  alt: 6,
  az: 7,
  coreX: 8,
  coreY: 9,
  hMax: 10,
  firstStereoTel: 11,
  nStereoTels: 12,
  hasTruth: 13,
  trueEnergy: 14,
  trueAlt: 15,
  trueAz: 16,
  trueCoreX: 17,
  trueCoreY: 18,
} as const;
const EVENT_STRIDE = 19;

/** the telescope-frame parameters in this order */
const PARAMS = [
  'intensity',
  'fovLon',
  'fovLat',
  'length',
  'width',
  'psi',
  'skewness',
  'kurtosis',
  'timeGradient',
  'nPixels',
  'nIslands',
  'leakage2',
] as const satisfies readonly Exclude<keyof LiveImageParameters, 'ok'>[];
const ELLIPSE = ['intensity', 'x', 'y', 'length', 'width', 'psi'] as const;

/** per image: numbers in PackedLiveEvents.images */
const I = {
  telId: 0,
  camera: 1,
  ok: 2,
  params: 3,
  hasCameraHillas: 3 + PARAMS.length,
  cameraHillas: 4 + PARAMS.length,
  hasTimingSlope: 10 + PARAMS.length,
  timingSlope: 11 + PARAMS.length,
  hasTrueEllipse: 12 + PARAMS.length,
  trueEllipse: 13 + PARAMS.length,
  /** image, peak time, mask: buffer index, byte offset; then the pixel count */
  arrays: 19 + PARAMS.length,
  nPixels: 25 + PARAMS.length,
} as const;
const IMAGE_STRIDE = 26 + PARAMS.length;

/** Packs events; the returned buffers (packed numbers and pixel arrays) are the transfer list. */
export function packLiveEvents(list: readonly LiveProcessedEvent[]): { packed: PackedLiveEvents; transfer: ArrayBuffer[] } {
  let nImages = 0,
    nStereo = 0;
  for (const e of list) {
    nImages += e.images.length;
    nStereo += e.stereo.telIds.length;
  }
  const events = new Float64Array(list.length * EVENT_STRIDE);
  const images = new Float64Array(nImages * IMAGE_STRIDE);
  const stereoTelIds = new Int32Array(nStereo);
  const cameras: string[] = [];
  const cameraIndex = new Map<string, number>();
  const buffers: ArrayBuffer[] = [];
  const bufferIndex = new Map<ArrayBuffer, number>();
  const bufferOf = (b: ArrayBuffer): number => {
    let k = bufferIndex.get(b);
    if (k === undefined) {
      bufferIndex.set(b, (k = buffers.length));
      buffers.push(b);
    }
    return k;
  };
  let im = 0,
    st = 0;
  list.forEach((e, k) => {
    const o = k * EVENT_STRIDE;
    events[o + E.obsId] = e.obsId;
    events[o + E.eventId] = e.eventId;
    events[o + E.time] = e.time;
    events[o + E.firstImage] = im;
    events[o + E.nImages] = e.images.length;
    const s = e.stereo;
    events[o + E.stereoValid] = s.isValid ? 1 : 0;
    events[o + E.alt] = s.alt;
    events[o + E.az] = s.az;
    events[o + E.coreX] = s.coreX;
    events[o + E.coreY] = s.coreY;
    events[o + E.hMax] = s.hMax;
    events[o + E.firstStereoTel] = st;
    events[o + E.nStereoTels] = s.telIds.length;
    for (const t of s.telIds) stereoTelIds[st++] = t;
    const t = e.trueShower;
    events[o + E.hasTruth] = t ? 1 : 0;
    if (t) {
      events[o + E.trueEnergy] = t.energy;
      events[o + E.trueAlt] = t.alt;
      events[o + E.trueAz] = t.az;
      events[o + E.trueCoreX] = t.coreX;
      events[o + E.trueCoreY] = t.coreY;
    }
    for (const img of e.images) {
      const p = im++ * IMAGE_STRIDE;
      images[p + I.telId] = img.telId;
      let c = cameraIndex.get(img.camera);
      if (c === undefined) {
        cameraIndex.set(img.camera, (c = cameras.length));
        cameras.push(img.camera);
      }
      images[p + I.camera] = c;
      images[p + I.ok] = img.params.ok ? 1 : 0;
      for (let j = 0; j < PARAMS.length; j++) images[p + I.params + j] = img.params[PARAMS[j]];
      writeEllipse(images, p + I.hasCameraHillas, img.cameraHillas);
      images[p + I.hasTimingSlope] = img.cameraTimingSlope === undefined ? 0 : 1;
      images[p + I.timingSlope] = img.cameraTimingSlope ?? NaN;
      writeEllipse(images, p + I.hasTrueEllipse, img.trueEllipse);
      const arrays = [img.image, img.peakTime, img.mask];
      for (let j = 0; j < 3; j++) {
        images[p + I.arrays + 2 * j] = bufferOf(arrays[j].buffer as ArrayBuffer);
        images[p + I.arrays + 2 * j + 1] = arrays[j].byteOffset;
      }
      images[p + I.nPixels] = img.image.length;
      if (img.peakTime.length !== img.image.length || img.mask.length !== img.image.length)
        throw new Error(`telescope ${img.telId}: image, peak time and mask differ in length`);
    }
  });
  const packed: PackedLiveEvents = { nEvents: list.length, nImages, events, images, cameras, stereoTelIds, buffers };
  return { packed, transfer: [events.buffer, images.buffer, stereoTelIds.buffer, ...buffers] };
}

function writeEllipse(a: Float64Array, at: number, e: LiveImage['cameraHillas']): void {
  a[at] = e ? 1 : 0;
  for (let j = 0; j < ELLIPSE.length; j++) a[at + 1 + j] = e ? e[ELLIPSE[j]] : NaN;
}

function readEllipse(a: Float64Array, at: number): LiveImage['cameraHillas'] {
  if (a[at] !== 1) return undefined;
  return { intensity: a[at + 1], x: a[at + 2], y: a[at + 3], length: a[at + 4], width: a[at + 5], psi: a[at + 6] };
}

/**
 * An unpacked image: its pixel arrays are made when first read (a typed-array
 * view costs more than the rest of an unpacked image, and most live images
 * are only histogrammed).
 */
class UnpackedImage implements LiveImage {
  private imageView: Float32Array | undefined = undefined;
  private peakTimeView: Float32Array | undefined = undefined;
  private maskView: Uint8Array | undefined = undefined;

  constructor(
    readonly telId: number,
    readonly camera: string,
    readonly params: LiveImageParameters,
    private readonly packed: PackedLiveEvents,
    private readonly at: number,
  ) {}

  private pointer(j: number): [ArrayBuffer, number, number] {
    const { images, buffers } = this.packed;
    const q = this.at + I.arrays + 2 * j;
    return [buffers[images[q]], images[q + 1], images[this.at + I.nPixels]];
  }

  get image(): Float32Array {
    return (this.imageView ??= new Float32Array(...this.pointer(0)));
  }

  get peakTime(): Float32Array {
    return (this.peakTimeView ??= new Float32Array(...this.pointer(1)));
  }

  get mask(): Uint8Array {
    return (this.maskView ??= new Uint8Array(...this.pointer(2)));
  }

  // the overlay ellipses and slope, read when a view asks for them (undefined when absent)
  get cameraHillas(): LiveImage['cameraHillas'] {
    return readEllipse(this.packed.images, this.at + I.hasCameraHillas);
  }

  get cameraTimingSlope(): number | undefined {
    const a = this.packed.images;
    return a[this.at + I.hasTimingSlope] === 1 ? a[this.at + I.timingSlope] : undefined;
  }

  get trueEllipse(): LiveImage['trueEllipse'] {
    return readEllipse(this.packed.images, this.at + I.hasTrueEllipse);
  }
}

/** pixels over all images of a packed batch (without making any view) */
export function packedPixelCount(p: PackedLiveEvents): number {
  let n = 0;
  for (let k = 0; k < p.nImages; k++) n += p.images[k * IMAGE_STRIDE + I.nPixels];
  return n;
}

/**
 * The events as objects again, their pixel arrays views into the transferred
 * buffers (made when first read). The images' pixel arrays and overlay
 * ellipses are getters: read them (or convert with toArrayEvent), do not
 * spread or structured-clone an unpacked image, which would lose them.
 */
export function unpackLiveEvents(p: PackedLiveEvents): LiveProcessedEvent[] {
  const { events, images } = p;
  const out: LiveProcessedEvent[] = new Array(p.nEvents);
  for (let k = 0; k < p.nEvents; k++) {
    const o = k * EVENT_STRIDE;
    const first = events[o + E.firstImage];
    const list: LiveImage[] = new Array(events[o + E.nImages]);
    for (let j = 0; j < list.length; j++) {
      const q = (first + j) * IMAGE_STRIDE;
      const params: LiveImageParameters = {
        ok: images[q + I.ok] === 1,
        intensity: images[q + I.params],
        fovLon: images[q + I.params + 1],
        fovLat: images[q + I.params + 2],
        length: images[q + I.params + 3],
        width: images[q + I.params + 4],
        psi: images[q + I.params + 5],
        skewness: images[q + I.params + 6],
        kurtosis: images[q + I.params + 7],
        timeGradient: images[q + I.params + 8],
        nPixels: images[q + I.params + 9],
        nIslands: images[q + I.params + 10],
        leakage2: images[q + I.params + 11],
      };
      const img = new UnpackedImage(images[q + I.telId], p.cameras[images[q + I.camera]], params, p, q);
      list[j] = img;
    }
    const s0 = events[o + E.firstStereoTel];
    const e: LiveProcessedEvent = {
      obsId: events[o + E.obsId],
      eventId: events[o + E.eventId],
      time: events[o + E.time],
      images: list,
      stereo: {
        isValid: events[o + E.stereoValid] === 1,
        alt: events[o + E.alt],
        az: events[o + E.az],
        coreX: events[o + E.coreX],
        coreY: events[o + E.coreY],
        hMax: events[o + E.hMax],
        telIds: stereoTels(p.stereoTelIds, s0, events[o + E.nStereoTels]),
      },
    };
    if (events[o + E.hasTruth] === 1) {
      e.trueShower = {
        energy: events[o + E.trueEnergy],
        alt: events[o + E.trueAlt],
        az: events[o + E.trueAz],
        coreX: events[o + E.trueCoreX],
        coreY: events[o + E.trueCoreY],
      };
    }
    out[k] = e;
  }
  return out;
}

function stereoTels(all: Int32Array, first: number, n: number): number[] {
  const out: number[] = new Array(n);
  for (let k = 0; k < n; k++) out[k] = all[first + k];
  return out;
}
