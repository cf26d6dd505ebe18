/**
 * The DAQ's subarray announcement (a subarray frame's JSON payload), checked
 * with a schema like every API request: a DAQ is on the network, and what it
 * announces reaches the views (names, types) and the recordings. A payload
 * that does not fit is a protocol error naming the field.
 */
import { z } from 'zod';

const finite = z.number().finite();
/** pixels of an announced camera geometry at most (a 4 MiB frame holds ~70,000 pixels' JSON) */
export const MAX_ANNOUNCED_PIXELS = 200_000;
/** printable text without control characters (it reaches titles, legends, HDF5 attributes) */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

const cameraName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'camera names are letters, digits, "_", "." or "-"');

/** pixel coordinates in m and areas in m²: a camera is metres across, not kilometres */
const pixelValues = (min: number, max: number) => z.array(finite.min(min).max(max)).min(1).max(MAX_ANNOUNCED_PIXELS);

/** ctapipe's CameraGeometry as a DAQ announces it: the three pixel columns of one length, a pixel type ctapipe knows */
const cameraGeometry = z
  .object({
    pix_type: z
      .string()
      .max(32)
      .regex(/^\s*(hex|rect|square)/i, 'a pixel type ctapipe knows: hexagon or square'),
    pix_rotation_deg: finite.min(-360).max(360),
    cam_rotation_deg: finite.min(-360).max(360),
    pix_x: pixelValues(-100, 100),
    pix_y: pixelValues(-100, 100),
    pix_area: pixelValues(0, 100),
  })
  .strict()
  .refine((g) => g.pix_y.length === g.pix_x.length && g.pix_area.length === g.pix_x.length, 'pix_x, pix_y and pix_area must have one entry per pixel');

export const daqSubarraySchema = z.object({
  name: text(200),
  pointing: z.object({ alt: finite.min(-90).max(90), az: finite.min(-360).max(720) }),
  telescopes: z
    .array(
      z.object({
        /** the tel_id of image frames: a u16 */
        telId: z.number().int().min(0).max(0xffff),
        type: text(200),
        camera: cameraName,
        focalLength: finite.positive().max(1000),
        position: z.tuple([finite.min(-1e6).max(1e6), finite.min(-1e6).max(1e6), finite.min(-1e6).max(1e6)]),
      }),
    )
    .min(1)
    .max(10_000)
    .refine((list) => new Set(list.map((t) => t.telId)).size === list.length, 'telescope ids must be unique'),
  eventIds: z.enum(['consecutive', 'source']).optional(),
  cameras: z
    .record(cameraName, cameraGeometry)
    .refine((r) => Object.keys(r).length <= 64, 'at most 64 camera geometries')
    .optional(),
});

export type DaqSubarrayAnnouncement = z.infer<typeof daqSubarraySchema>;

/** The checked subarray, or the reason it does not fit (fields named). */
export function checkDaqSubarray(json: unknown): { ok: true; subarray: DaqSubarrayAnnouncement } | { ok: false; reason: string } {
  const r = daqSubarraySchema.safeParse(json);
  if (r.success) return { ok: true, subarray: r.data };
  const reason = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason };
}
