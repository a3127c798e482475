import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { cleanText } from './text.js';

/** Text for screen readers only ("posted at", "Image caption,"), and elements the page hides. */
export const HIDDEN = '[class*="visually-hidden" i], [class*="visuallyhidden" i], [class*="sr-only" i], [class*="screen-reader" i], [hidden]';

/** An element's text as a reader sees it: without hidden labels, whitespace collapsed. */
export function visibleText(el: Cheerio<Element>): string {
  return cleanText(el.find(HIDDEN).length ? el.clone().find(HIDDEN).remove().end().text() : el.text());
}

/** Credit labels in captions: "Photograph: X", "Pic: X", "(Photo : X)", "Bild: X", "[X]". */
export const CREDIT_LABEL = /\s*[([]?\s*(?:Photograph|Photo|Image|Picture|Pic|Foto|Fot\.|Bild|Credit|Crédit|Source|Quelle)\s*:\s*([^)\]]+?)\s*[)\]]?\.?$/i;
const BRACKETED_CREDIT = /\s*\[([^\]]+)\]$/;

/** Split a caption into its text and the credit written at its end, if any. */
export function splitCredit(text: string): { caption: string; credit: string | null } {
  const m = CREDIT_LABEL.exec(text) ?? BRACKETED_CREDIT.exec(text);
  return m ? { caption: text.slice(0, m.index).trim(), credit: m[1]!.trim() } : { caption: text, credit: null };
}

/** A paragraph that points elsewhere ("Read more: …", "Lire aussi | …") is a link, not the post's text. */
export const SEE_ALSO = /^(?:read more|also read|related|see also|lire aussi|à lire aussi|mehr zum thema|lesen sie auch|czytaj (?:też|także)|leggi anche|lee también)\b/i;
const TEASER_CLASS = /teaser|related|promo|recommend|advert|newsletter|(?:^|[\s_-])ad(?:$|[\s_-])/i;

/** A block inside a post that advertises other pages: a teaser box, a "more on this" link list. */
export function isTeaser($: CheerioAPI, el: Element): boolean {
  if (TEASER_CLASS.test(el.attribs['class'] ?? '')) return true;
  const text = cleanText($(el).text());
  if (text === '' || SEE_ALSO.test(text)) return text !== '';
  const linked = $(el).find('a').toArray().reduce((n, a) => n + cleanText($(a).text()).length, 0);
  return el.name !== 'p' && linked / text.length >= 0.5;
}
