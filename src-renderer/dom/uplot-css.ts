/**
 * uPlot's stylesheet, copied next to the bundle by scripts/build.mjs (the
 * CSP allows 'self' styles): linked once, on the first plot of any view.
 */
export function ensureUplotCss(): void {
  if (typeof document === 'undefined') return;
  if (document.querySelector('link[data-uplot-css], link[href$="uPlot.min.css"]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = 'uPlot.min.css';
  link.dataset.uplotCss = 'true';
  document.head.append(link);
}
