/**
 * What a WatChMaL file holds (its summary, an event), as the API carries it:
 * types only (watchmal-reader.ts reads them).
 */
import type { AttrValue } from '../hdf5/browse-types.js';

export type WatchmalKind = 'watchmal-hits' | 'watchmal-images';

export interface WatchmalSummary {
  kind: WatchmalKind;
  file: string;
  nEvents: number;
  /** total hits (hit files) */
  nHits: number;
  /** 'digi' (hit_charge) or 'true' (hit_parent) for hit files */
  hitKind: 'digi' | 'true' | null;
  /** per-event image shape (image files) */
  imageShape: number[] | null;
  datasets: { name: string; shape: number[]; dtype: string }[];
  rootAttributes: Record<string, AttrValue>;
  labelCounts: Record<string, number>;
}

export interface WatchmalEvent {
  index: number;
  eventId: number | null;
  rootFile: string | null;
  /** gamma 0, e 1, mu 2, other -1 */
  label: number | null;
  /** MeV */
  energy: number | null;
  /** cm */
  position: number[] | null;
  /** [polar = arccos(dir_y), azimuth = atan2(dir_z, dir_x)], rad */
  angles: number[] | null;
  fullyContained: boolean | null;
  veto: boolean | null;
  veto2: boolean | null;
  nHits: number;
  hitPmt?: Int32Array;
  /** ns */
  hitTime?: Float32Array;
  /** p.e. (digitised hits) */
  hitCharge?: Float32Array;
  /** parent track (true hits) */
  hitParent?: Int32Array;
  /** image files: the event's image, row-major, of shape imageShape */
  image?: Float32Array;
  imageShape?: number[];
}
