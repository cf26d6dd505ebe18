/**
 * ctapipe measured beside Lightpool in the same benchmark run: runs a script
 * of bench/ctapipe/ with the ctapipe oracle's python (found like the tests
 * find it: test/helpers/reference-tools.ts), on one thread (OpenBLAS,
 * OpenMP, numba), and gives back its JSON; when
 * the oracle is missing, says why, so the benchmark prints its recorded
 * numbers labelled as such instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ctapipe } from '../test/helpers/reference-tools.js';

/** the repository, seen from the source file or from its bundle in bench/results/bundles */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../../..', '../..']) {
    const r = join(here, up);
    if (existsSync(join(r, 'bench', 'ctapipe'))) return r;
  }
  return process.cwd();
}

export type Measured<T> = { measured: true; result: T } | { measured: false; why: string };

export function measureWithCtapipe<T>(script: string, args: string[]): Measured<T> {
  const tool = ctapipe();
  if (!tool.ok) return { measured: false, why: tool.why };
  try {
    // one thread, like the Lightpool side it is compared with: OpenBLAS's threads otherwise spin on
    // the other core, which the process's CPU time counts (halving ctapipe's rate per CPU second)
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1' };
    const out = execFileSync(tool.path, [join(repoRoot(), 'bench', 'ctapipe', script), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 1_800_000,
      env,
    });
    return { measured: true, result: JSON.parse(out) as T };
  } catch (err) {
    return {
      measured: false,
      why: `bench/ctapipe/${script} failed: ${String((err as { stderr?: string }).stderr ?? err)
        .trim()
        .split('\n')
        .pop()}`,
    };
  }
}
