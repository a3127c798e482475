import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { diffSnapshots, markDiff, pickSnapshot } from '../diff.js';
import { LiveArchiveError, UsageError } from '../errors.js';
import { parseFilters } from '../filter-input.js';
import type { Archive } from '../store/archive.js';
import { findPage, gather, iteratePages, listPages, pageSnapshots, postVersionsOf, snapshotPosts, type PostRecord } from '../store/read.js';
import { postHistory } from '../store/research.js';
import { searchPosts } from '../store/search.js';
import { bucketActivity } from './chart.js';
import { pageResponse, rowsResponse, type DataFormat } from './exports.js';
import { html, layout, zoneParam, type ViewState } from './html.js';
import { changesView, historyView } from './views/changes.js';
import { liveBlogView } from './views/page.js';
import { pagesView, selectPages, type PagesQuery } from './views/pages.js';
import { searchView, type LocatedHit, type SearchQuery } from './views/search.js';
import { activityOf, whenView } from './views/when.js';

const STYLE = readFileSync(new URL('./static/style.css', import.meta.url), 'utf8');

/**
 * Only this server's own stylesheet; no script may run (javascript: links included), nothing
 * is loaded from the archived pages' hosts, forms post only here, and no one may frame it.
 */
const CSP = {
  defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'"], formAction: ["'self'"],
  baseUri: ["'none'"], frameAncestors: ["'none'"],
};

function dataFormat(value: string | undefined): DataFormat | null {
  if (value === undefined || value === '') return null;
  if (value === 'json' || value === 'csv') return value;
  throw new UsageError(`format wants json or csv (got "${value}")`);
}

/** Posts already read, as the lazily read posts of a page record. */
async function* list(posts: PostRecord[]): AsyncIterable<PostRecord> {
  yield* posts;
}

function statusOf(err: LiveArchiveError): 400 | 404 | 500 {
  return err.code === 'E_USAGE' ? 400 : err.code === 'E_INPUT' ? 404 : 500;
}

/**
 * The read-only web view of an archive: pages, a live blog at any capture, what changed,
 * when, search, and each view's data as JSON or CSV. Every response is server-rendered HTML
 * that works without JavaScript.
 */
export interface AppOptions {
  /** The archive's name in the header. */
  name: string;
  /** Where internal errors are reported (the server's stderr). */
  log: (line: string) => void;
  /** The generatedAt of exported documents (tests fix it). */
  now?: () => Date;
  /**
   * Set when listening on this machine only: then requests must name this machine in their Host
   * header. A web page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and
   * read what its script fetches from that name; the Host it sends gives it away.
   */
  loopbackOnly?: boolean;
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export function createApp(archive: Archive, { name, log, now = () => new Date(), loopbackOnly = false }: AppOptions): Hono {
  const app = new Hono();
  if (loopbackOnly) {
    app.use('*', async (c, next) => {
      if (!LOOPBACK_HOST.test(c.req.header('host') ?? '')) return c.text('This server answers only requests addressed to this machine (localhost, 127.0.0.1 or [::1]).', 403);
      return next();
    });
  }
  app.use('*', secureHeaders({ contentSecurityPolicy: CSP, crossOriginEmbedderPolicy: false, strictTransportSecurity: false, xFrameOptions: 'DENY' }));
  const state = (c: Context): ViewState => ({ tz: zoneParam(c.req.query('tz')), archive: name });
  const pageUrl = (c: Context): string => c.req.param('url') ?? '';

  app.get('/static/style.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));

  // Browsers ask for it on their own; there is none.
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/', async (c) => {
    const q: PagesQuery = c.req.query();
    const format = dataFormat(c.req.query('format'));
    const pages = await listPages(archive);
    if (format) return rowsResponse(selectPages(pages, q) as unknown as Array<Record<string, unknown>>, format, 'pages');
    return c.html(pagesView(state(c), pages, q));
  });

  app.get('/page/:url', async (c) => {
    const url = pageUrl(c);
    const snapshots = await pageSnapshots(archive, url);
    const at = c.req.query('at');
    const current = at ? pickSnapshot(snapshots, at, url, 'at') : snapshots.at(-1)!;
    const posts = await snapshotPosts(archive, current.id);
    const format = dataFormat(c.req.query('format'));
    if (format) {
      const [page] = await gather(await iteratePages(archive, { page: url }));
      const asCaptured = page!.snapshots.filter((s) => s.capturedAt === current.captured_at && s.sha256 === current.sha256);
      return pageResponse({ ...page!, snapshots: asCaptured, posts: list(posts) }, format, now());
    }
    return c.html(liveBlogView(state(c), await findPage(archive, url), snapshots, current, posts));
  });

