import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { embedKind, imageSource, makeMedia } from './media.js';
import { HIDDEN, SOCIAL_EMBED, splitCredit, visibleText } from './dom.js';
import { cleanText, textOrNull } from './text.js';
import { looksLikeName } from './people.js';
import type { Media } from '../types.js';

/** AMP's social embeds: the post is named by an attribute, not linked. */
const AMP_SOCIAL = 'amp-twitter, amp-instagram, amp-facebook, amp-tiktok';
const MEDIA_SELECTOR = `figure, img, amp-img, video, iframe, amp-iframe, amp-youtube, ${AMP_SOCIAL}, ${SOCIAL_EMBED}`;
/** The copies a carousel script makes of its first and last slides, so it can loop. */
const CAROUSEL_CLONE = '.swiper-slide-duplicate, .slick-cloned, .glide__slide--clone, .splide__slide--clone';
/** Images that decorate rather than report: avatars, logos, icons, tracking pixels. */
const DECORATIVE = /avatar|logo|icon|sprite|emoji|profile|author|byline|contributor|placeholder|pixel|spacer/i;

/** Where a caption keeps its credit apart: "credit", "copyright", "source", "photographer", "autor". */
const CREDIT_ELEMENT = '[class*="credit" i], [class*="copyright" i], [class*="source" i], [class*="photographer" i], [class*="autor" i], small';

function creditOf(caption: Cheerio<Element>): { caption: string | null; credit: string | null } {
  const visible = caption.clone();
  visible.find(HIDDEN).remove();
  const creditEl = visible.find(CREDIT_ELEMENT).first();
  const credit = textOrNull(creditEl.text());
  const text = cleanText(visible.find(CREDIT_ELEMENT).remove().end().text());
  if (credit) return { caption: textOrNull(text), credit };
  const split = splitCredit(text);
  return { caption: textOrNull(split.caption), credit: split.credit };
}

/**
 * A caption kept next to an image without a <figure> (<div class="media"><img><div
 * class="media-caption">), and the box holding both: it plays the figure's part.
 */
export function captionBox(img: Cheerio<Element>): { caption: Cheerio<Element>; box: Cheerio<Element> } | null {
  let up = img.parent();
  for (let depth = 0; depth < 2 && up.length; depth++, up = up.parent()) {
    const caption = up.children('[class*="caption" i]').first();
    if (caption.length) return { caption, box: up };
  }
  return null;
}

function imageFrom(img: Cheerio<Element>, base: string | null, figure?: Cheerio<Element>): Media | null {
  const el = img.get(0);
  if (!el) return null;
  const src = imageSource(el.attribs);
  const w = Number(el.attribs['width'] ?? 0);
  const h = Number(el.attribs['height'] ?? 0);
  if (!src || (w > 0 && w < 60) || (h > 0 && h < 60)) return null;
  if (DECORATIVE.test(`${el.attribs['class'] ?? ''} ${src}`)) return null;
  const box = figure ? { caption: figure.find('figcaption').first(), box: figure } : captionBox(img);
  const cap = box?.caption.length ? creditOf(box.caption) : { caption: null, credit: null };
  // Some print the credit beside the image rather than in the caption.
  if (box && !cap.credit) cap.credit = textOrNull(visibleText(box.box.find(CREDIT_ELEMENT).not('figcaption *, [class*="caption" i] *, [class*="caption" i]').first()));
  return makeMedia({ kind: 'image', url: src, alt: el.attribs['alt'], ...cap }, base);
}

/** The media reference one element stands for (figure, image, video, iframe, social embed), if any. */
export function mediaOfElement($: CheerioAPI, el: Cheerio<Element>, base: string | null): Media | null {
  const node = el.get(0);
  if (!node) return null;
  const tag = node.name.toLowerCase();
  if (tag === 'figure') {
    const embed = el.find(`iframe, amp-iframe, amp-youtube, ${AMP_SOCIAL}, video, ${SOCIAL_EMBED}`).first();
    if (embed.length) {
      const m = embedFrom(embed, base);
      return m ? { ...m, ...nonNull(creditOf(el.find('figcaption').first())) } : null;
    }
    // Lazy-loading markup puts a placeholder <img> before the real one.
    for (const img of el.find('img, amp-img').toArray()) {
      const m = imageFrom($(img), base, el);
      if (m) return m;
    }
    return null;
  }
  if (tag === 'img' || tag === 'amp-img') return imageFrom(el, base);
  return embedFrom(el, base);
}

