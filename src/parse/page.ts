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

export function readPageMeta($: CheerioAPI, meta: Map<string, string>, jsonld: LdNode[], host: string | null): PageMeta {
  const mainLd = MAIN_TYPES.map((t) => findLd(jsonld, [t])).find(Boolean);
  const publisherLd = mainLd?.['publisher'];
  // og:site_name is how a site names itself to readers; JSON-LD names vary by template ("mirror").
  const publisher = textOrNull(meta.get('og:site_name'))
    ?? (publisherLd && typeof publisherLd === 'object' ? ldString((publisherLd as LdNode)['name']) : null)
    ?? textOrNull(meta.get('application-name'))
    ?? host;
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

/** Zones for country-code hosts, used when a page prints clock times without a zone. */
const TLD_ZONES: Record<string, string> = {
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

/** A zone the page states for its times: "All times ET", "Times are in BST", "(all times CET)". */
export function statedZone($: CheerioAPI): string | null {
  const text = $('body').text().slice(0, 200_000).replace(/\s+/g, ' ');
  for (const m of text.matchAll(/\b(?:[Aa]ll )?[Tt]imes?(?: shown)?(?: are)?(?: in)? ([A-Z]{2,5})\b/g)) {
    const zone = zoneForAbbreviation(m[1]!);
    if (zone) return zone;
  }
  return null;
}
