import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundDepth, MAX_DEPTH } from '../../src/parse/depth.js';
import { loadDocument } from '../../src/parse/document.js';
import { readMarkupItems } from '../../src/parse/microdata.js';
import { parsePage } from '../../src/parse/index.js';
import { FIXTURES, parseFile } from '../helpers.js';

const CAPTURED = new Date('2025-03-10T12:00:00Z');
const TIMED = join(FIXTURES, 'generic/generic-time-elements_2025-03-10.html');

function parseHtml(html: string): ReturnType<typeof parsePage> {
  return parsePage({ source: 'hostile.html', bytes: Buffer.from(html), capturedAt: CAPTURED, url: 'https://news.example/live' });
}

function nested(tag: string, n: number, inner: string, doctype = true): string {
  return `${doctype ? '<!DOCTYPE html>' : ''}<html><head><title>Deep</title></head><body>${`<${tag}>`.repeat(n)}${inner}${`</${tag}>`.repeat(n)}</body></html>`;
}

/** The fixture's page with its <body> content wrapped in `n` elements. */
function wrapped(n: number): string {
  const html = readFileSync(TIMED, 'utf8');
  return html.replace(/(<body[^>]*>)([\s\S]*)(<\/body>)/i, (_m, open: string, body: string, close: string) => `${open}${'<div class="w">'.repeat(n)}${body}${'</div>'.repeat(n)}${close}`);
}

describe('deeply nested pages', () => {
  it.each([
    ['div', 2_000, true], ['span', 20_000, true], ['div', 100_000, true], ['div', 100_000, false], ['b', 50_000, false],
  ] as const)('%s × %i (doctype %s) parses on a bounded stack, with a warning', (tag, n, doctype) => {
    const page = parseHtml(nested(tag, n, '<p>Inner words at 12:05 stay readable.</p>', doctype));
    expect(page.warnings.join('\n')).toContain(`nests elements ${n + 3} levels deep`);
  });

  it('20,000 nested <p> are 20,000 paragraphs, not a deep tree: no warning', () => {
    const page = parseHtml(`<!DOCTYPE html><html><body>${'<p>Words '.repeat(20_000)}</body></html>`);
    expect(page.warnings.join('\n')).not.toContain('nests elements');
  });

  it('keeps every post of a live blog nested within the bound', () => {
    const plain = parseFile(TIMED, '2025-03-10T12:00:00Z');
    const deep = parsePage({ source: 'deep.html', bytes: Buffer.from(wrapped(300)), capturedAt: CAPTURED });
    expect(deep.posts.map((p) => [p.id, p.publishedAt, p.bodyText])).toEqual(plain.posts.map((p) => [p.id, p.publishedAt, p.bodyText]));
    expect(deep.warnings.join('\n')).not.toContain('nests elements');
  });

  it('reads a live blog nested past the bound without failing, and says so', () => {
    const deep = parsePage({ source: 'deep.html', bytes: Buffer.from(wrapped(3_000)), capturedAt: CAPTURED });
    expect(deep.warnings.join('\n')).toContain(`deeper than ${MAX_DEPTH} levels`);
  });
});

describe('the depth pre-scan', () => {
  const depth = (html: string): number => boundDepth(html).depth;

  it('never counts below what the parsers build', () => {
    expect(depth('<div><div><span>x</span></div></div>')).toBe(3);
    expect(depth('<div/><div/><div/>')).toBe(3); // HTML ignores "/>" on a div: three nested divs
    expect(depth('<div title="a>b"><i data-x=\'>\'>x</i></div>')).toBe(2);
  });

  it('does not count what cannot nest: raw text, void and foreign self-closed elements, unclosed paragraphs and items', () => {
    expect(depth(`<script>${'<div>'.repeat(5000)}</script><style>${'<p>'.repeat(5000)}</STYLE><p>x`)).toBe(1);
    expect(depth(`<svg>${'<path d="M0 0"/>'.repeat(5000)}</svg>`)).toBe(1);
    expect(depth(`${'<br><img src=x><input>'.repeat(5000)}`)).toBe(0);
    expect(depth(`<ul>${'<li>item '.repeat(5000)}</ul>`)).toBe(2);
    expect(depth(`<table>${'<tr><td>a<td>b'.repeat(5000)}</table>`)).toBe(3);
    expect(depth(`<!-- ${'<div>'.repeat(5000)} -->`)).toBe(0);
  });

  it('drops only the tags past the bound, keeping their text in order', () => {
    const { html } = boundDepth(`${'<div>'.repeat(MAX_DEPTH + 10)}<script>s()</script><em>deep</em> text${'</div>'.repeat(MAX_DEPTH + 10)}after`);
    expect(html.match(/<div>/g)).toHaveLength(MAX_DEPTH);
    expect(html.match(/<\/div>/g)).toHaveLength(MAX_DEPTH);
    expect(html).not.toContain('<em>');
    expect(html).not.toContain('s()');
    expect(html).toMatch(/deep text(?:<\/div>)+after$/);
  });
});

