/** Events as they travel over the API: the domain's own shapes (src-worker/containers). */
export type { HillasEllipse } from '../../src-worker/containers/hillas.js';
export type { ArrayEvent, ShowerGeometry, TelescopeImage, TrueShower } from '../../src-worker/containers/array-event.js';
