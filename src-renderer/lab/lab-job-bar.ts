/**
 * Progress and Cancel of a long lab job (shaping every signal, a stack's
 * statistics): a progress bar, what is being done, a Cancel button; fed by
 * the 'lab-job' stream for the job it was started with.
 */
import type { ApiClient } from '../api/api-client.js';
import type { LabJobMessage } from '../../src-main/api/lab-contract.js';

export class LabJobBar {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private jobId: string | undefined;
  private onEnd: ((m: LabJobMessage) => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (m: string) => void,
    className: string,
  ) {
    this.element = document.createElement('span');
    this.element.className = `lab-job ${className}`;
    this.element.hidden = true;
    this.bar = document.createElement('progress');
    this.bar.max = 1;
    this.bar.value = 0;
    this.text = document.createElement('span');
    this.text.className = 'lab-job-text';
    this.cancel = document.createElement('button');
    this.cancel.className = 'lab-cancel needs-control';
    this.cancel.textContent = 'Cancel';
    this.cancel.addEventListener('click', () => {
      if (this.jobId) this.api.request('lab.cancel', { jobId: this.jobId }).catch((err: Error) => this.notify(err.message));
    });
    this.element.append(this.bar, this.text, this.cancel);
    api.on('lab-job', (m) => this.update(m));
  }

  get running(): boolean {
    return this.jobId !== undefined;
  }

  /** A fresh job id, made here so the stream's messages can be matched before the start request's reply. */
  static newJobId(kind: string): string {
    return `${kind}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  }

  /** The job could not start: says why. */
  fail(message: string): void {
    this.jobId = undefined;
    this.onEnd = undefined;
    this.cancel.hidden = true;
    this.element.hidden = false;
    this.element.dataset.state = 'failed';
    this.bar.value = 0;
    this.text.textContent = message;
  }

  /** Follows job `jobId` (call before starting it); `onEnd` is called once with its last message. */
  follow(jobId: string, what: string, onEnd: (m: LabJobMessage) => void): void {
    this.jobId = jobId;
    this.onEnd = onEnd;
    this.element.hidden = false;
    this.element.dataset.state = 'running';
    this.bar.removeAttribute('value');
    this.text.textContent = `${what}…`;
    this.cancel.hidden = false;
  }

  private update(m: LabJobMessage): void {
    if (m.jobId !== this.jobId) return;
    if (m.total > 0) {
      this.bar.max = m.total;
      this.bar.value = m.done;
    }
    const rate = m.rate ? `, ${m.rate >= 100 ? Math.round(m.rate).toLocaleString('en-US') : m.rate.toFixed(1)}/s` : '';
    this.text.textContent = `${m.phase} ${m.done.toLocaleString('en-US')} of ${m.total.toLocaleString('en-US')}${rate}`;
    if (!m.finished) return;
    this.jobId = undefined;
    this.cancel.hidden = true;
    this.element.dataset.state = m.finished.ok ? 'done' : m.finished.cancelled ? 'cancelled' : 'failed';
    if (!m.finished.ok) this.text.textContent = m.finished.message;
    const end = this.onEnd;
    this.onEnd = undefined;
    end?.(m);
  }
}
