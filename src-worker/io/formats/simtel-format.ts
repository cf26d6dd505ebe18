/**
 * sim_telarray EventIO files (.simtel, .simtel.gz, .simtel.zst): the
 * subarray and camera geometries from the file, events calibrated and
 * parameterised as ctapipe-process does by default (SimtelDL1Processor),
 * pixel waveforms; the parameters of every image for histograms (a pass
 * over the file); selected events exported to ctapipe's DL1 layout (the
 * backend's export, as `lightpool export` does). Not HDF5: read by the
 * streaming EventIO reader.
 */
import { SimtelReader } from '../simtel/simtel-reader.js';
import { looksLikeSimtel } from '../simtel/simtel-sniff.js';
import type { FormatSummary, StreamFileFormat } from './file-format.js';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

/** "1 event", "2 events" */
function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/** the reader's problem without the file's path in front (the line is about that file already) */
function withoutPath(problem: string, path: string): string {
  return path && problem.startsWith(`${path}: `) ? problem.slice(path.length + 2) : problem;
}

function summarize(reader: SimtelReader): FormatSummary {
  const s = reader.summary();
  const cams = s.cameras.map((c) => c.name).join(', ');
  const info = [
    `kind: sim_telarray (EventIO, ${s.compression === 'none' ? 'uncompressed' : s.compression})${s.simtelVersion !== null ? `, sim_telarray ${s.simtelVersion}, CORSIKA ${s.corsikaVersion}` : ''}`,
    `run: ${s.obsId}`,
    `events: ${s.nEvents}${s.nCalibrationEvents ? ` (+ ${count(s.nCalibrationEvents, 'calibration event')})` : ''}`,
    `subarray: ${count(s.telescopes.length, 'telescope')}`,
    ...table([
      ['  tel_id', 'name', 'type', 'camera', 'pixels', 'samples', 'gains'],
      ...s.telescopes.map((t) => [`  ${t.telId}`, t.name, t.type, t.cameraName, String(t.nPixels), String(t.nSamples), String(t.nGains)]),
    ]),
    `cameras: ${s.cameras.map((c) => `${c.name} (${c.nPixels} ${c.pixType} pixels)`).join(', ')}`,
    `holds: R0 waveforms${s.hasTrueImage ? ', true images (photo-electrons per pixel)' : ''}; DL1 images and parameters are computed on reading (ctapipe-process defaults)`,
    `objects: ${s.objects.map((o) => `${o.name} (${o.type}) ×${o.count}${o.read ? '' : ' [not read]'}`).join(', ')}`,
  ];
  if (s.problem) info.push(`problem: ${s.problem}`);
  const calibration = s.nCalibrationEvents ? ` (+ ${count(s.nCalibrationEvents, 'calibration event')})` : '';
  // a file cut short says so where the UI shows the file (the renderer finds it after " · problem: ")
  const problem = s.problem ? ` · problem: ${withoutPath(s.problem, s.file)}` : '';
  return {
    details: { simtel: s },
    line: `sim_telarray file, ${count(s.nEvents, 'event')}${calibration}, ${count(s.telescopes.length, 'telescope')} (${cams})${problem}`,
    eventCount: s.nEvents,
    info,
  };
}

export const simtelFormat: StreamFileFormat<SimtelReader> = {
  id: 'simtel',
  label: 'sim_telarray',
  offers: ['array-events', 'subarray', 'waveforms', 'parameters', 'subset-export'],
  views: ['event'],
  recogniseBytes: looksLikeSimtel,
  openPath: (path) => SimtelReader.open(path),
  summarize,
  close: (reader) => reader.close(),
};
