import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { SOCIAL_CONTENT, visibleText } from '../dom.js';
import { cleanText } from '../text.js';
import { isDateOnly, looksLikeTime } from '../time.js';

/**
 * The generic reader's time signals: the attributes, elements and short texts by which a page
 * shows when a post was published or updated.
 */

export const TIME_ATTR = /^(?:datetime|data-(?:[\w-]*(?:time|date|timestamp|published|modified|updated))[\w-]*)$/i;
const TIME_TEXT = /^(?:(?:[01]?\d|2[0-4])\s?[:.h]\s?[0-5]\d(?:\s*[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,5})?(?:\s*Uhr)?|\d+\s*(?:s|sec|secs|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s+ago|(?:an?|one)\s+(?:minute|hour|day)\s+ago|just now)$/i;

/** A leaf text that shows a post's time: clock, relative, or date and clock, in any language read. */
export function isTimeText(v: string): boolean {
  return (v.length <= 24 && TIME_TEXT.test(v)) || looksLikeTime(v);
}

/**
 * A match clock ("45+2'", "HT", "FT", a cricket over "12.4 ov"): it marks the entries of sports commentary as posts and is
 * shown as their display time, but says nothing about when they were published.
 */
export const MATCH_MINUTE = /^(?:\d{1,3}(?:\s?\+\s?\d{1,2})?\s?['’′]|\d{1,3}\.[0-6]\s?(?:ov|overs?)|HT|FT|KO|Half[- ]time|Full[- ]time)$/i;

export interface Signal {
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
export function signalsOf($: CheerioAPI, block: Cheerio<Element>, clocks: Element[]): Signal[] {
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
  // The exact time in the <time>'s tooltip, when it shows only "1 uur geleden" or "Gisteren".
  const titled = t.get(0) && !isUpdateText($, t.get(0)!) ? titledTime(t.get(0)!) : null;
  if (titled) out.push({ value: titled, from: 'text' });
  else if (text && isTimeText(text) && !isUpdateText($, t.get(0)!)) out.push({ value: text, from: 'text' });
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
export const UPDATED_PREFIX = /^(?:(?:last )?updated|mis à jour|actualisé|aktualisiert|actualizado|atualizado|aggiornato|oppdatert|opdateret|uppdaterad|päivitetty|bijgewerkt|zaktualizowano)(?:\s+(?:at|à|um|a las|às|alle|kl\.?|klo|o))?[\s:,]*/iu;

/** An "Updated 15:20" line in a post whose other times are in attributes. */
export function updateLine($: CheerioAPI, clocks: Element[]): Signal | undefined {
  for (const node of clocks) {
    const text = cleanText($(node).text());
    const rest = text.replace(UPDATED_PREFIX, '');
    if (rest !== text && rest !== '') return { value: rest, from: 'updated-text' };
  }
  return undefined;
}

function isUpdateText($: CheerioAPI, node: Element): boolean {
  return /updated|modified|last-?update/i.test(node.attribs['class'] ?? '') || UPDATED_PREFIX.test(cleanText($(node).text()));
}

export function hasTimeSignal(el: Element): boolean {
  if (attrSignals(el).length) return true;
  if (el.name === 'time') return true;
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (only?.type === 'text') {
    const v = cleanText((only as unknown as { data: string }).data);
    return isTimeText(v) || MATCH_MINUTE.test(v);
  }
  return false;
}
/**
 * Short leaf elements that only show a time ("6:00 p.m.", "12.31 Uhr") or a match clock
 * ("45+2'"): display, not body. `clock` tells the ones that say when.
 */
export function timeLeaves($: CheerioAPI, block: Cheerio<Element>): Array<{ node: Element; clock: boolean; date: boolean }> {
  return block.find('span, div, p, a, strong, b, small, em, td, th, dt, dd').toArray().flatMap((node) => {
    // A leaf: no child with text of its own (an icon beside the time does not count).
    if (node.children.some((c) => c.type === 'tag' && cleanText($(c).text()) !== '')) return [];
    // A tweet's date is the tweet's, not the post's.
    if ($(node).closest(SOCIAL_CONTENT).length > 0) return [];
    const v = cleanText($(node).text());
    const clock = isTimeText(v.replace(UPDATED_PREFIX, '')) || (v.length <= 24 && titledTime(node) !== null);
    // A date shown apart from its clock ("11:12 (IST)" "Feb 26") belongs with it.
    const date = !clock && isDateOnly(v);
    return clock || date || MATCH_MINUTE.test(v) ? [{ node, clock, date }] : [];
  });
}
