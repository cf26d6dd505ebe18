/**
 * Settings of `lightpool process`, as ctapipe-process would have them:
 *
 * - with no config, ctapipe-process's defaults (ctapipe 0.26): TailcutsImageCleaner
 *   10/5 p.e. for every telescope, at least 2 picture neighbours, isolated
 *   pixels dropped; ImageQualityQuery `size_greater_0: image.sum() > 0`;
 *   parameters in the telescope frame with the effective focal length
 *   (HDF5EventSource.focal_length_choice = EFFECTIVE); ShowerProcessor with
 *   the HillasReconstructor and StereoQualityQuery's defaults
 *   (`parameters.hillas.intensity > 50`, `parameters.hillas.width.value > 0`,
 *   `parameters.morphology.n_pixels > 3`);
 * - `--config FILE` (repeatable, later files win) takes ctapipe's own config
 *   files — YAML, TOML or JSON, e.g. its resources/base_config.yaml and
 *   stage1_config.yaml — merged and looked up as ctapipe does
 *   (traitlets-config.ts), with per-telescope patterns matched as ctapipe
 *   matches them (telescope-pattern-list.ts), and quality criteria applied
 *   as written (../../src-worker/quality) or refused, naming the criterion,
 *   when Lightpool cannot evaluate them; or Lightpool's short JSON form
 *   (lightpool-shorthand.ts).
 *
 * Settings ctapipe has that would change the result and Lightpool does not
 * implement (another image cleaner, camera-frame parameters, image
 * modifiers, other reconstructors) are refused with the setting's name;
 * sections that do not apply to a DL1 file (DataWriter, CameraCalibrator:
 * ctapipe-process does not calibrate a file that has images either) are
 * listed in the notes.
 */
import type { TailcutsOptions } from '../../src-worker/image/tailcuts.js';
import { compileCriteria, QualityCriterionError, type QualityCriterion } from '../../src-worker/selection/quality-query.js';
import { CTAPIPE_DEFAULT_STEREO_QUALITY_CRITERIA } from '../../src-worker/reco/stereo-quality-query.js';
import { CTAPIPE_DEFAULT_IMAGE_QUALITY } from '../../src-worker/image/image-quality-query.js';
import { ProcessConfigError, parseConfigText, readConfigFile, type ConfigFile } from './config-files.js';
import { componentConfig, mergeConfig, traitValues, type ComponentName, type Config } from './traitlets-config.js';
import {
  lookup,
  normalizePatternList,
  resolvePatternList,
  TelescopeParameterError,
  type PatternEntry,
  type ResolvedParameter,
  type SubarrayTypes,
} from './telescope-pattern-list.js';
import { isShorthand, parseShorthand, shorthandPatterns, shorthandQuality } from './lightpool-shorthand.js';
import { parseCalibrationConfig, type CalibrationConfig } from './calibration-config.js';

export { ProcessConfigError } from './config-files.js';

export type FocalLengthChoice = 'EFFECTIVE' | 'EQUIVALENT';

/** One telescope of the input, as ctapipe names its type. */
export interface ProcessTelescopeType {
  telId: number;
  /** str(TelescopeDescription): "<size type>_<optics name>_<camera name>", e.g. "LST_LST_LSTCam" */
  type: string;
}

export interface ResolvedProcessSettings {
  cleaningFor: (telId: number) => TailcutsOptions;
  /** type patterns that matched no telescope of the input (ctapipe warns about them) */
  notes: string[];
  /** the resolved settings as text (provenance attribute) */
  describe: () => string;
}

export interface ProcessSettings {
  /** where the settings came from, for messages and provenance */
  source: string;
  /** ImageQualityQuery criteria; null: every image with a non-empty mask is parameterised */
  imageQuality: readonly QualityCriterion[] | null;
  stereoQuality: readonly QualityCriterion[];
  focalLengthChoice: FocalLengthChoice;
  /** settings read but not used, and the like */
  notes: string[];
  /** notes only for a DL1 input (the calibration settings, which apply to a sim_telarray input only) */
  dl1InputNotes: string[];
  /** ctapipe's CameraCalibrator / gain selector settings (sim_telarray input), checked when the config is read */
  calibration: CalibrationConfig;
  /** the per-telescope settings for the input's subarray; throws ProcessConfigError naming what is missing */
  resolve: (telescopes: readonly ProcessTelescopeType[]) => ResolvedProcessSettings;
}

