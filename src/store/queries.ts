import { sql, type Dialect } from './db.js';
import { filterSql, pageFilterSql } from './filters.js';

/** Row shapes as stored. */
export interface PageRow {
  id: number;
  url: string;
  canonical_url: string | null;
  publisher: string | null;
  kind: string;
  title: string | null;
  headline: string | null;
  language: string | null;
  key_points: string;
  authors: string;
  coverage_start: string | null;
  coverage_end: string | null;
}

export interface SnapshotRow {
  id: number;
  page_id: number;
  sha256: string;
  captured_at: string;
  source: string;
  origin: string;
  post_count: number;
  adapter_id: string;
  adapter_version: string;
  warnings: string;
  page_links: string;
  /** 0 for a capture that cannot show a post was removed (truncated, or a live blog showing none). */
  complete: number;
}

export interface PostStateRow {
  post_id: number;
  post_key: string;
  url: string | null;
  headline: string | null;
  body_text: string;
  body_html: string;
  published_at: string | null;
  updated_at: string | null;
  display_time: string | null;
  origin: string;
  key_event: number;
  pinned: number;
  version: number;
  version_id: number;
  version_count: number;
  first_seen_at: string | null;
  last_seen_at: string | null;
  removed_at: string | null;
  /** PostgreSQL only: the version's contributors and media, gathered in the same statement (see withCredits). */
  contributors_json?: Array<{ name: string; role: string }>;
  media_json?: Array<Record<string, string | null>>;
}

export interface VersionRow {
  version_id: number;
  version: number;
  url: string | null;
  headline: string | null;
  body_text: string;
  body_html: string;
  published_at: string | null;
  updated_at: string | null;
  origin: string;
  key_event: number;
  first_seen_at: string;
  last_seen_at: string;
}

/**
 * On PostgreSQL, a version's contributors and media as JSON columns of the row that lists it:
 * each statement is a round trip to the server there (two more per post would make an export
 * ten times slower), while SQLite reads them in microseconds with statements of their own.
 */
const withCredits = (d: Dialect): string => (d.backend === 'sqlite' ? '' : `,
  (SELECT COALESCE(json_agg(json_build_object('name', c.name, 'role', x.role) ORDER BY x.position), '[]') FROM post_version_contributors x
    JOIN contributors c ON c.id = x.contributor_id WHERE x.post_version_id = v.id) AS contributors_json,
  (SELECT COALESCE(json_agg(json_build_object('kind', m.kind, 'url', m.url, 'name', m.name, 'alt', m.alt, 'caption', m.caption, 'credit', m.credit,
    'description', m.description, 'duration', m.duration, 'thumbnail', m.thumbnail) ORDER BY x.position), '[]') FROM post_version_media x
    JOIN media m ON m.id = x.media_id WHERE x.post_version_id = v.id) AS media_json`);

/** The latest state of each post of a page; shared by listing and export. */
const latestPosts = (d: Dialect): string => `
  SELECT p.id AS post_id, p.post_key, v.url, v.headline, v.body_text, v.body_html, p.published_at, v.updated_at,
         sp.display_time, v.origin, v.key_event, COALESCE(sp.pinned, 0) AS pinned,
         v.version, v.id AS version_id, p.version_count,
         fs.captured_at AS first_seen_at, ls.captured_at AS last_seen_at, rs.captured_at AS removed_at${withCredits(d)}
  FROM posts p
  JOIN pages g ON g.id = p.page_id
  JOIN post_versions v ON v.id = p.latest_version_id
  JOIN snapshots fs ON fs.id = p.first_seen_snapshot_id
  JOIN snapshots ls ON ls.id = p.last_seen_snapshot_id
  LEFT JOIN snapshots rs ON rs.id = p.removed_at_snapshot_id
  LEFT JOIN snapshot_posts sp ON sp.snapshot_id = p.last_seen_snapshot_id AND sp.post_id = p.id
  WHERE p.page_id = ${d.typed('@page_id', 'bigint')} AND ${filterSql(d)}`;

/** A version's insert; with `id`, under the id given. */
const insertVersion = (id: '' | 'id'): string => {
  const columns = [...(id ? [id] : []), 'post_id', 'version', 'content_hash', 'first_snapshot_id', 'url', 'headline', 'body_text', 'body_html',
    'published_at', 'updated_at', 'origin', 'key_event'];
  return `INSERT INTO post_versions (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) RETURNING id`;
};

