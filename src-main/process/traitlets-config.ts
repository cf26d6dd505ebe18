/**
 * How ctapipe (through traitlets) turns the loaded config files into each
 * component's settings:
 *
 * - files are merged in the order given, later ones winning: sections
 *   (keys starting with an upper-case letter, holding a mapping) merge
 *   recursively, every other value is replaced whole (lists included);
 * - a component reads the sections named after the classes of its MRO
 *   (`section_names()`, base classes first) at the top level, then the same
 *   sections inside its parent's resolved config, so
 *   `ImageProcessor.TailcutsImageCleaner` wins over `TailcutsImageCleaner`,
 *   which wins over `ImageCleaner`, and a parent's nested sections over the
 *   top level (traitlets `Configurable._find_my_config`).
 *
 * The components of ctapipe-process that `lightpool process` reproduces, with
 * their section names as ctapipe 0.26 reports them:
 */
export const COMPONENTS = {
  ProcessorTool: { parent: null, sections: ['Configurable', 'LoggingConfigurable', 'SingletonConfigurable', 'Application', 'Tool', 'ProcessorTool'] },
  HDF5EventSource: { parent: 'ProcessorTool', sections: ['Configurable', 'Component', 'EventSource', 'HDF5EventSource'] },
  CameraCalibrator: { parent: 'ProcessorTool', sections: ['Configurable', 'Component', 'TelescopeComponent', 'CameraCalibrator'] },
  NeighborPeakWindowSum: {
    parent: 'CameraCalibrator',
    sections: ['Configurable', 'Component', 'TelescopeComponent', 'ImageExtractor', 'NeighborPeakWindowSum'],
  },
  LocalPeakWindowSum: { parent: 'CameraCalibrator', sections: ['Configurable', 'Component', 'TelescopeComponent', 'ImageExtractor', 'LocalPeakWindowSum'] },
  GlobalPeakWindowSum: { parent: 'CameraCalibrator', sections: ['Configurable', 'Component', 'TelescopeComponent', 'ImageExtractor', 'GlobalPeakWindowSum'] },
  FixedWindowSum: { parent: 'CameraCalibrator', sections: ['Configurable', 'Component', 'TelescopeComponent', 'ImageExtractor', 'FixedWindowSum'] },
  SimTelEventSource: { parent: 'ProcessorTool', sections: ['Configurable', 'Component', 'EventSource', 'SimTelEventSource'] },
  ThresholdGainSelector: { parent: 'SimTelEventSource', sections: ['Configurable', 'Component', 'GainSelector', 'ThresholdGainSelector'] },
  ImageProcessor: { parent: 'ProcessorTool', sections: ['Configurable', 'Component', 'TelescopeComponent', 'ImageProcessor'] },
  TailcutsImageCleaner: { parent: 'ImageProcessor', sections: ['Configurable', 'Component', 'TelescopeComponent', 'ImageCleaner', 'TailcutsImageCleaner'] },
  ImageQualityQuery: { parent: 'ImageProcessor', sections: ['Configurable', 'Component', 'QualityQuery', 'ImageQualityQuery'] },
  ShowerProcessor: { parent: 'ProcessorTool', sections: ['Configurable', 'Component', 'ShowerProcessor'] },
  HillasReconstructor: {
    parent: 'ShowerProcessor',
    sections: ['Configurable', 'Component', 'TelescopeComponent', 'Reconstructor', 'HillasGeometryReconstructor', 'HillasReconstructor'],
  },
  StereoQualityQuery: { parent: 'HillasReconstructor', sections: ['Configurable', 'Component', 'QualityQuery', 'StereoQualityQuery'] },
} as const;

export type ComponentName = keyof typeof COMPONENTS;
export type Config = Record<string, unknown>;

function isObject(v: unknown): v is Config {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** traitlets: a key is a section when it starts with an upper-case letter */
export function isSectionKey(key: string): boolean {
  return /^[A-Z]/.test(key);
}

/** Merges `other` into `into` (in place) as traitlets' Config.merge does. */
export function mergeConfig(into: Config, other: Config): Config {
  for (const [k, v] of Object.entries(other)) {
    const have = into[k];
    if (isSectionKey(k) && isObject(v) && isObject(have)) mergeConfig(have, v);
    else into[k] = isObject(v) ? mergeConfig({}, v) : v;
  }
  return into;
}

/** The merged config of component `name` (its sections' contents, nested sections included). */
export function componentConfig(root: Config, name: ComponentName): Config {
  const spec = COMPONENTS[name];
  const sources: Config[] = [root];
  if (spec.parent) sources.push(componentConfig(root, spec.parent));
  const mine: Config = {};
  for (const c of sources) {
    for (const s of spec.sections) {
      const section = c[s];
      if (isObject(section)) mergeConfig(mine, section);
    }
  }
  return mine;
}

/** The settings (lower-case keys) of a component config: its trait values. */
export function traitValues(c: Config): Config {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !isSectionKey(k)));
}
