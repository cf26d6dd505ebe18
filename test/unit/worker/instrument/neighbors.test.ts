import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cameraGeometryFromJson, type CameraGeometryJson } from '../../../../src-worker/instrument/camera-geometry-json.js';
import { computePixelNeighbors, neighborsToLists } from '../../../../src-worker/instrument/neighbors.js';
import { readRefValues } from '../../../../src-main/tools/ctapipe-refvalues.js';

const root = join(__dirname, '../../../..');
const refFile = join(root, 'test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz');
const ref = readRefValues(refFile);

function loadGeometry(name: string) {
  return cameraGeometryFromJson(JSON.parse(readFileSync(join(root, 'assets/cameras', `${name}.camgeom.json`), 'utf8')) as CameraGeometryJson);
}

describe('computePixelNeighbors (ctapipe CameraGeometry.neighbors)', () => {
  it('the reference file has the 13 cameras', () => {
    expect(ref.cameras.size).toBe(13);
  });

  for (const [name, cam] of ref.cameras) {
    it(`${name}: identical to ctapipe's neighbour lists`, () => {
      const geom = loadGeometry(name);
      expect(geom.nPixels).toBe(cam.n_pixels);
      const nb = computePixelNeighbors(geom.pixX, geom.pixY, geom.pixType);
      const lists = neighborsToLists(nb);
      let differing = 0;
      for (let i = 0; i < geom.nPixels; i++) {
        if (JSON.stringify(lists[i]) !== JSON.stringify(cam.neighbors[i])) differing++;
      }
      expect(differing).toBe(0);
      expect(lists).toEqual(cam.neighbors);
    });
  }

  it('square pixels: diagonal mode finds the 8 neighbours inside a regular grid', () => {
    const x: number[] = [],
      y: number[] = [];
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 5; c++) {
        x.push(c * 0.01);
        y.push(r * 0.01);
      }
    const plain = neighborsToLists(computePixelNeighbors(x, y, 'square'));
    const diag = neighborsToLists(computePixelNeighbors(x, y, 'square', { diagonal: true }));
    expect(plain[12]).toEqual([7, 11, 13, 17]);
    expect(diag[12]).toEqual([6, 7, 8, 11, 13, 16, 17, 18]);
    expect(plain[0]).toEqual([1, 5]);
    expect(diag[0]).toEqual([1, 5, 6]);
  });
});
