import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/parse/index.js';
import { renderBody } from '../../src/parse/text.js';
import type { ParsedPage } from '../../src/types.js';
import { FIXTURES } from '../helpers.js';

/**
 * Stored script: bodyHtml is shown to people, so no payload may come out able to run. Each
 * payload goes into a real post of a page (CNN adapter, generic reader), and every post's
 * output is then checked: only allowed tags and attributes, and every URL http(s) or mailto
 * once a browser has parsed it.
 */
const PAYLOADS: Array<[string, string]> = [
  ['tab in the scheme', '<a href="java&#x09;script:alert(7)">a</a>'],
  ['newline in the scheme', '<a href="java&#x0A;script:alert(7)">a</a>'],
  ['carriage return in the scheme', '<a href="java&#x0D;script:alert(7)">a</a>'],
  ['leading U+0001', '<a href="&#x01;javascript:alert(7)">a</a>'],
  ['leading U+001F', '<a href="&#x1F;javascript:alert(7)">a</a>'],
  ['leading spaces and U+000E', '<a href="  &#14;  javascript:alert(7)">a</a>'],
  ['vbscript', '<a href="vbscript:msgbox(7)">a</a>'],
  ['data URL', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">a</a>'],
  ['data URL with markup', '<a href="data:text/html,<script>alert(7)</script>">a</a>'],
  ['mixed case', '<a href="JaVaScRiPt:alert(7)">a</a>'],
  ['decimal entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(7)">a</a>'],
  ['zero-padded entities without semicolons', '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(7)">a</a>'],
  ['hex entities without semicolons', '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A alert(7)">a</a>'],
  ['named colon entity', '<a href="javascript&colon;alert(7)">a</a>'],
  ['whitespace-split scheme', '<a href="jav\tascript:alert(7)">a</a>'],
  ['comment-style line break', '<a href="javascript://%0Aalert(7)">a</a>'],
  ['file scheme', '<a href="file:///etc/passwd">a</a>'],
  ['blockquote cite', '<blockquote cite="javascript:alert(7)">q</blockquote>'],
  ['event handler and style', '<a href="https://ok.example/" onclick="alert(7)" style="x:expression(alert(7))">a</a>'],
  ['img onerror', '<img src=x onerror=alert(7)>'],
  ['srcset', '<img srcset="javascript:alert(7) 1x">'],
  ['formaction', '<form><button formaction="javascript:alert(7)">b</button></form><input type="image" formaction="javascript:alert(7)">'],
  ['svg onload', '<svg onload=alert(7)><circle r="1"/></svg>'],
  ['svg a xlink:href', '<svg><a xlink:href="javascript:alert(7)"><text>t</text></a></svg>'],
  ['math a href', '<math><a href="javascript:alert(7)">m</a></math>'],
  ['math mglyph style', '<math><mtext><table><mglyph><style><img src=x onerror=alert(7)></style></mglyph></table></mtext></math>'],
  ['iframe srcdoc', '<iframe src="javascript:alert(7)" srcdoc="<script>alert(7)</script>"></iframe>'],
  ['object and embed', '<object data="javascript:alert(7)"></object><embed src="javascript:alert(7)">'],
  ['script in a link', '<a href="https://ok.example/"><script>alert(7)</script>s</a>'],
  ['attribute breakout', '<time datetime=\'"><script>alert(7)</script>\'>t</time><abbr title="&quot;><img src=x onerror=alert(7)>">x</abbr>'],
  ['noscript breakout', '<noscript><p title="</noscript><img src=x onerror=alert(7)>"></p></noscript>'],
  ['style import', '<style>@import "javascript:alert(7)";</style>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(7)">'],
  ['base href', '<base href="javascript:alert(7)//">'],
];

const ALLOWED_TAGS = ['p', 'a', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'q', 'cite', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'hr', 'sup', 'sub', 'code', 'pre', 'time', 'abbr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'dl', 'dt', 'dd', 'mark', 'small'];
const ALLOWED_ATTRS = ['href', 'title', 'datetime', 'colspan', 'rowspan', 'cite'];

/** Every element of a stored body, as a browser would build it. */
function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (nodes: ReturnType<typeof parseDocument>['children']): void => {
    for (const n of nodes) {
      if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
        out.push(n as Element);
        walk((n as Element).children);
      }
    }
  };
  walk(parseDocument(html).children);
  return out;
}

