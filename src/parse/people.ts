import { cleanText } from './text.js';
import type { Contributor } from '../types.js';

/** "CNN’s", "Reuters'", "Fox News'": an organisation's possessive in front of a list of names. */
const POSSESSIVE_PREFIX = /^(?:[\p{Lu}][\p{L}\d&.-]*\s+){0,3}[\p{Lu}][\p{L}\d&.-]*(?:['’]s|s['’])\s+/u;
/** "and" between names, in the languages seen so far. */
const CONJUNCTION = String.raw`\s+(?:and|&|und|i|et|y|e|och|og)\s+`;
const HAS_CONJUNCTION = new RegExp(CONJUNCTION, 'u');
const NAME_SEPARATOR = new RegExp(String.raw`\s*,\s*(?:and\s+|&\s+)?|${CONJUNCTION}`, 'u');
const NAME_RE = /^[\p{Lu}][\p{L}'’.-]*(?:\s+(?:[\p{Lu}][\p{L}'’.-]*|de|da|del|della|der|di|du|la|le|van|von|bin|al|el)){0,5}$/u;

/** A newsroom signing as itself ("di Redazione", "Redactie", "Web Desk"): a desk, not a person. */
const DESK = /^(?:the\s+|la\s+|de\s+|die\s+|il\s+)?(?:redazione|redactie|redaktion|rédaction|redacción|redação|redakcja|redaksjonen|redaktionen|toimitus|newsroom|staff|news\s*desk|web\s*desk|desk|editorial|editors?|live\s+team|agencies|agencias|agenzie)(?:\s+\p{L}+)?$/iu;

/** Whether a string looks like a person's name (capitalised words, no digits, short, not a desk). */
export function looksLikeName(s: string): boolean {
  return s.length >= 2 && s.length <= 60 && NAME_RE.test(s) && !DESK.test(s);
}

/** Split "A, B, and C" / "A, B and C" / "A & B" into names, dropping an organisation's possessive. */
export function splitNames(list: string): string[] {
  const text = cleanText(list).replace(POSSESSIVE_PREFIX, '');
  return text
    .split(NAME_SEPARATOR)
    .map((n) => cleanText(n.replace(POSSESSIVE_PREFIX, '')))
    .filter((n) => n !== '');
}

const CONTRIBUTED_RE = /^(.+?)\s+(?:also\s+)?contributed(?:\s+(?:reporting|additional reporting|to\s+this))?.{0,40}$/iu;
const REPORTING_BY_RE = /^(?:additional\s+)?reporting\s+by\s+(.+?)\.?$/iu;

/**
 * Names from a credit line such as "CNN’s A, B and C contributed reporting to this post."
 * or "Additional reporting by A and B". Returns [] when the line is not a credit line
 * or any part of it is not a name, so ordinary sentences are never mistaken for credits.
 */
export function contributorsFromLine(line: string): Contributor[] {
  const text = cleanText(line).replace(/\.$/, '');
  if (text.length > 600) return [];
  const m = CONTRIBUTED_RE.exec(text) ?? REPORTING_BY_RE.exec(text);
  if (!m) return [];
  const names = splitNames(m[1]!);
  if (names.length === 0 || !names.every(looksLikeName)) return [];
  return names.map((name) => ({ name, role: 'contributor' }));
}

/** "By", "Por", "Door", "Av"…: the word a byline opens with, in the languages seen so far. */
const BYLINE_PREFIX = /^(?:(?:posted|written|reported|compiled)\s+by|by|von|par|por|door|av|af|di|od|autor(?:in|a)?:?|auteur\s*:)\s+/iu;
/** A job title or outlet after a name: "TV Serra Azul", "Reuters", "political correspondent". */
const AFFILIATION = /(?<!\p{L})\p{Lu}{2,}(?!\p{L})|(?:^|\s)\p{Ll}{3,}|^\S+$/u;

/** Names from a byline: "By A and B", "A, Reporter", "Por A, TV Outlet", "A in Kyiv". */
export function authorsFromByline(byline: string): Contributor[] {
  let text = cleanText(byline).replace(/^[—–-]\s*/u, '').replace(BYLINE_PREFIX, '').replace(/\s*[|•·—–]\s*.*$|\s+-\s+.*$/u, '')
    // "Julie Exemple/ATS": the agency after the name.
    .replace(/\s*\/\s*\p{Lu}[\p{L}. ]{0,30}$/u, '');
  // One comma and no "and": the part after it says who the person works for, not who else wrote.
  const parts = text.split(',');
  if (parts.length === 2 && splitNames(text).length === 2 && !HAS_CONJUNCTION.test(text) && AFFILIATION.test(parts[1]!.trim())) {
    text = parts[0]!;
  }
  const names = splitNames(text)
    .map((n) => n.replace(/\s+(?:in|at|from)\s+\p{Lu}.*$/u, ''))
    .filter(looksLikeName);
  return names.map((name) => ({ name, role: 'author' }));
}

/** "김민준 기자", "王小明 记者": scripts without capitals name the reporter by a role word after the name. */
const CASELESS_BYLINE = /^((?:\p{Script=Hangul}|\p{Script=Han}){2,4})\s*(?:기자|특파원|記者|记者|特派員|特派员)$/u;

/**
 * A line that is a byline and nothing else ("By A and B", "di A", "Por A, TV Outlet"): its
 * authors, or null for any other text ("By noon the crowd had grown.").
 */
export function bylineLine(line: string): Contributor[] | null {
  const text = cleanText(line);
  const caseless = CASELESS_BYLINE.exec(text);
  if (caseless) return [{ name: caseless[1]!, role: 'author' }];
  if (text.length > 100 || !BYLINE_PREFIX.test(text) || /[.!?]$/.test(text)) return null;
  const authors = authorsFromByline(text);
  return authors.length ? authors : null;
}

/** Contributors in order, each (name, role) once. */
export function uniqueContributors(list: Contributor[]): Contributor[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.role}\u0000${c.name.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
