/**
 * ctapipe's calibration settings in a `--config` file, for `lightpool process`
 * of a sim_telarray file (ctapipe-process's SimTelEventSource → CameraCalibrator):
 *
 * - `CameraCalibrator.image_extractor_type`: a per-telescope setting
 *   (TelescopeParameter: a name, or `[command, argument, name]` triplets) of
 *   NeighborPeakWindowSum (default), LocalPeakWindowSum, GlobalPeakWindowSum
 *   or FixedWindowSum, each with its traits as ctapipe 0.26 names them
 *   (`window_width`, `window_shift`, `apply_integration_correction`,
 *   NeighborPeakWindowSum's `local_weight`, GlobalPeakWindowSum's
 *   `pixel_fraction`, FixedWindowSum's `peak_index`; every one per telescope),
 *   read from the sections `ImageExtractor` and the extractor's own name, at
 *   the top level or inside `CameraCalibrator` (the inner one wins, as in
 *   traitlets);
 * - `CameraCalibrator.apply_peak_time_shift`, `apply_waveform_time_shift`
 *   (per telescope), `invalid_pixel_handler_type` (NeighborAverage only) and
 *   `data_volume_reducer_type` (NullDataVolumeReducer only);
 * - `SimTelEventSource.ThresholdGainSelector.threshold` (ADC counts).
 *
 * An extractor, handler or trait ctapipe has and Lightpool does not (or one
 * ctapipe does not have) is an error naming the config file(s) and the key,
 * so nothing is calibrated otherwise than asked. The values are plain data
 * (`SimtelCalibrationOptions`) that can travel to a worker thread.
 */
import { IMAGE_EXTRACTOR_TYPES, resolveImageExtractorConfig, type ImageExtractorConfig } from '../../src-worker/calib/image-extractor.js';
import type { SimtelCalibrationOptions } from '../../src-worker/calib/simtel-calibration.js';
import { ProcessConfigError } from './config-files.js';
import { componentConfig, traitValues, type ComponentName, type Config } from './traitlets-config.js';
import { lookup, normalizePatternList, resolvePatternList, TelescopeParameterError, type PatternEntry, type SubarrayTypes } from './telescope-pattern-list.js';

type ExtractorName = (typeof IMAGE_EXTRACTOR_TYPES)[number];

/** ctapipe's trait name → our extractor config field, with ctapipe's defaults. */
const EXTRACTOR_TRAITS: Record<ExtractorName, Record<string, { field: string; default: number | boolean; kind: 'int' | 'float' | 'bool' }>> = {
  NeighborPeakWindowSum: {
    window_width: { field: 'windowWidth', default: 7, kind: 'int' },
    window_shift: { field: 'windowShift', default: 3, kind: 'int' },
    local_weight: { field: 'localWeight', default: 0, kind: 'int' },
    apply_integration_correction: { field: 'applyIntegrationCorrection', default: true, kind: 'bool' },
  },
  LocalPeakWindowSum: {
    window_width: { field: 'windowWidth', default: 7, kind: 'int' },
    window_shift: { field: 'windowShift', default: 3, kind: 'int' },
    apply_integration_correction: { field: 'applyIntegrationCorrection', default: true, kind: 'bool' },
  },
  GlobalPeakWindowSum: {
    window_width: { field: 'windowWidth', default: 7, kind: 'int' },
    window_shift: { field: 'windowShift', default: 3, kind: 'int' },
    pixel_fraction: { field: 'pixelFraction', default: 1, kind: 'float' },
    apply_integration_correction: { field: 'applyIntegrationCorrection', default: true, kind: 'bool' },
  },
  FixedWindowSum: {
    peak_index: { field: 'peakIndex', default: 0, kind: 'int' },
    window_width: { field: 'windowWidth', default: 7, kind: 'int' },
    window_shift: { field: 'windowShift', default: 0, kind: 'int' },
    apply_integration_correction: { field: 'applyIntegrationCorrection', default: true, kind: 'bool' },
  },
};

const CALIBRATOR_TRAITS = [
  'image_extractor_type',
  'apply_peak_time_shift',
  'apply_waveform_time_shift',
  'invalid_pixel_handler_type',
  'data_volume_reducer_type',
];

