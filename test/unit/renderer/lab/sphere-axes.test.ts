/** The 4π image's angles (src-renderer/lab/compton/sphere-axes.ts): 181 × 361 is polar 0..180°, azimuth −180..180° in 1° bins. */
import { describe, expect, it } from 'vitest';
import { angleText, azimuthOfColumn, polarOfRow, sphereAxes, sphereHoverText } from '../../../../src-renderer/lab/compton/sphere-axes.js';
import { axisPosition, axisExtent } from '../../../../src-renderer/lab/figure/image-figure-layout.js';

describe('Compton image angles', () => {
  it('rows are polar angles, columns azimuths, both ends included', () => {
    expect([polarOfRow(0, 181), polarOfRow(90, 181), polarOfRow(180, 181)]).toEqual([0, 90, 180]);
    expect([azimuthOfColumn(0, 361), azimuthOfColumn(180, 361), azimuthOfColumn(360, 361)]).toEqual([-180, 0, 180]);
    expect([polarOfRow(45, 91), azimuthOfColumn(90, 181)]).toEqual([90, 0]);
  });

  it('the axes put tick values at the centres of their cells', () => {
    const { x, y } = sphereAxes(181, 361);
    expect(axisExtent(x, 361)).toEqual([-180.5, 180.5]);
    expect(axisExtent(y, 181)).toEqual([-0.5, 180.5]);
    // azimuth 0 is the centre of column 180 of a 722-px-wide image (2 px per column)
    expect(axisPosition(x, 361, 0, 0, 722)).toBeCloseTo(361, 9);
    expect(axisPosition(y, 181, 90, 0, 362)).toBeCloseTo(181, 9);
  });

  it('hover text with typographic minus and no "-0"', () => {
    expect(sphereHoverText(45, 90, 0.012345678, 181, 361)).toBe('polar 45°, azimuth −90°: 0.012346');
    expect(angleText(-0)).toBe('0°');
    expect(angleText(-0.004)).toBe('0°');
    expect(angleText(12.345)).toBe('12.35°');
  });
});
