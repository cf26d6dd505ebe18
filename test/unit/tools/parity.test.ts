import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readRefValues } from '../../../src-main/tools/ctapipe-refvalues.js';
import { formatParityReport, runParity, withinTolerance, TOLERANCES } from '../../../src-main/tools/parity-check.js';
import { loadCameraGeometry } from '../../../src-worker/io/assets/load-camera-geometry.js';

const refFile = join(__dirname, '../../../test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz');

describe('parity with ctapipe 0.26 on the reference sample', () => {
  const ref = readRefValues(refFile);
  const report = runParity(ref, { loadGeometry: loadCameraGeometry });

  it('covers 13 cameras x 3 cleaning settings', () => {
    expect(ref.cameras.size).toBe(13);
    expect(report.groups.length).toBe(39);
    expect(report.masks.total).toBe(570);
  });

  it('neighbours, masks and parameters agree 100 %', () => {
    expect(report.mismatches).toEqual([]);
    expect(report.neighbors).toEqual({ identical: 13, total: 13 });
    expect(report.masks.identical).toBe(report.masks.total);
    expect(report.parameters.agree).toBe(report.parameters.total);
    for (const g of report.groups) {
      expect(g.masksIdentical, `${g.camera} ${g.setting} masks`).toBe(g.images);
      expect(g.parametersAgree, `${g.camera} ${g.setting} parameters`).toBe(g.images);
    }
    expect(report.allIdentical).toBe(true);
    expect(formatParityReport(report).at(-1)).toBe('parity: masks 570/570 identical, parameters 570/570 within tolerance');
  });

  it('accepts a differing timing fit only for 3-pixel images, where ctapipe picks one exact pair fit', () => {
    for (const d of report.degenerateTiming) {
      const r = ref.results.find((x) => x.global_index === d.globalIndex && x.setting === d.setting)!;
      expect(r.mask_pixel_indices.length).toBe(3);
      expect(d.ref).toMatch(/exact fit through pixels/);
    }
    // everything else is far inside the tolerances
    for (const [group, ratio] of Object.entries(report.worstRatio)) expect(ratio, group).toBeLessThan(1e-3);
  });

  it('tolerance rules', () => {
    expect(withinTolerance(NaN, null, TOLERANCES.hillas)).toBe(true);
    expect(withinTolerance(1, null, TOLERANCES.hillas)).toBe(false);
    expect(withinTolerance(NaN, 1, TOLERANCES.hillas)).toBe(false);
    expect(withinTolerance(1 + 5e-7, 1, TOLERANCES.hillas)).toBe(true);
    expect(withinTolerance(1 + 2e-6, 1, TOLERANCES.hillas)).toBe(false);
    expect(withinTolerance(5e-10, 0, TOLERANCES.hillas)).toBe(true);
    expect(withinTolerance(0.5 + 9e-6, 0.5, TOLERANCES.timing)).toBe(true);
    expect(withinTolerance(100 + 2e-3, 100, TOLERANCES.timing)).toBe(false);
  });
});
