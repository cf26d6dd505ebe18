/**
 * A stack of image files from a glob (tinyglobby; sorted, as a script does
 * `sorted(glob.glob(pattern))`, as absolute paths), each with its label and energy from the
 * path. Images are decoded only when asked for (readImage), so opening a
 * stack of thousands of frames costs a directory walk.
 */
import { glob } from 'tinyglobby';
import { decodeImageFile, type DecodedImage } from './decode-image.js';
import { compilePathExpression, DEFAULT_ENERGY_RE, DEFAULT_LABEL_RE, labelPaths, type PathLabels } from './path-labels.js';

export interface ImageStackOptions {
  /** regular expression for the label (first group); default /([NE]R)/ */
  label?: string;
  /** regular expression for the energy in keV (first group); default /([0-9]+)_keV; null: none */
  energy?: string | null;
  /** class names in label order (default: the labels found, sorted) */
  classes?: string[];
}

export interface ImageStack extends PathLabels {
  pattern: string;
  paths: string[];
}

const IMAGE_EXT = /\.(png|tiff?)$/i;

export async function listImageFiles(pattern: string): Promise<string[]> {
  const paths = await glob(pattern, { onlyFiles: true, expandDirectories: false, absolute: true });
  return paths.filter((p) => IMAGE_EXT.test(p)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function openImageStack(pattern: string, o: ImageStackOptions = {}): Promise<ImageStack> {
  const labelRe = compilePathExpression(o.label ?? DEFAULT_LABEL_RE, 'label');
  const energyRe = o.energy === null ? null : compilePathExpression(o.energy ?? DEFAULT_ENERGY_RE, 'energy');
  const paths = await listImageFiles(pattern);
  if (!paths.length) throw new Error(`no PNG or TIFF files match ${pattern}`);
  return { pattern, paths, ...labelPaths(paths, labelRe, energyRe, o.classes) };
}

export function readImage(stack: ImageStack, index: number): DecodedImage {
  if (!(Number.isInteger(index) && index >= 0 && index < stack.paths.length)) throw new Error(`image ${index} is outside the stack of ${stack.paths.length}`);
  return decodeImageFile(stack.paths[index]);
}
