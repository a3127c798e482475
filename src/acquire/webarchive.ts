import LinkHeader from 'http-link-header';
import { webUrl } from '../parse/url.js';
import { FetchError, type Fetcher } from './http.js';

import { WAYBACK_CDX } from './endpoints.js';

export { WAYBACK_CDX };

/** One capture a web archive holds of a page. */
export interface ArchivedCapture {
  /** The URL the archive captured, as it names it. */
  original: string;
  /** YYYYMMDDhhmmss, UTC. */
  timestamp: string;
  datetime: Date;
  /** Where its original bytes are replayed: the id_ form (no banner, no rewriting) where the archive has one. */
  replayUrl: string;
  digest: string | null;
  via: 'cdx' | 'timemap';
  /** The CDX endpoint or TimeMap it was listed by. */
  index: string;
}

/**
 * How a web archive is asked, whatever limits the caller's Fetcher keeps: one request at a time,
 * at least a second apart. Archives are shared by everyone and throttle or block clients that
 * hurry (the Wayback Machine's rate limit is some requests per minute).
 */
export const ARCHIVE_LIMITS = { perHost: 1, delayMs: 1000 } as const;

/** Captures in [from, to): to is exclusive. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/**
 * Entries of an index left out because a URL in them is not a web address (http or https, as
 * every URL taken from content must be): counted here by reason, when the caller gives a record.
 */
export type LeftOut = Record<string, number>;

function leaveOut(leftOut: LeftOut | undefined, reason: string): void {
  if (leftOut) leftOut[reason] = (leftOut[reason] ?? 0) + 1;
}

export function toTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function fromTimestamp(ts: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return toTimestamp(d) === ts ? d : null;
}

function inRange(d: Date, range: TimeRange): boolean {
  return (!range.from || d >= range.from) && (!range.to || d < range.to);
}

/**
 * Where a CDX server's captures are replayed. Wayback and OpenWayback serve the index at
 * …/cdx/search/cdx and replay at …/web/; pywb serves a collection's index at /<coll>/cdx (older
 * versions /<coll>-cdx) and replays at /<coll>/. Null when the address follows neither.
 */
export function replayBaseFor(endpoint: string): string | null {
  const u = new URL(endpoint);
  const path = u.pathname;
  const base = path.endsWith('/cdx/search/cdx') ? `${path.slice(0, -'/cdx/search/cdx'.length)}/web/`
    : path.endsWith('/cdx') ? `${path.slice(0, -'cdx'.length)}`
    : path.endsWith('-cdx') ? `${path.slice(0, -'-cdx'.length)}/`
    : null;
  return base === null ? null : `${u.origin}${base}`;
}

/** The page a Wayback-style memento URL (…/<14 digits>[xx_]/<url>) replays, when it is http(s). */
function embeddedOriginal(mementoUrl: string): string | null {
  const m = /\/\d{14}(?:[a-z]{2}_)?\/(https?:.+)$/i.exec(mementoUrl);
  return m ? webUrl(m[1]) : null;
}

/** A memento's URL in the raw replay form (Wayback's and pywb's id_ modifier), when it has the /<14 digits>/ form. */
export function rawReplayUrl(mementoUrl: string): string {
  return mementoUrl.replace(/\/(\d{14})(?:[a-z]{2}_)?\//, '/$1id_/');
}

type CdxRow = Record<string, string>;

/**
 * CDX rows as either server writes output=json: the Wayback/OpenWayback JSON array of arrays
 * whose first row names the fields (then, with showResumeKey, an empty row and the key), or
 * pywb's one JSON object per line. Field names are made Wayback's (pywb says url, mime, status).
 */
function parseCdx(text: string, source: string): { rows: CdxRow[]; resumeKey: string | null } {
  const trimmed = text.trim();
  if (trimmed === '') return { rows: [], resumeKey: null };
  const alias: Record<string, string> = { url: 'original', mime: 'mimetype', status: 'statuscode' };
  const named = (o: Record<string, unknown>): CdxRow => Object.fromEntries(Object.entries(o).map(([k, v]) => [alias[k] ?? k, String(v)]));
  try {
    if (trimmed.startsWith('[')) {
      const table = JSON.parse(trimmed) as unknown[][];
      if (table.length === 0) return { rows: [], resumeKey: null };
      const header = table[0]!.map(String);
      const gap = table.findIndex((r, i) => i > 0 && Array.isArray(r) && r.length === 0);
      const body = gap > 0 ? table.slice(1, gap) : table.slice(1);
      const resumeKey = gap > 0 && Array.isArray(table[gap + 1]) ? String((table[gap + 1] as unknown[])[0]) : null;
      return { rows: body.map((r) => named(Object.fromEntries(header.map((h, i) => [h, (r as unknown[])[i] ?? ''])))), resumeKey };
    }
    return { rows: trimmed.split(/\r?\n/).filter(Boolean).map((l) => named(JSON.parse(l) as Record<string, unknown>)), resumeKey: null };
  } catch (err) {
    throw new FetchError(source, `not a CDX JSON answer (${(err as Error).message})`);
  }
}

/**
 * A page's captures through the CDX server API: exact URL, status 200, adjacent duplicates
 * collapsed by digest, in the time range, following resumption keys. The same rules are applied
 * to the rows again, for servers that ignore a parameter. Oldest first. Asked within
 * ARCHIVE_LIMITS.
 */
export async function listCdxCaptures(client: Fetcher, url: string, options: TimeRange & { endpoint: string; replayBase: string; leftOut?: LeftOut }): Promise<ArchivedCapture[]> {
  const fetcher = client.stricter(ARCHIVE_LIMITS);
  const out: ArchivedCapture[] = [];
  let resumeKey: string | null = null;
  let lastDigest: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const q = new URL(options.endpoint);
    q.searchParams.set('url', url);
    q.searchParams.set('output', 'json');
    q.searchParams.set('filter', 'statuscode:200');
    q.searchParams.set('collapse', 'digest');
    q.searchParams.set('showResumeKey', 'true');
    if (options.from) q.searchParams.set('from', toTimestamp(options.from));
    if (options.to) q.searchParams.set('to', toTimestamp(new Date(options.to.getTime() - 1000)));
    if (resumeKey) q.searchParams.set('resumeKey', resumeKey);
    const { body } = await fetcher.fetchResource(q.href, 'application/json');
    const parsed = parseCdx(body.toString('utf8'), q.href);
    for (const row of parsed.rows) {
      const datetime = fromTimestamp(row['timestamp'] ?? '');
      if (!datetime || !inRange(datetime, options)) continue;
      if (row['statuscode'] && row['statuscode'] !== '200') continue;
      if (/^warc\/revisit$/i.test(row['mimetype'] ?? '')) continue;
      const digest = row['digest'] || null;
      if (digest && digest === lastDigest) continue;
      // An original that is no web address (javascript:, file:) cannot be the page's URL, nor be replayed: the row is left out.
      const original = row['original'] ? webUrl(row['original']) : url;
      if (original === null) {
        leaveOut(options.leftOut, 'original URL not http(s)');
        continue;
      }
      lastDigest = digest;
      out.push({ original, timestamp: row['timestamp']!, datetime, replayUrl: `${options.replayBase}${row['timestamp']}id_/${original}`, digest, via: 'cdx', index: options.endpoint });
    }
    if (!parsed.resumeKey || parsed.resumeKey === resumeKey) break;
    resumeKey = parsed.resumeKey;
  }
  return out.sort((a, b) => a.datetime.getTime() - b.datetime.getTime());
}