/** ctapipe-process's defaults, as ctapipe 0.26 reports them. */
const DEFAULT_TAILCUTS = { picture_threshold_pe: 10, boundary_threshold_pe: 5, min_picture_neighbors: 2, keep_isolated_pixels: false } as const;

const TAILCUTS_TRAITS = ['picture_threshold_pe', 'boundary_threshold_pe', 'min_picture_neighbors', 'keep_isolated_pixels'] as const;

/** What lightpool process reads from each component, and what a ctapipe config may set there without effect. */
const TRAITS: Partial<Record<ComponentName, { used: string[]; ignored: string[] }>> = {
  ImageProcessor: { used: ['image_cleaner_type', 'use_telescope_frame', 'apply_image_modifier'], ignored: [] },
  TailcutsImageCleaner: { used: [...TAILCUTS_TRAITS], ignored: [] },
  ImageQualityQuery: { used: ['quality_criteria'], ignored: [] },
  ShowerProcessor: { used: ['reconstructor_types'], ignored: [] },
  HillasReconstructor: { used: [], ignored: ['n_jobs'] },
  StereoQualityQuery: { used: ['quality_criteria'], ignored: [] },
  HDF5EventSource: { used: ['focal_length_choice'], ignored: ['input_url', 'allowed_tels', 'max_events'] },
};

/** Top-level sections of ctapipe configs that do not apply to processing a DL1 file's images. */
const NOT_APPLICABLE = new Set(['DataWriter', 'MuonProcessor', 'EventSource', 'ProcessorTool', 'Tool', 'Application', 'ImageModifier']);

/** Top-level sections that apply to a sim_telarray input only (its calibration: calibration-config.ts). */
const CALIBRATION_SECTIONS = new Set([
  'CameraCalibrator',
  'SimTelEventSource',
  'ImageExtractor',
  'NeighborPeakWindowSum',
  'LocalPeakWindowSum',
  'GlobalPeakWindowSum',
  'FixedWindowSum',
  'GainSelector',
  'ThresholdGainSelector',
]);

/** Sections process reads (top level; nested ones are reached through their parents). */
const KNOWN = new Set([
  'ImageProcessor',
  'ImageCleaner',
  'TailcutsImageCleaner',
  'QualityQuery',
  'ImageQualityQuery',
  'ShowerProcessor',
  'Reconstructor',
  'HillasGeometryReconstructor',
  'HillasReconstructor',
  'StereoQualityQuery',
  'HDF5EventSource',
  'EventSource',
  'Configurable',
  'Component',
  'TelescopeComponent',
]);

function err(where: string, message: string): ProcessConfigError {
  return new ProcessConfigError(`${where}: ${message}`);
}

function float(where: string) {
  return (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw err(where, `expected a number, got ${JSON.stringify(v)}`);
    return v;
  };
}
function int(where: string) {
  return (v: unknown) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw err(where, `expected an integer, got ${JSON.stringify(v)}`);
    return v;
  };
}
function bool(where: string) {
  return (v: unknown) => {
    if (typeof v !== 'boolean') throw err(where, `expected true or false, got ${JSON.stringify(v)}`);
    return v;
  };
}

function criteriaPairs(v: unknown, where: string): [string, string][] {
  if (!Array.isArray(v) || !v.every((c) => Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && typeof c[1] === 'string')) {
    throw err(where, `expected a list of [name, expression] pairs, got ${JSON.stringify(v)}`);
  }
  return v as [string, string][];
}

