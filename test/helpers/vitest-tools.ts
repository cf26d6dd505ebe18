/** vitest wrappers over reference-tools: a test that needs a missing tool is skipped, visibly. */
import { describe, it } from 'vitest';
import { skipNote, type ReferenceTool } from './reference-tools.js';

/** `describe(title, fn)`, skipped with the missing tools named in its title when any of `tools` is missing. */
export function describeWith(tools: ReferenceTool[], title: string, fn: () => void): void {
  const { skip, note } = skipNote(...tools);
  describe.skipIf(skip)(title + note, fn);
}

/** `it(title, fn, timeout)`, skipped with the missing tools named in its title when any of `tools` is missing. */
export function itWith(tools: ReferenceTool[], title: string, fn: () => unknown, timeout?: number): void {
  const { skip, note } = skipNote(...tools);
  it.skipIf(skip)(title + note, fn as () => Promise<void>, timeout);
}
