import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { fragmentNodes, loadDocument } from '../../src/parse/document.js';

// Whole-page questions are answered from an element index (by tag, class, id, attribute); these check that
// its answers are exactly what walking the page gives, in the same order, also after the page
// was changed.

const SELECTORS = [
  'meta', 'h1', 'h2, h3, h4', 'p', 'link[rel="canonical"]', 'script[type="application/ld+json"]',
  'article[id^="block-"]', 'div.live-event-entry', 'time[datetime]', 'DIV P', 'section > h2',
  '.post, article, #main', 'a[href*="#"]', 'ul li:first-child', 'img:not([alt])', '[itemscope]',
  'body *', 'figure figcaption', '.Caps', 'svg', 'li.a.b',
  // Keyed by attribute name, each alternative tested alone: furniture lists as the readers write them.
  'aside, nav, [class*="share" i], [data-component*="share" i], footer', '[itemtype*="BlogPosting"]', '[typeof]',
  '[class*="BYLINE" i] [class*="name"], [rel="author"]', '[data-id], .post', 'a[href][target="_blank"]',
  '[ID="main"]', '[class~="post" i]', 'div[id!="main"]', 'p, [itemprop], p',
];

function walk(root: AnyNode, selector: string): Element[] {
  return selectAll<AnyNode, Element>(selector, root);
}

const fixtures = readdirSync('fixtures', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));

describe('whole-page queries', () => {
  it('give what a walk of the page gives, on every fixture and both parsers', () => {
    expect(fixtures.length).toBeGreaterThan(20);
    for (const file of fixtures) {
      const html = readFileSync(join('fixtures', file), 'utf8');
      for (const backend of ['htmlparser2', 'parse5'] as const) {
        const { $ } = loadDocument(html, backend);
        for (const selector of SELECTORS) {
          expect($(selector).toArray(), `${file} ${backend} ${selector}`).toEqual(walk($.root()[0]!, selector));
        }
      }
    }
  });

  it('see nodes put into the page and not those taken out of it', () => {
    const { $ } = loadDocument('<!doctype html><body><div class="x"><p>one</p><p class="Caps">two</p></div><div id="main"><h2>a</h2></div></body>', 'htmlparser2');
    expect($('h2, h3').length).toBe(1);
    $('p.Caps').before('<h3 class="Caps">new</h3>');
    $('#main').append($('<p class="Caps">three</p>'));
    $('<h2>appended</h2>').appendTo('body');
    $('div.x p').first().remove();
    for (const selector of ['h2, h3', '.Caps', 'p', 'div p', 'h2']) {
      expect($(selector).toArray(), selector).toEqual(walk($.root()[0]!, selector));
    }
    expect($('.Caps').map((_, e) => $(e).text()).get()).toEqual(['new', 'two', 'three']);
    expect($('p').length).toBe(2);
  });

  it('do not see clones put into an element outside the page', () => {
    const { $ } = loadDocument('<!doctype html><body><p>a</p></body>', 'htmlparser2');
    const box = $('<div></div>');
    box.append($('p').clone());
    expect($('p').length).toBe(1);
  });
});

describe('fragments', () => {
  it('are nodes, bounded in depth like a page', () => {
    const nodes = fragmentNodes(`<p>lead <b>bold</b></p>${'<div>'.repeat(5000)}deep`);
    expect(nodes[0]!.type).toBe('tag');
    let depth = 0;
    for (let n: AnyNode | undefined = nodes[1]; n && 'children' in n && n.children.length; n = n.children[0]) depth++;
    expect(depth).toBeLessThan(1000);
  });
});

describe('remove()', () => {
  it('takes many nodes out at once with the links cheerio leaves', async () => {
    const { load } = await import('cheerio');
    const html = `<!doctype html><body><div id="x">${Array.from({ length: 300 }, (_, k) => `<span class="${k % 3 ? 'keep' : 'cut'}">${k}</span> t${k} `).join('')}<p><span class="cut">in p</span></p></div></body>`;
    const ours = loadDocument(html, 'htmlparser2').$;
    const theirs = load(html, { xml: { xmlMode: false, decodeEntities: true, lowerCaseAttributeNames: true } });
    for (const $ of [ours, theirs]) $('.cut').remove();
    expect(ours('#x').html()).toBe(theirs('#x').html());
    const kids = ours('#x')[0]!.children;
    kids.forEach((c, k) => {
      expect(c.prev).toBe(kids[k - 1] ?? null);
      expect(c.next).toBe(kids[k + 1] ?? null);
      expect(c.parent).toBe(ours('#x')[0]);
    });
    expect(ours('.cut').length).toBe(0);
  });
});
