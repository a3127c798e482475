import type { Database, Statement } from 'better-sqlite3';
import { mergePages } from '../parse/merge.js';
import { parsePage, type ParseOptions } from '../parse/index.js';
import type { Capture, ParsedPage } from '../types.js';
import { LockedError } from '../errors.js';
import { archiveError, type Archive } from './archive.js';
import { PARSER_VERSION, writePosts, pageFields } from './ingest.js';
import type { PageRow, SnapshotRow } from './queries.js';
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

class ReparseQueries {
  readonly rawCount: Statement<[number], { n: number }>;
  readonly clear: Statement<[number]>[];
  readonly updateSnapshot: Statement<Record<string, unknown>>;
  readonly pagePosts: Statement<[number], { posts: number; versions: number }>;
  readonly dropOrphans: Statement<[]>[];

  constructor(db: Database) {
    this.rawCount = db.prepare(`SELECT COUNT(*) AS n FROM snapshots s WHERE s.page_id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_raw r WHERE r.snapshot_id = s.id)`);
    const versionsOf = 'SELECT v.id FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.page_id = ?';
    this.clear = [
      db.prepare(`DELETE FROM snapshot_posts WHERE snapshot_id IN (SELECT id FROM snapshots WHERE page_id = ?)`),
      // Before the versions, contributors and media go: the index reads the text it removes from them.
      db.prepare(`DELETE FROM post_search WHERE rowid IN (${versionsOf})`),
      db.prepare(`DELETE FROM post_version_contributors WHERE post_version_id IN (${versionsOf})`),
      db.prepare(`DELETE FROM post_version_media WHERE post_version_id IN (${versionsOf})`),
      db.prepare(`UPDATE posts SET latest_version_id = NULL, first_seen_snapshot_id = NULL, last_seen_snapshot_id = NULL, removed_at_snapshot_id = NULL WHERE page_id = ?`),
      db.prepare(`DELETE FROM post_versions WHERE post_id IN (SELECT id FROM posts WHERE page_id = ?)`),
      db.prepare(`DELETE FROM posts WHERE page_id = ?`),
    ];
    this.updateSnapshot = db.prepare(`UPDATE snapshots SET adapter_id = @adapter_id, adapter_version = @adapter_version, parser_version = @parser_version,
      kind = @kind, title = @title, headline = @headline, key_points = @key_points, post_count = @post_count, warnings = @warnings,
      page_links = @page_links, encoding = @encoding WHERE id = @id`);
    this.pagePosts = db.prepare(`SELECT COUNT(DISTINCT p.id) AS posts, COUNT(v.id) AS versions FROM posts p LEFT JOIN post_versions v ON v.post_id = p.id WHERE p.page_id = ?`);
    this.dropOrphans = [
      db.prepare(`DELETE FROM contributors WHERE id NOT IN (SELECT contributor_id FROM post_version_contributors)`),
      db.prepare(`DELETE FROM media WHERE id NOT IN (SELECT media_id FROM post_version_media)`),
    ];
  }
}

/** A snapshot's stored bytes as the captures they were, ready to parse again. */
function capturesOf(archive: Archive, s: FullSnapshot, pageUrl: string): Capture[] {
  return readRawParts(archive, s.id).map((r) => ({
    source: s.source, origin: s.origin as Capture['origin'], bytes: r.bytes,
    capturedAt: new Date(s.captured_at), capturedAtSource: s.captured_at_source,
    // The archived page keeps its identity, whatever the newer parser reads from the page.
    ...(r.part === 0 ? { url: pageUrl } : {}),
    ...(r.contentType ? { contentType: r.contentType } : {}),
    ...(s.final_url && r.part === 0 ? { fetch: { requestedUrl: s.requested_url ?? s.final_url, finalUrl: s.final_url, status: s.http_status ?? 200, headers: JSON.parse(s.http_headers ?? '{}') as Record<string, string>, durationMs: s.fetch_ms ?? 0 } } : {}),
  }));
}

function reparsePage(archive: Archive, q: ReparseQueries, page: PageRow, options: ParseOptions): ReparseResult {
  for (let attempt = 0; ; attempt++) {
    const result = tryReparsePage(archive, q, page, options);
    // Another process added a snapshot while this one was parsing: parse again with it.
    if (result !== 'changed') return result;
    if (attempt >= 3) throw new LockedError(archive.path, `${page.url} keeps getting new snapshots; reparse it later`);
  }
}

function tryReparsePage(archive: Archive, q: ReparseQueries, page: PageRow, options: ParseOptions): ReparseResult | 'changed' {
  const snapshots = archive.q.pageSnapshots.all(page.id) as FullSnapshot[];
  const missing = q.rawCount.get(page.id)!.n;
  if (missing > 0) {
    return { page: page.url, snapshots: snapshots.length, skipped: `${missing} of ${snapshots.length} snapshots were archived without their bytes (--no-raw)`, posts: 0, versions: 0, adapters: [] };
  }
  // Parse everything first: a page that no longer parses leaves the archive untouched.
  const parsed: Array<[FullSnapshot, ParsedPage]> = snapshots.map((s) => [s, mergePages(capturesOf(archive, s, page.url).map((c) => parsePage(c, options)))]);
  const ids = snapshots.map((s) => s.id).join();
  const written = archive.db.transaction(() => {
    if (archive.q.pageSnapshots.all(page.id).map((s) => s.id).join() !== ids) return false;
    for (const stmt of q.clear) stmt.run(page.id);
    for (const [s, p] of parsed) {
      q.updateSnapshot.run({
        id: s.id, adapter_id: p.adapter.id, adapter_version: p.adapter.version, parser_version: PARSER_VERSION, kind: p.kind,
        title: p.title, headline: p.headline, key_points: JSON.stringify(p.keyPoints), post_count: p.posts.length,
        warnings: JSON.stringify(p.warnings), page_links: JSON.stringify(p.pageLinks), encoding: p.encoding,
      });
      writePosts(archive, page.id, s.id, s.captured_at, p.posts);
    }
    const latest = parsed.at(-1);
    if (latest) archive.q.updatePage.run({ ...pageFields(latest[1], page.url), id: page.id });
    for (const stmt of q.dropOrphans) stmt.run();
    return true;
  }).immediate();
  if (!written) return 'changed';
  const counts = q.pagePosts.get(page.id)!;
  return { page: page.url, snapshots: snapshots.length, skipped: null, posts: counts.posts, versions: counts.versions, adapters: [...new Set(parsed.map(([, p]) => `${p.adapter.id}@${p.adapter.version}`))] };
}

/**
 * Run the current adapters over the stored bytes of every snapshot (of one page, or all),
 * without any network, and rebuild posts and versions from them — after an adapter fix. One
 * transaction per page.
 */
export function* reparse(archive: Archive, options: ParseOptions & { page?: string } = {}): Iterable<ReparseResult> {
  const q = new ReparseQueries(archive.db);
  const pages = options.page ? [findPage(archive, options.page)] : archive.q.allPages.all({ f_page: null, f_publisher: null, f_kind: null });
  for (const page of pages) {
    try {
      yield reparsePage(archive, q, page, options);
    } catch (err) {
      throw archiveError(archive.path, err);
    }
  }
}
