/** Loads the camera geometries shipped under assets/cameras (JSON from the CTA repositories). */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assetsDir } from './assets-dir.js';
import { type CameraGeometry } from '../../containers/camera-geometry.js';
import { cameraGeometryFromJson, type CameraGeometryJson } from '../../instrument/camera-geometry-json.js';

const cache = new Map<string, CameraGeometry>();

/** Names of every camera geometry shipped with the app. */
export function shippedCameraNames(): string[] {
  return readdirSync(join(assetsDir(), 'cameras'))
    .filter((f) => f.endsWith('.camgeom.json'))
    .map((f) => f.slice(0, -'.camgeom.json'.length))
    .sort();
}

export function loadCameraGeometry(name: string): CameraGeometry {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.includes('..')) {
    throw new Error(`invalid camera name "${name}"`);
  }
  const file = join(assetsDir(), 'cameras', `${name}.camgeom.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`unknown camera "${name}": no geometry file ${file}; known cameras: ${shippedCameraNames().join(', ')}`);
  }
  const geometry = cameraGeometryFromJson(JSON.parse(text) as CameraGeometryJson);
  cache.set(name, geometry);
  return geometry;
}
