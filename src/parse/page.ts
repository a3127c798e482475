import type { CheerioAPI } from 'cheerio';
import { findLd, ldNames, ldString, type LdNode } from './jsonld.js';
import { cleanText, textOrNull } from './text.js';
import { zoneForAbbreviation } from './time.js';
import { webUrl } from './url.js';

/** Page URLs as the document states them, before any is chosen. */
export interface StatedUrls {
  canonical: string | null;
  ogUrl: string | null;
  savedFrom: string | null;
}

/** Canonical link, og:url and the "saved from url=(N)…" comment browsers write. */
export function statedUrls($: CheerioAPI, html: string, meta: Map<string, string>): StatedUrls {
  const saved = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(html.slice(0, 4096));
  const savedFrom = webUrl(saved?.[1]);
  const canonical = webUrl($('link[rel="canonical"]').first().attr('href'), savedFrom ?? undefined);
  return { canonical, ogUrl: webUrl(meta.get('og:url')), savedFrom };
}

export interface PageMeta {
  title: string | null;
  headline: string | null;
  language: string | null;
  publisher: string | null;
  authors: string[];
  description: string | null;
  coverageStart: string | null;
  coverageEnd: string | null;
  /** The main JSON-LD object describing the page, if any. */
  mainLd: LdNode | undefined;
}

const MAIN_TYPES = ['LiveBlogPosting', 'NewsArticle', 'ReportageNewsArticle', 'AnalysisNewsArticle', 'Article', 'BlogPosting', 'WebPage'];

/**
 * Sites that name themselves in several ways (og:site_name on one template, JSON-LD on another),
 * by host, with the one name the archive files them under. The only such list: add a site here.
 */
const PUBLISHER_NAMES: Record<string, string> = {
  // og:site_name "The Mirror" on live pages, JSON-LD "Daily Mirror" on articles.
  'mirror.co.uk': 'The Mirror',
  // Its site name is its host.
  'sportowefakty.wp.pl': 'WP SportoweFakty',
};

/** The one name of the publisher of a page on `host`, when the alias table knows the site. */
export function publisherName(host: string | null, stated: string | null): string | null {
  for (let h = host; h; h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : null) {
    const name = PUBLISHER_NAMES[h];
    if (name) return name;
    if (!h.slice(h.indexOf('.') + 1).includes('.')) break;
  }
  return stated;
}

/** A JSON-LD value that refers to another node by its @id ({"@id": "…#publisher"}): that node. */
function dereference(v: unknown, jsonld: LdNode[]): LdNode | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const node = v as LdNode;
  if (node['name'] !== undefined || typeof node['@id'] !== 'string') return node;
  return jsonld.find((n) => n !== node && n['@id'] === node['@id'] && n['name'] !== undefined) ?? node;
}

export function readPageMeta($: CheerioAPI, meta: Map<string, string>, jsonld: LdNode[], host: string | null): PageMeta {
  const mainLd = MAIN_TYPES.map((t) => findLd(jsonld, [t])).find(Boolean);
  const publisherLd = dereference(mainLd?.['publisher'], jsonld) ?? findLd(jsonld, ['NewsMediaOrganization']);
  // og:site_name is how a site names itself to readers; JSON-LD names vary by template ("mirror").
  const stated = textOrNull(meta.get('og:site_name'))
    ?? (publisherLd ? ldString(publisherLd['name']) : null)
    ?? textOrNull(meta.get('application-name'));
  // A site name that is its host says nothing more than the host ("sportowefakty.wp.pl").
  const publisher = publisherName(host, stated && stated.toLowerCase().replace(/^www\./, '') !== host ? stated : null) ?? stated ?? host;
  const authors = ldNames(mainLd?.['author']);
  if (authors.length === 0) {
    const a = textOrNull(meta.get('author') ?? meta.get('article:author'));
    if (a && !/^https?:/.test(a)) authors.push(a);
  }
  return {
    title: textOrNull($('title').first().text()) ?? textOrNull(meta.get('og:title')),
    headline: textOrNull($('h1').first().text()) ?? ldString(mainLd?.['headline']) ?? textOrNull(meta.get('og:title')),
    language: textOrNull($('html').attr('lang')) ?? ldString(mainLd?.['inLanguage']) ?? textOrNull(meta.get('language') ?? meta.get('content-language') ?? meta.get('og:locale')),
    publisher,
    authors: [...new Set(authors.map(cleanText))],
    description: textOrNull(meta.get('description') ?? meta.get('og:description')),
    coverageStart: ldString(mainLd?.['coverageStartTime']),
    coverageEnd: ldString(mainLd?.['coverageEndTime']),
    mainLd,
  };
}

