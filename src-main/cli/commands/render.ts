/**
 * `lightpool render FILE --event N [--tel ID] --out fig.svg|fig.png`: one
 * camera image as a figure, headless. FILE is a ctapipe DL1 HDF5 file (image,
 * cleaning mask and Hillas parameters of event N, telescope ID or the first
 * triggered one), or a camera geometry JSON (*.camgeom.json) together with
 * `--image-from REF.jsonl.gz --index K` (an image of the ctapipe reference
 * sample). SVG always; PNG through @resvg/resvg-js when it is installed.
 */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { Hdf5Client } from '../../files/hdf5-client.js';
import { type CameraGeometry } from '../../../src-worker/containers/camera-geometry.js';
import { cameraGeometryFromJson, type CameraGeometryJson } from '../../../src-worker/instrument/camera-geometry-json.js';
import { cameraFigureSvg, type CameraFigureOptions, type FigureHillas } from '../../../src-worker/figure/camera-svg.js';
import { figureColormapNames, type FigureColormap, type FigureScale } from '../../../src-worker/figure/figure-colors.js';
import { readRefValues, toFloat32Array } from '../../tools/ctapipe-refvalues.js';
import type { ScalarRecord } from '../../../src-worker/io/dl1/dl1-types.js';
import { DL1_PATHS } from '../../../src-worker/io/dl1/dl1-layout.js';

export interface RenderOptions {
  event?: string;
  tel?: string;
  out: string;
  imageFrom?: string;
  index?: string;
  setting?: string;
  quantity?: 'image' | 'peak_time';
  colormap?: string;
  scale?: string;
  vmin?: string;
  vmax?: string;
  percentile?: string;
  deg?: boolean;
  overlays?: boolean;
  pngScale?: string;
  client?: Hdf5Client;
}

type FigureInput = Omit<CameraFigureOptions, 'colormap' | 'scale' | 'vmin' | 'vmax' | 'percentile' | 'width' | 'height'>;

