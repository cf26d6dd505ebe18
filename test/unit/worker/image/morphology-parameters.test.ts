import { describe, expect, it } from 'vitest';
import { neighborsFromLists } from '../../../../src-worker/instrument/neighbors.js';
import { createIslandWorkspace, morphologyParameters } from '../../../../src-worker/image/morphology-parameters.js';

describe('morphologyParameters (ctapipe morphology_parameters)', () => {
  // a chain of 70 pixels, each connected to the previous and next one
  const n = 70;
  const nb = neighborsFromLists(Array.from({ length: n }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < n)));
  it('counts islands and classifies them by size (<=2 small, >50 large)', () => {
    const sel = [0, 1, 4, 10, 11, 12, ...Array.from({ length: 52 }, (_, i) => 15 + i)];
    const ws = createIslandWorkspace(n);
    const m = morphologyParameters(nb, Int32Array.from(sel), sel.length, ws);
    expect(m).toEqual({ nPixels: sel.length, nIslands: 4, nSmallIslands: 2, nMediumIslands: 1, nLargeIslands: 1 });
    expect(ws.labels.every((l) => l === 0)).toBe(true); // workspace left clean for the next image
    const again = morphologyParameters(nb, Int32Array.from([5, 6, 7]), 3, ws);
    expect(again).toEqual({ nPixels: 3, nIslands: 1, nSmallIslands: 0, nMediumIslands: 1, nLargeIslands: 0 });
  });
  it('an empty mask has no islands', () => {
    expect(morphologyParameters(nb, new Int32Array(0), 0)).toEqual({ nPixels: 0, nIslands: 0, nSmallIslands: 0, nMediumIslands: 0, nLargeIslands: 0 });
  });
});
