/** The one object the Electron preload exposes to the renderer (absent in a browser). */
interface LightpoolBridge {
  /** asks the main process for a MessagePort; it arrives as a window "message" event with data "lightpool:port" */
  connect(): void;
  /** absolute path of a file dropped on the window */
  pathForFile(file: File): string;
  readonly platform: string;
}

interface Window {
  lightpool?: LightpoolBridge;
}
