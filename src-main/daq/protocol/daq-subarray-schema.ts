/**
 * The DAQ's subarray announcement (a subarray frame's JSON payload), checked
 * with a schema like every API request: a DAQ is on the network, and what it
 * announces reaches the views (names, types) and the recordings. A payload
 * that does not fit is a protocol error naming the field.
 */
import { z } from 'zod';

const finite = z.number().finite();
/** printable text without control characters (it reaches titles, legends, HDF5 attributes) */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

export const daqSubarraySchema = z.object({
  name: text(200),
  pointing: z.object({ alt: finite.min(-90).max(90), az: finite.min(-360).max(720) }),
  telescopes: z
    .array(
      z.object({
        /** the tel_id of image frames: a u16 */
        telId: z.number().int().min(0).max(0xffff),
        type: text(200),
        camera: z
          .string()
          .min(1)
          .max(64)
          .regex(/^[A-Za-z0-9_.-]+$/, 'camera names are letters, digits, "_", "." or "-"'),
        focalLength: finite.positive().max(1000),
        position: z.tuple([finite.min(-1e6).max(1e6), finite.min(-1e6).max(1e6), finite.min(-1e6).max(1e6)]),
      }),
    )
    .min(1)
    .max(10_000)
    .refine((list) => new Set(list.map((t) => t.telId)).size === list.length, 'telescope ids must be unique'),
  eventIds: z.enum(['consecutive', 'source']).optional(),
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
