import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { timeIn, type PageContext } from './context.js';
import { extractMedia } from './media-dom.js';
import { finishPost, stablePostId } from './post.js';
import { isTeaser } from './dom.js';
import { cleanText } from './text.js';
import { isDayHeading } from './time.js';
import type { Post } from '../types.js';

/**
 * News tickers without post elements: each entry is a heading that starts with a clock time
 * ("12.31 Uhr: Headline", "09:15 – Headline") followed by paragraphs up to the next heading.
 * Day headings ("Dienstag, 27. August 2024") give the date of the entries they belong to —
 * after them on a newest-first page, before them on an oldest-first one.
 */

const HEADINGS = 'h2, h3, h4';
/** A date written before an entry's time: "15.08.2025", "27. August 2024", "2025-08-15". */
const DATE_PREFIX = String.raw`\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.?\s+\p{L}+\.?\s+\d{4}|\d{4}-\d{2}-\d{2}`;
/** "12.31 Uhr: headline", "09:15 – headline", "15.08.2025 • 18:02 Uhr" (headline in the next heading). */
const TIME_HEADING = new RegExp(String.raw`^(?:(${DATE_PREFIX})\s*[•·|,–—-]?\s*)?(\d{1,2}[.:h]\d{2}(?![.\d])(?:\s*[aApP]\.?\s?[mM]\.?)?(?:\s+[A-Z]{2,5}\b)?)\s*(?:[Uu][Hh][Rr]|h)?\s*[:\-–—|]?\s*(.*)$`, 'u');

interface Entry {
  clock: string;
  headline: string;
  nodes: AnyNode[];
  day: string | null;
  /** Heading level of the time heading: a deeper heading right after it is the headline. */
  level: number;
}

function blank(node: AnyNode): boolean {
  return node.type === 'text' && cleanText((node as unknown as { data: string }).data) === '';
}

function level(node: AnyNode): number {
  return Number((node as Element).name.slice(1));
}

/** Levels a ticker's root may widen by to take in the day headings beside its entries. */
const DAY_HEADING_REACH = 3;

/**
 * The innermost element holding every time heading of the page — widened, a few levels at
 * most, to take in day headings that pages put outside the entries' own wrapper — and how
 * many time headings there are.
 */
function tickerRoot($: CheerioAPI): { root: Element; count: number } | null {
  const headings = $(HEADINGS).toArray().filter((h) => TIME_HEADING.test(cleanText($(h).text())));
  if (headings.length === 0) return null;
  let root = headings[0]!.parent as Element | null;
  while (root && !headings.every((h) => $(h).closest(root!).length > 0)) root = root.parent as Element | null;
  if (!root || root.type !== 'tag') return null;
  for (let i = 0, wider = root.parent; i < DAY_HEADING_REACH && wider && wider.type === 'tag'; i++, wider = wider.parent) {
    const days = $(wider as Element).find('h1, h2, h3, h4, h5, h6').toArray().filter((h) => isDayHeading(cleanText($(h).text())));
    if (days.some((d) => $(d).closest(root!).length === 0)) root = wider as Element;
  }
  return { root, count: headings.length };
}

/**
 * The ticker as one flat sequence of headings and content blocks, whatever wrappers a page
 * puts around groups of entries (BR24 gives each group its own section).
 */
function flatten($: CheerioAPI, root: Element): AnyNode[] {
  const out: AnyNode[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type !== 'tag') {
      out.push(node);
      return;
    }
    const el = node as Element;
    // A newsletter box or an ad between entries may hold headings of its own: not the ticker's.
    const holdsHeading = /^h[1-6]$/i.test(el.name) || isTeaser($, el) ? false : hasHeading(el);
    if (holdsHeading) el.children.forEach(walk);
    else out.push(el);
  };
  root.children.forEach(walk);
  return out;
}

function hasHeading(el: Element): boolean {
  return el.children.some((c) => c.type === 'tag' && (/^h[1-6]$/i.test((c as Element).name) || hasHeading(c as Element)));
}

/** "Quelle: ntv.de, dpa/rts/AFP": the page's sources under the ticker, not its last entry's text. */
function isSourceLine($: CheerioAPI, el: Element): boolean {
  const text = cleanText($(el).text());
  return text.length <= 120 && /^(?:Quelle|Quellen|Sources?|Fuentes?|Fontes?|Źródło|Bron|Kilde|Källa)\s*:/iu.test(text);
}

