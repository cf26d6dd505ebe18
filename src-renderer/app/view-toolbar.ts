/** Display settings shared by all cameras: colour map, scale, quantity, overlays. */
import { colormapNames } from '../colormap/colormaps.js';
import type { CameraViewSettings } from '../camera/camera-view.js';
import { html, setHtml } from '../dom/html.js';
import type { WaveformLevels } from '../../src-main/api/file-contract.js';

/** Why a camera cannot show R0 / R1 sums on the live stream (the toolbar's tooltip). */
export const LIVE_SUMS_WHY =
  'the live stream has no whole-camera waveforms: R0 and R1 sums are shown for file events (sim_telarray files, ctapipe HDF5 files with /r0 or /r1 tables)';
/** Why R0 / R1 sums are not offered yet while a file is shown (its waveforms are being asked). */
export const FILE_SUMS_PENDING = 'asking the file which waveforms it has…';
const R1_TITLE = 'R: per pixel, the sum over samples of the R1 waveform (p.e.; calibrated, gain-selected): numpy r1.waveform.sum(axis=-1)';
const R0_TITLE =
  'Shift+R: per pixel, the sum over samples of the raw R0 waveform (ADC counts, pedestal included) of one gain: numpy r0.waveform[gain].sum(axis=-1)';
const QUANTITIES = ['peak-time', 'true-image', 'r1-sum', 'r0-sum'] as const;

export function createViewToolbar(
  initial: CameraViewSettings,
  onChange: (c: Partial<CameraViewSettings>) => void,
  onCommonScale: (common: boolean) => void,
): HTMLElement {
  const el = document.createElement('div');
  el.className = 'view-toolbar';
  setHtml(
    el,
    html`
    <label>colour map <select class="cmap">${colormapNames.map((n) => html`<option${n === initial.colormap ? ' selected' : ''}>${n}</option>`)}</select></label>
    <label>scale <select class="scale"><option>linear</option><option>log</option><option>symlog</option></select></label>
    <label title="T"><input type="checkbox" class="peak-time"> peak time</label>
    <label title="simulations: the true photo-electrons per pixel"><input type="checkbox" class="true-image"> true image</label>
    <label class="r1-label"><input type="checkbox" class="r1-sum" disabled> R1 Σ</label>
    <label class="r0-label"><input type="checkbox" class="r0-sum" disabled> R0 Σ</label>
    <select class="r0-gain" title="the R0 gain summed" disabled><option value="high">high gain</option><option value="low">low gain</option></select>
    <label title="H"><input type="checkbox" class="hillas" ${initial.showHillas ? 'checked' : ''}> Hillas ellipse</label>
    <label title="M"><input type="checkbox" class="mask" ${initial.showMask ? 'checked' : ''}> cleaning mask</label>
    <label title="G"><input type="checkbox" class="timing" ${(initial.showTiming ?? true) ? 'checked' : ''}> timing gradient</label>
    <label title="C: one colour scale for all cameras of the event"><input type="checkbox" class="common-scale"> common scale</label>`,
  );
  const q = <T extends HTMLElement>(s: string) => el.querySelector<T>(s)!;
  q<HTMLSelectElement>('.cmap').onchange = (e) => onChange({ colormap: (e.target as HTMLSelectElement).value as CameraViewSettings['colormap'] });
  q<HTMLSelectElement>('.scale').onchange = (e) => onChange({ scale: (e.target as HTMLSelectElement).value as CameraViewSettings['scale'] });
  // the pixel quantities: one at a time (none ticked: the extracted image)
  const quantityOf = { 'peak-time': 'peakTime', 'true-image': 'trueImage', 'r1-sum': 'r1', 'r0-sum': 'r0' } as const;
  for (const cls of QUANTITIES) {
    q<HTMLInputElement>(`.${cls}`).onchange = (e) => {
      for (const other of QUANTITIES) if (other !== cls) q<HTMLInputElement>(`.${other}`).checked = false;
      onChange({ quantity: (e.target as HTMLInputElement).checked ? quantityOf[cls] : 'image' });
    };
  }
  q<HTMLSelectElement>('.r0-gain').onchange = (e) => onChange({ r0Gain: (e.target as HTMLSelectElement).value as 'high' | 'low' });
  setWaveformLevels(el, undefined);
  q<HTMLInputElement>('.hillas').onchange = (e) => onChange({ showHillas: (e.target as HTMLInputElement).checked });
  q<HTMLInputElement>('.mask').onchange = (e) => onChange({ showMask: (e.target as HTMLInputElement).checked });
  q<HTMLInputElement>('.timing').onchange = (e) => onChange({ showTiming: (e.target as HTMLInputElement).checked });
  q<HTMLInputElement>('.common-scale').onchange = (e) => onCommonScale((e.target as HTMLInputElement).checked);
  return el;
}

