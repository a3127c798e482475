import { snapshotWarnings } from '../parse/capture-time.js';
import { mergePages } from '../parse/merge.js';
import { parsePage, type ParseOptions } from '../parse/index.js';
import type { Capture, ParsedPage } from '../types.js';
import { LockedError } from '../errors.js';
import { archiveError, type Archive } from './archive.js';
import { sql, type Db } from './db.js';
import { PARSER_VERSION, pageFields, pageLock, writePosts, type KeptIds } from './ingest.js';
import { Q, type PageRow, type SnapshotRow } from './queries.js';
import { findPage } from './read.js';
import { readRawParts } from './raw.js';

export interface ReparseResult {
  page: string;
  snapshots: number;
  /** Why the page was left as it was, when it was. */
  skipped: string | null;
  posts: number;
  versions: number;
  adapters: string[];
}

type FullSnapshot = SnapshotRow & { captured_at_source: Capture['capturedAtSource']; requested_url: string | null; final_url: string | null; http_status: number | null; http_headers: string | null; fetch_ms: number | null };

const versionsOf = 'SELECT v.id FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.page_id = ?';

const R = {
  oldIds: sql(`SELECT p.post_key, p.id AS post_id, v.id AS version_id, v.content_hash, v.first_snapshot_id
      FROM posts p LEFT JOIN post_versions v ON v.post_id = p.id WHERE p.page_id = ? ORDER BY v.id`),
  rawCount: sql(`SELECT COUNT(*) AS n FROM snapshots s WHERE s.page_id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_raw r WHERE r.snapshot_id = s.id)`),
  clear: [
    sql(`DELETE FROM snapshot_posts WHERE snapshot_id IN (SELECT id FROM snapshots WHERE page_id = ?)`),
    // Before the versions, contributors and media go: SQLite's index reads the text it removes from them.
    sql({ sqlite: `DELETE FROM post_search WHERE rowid IN (${versionsOf})`, postgres: `DELETE FROM post_search WHERE version_id IN (${versionsOf})` }),
    sql(`DELETE FROM post_version_contributors WHERE post_version_id IN (${versionsOf})`),
    sql(`DELETE FROM post_version_media WHERE post_version_id IN (${versionsOf})`),
    sql(`UPDATE posts SET latest_version_id = NULL, first_seen_snapshot_id = NULL, last_seen_snapshot_id = NULL, removed_at_snapshot_id = NULL WHERE page_id = ?`),
    sql(`DELETE FROM post_versions WHERE post_id IN (SELECT id FROM posts WHERE page_id = ?)`),
    sql(`DELETE FROM posts WHERE page_id = ?`),
  ],
  updateSnapshot: sql(`UPDATE snapshots SET adapter_id = @adapter_id, adapter_version = @adapter_version, parser_version = @parser_version,
      kind = @kind, title = @title, headline = @headline, key_points = @key_points, post_count = @post_count, warnings = @warnings,
      page_links = @page_links, encoding = @encoding WHERE id = @id`),
  retime: sql(`UPDATE snapshots SET captured_at = @captured_at, captured_at_source = 'option' WHERE id = @id`),
  pagePosts: sql(`SELECT COUNT(DISTINCT p.id) AS posts, COUNT(v.id) AS versions FROM posts p LEFT JOIN post_versions v ON v.post_id = p.id WHERE p.page_id = ?`),
  dropOrphans: [
    sql(`DELETE FROM contributors WHERE id NOT IN (SELECT contributor_id FROM post_version_contributors)`),
    sql(`DELETE FROM media WHERE id NOT IN (SELECT media_id FROM post_version_media)`),
  ],
};

/** The ids of a page's posts and versions as they are now, to be given again as it is rebuilt. */
async function keptIds(db: Db, pageId: number): Promise<KeptIds> {
  const rows = await db.all<{ post_key: string; post_id: number; version_id: number | null; content_hash: string | null; first_snapshot_id: number | null }>(R.oldIds, [pageId]);
  const posts = new Map(rows.map((r) => [r.post_key, r.post_id]));
  const byContent = new Map<string, number>();
  const byFirst = new Map<string, number[]>();
  for (const r of rows) {
    if (r.version_id === null) continue;
    byContent.set(`${r.post_key}\n${r.content_hash}`, r.version_id);
    const first = `${r.post_key}\n${r.first_snapshot_id}`;
    const list = byFirst.get(first);
    if (list) list.push(r.version_id);
    else byFirst.set(first, [r.version_id]);
  }
  const given = new Set<number>();
  const give = (id: number | undefined): number | undefined => {
    if (id === undefined || given.has(id)) return undefined;
    given.add(id);
    return id;
  };
  return {
    post: (key) => posts.get(key),
    version: (key, hash, first) => give(byContent.get(`${key}\n${hash}`)) ?? give(byFirst.get(`${key}\n${first}`)?.find((id) => !given.has(id))),
  };
}

/** A snapshot's stored bytes as the captures they were, ready to parse again. */
async function capturesOf(archive: Archive, s: FullSnapshot, pageUrl: string): Promise<Capture[]> {
  return (await readRawParts(archive, s.id)).map((r) => ({
    source: s.source, origin: s.origin as Capture['origin'], bytes: r.bytes,
    capturedAt: new Date(s.captured_at), capturedAtSource: s.captured_at_source,
    // The archived page keeps its identity, whatever the newer parser reads from the page.
    ...(r.part === 0 ? { url: pageUrl } : {}),
    ...(r.contentType ? { contentType: r.contentType } : {}),
    ...(s.final_url && r.part === 0 ? { fetch: { requestedUrl: s.requested_url ?? s.final_url, finalUrl: s.final_url, status: s.http_status ?? 200, headers: JSON.parse(s.http_headers ?? '{}') as Record<string, string>, durationMs: s.fetch_ms ?? 0 } } : {}),
  }));
}