function entriesOf($: CheerioAPI, root: Element): Entry[] {
  const entries: Entry[] = [];
  let current: Entry | null = null;
  let undated: Entry[] = [];
  let daysFollowEntries: boolean | null = null;
  let day: string | null = null;
  for (const node of flatten($, root)) {
    const isHeading = node.type === 'tag' && /^h[1-6]$/i.test((node as Element).name);
    if (!isHeading) {
      if (!(node.type === 'tag' && (isTeaser($, node as Element) || isSourceLine($, node as Element)))) current?.nodes.push(node);
      continue;
    }
    const text = cleanText($(node).text());
    const time = TIME_HEADING.exec(text);
    if (time) {
      const dated = time[1] ?? null;
      if (daysFollowEntries === null && !dated) daysFollowEntries = true;
      current = { clock: time[2]!, headline: time[3]!, nodes: [], day: dated ?? (daysFollowEntries ? null : day), level: level(node) };
      entries.push(current);
      if (daysFollowEntries && !dated) undated.push(current);
      continue;
    }
    if (current && current.headline === '' && current.nodes.every(blank) && level(node) > current.level) {
      current.headline = text;
      continue;
    }
    current = null;
    if (isDayHeading(text)) {
      if (daysFollowEntries === null) daysFollowEntries = false;
      if (daysFollowEntries) {
        for (const e of undated) e.day = text;
        undated = [];
      } else {
        day = text;
      }
      continue;
    }
    // Any other heading ends the ticker ("Das könnte Sie auch interessieren").
    if (entries.length > 0) break;
  }
  return entries;
}

/** How many time headings ("12.31 Uhr: …") the page has: a cheap test for adapters' matches(). */
export function tickerHeadingCount(ctx: PageContext): number {
  return tickerRoot(ctx.$)?.count ?? 0;
}

/** "+++ 14:05 +++ Headline +++": an entry written as a bold run opening its paragraph. */
const MARKER = /^\+{2,}\s*(\d{1,2}[.:]\d{2})\s*(?:Uhr\s*)?\+{2,}\s*(.*?)\s*\+*$/u;

/**
 * Tickers that open each entry's paragraph with a bold "+++ time +++ headline +++" get that run
 * as a heading of its own, so they read like any other ticker. Only on pages with several.
 */
function markerParagraphsAsHeadings($: CheerioAPI, minEntries: number): void {
  const marked = $('p').toArray().map((p) => {
    const first = p.children.find((c) => !blank(c));
    const run = first?.type === 'tag' && /^(?:strong|b)$/.test((first as Element).name) ? first as Element : null;
    const m = run ? MARKER.exec(cleanText($(run).text())) : null;
    return m ? { p, run: run!, clock: m[1]!, headline: m[2]! } : null;
  }).filter((x) => x !== null);
  if (marked.length < minEntries) return;
  for (const { p, run, clock, headline } of marked) {
    $(run).remove();
    while (p.children[0] && (blank(p.children[0]) || (p.children[0].type === 'tag' && (p.children[0] as Element).name === 'br'))) $(p.children[0]).remove();
    $(p).before($('<h3></h3>').text(`${clock} ${headline}`));
  }
}

/** Ticker entries as posts, or [] when the page holds fewer than `minEntries` time headings. */
export function tickerPosts(ctx: PageContext, minEntries: number): Post[] {
  const { $ } = ctx;
  markerParagraphsAsHeadings($, minEntries);
  const found = tickerRoot($);
  if (!found || found.count < minEntries) return [];
  return entriesOf($, found.root).map((e) => {
    const publishedAt = timeIn(ctx, e.day ? `${e.day} ${e.clock}` : e.clock);
    const container = $('<div></div>') as Cheerio<Element>;
    for (const n of e.nodes) container.append($(n).clone());
    return finishPost({
      // Not the resolved time: a capture on another day must give the same post the same id.
      id: stablePostId([e.clock, e.headline]),
      headline: e.headline,
      bodyNodes: container.contents().toArray(),
      publishedAt,
      displayTime: e.clock,
      media: extractMedia($, container, ctx.url),
    }, ctx.url);
  });
}
