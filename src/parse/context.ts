import type { CheerioAPI } from 'cheerio';
import type { LdNode } from './jsonld.js';
import type { MarkupItem } from './microdata.js';
import { resolveTime, type TimeContext } from './time.js';

/**
 * Everything computed once per page and handed to every adapter: the document, its
 * meta tags and JSON-LD, the page URL for absolute links, and the time context.
 */
export interface PageContext {
  $: CheerioAPI;
  /** The page URL (used to make links absolute and to match adapters by host). */
  url: string | null;
  host: string | null;
  /** <meta name|property|itemprop|http-equiv → content>, keys lower-cased; the first occurrence wins. */
  meta: Map<string, string>;
  jsonld: LdNode[];
  /** schema.org items in the markup (microdata, RDFa), with their elements. */
  markup: MarkupItem[];
  /** The parsed document when the capture is JSON page data rather than HTML; else null. */
  data: unknown;
  time: TimeContext;
  warnings: string[];
}

export function readMeta($: CheerioAPI): Map<string, string> {
  const meta = new Map<string, string>();
  $('meta').each((_, el) => {
    const key = (el.attribs['property'] ?? el.attribs['name'] ?? el.attribs['itemprop'] ?? el.attribs['http-equiv'])?.toLowerCase();
    const content = el.attribs['content'];
    if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
  });
  return meta;
}

/** Resolve a timestamp in this page's context (capture time, page zone), warning on failure. */
export function timeIn(ctx: PageContext, raw: string | number | null | undefined): string | null {
  return resolveTime(raw, ctx.time);
}

/** Whether the page is on a host or one of its subdomains. */
export function onHost(ctx: PageContext, ...hosts: string[]): boolean {
  const h = ctx.host;
  return h !== null && hosts.some((x) => h === x || h.endsWith(`.${x}`));
}
