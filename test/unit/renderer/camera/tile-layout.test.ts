import { describe, expect, test } from 'vitest';
import { defaultTileChrome, tileGrid, tileGridFor } from '../../../../src-renderer/camera/tile-layout.js';

describe('camera tile layout', () => {
  test('one tile fills the panel', () => {
    const g = tileGrid(1, 900, 600);
    expect([g.columns, g.rows]).toEqual([1, 1]);
    expect(g.tileWidth).toBe(900);
    expect(g.tileHeight).toBe(600);
    expect(g.compact).toBe(false);
    expect(g.imageSize).toBe(600 - defaultTileChrome.header);
  });

  test('the aspect ratio of the panel decides between a row, a column and a square', () => {
    expect(tileGrid(4, 900, 900)).toMatchObject({ columns: 2, rows: 2 });
    expect(tileGrid(4, 2400, 400)).toMatchObject({ columns: 4, rows: 1 });
    expect(tileGrid(4, 400, 2400)).toMatchObject({ columns: 1, rows: 4 });
  });

  test('no other number of columns gives larger camera images', () => {
    for (const [w, h] of [
      [1200, 800],
      [1600, 820],
      [700, 1000],
      [1900, 180],
      [300, 300],
    ]) {
      for (let n = 1; n <= 64; n++) {
        const g = tileGrid(n, w, h);
        for (let c = 1; c <= n; c++) expect(g.imageSize).toBeGreaterThanOrEqual(tileGridFor(n, c, w, h).imageSize - 0.5);
        // every tile has its cell, and the cells fit the panel
        expect(g.columns * g.rows).toBeGreaterThanOrEqual(n);
        expect(g.columns * g.tileWidth + (g.columns - 1) * defaultTileChrome.gap).toBeLessThanOrEqual(w + 1e-9);
        expect(g.rows * g.tileHeight + (g.rows - 1) * defaultTileChrome.gap).toBeLessThanOrEqual(h + 1e-9);
        // no empty row: fewer rows would not hold the tiles
        expect((g.rows - 1) * g.columns).toBeLessThan(n);
      }
    }
  });

  test('43 tiles on a wide panel: about 9 × 5 tiles of ~130 px, with the compact colour bar', () => {
    const g = tileGrid(43, 1180, 820);
    expect(g.columns * g.rows).toBeGreaterThanOrEqual(43);
    expect(g.rows).toBeGreaterThanOrEqual(5);
    expect(g.compact).toBe(true);
    expect(g.imageSize).toBeGreaterThan(100);
    // 7 triggered of them are much larger, with the full colour bar
    const seven = tileGrid(7, 1180, 820);
    expect(seven.imageSize).toBeGreaterThan(2 * g.imageSize);
    expect(seven.compact).toBe(false);
  });

  test('the compact colour bar is used below the width where the full one would take too much', () => {
    expect(tileGridFor(2, 2, 2 * 200 + 6, 300).compact).toBe(true);
    expect(tileGridFor(2, 2, 2 * 400 + 6, 300).compact).toBe(false);
    // compact: the bar is below the image, the image keeps the full width
    const c = tileGridFor(1, 1, 200, 400);
    expect(c.imageSize).toBe(200);
  });

  test('no tiles: one empty row; a panel with no size: no image', () => {
    expect(tileGrid(0, 800, 600)).toMatchObject({ columns: 1, rows: 1 });
    expect(tileGrid(5, 0, 0).imageSize).toBe(0);
  });
});