/**
 * The zone of each country with one (or one main) zone, by its code: country-code hosts use it
 * (the .uk host is Great Britain's), and so does a page that says where it is from.
 */
const TLD_ZONES: Record<string, string> = {
  gb: 'Europe/London', bd: 'Asia/Dhaka', lk: 'Asia/Colombo', np: 'Asia/Kathmandu', kw: 'Asia/Kuwait', bh: 'Asia/Bahrain',
  om: 'Asia/Muscat', jo: 'Asia/Amman', lb: 'Asia/Beirut', iq: 'Asia/Baghdad', ir: 'Asia/Tehran', af: 'Asia/Kabul',
  mo: 'Asia/Macau', gh: 'Africa/Accra', tz: 'Africa/Dar_es_Salaam', ug: 'Africa/Kampala', et: 'Africa/Addis_Ababa',
  zw: 'Africa/Harare', ma: 'Africa/Casablanca', tn: 'Africa/Tunis', dz: 'Africa/Algiers', cy: 'Asia/Nicosia', mt: 'Europe/Malta',
  lu: 'Europe/Luxembourg', cu: 'America/Havana', pr: 'America/Puerto_Rico', ve: 'America/Caracas', uy: 'America/Montevideo',
  uk: 'Europe/London', ie: 'Europe/Dublin', de: 'Europe/Berlin', at: 'Europe/Vienna', ch: 'Europe/Zurich',
  fr: 'Europe/Paris', es: 'Europe/Madrid', it: 'Europe/Rome', nl: 'Europe/Amsterdam', be: 'Europe/Brussels',
  pl: 'Europe/Warsaw', cz: 'Europe/Prague', se: 'Europe/Stockholm', no: 'Europe/Oslo', dk: 'Europe/Copenhagen',
  fi: 'Europe/Helsinki', pt: 'Europe/Lisbon', gr: 'Europe/Athens', ua: 'Europe/Kyiv', jp: 'Asia/Tokyo',
  in: 'Asia/Kolkata', nz: 'Pacific/Auckland', za: 'Africa/Johannesburg',
  br: 'America/Sao_Paulo', mx: 'America/Mexico_City', ar: 'America/Argentina/Buenos_Aires', cl: 'America/Santiago',
  co: 'America/Bogota', pe: 'America/Lima', tr: 'Europe/Istanbul', ru: 'Europe/Moscow', ro: 'Europe/Bucharest',
  hu: 'Europe/Budapest', sk: 'Europe/Bratislava', si: 'Europe/Ljubljana', hr: 'Europe/Zagreb', rs: 'Europe/Belgrade',
  bg: 'Europe/Sofia', lt: 'Europe/Vilnius', lv: 'Europe/Riga', ee: 'Europe/Tallinn', is: 'Atlantic/Reykjavik',
  il: 'Asia/Jerusalem', ae: 'Asia/Dubai', sa: 'Asia/Riyadh', qa: 'Asia/Qatar', pk: 'Asia/Karachi',
  sg: 'Asia/Singapore', hk: 'Asia/Hong_Kong', kr: 'Asia/Seoul', cn: 'Asia/Shanghai', tw: 'Asia/Taipei',
  ph: 'Asia/Manila', my: 'Asia/Kuala_Lumpur', th: 'Asia/Bangkok', vn: 'Asia/Ho_Chi_Minh', id: 'Asia/Jakarta',
  ng: 'Africa/Lagos', ke: 'Africa/Nairobi', eg: 'Africa/Cairo',
};

