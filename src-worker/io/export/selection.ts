/**
 * Which events a subset export keeps: (obs_id, event_id) pairs, event
 * indices, or a cut expression over the event's columns
 * (../../selection/cut-expression.ts); validated with zod where requests
 * arrive (the HDF5 worker's protocol).
 */
import { z } from 'zod';

const nonNegInt = z.number().int().nonnegative();

export const selectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('events'), events: z.array(z.object({ obsId: z.number(), eventId: z.number() }).strict()).max(10_000_000) }).strict(),
  z.object({ kind: z.literal('indices'), indices: z.array(nonNegInt).max(10_000_000) }).strict(),
  z.object({ kind: z.literal('where'), expr: z.string().min(1).max(10_000) }).strict(),
]);
export type Selection = z.infer<typeof selectionSchema>;
