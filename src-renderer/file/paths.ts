/** Path text helpers for the renderer (no Node path module here): POSIX and Windows separators. */

export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : i === 0 ? path.slice(0, 1) : '.';
}

/** A sibling output name: /d/run.dl1.h5 → /d/run.dl1_<suffix>.h5 */
export function siblingName(path: string, suffix: string): string {
  const dir = dirName(path);
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const base = baseName(path);
  const dot = base.toLowerCase().endsWith('.h5') ? base.length - 3 : base.toLowerCase().endsWith('.hdf5') ? base.length - 5 : base.length;
  const ext = base.slice(dot) || '.h5';
  return `${dir === '.' ? '' : dir.endsWith(sep) ? dir : dir + sep}${base.slice(0, dot)}_${suffix}${ext}`;
}
