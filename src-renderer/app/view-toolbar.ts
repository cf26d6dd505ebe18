/** Display settings shared by all cameras: colour map, scale, quantity, overlays. */
import { colormapNames } from '../colormap/colormaps.js';
import type { CameraViewSettings } from '../camera/camera-view.js';
import { html, setHtml } from '../dom/html.js';

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
    <label title="H"><input type="checkbox" class="hillas" ${initial.showHillas ? 'checked' : ''}> Hillas ellipse</label>
    <label title="M"><input type="checkbox" class="mask" ${initial.showMask ? 'checked' : ''}> cleaning mask</label>
    <label title="G"><input type="checkbox" class="timing" ${(initial.showTiming ?? true) ? 'checked' : ''}> timing gradient</label>
    <label title="C: one colour scale for all cameras of the event"><input type="checkbox" class="common-scale"> common scale</label>`,
  );
  const q = <T extends HTMLElement>(s: string) => el.querySelector<T>(s)!;
  q<HTMLSelectElement>('.cmap').onchange = (e) => onChange({ colormap: (e.target as HTMLSelectElement).value as CameraViewSettings['colormap'] });
  q<HTMLSelectElement>('.scale').onchange = (e) => onChange({ scale: (e.target as HTMLSelectElement).value as CameraViewSettings['scale'] });
  q<HTMLInputElement>('.peak-time').onchange = (e) => {
    q<HTMLInputElement>('.true-image').checked = false;
    onChange({ quantity: (e.target as HTMLInputElement).checked ? 'peakTime' : 'image' });
  };
  q<HTMLInputElement>('.true-image').onchange = (e) => {
    q<HTMLInputElement>('.peak-time').checked = false;
    onChange({ quantity: (e.target as HTMLInputElement).checked ? 'trueImage' : 'image' });
  };
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
  el.querySelector<HTMLInputElement>('.hillas')!.checked = s.showHillas;
  el.querySelector<HTMLInputElement>('.mask')!.checked = s.showMask;
}
