import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element, Text } from 'domhandler';
import { cleanText } from './text.js';

/** Embedded social posts: a blockquote that a script turns into a widget. */
export const SOCIAL_EMBED = 'blockquote.twitter-tweet, blockquote.instagram-media, blockquote.tiktok-embed, blockquote[class*="embed"], div.fb-post, div.fb-video';

/**
 * Content from elsewhere inside a post (a tweet, an Instagram post, a video player): its ids
 * name that content, never the post.
 */
/** Posts from social networks inside a post: their dates are theirs, not the post's. */
export const SOCIAL_CONTENT = `${SOCIAL_EMBED}, [class*="tweet" i], [class*="twitter" i], [class*="instagram" i], [class*="facebook" i], [class*="tiktok" i], [data-tweet-id], [data-instgrm-permalink]`;
export const THIRD_PARTY = `${SOCIAL_CONTENT}, iframe, figure, video, [class*="embed" i], [class*="youtube" i], [class*="player" i]`;

/** Text for screen readers only ("posted at", "Image caption,"), and elements the page hides: the class names of the usual CSS kits (Bootstrap, WordPress, Drupal, Foundation, BBC GEL). */
export const HIDDEN = '[class*="visually-hidden" i], [class*="visuallyhidden" i], [class*="sr-only" i], [class*="screen-reader" i], [hidden], [class~="vh" i], [class$="-vh" i], [class*="u-vh" i], [class*="element-invisible" i], [class*="show-for-sr" i], [class*="assistive" i], [class*="offscreen" i]';

/** Controls and share bars beside a byline: their words ("Share", "Tweet") are not part of a name. */
const CONTROLS = new Set(['button', 'script', 'style', 'svg', 'select', 'noscript']);

/**
 * An element's text as a line a reader sees: what sits in separate elements stays separate
 * ("<span>Jane Doe</span><button>Share</button>" is "Jane Doe", not "Jane DoeShare"); buttons,
 * share bars and hidden labels left out.
 */
export function lineText($: CheerioAPI, el: Element): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [el];
  const hidden = new Set($(el).find(`${HIDDEN}, [class*="share" i], [class*="social" i]`).toArray());
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text') parts.push((n as Text).data);
    else if (n.type === 'tag' && !CONTROLS.has((n as Element).name) && !hidden.has(n as Element)) {
      parts.push(' ');
      for (let i = (n as Element).children.length - 1; i >= 0; i--) stack.push((n as Element).children[i]!);
      parts.push(' ');
    }
  }
  return cleanText(parts.join(''));
}

/** An element's text as a reader sees it: without hidden labels, whitespace collapsed. */
export function visibleText(el: Cheerio<Element>): string {
  return cleanText(el.find(HIDDEN).length ? el.clone().find(HIDDEN).remove().end().text() : el.text());
}

