-- livearchive schema 6: the search index keeps no second copy of the text, and a page's raw
-- captures are stored as deltas against the page's latest whole copy.

-- The text the search index reads, one row per post version: the index (post_search) now
-- holds only its tokens and reads headline, body, captions and contributors from here when a
-- snippet needs them. "captions" joins media captions, credits and descriptions; "contributors"
-- the names, each in their order on the version.
CREATE VIEW post_search_text AS
SELECT v.id,
       COALESCE(v.headline, '') AS headline,
       v.body_text AS body,
       COALESCE((SELECT group_concat(t, ' ') FROM (
         SELECT trim(COALESCE(m.caption, '') || ' ' || COALESCE(m.credit, '') || ' ' || COALESCE(m.description, '')) AS t
         FROM post_version_media x JOIN media m ON m.id = x.media_id
         WHERE x.post_version_id = v.id ORDER BY x.position)), '') AS captions,
       COALESCE((SELECT group_concat(name, ' ') FROM (
         SELECT c.name FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
         WHERE x.post_version_id = v.id ORDER BY x.position)), '') AS contributors
FROM post_versions v;

DROP TABLE post_search;
CREATE VIRTUAL TABLE post_search USING fts5(
  headline, body, captions, contributors,
  content = 'post_search_text', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO post_search (post_search) VALUES ('rebuild');

-- How each stored part is encoded: 'gzip', the whole page gzip-compressed (every part stored
-- before schema 6 stays so), or 'delta', a gzip-compressed Fossil delta against the whole copy
-- of the same part stored with base_snapshot_id. chain numbers the deltas made against one
-- whole copy (1, 2, …; 0 for a whole copy), so that a new whole copy is made every so often.
ALTER TABLE snapshot_raw ADD COLUMN encoding TEXT NOT NULL DEFAULT 'gzip' CHECK (encoding IN ('gzip', 'delta'));
ALTER TABLE snapshot_raw ADD COLUMN base_snapshot_id INTEGER REFERENCES snapshots(id);
ALTER TABLE snapshot_raw ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;

-- Search narrowed by --since/--until starts from the posts in the time range when they are few.
CREATE INDEX posts_published_at ON posts (published_at);
