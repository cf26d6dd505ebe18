/**
 * Output files are written under a hidden temporary name beside them and
 * renamed over them once complete (nothing half-written is ever at the
 * output's name). Before any work starts, `outputPathProblem` says why the
 * output could not be written there, naming the output (not the temporary
 * file the writer would otherwise fail on after the whole run).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** `.<name>.<pid>.<random>.tmp` beside `output` (absolute or relative as given). */
export function temporaryOutputPath(output: string): string {
  return join(dirname(output), `.${basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Why `output` cannot be written (its folder missing or not writable, a directory at its name), or undefined. */
export function outputPathProblem(output: string): string | undefined {
  const dir = dirname(output);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `${output}: the folder ${dir} does not exist`;
  if (existsSync(output) && statSync(output).isDirectory()) return `${output}: is a folder, not a file (choose a file name inside it)`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `${output}: the folder ${dir} is not writable (permission denied)`;
  }
  return undefined;
}
