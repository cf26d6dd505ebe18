import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { hillasFromTelescopeFrame, runRender, renderSvg } from '../../../../src-main/cli/commands/render.js';
import { buildHdf5Worker, REPO } from '../files/build-hdf5-worker.js';

const sample = join(REPO, 'test/fixtures/samples/dl1_sample_120.blosc.h5');
const ref = join(REPO, 'test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz');
let client: Hdf5Client;
const out = mkdtempSync(join(tmpdir(), 'lightpool-render-'));

beforeAll(async () => {
  client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 30_000 });
});
afterAll(async () => client?.dispose());

function polygons(svg: string): { pix: number; fill: string }[] {
  return [...svg.matchAll(/<polygon data-pix="(\d+)" points="[^"]+" fill="(#[0-9a-f]{6})"/g)].map((m) => ({ pix: Number(m[1]), fill: m[2] }));
}

describe('lightpool render', () => {
  test('DL1 file: one polygon per pixel, brightest pixel at the top of viridis, Hillas back in the camera frame matches the image', async () => {
    const { fileId } = await client.open(sample);
    const index = await client.request({ type: 'dl1EventIndex', fileId });
    const sub = await client.request({ type: 'dl1Subarray', fileId });
    // find an event with a bright, cleaned image
    let pick: { row: number; telId: number } | undefined;
    for (let row = 0; row < index.nEvents && !pick; row++) {
      const ev = await client.request({ type: 'dl1Event', fileId, index: row, options: { images: true, parameters: true } });
      for (const t of ev.telescopes) {
        const n = t.imageMask?.reduce((a, b) => a + b, 0) ?? 0;
        if (n >= 20 && typeof t.parameters?.hillas_intensity === 'number' && t.parameters.hillas_intensity > 200) {
          pick = { row, telId: t.telId };
          break;
        }
      }
    }
    expect(pick).toBeDefined();
    const ev = await client.request({ type: 'dl1Event', fileId, index: pick!.row, options: { images: true, parameters: true, telIds: [pick!.telId] } });
    await client.close(fileId);
    const te = ev.telescopes[0];
    const geom = sub.cameras[te.cameraName];
    const svg = await renderSvg(sample, { event: String(ev.eventId), tel: String(te.telId), out: 'x.svg', client });
    const polys = polygons(svg);
    expect(polys).toHaveLength(geom.nPixels);
    let imax = 0;
    for (let i = 1; i < te.image!.length; i++) if (te.image![i] > te.image![imax]) imax = i;
    expect(polys[imax].fill).toBe('#fde725');
    expect(svg).toContain(`CT${te.telId} · ${te.cameraName} · event ${ev.eventId}`);
    expect(svg).toContain('class="cleaning-mask"');
    // the Hillas centroid converted back to the camera frame is the charge-weighted mean of the cleaned pixels
    const h = hillasFromTelescopeFrame(te.parameters, (geom.effectiveFocalLength ?? geom.focalLength)!)!;
    let s = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < geom.nPixels; i++) {
      if (!te.imageMask![i]) continue;
      const q = te.image![i];
      const x = geom.pixX[i];
      const y = geom.pixY[i];
      s += q;
      sx += q * x;
      sy += q * y;
      sxx += q * x * x;
      syy += q * y * y;
      sxy += q * x * y;
    }
    const mx = sx / s;
    const my = sy / s;
    expect(h.x).toBeCloseTo(mx, 4);
    expect(h.y).toBeCloseTo(my, 4);
    const cxx = sxx / s - mx * mx;
    const cyy = syy / s - my * my;
    const cxy = sxy / s - mx * my;
    const psi = (0.5 * Math.atan2(2 * cxy, cxx - cyy) * 180) / Math.PI;
    const d = ((((h.psi - psi) % 180) + 270) % 180) - 90;
    expect(Math.abs(d)).toBeLessThan(0.5);
    expect(svg).toContain('<ellipse ');
  }, 120_000);

  test('reference sample image on a geometry JSON, written as SVG', async () => {
    const file = join(out, 'lst.svg');
    await runRender(join(REPO, 'assets/cameras/LSTCam.camgeom.json'), { imageFrom: ref, index: '0', out: file });
    const svg = readFileSync(file, 'utf8');
    expect(polygons(svg)).toHaveLength(1855);
    expect(svg).toContain('intensity 124.7 p.e.');
    expect((svg.match(/<ellipse /g) ?? []).length).toBe(2);
  });

  test('wrong camera for the image, unknown event and PNG without a rasteriser fail clearly', async () => {
    await expect(renderSvg(join(REPO, 'assets/cameras/CHEC.camgeom.json'), { imageFrom: ref, index: '0', out: 'x.svg' })).rejects.toThrow(/LSTCam image/);
    await expect(renderSvg(sample, { event: '999999999', out: 'x.svg', client })).rejects.toThrow(/no event with event_id 999999999/);
    const png = join(out, 'lst.png');
    const hasResvg = existsSync(join(REPO, 'node_modules/@resvg/resvg-js'));
    const run = runRender(join(REPO, 'assets/cameras/LSTCam.camgeom.json'), { imageFrom: ref, index: '0', out: png });
    if (hasResvg) {
      await run;
      expect([...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    } else {
      await expect(run).rejects.toThrow(/@resvg\/resvg-js/);
    }
  });
});
