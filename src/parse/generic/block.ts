import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element, Text } from 'domhandler';
import { timeIn, type PageContext } from '../context.js';
import { isTeaser, lineText, linkedTextLength, SEE_ALSO, SOCIAL_EMBED, THIRD_PARTY, visibleText } from '../dom.js';
import { bylinePortrait, captionBox, extractMedia } from '../media-dom.js';
import { authorsFromByline, bylineLine, looksLikeName } from '../people.js';
import { bodyNodesOf, finishPost } from '../post.js';
import { cleanText, textOrNull } from '../text.js';
import type { Contributor, Post, TimeSource } from '../../types.js';
import { classOf } from './candidates.js';
import { isTimeText, signalsOf, timeLeaves, UPDATED_PREFIX, updateLine, type Signal } from './signals.js';
import { isBareClock, looksLikeTime } from '../time.js';
import { percentDecoded } from '../url.js';

/** One block of the page read as a post: id, headline, body, time, people, media. */

/** "00:17 (IST) Feb 26 Prime Minister arrives": the time written at the head of a headline, and a separator after it. */
function withoutTimeLabel(text: string): string {
  const t = cleanText(text);
  const m = /^((?:\d{1,2}[:.]\d{2}|\d{1,2}\s?[ap]\.?m\.?)[^\p{L}\d]{0,3}(?:[ap]\.?m\.?)?[\s(]*(?:[A-Z]{2,5})?\)?(?:\s+\p{L}{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?)?)\s*[|:–—-]?\s*/u.exec(t);
  return m && looksLikeTime(m[1]!) ? t.slice(m[0].length) : t;
}

const HEADLINE = 'h2, h3, h4';
const BYLINE = '[class*="byline" i], [class*="author" i], [class*="autor" i], [class$="_by"], [class$="-by"], [class*="contributor" i], [class*="firma" i], [class*="signature" i], [rel="author"], [itemprop="author"]';
const NOT_BODY = `time, ${HEADLINE}, header, footer, figure, aside, button, nav, ${SOCIAL_EMBED}, [class*="share" i], [class*="social" i], ${BYLINE}, [class*="timestamp" i], [class*="entry-info" i], [class*="meta" i], [class*="dateline" i], [class*="label" i], [class*="badge" i]`;

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
  // A bold time ("<p><strong>09.48 uur</strong></p>") heads the post but is its time, not its headline.
  return text !== '' && bold === text && text.length <= 120 && !/[.:]$/.test(text) && !isTimeText(text) ? p : null;
}

/** "<b>Headline</b><br>Text…", "<strong>Headline</strong><p>Text…": a short bold run that opens the post's text and ends its line. */
function isHeadlineRun($: CheerioAPI, el: Cheerio<Element>, run: Element): boolean {
  let next = run.nextSibling;
  while (next && next.type === 'text' && (next as Text).data.trim() === '') next = next.nextSibling;
  // It ends its line: a <br>, or a block of text after it ("<strong>Headline</strong><p>…</p>").
  if (!next || next.type !== 'tag' || !/^(?:br|p|div|ul|ol|blockquote|figure|table)$/.test((next as Element).name)) return false;
  const text = cleanText($(run).text());
  if (text === '' || text.length > 120 || /[.:]$/.test(text)) return false;
  const before = cleanText(el.text()).split(text)[0] ?? '';
  return before === '' || isTimeText(before);
}

const ID_ATTRS = ['data-post-id', 'data-id', 'data-entry-id', 'id'] as const;

