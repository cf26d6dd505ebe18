/**
 * Issue 12, item 7 (the innerHTML audit): every renderer view puts markup
 * into the DOM only through `setHtml(html\`...\`)`, whose interpolated
 * values are escaped; no other file writes innerHTML, outerHTML or
 * insertAdjacentHTML, or uses another way to parse markup. Strings from a DAQ
 * or a file therefore reach the DOM as text (the Chromium test of the array
 * legend is test/e2e/hostile-daq-strings.spec.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../../src-renderer/dom/html.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|html)$/.test(name) ? [p] : [];
  });
}

describe('markup in the renderer', () => {
  it('no file but dom/html.ts uses an HTML sink', () => {
    const sinks =
      /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\bsrcdoc\b|createContextualFragment|new DOMParser|\.setHTMLUnsafe|parseHTMLUnsafe/;
    const offenders: string[] = [];
    for (const file of sources('src-renderer')) {
      const rel = relative('src-renderer', file);
      if (rel === join('dom', 'html.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (sinks.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
    expect(sources('src-renderer').length).toBeGreaterThan(50); // the scan saw the views
  });

  it('escapes every interpolated value and keeps only html fragments as markup', () => {
    const type = '<img src=x onerror="alert(1)">&\'';
    expect(html`<span>${type}</span>`.markup).toBe('<span>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</span>');
    expect(html`<ul>${['a<b', 'c'].map((s) => html`<li>${s}</li>`)}</ul>`.markup).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
    expect(html`<i title="${'" onmouseover="x'}">${42}${undefined}${null}${false}</i>`.markup).toBe('<i title="&quot; onmouseover=&quot;x">42</i>');
    // a plain string that looks like markup is text, not markup
    expect(html`${['<b>bold</b>']}`.markup).toBe('&lt;b&gt;bold&lt;/b&gt;');
    expect(escapeHtml('<>&"\'')).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
