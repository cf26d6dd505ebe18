/**
 * Where an output file goes: refused before any work when it cannot be
 * written (a folder at its name, a folder that does not exist), naming the
 * output; the temporary name it is written under sits beside it, hidden.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { outputPathProblem, temporaryOutputPath } from '../../../../src-worker/io/output-path.js';
import { checkProcessPaths } from '../../../../src-main/process/process-paths.js';

describe('output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a folder at the name, or a missing folder, is refused naming the output', () => {
    const folder = join(dir, 'adir.h5');
    mkdirSync(folder);
    expect(outputPathProblem(folder)).toBe(`${folder}: is a folder, not a file (choose a file name inside it)`);
    const missing = join(dir, 'nope', 'x.h5');
    expect(outputPathProblem(missing)).toBe(`${missing}: the folder ${join(dir, 'nope')} does not exist`);
    expect(outputPathProblem(join(dir, 'fine.h5'))).toBeUndefined();
    // lightpool process with --force on a folder: refused before reading anything (it used to fail at the final rename)
    const input = join(dir, 'in.h5');
    mkdirSync(input);
    expect(() => checkProcessPaths(input, folder, true)).toThrow(`${folder}: is a folder, not a file`);
  });

  it('the temporary file is hidden beside the output', () => {
    const out = join(dir, 'run.dl1.h5');
    const t = temporaryOutputPath(out);
    expect(dirname(t)).toBe(dir);
    expect(basename(t)).toMatch(/^\.run\.dl1\.h5\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(temporaryOutputPath(out)).not.toBe(t);
  });
});
