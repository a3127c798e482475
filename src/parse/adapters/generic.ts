import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element, Text } from 'domhandler';
import { timeIn, type PageContext } from '../context.js';
import { bylinePortrait, captionBox, extractMedia, SOCIAL_EMBED } from '../media-dom.js';
import { authorsFromByline, bylineLine } from '../people.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { isTeaser, linkedTextLength, SEE_ALSO, visibleText } from '../dom.js';
import { cleanText, textOrNull } from '../text.js';
import type { Contributor, Post } from '../../types.js';
import type { Adapter } from './types.js';
import { articleFromPage } from '../article.js';
import { findLd } from '../jsonld.js';
import { tickerPosts } from '../ticker.js';
import { isDayHeading, looksLikeTime } from '../time.js';
import { urlPath, webUrl } from '../url.js';

/**
 * The fallback for pages no publisher adapter claims. A live blog is a list of sibling
 * blocks that each carry a time: the extractor finds every time signal (a datetime or
 * time-named data attribute, or a short clock/relative-time text), groups the blocks that
 * hold them by their common parent, and takes the group with the most substantive blocks.
 */

const TIME_ATTR = /^(?:datetime|data-(?:[\w-]*(?:time|date|timestamp|published|modified|updated))[\w-]*)$/i;
const TIME_TEXT = /^(?:\d{1,2}\s?[:.h]\s?\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,5})?(?:\s*Uhr)?|\d+\s*(?:s|sec|secs|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s+ago|(?:an?|one)\s+(?:minute|hour|day)\s+ago|just now)$/i;
const NOT_POST = /(?:^|[\s_-])(?:ad|ads|advert\w*|promo\w*|sponsor\w*|recommend\w*|related|outbrain|taboola|newsletter|share|social|comments?|key-?events|summary|nav\w*|footer|header|carousel|teaser|most-?read|trending)(?:$|[\s_-])/i;
const MIN_POST_TEXT = 25;

/** A leaf text that shows a post's time: clock, relative, or date and clock, in any language read. */
function isTimeText(v: string): boolean {
  return (v.length <= 24 && TIME_TEXT.test(v)) || looksLikeTime(v);
}

/**
 * A match clock ("45+2'", "HT", "FT", a cricket over "12.4 ov"): it marks the entries of sports commentary as posts and is
 * shown as their display time, but says nothing about when they were published.
 */
