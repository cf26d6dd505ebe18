/** ctapipe DL1 (+DL2, +simulation) HDF5 files, as ctapipe-process writes them. */
import { Dl1Reader, isDl1File } from '../dl1/dl1-reader.js';
import { exportDl1 } from '../dl1/dl1-export.js';
import type { FileFormat } from './file-format.js';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

export const dl1Format: FileFormat<Dl1Reader> = {
  id: 'dl1',
  label: 'ctapipe DL1',
  offers: ['tree', 'array-events', 'subarray', 'parameters', 'subset-export', 'replay'],
  views: ['event', 'array3d', 'histograms', 'browser'],
  recognise: isDl1File,
  open: (file, cache) => new Dl1Reader(file, cache),
  summarize(reader) {
    const d = reader.summary();
    const cams = [...new Set(d.telescopes.map((t) => t.cameraName))].join(', ');
    const info = [
      `kind: ctapipe DL1${d.dataLevels.length ? ` (${d.dataLevels.join(', ')})` : ''}${d.hasSimulation ? ', simulated' : ''}`,
      `events: ${d.nEvents}`,
      `subarray: ${d.subarrayName || '(unnamed)'}, ${d.telescopes.length} telescopes`,
      ...table([
        ['  tel_id', 'name', 'type', 'camera', 'pixels', 'events'],
        ...d.telescopes.map((t) => [`  ${t.telId}`, t.name, t.type, t.cameraName, String(t.nPixels), String(t.nEvents)]),
      ]),
      `cameras: ${d.cameras.map((c) => `${c.name} (${c.nPixels} ${c.pixType} pixels)`).join(', ')}`,
    ];
    if (d.reconstructors.length) info.push(`DL2 reconstructors: ${d.reconstructors.join(', ')}`);
    const sw = d.rootAttributes['CTA ACTIVITY SOFTWARE NAME'];
    if (sw) info.push(`written by: ${sw} ${d.rootAttributes['CTA ACTIVITY SOFTWARE VERSION'] ?? ''}`.trimEnd());
    return { details: { dl1: d }, line: `ctapipe DL1 file, ${d.nEvents} events, ${d.telescopes.length} telescopes (${cams})`, eventCount: d.nEvents, info };
  },
  exportSubset: exportDl1,
};
