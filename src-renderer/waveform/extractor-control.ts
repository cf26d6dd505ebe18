/**
 * The image extractor of a sim_telarray file, in the waveform view's header:
 * ctapipe's extractor classes (NeighborPeakWindowSum, LocalPeakWindowSum,
 * GlobalPeakWindowSum, FixedWindowSum) with their window width and shift
 * (and FixedWindowSum's peak index). A change goes to file.extractor; the
 * backend then computes that file's images, peak times and waveform windows
 * with it, and `onChanged` lets the Event tab fetch the event again. Files
 * that hold their images (DL1) do not show the control. "default" returns
 * to ctapipe's CameraCalibrator default.
 */
import type { ApiClient } from '../api/api-client.js';
import type { FileExtractor, FileOpenResult } from '../../src-main/api/file-contract.js';
import type { ImageExtractorConfig } from '../../src-worker/calib/image-extractor.js';
import { html, setHtml } from '../dom/html.js';
import { UserEdits } from '../dom/user-edits.js';

export class ExtractorControl {
  readonly element: HTMLElement;
  private readonly typeEl: HTMLSelectElement;
  private readonly widthEl: HTMLInputElement;
  private readonly shiftEl: HTMLInputElement;
  private readonly peakEl: HTMLInputElement;
  private readonly peakLabel: HTMLElement;
  private readonly resetEl: HTMLButtonElement;
  private fileId: string | undefined;
  private seq = 0;
  /** width, shift and peak typed and not yet applied: a reply to an earlier change does not overwrite them */
  private readonly edits = new UserEdits();
  /** called after the backend took a new extractor for the file */
  onChanged: ((fileId: string, extractor: FileExtractor) => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('span');
    this.element.className = 'waveform-extractor';
    this.element.hidden = true;
    setHtml(
      this.element,
      html`<label title="ctapipe's ImageExtractor computing this file's images, peak times and windows (CameraCalibrator.image_extractor_type)"
          >extractor <select class="extractor-type"></select></label
        ><label title="window_width: samples summed">width <input class="extractor-width" type="number" min="1" max="1000" step="1" /></label
        ><label title="window_shift: samples before the peak where the window starts">shift <input class="extractor-shift" type="number" min="-1000" max="1000" step="1" /></label
        ><label class="extractor-peak-label" title="FixedWindowSum.peak_index: the sample the window is placed around"
          >peak <input class="extractor-peak" type="number" min="-1000" max="1000" step="1" /></label
        ><button class="extractor-default" title="back to ctapipe's default (NeighborPeakWindowSum, width 7, shift 3)">default</button>`,
    );
    this.typeEl = this.element.querySelector('.extractor-type')!;
    this.widthEl = this.element.querySelector('.extractor-width')!;
    this.shiftEl = this.element.querySelector('.extractor-shift')!;
    this.peakEl = this.element.querySelector('.extractor-peak')!;
    this.peakLabel = this.element.querySelector('.extractor-peak-label')!;
    this.resetEl = this.element.querySelector('.extractor-default')!;
    // a new type starts from ctapipe's defaults for it (only its name is sent)
    this.typeEl.addEventListener('change', () => void this.choose({ type: this.typeEl.value } as ImageExtractorConfig));
    this.edits.watch(this.widthEl, this.shiftEl, this.peakEl);
    for (const el of [this.widthEl, this.shiftEl, this.peakEl]) {
      el.addEventListener('change', () => {
        this.edits.applied(el);
        void this.choose(this.fromInputs());
      });
    }
    this.resetEl.addEventListener('click', () => void this.choose(null));
  }

  /** The file the Event tab shows: its extractor is read back (hidden for files that hold their images). */
  async setFile(file: FileOpenResult | undefined): Promise<void> {
    const token = ++this.seq;
    if (file?.fileId !== this.fileId) this.edits.clear();
    this.fileId = file?.fileId;
    if (!file) {
      this.element.hidden = true;
      return;
    }
    try {
      const r = await this.api.request('file.extractor', { fileId: file.fileId });
      if (token !== this.seq) return;
      this.show(r);
    } catch {
      if (token === this.seq) this.element.hidden = true;
    }
  }

  private fromInputs(): ImageExtractorConfig {
    const int = (el: HTMLInputElement) => Math.trunc(Number(el.value));
    const type = this.typeEl.value;
    const common = { windowWidth: int(this.widthEl), windowShift: int(this.shiftEl) };
    if (type === 'FixedWindowSum') return { type, ...common, peakIndex: int(this.peakEl) };
    return { type, ...common } as ImageExtractorConfig;
  }

  private async choose(extractor: ImageExtractorConfig | null): Promise<void> {
    const fileId = this.fileId;
    if (!fileId) return;
    const token = ++this.seq;
    this.element.dataset.state = 'applying';
    try {
      const r = await this.api.request('file.extractor', { fileId, extractor });
      if (token !== this.seq) return;
      this.show(r);
      this.onChanged?.(fileId, r);
    } catch (err) {
      if (token !== this.seq) return;
      this.element.dataset.state = 'error';
      this.notify(`image extractor: ${(err as Error).message}`, 'error');
      // back to what the backend uses, the refused values included
      this.edits.clear();
      const r = await this.api.request('file.extractor', { fileId }).catch(() => undefined);
      if (r && token === this.seq) this.show(r);
    }
  }

  private show(r: FileExtractor): void {
    this.element.hidden = !r.choosable;
    if (this.typeEl.options.length !== r.types.length) {
      this.typeEl.replaceChildren(
        ...r.types.map((t) => {
          const o = document.createElement('option');
          o.value = t;
          o.textContent = t;
          return o;
        }),
      );
    }
    const x = r.extractor;
    this.typeEl.value = x.type;
    this.edits.put(this.widthEl, String(x.windowWidth));
    this.edits.put(this.shiftEl, String(x.windowShift));
    const fixed = x.type === 'FixedWindowSum';
    this.peakLabel.hidden = !fixed;
    this.edits.put(this.peakEl, fixed ? String(x.peakIndex) : '0');
    this.resetEl.disabled = r.isDefault;
    this.element.dataset.type = x.type;
    this.element.dataset.isDefault = String(r.isDefault);
    this.element.dataset.state = 'shown';
  }
}