const MATCH_MINUTE = /^(?:\d{1,3}(?:\s?\+\s?\d{1,2})?\s?['’′]|\d{1,3}\.[0-6]\s?(?:ov|overs?)|HT|FT|KO|Half[- ]time|Full[- ]time)$/i;
const HEADLINE = 'h2, h3, h4';
const BYLINE = '[class*="byline" i], [class*="author" i], [class*="autor" i], [class$="_by"], [class$="-by"], [class*="contributor" i], [class*="firma" i], [class*="signature" i], [rel="author"], [itemprop="author"]';
const NOT_BODY = `time, ${HEADLINE}, header, footer, figure, aside, button, nav, ${SOCIAL_EMBED}, [class*="share"], [class*="social"], ${BYLINE}, [class*="timestamp"], [class*="entry-info"], [class*="meta"], [class*="dateline" i], [class*="label" i], [class*="badge" i]`;

interface Signal {
  value: string;
  /** Attribute name (or "text") it came from: tells published from updated. */
  from: string;
}

function attrSignals(el: Element): Signal[] {
  const out: Signal[] = [];
  for (const [name, value] of Object.entries(el.attribs)) {
    if (TIME_ATTR.test(name) && /\d{4}-\d{2}-\d{2}|^\d{10,13}$/.test(value.trim())) out.push({ value: value.trim(), from: name });
  }
  return out;
}

/**
 * Time signals of a block: its own attributes first, then its descendants', then the leaves
 * that show a time (`clocks`, found once by the caller).
 */
function signalsOf($: CheerioAPI, block: Cheerio<Element>, clocks: Element[]): Signal[] {
  const own = attrSignals(block.get(0)!);
  if (own.length) return own;
  const found: Signal[] = [];
  block.find('*').each((_, node) => {
    if (found.length) return false;
    const s = attrSignals(node);
    if (s.length) found.push(...s);
    return undefined;
  });
  if (found.length) return found;
  const update = clocks.find((n) => isUpdateText($, n));
  const out: Signal[] = [];
  const t = block.find('time').first();
  const text = visibleText(t);
  const first = clocks.find((n) => n !== update);
  if (text && isTimeText(text) && !isUpdateText($, t.get(0)!)) out.push({ value: text, from: 'text' });
  else if (first) out.push({ value: titledTime(first) ?? cleanText($(first).text()), from: 'text' });
  if (update) out.push({ value: cleanText($(update).text()).replace(UPDATED_PREFIX, ''), from: 'updated-text' });
  return out;
}

/** "1h ago" on screen, the exact time in its tooltip: title="March 11, 2025 at 9:02 AM EDT". */
function titledTime(node: Element): string | null {
  const title = cleanText(node.attribs['title'] ?? (node.parent?.type === 'tag' ? (node.parent as Element).attribs['title'] : undefined));
  return title !== '' && /\d{4}/.test(title) && looksLikeTime(title) ? title : null;
}

/** "Updated 15:20", "Mis à jour à 15h20", "Aktualisiert um 15.20 Uhr": the time a post was last changed. */
const UPDATED_PREFIX = /^(?:(?:last )?updated|mis à jour|actualisé|aktualisiert|actualizado|atualizado|aggiornato|oppdatert|opdateret|uppdaterad|päivitetty|bijgewerkt|zaktualizowano)(?:\s+(?:at|à|um|a las|às|alle|kl\.?|klo|o))?[\s:,]*/iu;

/** An "Updated 15:20" line in a post whose other times are in attributes. */
function updateLine($: CheerioAPI, clocks: Element[]): Signal | undefined {
  for (const node of clocks) {
    const text = cleanText($(node).text());
    const rest = text.replace(UPDATED_PREFIX, '');
    if (rest !== text && rest !== '') return { value: rest, from: 'updated-text' };
  }
  return undefined;
}

function trimLeadingSeparator(nodes: AnyNode[]): void {
  const stack = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      const t = n as Text;
      if (t.data.trim() === '') continue;
      t.data = t.data.replace(/^\s*[—–\-:|•·]\s*/u, '');
      return;
    }
    if (n.type === 'tag') stack.push(...[...(n as Element).children].reverse());
  }
}

function isUpdateText($: CheerioAPI, node: Element): boolean {
  return /updated|modified|last-?update/i.test(node.attribs['class'] ?? '') || UPDATED_PREFIX.test(cleanText($(node).text()));
}

function hasTimeSignal(el: Element): boolean {
  if (attrSignals(el).length) return true;
  if (el.name === 'time') return true;
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (only?.type === 'text') {
    const v = cleanText((only as unknown as { data: string }).data);
    return isTimeText(v) || MATCH_MINUTE.test(v);
  }
  return false;
}

