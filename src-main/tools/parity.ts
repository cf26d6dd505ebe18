/**
 * `node dist/parity.js FILE.jsonl.gz` (npm run parity -- FILE): recomputes the
 * cleaning masks and image parameters of a ctapipe reference file and prints,
 * per camera and cleaning setting, how many agree; the last line is
 * `parity: masks N/M identical, parameters N/M within tolerance`.
 * Exit code 0 only when everything agrees.
 */
import { loadCameraGeometry } from '../../src-worker/io/assets/load-camera-geometry.js';
import { readRefValues } from './ctapipe-refvalues.js';
import { formatParityReport, runParity } from './parity-check.js';

function main(argv: string[]): number {
  const file = argv[0];
  if (!file || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write('usage: parity FILE.jsonl.gz   (a ctapipe reference-value file, e.g. test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz)\n');
    return file ? 0 : 2;
  }
  const ref = readRefValues(file);
  const report = runParity(ref, { loadGeometry: loadCameraGeometry });
  for (const line of formatParityReport(report)) process.stdout.write(`${line}\n`);
  return report.allIdentical ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`parity: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