/** The words a caption's credit is labelled with ("Photograph: X", "Kuva: X", "Fotoğraf: X"). */
const CREDIT_WORD = 'Photograph(?:er|y)?|Photos?|Image|Picture|Pic|Fotoğraf|Fotografía|Fotografia|Φωτογραφία|Φωτ\\.|Foto|Fot\\.|Fotó|Bild|Bilde|Billede|Kuva|Zdjęcie|Credit|Crédit|Source|Quelle|Kilde|Fuente|Fonte';
/** Labels that may go without a colon before a capitalised name: "Photo Jane Doe". */
const BARE_CREDIT = String.raw`(?:Photo|Foto|Fot\.|Bild|Pic)\s(?=\p{Lu})`;
/** "Photo by X", "Foto di X", "Bild von X". */
const BY_CREDIT = String.raw`(?:${CREDIT_WORD})\s+(?:by|di|von|par|por|door|av|af)\s+`;
/** Credit labels in captions: "Photograph: X", "Pic: X", "(Photo : X)", "Bild: X". */
const CREDIT_LABEL = new RegExp(String.raw`(?:^|\s|(?<=[.!?»"”]))([([])?\s*(?:(?:${CREDIT_WORD})\s*:|${BY_CREDIT}|${BARE_CREDIT})\s*(.+?)\s*\.?$`, 'iu');
/** "… on Tuesday. Chip Somodevilla/Getty Images": photographer and agency after the last sentence. */
const TRAILING_AGENCY = /(?<=[.!?]["”»]?)\s+(\p{Lu}[^.!?/]{1,50}\/[^.!?/]{2,40})$/u;
/** "… in Ohio. Jane Sample, USA EXAMPLE": a name and an outlet in capitals after the last sentence. */
const TRAILING_OUTLET = /(?<=[.!?]["”»]?)\s+(\p{Lu}[\p{L}'’.-]+(?:\s\p{Lu}[\p{L}'’.-]+){0,3},\s+\p{Lu}[\p{Lu}\d &.'’-]{1,40})$/u;
/** "[Agency]", or "(Agency: Name)" / "(Name/Agency)" at the end of a caption. */
const TRAILING_CREDIT = /\s*(?:\[([^\]]+)\]|\(([^()]*[:/][^()]*|(?:\p{Lu}[\p{L}.&-]*\s?){1,4})\))\.?$/u;

/** Brackets closed that the text never opened: the end of a wrapper around the credit. */
function trimUnbalanced(s: string, opened: string | undefined): string {
  const closers = (s.match(/[)\]]/g) ?? []).length;
  const openers = (s.match(/[([]/g) ?? []).length;
  return opened || closers > openers ? s.replace(/[)\]]$/, '').trim() : s;
}

/** Split a caption into its text and the credit written at its end, if any. */
export function splitCredit(text: string): { caption: string; credit: string | null } {
  const label = CREDIT_LABEL.exec(text);
  // Without a colon the label needs a name after it ("Photo Jane Doe"), and the i flag would let
  // \p{Lu} take any letter: "Photo by the author" is caption.
  const bare = label && !label[0].slice(0, label[0].length - label[2]!.length).includes(':');
  if (label && !(bare && !/^\p{Lu}/u.test(label[2]!))) return { caption: captionBefore(text, label.index), credit: trimUnbalanced(label[2]!.trim(), label[1]) };
  // "Il fumo sopra Ottaviano © Ansa": the copyright holder after the caption.
  const copyright = /\s+(?:©|\(c\)|copyright\b)\s*([^©]{2,60}?)\.?$/iu.exec(text);
  if (copyright && copyright.index > 0) return { caption: captionBefore(text, copyright.index), credit: copyright[1]!.trim() };
  const trailing = TRAILING_CREDIT.exec(text);
  if (trailing) return { caption: captionBefore(text, trailing.index), credit: (trailing[1] ?? trailing[2])!.trim() };
  const agency = TRAILING_AGENCY.exec(text) ?? TRAILING_OUTLET.exec(text);
  if (agency) return { caption: captionBefore(text, agency.index), credit: agency[1]!.trim() };
  return { caption: text, credit: null };
}

/** The caption up to its credit, without the dash or bar that separated the two. */
function captionBefore(text: string, end: number): string {
  return text.slice(0, end).replace(/[\s—–|·•-]+$/u, '').trim();
}

/** A paragraph that points elsewhere ("Read more: …", "Lire aussi | …") is a link, not the post's text. */
export const SEE_ALSO = /^(?:read more|also read|related|see also|lire aussi|à lire aussi|mehr zum thema|lesen sie auch|czytaj (?:też|także)|leggi anche|lee también|lees ook|læs også|les også|läs också|čtěte také|leia também|関連記事|相关(?:阅读|新闻)?)/i;
const TEASER_CLASS = /teaser|related|read-?more|promo|recommend|advert|newsletter|sponsor|adsbygoogle|ad-(?:slot|label|unit|container)|code-block|(?:^|[\s_-])ads?(?:$|[\s_-])/i;
/** What ad slots say about themselves. */
const AD_LABEL = /^(?:advertisement|anzeige|werbung|publicité|publicidad|pubblicità|reklama|ad)$/i;

/**
 * A slot or box that is not the page's own reporting: an ad ("Advertisement"), a "Read more" or
 * "Also read" box, or an element whose class or whose inner slot says so (teaser, promo, dfp).
 */
export function isAdOrTeaserSlot($: CheerioAPI, el: Element): boolean {
  const text = cleanText($(el).text());
  if (AD_LABEL.test(text) || SEE_ALSO.test(text)) return true;
  return TEASER_CLASS.test(el.attribs['class'] ?? '') || $(el).find('[class*="dfp" i], [id*="dfp" i], ins.adsbygoogle, [class*="ad-slot" i]').length > 0;
}

/** How many characters of an element's text sit inside links. */
export function linkedTextLength($: CheerioAPI, el: Element): number {
  return $(el).find('a').toArray().reduce((n, a) => n + cleanText($(a).text()).length, 0);
}

/** A block inside a post that advertises other pages: a teaser box, a "more on this" link list. */
export function isTeaser($: CheerioAPI, el: Element): boolean {
  if (TEASER_CLASS.test(el.attribs['class'] ?? '')) return true;
  const text = cleanText($(el).text());
  if (text === '' || SEE_ALSO.test(text) || AD_LABEL.test(text)) return text !== '';
  const linked = linkedTextLength($, el);
  return el.name !== 'p' && linked / text.length >= 0.5;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** A credit as a name: without the brackets around it, its "Photo:" label, or a stray closer. */
const CREDIT_PREFIX = new RegExp(String.raw`^(?:©|\(c\)|copyright\b)?\s*(?:(?:${CREDIT_WORD})\s*:|${BY_CREDIT}|${BARE_CREDIT})?\s*`, 'iu');

export function cleanCredit(raw: string | null | undefined): string | null {
  let s = cleanText(raw);
  while (/^[([].*[)\]]$/.test(s) && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  s = s.replace(CREDIT_PREFIX, '');
  s = trimUnbalanced(s, undefined);
  return s === '' ? null : s;
}
