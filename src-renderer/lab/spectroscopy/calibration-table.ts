/**
 * The energy calibration as the user edits it: lines "ADC = keV" (two or
 * more, a straight line through them by least squares in the backend), a
 * line added from the selected peak's centroid, and the fitted calibration
 * with its residuals once the backend applied it.
 */
import type { EnergyCalibration } from '../../../src-worker/lab/spectroscopy/energy-calibration.js';

export interface CalibrationLine {
  adc: number;
  keV: number;
}

export class CalibrationTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly result: HTMLElement;
  /** told when the user applies or clears the calibration */
  onApply: (() => void) | undefined;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'lab-calibration';
    const head = document.createElement('div');
    head.className = 'lab-side-head';
    head.textContent = 'energy calibration (ADC = keV)';
    const table = document.createElement('table');
    table.className = 'lab-cal-table';
    const thead = table.createTHead().insertRow();
    for (const t of ['ADC', 'keV', '']) {
      const th = document.createElement('th');
      th.textContent = t;
      thead.append(th);
    }
    this.body = table.createTBody();
    const buttons = document.createElement('div');
    buttons.className = 'lab-cal-buttons';
    const add = button('+ line', 'lab-cal-add', 'add a calibration line');
    add.addEventListener('click', () => this.addLine());
    const apply = button('Apply', 'lab-cal-apply', 'fit keV = a + b·ADC through the lines and show the spectrum in keV');
    apply.addEventListener('click', () => this.onApply?.());
    const clear = button('Clear', 'lab-cal-clear', 'remove the calibration');
    clear.addEventListener('click', () => {
      this.body.replaceChildren();
      this.insertLine();
      this.insertLine();
      this.onApply?.();
    });
    buttons.append(add, apply, clear);
    this.result = document.createElement('div');
    this.result.className = 'lab-cal-result';
    this.element.append(head, table, buttons, this.result);
    this.insertLine();
    this.insertLine();
  }

  /** Adds a line (empty, or with the ADC of a peak filled in, its keV to type). */
  addLine(adc?: number, keV?: number): HTMLInputElement {
    // a blank line is filled first
    for (const tr of this.body.rows) {
      const [a, k] = inputsOf(tr);
      if (a.value === '' && k.value === '') {
        if (adc !== undefined) a.value = String(Number(adc.toFixed(3)));
        if (keV !== undefined) k.value = String(keV);
        return k;
      }
    }
    return this.insertLine(adc, keV);
  }

  private insertLine(adc?: number, keV?: number): HTMLInputElement {
    const tr = this.body.insertRow();
    const a = document.createElement('input');
    a.type = 'number';
    a.step = 'any';
    a.className = 'lab-cal-adc';
    a.placeholder = 'ADC';
    if (adc !== undefined) a.value = String(Number(adc.toFixed(3)));
    const k = document.createElement('input');
    k.type = 'number';
    k.step = 'any';
    k.className = 'lab-cal-kev';
    k.placeholder = 'keV';
    if (keV !== undefined) k.value = String(keV);
    const del = button('×', 'lab-cal-remove', 'remove this line');
    del.addEventListener('click', () => tr.remove());
    for (const el of [a, k, del]) tr.insertCell().append(el);
    return k;
  }

  /** The complete lines; an error text when a line is half filled or fewer than two are given (null: none at all). */
  lines(): CalibrationLine[] | string | null {
    const out: CalibrationLine[] = [];
    for (const tr of this.body.rows) {
      const [a, k] = inputsOf(tr);
      if (a.value === '' && k.value === '') continue;
      const adc = Number(a.value);
      const keV = Number(k.value);
      if (a.value === '' || k.value === '' || !Number.isFinite(adc) || !Number.isFinite(keV))
        return 'each calibration line needs both its ADC value and its energy in keV';
      out.push({ adc, keV });
    }
    if (out.length === 0) return null;
    if (out.length < 2) return 'an energy calibration needs at least two lines (ADC = keV)';
    return out;
  }

  /** Shows the calibration the backend fitted (or none). */
  showResult(cal: EnergyCalibration | undefined): void {
    if (!cal) {
      this.result.textContent = '';
      delete this.element.dataset.applied;
      return;
    }
    const [a, b] = cal.coefficients;
    this.result.textContent = `keV = ${a.toFixed(4)} + ${b.toFixed(6)}·ADC; residuals ${cal.residuals.map((r) => r.toFixed(3)).join(', ')} keV`;
    this.element.dataset.applied = 'true';
  }
}

function inputsOf(tr: HTMLTableRowElement): [HTMLInputElement, HTMLInputElement] {
  const inputs = tr.querySelectorAll('input');
  return [inputs[0], inputs[1]];
}

function button(text: string, className: string, title: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = text;
  b.className = className;
  b.title = title;
  return b;
}