/** Every named statement of the archive's reads and writes, for both backends (see db.ts). */
export const Q = {
  snapshotsBySha: sql(`SELECT s.id, s.page_id, p.url, s.captured_at, s.post_count, s.source, s.url_from FROM snapshots s JOIN pages p ON p.id = s.page_id WHERE s.sha256 = ? ORDER BY s.id`),
  snapshotAtOrBefore: sql(`SELECT id, sha256, captured_at FROM snapshots WHERE page_id = ? AND captured_at <= ? ORDER BY captured_at DESC, id DESC LIMIT 1`),
  rawPartBySha: sql(`SELECT s.id, s.sha256, g.url, s.captured_at, s.page_id FROM snapshot_raw r JOIN snapshots s ON s.id = r.snapshot_id JOIN pages g ON g.id = s.page_id
      WHERE r.part = 0 AND r.sha256 = ? ORDER BY s.captured_at DESC LIMIT 1`),
  pageByUrl: sql(`SELECT * FROM pages WHERE url = ?`),
  pageBySource: sql(`SELECT g.* FROM snapshots s JOIN pages g ON g.id = s.page_id
      WHERE s.requested_url = ? OR s.final_url = ? OR s.source = ? ORDER BY s.captured_at DESC LIMIT 1`),
  insertPage: sql(`INSERT INTO pages (url, canonical_url, publisher, kind, title, headline, language, key_points, authors, coverage_start, coverage_end)
      VALUES (@url, @canonical_url, @publisher, @kind, @title, @headline, @language, @key_points, @authors, @coverage_start, @coverage_end) RETURNING id`),
  updatePage: sql(`UPDATE pages SET canonical_url = @canonical_url, publisher = @publisher, kind = @kind, title = @title,
      headline = @headline, language = @language, key_points = @key_points, authors = @authors,
      coverage_start = @coverage_start, coverage_end = @coverage_end WHERE id = @id`),
  // The same capture of a page is stored once, even by writers on several machines at the same
  // moment: a conflict returns no row, and the writer reports the capture unchanged.
  insertSnapshot: sql(`INSERT INTO snapshots (page_id, sha256, captured_at, captured_at_source, source, origin, saved_from_url,
      byte_count, encoding, adapter_id, adapter_version, parser_version, kind, title, headline, key_points, post_count, warnings, page_links, ingested_at,
      url_from, page_count, complete, requested_url, final_url, http_status, http_headers, fetch_ms, provenance, warc_record_id, archive_url)
      VALUES (@page_id, @sha256, @captured_at, @captured_at_source, @source, @origin, @saved_from_url, @byte_count, @encoding,
      @adapter_id, @adapter_version, @parser_version, @kind, @title, @headline, @key_points, @post_count, @warnings, @page_links, @ingested_at,
      @url_from, @page_count, @complete, @requested_url, @final_url, @http_status, @http_headers, @fetch_ms, @provenance, @warc_record_id, @archive_url)
      ON CONFLICT DO NOTHING RETURNING id`),
  latestSnapshotBefore: sql(`SELECT id FROM snapshots WHERE page_id = ? AND (captured_at, id) < (?, ?) ORDER BY captured_at DESC, id DESC LIMIT 1`),
  latestSnapshot: sql(`SELECT * FROM snapshots WHERE page_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1`),
  postByKey: sql(`SELECT id FROM posts WHERE page_id = ? AND post_key = ?`),
  insertPost: sql(`INSERT INTO posts (page_id, post_key) VALUES (?, ?) RETURNING id`),
  // reparse gives a rebuilt post or version the id it had (see KeptIds in ingest.ts).
  insertPostAs: sql(`INSERT INTO posts (id, page_id, post_key) VALUES (?, ?, ?) RETURNING id`),
  versionByHash: sql(`SELECT id FROM post_versions WHERE post_id = ? AND content_hash = ?`),
  nextVersion: sql(`SELECT COALESCE(MAX(version), 0) + 1 AS n FROM post_versions WHERE post_id = ?`),
  // The earliest first-publication time any capture showed for this content.
  notePublishedAt: sql((d) => `UPDATE post_versions SET published_at = ${d.earlier('published_at', '@at')} WHERE id = @id`),
  insertVersion: sql(insertVersion('')),
  insertVersionAs: sql(insertVersion('id')),
  insertSnapshotPost: sql(`INSERT INTO snapshot_posts (snapshot_id, post_id, post_version_id, position, pinned, display_time)
      VALUES (@snapshot_id, @post_id, @post_version_id, @position, @pinned, @display_time) ON CONFLICT DO NOTHING`),
  snapshotPostVersions: sql(`SELECT post_id, post_version_id FROM snapshot_posts WHERE snapshot_id = ?`),
  // Contributors and media are shared by every page: writers of other pages may add the same
  // one at the same time, so an insert that conflicts returns no row and the row is read instead.
  contributorByName: sql(`SELECT id FROM contributors WHERE name = ?`),
  insertContributor: sql(`INSERT INTO contributors (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id`),
  insertVersionContributor: sql(`INSERT INTO post_version_contributors (post_version_id, position, contributor_id, role) VALUES (?, ?, ?, ?)`),
  mediaByHash: sql(`SELECT id FROM media WHERE media_hash = ?`),
  insertMedia: sql(`INSERT INTO media (media_hash, kind, url, name, alt, caption, credit, description, duration, thumbnail)
      VALUES (@media_hash, @kind, @url, @name, @alt, @caption, @credit, @description, @duration, @thumbnail) ON CONFLICT (media_hash) DO NOTHING RETURNING id`),
  insertVersionMedia: sql(`INSERT INTO post_version_media (post_version_id, position, media_id) VALUES (?, ?, ?)`),
  insertCheck: sql(`INSERT INTO http_checks (url, page_id, checked_at, status, outcome, etag, last_modified, snapshot_id, error, provenance)
      VALUES (@url, @page_id, @checked_at, @status, @outcome, @etag, @last_modified, @snapshot_id, @error, @provenance)`),
  lastValidators: sql(`SELECT etag, last_modified FROM http_checks
      WHERE url = ? AND status IN (200, 304) AND (etag IS NOT NULL OR last_modified IS NOT NULL) ORDER BY checked_at DESC, id DESC LIMIT 1`),
  coverageEndBySource: sql(`SELECT g.coverage_end FROM pages g WHERE g.id = COALESCE(
        (SELECT page_id FROM http_checks WHERE url = ? AND page_id IS NOT NULL ORDER BY id DESC LIMIT 1),
        (SELECT page_id FROM snapshots WHERE source = ? ORDER BY captured_at DESC LIMIT 1))`),
  // Indexed from the same view the index reads snippets from, so the two always agree. On
  // PostgreSQL: headline, body, captions and contributors weigh A, B, C, D, in the page's
  // text-search configuration ('simple' unless pages.search_config names another).
  insertSearch: sql({
    sqlite: `INSERT INTO post_search (rowid, headline, body, captions, contributors)
      SELECT id, headline, body, captions, contributors FROM post_search_text WHERE id = ?`,
    postgres: `INSERT INTO post_search (version_id, config, document)
      SELECT t.id, c.config, post_search_document(c.config, t.headline, t.body, t.captions, t.contributors)
      FROM post_search_text t JOIN post_versions v ON v.id = t.id JOIN posts p ON p.id = v.post_id
      CROSS JOIN LATERAL (SELECT COALESCE(g.search_config, 'simple'::regconfig) AS config FROM pages g WHERE g.id = p.page_id) c
      WHERE t.id = ?`,
  }),
  // Versions are numbered by first capture time, which an out-of-order ingest can change.
  renumberVersions: sql(`UPDATE post_versions SET version = r.n, first_snapshot_id = r.first FROM (
        SELECT v.id, ROW_NUMBER() OVER (PARTITION BY v.post_id ORDER BY MIN(s.captured_at), MIN(s.id)) AS n,
               (SELECT sp2.snapshot_id FROM snapshot_posts sp2 JOIN snapshots s2 ON s2.id = sp2.snapshot_id
                WHERE sp2.post_version_id = v.id ORDER BY s2.captured_at, s2.id LIMIT 1) AS first
        FROM post_versions v JOIN snapshot_posts sp ON sp.post_version_id = v.id JOIN snapshots s ON s.id = sp.snapshot_id
        JOIN posts p ON p.id = v.post_id WHERE p.page_id = ? GROUP BY v.id) AS r
      WHERE post_versions.id = r.id`),
  recomputePosts: sql(`UPDATE posts SET
        first_seen_snapshot_id = (SELECT sp.snapshot_id FROM snapshot_posts sp JOIN snapshots s ON s.id = sp.snapshot_id
          WHERE sp.post_id = posts.id ORDER BY s.captured_at, s.id LIMIT 1),
        last_seen_snapshot_id = (SELECT sp.snapshot_id FROM snapshot_posts sp JOIN snapshots s ON s.id = sp.snapshot_id
          WHERE sp.post_id = posts.id ORDER BY s.captured_at DESC, s.id DESC LIMIT 1),
        latest_version_id = (SELECT sp.post_version_id FROM snapshot_posts sp JOIN snapshots s ON s.id = sp.snapshot_id
          WHERE sp.post_id = posts.id ORDER BY s.captured_at DESC, s.id DESC LIMIT 1),
        version_count = (SELECT COUNT(*) FROM post_versions v WHERE v.post_id = posts.id),
        published_at = (SELECT MIN(v.published_at) FROM post_versions v WHERE v.post_id = posts.id)
      WHERE page_id = ?`),
  // Removed at the first later capture that could have shown it: complete, and covering as
  // many pages of the blog as the capture that last showed it.
  recomputeRemoved: sql(`UPDATE posts SET removed_at_snapshot_id = (
        SELECT s.id FROM snapshots s JOIN snapshots l ON l.id = posts.last_seen_snapshot_id
        WHERE s.page_id = posts.page_id AND (s.captured_at, s.id) > (l.captured_at, l.id)
          AND s.complete = 1 AND s.page_count >= l.page_count
        ORDER BY s.captured_at, s.id LIMIT 1)
      WHERE page_id = ?`),
  listPages: sql((d) => `SELECT p.url, p.publisher, p.kind, p.title,
        (SELECT COUNT(*) FROM snapshots s WHERE s.page_id = p.id) AS snapshots,
        (SELECT COUNT(*) FROM posts x WHERE x.page_id = p.id AND x.removed_at_snapshot_id IS NULL) AS posts,
        (SELECT COUNT(*) FROM posts x WHERE x.page_id = p.id AND x.removed_at_snapshot_id IS NOT NULL) AS removed,
        (SELECT MIN(captured_at) FROM snapshots s WHERE s.page_id = p.id) AS first_capture,
        (SELECT MAX(captured_at) FROM snapshots s WHERE s.page_id = p.id) AS last_capture
      FROM pages p ORDER BY last_capture DESC, p.url${d.bytewise}`),
  pageSnapshots: sql(`SELECT * FROM snapshots WHERE page_id = ? ORDER BY captured_at, id`),
  // In the order the page showed them last (newest first on a live blog); removed posts
  // after, the most recently seen first.
  latestPosts: sql((d) => `${latestPosts(d)}
      ORDER BY (rs.captured_at IS NOT NULL), ls.captured_at DESC, sp.position, p.id`),
  // A page as one capture showed it, in its order then.
  snapshotPosts: sql((d) => `
      SELECT p.id AS post_id, p.post_key, v.url, v.headline, v.body_text, v.body_html, p.published_at, v.updated_at,
             sp.display_time, v.origin, v.key_event, sp.pinned, v.version, v.id AS version_id, p.version_count,
             fs.captured_at AS first_seen_at, s.captured_at AS last_seen_at, NULL AS removed_at${withCredits(d)}
      FROM snapshot_posts sp
      JOIN snapshots s ON s.id = sp.snapshot_id
      JOIN posts p ON p.id = sp.post_id
      JOIN post_versions v ON v.id = sp.post_version_id
      JOIN snapshots fs ON fs.id = p.first_seen_snapshot_id
      WHERE sp.snapshot_id = ?
      ORDER BY sp.position`),
  allPages: sql((d) => `SELECT * FROM pages g WHERE ${pageFilterSql(d)} ORDER BY url${d.bytewise}`),
  postVersions: sql(`SELECT v.id AS version_id, v.version, v.url, v.headline, v.body_text, v.body_html, v.published_at,
        v.updated_at, v.origin, v.key_event, MIN(s.captured_at) AS first_seen_at, MAX(s.captured_at) AS last_seen_at
      FROM post_versions v JOIN snapshot_posts sp ON sp.post_version_id = v.id JOIN snapshots s ON s.id = sp.snapshot_id
      WHERE v.post_id = ? GROUP BY v.id ORDER BY v.version`),
  versionContributors: sql(`SELECT c.name, x.role FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
      WHERE x.post_version_id = ? ORDER BY x.position`),
  versionMedia: sql(`SELECT m.kind, m.url, m.name, m.alt, m.caption, m.credit, m.description, m.duration, m.thumbnail
      FROM post_version_media x JOIN media m ON m.id = x.media_id WHERE x.post_version_id = ? ORDER BY x.position`),
  versionSnapshots: sql(`SELECT s.id AS snapshot_id, s.captured_at, sp.position, sp.pinned, sp.display_time FROM snapshot_posts sp JOIN snapshots s ON s.id = sp.snapshot_id
      WHERE sp.post_version_id = ? ORDER BY s.captured_at, s.id`),
};
