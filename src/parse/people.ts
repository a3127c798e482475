import { cleanText } from './text.js';
import type { Contributor } from '../types.js';

/** "CNN’s", "Reuters'", "Fox News'": an organisation's possessive in front of a list of names. */
const POSSESSIVE_PREFIX = /^(?:[\p{Lu}][\p{L}\d&.-]*\s+){0,3}[\p{Lu}][\p{L}\d&.-]*(?:['’]s|s['’])\s+/u;
/** "and" between names, in the languages seen so far. */
const CONJUNCTION = String.raw`\s+(?:and|&|und|i|et|y|e|och|og)\s+`;
const HAS_CONJUNCTION = new RegExp(CONJUNCTION, 'u');
const NAME_SEPARATOR = new RegExp(String.raw`\s*,\s*(?:and\s+|&\s+)?|${CONJUNCTION}`, 'u');
/** Particles of surnames ("Pieter de Vries", and bylines that give only "van der Berg"). */
const PARTICLE = 'de|da|del|della|der|di|du|la|le|van|von|bin|al|el';
const NAME_RE = new RegExp(String.raw`^(?:(?:${PARTICLE})\s+){0,3}[\p{Lu}][\p{L}'’.-]*(?:\s+(?:[\p{Lu}][\p{L}'’.-]*|${PARTICLE})){0,5}$`, 'u');

/**
 * Words that make a signature a newsroom, not a person: "di Redazione", "Redactie", "DH Web
 * Desk", "Express News Service", "Live Team", "Agencies".
 */
const DESK = /(?:^|\s)(?:redazione|redactie|redaktion|rédaction|redacción|redação|redakcja|redaksjonen|redaktionen|toimitus|newsroom|staff|desk|bureau|editorial|editors|team|service|agencies|agency|agencias|agenzie|wires?)(?:\s|$)/iu;
/** News agencies, which sign posts as bylines do. */
const AGENCY = /^(?:PTI|ANI|IANS|UNI|AFP|AP|Reuters|ANSA|ANP|dpa|EFE|Xinhua|TASS|Belga|APA|Bloomberg|Associated Press|Agence France[- ]Presse|Press Trust of India)$/iu;
/** A job, not a name: "Political Correspondent", "Industry Editor". */
const ROLE = /(?:^|\s)(?:correspondent|editor|reporter|writer|journalist|producer|columnist|analyst|presenter|anchor|photographer|commentator|inviat[oa]|corrispondente|korrespondent(?:in)?|verslaggever|redacteur|redakteur(?:in)?|rédacteur|envoyé)(?:\s|$)/iu;

/** Whether a string looks like a person's name (capitalised words, no digits, short; not a desk, agency, job or web address). */
export function looksLikeName(s: string): boolean {
  return s.length >= 2 && s.length <= 60 && NAME_RE.test(s) && !DESK.test(s) && !AGENCY.test(s) && !ROLE.test(s) && !/\.[a-z]{2,}$/i.test(s)
    // One word in capitals is an acronym (an agency, a desk), not a person.
    && !/^\p{Lu}{2,6}$/u.test(s);
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
/** A job title or outlet after a name: "TV Serra Azul", "Reuters", "political correspondent", "Political Correspondent". */
const AFFILIATION = /(?<!\p{L})\p{Lu}{2,}(?!\p{L})|(?:^|\s)\p{Ll}{3,}|^\S+$/u;
/**
 * A role said before the name: "onze correspondent Pieter Jansen", "our correspondent X", "dal
 * nostro inviato X". Only with a role word: "van der Berg", "de la Cruz" are names.
 */
const ROLE_BEFORE = /^(?:(?:\p{Ll}[\p{L}']*\s+){1,3})(?=\p{Lu})/u;

/** Names from a byline: "By A and B", "A, Reporter", "Por A, TV Outlet", "A in Kyiv". */
export function authorsFromByline(byline: string): Contributor[] {
  let text = cleanText(byline).replace(/^[—–-]\s*/u, '').replace(BYLINE_PREFIX, '').replace(ROLE_BEFORE, (words) => (ROLE.test(words) ? '' : words)).replace(/\s*[|•·—–]\s*.*$|\s+-\s+.*$/u, '')
    // "Julie Exemple/ATS": the agency after the name.
    .replace(/\s*\/\s*\p{Lu}[\p{L}. ]{0,30}$/u, '');
  // One comma and no "and": the part after it says who the person works for, not who else wrote.
  const parts = text.split(',');
  if (parts.length === 2 && splitNames(text).length === 2 && !HAS_CONJUNCTION.test(text) && (AFFILIATION.test(parts[1]!.trim()) || ROLE.test(parts[1]!))) {
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

/** Words a publisher's name adds to its brand: "Example News Network" is the brand "Example". */
const ORGANISATION_WORDS = /^(?:the|news|network|online|digital|media|group|live|tv|radio|broadcaster|broadcasting)$/i;

/**
 * Contributors without the publisher signing as itself: its name ("Example News"), or its brand
 * with more words ("Example East Midlands", "Example Today Web Desk").
 */
export function withoutPublisher(list: Contributor[], publisher: string | null): Contributor[] {
  if (!publisher) return list;
  const words = publisher.trim().split(/\s+/);
  const brand = words.filter((w) => !ORGANISATION_WORDS.test(w)).join(' ').toLowerCase();
  const whole = publisher.trim().toLowerCase();
  return list.filter((c) => {
    const n = c.name.toLowerCase();
    return n !== whole && !(brand !== '' && (n === brand || n.startsWith(`${brand} `)));
  });
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
