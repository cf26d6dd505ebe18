/** Any other HDF5 file (h5py or PyTables): its tree to browse. Recognises every file, so it comes last in the registry. */
import type { FileFormat } from './file-format.js';

export const hdf5Format: FileFormat<null> = {
  id: 'hdf5',
  label: 'HDF5',
  offers: ['tree'],
  views: ['browser'],
  recognise: () => true,
  open: () => null,
  summarize: (_reader, tree) => ({
    details: {},
    line: `HDF5 file with ${tree.datasets}${tree.truncated ? '+' : ''} datasets`,
    eventCount: 0,
    info: ['kind: HDF5 (layout not recognised as ctapipe DL1 or WatChMaL)'],
  }),
};
