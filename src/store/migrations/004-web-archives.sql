-- livearchive schema 4: captures read from WARC / WACZ files and from web archives (Wayback
-- Machine, Memento), with their provenance.
--
-- New origins ('warc', 'archive') and capture-time sources ('warc': the record's WARC-Date,
-- 'archive': the archive's timestamp) need new CHECK constraints, which SQLite cannot alter:
-- the snapshots table is rebuilt by the documented procedure (the runner turns foreign keys
-- off around every migration and runs PRAGMA foreign_key_check before commit). The views that
-- name snapshots are dropped first and recreated unchanged at the end.

DROP VIEW latest_posts;
DROP VIEW post_timeline;

CREATE TABLE new_snapshots (
  id                  INTEGER PRIMARY KEY,
  page_id             INTEGER NOT NULL REFERENCES pages(id),
  sha256              TEXT NOT NULL,
  captured_at         TEXT NOT NULL,
  captured_at_source  TEXT NOT NULL CHECK (captured_at_source IN ('option', 'mtime', 'now', 'http', 'warc', 'archive')),
  source              TEXT NOT NULL,
  origin              TEXT NOT NULL CHECK (origin IN ('file', 'stdin', 'http', 'warc', 'archive')),
  saved_from_url      TEXT,
  byte_count          INTEGER NOT NULL,
  encoding            TEXT NOT NULL,
  adapter_id          TEXT NOT NULL,
  adapter_version     TEXT NOT NULL,
  parser_version      TEXT NOT NULL,
  kind                TEXT NOT NULL,
  title               TEXT,
  headline            TEXT,
  key_points          TEXT NOT NULL DEFAULT '[]',
  post_count          INTEGER NOT NULL,
  warnings            TEXT NOT NULL DEFAULT '[]',
  page_links          TEXT NOT NULL DEFAULT '[]',
  ingested_at         TEXT NOT NULL,
  url_from            TEXT NOT NULL DEFAULT 'page' CHECK (url_from IN ('page', 'option')),
  page_count          INTEGER NOT NULL DEFAULT 1,
  complete            INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1)),
  requested_url       TEXT,
  final_url           TEXT,
  http_status         INTEGER,
  http_headers        TEXT,
  fetch_ms            INTEGER,
  -- Where the bytes came from, as a JSON object with one key per kind of source, so that later
  -- kinds add keys rather than columns: "warc" {file, offset, recordId, entry (inside a WACZ)},
  -- "archive" {url, timestamp, via, index}. NULL for files, stdin and live HTTP.
  provenance          TEXT,
  -- Copied out of provenance for the lookups that need an index: a revisit's WARC-Refers-To,
  -- and which archived captures a rebuild has already fetched.
  warc_record_id      TEXT,
  archive_url         TEXT
);

INSERT INTO new_snapshots (id, page_id, sha256, captured_at, captured_at_source, source, origin, saved_from_url, byte_count,
  encoding, adapter_id, adapter_version, parser_version, kind, title, headline, key_points, post_count, warnings, page_links,
  ingested_at, url_from, page_count, complete, requested_url, final_url, http_status, http_headers, fetch_ms)
SELECT id, page_id, sha256, captured_at, captured_at_source, source, origin, saved_from_url, byte_count,
  encoding, adapter_id, adapter_version, parser_version, kind, title, headline, key_points, post_count, warnings, page_links,
  ingested_at, url_from, page_count, complete, requested_url, final_url, http_status, http_headers, fetch_ms
FROM snapshots;

DROP TABLE snapshots;
ALTER TABLE new_snapshots RENAME TO snapshots;

CREATE INDEX snapshots_sha256 ON snapshots (sha256, page_id);
CREATE INDEX snapshots_page_time ON snapshots (page_id, captured_at, id);
CREATE INDEX snapshots_warc_record_id ON snapshots (warc_record_id) WHERE warc_record_id IS NOT NULL;
CREATE INDEX snapshots_archive_url ON snapshots (archive_url) WHERE archive_url IS NOT NULL;

-- A check read from a WARC (a revisit record) or fetched from a web archive says where it came
-- from, as snapshots.provenance does.
ALTER TABLE http_checks ADD COLUMN provenance TEXT;

-- The views of schema 2, unchanged.
CREATE VIEW latest_posts AS
SELECT g.url AS page_url,
       g.publisher,
       p.post_key AS post_id,
       v.version,
       p.version_count,
       v.url,
       v.headline,
       v.body_text,
       p.published_at,
       v.updated_at,
       sp.display_time,
       v.origin,
       v.key_event,
       COALESCE(sp.pinned, 0) AS pinned,
       (SELECT group_concat(name, '; ') FROM (
          SELECT c.name FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
          WHERE x.post_version_id = v.id ORDER BY x.position)) AS contributors,
       (SELECT COUNT(*) FROM post_version_media x WHERE x.post_version_id = v.id) AS media_count,
       fs.captured_at AS first_seen_at,
       ls.captured_at AS last_seen_at,
       rs.captured_at AS removed_at
FROM posts p
JOIN pages g ON g.id = p.page_id
JOIN post_versions v ON v.id = p.latest_version_id
JOIN snapshots fs ON fs.id = p.first_seen_snapshot_id
JOIN snapshots ls ON ls.id = p.last_seen_snapshot_id
LEFT JOIN snapshots rs ON rs.id = p.removed_at_snapshot_id
LEFT JOIN snapshot_posts sp ON sp.snapshot_id = p.last_seen_snapshot_id AND sp.post_id = p.id;

CREATE VIEW post_timeline AS
SELECT g.url AS page_url,
       p.post_key AS post_id,
       v.version,
       v.headline,
       v.updated_at,
       s.id AS snapshot_id,
       s.captured_at,
       sp.position,
       sp.pinned,
       sp.display_time
FROM snapshot_posts sp
JOIN snapshots s ON s.id = sp.snapshot_id
JOIN posts p ON p.id = sp.post_id
JOIN pages g ON g.id = p.page_id
JOIN post_versions v ON v.id = sp.post_version_id;