export function zoneFromHost(host: string | null): string | null {
  const tld = host?.split('.').pop();
  return tld ? TLD_ZONES[tld] ?? null : null;
}

/** English country names to codes, for addresses that write the name ("India", "Bangladesh"). */
const COUNTRY_CODES = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const out = new Map<string, string>();
  for (const code of Object.keys(TLD_ZONES)) {
    const region = code === 'uk' ? 'GB' : code.toUpperCase();
    try {
      const name = names.of(region);
      if (name) out.set(name.toLowerCase(), code === 'uk' ? 'gb' : code);
    } catch {
      // not a region code
    }
  }
  return out;
})();

function countryCode(v: unknown): string | null {
  const s = typeof v === 'string' ? v : v && typeof v === 'object' ? ldString((v as LdNode)['name']) ?? ldString((v as LdNode)['identifier']) : null;
  if (!s) return null;
  const t = s.trim().toLowerCase();
  return /^[a-z]{2}$/.test(t) ? t : COUNTRY_CODES.get(t) ?? null;
}

/** The region of a language tag: "en-IN", "en_IN" → "in". */
function regionOf(tag: string | undefined | null): string | null {
  return /^[a-z]{2,3}[-_]([a-z]{2})\b/i.exec(tag?.trim() ?? '')?.[1]?.toLowerCase() ?? null;
}

/**
 * The zone of the country a page says it is from, when its host does not tell: the publisher's
 * address in structured data, then the region of the page's language (<html lang="en-IN">,
 * og:locale), then of its alternate-language links when they all name one. A country with
 * several zones (the US, Canada, Australia, Brazil, Russia) tells none.
 */
export function zoneFromLocale($: CheerioAPI, meta: Map<string, string>, jsonld: LdNode[]): string | null {
  const addresses = jsonld.flatMap((n) => [n['address'], (n['publisher'] as LdNode | undefined)?.['address'], (n['sourceOrganization'] as LdNode | undefined)?.['address']])
    .filter((a): a is LdNode => !!a && typeof a === 'object')
    .map((a) => countryCode(a['addressCountry']));
  const hreflangs = [...new Set($('link[rel~="alternate"][hreflang]').toArray().map((l) => regionOf(l.attribs['hreflang'])).filter((r): r is string => r !== null))];
  const candidates = [...addresses, regionOf($('html').attr('lang')), regionOf(meta.get('og:locale')), hreflangs.length === 1 ? hreflangs[0]! : null];
  for (const code of candidates) {
    if (!code) continue;
    return TLD_ZONES[code === 'gb' ? 'uk' : code] ?? TLD_ZONES[code] ?? null;
  }
  return null;
}

const STATEMENT_IN_MARKUP = /\b[Tt]imes?(?:\s|<[^>]*>)+(?:(?:shown|are|in)(?:\s|<[^>]*>)+)*[A-Z]{2,5}\b/;

/** A zone the page states for its times: "All times ET", "Times are in BST", "(all times CET)". */
export function statedZone(html: string): string | null {
  // Read from the markup with its tags, scripts and styles taken out: building the whole body's
  // text from the DOM costs more, and the statement stands in one run of text.
  const body = html.slice(0, 400_000);
  // Most pages state no zone: the same words, with tags allowed between them, must be in the markup.
  if (!STATEMENT_IN_MARKUP.test(body)) return null;
  const start = body.search(/<body[\s>]/i);
  const text = body.slice(Math.max(0, start)).replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
  for (const m of text.matchAll(/\b(?:[Aa]ll )?[Tt]imes?(?: shown)?(?: are)?(?: in)? ([A-Z]{2,5})\b/g)) {
    const zone = zoneForAbbreviation(m[1]!);
    if (zone) return zone;
  }
  return null;
}