export function idOf(node: Element): string | null {
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

/** Children that head a post: its header, title or an anchor at its top. */
const HEAD_CHILD = 'header, h1, h2, h3, h4, a, [class*="head" i], [class*="hdr" i], [class*="title" i], [class*="meta" i], [class*="top" i]';

/**
 * The id of a block's own post element: on the block; on its single inner <article> or only
 * child (pages that wrap each post: <li><article id>); on its header, title or anchor child, or
 * an empty anchor (<a name>) at its top. Never on content from elsewhere inside it.
 */
export function innerId($: CheerioAPI, el: Cheerio<Element>): string | null {
  const own = (n: Element): boolean => $(n).closest(THIRD_PARTY).length === 0;
  const inner = el.find('article, [data-post-id], [data-entry-id]').toArray().filter((n) => idOf(n) !== null && own(n));
  if (inner.length === 1) return idOf(inner[0]!);
  const children = el.children().toArray();
  if (children.length === 1 && own(children[0]!) && idOf(children[0]!)) return idOf(children[0]!);
  for (const c of el.children(HEAD_CHILD).toArray()) {
    if (!own(c)) continue;
    const id = c.attribs['id'] ?? (c.name === 'a' ? c.attribs['name'] : undefined) ?? c.attribs['data-post-id'] ?? c.attribs['data-entry-id'];
    if (id) return id;
  }
  const anchor = el.find('a[name], a[id]').toArray().find((a) => own(a) && cleanText($(a).text()) === '');
  return anchor ? anchor.attribs['id'] ?? anchor.attribs['name'] ?? null : null;
}

/** Fragments that never name a post. */
const NOT_AN_ANCHOR = /^(?:top|main|content|comments?|respond|share|menu|nav|search|footer|header)$/i;

/**
 * The fragment the post's own permalink or share links point to: "#post-77412", or the page's
 * URL with it, written into a share link ("…sharer.php?u=https://…live%23post-77412"). The one
 * most links name wins.
 */
export function permalinkId($: CheerioAPI, el: Cheerio<Element>, pageUrl: string | null): string | null {
  const page = pageUrl ? pageUrl.replace(/^https?:\/\/(?:www\.)?/, '').replace(/[#?].*$/, '') : null;
  const counts = new Map<string, number>();
  for (const a of el.find('a[href*="#"], a[href*="%23"]').toArray()) {
    if ($(a).closest(THIRD_PARTY).length) continue;
    const href = percentDecoded(a.attribs['href'] ?? '');
    const m = /#([\w-]{2,80})(?:$|[&?"'\s])/.exec(href);
    if (!m || NOT_AN_ANCHOR.test(m[1]!)) continue;
    const target = href.slice(0, m.index);
    if (target !== '' && !(page && target.includes(page))) continue;
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** "11:12 (IST)" with "Feb 26" beside it: a clock with the date the page shows next to it, else the day heading above. */
function withDay(value: string, dates: Element[], $: CheerioAPI, day: string | null): string {
  if (!isBareClock(value)) return value;
  const date = dates[0] ? cleanText($(dates[0]).text()) : day;
  return date ? `${date} ${value}` : value;
}

/** What the page says of a post's publication: the signal taken, and the clock shown beside an attribute. */
function pageTimes(ctx: PageContext, el: Cheerio<Element>, published: Signal | null, clocks: Element[], dates: Element[], day: string | null): TimeSource[] {
  const { $ } = ctx;
  const out: TimeSource[] = [];
  if (!published) return out;
  const at = timeIn(ctx, published.from === 'text' ? withDay(published.value, dates, $, day) : published.value);
  if (at) out.push({ from: published.from === 'text' ? 'text' : 'attr', at });
  if (published.from !== 'text') {
    // The clock the reader sees beside the attribute: the <time> element's own text, else a clock leaf.
    const shown = [visibleText(el.find('time').first()), ...clocks.map((c) => cleanText($(c).text()))]
      .find((t) => t !== '' && isTimeText(t) && !UPDATED_PREFIX.test(t));
    const seen = shown ? timeIn({ ...ctx, time: { ...ctx.time, warnings: [] } }, withDay(shown, dates, $, day)) : null;
    if (seen) out.push({ from: 'text', at: seen });
  }
  return out;
}

export function blockPost(ctx: PageContext, el: Cheerio<Element>, day: string | null = null): Post {
  const { $ } = ctx;
  const leaves = timeLeaves($, el);
  const clocks = leaves.filter((l) => l.clock).map((l) => l.node);
  const dates = leaves.filter((l) => l.date).map((l) => l.node);
  const signals = signalsOf($, el, clocks);
  const updated = signals.find((s) => /modif|updat|last/i.test(s.from)) ?? updateLine($, clocks);
  const published = signals.find((s) => s !== updated) ?? null;
  const node = el.get(0)!;
  const elementId = idOf(node) ?? innerId($, el);
  const linkedId = elementId ? null : permalinkId($, el, ctx.url);
  const rawId = elementId ?? linkedId;
  const permalink = el.find('a[href*="#"]').toArray().map((a) => a.attribs['href'] ?? '').find((h) => rawId !== null && h.endsWith(`#${rawId}`));
  const heading = el.find(HEADLINE).filter((_, h) => $(h).closest('figure, blockquote').length === 0).first();
  const lead = heading.length ? null : boldLead($, el);
  if (lead) lead.attribs[TIME_MARK] = '';
  const timeTexts = leaves.map((l) => l.node);
  // Marked so the copy made for the body can leave them out; unmarked again right after.
  for (const t of timeTexts) t.attribs[TIME_MARK] = '';
  // The line holding them goes too when it holds nothing else but separators ("June 04, 2024 / 14:58 IST").
  for (const line of new Set(timeTexts.map((t) => t.parent).filter((p): p is Element => p?.type === 'tag' && p !== el.get(0)))) {
    const rest = line.children.filter((c) => !(c.type === 'tag' && (c as Element).attribs[TIME_MARK] !== undefined)).map((c) => $(c).text()).join('');
    if (/^[\s/|·•,–—-]*$/u.test(rest)) line.attribs[TIME_MARK] = '';
  }
  for (const p of el.find('p, li').toArray()) if (pointsElsewhere($, p)) p.attribs[TIME_MARK] = '';
  for (const box of el.find('div, aside, section').toArray()) if (isTeaserBox($, box)) box.attribs[TIME_MARK] = '';
  // A poll or quiz asks the reader: its question and answers are a form, not the post's text.
  for (const form of el.find('form, fieldset, div').toArray()) if ($(form).children('input, label, fieldset').find('input').addBack('input').length > 0 || $(form).children('label').find('input[type="radio"], input[type="checkbox"]').length > 0) form.attribs[TIME_MARK] = '';
  // An image with its caption outside a <figure> is media, not body.
  for (const img of el.find('img').toArray()) {
    const box = $(img).closest('figure').length ? null : captionBox($(img));
    // The caption goes with its image; the box too, unless it holds the post's text as well.
    const story = box ? cleanText(box.box.text()).length - cleanText(box.caption.text()).length : 0;
    if (box) (story > 60 ? box.caption : box.box).get(0)!.attribs[TIME_MARK] = '';
  }
  const pinLabels = el.find('div, span, p, strong, em, b').toArray().filter((e) => PIN_LABEL.test(cleanText($(e).text())));
  for (const l of pinLabels) l.attribs[TIME_MARK] = '';
  const portraits = el.find('img[alt]').toArray().map((img) => bylinePortrait($, img)).filter((p) => p !== null);
  for (const p of portraits) p.holder.attribs[TIME_MARK] = '';
  const signed = namesBesideTime($, el, clocks);
  for (const s of signed) s.attribs[TIME_MARK] = '';
  const bylineLines = el.find('p, span, div, small, em, address').toArray()
    .filter((e) => $(e).find('p, div, ul, ol, figure, blockquote, h2, h3, h4').length === 0)
    .map((e) => ({ e, authors: bylineLine(lineText($, e)) }))
    .filter((b): b is { e: Element; authors: Contributor[] } => b.authors !== null);
  for (const b of bylineLines) b.e.attribs[TIME_MARK] = '';
  // What is not body, by its kind or class, unless it wraps the post's text: a class that says
  // "meta" on the post's own element ("lx-stream-post--has-meta") is not a meta line.
  const total = cleanText(el.text()).length;
  for (const e of el.find(NOT_BODY).toArray()) {
    if (!(e.name === 'div' || e.name === 'article' || e.name === 'section') || cleanText($(e).text()).length * 2 < total) e.attribs[TIME_MARK] = '';
  }
  const bodyNodes = bodyNodesOf($, el, `[${TIME_MARK}]`);
  // "09:42 — text": the dash that followed the time taken out opens the body.
  if (timeTexts.length) trimLeadingSeparator(bodyNodes);
  // A time label is not headline text: its leaves are left out, and so is one written into it.
  const headline = heading.length ? withoutTimeLabel(heading.clone().find(`time, [${TIME_MARK}]`).remove().end().text()) : lead ? $(lead).text() : null;
  el.find(`[${TIME_MARK}]`).each((_, t) => { delete t.attribs[TIME_MARK]; });
  const display = textOrNull(visibleText(el.find('time').first())) ?? (timeTexts[0] ? textOrNull(visibleText($(timeTexts[0]))) : null);
  const times = pageTimes(ctx, el, published, clocks, dates, day);
  return finishPost({
    id: rawId,
    ...(linkedId ? { idFrom: 'permalink' as const } : {}),
    url: permalink ?? (rawId ? `#${rawId}` : null),
    headline,
    bodyNodes,
    publishedAt: times[0]?.at ?? null,
    times,
    updatedAt: updated ? timeIn(ctx, updated.value) : null,
    displayTime: display,
    contributors: [
      ...bylineElements($, el).flatMap((b) => authorsFromByline(lineText($, b))),
      ...signed.map((s) => ({ name: cleanText($(s).text()), role: 'author' as const })),
      ...portraits.map((p) => ({ name: p.name, role: 'author' as const })),
      ...bylineLines.flatMap((b) => b.authors),
    ],
    media: extractMedia($, el, ctx.url),
    keyEvent: KEY_EVENT.test(`${classOf(node)} ${node.attribs['data-type'] ?? ''}`),
    pinned: pinLabels.length > 0,
  }, ctx.url);
}

/**
 * A name in the post's time line ("<time>21:00</time><mark>Jane Doe</mark>"): the writer, signing
 * beside the time. Two words or more, not in capitals (labels such as "KEY EVENT" are).
 */
function namesBesideTime($: CheerioAPI, el: Cheerio<Element>, clocks: Element[]): Element[] {
  const time = el.find('time').get(0) ?? clocks[0];
  const line = time?.parent?.type === 'tag' ? (time.parent as Element) : null;
  // A line of its own (time, name, a label), not a paragraph that mentions a time.
  if (!line || line === el.get(0) || cleanText($(line).text()).length > 80) return [];
  return line.children.filter((c): c is Element => {
    // Byline elements are read as bylines, with their "By".
    if (c.type !== 'tag' || c === time || (c as Element).children.some((x) => x.type === 'tag') || $(c).is(BYLINE)) return false;
    const t = cleanText($(c).text());
    return /\s/.test(t) && t !== t.toUpperCase() && looksLikeName(t) && !isTimeText(t);
  });
}

/**
 * The innermost byline elements that say something: "author-name" and "author-role" rather than
 * the "author" box holding both, whose text would run the name into the role.
 */
function bylineElements($: CheerioAPI, el: Cheerio<Element>): Element[] {
  // A photographer named in a caption took the picture, not wrote the post.
  // A line under the name saying what the person does or where ("…-description", "…-role") is not a name.
  return el.find(BYLINE).toArray().filter((b) => $(b).closest('figure, figcaption').length === 0
    && !ABOUT_THE_PERSON.test(b.attribs['class'] ?? '')
    && !$(b).find(BYLINE).toArray().some((inner) => cleanText($(inner).text()) !== ''));
}

const ABOUT_THE_PERSON = /description|role|title|job|position|bio|department|location/i;

const KEY_EVENT = /(?:^|[\s_-])(?:key-?events?|key|highlight(?:ed)?)(?:$|[\s_-])/i;
/** Lists of key events or highlights that link to posts by their anchor. */
export const KEY_EVENT_LINKS = '[class*="key-event" i] a[href^="#"], [class*="keyevent" i] a[href^="#"], [class*="highlights" i] a[href^="#"]';
const PIN_CLASS = /(?:^|[\s_-])(?:pin|pinned|sticky)(?:$|[\s_-])/i;
/** The label a pinned post wears, in the languages seen so far; it is not part of the body. */
const PIN_LABEL = /^(?:pinned(?:\s+post)?|angepinnt|fäst inlägg|festet(?:\s+innlegg)?|fastgjort(?:\s+(?:indlæg|opslag))?|kiinnitetty|fixado|fixo|vastgezet|épinglé|fijado|fissato|in evidenza|uitgelicht|destacado|przypięty|připnuto|закреплено|закріплено|مثبت)$/iu;

/** An element the page marks as pinned by attribute or class (tik4-event--pin, …--sticky). */
export function markedPinned(e: Element): boolean {
  return e.attribs['data-pinned'] === 'true' || PIN_CLASS.test(classOf(e));
}
