import { captureTimeWarning } from './capture-time.js';
import { readMeta, timeIn, type PageContext } from './context.js';
import { decodeHtml } from './decode.js';
import { loadDocument, type HtmlBackend } from './document.js';
import { InputError } from '../errors.js';
import { readJsonLd } from './jsonld.js';
import { publisherName, readPageMeta, statedUrls, statedZone, zoneFromHost, zoneFromLocale } from './page.js';
import { hostOf, normalizePageUrl } from './url.js';
import { readMarkupItems } from './microdata.js';
import { withoutPublisher } from './people.js';
import { reconcile } from './reconcile.js';
import { structuredUpdates } from './structured.js';
import { normalizeZone, resolveTime } from './time.js';
import { adapterById, selectAdapter } from './adapters/index.js';
import type { Capture, ParsedPage } from '../types.js';

export type { HtmlBackend };

export interface ParseOptions {
  /**
   * Default: htmlparser2 for pages that declare HTML5 (several times faster on large pages, same
   * posts; see bench/), parse5 for legacy pages without that doctype, whose unclosed <p>, <td>
   * and <li> only HTML's own error recovery nests right.
   */
  backend?: HtmlBackend;
  /** Use this adapter (by id) instead of choosing one: to compare an adapter with generic. */
  adapter?: string;
}

/** The capture facts parsing needs; no I/O happens past this point. */
export type ParseInput = Pick<Capture, 'source' | 'bytes' | 'capturedAt' | 'url' | 'contentType' | 'fetch' | 'targetUrl'>;

/**
 * Parse one capture into its page and posts. Pure: bytes and capture facts in, ParsedPage
 * out; no I/O and no clock (the capture time is given).
 */
