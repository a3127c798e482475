-- livearchive schema 5: latest_posts names the version each row shows, so the view joins the
-- search index (version_id = post_versions.id = post_search.rowid) — what Datasette's fts_pk,
-- sqlite-utils and plain SQL need to search it — and gains the page's kind and the contributors
-- as a JSON array (for Datasette's array facets). Existing columns keep their names and order.
DROP VIEW latest_posts;

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
       rs.captured_at AS removed_at,
       v.id AS version_id,
       g.kind,
       (SELECT json_group_array(name) FROM (
          SELECT c.name FROM post_version_contributors x JOIN contributors c ON c.id = x.contributor_id
          WHERE x.post_version_id = v.id ORDER BY x.position)) AS contributor_names
FROM posts p
JOIN pages g ON g.id = p.page_id
JOIN post_versions v ON v.id = p.latest_version_id
JOIN snapshots fs ON fs.id = p.first_seen_snapshot_id
JOIN snapshots ls ON ls.id = p.last_seen_snapshot_id
LEFT JOIN snapshots rs ON rs.id = p.removed_at_snapshot_id
LEFT JOIN snapshot_posts sp ON sp.snapshot_id = p.last_seen_snapshot_id AND sp.post_id = p.id;
