import { decodeHTML, escapeAttribute, escapeText } from 'entities';
import type { AnyNode, Element } from 'domhandler';
import { linkUrl } from './url.js';

/**
 * Whitespace that is not already a single space: runs of two or more, and any single tab,
 * newline, no-break or zero-width space. Most of a text's gaps are single spaces; leaving them
 * unmatched keeps the replacement from rebuilding the string piece by piece (on a page of one
 * long paragraph that churned gigabytes).
 */
const UNCLEAN_SPACE = /[\s\u200b]{2,}|[^\S ]|\u200b/g;

/** Collapse runs of whitespace (including no-break and zero-width spaces) to one space and trim. */
export function cleanText(s: string | null | undefined): string {
  if (!s) return '';
  return s.replace(UNCLEAN_SPACE, ' ').trim();
}

/**
 * The text an element holds, script and style contents left out, unnormalised. Iterative: a
 * deep element is safe.
 */
export function elementText(el: AnyNode): string {
  let out = '';
  const stack: AnyNode[] = [el];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text') out += (n as unknown as { data: string }).data;
    else if ('children' in n && n.type !== 'script' && n.type !== 'style') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** cleanText, but null for an empty result: the shape optional fields want. */
export function textOrNull(s: string | null | undefined): string | null {
  const t = cleanText(s);
  return t === '' ? null : t;
}

/**
 * Decode HTML entities left in a string that was not parsed as HTML (JSON-LD values,
 * escaped attributes). Applied twice at most: some publishers double-escape.
 */
export function decodeEntities(s: string): string {
  const once = decodeHTML(s);
  return /&(?:[a-z]+|#\d+|#x[\da-f]+);/i.test(once) ? decodeHTML(once) : once;
}

/** Text that may hold escaped or literal markup ("<p>Seven killed</p>") as plain text. */
export function markupToPlainText(s: string | null | undefined): string | null {
  if (!s) return null;
  const decoded = decodeEntities(s);
  const withBreaks = decoded.replace(/<\/(p|div|li|h[1-6])>|<br\s*\/?>/gi, '\n');
  return textOrNull(decodeHTML(withBreaks.replace(/<[^>]*>/g, ' ')));
}

const DROP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'button', 'form', 'input', 'select', 'textarea',
  'iframe', 'object', 'embed', 'canvas', 'video', 'audio', 'picture', 'source', 'img', 'figure',
  'figcaption', 'aside', 'nav', 'footer', 'header', 'meta', 'link', 'amp-img', 'amp-ad', 'gu-island',
]);

const KEEP_TAGS = new Set([
  'p', 'a', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'q', 'cite',
  'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'hr', 'sup', 'sub', 'code', 'pre', 'time', 'abbr',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'dl', 'dt', 'dd', 'mark', 'small',
]);

/** Elements whose start and end separate paragraphs of bodyText. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'tr', 'pre', 'dl', 'dt', 'dd', 'hr', 'main', 'header', 'footer', 'caption',
]);

/**
 * A space beside a block tag of the output shows nothing; beside an inline one ("<b>bold</b>
 * <i>italic</i>") it is the space between two words and stays.
 */
const SPACE_AROUND_BLOCK = /\s*(<\/?(?:p|ul|ol|li|blockquote|h[2-6]|br|hr|pre|table|thead|tbody|tr|th|td|caption|dl|dt|dd)(?:\s[^>"]*(?:"[^"]*"[^>"]*)*)?>)\s*/g;

const URL_ATTRS = new Set(['href', 'cite']);
const KEEP_ATTRS = new Set(['href', 'title', 'datetime', 'colspan', 'rowspan', 'cite']);
const VOID_TAGS = new Set(['br', 'hr']);

export interface RenderedBody {
  html: string;
  text: string;
}

/**
 * Render post body nodes to sanitized HTML (an allow-list of tags and attributes,
 * absolute links, no scripts or handlers) and to text (blocks separated by a blank line)
 * in one walk.
 */
export function renderBody(nodes: Iterable<AnyNode>, baseUrl: string | null): RenderedBody {
  const html: string[] = [];
  const blocks: string[] = [];
  let current = '';
  const flush = (): void => {
    const t = cleanText(current);
    if (t) blocks.push(t);
    current = '';
  };

  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      html.push(escapeText(data));
      current += data;
      return;
    }
    if (node.type !== 'tag') return;
    const el = node as Element;
    const tag = el.name.toLowerCase();
    if (DROP_TAGS.has(tag)) return;
    const block = BLOCK_TAGS.has(tag);
    if (block) flush();
    if (tag === 'br') current += '\n';
    const keep = KEEP_TAGS.has(tag);
    if (keep) {
      let attrs = '';
      for (const [name, value] of Object.entries(el.attribs)) {
        if (!KEEP_ATTRS.has(name)) continue;
        const v = URL_ATTRS.has(name) ? linkUrl(value, baseUrl) : value;
        if (v !== null) attrs += ` ${name}="${escapeAttribute(v)}"`;
      }
      html.push(`<${tag}${attrs}>`);
    }
    for (const child of el.children) walk(child);
    if (keep && !VOID_TAGS.has(tag)) html.push(`</${tag}>`);
    if (block) flush();
  };

  for (const n of nodes) walk(n);
  flush();
  return {
    html: html.join('').replace(/\s+/g, ' ').replace(SPACE_AROUND_BLOCK, '$1').trim(),
    text: blocks.join('\n\n'),
  };
}
