/** The application menu: File (Open…, Open Recent, Export…, Quit), View, Help. */
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  exportView(): void;
  recent(): readonly string[];
  about(): void;
}

export function buildMenu(actions: MenuActions): Menu {
  const recent = actions.recent();
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        {
          label: 'Open Recent',
          submenu: [
            ...(recent.length ? recent.map((p) => ({ label: p, click: () => actions.openRecent(p) })) : [{ label: 'No recent files', enabled: false }]),
            { type: 'separator' },
            { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clearRecent() },
          ],
        },
        { label: 'Export View as PNG…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportView() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: `About ${LIGHTPOOL_NAME} ${LIGHTPOOL_VERSION}`, click: () => actions.about() },
        { label: 'ctapipe documentation', click: () => void shell.openExternal('https://ctapipe.readthedocs.io/') },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
