import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { isAdOrTeaserSlot, linkedTextLength } from '../dom.js';
import { cleanText } from '../text.js';
import { isDateOnly, isDayHeading } from '../time.js';
import { urlPath } from '../url.js';
import { hasTimeSignal } from './signals.js';

/**
 * Where the generic reader finds posts: sibling blocks that each carry a time, grouped by
 * their common parent; the group in the main content with the most substantive blocks wins.
 */

export const NOT_POST = /(?:^|[\s_-])(?:ad|ads|advert\w*|promo\w*|sponsor\w*|recommend\w*|related|outbrain|taboola|newsletter|share|social|comments?|key-?events|summary|nav\w*|footer|header|carousel|teaser|most-?read|trending)(?:$|[\s_-])/i;
const MIN_POST_TEXT = 25;
const HEADLINE = 'h2, h3, h4';

export function classOf(el: Element): string {
  return `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`;
}

/** The children of `parent` that contain a time signal, grouped by tag name. */
function candidateGroups($: CheerioAPI): Array<{ parent: Element; blocks: Element[] }> {
  const groups = new Map<Element, Map<string, Set<Element>>>();
  $('body *').each((_, node) => {
    if (!hasTimeSignal(node)) return;
    let child: Element = node;
    let parent = node.parent;
    while (parent && parent.type === 'tag') {
      const p = parent as Element;
      const byTag = groups.get(p) ?? new Map<string, Set<Element>>();
      groups.set(p, byTag);
      const set = byTag.get(child.name) ?? new Set<Element>();
      byTag.set(child.name, set);
      set.add(child);
      child = p;
      parent = p.parent;
    }
  });
  const out: Array<{ parent: Element; blocks: Element[] }> = [];
  for (const [parent, byTag] of groups) {
    for (const set of byTag.values()) if (set.size >= 2) out.push({ parent, blocks: [...set] });
  }
  return out;
}

/**
 * A card made mostly of links, or whose headline links to another page, is a teaser for
 * that page (recommendations, "more news"), not a post.
 */
function isTeaserCard($: CheerioAPI, el: Element, pageUrl: string | null): boolean {
  const text = cleanText($(el).text()).length;
  if (text > 0 && linkedTextLength($, el) / text >= 0.5) return true;
  const href = $(el).find(HEADLINE).first().find('a[href]').attr('href');
  if (!href || href.startsWith('#')) return false;
  // A post whose headline links to its own entry page still tells its story here; a teaser
  // offers a line at most.
  const told = $(el).find('p').toArray().reduce((n, p) => n + cleanText($(p).clone().find('a').remove().end().text()).length, 0);
  if (told >= 120) return false;
  const target = urlPath(href, pageUrl);
  return target !== null && (!pageUrl || target !== urlPath(pageUrl));
}

export function isSubstantive($: CheerioAPI, el: Element, pageUrl: string | null): boolean {
  if (NOT_POST.test(classOf(el)) || isTeaserCard($, el, pageUrl)) return false;
  return cleanText($(el).text()).length >= MIN_POST_TEXT;
}

export function firstClass(el: Element): string {
  return (el.attribs['class'] ?? '').trim().split(/\s+/)[0] ?? '';
}

export function kindOf(el: Element): string {
  return `${el.name}.${firstClass(el)}`;
}

