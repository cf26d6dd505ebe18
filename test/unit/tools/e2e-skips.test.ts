/**
 * Every e2e spec that drives a page calls skipWithoutChromium() at its top
 * level: Playwright launches the browser for the `page` and `browser`
 * fixtures before a test's body runs, so a skip inside the body comes too
 * late and a clone without Chromium would fail instead of skipping.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const E2E = fileURLToPath(new URL('../../e2e/', import.meta.url));
const specs = readdirSync(E2E).filter((f) => f.endsWith('.spec.ts'));

describe('e2e specs without Chromium', () => {
  it('every spec that drives a page skips itself, at its top level, when Chromium is missing', () => {
    const drivers = specs.filter((f) => /\{[^}]*\b(page|browser|context)\b[^}]*\}\s*\)\s*=>/.test(readFileSync(E2E + f, 'utf8')));
    expect(drivers.length).toBeGreaterThan(5);
    const late = drivers.filter((f) => !/^skipWithoutChromium\(\);$/m.test(readFileSync(E2E + f, 'utf8')));
    expect(late).toEqual([]);
  });
});
