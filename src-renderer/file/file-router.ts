/**
 * Where an opened file goes: to the first of its format's views (the
 * file-format registry's, carried by file.open) that this window has — a
 * ctapipe DL1 file to the Event tab (its events replace the live stream), a
 * WatChMaL file to the 3D tank tab when there is one, anything else (and
 * WatChMaL without a tank view) to the HDF5 Browser. Every file is also
 * listed in the Browser. A file is routed once, whether
 * its opening is seen as the file.open reply, the 'file-opened' stream (desktop
 * window) or the list of open files when the window connects.
 */
import type { FileOpenResult } from '../../src-main/api/file-contract.js';

export interface FileRouterTargets {
  hasTab(id: string): boolean;
  showTab(id: string): void;
  showEvents(f: FileOpenResult): void;
  /** lists the file in the Browser (every file, whatever its kind) */
  browse(f: FileOpenResult): void;
}

export type FileRoute = 'event' | 'tank' | 'browser';

const ROUTES: readonly FileRoute[] = ['event', 'tank', 'browser'];

export function routeFor(f: { format: Pick<FileOpenResult['format'], 'views'> }, hasTank: boolean): FileRoute {
  for (const v of f.format.views) {
    const route = ROUTES.find((r) => r === v);
    if (route && (route !== 'tank' || hasTank)) return route;
  }
  return 'browser';
}

export class FileRouter {
  private readonly seen = new Set<string>();

  constructor(private readonly targets: FileRouterTargets) {}

  /** Routes a newly opened file (once per file id); returns where it went. */
  route(f: FileOpenResult): FileRoute | undefined {
    if (this.seen.has(f.fileId)) return undefined;
    this.seen.add(f.fileId);
    const where = routeFor(f, this.targets.hasTab('tank'));
    this.targets.browse(f);
    if (where === 'event') {
      this.targets.showTab('event');
      this.targets.showEvents(f);
    } else if (where === 'tank') {
      this.targets.showTab('tank');
    } else {
      this.targets.showTab('browser');
    }
    return where;
  }
}