describe('malformed URLs in page content', () => {
  const page = readFileSync(join(FIXTURES, 'guardian-live/guardian-live_2024-03-02.html'), 'utf8');

  it.each([
    ['a NUL', '#block-65e30ef88f08e2a4b51c0689', 'http://\u0000/#block-65e30ef88f08e2a4b51c0689'],
    ['a bad host', '#block-65e30ef88f08e2a4b51c0689', 'https://[not-ipv6/#block-65e30ef88f08e2a4b51c0689'],
    ['a flipped byte in the scheme', 'https://www.theguardian.com/world/live/2024/mar/02/example-live?page=with:block-65e30ef88f08e2a4b51c0689', 'ht\u00f4ps://www.theguardian.com/x?page=with:block-65e30ef88f08e2a4b51c0689'],
  ])('a permalink with %s gives a post without a URL, never an error', (_label, from, to) => {
    const bytes = Buffer.from(page.replaceAll(from, to));
    const parsed = parsePage({ source: 'g.html', bytes, capturedAt: new Date('2024-03-02T18:00:00Z') });
    expect(parsed.posts.length).toBeGreaterThan(0);
    for (const p of parsed.posts) if (p.url !== null) expect(['http:', 'https:']).toContain(new URL(p.url).protocol);
  });

  it('a canonical URL that does not parse is passed over, never an error', () => {
    const parsed = parsePage({ source: 'g.html', bytes: Buffer.from(page.replace(/<link rel="canonical" href="[^"]*"/, '<link rel="canonical" href="https://[bad">')), capturedAt: new Date('2024-03-02T18:00:00Z') });
    expect(parsed.posts.length).toBeGreaterThan(0);
  });
});

describe('percent-escapes in links to posts', () => {
  it.each(['#%E0%A4%A', '#%', '#%ZZ', '%23%E0'])('a key-event link to %s is read as written, never an error', (href) => {
    const html = readFileSync(TIMED, 'utf8').replace(/<body([^>]*)>/i, `<body$1><div class="key-events"><a href="${href}">Key event</a></div>`);
    const plain = parseFile(TIMED, '2025-03-10T12:00:00Z');
    const parsed = parseHtml(html);
    expect(parsed.posts.map((p) => p.id)).toEqual(plain.posts.map((p) => p.id));
  });

  it('a key-event link with escapes flags the post it names', () => {
    const plain = parseFile(TIMED, '2025-03-10T12:00:00Z');
    const id = plain.posts[1]!.id;
    const escaped = [...id].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const html = readFileSync(TIMED, 'utf8').replace(/<body([^>]*)>/i, `<body$1><div class="key-events"><a href="#${escaped}">Key event</a></div>`);
    expect(parseHtml(html).posts.find((p) => p.id === id)?.keyEvent).toBe(true);
  });
});

describe('many values and many posts', () => {
  it('an item with 50,000 values of one property keeps them all, in order', () => {
    const spans = Array.from({ length: 50_000 }, (_, k) => `<span itemprop="keywords">k${k}</span>`).join('');
    const { $ } = loadDocument(`<!DOCTYPE html><html><body><div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Many</h1>${spans}</div></body></html>`, 'htmlparser2');
    const [item] = readMarkupItems($);
    expect(item!.node['headline']).toBe('Many');
    expect(item!.node['keywords']).toEqual(Array.from({ length: 50_000 }, (_, k) => `k${k}`));
  });

  it('2,000 page posts and 2,000 structured updates that match none: each kept once', () => {
    const updates = [];
    const blocks = [];
    for (let k = 0; k < 2_000; k++) {
      const at = new Date(Date.UTC(2025, 2, 10, 9) + k * 1000).toISOString();
      updates.push({ '@type': 'BlogPosting', headline: `Structured ${k}`, datePublished: at, articleBody: `Structured body ${k}, told only in the page data of this live blog.` });
      blocks.push(`<article id="p${k}"><time datetime="${at}">t</time><h2>Shown ${k}</h2><p>Shown body ${k}, a different story told on the page itself.</p></article>`);
    }
    const ld = JSON.stringify({ '@context': 'https://schema.org', '@type': 'LiveBlogPosting', liveBlogUpdate: updates });
    const parsed = parseHtml(`<!DOCTYPE html><html><head><script type="application/ld+json">${ld}</script></head><body><main>${blocks.join('')}</main></body></html>`);
    expect(parsed.posts.filter((p) => p.origin === 'page')).toHaveLength(2_000);
    expect(parsed.posts.filter((p) => p.origin === 'structured-data')).toHaveLength(2_000);
  });
});
