/**
 * The one typed API between the renderer and the backend. The same contract
 * travels over Electron IPC (a MessagePort) and over WebSocket (serve mode):
 * requests with replies, and streams pushed by the backend.
 *
 * Request parameters are validated with zod at the boundary (see ./validate.ts);
 * reply and stream payloads are produced by our own backend and only typed.
 */
import { z } from 'zod';
import type { CameraGeometry, SubarrayDescription } from './instrument-types.js';
import type { ArrayEvent } from './event-types.js';
import { fileRequestSchemas, fileStreamNames, type FileReplies, type FileStreams } from './file-contract.js';
import { sceneRequestSchemas, type SceneReplies } from './scene-contract.js';
import { liveRequestSchemas, liveStreamNames, type LiveReplies, type LiveStreams } from './live-contract.js';
import { histogramRequestSchemas, histogramStreamNames, type HistogramReplies, type HistogramStreams } from './histogram-contract.js';
import { labRequestSchemas, labStreamNames, type LabReplies, type LabStreams } from './lab-contract.js';

export type { FileOpenResult } from './file-contract.js';

const cameraName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'camera names are letters, digits, "_", "." or "-"');

/** zod schemas for every request's parameters, keyed by method name. */
export const requestSchemas = {
  'app.info': z.object({}).strict(),
  'app.ping': z.object({ payload: z.string().max(4096).optional() }).strict(),
  'instrument.subarray': z.object({}).strict(),
  'instrument.geometry': z.object({ camera: cameraName }).strict(),
  ...fileRequestSchemas,
  ...liveRequestSchemas,
  ...sceneRequestSchemas,
  ...histogramRequestSchemas,
  ...labRequestSchemas,
} as const;

export type Method = keyof typeof requestSchemas;
export type Params<M extends Method> = z.infer<(typeof requestSchemas)[M]>;

/**
 * What a connection may do (see method-roles.ts for which methods need which):
 * 'control' is everything; 'view' may watch, step through open files, make
 * histograms and export figures, but not open files by path, export HDF5,
 * record, or switch or control the live source.
 */
export type Role = 'view' | 'control';

export interface AppInfo {
  name: string;
  version: string;
  /** how this renderer is connected */
  transport: 'electron-ipc' | 'websocket';
  /** whether the server requires a token (serve mode on a non-loopback address, or with --token) */
  tokenRequired: boolean;
  /** what this connection may do; the UI hides what it may not */
  role: Role;
  /**
   * serve mode: the folders files are read from and written to (a path outside
   * them is refused), listed by file.browse; absent in the desktop app, which
   * may open any file the user can
   */
  dataDirectories?: string[];
  node: string;
  platform: string;
}

/** The reply type of every method. */
export interface Replies extends FileReplies, LiveReplies, HistogramReplies, SceneReplies, LabReplies {
  'app.info': AppInfo;
  'app.ping': { pong: true; payload?: string; serverTimeMs: number };
  'instrument.subarray': SubarrayDescription;
  'instrument.geometry': CameraGeometry;
}

/** Streams the backend pushes to every connected renderer. */
export interface Streams extends FileStreams, LiveStreams, HistogramStreams, LabStreams {
  /** the newest array event, coalesced to display rate (newest wins) */
  'array-event': ArrayEvent;
  /** a message for the user (errors from background work, shell actions) */
  notice: { level: 'info' | 'warning' | 'error'; message: string };
}
export type StreamName = keyof Streams;

export const streamNames: readonly StreamName[] = ['array-event', 'notice', ...fileStreamNames, ...liveStreamNames, ...histogramStreamNames, ...labStreamNames];

/** Error codes in error replies. */
export type ApiErrorCode =
  | 'bad-request'
  | 'unknown-method'
  | 'not-found'
  | 'failed'
  | 'unauthorized'
  /** this connection's role may not call the method, or a path is outside the data directories */
  | 'forbidden'
  /** the connection sent more requests per second than the server answers */
  | 'rate-limited';

/** Wire envelopes (both transports). */
export interface RequestMessage {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
}
export interface ReplyMessage {
  type: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { code: ApiErrorCode; message: string };
}
export interface StreamMessage {
  type: 'stream';
  stream: StreamName;
  data: unknown;
}
export type ServerMessage = ReplyMessage | StreamMessage;
