/** WatChMaL files: digitised or true PMT hits (event_hits_index, hit_pmt, ...), or image stacks (event_data). */
import { WatchmalReader, watchmalKind } from '../watchmal/watchmal-reader.js';
import { exportWatchmal } from '../watchmal/watchmal-export.js';
import type { FileFormat, FormatSummary } from './file-format.js';
import type { WatchmalSummary } from '../watchmal/watchmal-types.js';

const PARTICLES: Record<string, string> = { '-1': 'other', '0': 'gamma', '1': 'e', '2': 'mu' };

function summarize(reader: WatchmalReader): FormatSummary {
  const w: WatchmalSummary = reader.summary();
  const info = [
    `kind: WatChMaL ${w.kind === 'watchmal-hits' ? `${w.hitKind === 'true' ? 'true' : 'digitised'}-hit file` : 'image file'}`,
    `events: ${w.nEvents}`,
  ];
  if (w.kind === 'watchmal-hits') info.push(`hits: ${w.nHits}`);
  if (w.imageShape) info.push(`image shape: (${w.imageShape.join(', ')})`);
  if (Object.keys(w.labelCounts).length)
    info.push(
      `labels: ${Object.entries(w.labelCounts)
        .map(([l, n]) => `${PARTICLES[l] ?? l} ${n}`)
        .join(', ')}`,
    );
  for (const [k, v] of Object.entries(w.rootAttributes)) info.push(`${k}: ${String(v)}`);
  return { details: { watchmal: w }, line: `WatChMaL file (${w.kind})`, eventCount: w.nEvents, info };
}

export const watchmalHitsFormat: FileFormat<WatchmalReader> = {
  id: 'watchmal-hits',
  label: 'WatChMaL hits',
  offers: ['tree', 'tank-events', 'pmt-geometry', 'subset-export'],
  views: ['tank', 'browser'],
  recognise: (file) => watchmalKind(file) === 'watchmal-hits',
  open: (file) => new WatchmalReader(file),
  summarize,
  exportSubset: exportWatchmal,
};

export const watchmalImagesFormat: FileFormat<WatchmalReader> = {
  id: 'watchmal-images',
  label: 'WatChMaL images',
  offers: ['tree', 'tank-events', 'pmt-geometry', 'subset-export'],
  views: ['tank', 'browser'],
  recognise: (file) => watchmalKind(file) === 'watchmal-images',
  open: (file) => new WatchmalReader(file),
  summarize,
  exportSubset: exportWatchmal,
};