/** A snapshot given another capture time (`retime`), written with the page rebuilt around it. */
export interface NewTime {
  snapshotId: number;
  capturedAt: string;
}

/** A page rebuilt; with a new time, the warnings of the snapshot given it, as the ingest line names them. */
export type Rebuilt = ReparseResult & { retimedWarnings?: string[] };

/**
 * Parse every snapshot of a page from its stored bytes and rebuild its posts and versions in one
 * transaction; with `retime`, at one snapshot's new capture time, which anchors the page's
 * relative times and its place among the page's captures.
 */
export async function reparsePage(archive: Archive, page: PageRow, options: ParseOptions, retime?: NewTime): Promise<Rebuilt> {
  for (let attempt = 0; ; attempt++) {
    const result = await tryReparsePage(archive, page, options, retime);
    // Another process added a snapshot while this one was parsing: parse again with it.
    if (result !== 'changed') return result;
    if (attempt >= 3) throw new LockedError(archive.path, `${page.url} keeps getting new snapshots; reparse it later`);
  }
}

/** The page's snapshots in capture order, one of them at its new time. */
function withNewTime(snapshots: FullSnapshot[], retime: NewTime | undefined): FullSnapshot[] {
  if (!retime) return snapshots;
  return snapshots.map((s) => (s.id === retime.snapshotId ? { ...s, captured_at: retime.capturedAt, captured_at_source: 'option' as const } : s))
    .sort((a, b) => (a.captured_at < b.captured_at ? -1 : a.captured_at > b.captured_at ? 1 : a.id - b.id));
}

async function tryReparsePage(archive: Archive, page: PageRow, options: ParseOptions, retime: NewTime | undefined): Promise<Rebuilt | 'changed'> {
  const stored = await archive.db.all<FullSnapshot>(Q.pageSnapshots, [page.id]);
  const ids = stored.map((s) => s.id).join();
  const snapshots = withNewTime(stored, retime);
  const missing = (await archive.db.get<{ n: number }>(R.rawCount, [page.id]))!.n;
  const skipped = missing > 0 ? `${missing} of ${snapshots.length} snapshots were archived without their bytes (--no-raw)` : null;
  // Parse everything first: a page that no longer parses leaves the archive untouched.
  const parsed: Array<[FullSnapshot, ParsedPage]> = [];
  if (!skipped) for (const s of snapshots) parsed.push([s, mergePages((await capturesOf(archive, s, page.url)).map((c) => parsePage(c, options)))]);
  else if (!retime) return { page: page.url, snapshots: snapshots.length, skipped, posts: 0, versions: 0, adapters: [] };
  // The page's lock: an ingest of the same page on another machine waits, and is waited for.
  const written = await archive.db.transaction(async (db) => {
    if ((await db.all<{ id: number }>(Q.pageSnapshots, [page.id])).map((s) => s.id).join() !== ids) return false;
    if (retime) await db.run(R.retime, { id: retime.snapshotId, captured_at: retime.capturedAt });
    // Without the bytes, the posts cannot be read again: only their order in time follows the new time.
    if (skipped) {
      for (const stmt of [Q.renumberVersions, Q.recomputePosts, Q.recomputeRemoved]) await db.run(stmt, [page.id]);
      return true;
    }
    const kept = await keptIds(db, page.id);
    for (const stmt of R.clear) await db.run(stmt, [page.id]);
    for (const [s, p] of parsed) {
      await db.run(R.updateSnapshot, {
        id: s.id, adapter_id: p.adapter.id, adapter_version: p.adapter.version, parser_version: PARSER_VERSION, kind: p.kind,
        title: p.title, headline: p.headline, key_points: JSON.stringify(p.keyPoints), post_count: p.posts.length,
        warnings: JSON.stringify(snapshotWarnings(p.warnings)), page_links: JSON.stringify(p.pageLinks), encoding: p.encoding,
      });
      await writePosts(db, page.id, s.id, s.captured_at, p.posts, kept);
    }
    const latest = parsed.at(-1);
    if (latest) await db.run(Q.updatePage, { ...pageFields(latest[1], page.url), id: page.id });
    for (const stmt of R.dropOrphans) await db.run(stmt);
    return true;
  }, { lock: pageLock(page.url) });
  if (!written) return 'changed';
  const counts = (await archive.db.get<{ posts: number; versions: number }>(R.pagePosts, [page.id]))!;
  const retimed = retime && parsed.find(([s]) => s.id === retime.snapshotId)?.[1];
  return {
    page: page.url, snapshots: snapshots.length, skipped, posts: counts.posts, versions: counts.versions, adapters: [...new Set(parsed.map(([, p]) => `${p.adapter.id}@${p.adapter.version}`))],
    ...(retimed ? { retimedWarnings: snapshotWarnings(retimed.warnings, retime.snapshotId) } : {}),
  };
}

/**
 * Run the current adapters over the stored bytes of every snapshot (of one page, or all),
 * without any network, and rebuild posts and versions from them — after an adapter fix. One
 * transaction per page.
 */
export async function* reparse(archive: Archive, options: ParseOptions & { page?: string } = {}): AsyncIterable<ReparseResult> {
  const pages = options.page ? [await findPage(archive, options.page)] : await archive.db.all<PageRow>(Q.allPages, { f_page: null, f_publisher: null, f_kind: null });
  for (const page of pages) {
    try {
      yield await reparsePage(archive, page, options);
    } catch (err) {
      throw archiveError(archive.path, err);
    }
  }
}
