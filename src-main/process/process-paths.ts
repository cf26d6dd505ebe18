/**
 * The input and output of `lightpool process` (and of export from a
 * sim_telarray file) checked before any work: absolute paths, the input
 * exists, the output is another file, in an existing folder, and replaced
 * only when allowed.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { outputPathProblem } from '../../src-worker/io/output-path.js';
import { Hdf5Error } from '../../src-worker/io/hdf5/h5-errors.js';

export function checkProcessPaths(inputPath: string, outputPath: string, overwrite: boolean | undefined): { input: string; output: string } {
  const input = resolve(inputPath);
  const output = resolve(outputPath);
  if (input === output) throw new Hdf5Error('bad-request', `${output}: the output must be a different file than the input`, output);
  if (!existsSync(input)) throw new Hdf5Error('file-not-found', `${input}: file not found`, input);
  if (existsSync(output) && !overwrite)
    throw new Hdf5Error('bad-request', `${output}: exists already (choose another name, or allow overwriting with --force)`, output);
  const problem = outputPathProblem(output);
  if (problem) throw new Hdf5Error('bad-request', problem, output);
  return { input, output };
}
