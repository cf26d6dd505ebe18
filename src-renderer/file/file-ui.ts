/**
 * The file side of the UI, set up once by main.ts: the "Open…" control, the
 * HDF5 Browser tab, DL1 event stepping in the Event tab, the export dialog,
 * and the routing of every opened file (from this window, the desktop
 * shell's menu or drag-and-drop, another window, or `lightpool serve FILE`).
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileOpenResult } from '../../src-main/api/file-contract.js';
import type { ArrayEvent } from '../../src-main/api/event-types.js';
import type { LiveView } from '../app/live-view.js';
import type { Tabs } from '../app/tabs.js';
import { BrowserView } from '../browser/browser-view.js';
import { ExportDialog } from './export-dialog.js';
import { FileEvents } from './file-events.js';
import { FileRouter } from './file-router.js';
import { OpenControl } from './open-control.js';
import type { ShowPointCloud } from '../points/point-cloud-view.js';

export interface FileUiDeps {
  api: ApiClient;
  live: LiveView;
  tabs: Tabs;
  notify: (message: string, level?: 'info' | 'warning' | 'error') => void;
  /** told after each DL1 file event the Event tab shows, so other views can follow */
  onFileEvent?: (file: FileOpenResult, index: number, event: ArrayEvent) => void;
  /** told when the Event tab stops showing a file event (another file is opened, or back to live) */
  onFileCleared?: () => void;
  /** shows a point cloud in the Points tab */
  showPointCloud: ShowPointCloud;
}

export interface FileUi {
  /** the "Open…" control for the header */
  openControl: HTMLElement;
  /** keys of the Event tab (file stepping); true when used */
  onEventKey(e: KeyboardEvent): boolean;
  /** routes the files that were open before this window connected (`lightpool serve FILE`, or a reload) */
  restoreOpenFiles(): Promise<void>;
  /** moves the Event tab to event `index` of the file it shows; false when it shows another (or no) file */
  goToFileEvent(fileId: string, index: number): boolean;
  /** the file and event index the Event tab shows, if any */
  currentFileEvent(): { fileId: string; index: number } | undefined;
  /** serve mode's data directories (app.info): Open… lists them instead of taking a path */
  setDataDirectories(dirs: string[] | undefined): void;
}

export function setupFileUi({ api, live, tabs, notify, onFileEvent, onFileCleared, showPointCloud }: FileUiDeps): FileUi {
  const browser = new BrowserView(api, notify, showPointCloud);
  tabs.add('browser', 'Browser', browser);
  const events = new FileEvents(api, live, notify);
  events.onShown = onFileEvent;
  events.onCleared = onFileCleared;
  const dialog = new ExportDialog(api);
  document.body.append(dialog.element);
  events.onExport = () => {
    const s = events.current;
    if (s) dialog.open({ file: s.file, current: s.file.eventCount > 0 ? s.index : undefined, bookmarks: [...s.bookmarks] });
  };
  browser.onClosed = (fileId) => events.closed(fileId);
  browser.onExport = (f) => {
    const s = events.current;
    // the Event tab's position and bookmarks when it shows this file
    if (s && s.file.fileId === f.fileId) dialog.open({ file: f, current: f.eventCount > 0 ? s.index : undefined, bookmarks: [...s.bookmarks] });
    else dialog.open({ file: f, bookmarks: events.bookmarksOf(f.path) });
  };
  browser.onShowEvents = (f) => {
    tabs.show('event');
    void events.open(f);
  };
  const router = new FileRouter({
    hasTab: (id) => tabs.has(id),
    showTab: (id) => tabs.show(id),
    showEvents: (f) => void events.open(f),
    browse: (f) => browser.add(f),
  });
  const open = new OpenControl(api, (f) => router.route(f), showPointCloud);
  // The desktop window is one user's: files opened by its menu or drag-and-drop (announced on the
  // stream) are shown at once. In serve mode several people may watch: a file opened in another
  // window is only listed in the Browser, so a shifter's live display is not taken over.
  const desktop = api.transport.kind === 'electron-ipc';
  api.on('file-opened', (f) => (desktop ? router.route(f) : browser.add(f, false)));
  return {
    openControl: open.element,
    setDataDirectories: (dirs) => open.setDataDirectories(dirs),
    onEventKey: (e) => !dialog.isOpen && events.onKey(e),
    goToFileEvent: (fileId, index) => {
      if (events.current?.file.fileId !== fileId) return false;
      void events.go(index);
      return true;
    },
    currentFileEvent: () => {
      const s = events.current;
      return s ? { fileId: s.file.fileId, index: s.index } : undefined;
    },
    restoreOpenFiles: async () => {
      const list = await api.request('file.list', {});
      for (const f of list) router.route(f);
    },
  };
}
