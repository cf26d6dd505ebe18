/**
 * What a registered file format is, as it travels with an open file (the
 * HDF5 worker's summary, file.open's reply) to the backend, the command line
 * and the renderer: pure data, no reader code (see file-format.ts for the
 * rest of a format and registry.ts for the list).
 */

/** The registered formats (the ids `lightpool info --json` prints as `kind`). */
export type FormatId = 'dl1' | 'simtel' | 'watchmal-hits' | 'watchmal-images' | 'hdf5';

/** What a format offers beyond the HDF5 tree every file has. */
export type FormatOffer =
  /** groups, datasets, attributes, slices and table rows (every HDF5 file) */
  | 'tree'
  /** pixel waveforms (R1, R0) of its telescope events (file.waveforms) */
  | 'waveforms'
  /** array events (telescope images, parameters, showers): file.event gives ArrayEvents */
  | 'array-events'
  /** water-Cherenkov events (PMT hits or images): file.event gives WatchmalEvents */
  | 'tank-events'
  /** a subarray and its camera geometries (file.subarray, file.geometry) */
  | 'subarray'
  /** image parameter tables (column histograms; a sim_telarray file's computed by a pass over it) */
  | 'parameters'
  /** a PMT geometry to place the hits (file.pmtGeometry) */
  | 'pmt-geometry'
  /** subsets of events written in the same layout (file.export, lightpool export; a sim_telarray file's to ctapipe's DL1 layout) */
  | 'subset-export'
  /** its events replayed as a live source (live.replay) */
  | 'replay';

/** The renderer's views (tabs) that open a file of a format, the first one the file goes to. */
export type FormatView = 'event' | 'array3d' | 'tank' | 'histograms' | 'browser';

/** What a format is, as it travels with an open file to the backend, the command line and the renderer. */
export interface FormatDescription {
  id: FormatId;
  /** for people, e.g. "ctapipe DL1" */
  label: string;
  offers: readonly FormatOffer[];
  /** the views that open it, the one it goes to first */
  views: readonly FormatView[];
}
