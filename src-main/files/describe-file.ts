/** A one-line description of an opened file for the UI. */
import type { FileOpenResult } from '../api/contract.js';
import type { FileSummary } from '../../src-worker/io/hdf5/hdf5-protocol.js';

export function fileKind(s: FileSummary): FileOpenResult['kind'] {
  if (s.dl1) return 'dl1';
  if (s.watchmal) return 'watchmal';
  return 'hdf5';
}

export function describeFile(s: FileSummary): string {
  if (s.dl1) {
    const cams = [...new Set(s.dl1.telescopes.map((t) => t.cameraName))].join(', ');
    return `ctapipe DL1 file, ${s.dl1.nEvents} events, ${s.dl1.telescopes.length} telescopes (${cams})`;
  }
  if (s.watchmal) return `WatChMaL file (${s.watchmal.kind})`;
  return `HDF5 file with ${s.datasets.length}${s.datasetsTruncated ? '+' : ''} datasets`;
}