/** Keeps the toolbar's inputs in step when a keyboard shortcut changes a setting. */
export function syncViewToolbar(el: HTMLElement, s: CameraViewSettings, commonScale: boolean): void {
  el.querySelector<HTMLInputElement>('.timing')!.checked = s.showTiming ?? true;
  el.querySelector<HTMLInputElement>('.common-scale')!.checked = commonScale;
  el.querySelector<HTMLInputElement>('.peak-time')!.checked = s.quantity === 'peakTime';
  el.querySelector<HTMLInputElement>('.true-image')!.checked = s.quantity === 'trueImage';
  el.querySelector<HTMLInputElement>('.r1-sum')!.checked = s.quantity === 'r1';
  el.querySelector<HTMLInputElement>('.r0-sum')!.checked = s.quantity === 'r0';
  el.querySelector<HTMLSelectElement>('.r0-gain')!.value = s.r0Gain ?? 'high';
  el.querySelector<HTMLInputElement>('.hillas')!.checked = s.showHillas;
  el.querySelector<HTMLInputElement>('.mask')!.checked = s.showMask;
}

/**
 * Enables R1 Σ and R0 Σ (and the R0 gain, for two-gain R0) for what the shown input has, the tooltip
 * saying why where not (levels undefined: the live stream, or, with `input` 'file', a file whose
 * waveforms are not known yet).
 */
export function setWaveformLevels(el: HTMLElement, levels: WaveformLevels | undefined, input: 'live' | 'file' = 'live'): void {
  const set = (level: 'r0' | 'r1', title: string) => {
    const info = levels?.[level];
    const box = el.querySelector<HTMLInputElement>(`.${level}-sum`)!;
    box.disabled = !info?.available;
    const why = info ? info.why : input === 'file' ? FILE_SUMS_PENDING : LIVE_SUMS_WHY;
    const label = el.querySelector<HTMLElement>(`.${level}-label`)!;
    label.title = info?.available ? `${title}\n${info.what}` : `${title}\nnot available: ${why}`;
    label.classList.toggle('disabled', box.disabled);
    label.dataset.why = info?.available ? '' : why;
  };
  set('r1', R1_TITLE);
  set('r0', R0_TITLE);
  const gain = el.querySelector<HTMLSelectElement>('.r0-gain')!;
  const gains = levels?.r0.available ? levels.r0.gains : 0;
  gain.disabled = gains < 2;
  gain.title = gains >= 2 ? 'the R0 gain summed' : levels?.r0.available ? 'the R0 gain summed (this file has one gain)' : 'the R0 gain summed (no R0 here)';
}

/** Whether the input shown has waveforms of `level` (its why otherwise). */
export function waveformLevelWhy(levels: WaveformLevels | undefined, level: 'r0' | 'r1', input: 'live' | 'file' = 'live'): string | undefined {
  if (!levels) return input === 'file' ? FILE_SUMS_PENDING : LIVE_SUMS_WHY;
  return levels[level].available ? undefined : levels[level].why;
}