/** The traits of `name` that are set, after checking none is one Lightpool does not know. */
function traits(root: Config, name: ComponentName, notes: string[]): Config {
  const t = traitValues(componentConfig(root, name));
  const spec = TRAITS[name];
  for (const k of Object.keys(t)) {
    if (spec?.used.includes(k)) continue;
    if (spec?.ignored.includes(k)) notes.push(`${name}.${k} does not apply to lightpool process (ignored)`);
    else notes.push(`${name}.${k} is not an option of ctapipe's ${name} (ignored, as ctapipe warns and ignores it)`);
  }
  return t;
}

interface Layer {
  root: Config;
  sources: string[];
}

/** Applies Lightpool's short form on top of what the layers so far say. */
function applyShorthand(layer: Layer, data: Record<string, unknown>, file: string): void {
  const s = parseShorthand(data, file);
  const patterns = shorthandPatterns(s);
  const ip = (layer.root.ImageProcessor ??= {}) as Config;
  const tc = (ip.TailcutsImageCleaner ??= {}) as Config;
  const current = traitValues(componentConfig(layer.root, 'TailcutsImageCleaner'));
  for (const [trait, entries] of Object.entries(patterns)) {
    const before = trait in current ? current[trait] : DEFAULT_TAILCUTS[trait as keyof typeof DEFAULT_TAILCUTS];
    const list = normalizePatternList(before, `TailcutsImageCleaner.${trait}`, (v) => v);
    tc[trait] = [...list, ...entries];
  }
  const q = shorthandQuality(s);
  if (q !== undefined) ((ip.ImageQualityQuery ??= {}) as Config).quality_criteria = q;
}

export interface ProcessSettingsOptions {
  /** overrides HDF5EventSource.focal_length_choice (lightpool process --focal-length-choice) */
  focalLengthChoice?: FocalLengthChoice;
}