export function pickBlocks($: CheerioAPI, minBlocks: number, pageUrl: string | null): { blocks: Element[]; kinds: Set<string> } {
  let best: { parent: Element; blocks: Element[]; score: number } | null = null;
  for (const g of candidateGroups($)) {
    if (NOT_POST.test(classOf(g.parent)) || $(g.parent).closest('nav, footer, header, aside').length) continue;
    const blocks = g.blocks.filter((b) => hasSubstance($, b, g.blocks, pageUrl));
    // Two timed posts make a live blog when siblings like them (times unreadable or absent) bring the count up.
    if (blocks.length < 2) continue;
    if (blocks.length < minBlocks) {
      const kinds = new Set(blocks.map(kindOf));
      if (g.parent.children.filter((c) => c.type === 'tag' && (blocks.includes(c as Element) || sameKindPost($, c as Element, kinds))).length < minBlocks) continue;
    }
    // Posts have paragraphs; cards and lists of links do not. A group in the page's main
    // content outranks any beside it (a "latest news" rail, a sidebar).
    const withParagraphs = blocks.filter((b) => $(b).find('p').length > 0).length;
    const inMain = $(g.parent).closest('main, [role="main"]').length > 0;
    const score = blocks.length + withParagraphs * 2 + (inMain ? 10_000 : 0);
    if (!best || score > best.score) best = { parent: g.parent, blocks, score };
  }
  if (!best) return { blocks: [], kinds: new Set() };
  // Posts that show no time (a status line, a result box), or that mostly link elsewhere, are
  // still posts: siblings of the same element and class as the timed ones join them, in page order.
  const kinds = new Set(best.blocks.map(kindOf));
  const chosen = new Set(best.blocks);
  const blocks = best.parent.children.filter((c): c is Element => c.type === 'tag' && (chosen.has(c as Element) || sameKindPost($, c as Element, kinds)));
  return { blocks, kinds };
}

/** The shortest status line a live blog posts ("Kosmetyka toru.", "Half-time."). */
const MIN_SIBLING_TEXT = 8;

/**
 * A sibling of the posts, of their element and class, that says something: a post too, unless it
 * is an ad slot or a "read more" box wearing the posts' wrapper.
 */
export function sameKindPost($: CheerioAPI, el: Element, kinds: Set<string>): boolean {
  return kinds.has(kindOf(el)) && firstClass(el) !== '' && !NOT_POST.test(classOf(el)) && cleanText($(el).text()).length >= MIN_SIBLING_TEXT
    && !isAdOrTeaserSlot($, el);
}

/** The day heading between this block and the one before it ("30 березня 2025, неділя"), if any. */
export function dayBefore($: CheerioAPI, block: Element, blocks: Element[]): string | null {
  for (let n = block.prev; n && !blocks.includes(n as Element); n = n.prev) {
    if (n.type !== 'tag') continue;
    const text = cleanText($(n).text());
    if (isDayHeading(text) || isDateOnly(text)) return text;
  }
  return null;
}

/**
 * Posts with no element of their own: a timed heading (or a paragraph opening with its time,
 * "<p><strong>UPDATE 11:20 PM ET:</strong> …") and the paragraphs and figures after it, up to
 * the next such one. Copied into one element so they read like any other post.
 */
export function headedSection($: CheerioAPI, heading: Element, headings: Element[]): Cheerio<Element> {
  const section = $('<div></div>') as Cheerio<Element>;
  section.append($(heading).clone());
  for (const n of sectionNodes($, heading, headings)) section.append($(n).clone());
  return section;
}

/** What follows a timed heading or paragraph up to the next one, or a day heading ("Zaterdag 6 februari"). */
function sectionNodes($: CheerioAPI, heading: Element, headings: Element[]): AnyNode[] {
  const out: AnyNode[] = [];
  for (let n = heading.nextSibling; n; n = n.nextSibling) {
    if (n.type === 'tag' && (headings.includes(n as Element) || (heading.name !== 'p' && (n as Element).name === heading.name)
      || (/^h[1-6]$/.test((n as Element).name) && isDateOnly(cleanText($(n).text()))))) break;
    out.push(n);
  }
  return out;
}

/**
 * A paragraph that is only a time ("<p><strong>09.48 uur</strong></p>") says something with what
 * follows it; any other block by itself. (Timed headings are read as tickers: ticker.ts.)
 */
function hasSubstance($: CheerioAPI, el: Element, group: Element[], pageUrl: string | null): boolean {
  if (el.name !== 'p' || cleanText($(el).text()).length >= MIN_POST_TEXT) return isSubstantive($, el, pageUrl);
  const text = sectionNodes($, el, group).map((n) => $(n).text()).join(' ');
  return !NOT_POST.test(classOf(el)) && cleanText(text).length >= MIN_POST_TEXT;
}