  app.get('/page/:url/changes', async (c) => {
    const url = pageUrl(c);
    const snapshots = await pageSnapshots(archive, url);
    const toParam = c.req.query('to');
    const fromParam = c.req.query('from');
    const to = toParam ? pickSnapshot(snapshots, toParam, url, 'to') : snapshots.at(-1)!;
    const from = fromParam ? pickSnapshot(snapshots, fromParam, url, 'from') : snapshots[snapshots.findIndex((s) => s.id === to.id) - 1];
    const diff = from ? await diffSnapshots(archive, url, { from: String(from.id), to: String(to.id) }) : null;
    const format = dataFormat(c.req.query('format'));
    if (format) {
      const rows = (diff?.changes ?? []).map((ch) => ({
        page: diff!.page, from: diff!.from.capturedAt, to: diff!.to.capturedAt, ...ch,
        ...(format === 'csv' && ch.headlineDiff ? { headlineDiff: markDiff(ch.headlineDiff), bodyDiff: markDiff(ch.bodyDiff ?? []) } : {}),
      }));
      return rowsResponse(rows, format, 'changes');
    }
    return c.html(changesView(state(c), { page: await findPage(archive, url), snapshots, from: from ?? to, to, diff }));
  });

  app.get('/page/:url/post/:id', async (c) => {
    const url = pageUrl(c);
    const id = c.req.param('id');
    const versions = await postVersionsOf(archive, url, id);
    const format = dataFormat(c.req.query('format'));
    if (format) return rowsResponse(versions.map((v) => ({ page: url, id, ...v, mediaCount: v.media.length })) as unknown as Array<Record<string, unknown>>, format, 'history');
    const removedAt = (await postHistory(archive, id, url))[0]?.removedAt ?? null;
    return c.html(historyView(state(c), await findPage(archive, url), id, versions, removedAt));
  });

  app.get('/page/:url/when', async (c) => {
    const url = pageUrl(c);
    const [page] = await gather(await iteratePages(archive, { page: url, history: true }));
    const activity = activityOf(page!, await gather(page!.posts));
    const s = state(c);
    const format = dataFormat(c.req.query('format'));
    if (format) return rowsResponse(bucketActivity(activity, s.tz).buckets as unknown as Array<Record<string, unknown>>, format, 'when');
    return c.html(whenView(s, await findPage(archive, url), activity));
  });

  app.get('/search', async (c) => {
    const q: SearchQuery = c.req.query();
    const s = state(c);
    if (!q.q?.trim()) return c.html(searchView(s, archive.backend, q, null, null));
    let hits: LocatedHit[];
    try {
      const kind = q.kind || undefined;
      if (kind && !['liveblog', 'article', 'unknown'].includes(kind)) throw new UsageError(`kind wants liveblog, article or unknown (got "${kind}")`);
      const limit = q.limit ? Number(q.limit) : 20;
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`limit wants a positive whole number (got "${q.limit}")`);
      const filters = parseFilters({ ...q, kind: kind as 'liveblog' | undefined, tz: s.tz }, (n) => n);
      const titles = new Map((await listPages(archive)).map((p) => [p.url, p.title]));
      hits = [];
      for (const h of await searchPosts(archive, q.q, { ...filters, limit, allVersions: !!q.all })) {
        const at = (await postHistory(archive, h.id, h.page)).find((v) => v.version === h.version)!.lastSeenAt;
        hits.push({ ...h, at, pageTitle: titles.get(h.page) ?? null });
      }
    } catch (err) {
      if (!(err instanceof LiveArchiveError) || err.code !== 'E_USAGE') throw err;
      return c.html(searchView(s, archive.backend, q, null, err.message), 400);
    }
    const format = dataFormat(c.req.query('format'));
    if (format) return rowsResponse(hits as unknown as Array<Record<string, unknown>>, format, 'search');
    return c.html(searchView(s, archive.backend, q, hits, null));
  });

  // Read-only: nothing here changes the archive, so nothing but GET (and HEAD) is answered.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', (c) => c.text('livearchive serve is read-only\n', 405, { allow: 'GET, HEAD' }));

  app.notFound((c) => c.html(layout({ tz: 'UTC', archive: name }, 'Not found', html`<h1>Not found</h1><p>No such view. <a href="/">All pages</a></p>`), 404));

  app.onError((err, c) => {
    const known = err instanceof LiveArchiveError;
    const status = known ? statusOf(err) : 500;
    const message = known ? `${err.subject ? `${err.subject}: ` : ''}${err.message}` : 'internal error (a bug: please report it, with the URL you opened)';
    if (!known) log(`livearchive serve: internal error on ${c.req.path}: ${(err as Error).stack ?? String(err)}`);
    return c.html(layout({ tz: 'UTC', archive: name }, status === 404 ? 'Not found' : 'Error', html`<h1>${status === 404 ? 'Not found' : 'Cannot show this'}</h1>
<p class="error" role="alert">${message}</p><p><a href="/">All pages</a></p>`), status);
  });
  return app;
}
