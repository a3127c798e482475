import { load } from 'cheerio';
import { hostOf, readMeta, timeIn, type PageContext } from './context.js';
import { decodeHtml } from './decode.js';
import { readJsonLd } from './jsonld.js';
import { normalizePageUrl, readPageMeta, statedUrls, zoneFromHost } from './page.js';
import { reconcile, structuredPosts } from './structured.js';
import { normalizeZone, offsetOf } from './time.js';
import { selectAdapter } from './adapters/index.js';
import type { Capture, ParsedPage } from '../types.js';

export type HtmlBackend = 'htmlparser2' | 'parse5';

export interface ParseOptions {
  /** htmlparser2 is the default: several times faster on large pages, same posts (see bench/). */
  backend?: HtmlBackend;
}

/** The capture facts parsing needs; no I/O happens past this point. */
export type ParseInput = Pick<Capture, 'source' | 'bytes' | 'capturedAt' | 'url' | 'contentType'>;

/**
 * Parse one capture into its page and posts. Pure: bytes and capture facts in, ParsedPage
 * out; no I/O and no clock (the capture time is given).
 */
export function parsePage(capture: ParseInput, options: ParseOptions = {}): ParsedPage {
  const { html, encoding } = decodeHtml(capture.bytes, capture.source, capture.contentType);
  const warnings: string[] = [];
  const $ = (options.backend ?? 'htmlparser2') === 'parse5'
    ? load(html)
    : load(html, { xml: { xmlMode: false, decodeEntities: true, lowerCaseAttributeNames: true } });
  if (!/<\/html\s*>|<\/body\s*>/i.test(html.slice(-65_536))) {
    warnings.push('page looks truncated (no closing </body> or </html>); parsed what is there');
  }

  const meta = readMeta($);
  const urls = statedUrls($, html, meta);
  const chosen = capture.url ?? urls.canonical ?? urls.ogUrl ?? urls.savedFrom;
  const url = chosen ? normalizePageUrl(chosen) : null;
  const host = hostOf(url);
  const jsonld = readJsonLd($, warnings);
  const pageMeta = readPageMeta($, meta, jsonld, host);

  const ctx: PageContext = {
    $, url, host, meta, jsonld, warnings,
    time: { capturedAt: capture.capturedAt, timeZone: null, warnings },
  };
  const adapter = selectAdapter((a) => a.matches(ctx), capture.capturedAt);
  ctx.time.timeZone = normalizeZone(adapter.timeZone)
    ?? zoneFromHost(host)
    ?? offsetOf(meta.get('article:published_time') ?? (pageMeta.mainLd?.['datePublished'] as string | undefined));

  const result = adapter.extract(ctx);
  const posts = result.structuredData === 'merge' ? reconcile(result.posts, structuredPosts(ctx)) : result.posts;
  if (result.kind === 'liveblog' && posts.length === 0) warnings.push('live blog with no posts found');
  if (!url) warnings.push('no page URL in the page (canonical, og:url or saved-from); pass --url');

  return {
    url,
    canonicalUrl: urls.canonical,
    savedFromUrl: urls.savedFrom,
    publisher: pageMeta.publisher,
    title: pageMeta.title,
    headline: result.headline ?? pageMeta.headline,
    language: pageMeta.language,
    kind: result.kind,
    keyPoints: result.keyPoints ?? [],
    coverageStart: timeIn(ctx, pageMeta.coverageStart),
    coverageEnd: timeIn(ctx, pageMeta.coverageEnd),
    authors: pageMeta.authors,
    posts,
    pageLinks: result.pageLinks ?? [],
    warnings: [...new Set(warnings)],
    adapter: { id: adapter.id, version: adapter.version },
    encoding,
  };
}
