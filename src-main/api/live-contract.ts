/**
 * The live-monitoring part of the API: DAQ sources, run control beyond the
 * simulation, aggregated histograms, rates and pixel maps, alarms, recording.
 * (Filled in by the live-monitoring work; kept apart from contract.ts so the
 * parts of the API grow independently.)
 */
import { z } from 'zod';

export const liveRequestSchemas = {} as const satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LiveReplies {}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LiveStreams {}

export const liveStreamNames = [] as const satisfies readonly (keyof LiveStreams)[];
