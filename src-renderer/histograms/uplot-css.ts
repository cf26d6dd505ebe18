/** uPlot's stylesheet, copied next to the bundle by scripts/build.mjs; linked once, on first use. */
let linked = false;

export function ensureUplotCss(): void {
  if (linked || typeof document === 'undefined') return;
  linked = true;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = 'uPlot.min.css';
  document.head.append(link);
}
