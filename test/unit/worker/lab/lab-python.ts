/**
 * Runs the numpy a physicist would write, in the same test, and returns what
 * it prints as JSON (floats by repr, so float64 values round-trip exactly).
 */
import { execFileSync } from 'node:child_process';
import type { ReferenceTool } from '../../../helpers/reference-tools.js';

export function runPython<T>(tool: ReferenceTool, script: string, args: string[] = [], timeoutMs = 300_000): T {
  const out = execFileSync(tool.path, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 512 << 20, timeout: timeoutMs });
  return JSON.parse(out) as T;
}