export interface CalibrationConfig {
  /** the settings per telescope of a subarray; throws ProcessConfigError naming a setting no entry gives a telescope */
  resolve: (sub: SubarrayTypes) => ResolvedCalibration;
}

export interface ResolvedCalibration {
  calibrationFor: (telId: number) => SimtelCalibrationOptions;
  /** type patterns that matched no telescope */
  notes: string[];
}

function validator(kind: 'int' | 'float' | 'bool', where: () => string) {
  return (v: unknown) => {
    const ok = kind === 'bool' ? typeof v === 'boolean' : typeof v === 'number' && (kind === 'int' ? Number.isInteger(v) : Number.isFinite(v));
    if (!ok)
      throw new ProcessConfigError(
        `${where()}: expected ${kind === 'bool' ? 'true or false' : kind === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(v)}`,
      );
    return v;
  };
}

/** The traits of a component's sections, refusing any it does not have. */
function checkedTraits(root: Config, name: ComponentName, known: readonly string[], where: (key: string) => string): Config {
  const t = traitValues(componentConfig(root, name));
  for (const k of Object.keys(t)) {
    if (!known.includes(k))
      throw new ProcessConfigError(`${where(k)}: ctapipe's ${name} has no setting ${k} that lightpool process applies (${known.join(', ')})`);
  }
  return t;
}

/**
 * Reads the calibration settings of the merged config `root`; `where(key)`
 * names a key with the files it came from.
 */
export function parseCalibrationConfig(root: Config, where: (key: string) => string): CalibrationConfig {
  let parsed: CalibrationConfig | undefined;
  // read on first use: a DL1 input is not calibrated, and ctapipe's own configs name extractors Lightpool does not have
  return {
    resolve: (sub) => (parsed ??= parseNow(root, where)).resolve(sub),
  };
}

