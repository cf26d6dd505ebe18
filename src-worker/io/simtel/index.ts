/**
 * The sim_telarray event source: what the calibration, the UI and the CLI
 * use. `openSimtelFile(path)` → SimtelFile (run, subarray, nEvents,
 * event(i), iterEvents(), info(), close()); errors are EventIOErrors.
 */
export { openSimtelFile, SimtelFile, type OpenSimtelOptions } from './simtel-file.js';
export type {
  R0Waveforms,
  SimtelEvent,
  SimtelFileInfo,
  SimtelObjectSummary,
  SimtelOptics,
  SimtelRun,
  SimtelShower,
  SimtelSimulationConfig,
  SimtelSubarray,
  SimtelTelescope,
  SimtelTelescopeEvent,
  SimtelTelescopeSettings,
  SimtelTelescopeTrigger,
  SimtelTrigger,
} from './simtel-types.js';
export { EventType } from './simtel-types.js';
export type { SimtelCamera, CameraReadout } from './simtel-camera.js';
export type { ArrayEventParts, RawArrayEvent, RawTelescopeEvent, SkippedObject } from './array-event.js';
export { objectName } from './object-types.js';
export { EventIOError, isEventIOError, type EventIOErrorKind } from '../eventio/eventio-errors.js';