function expectSafe(page: ParsedPage): void {
  for (const post of page.posts) {
    for (const el of elements(post.bodyHtml)) {
      expect(ALLOWED_TAGS, `tag <${el.name}> in ${post.id}`).toContain(el.name);
      for (const [name, value] of Object.entries(el.attribs)) {
        expect(ALLOWED_ATTRS, `attribute ${name} in ${post.id}`).toContain(name);
        if (name === 'href' || name === 'cite') {
          // As a browser reads it: the URL parser decides the scheme.
          expect(['http:', 'https:', 'mailto:'], `${name}="${value}" in ${post.id}`).toContain(new URL(value, 'https://base.example/').protocol);
        }
      }
    }
    // A maintained sanitizer, given the same allow-list, finds nothing to remove.
    const again = sanitizeHtml(post.bodyHtml, {
      allowedTags: ALLOWED_TAGS, allowedAttributes: { '*': ALLOWED_ATTRS }, allowedSchemes: ['http', 'https', 'mailto'], allowedSchemesAppliedToAttributes: ['href', 'cite'],
    });
    expect(elements(again).map((e) => [e.name, e.attribs])).toEqual(elements(post.bodyHtml).map((e) => [e.name, e.attribs]));
    for (const url of [post.url, ...post.media.flatMap((m) => [m.url, m.thumbnail])]) {
      if (url !== null) expect(['http:', 'https:']).toContain(new URL(url).protocol);
    }
  }
}

/** A page with `payload` placed in a post's body, right before the text the answer key says that body starts with. */
function withPayload(file: string, payload: string): Buffer {
  const html = readFileSync(file, 'utf8');
  const key = JSON.parse(readFileSync(file.replace(/\.html$/, '.expected.json'), 'utf8')) as { posts: Array<{ bodyStartsWith: string }> };
  const anchor = key.posts[1]!.bodyStartsWith.slice(0, 24);
  const at = html.indexOf(anchor, html.search(/<body[\s>]/i));
  if (at < 0) throw new Error(`${file}: anchor not found`);
  return Buffer.from(`${html.slice(0, at)}<span>PAYLOADMARK</span> ${payload} ${html.slice(at)}`);
}

const PAGES = [
  ['CNN adapter', join(FIXTURES, 'cnn-live/cnn-live_2025-06-01.html'), 'cnn-live'],
  ['generic reader', join(FIXTURES, 'generic/minimal-blog-live_2025-04-18.html'), 'generic'],
  ['generic reader, time elements', join(FIXTURES, 'generic/generic-time-elements_2025-03-10.html'), 'generic'],
] as const;

describe.each(PAGES)('sanitized bodies through the %s', (_name, file, adapter) => {
  it.each(PAYLOADS)('%s', (_label, payload) => {
    const page = parsePage({ source: file, bytes: withPayload(file, payload), capturedAt: new Date('2025-06-01T16:00:00Z') });
    expect(page.adapter.id).toBe(adapter);
    // The payload landed inside a post, so the check below is about a real body.
    expect(page.posts.some((p) => p.bodyText.includes('PAYLOADMARK'))).toBe(true);
    expectSafe(page);
  });

  it('keeps http(s) and mailto links, made absolute', () => {
    const page = parsePage({
      source: file,
      bytes: withPayload(file, '<a href="/local/path">l</a> <a href="//cdn.example/x">c</a> <a href="mailto:desk@example.com">m</a> <a href="HTTPS://Ok.Example/a b">o</a>'),
      capturedAt: new Date('2025-06-01T16:00:00Z'),
    });
    const body = page.posts.find((p) => p.bodyText.includes('PAYLOADMARK'))!.bodyHtml;
    const origin = new URL(page.url!).origin;
    expect(body).toContain(`href="${origin}/local/path"`);
    expect(body).toContain('href="https://cdn.example/x"');
    expect(body).toContain('href="mailto:desk@example.com"');
    expect(body).toContain('href="https://ok.example/a%20b"');
  });
});

describe('body HTML spacing', () => {
  it('keeps the space between inline elements and drops it around blocks', () => {
    const doc = parseDocument('<div>\n  <p>Alpha <b>bold</b> <i>italic</i>\n<a href="/a">one</a> <a href="/b" title="x > y">two</a>.</p>\n  <ul>\n <li>a</li>\n <li><em>b</em> <strong>c</strong></li> </ul>\n <table> <tr> <td colspan="2"> x </td> </tr> </table></div>');
    const { html, text } = renderBody(doc.children, 'https://example.org/live');
    expect(html).toBe('<p>Alpha <b>bold</b> <i>italic</i> <a href="https://example.org/a">one</a> <a href="https://example.org/b" title="x > y">two</a>.</p>'
      + '<ul><li>a</li><li><em>b</em> <strong>c</strong></li></ul><table><tr><td colspan="2">x</td></tr></table>');
    expect(text).toContain('Alpha bold italic one two.');
  });
});
