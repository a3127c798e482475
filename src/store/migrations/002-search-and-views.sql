-- livearchive schema 2: full-text search over post versions, and views for SQL users.

-- One row per post version (rowid = post_versions.id), written in the same transaction as the
-- version. "captions" holds media captions, credits and descriptions; "contributors" the names.
CREATE VIRTUAL TABLE post_search USING fts5(
  headline, body, captions, contributors,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO post_search (rowid, headline, body, captions, contributors)
SELECT v.id,
       COALESCE(v.headline, ''),
       v.body_text,
       COALESCE((SELECT group_concat(t, ' ') FROM (
         SELECT concat_ws(' ', m.caption, m.credit, m.description) AS t
         FROM post_version_media x JOIN media m ON m.id = x.media_id
         WHERE x.post_version_id = v.id ORDER BY x.position)), ''),
       COALESCE((SELECT group_concat(name, ' ') FROM (
         SELECT c.name FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
         WHERE x.post_version_id = v.id ORDER BY x.position)), '')
FROM post_versions v;

-- The latest state of every post, one row each, ready for sqlite3 / Datasette / pandas.
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

-- Every sighting of every post: which version each capture showed, where, and how it was displayed.
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