function num(r: ScalarRecord | undefined, key: string): number | undefined {
  const v = r?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * DL1 files store Hillas parameters in the TelescopeFrame (deg): fov_lon =
 * y/f, fov_lat = x/f, psi measured from fov_lon. Back to the CameraFrame (m):
 * x = f·fov_lat, y = f·fov_lon, psi_cam = 90° − psi_tel.
 */
export function hillasFromTelescopeFrame(p: ScalarRecord | undefined, focalLength: number): FigureHillas | undefined {
  const lon = num(p, 'hillas_fov_lon');
  const lat = num(p, 'hillas_fov_lat');
  const length = num(p, 'hillas_length');
  const width = num(p, 'hillas_width');
  const psi = num(p, 'hillas_psi');
  if (lon === undefined || lat === undefined || length === undefined || width === undefined || psi === undefined) return undefined;
  const m = (deg: number) => ((deg * Math.PI) / 180) * focalLength;
  return { x: m(lat), y: m(lon), length: m(length), width: m(width), psi: 90 - psi, intensity: num(p, 'hillas_intensity') };
}

async function fromDl1(file: string, o: RenderOptions): Promise<FigureInput> {
  const client = o.client ?? new Hdf5Client();
  try {
    const { fileId, summary } = await client.open(file);
    if (!summary.format.offers.includes('array-events')) throw new Error(`${file}: not a ctapipe DL1 file (it is ${summary.format.label})`);
    const index = await client.request({ type: 'dl1EventIndex', fileId });
    if (o.event === undefined) throw new Error('--event N (the event_id) is required for a DL1 file');
    const eventId = Number(o.event);
    const rows: number[] = [];
    for (let i = 0; i < index.nEvents; i++) if (index.eventId[i] === eventId) rows.push(i);
    if (rows.length === 0) {
      const some = Array.from(index.eventId.slice(0, 8)).join(', ');
      throw new Error(`${file}: no event with event_id ${eventId} (the ${index.nEvents} events start with ${some}, …)`);
    }
    if (rows.length > 1) throw new Error(`${file}: event_id ${eventId} occurs in ${rows.length} observations; not supported yet`);
    const subarray = await client.request({ type: 'dl1Subarray', fileId });
    const telIds = Array.from(index.maskTelIds).filter((_, j) => index.telsWithTrigger[rows[0] * index.maskTelIds.length + j]);
    const telId = o.tel !== undefined ? Number(o.tel) : telIds[0];
    if (telId === undefined) throw new Error(`event ${eventId}: no telescope triggered`);
    if (!telIds.includes(telId)) throw new Error(`event ${eventId}: telescope ${telId} did not trigger (triggered: ${telIds.join(', ')})`);
    const ev = await client.request({ type: 'dl1Event', fileId, index: rows[0], options: { images: true, parameters: true, telIds: [telId] } });
    const te = ev.telescopes.find((t) => t.telId === telId);
    if (!te?.image) throw new Error(`event ${eventId}, telescope ${telId}: the file has no image (no ${DL1_PATHS.images} table)`);
    const geometry: CameraGeometry | undefined = subarray.cameras[te.cameraName];
    if (!geometry) throw new Error(`camera ${te.cameraName} of telescope ${telId} not in the file`);
    const f = geometry.effectiveFocalLength ?? geometry.focalLength;
    await client.close(fileId);
    const peak = o.quantity === 'peak_time';
    return {
      geometry,
      image: peak ? (te.peakTime ?? new Float32Array(geometry.nPixels).fill(NaN)) : te.image,
      quantity: peak ? 'peak time' : 'charge',
      unit: peak ? 'ns' : 'p.e.',
      telId,
      eventId,
      mask: te.imageMask,
      hillas: f ? hillasFromTelescopeFrame(te.parameters, f) : undefined,
      intensity: num(te.parameters, 'hillas_intensity'),
      focalLength: o.deg ? f : undefined,
    };
  } finally {
    if (!o.client) await client.dispose();
  }
}

function fromReference(file: string, o: RenderOptions): FigureInput {
  const geometry = cameraGeometryFromJson(JSON.parse(readFileSync(file, 'utf8')) as CameraGeometryJson);
  if (o.index === undefined) throw new Error('--index K (global_index in the reference file) is required with --image-from');
  const ref = readRefValues(o.imageFrom!);
  const k = Number(o.index);
  const data = ref.imageData.get(k);
  if (!data) throw new Error(`${o.imageFrom}: no image with global_index ${k}`);
  if (data.camera !== geometry.name || data.image.length !== geometry.nPixels) {
    throw new Error(`image ${k} is a ${data.camera} image (${data.image.length} pixels), the geometry is ${geometry.name} (${geometry.nPixels} pixels)`);
  }
  const setting = o.setting ?? 's1_function_defaults';
  const result = ref.results.find((r) => r.global_index === k && r.setting === setting);
  let mask: Uint8Array | undefined;
  let hillas: FigureHillas | undefined;
  if (result) {
    mask = new Uint8Array(geometry.nPixels);
    for (const i of result.mask_pixel_indices) mask[i] = 1;
    const c = result.camera_frame;
    const h = { x: c.hillas_x, y: c.hillas_y, length: c.hillas_length, width: c.hillas_width, psi: c.hillas_psi };
    if (Object.values(h).every((v) => typeof v === 'number')) hillas = { ...(h as FigureHillas), intensity: c.hillas_intensity ?? undefined };
  }
  const peak = o.quantity === 'peak_time';
  return {
    geometry,
    image: toFloat32Array(peak ? data.peak_time : data.image),
    quantity: peak ? 'peak time' : 'charge',
    unit: peak ? 'ns' : 'p.e.',
    titleExtra: `reference image ${k} (${data.camera} #${data.index_in_camera})${result ? `, ${setting}` : ''}`,
    mask,
    hillas,
    intensity: hillas?.intensity,
    focalLength: o.deg ? geometry.focalLength : undefined,
  };
}

/** The figure as SVG text. */
export async function renderSvg(file: string, o: RenderOptions): Promise<string> {
  const input = o.imageFrom ? fromReference(file, o) : await fromDl1(file, o);
  if (o.overlays === false) {
    input.mask = undefined;
    input.hillas = undefined;
  }
  const colormap = (o.colormap ?? 'viridis') as FigureColormap;
  if (!figureColormapNames.includes(colormap)) throw new Error(`unknown colour map ${o.colormap} (one of ${figureColormapNames.join(', ')})`);
  const scale = (o.scale ?? 'linear') as FigureScale;
  if (!['linear', 'log', 'symlog'].includes(scale)) throw new Error(`unknown scale ${o.scale} (linear, log or symlog)`);
  const opt = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return cameraFigureSvg({ ...input, colormap, scale, vmin: opt(o.vmin), vmax: opt(o.vmax), percentile: opt(o.percentile) });
}

/** SVG → PNG with @resvg/resvg-js when it is installed; a clear error otherwise. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const name = '@resvg/resvg-js';
  let mod: { Resvg: new (svg: string, opts: object) => { render(): { asPng(): Uint8Array } } };
  try {
    mod = (await import(name)) as typeof mod;
  } catch {
    throw new Error('PNG output needs the @resvg/resvg-js package, which is not installed; write --out fig.svg instead (or install @resvg/resvg-js)');
  }
  return mod.Resvg
    ? new mod.Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true } }).render().asPng()
    : Promise.reject(new Error('@resvg/resvg-js has no Resvg export'));
}

export async function runRender(file: string, o: RenderOptions): Promise<string> {
  const lower = o.out.toLowerCase();
  if (!lower.endsWith('.svg') && !lower.endsWith('.png')) throw new Error(`--out ${o.out}: the name must end in .svg or .png`);
  const svg = await renderSvg(file, o);
  if (lower.endsWith('.svg')) writeFileSync(o.out, svg);
  else writeFileSync(o.out, await svgToPng(svg, o.pngScale ? Number(o.pngScale) : 2));
  return o.out;
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description('draw one camera image as a figure (SVG, or PNG when @resvg/resvg-js is installed)')
    .argument('<file>', 'ctapipe DL1 HDF5 file, or a camera geometry JSON with --image-from')
    .requiredOption('--out <fig>', 'output file, .svg or .png')
    .option('--event <N>', 'event_id (DL1 file)')
    .option('--tel <ID>', 'telescope id (default: the first triggered)')
    .option('--image-from <ref>', 'ctapipe reference sample (.jsonl.gz) to take the image from')
    .option('--index <K>', 'global_index of the image in the reference sample')
    .option('--setting <name>', 'reference cleaning setting for the mask and Hillas overlay', 's1_function_defaults')
    .option('--quantity <q>', 'image or peak_time', 'image')
    .option('--colormap <name>', `colour map: ${figureColormapNames.join(', ')}`, 'viridis')
    .option('--scale <kind>', 'linear, log or symlog', 'linear')
    .option('--vmin <v>', 'lower colour limit')
    .option('--vmax <v>', 'upper colour limit')
    .option('--percentile <p>', 'automatic limits at the [100−p, p] percentiles')
    .option('--deg', 'axes in deg (x/f) using the focal length')
    .option('--no-overlays', 'no cleaning-mask outline or Hillas ellipse')
    .option('--png-scale <s>', 'PNG pixels per SVG pixel', '2')
    .action(async (file: string, options: RenderOptions) => {
      process.stdout.write(`wrote ${await runRender(file, options)}\n`);
    });
}
