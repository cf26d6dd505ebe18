/**
 * The Electron shell: one window, the menu, dialogs, drag-and-drop, the
 * single-instance lock and command-line files. The backend is the same
 * Session that serve mode runs; the renderer talks to it over a MessagePort.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain } from 'electron';
import { existsSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiConnection } from '../session/api-connection.js';
import { Session } from '../session/session.js';
import { rendererDir } from '../util/dist-paths.js';
import { errorMessage } from '../util/errors.js';
import { logger } from '../util/log.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import { APP_ORIGIN, registerAppScheme, serveAppScheme } from './app-protocol.js';
import { buildMenu } from './menu.js';
import { PortChannel } from './port-channel.js';
import { RecentFiles } from './recent-files.js';
import { hardenWebContents, isTrustedSender } from './security.js';

const log = logger('electron');
const here = dirname(fileURLToPath(import.meta.url));

/** files named on a command line (after the app path; flags are skipped) */
function fileArguments(argv: string[], cwd: string): string[] {
  const args = argv.slice(app.isPackaged ? 1 : 2);
  return args
    .filter((a) => !a.startsWith('-'))
    .map((a) => resolve(cwd, a))
    .filter((p) => existsSync(p));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenWebContents();

  let window: BrowserWindow | undefined;
  let session: Session | undefined;
  let recent: RecentFiles | undefined;
  const pendingFiles = fileArguments(process.argv, process.cwd());

  const notify = (level: 'info' | 'warning' | 'error', message: string) => session?.emit('notice', { level, message });

  const openFile = async (path: string) => {
    if (!session) return;
    try {
      await session.files.open(path); // announces itself on the "file-opened" stream
      recent?.add(path);
      app.addRecentDocument(path);
      refreshMenu();
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };

  const exportView = async () => {
    if (!window) return;
    const { canceled, filePath } = await dialog.showSaveDialog(window, {
      title: 'Export view as PNG',
      defaultPath: `lightpool-${new Date().toISOString().replace(/[:.]/g, '-')}.png`,
      filters: [{ name: 'PNG image', extensions: ['png'] }],
    });
    if (canceled || !filePath) return;
    try {
      const image = await window.webContents.capturePage();
      const tmp = `${filePath}.tmp`;
      await writeFile(tmp, image.toPNG());
      await rename(tmp, filePath);
      notify('info', `exported ${filePath}`);
    } catch (err) {
      notify('error', `could not export to ${filePath}: ${errorMessage(err)}`);
    }
  };

  const refreshMenu = () => {
    Menu.setApplicationMenu(
      buildMenu({
        open: () => {
          if (!window) return;
          void dialog
            .showOpenDialog(window, {
              title: 'Open an HDF5 or sim_telarray file',
              properties: ['openFile', 'multiSelections'],
              filters: [
                { name: 'HDF5', extensions: ['h5', 'hdf5', 'hdf', 'he5'] },
                { name: 'sim_telarray', extensions: ['simtel', 'gz', 'zst'] },
                { name: 'All files', extensions: ['*'] },
              ],
            })
            .then(({ canceled, filePaths }) => {
              if (!canceled) for (const p of filePaths) void openFile(p);
            });
        },
        openRecent: (p) => void openFile(p),
        clearRecent: () => {
          recent?.clear();
          app.clearRecentDocuments();
          refreshMenu();
        },
        exportView: () => void exportView(),
        recent: () => recent?.list() ?? [],
        about: () => {
          if (window)
            void dialog.showMessageBox(window, {
              type: 'info',
              title: `About ${LIGHTPOOL_NAME}`,
              message: `${LIGHTPOOL_NAME} ${LIGHTPOOL_VERSION}`,
              detail: `Electron ${process.versions.electron}, Node ${process.versions.node}`,
            });
        },
      }),
    );
  };

  app.on('second-instance', (_e, argv, cwd) => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    for (const f of fileArguments(argv, cwd)) void openFile(f);
  });

  ipcMain.on('lightpool:connect', (event) => {
    if (!session || !isTrustedSender(event, window?.webContents)) {
      log.warn(`refused IPC connect from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return;
    }
    const { port1, port2 } = new MessageChannelMain();
    const connection = new ApiConnection(session, new PortChannel(port1, 'electron renderer'), {
      transport: 'electron-ipc',
      tokenRequired: false,
      role: 'control',
    });
    port1.on('message', (e) => void connection.receive(e.data));
    port1.on('close', () => connection.close());
    port1.start();
    event.sender.postMessage('lightpool:port', null, [port2]);
  });

  app.whenReady().then(
    () => {
      recent = new RecentFiles(app.getPath('userData'));
      session = new Session();
      serveAppScheme(rendererDir());
      refreshMenu();
      window = new BrowserWindow({
        width: 1500,
        height: 920,
        title: LIGHTPOOL_NAME,
        backgroundColor: '#10141a',
        icon: join(here, '..', 'assets', 'icon.png'),
        webPreferences: {
          preload: join(here, 'electron-preload.cjs'),
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          webSecurity: true,
          spellcheck: false,
        },
      });
      void window.loadURL(`${APP_ORIGIN}/index.html`);
      window.webContents.once('did-finish-load', () => {
        for (const f of pendingFiles.splice(0)) void openFile(f);
      });
      window.on('closed', () => (window = undefined));
    },
    (err: unknown) => {
      log.error(`could not start: ${errorMessage(err)}`);
      app.exit(1);
    },
  );

  app.on('window-all-closed', () => {
    void session?.close().finally(() => app.quit());
  });
}