function classOf(el: Element): string {
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

function isSubstantive($: CheerioAPI, el: Element, pageUrl: string | null): boolean {
  if (NOT_POST.test(classOf(el)) || isTeaserCard($, el, pageUrl)) return false;
  return cleanText($(el).text()).length >= MIN_POST_TEXT;
}

function firstClass(el: Element): string {
  return (el.attribs['class'] ?? '').trim().split(/\s+/)[0] ?? '';
}

function kindOf(el: Element): string {
  return `${el.name}.${firstClass(el)}`;
}

function pickBlocks($: CheerioAPI, minBlocks: number, pageUrl: string | null): { blocks: Element[]; kinds: Set<string> } {
  let best: { parent: Element; blocks: Element[]; score: number } | null = null;
  for (const g of candidateGroups($)) {
    if (NOT_POST.test(classOf(g.parent)) || $(g.parent).closest('nav, footer, header, aside').length) continue;
    const blocks = g.blocks.filter((b) => isSubstantive($, b, pageUrl));
    if (blocks.length < minBlocks) continue;
    // Posts have paragraphs; cards and lists of links do not. A group in the page's main
    // content outranks any beside it (a "latest news" rail, a sidebar).
    const withParagraphs = blocks.filter((b) => $(b).find('p').length > 0).length;
    const inMain = $(g.parent).closest('main, [role="main"]').length > 0;
    const score = blocks.length + withParagraphs * 2 + (inMain ? 10_000 : 0);
    if (!best || score > best.score) best = { parent: g.parent, blocks, score };
  }
  if (!best) return { blocks: [], kinds: new Set() };
  // Posts that show no time (a status line, a result box) are still posts: siblings of the
  // same element and class as the timed ones join them, in page order.
  const kinds = new Set(best.blocks.map(kindOf));
  const chosen = new Set(best.blocks);
  const blocks = best.parent.children.filter((c): c is Element => c.type === 'tag'
    && (chosen.has(c as Element) || (kinds.has(kindOf(c as Element)) && firstClass(c as Element) !== '' && isSubstantive($, c as Element, pageUrl))));
  return { blocks, kinds };
}

/**
 * Short leaf elements that only show a time ("6:00 p.m.", "12.31 Uhr") or a match clock
 * ("45+2'"): display, not body. `clock` tells the ones that say when.
 */
function timeLeaves($: CheerioAPI, block: Cheerio<Element>): Array<{ node: Element; clock: boolean }> {
  return block.find('span, div, p, a, strong, b, small, em, td, th, dt, dd').toArray().flatMap((node) => {
    if (node.children.some((c) => c.type === 'tag')) return [];
    const v = cleanText($(node).text());
    const clock = isTimeText(v.replace(UPDATED_PREFIX, '')) || (v.length <= 24 && titledTime(node) !== null);
    return clock || MATCH_MINUTE.test(v) ? [{ node, clock }] : [];
  });
}

const TIME_MARK = 'data-livearchive-time';

/**
 * A post whose headline is its first paragraph in bold ("<p><b>Strike extended</b></p>"): short,
 * all bold, not a sentence. Posts that open with a bold lead-in sentence keep it as body.
 */
function boldLead($: CheerioAPI, el: Cheerio<Element>): Element | null {
  const run = el.find('b, strong').first().get(0);
  if (run && isHeadlineRun($, el, run)) return run;
  const p = el.find('p').first().get(0);
  if (!p) return null;
  const text = cleanText($(p).text());
  const bold = cleanText($(p).children('b, strong').first().text());
  return text !== '' && bold === text && text.length <= 120 && !/[.:]$/.test(text) ? p : null;
}

/** "<b>Headline</b><br>Text…": a short bold run that opens the post's text and ends its line. */
function isHeadlineRun($: CheerioAPI, el: Cheerio<Element>, run: Element): boolean {
  let next = run.nextSibling;
  while (next && next.type === 'text' && (next as Text).data.trim() === '') next = next.nextSibling;
  if (!next || next.type !== 'tag' || (next as Element).name !== 'br') return false;
  const text = cleanText($(run).text());
  if (text === '' || text.length > 120) return false;
  const before = cleanText(el.text()).split(text)[0] ?? '';
  return before === '' || isTimeText(before);
}

const ID_ATTRS = ['data-post-id', 'data-id', 'data-entry-id', 'id'] as const;

function idOf(node: Element): string | null {
  for (const a of ID_ATTRS) if (node.attribs[a]) return node.attribs[a];
  return null;
}

/** A box inside a post that points to other pages ("Lees ook", a related-links block). */
function isTeaserBox($: CheerioAPI, box: Element): boolean {
  return $(box).find('time').length === 0 && isTeaser($, box);
}

/**
 * A paragraph that sends the reader elsewhere: "Read more: …" in any language listed, or a short
 * label with a colon ("関連記事：…", "Related:") followed mostly by a link.
 */
function pointsElsewhere($: CheerioAPI, p: Element): boolean {
  const text = cleanText($(p).text());
  if (SEE_ALSO.test(text)) return true;
  const label = /^([^:：|]{1,20})[:：|]/.exec(text);
  if (!label) return false;
  const linked = linkedTextLength($, p);
  return linked >= (text.length - label[0].length) * 0.6 && linked > 0;
}

/** The id of a block's single inner post element, for pages that wrap each post (<li><article id>). */
function innerId($: CheerioAPI, el: Cheerio<Element>): string | null {
  const inner = el.find('article, [data-post-id], [data-id], [data-entry-id]').toArray().filter((n) => idOf(n) !== null);
  if (inner.length === 1) return idOf(inner[0]!);
  const only = el.children().toArray();
  return only.length === 1 ? idOf(only[0]!) : null;
}

/** "12:45" alone: a clock that needs a date from around it. */
const CLOCK_ONLY = /^\d{1,2}[:.h]\s?\d{2}(?:\s*[ap]\.?\s?m\.?)?$/i;

function blockPost(ctx: PageContext, el: Cheerio<Element>, day: string | null = null): Post {
  const { $ } = ctx;
  const leaves = timeLeaves($, el);
  const clocks = leaves.filter((l) => l.clock).map((l) => l.node);
  const signals = signalsOf($, el, clocks);
  const updated = signals.find((s) => /modif|updat|last/i.test(s.from)) ?? updateLine($, clocks);
  const published = signals.find((s) => s !== updated) ?? null;
  const node = el.get(0)!;
  const rawId = idOf(node) ?? innerId($, el);
  const permalink = el.find('a[href*="#"]').toArray().map((a) => a.attribs['href'] ?? '').find((h) => rawId !== null && h.endsWith(`#${rawId}`));
  const heading = el.find(HEADLINE).filter((_, h) => $(h).closest('figure, blockquote').length === 0).first();
  const lead = heading.length ? null : boldLead($, el);
  if (lead) lead.attribs[TIME_MARK] = '';
  const timeTexts = leaves.map((l) => l.node);
  // Marked so the copy made for the body can leave them out; unmarked again right after.
  for (const t of timeTexts) t.attribs[TIME_MARK] = '';
  for (const p of el.find('p, li').toArray()) if (pointsElsewhere($, p)) p.attribs[TIME_MARK] = '';
  for (const box of el.find('div, aside, section').toArray()) if (isTeaserBox($, box)) box.attribs[TIME_MARK] = '';
  // An image with its caption outside a <figure> is media, not body.
  for (const img of el.find('img').toArray()) {
    const box = $(img).closest('figure').length ? null : captionBox($(img));
    if (box) box.box.get(0)!.attribs[TIME_MARK] = '';
  }
  const pinLabels = el.find('div, span, p, strong, em, b').toArray().filter((e) => PIN_LABEL.test(cleanText($(e).text())));
  for (const l of pinLabels) l.attribs[TIME_MARK] = '';
  const portraits = el.find('img[alt]').toArray().map((img) => bylinePortrait($, img)).filter((p) => p !== null);
  for (const p of portraits) p.holder.attribs[TIME_MARK] = '';
  const bylineLines = el.find('p, span, div, small, em, address').toArray()
    .filter((e) => $(e).find('p, div, ul, ol, figure, blockquote, h2, h3, h4').length === 0)
    .map((e) => ({ e, authors: bylineLine($(e).text()) }))
    .filter((b): b is { e: Element; authors: Contributor[] } => b.authors !== null);
  for (const b of bylineLines) b.e.attribs[TIME_MARK] = '';
  const bodyNodes = bodyNodesOf($, el, `${NOT_BODY}, [${TIME_MARK}]`);
  // "09:42 — text": the dash that followed the time taken out opens the body.
  if (timeTexts.length) trimLeadingSeparator(bodyNodes);
  el.find(`[${TIME_MARK}]`).each((_, t) => { delete t.attribs[TIME_MARK]; });
  const display = textOrNull(visibleText(el.find('time').first())) ?? (timeTexts[0] ? textOrNull(visibleText($(timeTexts[0]))) : null);
  return finishPost({
    id: rawId,
    url: permalink ?? (rawId ? `#${rawId}` : null),
    headline: heading.length ? heading.clone().find('time').remove().end().text() : lead ? $(lead).text() : null,
    bodyNodes,
    publishedAt: published ? timeIn(ctx, day && CLOCK_ONLY.test(published.value) ? `${day} ${published.value}` : published.value) : null,
    updatedAt: updated ? timeIn(ctx, updated.value) : null,
    displayTime: display,
    contributors: [
      ...bylineElements($, el).flatMap((b) => authorsFromByline(visibleText($(b)))),
      ...portraits.map((p) => ({ name: p.name, role: 'author' as const })),
      ...bylineLines.flatMap((b) => b.authors),
    ],
    media: extractMedia($, el, ctx.url),
    keyEvent: KEY_EVENT.test(`${classOf(node)} ${node.attribs['data-type'] ?? ''}`),
    pinned: pinLabels.length > 0,
  }, ctx.url);
}

/**
 * The innermost byline elements that say something: "author-name" and "author-role" rather than
 * the "author" box holding both, whose text would run the name into the role.
 */
function bylineElements($: CheerioAPI, el: Cheerio<Element>): Element[] {
  // A photographer named in a caption took the picture, not wrote the post.
  return el.find(BYLINE).toArray().filter((b) => $(b).closest('figure, figcaption').length === 0
    && !$(b).find(BYLINE).toArray().some((inner) => cleanText($(inner).text()) !== ''));
}

const KEY_EVENT = /(?:^|[\s_-])(?:key-?events?|key|highlight(?:ed)?)(?:$|[\s_-])/i;
/** Lists of key events or highlights that link to posts by their anchor. */
const KEY_EVENT_LINKS = '[class*="key-event" i] a[href^="#"], [class*="keyevent" i] a[href^="#"], [class*="highlights" i] a[href^="#"]';
const PIN_CLASS = /(?:^|[\s_-])(?:pin|pinned|sticky)(?:$|[\s_-])/i;
/** The label a pinned post wears, in the languages seen so far; it is not part of the body. */
const PIN_LABEL = /^(?:pinned(?:\s+post)?|angepinnt|fäst inlägg|festet(?:\s+innlegg)?|fastgjort(?:\s+(?:indlæg|opslag))?|kiinnitetty|fixado|fixo|vastgezet|épinglé|fijado|fissato|przypięty|připnuto|закреплено|закріплено|مثبت)$/iu;

/** An element the page marks as pinned by attribute or class (tik4-event--pin, …--sticky). */
function markedPinned(e: Element): boolean {
  return e.attribs['data-pinned'] === 'true' || PIN_CLASS.test(classOf(e));
}

/**
 * Posts from the timed blocks, each once: a pinned copy merges into its stream copy. A pinned
 * element outside the blocks flags the stream post with its id, or leads the page when the
 * stream does not show it.
 */
export function genericLivePosts(ctx: PageContext, minBlocks: number): Post[] {
  const { $ } = ctx;
  const { blocks, kinds } = pickBlocks($, minBlocks, ctx.url);
  if (blocks.length === 0) return [];
  let day: string | null = null;
  const built = blocks.map((b) => {
    day = dayBefore($, b, blocks) ?? day;
    const post = blockPost(ctx, /^(?:h[2-4]|p)$/.test(b.name) ? headedSection($, b, blocks) : $(b), day);
    const pinClass = markedPinned(b);
    if (pinClass) post.pinned = true;
    return { post, pinClass, ownId: (idOf(b) ?? innerId($, $(b))) !== null, content: `${post.headline}\u0000${post.publishedAt}\u0000${post.bodyText.slice(0, 200)}` };
  });
  // A pinned copy in the stream is one post with its stream copy, kept at the stream's place:
  // matched by id, or by content when the copy has no id of its own.
  const seen = new Map<string, Post>();
  for (const x of built) {
    const twin = x.pinClass
      ? built.find((y) => y !== x && !y.pinClass && (y.post.id === x.post.id || y.content === x.content))
      : x.ownId ? undefined : built.find((y) => y !== x && y.ownId && y.content === x.content);
    if (twin) {
      twin.post.pinned ||= x.post.pinned;
      continue;
    }
    if (!seen.has(x.post.id)) seen.set(x.post.id, x.post);
  }
  const pinnedOnly: Post[] = [];
  for (const a of $(KEY_EVENT_LINKS).toArray()) {
    const post = seen.get(decodeURIComponent(a.attribs['href']!.slice(1)));
    if (post) post.keyEvent = true;
  }
  for (const pin of $('[data-pinned="true"], [class]').toArray().filter(markedPinned)) {
    const id = idOf(pin) ?? innerId($, $(pin));
    const post = id ? seen.get(id) : undefined;
    if (post) post.pinned = true;
    // A pinned post shown only in its own area, built like the stream's posts, leads the page.
    else if (id && kinds.has(kindOf(pin)) && !blocks.includes(pin) && !pinnedOnly.some((p) => p.id === id)) {
      pinnedOnly.push({ ...blockPost(ctx, $(pin)), pinned: true });
    }
  }
  return [...pinnedOnly, ...seen.values()];
}

/** The day heading between this block and the one before it ("30 березня 2025, неділя"), if any. */
function dayBefore($: CheerioAPI, block: Element, blocks: Element[]): string | null {
  for (let n = block.prev; n && !blocks.includes(n as Element); n = n.prev) {
    if (n.type !== 'tag') continue;
    const text = cleanText($(n).text());
    if (isDayHeading(text)) return text;
  }
  return null;
}

/**
 * Posts with no element of their own: a timed heading (or a paragraph opening with its time,
 * "<p><strong>UPDATE 11:20 PM ET:</strong> …") and the paragraphs and figures after it, up to
 * the next such one. Copied into one element so they read like any other post.
 */
function headedSection($: CheerioAPI, heading: Element, headings: Element[]): Cheerio<Element> {
  const section = $('<div></div>') as Cheerio<Element>;
  section.append($(heading).clone());
  for (let n = heading.nextSibling; n; n = n.nextSibling) {
    if (n.type === 'tag' && (headings.includes(n as Element) || (heading.name !== 'p' && (n as Element).name === heading.name))) break;
    section.append($(n).clone());
  }
  return section;
}

/** rel="next" links: the usual way a paginated live blog points to its older posts. */
function nextPages(ctx: PageContext): string[] {
  const hrefs = ctx.$('link[rel~="next"][href], a[rel~="next"][href]').toArray().map((el) => el.attribs['href']!);
  const urls = hrefs.map((h) => webUrl(h, ctx.url)).filter((u): u is string => u !== null && u !== ctx.url);
  return [...new Set(urls)];
}

export const generic: Adapter = {
  id: 'generic',
  version: '1',
  validFrom: '1990-01-01',
  matches: () => true,
  extract(ctx) {
    const liveLd = findLd(ctx.jsonld, ['LiveBlogPosting']);
    const hasLiveMarkup = ctx.$('[itemtype*="LiveBlogPosting"]').length > 0;
    const blocks = genericLivePosts(ctx, liveLd || hasLiveMarkup ? 2 : 3);
    // No post elements: perhaps a ticker of "12.31 Uhr: headline" headings.
    const posts = blocks.length > 0 ? blocks : tickerPosts(ctx, 3);
    if (posts.length > 0 || liveLd) return { kind: 'liveblog', posts, structuredData: 'merge', pageLinks: nextPages(ctx) };
    const article = articleFromPage(ctx);
    if (article) return { kind: 'article', posts: [article], structuredData: 'ignore' };
    return { kind: 'unknown', posts: [], structuredData: 'ignore' };
  },
};