/**
 * A byline portrait: an image outside any figure whose alt text is a person's name and sits
 * beside that same name ("<img alt="Ana Lemos"> <span>Ana Lemos</span>"). It says who wrote
 * the post; it is not reporting.
 */
export function bylinePortrait($: CheerioAPI, img: Element): { name: string; holder: Element } | null {
  const alt = cleanText(img.attribs['alt'] ?? '');
  if (img.name !== 'img' || !looksLikeName(alt) || $(img).closest('figure').length) return null;
  let up = img.parent;
  for (let depth = 0; depth < 3 && up && up.type === 'tag'; depth++, up = up.parent) {
    const text = cleanText($(up).text());
    if (text === '') continue;
    return text === alt || (text.startsWith(`${alt} `) && text.length <= 80) ? { name: alt, holder: up } : null;
  }
  return null;
}

/**
 * Media references inside a post, in document order: figures with caption and credit,
 * bare images, videos, iframes and social embeds. Decorative images, byline portraits,
 * carousel clones, and anything inside a <template> (never shown) or the parts named by
 * `exclude`, are skipped.
 */
export function extractMedia($: CheerioAPI, root: Cheerio<Element>, base: string | null, exclude = ''): Media[] {
  const out: Media[] = [];
  const handled = new Set<Element>();
  const skip = `template${exclude ? `, ${exclude}` : ''}`;
  root.find(MEDIA_SELECTOR).each((_, node) => {
    if (handled.has(node)) return;
    const el = $(node);
    el.find('*').each((__, d) => { handled.add(d as Element); });
    if (el.closest(skip).length || el.closest(CAROUSEL_CLONE).length || bylinePortrait($, node)) return;
    const m = mediaOfElement($, el, base);
    if (m) out.push(m);
  });
  return out;
}

function nonNull<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as Partial<T>;
}

function embedFrom(el: Cheerio<Element>, base: string | null): Media | null {
  const node = el.get(0);
  if (!node) return null;
  const tag = node.name.toLowerCase();
  if (tag === 'video') {
    const src = node.attribs['src'] ?? el.find('source').attr('src') ?? null;
    return makeMedia({ kind: 'video', url: src, thumbnail: node.attribs['poster'], caption: node.attribs['title'] }, base);
  }
  if (tag === 'amp-youtube') {
    const id = node.attribs['data-videoid'];
    return id ? makeMedia({ kind: 'video', url: `https://www.youtube.com/watch?v=${id}` }, base) : null;
  }
  if (tag === 'amp-twitter' || tag === 'amp-instagram' || tag === 'amp-facebook' || tag === 'amp-tiktok') {
    const a = node.attribs;
    const url = a['data-tweetid'] ? `https://twitter.com/i/status/${a['data-tweetid']}`
      : a['data-shortcode'] ? `https://www.instagram.com/p/${a['data-shortcode']}/`
        : a['data-href'] ?? a['data-src'] ?? null;
    return makeMedia({ kind: 'embed', url }, base);
  }
  if (tag === 'iframe' || tag === 'amp-iframe') {
    const src = node.attribs['src'] ?? node.attribs['data-src'] ?? null;
    if (!src) return null;
    return makeMedia({ kind: embedKind(src), url: src, caption: node.attribs['title'] }, base);
  }
  // A social post: its permalink is the last link inside the blockquote.
  const href = el.find('a[href]').last().attr('href') ?? node.attribs['data-href'] ?? null;
  const text = textOrNull(el.find('p').first().text()) ?? textOrNull(el.text());
  return makeMedia({ kind: 'embed', url: href, caption: text }, base);
}