function parseNow(root: Config, where: (key: string) => string): CalibrationConfig {
  try {
    const cc = checkedTraits(root, 'CameraCalibrator', CALIBRATOR_TRAITS, (k) => where(`CameraCalibrator.${k}`));
    const extractorType = normalizePatternList(cc.image_extractor_type ?? 'NeighborPeakWindowSum', where('CameraCalibrator.image_extractor_type'), (v) => {
      if (typeof v !== 'string')
        throw new ProcessConfigError(`${where('CameraCalibrator.image_extractor_type')}: expected an extractor name, got ${JSON.stringify(v)}`);
      return v;
    });
    // an extractor Lightpool does not have is refused when a telescope of the input would use it (ctapipe's base_config.yaml names FlashCamExtractor for FlashCams)
    const knownExtractor = (name: string, telId: number, typeString: string): ExtractorName => {
      if (!(IMAGE_EXTRACTOR_TYPES as readonly string[]).includes(name)) {
        throw new ProcessConfigError(
          `${where('CameraCalibrator.image_extractor_type')}: ${JSON.stringify(name)} (telescope ${telId}, ${typeString}) is not an image extractor lightpool process has (${IMAGE_EXTRACTOR_TYPES.join(', ')})`,
        );
      }
      return name as ExtractorName;
    };
    if (cc.invalid_pixel_handler_type !== undefined && cc.invalid_pixel_handler_type !== 'NeighborAverage') {
      throw new ProcessConfigError(
        `${where('CameraCalibrator.invalid_pixel_handler_type')}: ${JSON.stringify(cc.invalid_pixel_handler_type)}: lightpool process has NeighborAverage only`,
      );
    }
    if (cc.data_volume_reducer_type !== undefined && cc.data_volume_reducer_type !== 'NullDataVolumeReducer') {
      throw new ProcessConfigError(
        `${where('CameraCalibrator.data_volume_reducer_type')}: ${JSON.stringify(cc.data_volume_reducer_type)}: lightpool process has NullDataVolumeReducer only`,
      );
    }
    const boolList = (key: string, def: boolean): PatternEntry[] =>
      normalizePatternList(
        cc[key] ?? def,
        where(`CameraCalibrator.${key}`),
        validator('bool', () => where(`CameraCalibrator.${key}`)),
      );
    const peakShift = boolList('apply_peak_time_shift', true);
    const waveformShift = boolList('apply_waveform_time_shift', false);

    const extractorLists = new Map<ExtractorName, Map<string, PatternEntry[]>>();
    for (const name of IMAGE_EXTRACTOR_TYPES) {
      const spec = EXTRACTOR_TRAITS[name];
      const t = checkedTraits(root, name as ComponentName, Object.keys(spec), (k) => where(`${name}.${k}`));
      const lists = new Map<string, PatternEntry[]>();
      for (const [trait, s] of Object.entries(spec)) {
        lists.set(
          trait,
          normalizePatternList(
            t[trait] ?? s.default,
            where(`${name}.${trait}`),
            validator(s.kind, () => where(`${name}.${trait}`)),
          ),
        );
      }
      extractorLists.set(name, lists);
    }

    const gs = checkedTraits(root, 'ThresholdGainSelector', ['threshold'], (k) => where(`ThresholdGainSelector.${k}`));
    const threshold = gs.threshold === undefined ? undefined : (validator('float', () => where('ThresholdGainSelector.threshold'))(gs.threshold) as number);
    const es = traitValues(componentConfig(root, 'SimTelEventSource'));
    if (es.gain_selector_type !== undefined && es.gain_selector_type !== 'ThresholdGainSelector') {
      throw new ProcessConfigError(
        `${where('SimTelEventSource.gain_selector_type')}: ${JSON.stringify(es.gain_selector_type)}: lightpool process selects gains with ThresholdGainSelector only`,
      );
    }

    return {
      resolve: (sub) => {
        const notes: string[] = [];
        const resolveList = <T>(entries: PatternEntry[], key: string) => {
          const r = resolvePatternList<T>(entries, sub);
          for (const u of r.unmatched) notes.push(`${key}: type pattern '${u}' matched no telescope type of the input; as in ctapipe, it sets nothing`);
          return r;
        };
        const types = resolveList<string>(extractorType, 'CameraCalibrator.image_extractor_type');
        const peak = resolveList<boolean>(peakShift, 'CameraCalibrator.apply_peak_time_shift');
        const wave = resolveList<boolean>(waveformShift, 'CameraCalibrator.apply_waveform_time_shift');
        // only the extractors some telescope uses are made (ctapipe makes one per name in the list)
        const used = new Set(extractorType.map((e) => e[2] as ExtractorName).filter((n) => IMAGE_EXTRACTOR_TYPES.includes(n)));
        const traitsOf = new Map<ExtractorName, Map<string, ReturnType<typeof resolvePatternList>>>();
        for (const name of used) {
          const m = new Map<string, ReturnType<typeof resolvePatternList>>();
          for (const [trait, entries] of extractorLists.get(name)!) m.set(trait, resolveList(entries, `${name}.${trait}`));
          traitsOf.set(name, m);
        }
        const cache = new Map<number, SimtelCalibrationOptions>();
        const calibrationFor = (telId: number): SimtelCalibrationOptions => {
          let o = cache.get(telId);
          if (o) return o;
          const typeString = sub.typeOf.get(telId) ?? 'unknown type';
          try {
            const name = knownExtractor(lookup(types, telId, where('CameraCalibrator.image_extractor_type'), typeString), telId, typeString);
            const config: Record<string, unknown> = { type: name };
            for (const [trait, r] of traitsOf.get(name)!) config[EXTRACTOR_TRAITS[name][trait].field] = lookup(r, telId, where(`${name}.${trait}`), typeString);
            let extractor: ImageExtractorConfig;
            try {
              extractor = resolveImageExtractorConfig(config);
            } catch (e) {
              throw new ProcessConfigError(`${where(name)}: telescope ${telId}: ${(e as Error).message}`);
            }
            o = {
              extractor,
              applyPeakTimeShift: lookup(peak, telId, where('CameraCalibrator.apply_peak_time_shift'), typeString),
              applyWaveformTimeShift: lookup(wave, telId, where('CameraCalibrator.apply_waveform_time_shift'), typeString),
              ...(threshold !== undefined ? { gainThreshold: threshold } : {}),
            };
          } catch (e) {
            if (e instanceof TelescopeParameterError) throw new ProcessConfigError(e.message);
            throw e;
          }
          cache.set(telId, o);
          return o;
        };
        // fail now, not half-way through the file
        for (const telId of sub.typeOf.keys()) calibrationFor(telId);
        return { calibrationFor, notes };
      },
    };
  } catch (e) {
    if (e instanceof TelescopeParameterError) throw new ProcessConfigError(e.message);
    throw e;
  }
}