/** Settings from config files in order (later ones win); none gives ctapipe-process's defaults. */
export function processSettingsFrom(files: readonly ConfigFile[], options: ProcessSettingsOptions = {}): ProcessSettings {
  const layer: Layer = { root: {}, sources: [] };
  const notes: string[] = [];
  const dl1InputNotes: string[] = [];
  for (const f of files) {
    if (isShorthand(f.data)) applyShorthand(layer, f.data, f.file);
    else {
      for (const k of Object.keys(f.data)) {
        if (CALIBRATION_SECTIONS.has(k))
          dl1InputNotes.push(`${f.file}: ${k} settings apply to a sim_telarray input's calibration, not to a DL1 file's images (not used)`);
        else if (NOT_APPLICABLE.has(k)) notes.push(`${f.file}: ${k} settings do not apply to processing the DL1 images of a file (not used)`);
        else if (!KNOWN.has(k)) notes.push(`${f.file}: section ${k} is not used by lightpool process (ignored)`);
      }
      mergeConfig(layer.root, f.data);
    }
    layer.sources.push(f.file);
  }
  const root = layer.root;
  const where = (c: string, t: string) => `${c}.${t}${layer.sources.length ? ` (from ${layer.sources.join(', ')})` : ''}`;

  try {
    // ImageProcessor: what Lightpool implements
    const ip = traits(root, 'ImageProcessor', notes);
    if (ip.image_cleaner_type !== undefined && ip.image_cleaner_type !== 'TailcutsImageCleaner') {
      throw err(
        where('ImageProcessor', 'image_cleaner_type'),
        `${JSON.stringify(ip.image_cleaner_type)}: lightpool process cleans with TailcutsImageCleaner only`,
      );
    }
    if (ip.use_telescope_frame !== undefined && bool(where('ImageProcessor', 'use_telescope_frame'))(ip.use_telescope_frame) !== true) {
      throw err(
        where('ImageProcessor', 'use_telescope_frame'),
        'false (camera-frame parameters) is not supported: lightpool process writes telescope-frame parameters, as ctapipe-process by default',
      );
    }
    const modifier =
      ip.apply_image_modifier === undefined
        ? []
        : normalizePatternList(ip.apply_image_modifier, 'ImageProcessor.apply_image_modifier', bool(where('ImageProcessor', 'apply_image_modifier')));
    if (modifier.some((e) => e[2] === true))
      throw err(where('ImageProcessor', 'apply_image_modifier'), 'image modifiers are not supported by lightpool process');

    // cleaning
    const tc = traits(root, 'TailcutsImageCleaner', notes);
    const validators = {
      picture_threshold_pe: float(where('TailcutsImageCleaner', 'picture_threshold_pe')),
      boundary_threshold_pe: float(where('TailcutsImageCleaner', 'boundary_threshold_pe')),
      min_picture_neighbors: int(where('TailcutsImageCleaner', 'min_picture_neighbors')),
      keep_isolated_pixels: bool(where('TailcutsImageCleaner', 'keep_isolated_pixels')),
    };
    const lists = Object.fromEntries(
      TAILCUTS_TRAITS.map((t) => [t, normalizePatternList(t in tc ? tc[t] : DEFAULT_TAILCUTS[t], `TailcutsImageCleaner.${t}`, validators[t])]),
    ) as Record<(typeof TAILCUTS_TRAITS)[number], PatternEntry[]>;

    // quality queries
    const iq = traits(root, 'ImageQualityQuery', notes);
    const imagePairs = iq.quality_criteria === undefined ? null : criteriaPairs(iq.quality_criteria, where('ImageQualityQuery', 'quality_criteria'));
    const imageQuality =
      imagePairs === null
        ? CTAPIPE_DEFAULT_IMAGE_QUALITY
        : imagePairs.length === 0
          ? null
          : compileCriteria(imagePairs, 'image', 'ImageProcessor.ImageQualityQuery');

    const sp = traits(root, 'ShowerProcessor', notes);
    if (sp.reconstructor_types !== undefined) {
      const r = sp.reconstructor_types;
      if (!Array.isArray(r) || r.length !== 1 || r[0] !== 'HillasReconstructor') {
        throw err(
          where('ShowerProcessor', 'reconstructor_types'),
          `${JSON.stringify(r)}: lightpool process reconstructs with the HillasReconstructor only (["HillasReconstructor"])`,
        );
      }
    }
    traits(root, 'HillasReconstructor', notes);
    const sq = traits(root, 'StereoQualityQuery', notes);
    const stereoQuality =
      sq.quality_criteria === undefined
        ? CTAPIPE_DEFAULT_STEREO_QUALITY_CRITERIA
        : compileCriteria(
            criteriaPairs(sq.quality_criteria, where('StereoQualityQuery', 'quality_criteria')),
            'parameters',
            'ShowerProcessor.HillasReconstructor.StereoQualityQuery',
          );

    const es = traits(root, 'HDF5EventSource', notes);
    let focal: FocalLengthChoice = 'EFFECTIVE';
    if (es.focal_length_choice !== undefined) {
      const v = String(es.focal_length_choice).replace(/^FocalLengthKind\./, '');
      if (v !== 'EFFECTIVE' && v !== 'EQUIVALENT')
        throw err(where('HDF5EventSource', 'focal_length_choice'), `${JSON.stringify(es.focal_length_choice)}: use EFFECTIVE or EQUIVALENT`);
      focal = v;
    }
    if (options.focalLengthChoice) focal = options.focalLengthChoice;

    const calibration = parseCalibrationConfig(root, (key) => `${key}${layer.sources.length ? ` (in ${layer.sources.join(', ')})` : ''}`);

    const source = layer.sources.length ? layer.sources.join(' + ') : 'ctapipe-process defaults';
    return {
      source,
      imageQuality,
      stereoQuality,
      focalLengthChoice: focal,
      notes,
      dl1InputNotes,
      calibration,
      resolve: (telescopes) => resolveForSubarray(lists, telescopes, { source, imageQuality, stereoQuality, focal }),
    };
  } catch (e) {
    if (e instanceof TelescopeParameterError || e instanceof QualityCriterionError) throw new ProcessConfigError(e.message);
    throw e;
  }
}

