/** vitest wrappers over reference-tools: a test that needs a missing tool is skipped, visibly. */
import { describe, it } from 'vitest';
import { skipNote, type ReferenceTool } from './reference-tools.js';

/** `describe(title, fn)`, skipped with the missing tools named in its title when any of `tools` is missing. */
export function describeWith(tools: ReferenceTool[], title: string, fn: () => void): void {
  const { skip, note } = skipNote(...tools);
  if (!skip) {
    describe(title, fn);
    return;
  }
  // vitest still runs a skipped block's body to collect its tests' names; a body that
  // uses the missing tool there must not fail the file, so it gets one skipped test instead
  describe.skip(title + note, () => {
    try {
      fn();
    } catch {
      it.skip('(tests not collected: their set-up needs the missing tool)', () => undefined);
    }
  });
}

/** `it(title, fn, timeout)`, skipped with the missing tools named in its title when any of `tools` is missing. */
export function itWith(tools: ReferenceTool[], title: string, fn: () => unknown, timeout?: number): void {
  const { skip, note } = skipNote(...tools);
  it.skipIf(skip)(title + note, fn as () => Promise<void>, timeout);
}
