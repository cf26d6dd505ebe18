/**
 * Run-level facts ctapipe 0.26's SimTelEventSource derives from the run
 * headers and the history: the simulation configuration (its
 * SimulationConfigContainer) and whether the file has true images
 * (_has_true_image: from save_photons / store_photoelectrons in the
 * configuration history).
 */
import type { MCRunHeader, RunHeader } from './objects/run-headers.js';
import type { SimtelSimulationConfig } from './simtel-types.js';
import { clipAltitude } from './simtel-altitude.js';

export function buildSimulationConfig(rh: RunHeader, mc: MCRunHeader): SimtelSimulationConfig {
  return {
    runNumber: rh.run,
    corsikaVersion: mc.showerProgVers,
    simtelVersion: mc.detectorProgVers,
    energyRangeMin: mc.eRange[0],
    energyRangeMax: mc.eRange[1],
    prodSiteBTotal: mc.bTotal,
    prodSiteBDeclination: mc.bDeclination,
    prodSiteBInclination: mc.bInclination,
    prodSiteAlt: mc.obsheight,
    spectralIndex: mc.spectralIndex,
    showerProgStart: mc.showerProgStart,
    showerProgId: mc.showerProgId,
    detectorProgStart: mc.detectorProgStart,
    detectorProgId: mc.detectorProgId,
    nShowers: mc.nShowers,
    showerReuse: mc.nUse,
    maxAlt: clipAltitude(mc.altRange[1]),
    minAlt: clipAltitude(mc.altRange[0]),
    maxAz: mc.azRange[1],
    minAz: mc.azRange[0],
    diffuse: mc.diffuse,
    maxViewconeRadius: mc.viewcone[1],
    minViewconeRadius: mc.viewcone[0],
    maxScatterRange: mc.coreRange[1],
    minScatterRange: mc.coreRange[0],
    corePosMode: mc.corePosMode,
    atmosphere: mc.atmosphere,
    corsikaIactOptions: mc.corsikaIactOptions,
    corsikaLowEModel: mc.corsikaLowEModel,
    corsikaHighEModel: mc.corsikaHighEModel,
    corsikaBunchsize: mc.corsikaBunchsize,
    corsikaWlenMin: mc.corsikaWlenMin,
    corsikaWlenMax: mc.corsikaWlenMax,
    corsikaLowEDetail: mc.corsikaLowEDetail,
    corsikaHighEDetail: mc.corsikaHighEDetail,
  };
}

function pyInt(s: string | undefined): number {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) throw new Error(`not an integer: ${s}`);
  return parseInt(s, 10);
}

/** Python's str.split(): words separated by runs of whitespace. */
function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w.length > 0);
}

/**
 * ctapipe's _has_true_image; like ctapipe, assumes true when the history
 * cannot be read (and says so in `warnings`).
 */
export function hasTrueImage(history: { text: string }[], warnings: string[]): boolean {
  try {
    const tel: string[][] = [[]];
    for (const h of history) {
      const line = h.text.trim();
      if (line.startsWith('# Telescope-specific configuration follows')) tel.push([]);
      tel[tel.length - 1].push(line);
    }
    const global = tel.shift() as string[];
    if (global.length === 0) throw new Error('no global history');
    if (global[0].includes('merge_simtel')) return false;
    let savePhotons = 0;
    let globalStorePe = -1;
    for (const line of global) {
      const l = line.toLowerCase();
      if (l.startsWith('save_photons')) savePhotons = pyInt(words(line)[1]);
      if (l.startsWith('store_photoelectrons')) globalStorePe = pyInt(words(line)[1]);
    }
    if ((savePhotons & 0b10) > 0) return true;
    if (globalStorePe > 0) return true;
    const store = new Map<number, number>();
    tel.forEach((lines, i) => {
      for (const line of lines) if (line.toLowerCase().includes('store_photoelectrons')) store.set(i + 1, pyInt(words(line)[1]));
    });
    return [...store.values()].some((v) => v > 0);
  } catch (e) {
    warnings.push(`cannot tell from the history whether the file has true images (${(e as Error).message}); assuming it has, as ctapipe does`);
    return true;
  }
}