function resolveForSubarray(
  lists: Record<(typeof TAILCUTS_TRAITS)[number], PatternEntry[]>,
  telescopes: readonly ProcessTelescopeType[],
  s: { source: string; imageQuality: readonly QualityCriterion[] | null; stereoQuality: readonly QualityCriterion[]; focal: FocalLengthChoice },
): ResolvedProcessSettings {
  const sub: SubarrayTypes = { typeOf: new Map(telescopes.map((t) => [t.telId, t.type])) };
  const notes: string[] = [];
  const resolved = Object.fromEntries(
    TAILCUTS_TRAITS.map((t) => {
      const r = resolvePatternList(lists[t], sub);
      for (const u of r.unmatched)
        notes.push(
          `TailcutsImageCleaner.${t}: type pattern '${u}' matched no telescope type of the input (${[...new Set(sub.typeOf.values())].join(', ')}); as in ctapipe, it sets nothing`,
        );
      return [t, r];
    }),
  );
  const cache = new Map<number, TailcutsOptions>();
  const cleaningFor = (telId: number): TailcutsOptions => {
    let o = cache.get(telId);
    if (!o) {
      const type = sub.typeOf.get(telId) ?? 'unknown type';
      try {
        o = {
          pictureThresh: lookup(resolved.picture_threshold_pe as ResolvedParameter<number>, telId, 'TailcutsImageCleaner.picture_threshold_pe', type),
          boundaryThresh: lookup(resolved.boundary_threshold_pe as ResolvedParameter<number>, telId, 'TailcutsImageCleaner.boundary_threshold_pe', type),
          minNumberPictureNeighbors: lookup(
            resolved.min_picture_neighbors as ResolvedParameter<number>,
            telId,
            'TailcutsImageCleaner.min_picture_neighbors',
            type,
          ),
          keepIsolatedPixels: lookup(resolved.keep_isolated_pixels as ResolvedParameter<boolean>, telId, 'TailcutsImageCleaner.keep_isolated_pixels', type),
        };
      } catch (e) {
        if (e instanceof TelescopeParameterError) throw new ProcessConfigError(`${s.source}: ${e.message}`);
        throw e;
      }
      cache.set(telId, o);
    }
    return o;
  };
  // fail now, not half-way through the file
  for (const t of telescopes) cleaningFor(t.telId);
  const criteriaText = (c: readonly QualityCriterion[]) => c.map((q) => `${q.name}: ${q.expression}`).join(', ');
  return {
    cleaningFor,
    notes,
    describe: () => {
      const byType = new Map<string, number[]>();
      for (const t of telescopes) byType.set(t.type, [...(byType.get(t.type) ?? []), t.telId]);
      const parts = [...byType].map(([type, ids]) => {
        const o = cleaningFor(ids[0]);
        const same = ids.every((id) => JSON.stringify(cleaningFor(id)) === JSON.stringify(o));
        return `${type}${same ? '' : ' (per telescope, first shown)'}: tailcuts ${o.pictureThresh}/${o.boundaryThresh} p.e., min ${o.minNumberPictureNeighbors} picture neighbours, ${o.keepIsolatedPixels ? 'isolated pixels kept' : 'isolated pixels dropped'}`;
      });
      const q = s.imageQuality ? `image quality: ${criteriaText(s.imageQuality)}` : 'no image quality query';
      return `${s.source}; ${parts.join('; ')}; ${q}; parameters in the telescope frame (${s.focal.toLowerCase()} focal length); HillasReconstructor stereo, stereo quality: ${criteriaText(s.stereoQuality)}`;
    },
  };
}

/** ctapipe-process's default settings. */
export function defaultProcessSettings(options: ProcessSettingsOptions = {}): ProcessSettings {
  return processSettingsFrom([], options);
}

/** Settings from config text (the file name gives the format and is used in messages). */
export function parseProcessConfig(text: string, file: string, options: ProcessSettingsOptions = {}): ProcessSettings {
  return processSettingsFrom([parseConfigText(text, file)], options);
}

/** Settings from config files, later ones winning (`--config A --config B`). */
export function loadProcessConfig(files: string | readonly string[], options: ProcessSettingsOptions = {}): ProcessSettings {
  return processSettingsFrom((typeof files === 'string' ? [files] : files).map(readConfigFile), options);
}
