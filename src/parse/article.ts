import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { timeIn, type PageContext } from './context.js';
import { findLd, ldImageUrl, ldNames, ldString } from './jsonld.js';
import { extractMedia } from './media-dom.js';
import { makeMedia } from './media.js';
import { authorsFromByline } from './people.js';
import { finishPost } from './post.js';
import { linkedTextLength } from './dom.js';
import { cleanText, textOrNull } from './text.js';
import type { Contributor, Post } from '../types.js';

const ARTICLE_TYPES = ['NewsArticle', 'ReportageNewsArticle', 'AnalysisNewsArticle', 'OpinionNewsArticle', 'BackgroundNewsArticle', 'Article', 'BlogPosting', 'Report'];
/** Page furniture around an article: neither its text nor its media. */
const FURNITURE = ['aside', 'nav', 'footer', 'form', 'template',
  ...['share', 'social', 'related', 'newsletter', 'promo', 'advert', 'ad-slot', 'recommend']
    .map((c) => `[class*="${c}" i], [data-component*="${c}" i], [data-testid*="${c}" i]`),
  '[data-component="links-block"]'].join(', ');
/** …and what is not body text either: media, captions, bylines, standfirsts. */
const NOT_BODY = [FURNITURE, 'figure', 'figcaption', 'header', 'button', 'noscript',
  ...['caption', 'byline', 'standfirst', 'summary'].map((c) => `[class*="${c}" i], [data-component*="${c}" i], [data-testid*="${c}" i]`)].join(', ');
/** Paragraphs, including the <div>s some publishers use instead (Reuters' data-testid="paragraph-N"). */
const PARAGRAPHS = 'p, div[data-testid*="paragraph" i], div[class*="paragraph" i]';
/** The elements that carry an article's text; everything else in the body container is layout or furniture. */
const TEXT_BLOCKS = `${PARAGRAPHS}, h2, h3, h4, h5, h6, ul, ol, blockquote, table, pre`;

/** Elements under any of these roots are excluded; the selector is matched once per page. */
function within(el: Element, roots: Set<Element>): boolean {
  for (let n: Element | null = el; n && n.type === 'tag'; n = n.parent as Element | null) if (roots.has(n)) return true;
  return false;
}

/**
 * The text of every paragraph that reads as body text — outside furniture, long enough, not
 * mostly links — added up for each of its ancestors: computed once, read by everything below.
 */
function bodyText($: CheerioAPI, notBody: Set<Element>): { paragraphs: Map<Element, number>; under: Map<Element, number> } {
  const paragraphs = new Map<Element, number>();
  const under = new Map<Element, number>();
  $('body').find(PARAGRAPHS).each((_, p) => {
    if (within(p, notBody) || (p.name !== 'p' && $(p).find(PARAGRAPHS).length)) return;
    const length = cleanText($(p).text()).length;
    if (length < 25) return;
    const linked = linkedTextLength($, p);
    if (linked / length >= 0.5) return;
    paragraphs.set(p, length);
    for (let a = p.parent; a && a.type === 'tag'; a = a.parent) under.set(a as Element, (under.get(a as Element) ?? 0) + length);
  });
  return { paragraphs, under };
}

function signature(el: Element): string {
  return `${el.name}.${el.attribs['class'] ?? ''}`;
}

/**
 * The article body. First the element whose own paragraphs (children, grandchildren at half
 * weight) hold the most text — the readability heuristic. Then up through its ancestors
 * while the text an ancestor adds comes from blocks of the same kind (pages that put every
 * few paragraphs in a block of their own); captions and teasers around the body stop it.
 */
