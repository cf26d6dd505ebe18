/**
 * Image morphology as ctapipe 0.26 `morphology_parameters`: the cleaned
 * pixels are split into islands (connected through the neighbour lists; a
 * new island starts at each not-yet-labelled cleaned pixel in index order and
 * collects every cleaned pixel reachable from it through not-yet-labelled
 * cleaned pixels, following rows of the neighbour matrix as ctapipe does),
 * then counted by size: small <= 2 pixels, large > 50, medium otherwise.
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';
import type { MorphologyParameters } from '../containers/image-parameters.js';

/** Per-camera scratch for islands: all-zero labels between calls. */
export interface IslandWorkspace {
  /** island label per pixel (0 = not in the mask); left all-zero after each call */
  labels: Int32Array;
  stack: Int32Array;
  /** pixels per island, index = label */
  sizes: Int32Array;
}

export function createIslandWorkspace(nPixels: number): IslandWorkspace {
  return { labels: new Int32Array(nPixels), stack: new Int32Array(nPixels), sizes: new Int32Array(nPixels + 1) };
}

/**
 * Labels the islands of the n cleaned pixels `selected` (ascending). Labels
 * are written to workspace.labels (1..nIslands) and island sizes to
 * workspace.sizes; call `clearIslandLabels` afterwards if labels are read.
 * Returns the number of islands.
 */
export function labelIslands(neighbors: PixelNeighbors, selected: Int32Array, n: number, ws: IslandWorkspace): number {
  const { labels, stack, sizes } = ws;
  const { offsets, indices } = neighbors;
  for (let k = 0; k < n; k++) labels[selected[k]] = -1;
  let island = 0;
  for (let k = 0; k < n; k++) {
    const seed = selected[k];
    if (labels[seed] !== -1) continue;
    island++;
    labels[seed] = island;
    let size = 1;
    let top = 0;
    stack[top++] = seed;
    while (top > 0) {
      const idx = stack[--top];
      for (let p = offsets[idx], e = offsets[idx + 1]; p < e; p++) {
        const nb = indices[p];
        if (labels[nb] === -1) {
          labels[nb] = island;
          size++;
          stack[top++] = nb;
        }
      }
    }
    sizes[island] = size;
  }
  return island;
}

/** Resets the labels of the selected pixels to 0 (the workspace invariant). */
export function clearIslandLabels(selected: Int32Array, n: number, ws: IslandWorkspace): void {
  for (let k = 0; k < n; k++) ws.labels[selected[k]] = 0;
}

export function morphologyParameters(
  neighbors: PixelNeighbors,
  selected: Int32Array,
  n: number,
  ws: IslandWorkspace = createIslandWorkspace(neighbors.nPixels),
  out: MorphologyParameters = { nPixels: 0, nIslands: 0, nSmallIslands: 0, nMediumIslands: 0, nLargeIslands: 0 },
): MorphologyParameters {
  const nIslands = labelIslands(neighbors, selected, n, ws);
  clearIslandLabels(selected, n, ws);
  let small = 0,
    medium = 0,
    large = 0;
  for (let l = 1; l <= nIslands; l++) {
    const s = ws.sizes[l];
    if (s <= 2) small++;
    else if (s > 50) large++;
    else medium++;
  }
  out.nPixels = n;
  out.nIslands = nIslands;
  out.nSmallIslands = small;
  out.nMediumIslands = medium;
  out.nLargeIslands = large;
  return out;
}
