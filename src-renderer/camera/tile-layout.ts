/**
 * How the event view lays out its camera tiles: the columns and rows that
 * make each camera image as large as it can be for the number of tiles and
 * the panel's size and aspect ratio. A tile is a title line above the image
 * and the colour bar beside it (full) or a thin bar below it (compact, for
 * small tiles); the camera is about as wide as it is high, so the image is as
 * large as the smaller side of the space left for it. No DOM: unit-tested.
 */

export interface TileChrome {
  /** space between tiles, px */
  gap: number;
  /** title line, px */
  header: number;
  /** full colour bar beside the image, px */
  colorBarWidth: number;
  /** compact colour bar below the image, px */
  compactBarHeight: number;
  /** tiles narrower than this get the compact colour bar, px */
  compactBelow: number;
}

export const defaultTileChrome: TileChrome = { gap: 6, header: 22, colorBarWidth: 54, compactBarHeight: 16, compactBelow: 240 };

export interface TileGrid {
  columns: number;
  rows: number;
  /** px, gaps excluded */
  tileWidth: number;
  tileHeight: number;
  /** side of the square the camera image fits in, px */
  imageSize: number;
  /** the tiles are small: thin colour bar below the image */
  compact: boolean;
}

/** The tile size for a number of columns (rows follow), with the image size it gives. */
export function tileGridFor(n: number, columns: number, width: number, height: number, chrome: TileChrome = defaultTileChrome): TileGrid {
  const rows = Math.max(1, Math.ceil(n / columns));
  const tileWidth = Math.max(0, (width - (columns - 1) * chrome.gap) / columns);
  const tileHeight = Math.max(0, (height - (rows - 1) * chrome.gap) / rows);
  const compact = tileWidth < chrome.compactBelow;
  const imageWidth = compact ? tileWidth : tileWidth - chrome.colorBarWidth;
  const imageHeight = tileHeight - chrome.header - (compact ? chrome.compactBarHeight : 0);
  return { columns, rows, tileWidth, tileHeight, imageSize: Math.max(0, Math.min(imageWidth, imageHeight)), compact };
}

/**
 * The grid of `n` tiles in a `width` × `height` panel (px) with the largest
 * camera images; on a tie the one with fewer empty cells, then the wider
 * tiles. `n` = 0 gives one empty row.
 */
export function tileGrid(n: number, width: number, height: number, chrome: TileChrome = defaultTileChrome): TileGrid {
  if (n <= 0) return tileGridFor(0, 1, width, height, chrome);
  let best = tileGridFor(n, 1, width, height, chrome);
  for (let columns = 2; columns <= n; columns++) {
    const g = tileGridFor(n, columns, width, height, chrome);
    const empty = (grid: TileGrid) => grid.columns * grid.rows - n;
    if (g.imageSize > best.imageSize + 0.5 || (Math.abs(g.imageSize - best.imageSize) <= 0.5 && empty(g) < empty(best))) best = g;
  }
  return best;
}