/**
 * A page's captures through a Memento TimeMap (RFC 7089, application/link-format): every link
 * whose rel includes "memento", with its datetime; the "original" link names the page. Paged
 * TimeMaps (links rel="timemap" to other pages) are followed, within ARCHIVE_LIMITS. Oldest
 * first. Links whose URL is not http(s) once resolved against the TimeMap are left out (counted
 * in `leftOut`).
 */
export async function listTimeMapCaptures(client: Fetcher, timemapUrl: string, range: TimeRange & { leftOut?: LeftOut } = {}): Promise<ArchivedCapture[]> {
  const fetcher = client.stricter(ARCHIVE_LIMITS);
  const seen = new Set<string>();
  const pages = [timemapUrl];
  const mementos = new Map<string, ArchivedCapture>();
  // The page's URL as the first rel="original" link states it: undefined until one is met, null when it is no web address.
  let original: string | null | undefined;
  // Whether the document had the links of a TimeMap at all, usable or not.
  let timemapLinks = false;
  for (let i = 0; i < pages.length && i < 100; i++) {
    const page = pages[i]!;
    seen.add(page);
    const { body, finalUrl } = await fetcher.fetchResource(page, 'application/link-format');
    let links: LinkHeader;
    try {
      links = LinkHeader.parse(body.toString('utf8').replace(/\r?\n/g, ' '));
    } catch (err) {
      throw new FetchError(page, `not a link-format TimeMap (${(err as Error).message})`);
    }
    const stated = links.rel('original')[0];
    if (original === undefined && stated) {
      original = webUrl(stated.uri, finalUrl);
      if (original === null) leaveOut(range.leftOut, 'original URL not http(s)');
    }
    timemapLinks ||= links.rel('original').length > 0 || links.rel('memento').length > 0;
    for (const ref of links.rel('timemap')) {
      const next = webUrl(ref.uri, finalUrl);
      if (next === null) leaveOut(range.leftOut, 'TimeMap link not http(s)');
      else if (!seen.has(next) && !pages.includes(next)) pages.push(next);
    }
    for (const ref of links.rel('memento')) {
      const datetime = new Date(Date.parse(String(ref['datetime'] ?? '')));
      const uri = webUrl(ref.uri, finalUrl);
      if (uri === null) {
        leaveOut(range.leftOut, 'memento URL not http(s)');
        continue;
      }
      if (Number.isNaN(datetime.getTime()) || !inRange(datetime, range) || mementos.has(uri)) continue;
      mementos.set(uri, { original: original ?? embeddedOriginal(uri) ?? uri, timestamp: toTimestamp(datetime), datetime, replayUrl: rawReplayUrl(uri), digest: null, via: 'timemap', index: timemapUrl });
    }
  }
  if (!timemapLinks) throw new FetchError(timemapUrl, 'not a Memento TimeMap (no rel="original" or rel="memento" links)');
  // The original may come after the first mementos in the document.
  return [...mementos.values()].map((m) => ({ ...m, original: original ?? m.original })).sort((a, b) => a.datetime.getTime() - b.datetime.getTime());
}
