/**
 * Paths of a stack as the view shows them: relative to the folder all of
 * them share (so "NR/6_keV/run001/frame_0000.png", not the whole absolute
 * path), the count per label, the bins of a windowed histogram. Pure.
 */
export function commonFolder(paths: readonly string[]): string {
  if (!paths.length) return '';
  let parts = paths[0].split('/').slice(0, -1);
  for (const p of paths) {
    const q = p.split('/');
    let i = 0;
    while (i < parts.length && i < q.length - 1 && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/');
}

export function relativePath(path: string, folder: string): string {
  return folder && path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : path;
}

/** "ER 12 · NR 12", in class order. */
export function labelCounts(classes: readonly string[], classIndex: ArrayLike<number>): string {
  const counts = classes.map(() => 0);
  for (let i = 0; i < classIndex.length; i++) counts[classIndex[i]]++;
  return classes.map((c, k) => `${c} ${counts[k]}`).join(' · ');
}

/**
 * Histogram bins of windowed values: for integer data and an integer window
 * of width w, w + 1 bins over [0, 1] put each raw value in a bin of its own
 * (value k/w lands at k + k/w bins, never near an edge); otherwise 100.
 */
export function windowBins(window: [number, number] | undefined): number | undefined {
  if (!window) return undefined;
  const w = window[1] - window[0];
  return Number.isInteger(window[0]) && Number.isInteger(w) && w >= 4 && w <= 1024 ? w + 1 : 100;
}