function bodyContainer($: CheerioAPI, notBody: Set<Element>): { el: Element; length: number } | null {
  const { paragraphs, under } = bodyText($, notBody);
  const text = (el: Element): number => under.get(el) ?? 0;
  const scores = new Map<Element, number>();
  for (const [p, length] of paragraphs) {
    const parent = p.parent?.type === 'tag' ? p.parent as Element : null;
    if (!parent) continue;
    scores.set(parent, (scores.get(parent) ?? 0) + length);
    const grand = parent.parent?.type === 'tag' ? parent.parent as Element : null;
    if (grand) scores.set(grand, (scores.get(grand) ?? 0) + length / 2);
  }
  let seed: Element | null = null;
  let top = 0;
  for (const [el, score] of scores) if (score > top) [seed, top] = [el, score];
  if (!seed) return null;
  let best = { el: seed, length: text(seed) };
  let child = seed;
  for (let a = seed.parent; a && a.type === 'tag'; a = a.parent) {
    const el = a as Element;
    if (el.name === 'body' || el.name === 'html') break;
    const length = text(el);
    if (length > best.length) {
      const sig = signature(child);
      const alike = el.children.filter((c): c is Element => c.type === 'tag' && c !== child && signature(c as Element) === sig)
        .reduce((n, c) => n + text(c), 0);
      if (alike < (length - text(child)) * 0.8) break;
      best = { el, length };
    }
    child = el;
    if (el.name === 'article' || el.name === 'main') break;
  }
  return best;
}

function ancestorIn(el: Element, set: Set<Element>): boolean {
  for (let n = el.parent; n && n.type === 'tag'; n = n.parent) if (set.has(n as Element)) return true;
  return false;
}

/** Outermost text blocks of the body, outside furniture: what bodyText and bodyHtml are made of. */
function textBlocks($: CheerioAPI, body: Cheerio<Element>, notBody: Set<Element>): Element[] {
  const all = body.find(TEXT_BLOCKS).toArray();
  const inBlocks = new Set(all);
  const blocks = all.filter((el) => !within(el, notBody) && !ancestorIn(el, inBlocks));
  // A heading before the first paragraph is a standfirst or a repeated headline, not body.
  const first = blocks.findIndex((el) => !/^h[2-6]$/.test(el.name));
  return first > 0 ? blocks.slice(first) : blocks;
}

/**
 * An ordinary article as one post: headline, body, authors, published and updated time,
 * lead image and in-body media. Null when the page shows no sign of being an article.
 */
export function articleFromPage(ctx: PageContext): Post | null {
  const { $ } = ctx;
  const ld = findLd(ctx.jsonld, ARTICLE_TYPES);
  const isArticle = ld !== undefined || ctx.meta.get('og:type') === 'article' || $('article').length > 0;
  if (!isArticle) return null;

  const notBody = new Set($(NOT_BODY).toArray() as Element[]);
  const found = bodyContainer($, notBody);
  const bestLength = found?.length ?? 0;
  const best = found ? $(found.el) : $('body');
  const ldBody = ldString(ld?.['articleBody']);
  if (bestLength === 0 && !ldBody) return null;

  const authors: Contributor[] = ldNames(ld?.['author']).map((name) => ({ name, role: 'author' }));
  if (authors.length === 0) authors.push(...$('[rel="author"], [class*="byline"] [class*="name"], [itemprop="author"]').toArray().flatMap((b) => authorsFromByline($(b).text())));
  const leadUrl = ldImageUrl(ld?.['image']) ?? ctx.meta.get('og:image') ?? null;
  const lead = leadUrl ? [makeMedia({ kind: 'image', url: leadUrl, caption: ctx.meta.get('og:image:alt') }, ctx.url)] : [];
  // Media sit beside the text blocks as often as among them: look in the whole article.
  const outer = best.closest('article, main') as Cheerio<Element>;
  const inBody = bestLength > 0 ? extractMedia($, outer.length ? outer : best, ctx.url, FURNITURE) : [];
  const published = ldString(ld?.['datePublished']) ?? ctx.meta.get('article:published_time') ?? $('time[datetime]').first().attr('datetime');
  const modified = ldString(ld?.['dateModified']) ?? ctx.meta.get('article:modified_time');

  return finishPost({
    id: 'article',
    url: ctx.url,
    headline: textOrNull($('h1').first().text()) ?? ldString(ld?.['headline']),
    ...(bestLength > 0 ? { bodyNodes: textBlocks($, best, notBody) } : { bodyText: ldBody }),
    publishedAt: published ? timeIn(ctx, published) : null,
    updatedAt: modified ? timeIn(ctx, modified) : null,
    contributors: authors,
    // The structured-data image is a share card, often another crop of a picture the page
    // shows: it stands in only for a page that shows none.
    media: inBody.some((m) => m.kind === 'image') ? inBody : [...lead, ...inBody],
  }, ctx.url);
}
