/**
 * PNG and SVG buttons for a lab figure: the figure's own export functions,
 * downloaded under a name made from its title (letters, digits, "_", "."
 * and "-" only).
 */
import { downloadBlob } from '../../histograms/histogram-plot.js';

export interface ExportableFigure {
  exportPng(): Promise<Blob>;
  exportSvg(): string;
}

export function fileNameFor(title: string, fallback: string): string {
  return (
    title
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 80) || fallback
  );
}

/** Two small buttons (PNG, SVG) that export `figure`; errors go to `notify`. */
export function exportButtons(figure: ExportableFigure, name: () => string, notify: (m: string) => void): HTMLElement {
  const box = document.createElement('span');
  box.className = 'lab-export';
  for (const format of ['png', 'svg'] as const) {
    const b = document.createElement('button');
    b.className = `lab-export-${format}`;
    b.textContent = format.toUpperCase();
    b.title = format === 'png' ? 'save as PNG (slides)' : 'save as SVG (papers)';
    b.addEventListener('click', () => {
      const file = `${fileNameFor(name(), 'figure')}.${format}`;
      const run = async () => {
        const blob = format === 'png' ? await figure.exportPng() : new Blob([figure.exportSvg()], { type: 'image/svg+xml' });
        downloadBlob(blob, file);
      };
      run().catch((err: Error) => notify(`export failed: ${err.message}`));
    });
    box.append(b);
  }
  return box;
}
