export const REPO: string;
/** Bundles the camera fixture page into outDir; resolves to its file:// URL. */
export function buildCameraFixture(outDir: string, opts?: { stageWidth?: number; stageHeight?: number }): Promise<string>;