export function parsePage(capture: ParseInput, options: ParseOptions = {}): ParsedPage {
  const data = pageData(capture.bytes);
  const { html, encoding } = data === null ? decodeHtml(capture.bytes, capture.source, capture.contentType) : { html: '', encoding: 'UTF-8' };
  const warnings: string[] = [];
  const backend = options.backend ?? (/^\s*(?:<!--[\s\S]*?-->\s*)*<!doctype html\s*>/i.test(html.slice(0, 4096)) ? 'htmlparser2' : 'parse5');
  const { $, depthWarning } = loadDocument(html, backend);
  if (depthWarning) warnings.push(depthWarning);
  if (data === null && !/<\/html\s*>|<\/body\s*>/i.test(html.slice(-65_536))) {
    warnings.push('page looks truncated (no closing </body> or </html>); parsed what is there');
  }

  const meta = readMeta($);
  const urls = statedUrls($, html, meta);
  const dataUrl = data !== null ? dataPageUrl(data) : null;
  const chosen = capture.url ?? urls.canonical ?? urls.ogUrl ?? urls.savedFrom ?? dataUrl ?? capture.targetUrl ?? capture.fetch?.finalUrl;
  const url = chosen ? normalizePageUrl(chosen) : null;
  const host = hostOf(url);
  const jsonld = readJsonLd($, warnings);
  const markup = readMarkupItems($);
  // The page's own facts from its structured data in whichever syntax it wrote them.
  const pageMeta = readPageMeta($, meta, [...jsonld, ...markup.map((m) => m.node)], host);

  const ctx: PageContext = {
    $, url, host, meta, jsonld, markup, data, warnings,
    time: { capturedAt: capture.capturedAt, timeZone: null, warnings },
  };
  let adapter = options.adapter ? adapterById(options.adapter, capture.capturedAt) : selectAdapter((a) => a.matches(ctx), capture.capturedAt);
  if (data !== null && adapter.id === 'generic') {
    throw new InputError(capture.source, 'JSON that is not page data livearchive knows (expected an HTML page)');
  }
  // A page's zone: the publisher's, one the page states ("All times ET"), or its country's. Not
  // the offset of some timestamp on it: CMSs write UTC, and one offset is wrong across DST.
  ctx.time.timeZone = normalizeZone(adapter.timeZone) ?? statedZone(html) ?? zoneFromHost(host) ?? zoneFromLocale($, meta, jsonld);

  const modified = lastModified(meta, pageMeta.mainLd);
  if (modified) ctx.time.clockReference = modified;
  let result = adapter.extract(ctx);
  // A publisher's new layout can still look like its old one to matches() and yield nothing:
  // the generic reader then saves the capture from being archived empty.
  if (!options.adapter && adapter.id !== 'generic' && result.posts.length === 0) {
    const generic = adapterById('generic', capture.capturedAt);
    const fallback = generic.extract(ctx);
    if (fallback.posts.length > 0) {
      warnings.push(`${adapter.id}@${adapter.version} matched the page but found no posts; read with generic`);
      adapter = generic;
      result = fallback;
    }
  }
  const posts = result.structuredData === 'merge' ? reconcile(ctx, result.posts, structuredUpdates(ctx), result.located) : result.posts;
  if (result.kind === 'liveblog' && posts.length === 0) warnings.push('live blog with no posts found');
  // Said once per page, so a nightly run shows which pages' times the parser could not place.
  const untimed = posts.filter((p) => p.publishedAt === null && p.updatedAt === null).length;
  if (result.kind === 'liveblog' && untimed > 0) warnings.push(`${untimed} of ${posts.length} posts have no time`);
  if (!url) warnings.push('no page URL in the page (canonical, og:url or saved-from); pass --url');
  // A page cannot show a post from after it was captured: the capture time is wrong (a file
  // copied later, a date given without its time), and with it every "5 min ago" read from it.
  const newest = posts.flatMap((p) => [p.publishedAt, p.updatedAt]).filter((t): t is string => t !== null).sort().at(-1);
  if (newest && Date.parse(newest) > capture.capturedAt.getTime() + 60_000) {
    warnings.push(captureTimeWarning(capture.capturedAt, newest));
  }
  const page = result.page ?? {};

  const publisher = publisherName(host, page.publisher ?? pageMeta.publisher);
  // In a live blog the publisher signing a post as itself is not a contributor; an article's
  // byline is kept as its structured data states it ("Guardian staff reporter").
  if (result.kind === 'liveblog') for (const p of posts) p.contributors = withoutPublisher(p.contributors, publisher);

  return {
    url,
    canonicalUrl: urls.canonical ?? dataUrl,
    savedFromUrl: urls.savedFrom,
    publisher,
    title: page.title ?? pageMeta.title,
    headline: result.headline ?? page.headline ?? pageMeta.headline,
    language: page.language ?? pageMeta.language,
    kind: result.kind,
    keyPoints: result.keyPoints ?? [],
    coverageStart: timeIn(ctx, page.coverageStart ?? pageMeta.coverageStart),
    coverageEnd: timeIn(ctx, page.coverageEnd ?? pageMeta.coverageEnd),
    authors: page.authors ?? pageMeta.authors,
    posts,
    pageLinks: result.pageLinks ?? [],
    warnings: [...new Set(warnings)],
    adapter: { id: adapter.id, version: adapter.version },
    encoding,
  };
}

/** When the page says it last changed (structured data or meta), as an absolute time. */
function lastModified(meta: Map<string, string>, mainLd: Record<string, unknown> | undefined): Date | null {
  const raw = [mainLd?.['dateModified'], meta.get('article:modified_time'), meta.get('og:updated_time'), mainLd?.['datePublished']]
    .find((v): v is string => typeof v === 'string' && /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*(?:Z|[+-]\d{2}:?\d{2})$/.test(v.trim()));
  // Read like every stated time (Date.parse would turn "2025-02-30" into March 2).
  const iso = raw ? resolveTime(raw, { capturedAt: new Date(0), timeZone: 'UTC', warnings: [] }) : null;
  // A minute of slack: the page's own last post may carry that very minute.
  return iso ? new Date(Date.parse(iso) + 60_000) : null;
}

/** JSON page data (a publisher's render payload) instead of HTML: parsed, or null for anything else. */
function pageData(bytes: Buffer): unknown {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] !== 0x7b) return null;
  try {
    return JSON.parse(bytes.subarray(i).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function dataPageUrl(data: unknown): string | null {
  const d = data as Record<string, unknown>;
  for (const key of ['webURL', 'url', 'canonicalUrl']) if (typeof d[key] === 'string' && /^https?:/.test(d[key])) return d[key];
  return null;
}
