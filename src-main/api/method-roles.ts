/**
 * Which role each API method needs: the one table the backend checks on every
 * request (ApiConnection) and the UI reads to hide what a role cannot do.
 *
 * 'view' is what a second shifter watching from another room needs: watch the
 * live source and its histograms, rates, pixel maps and alarms; step through
 * the files already open; make file histograms and fits; export figures (done
 * in the browser). 'control' adds everything that changes what everyone sees
 * or touches the serving machine's disk or network: opening files by path,
 * listing the data directories, exporting HDF5, recording, choosing and
 * controlling the live source, alarm thresholds, and resetting or rebinning
 * the shared live histograms and pixel maps.
 *
 * The lab (spectroscopy, Compton MLEM, image stacks): a watcher may open a
 * signals dataset of a file that is already open, look at its traces and
 * at the spectrum of signals someone shaped, follow an MLEM reconstruction
 * and step through an open image stack; starting heavy work (shaping every
 * signal, loading a system matrix into its own worker, iterating,
 * globbing the disk for a stack, a stack's statistics) and cancelling it
 * need control.
 *
 * Every method must be listed (the type says so), so a new method is a
 * decision, not a default.
 */
import type { Method, Role } from './contract.js';

export const methodRoles: Record<Method, Role> = {
  'app.info': 'view',
  'app.ping': 'view',
  'instrument.subarray': 'view',
  'instrument.geometry': 'view',

  'file.open': 'control',
  'file.browse': 'control',
  'file.close': 'control',
  'file.list': 'view',
  'file.tree': 'view',
  'file.readSlice': 'view',
  'file.readTableRows': 'view',
  'file.subarray': 'view',
  'file.event': 'view',
  'file.findEvent': 'view',
  'file.geometry': 'view',
  'file.pmtGeometry': 'view',
  'file.waveforms': 'view',
  'file.extractor': 'control',
  'file.waveformLevels': 'view',
  'file.waveformSums': 'view',
  'file.export': 'control',
  'file.exportCancel': 'control',

  'points.list': 'control',
  'points.read': 'control',

  'hist.fileColumns': 'view',
  'hist.fileColumn': 'view',
  'hist.cancel': 'view',
  'hist.binEvents': 'view',
  'hist.fit': 'view',

  'live.connect': 'control',
  'live.disconnect': 'control',
  'live.simulate': 'control',
  'live.control': 'control',
  'live.configure': 'control',
  'live.replay': 'control',
  'live.status': 'view',
  'live.alarms.configure': 'control',
  'live.alarms': 'view',
  'live.alarms.acknowledge': 'control',
  'live.record.start': 'control',
  'live.record.stop': 'control',
  'live.histograms.reset': 'control',
  'live.histograms.configure': 'control',
  'live.histograms': 'view',
  'live.rates': 'view',
  'live.pixelMaps': 'view',
  'live.pixelMaps.reset': 'control',
  'live.ring': 'view',
  'live.waveforms': 'view',

  'lab.list': 'view',
  'lab.signals.open': 'view',
  'lab.signals.traces': 'view',
  'lab.signals.shape': 'control',
  'lab.spectrum': 'view',
  'lab.cancel': 'control',
  'lab.mlem.load': 'control',
  'lab.mlem.run': 'control',
  'lab.mlem.stop': 'control',
  'lab.mlem.reset': 'control',
  'lab.mlem.image': 'view',
  'lab.mlem.close': 'control',
  'lab.stack.open': 'control',
  'lab.stack.image': 'view',
  'lab.stack.channels': 'view',
  'lab.stack.statistics': 'control',
  'lab.stack.statisticsResult': 'view',
  'lab.close': 'control',
};

/** true when a connection with `role` may call `method` */
export function roleAllows(role: Role, method: Method): boolean {
  return role === 'control' || methodRoles[method] === 'view';
}
