-- livearchive schema 1. Timestamps are UTC ISO-8601 strings with milliseconds ("…T15:02:14.482Z"),
-- so they sort as text. JSON columns hold arrays of strings.

CREATE TABLE pages (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL UNIQUE,          -- the page's identity: --url, canonical, og:url or saved-from
  canonical_url   TEXT,
  publisher       TEXT,
  kind            TEXT NOT NULL CHECK (kind IN ('liveblog', 'article', 'unknown')),
  title           TEXT,
  headline        TEXT,
  language        TEXT,
  key_points      TEXT NOT NULL DEFAULT '[]',     -- JSON array, as of the latest snapshot
  authors         TEXT NOT NULL DEFAULT '[]',     -- JSON array of page-level author names
  coverage_start  TEXT,
  coverage_end    TEXT
);

CREATE TABLE snapshots (
  id                  INTEGER PRIMARY KEY,
  page_id             INTEGER NOT NULL REFERENCES pages(id),
  sha256              TEXT NOT NULL,              -- of the page bytes (after gzip decoding)
  captured_at         TEXT NOT NULL,
  captured_at_source  TEXT NOT NULL CHECK (captured_at_source IN ('option', 'mtime', 'now', 'http')),
  source              TEXT NOT NULL,              -- path, "-" or URL as the user gave it
  origin              TEXT NOT NULL CHECK (origin IN ('file', 'stdin', 'http')),
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
  warnings            TEXT NOT NULL DEFAULT '[]', -- JSON array of messages
  page_links          TEXT NOT NULL DEFAULT '[]', -- JSON array: the live blog's other (older) pages, as linked from this capture
  ingested_at         TEXT NOT NULL,
  url_from            TEXT NOT NULL DEFAULT 'page' CHECK (url_from IN ('page', 'option')),  -- page URL read from the page, or given with --url
  page_count          INTEGER NOT NULL DEFAULT 1,  -- pages of a multi-page live blog in this capture (--follow-pages)
  complete            INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1))  -- 0: truncated, a followed page missing, or no posts: cannot show removals
);
-- The same bytes appear twice for a page only when it went back to an earlier state.
CREATE INDEX snapshots_sha256 ON snapshots (sha256, page_id);
CREATE INDEX snapshots_page_time ON snapshots (page_id, captured_at, id);

-- A post is identified by the publisher's id within its page. The columns after post_key are
-- derived from snapshot_posts and recomputed whenever the page gets a snapshot, so captures
-- ingested out of order still give the right answer.
CREATE TABLE posts (
  id                      INTEGER PRIMARY KEY,
  page_id                 INTEGER NOT NULL REFERENCES pages(id),
  post_key                TEXT NOT NULL,
  first_seen_snapshot_id  INTEGER REFERENCES snapshots(id),
  last_seen_snapshot_id   INTEGER REFERENCES snapshots(id),
  removed_at_snapshot_id  INTEGER REFERENCES snapshots(id),  -- first snapshot after the last one showing it
  latest_version_id       INTEGER REFERENCES post_versions(id),
  version_count           INTEGER NOT NULL DEFAULT 0,
  published_at            TEXT,                               -- earliest first-publication time any capture showed
  UNIQUE (page_id, post_key)
);

-- One row per distinct content of a post (headline, body, update time, media, contributors).
-- published_at is not part of a version's identity: it is the first-publication time the
-- captures of this content showed (the earliest, when they differ).
CREATE TABLE post_versions (
  id                 INTEGER PRIMARY KEY,
  post_id            INTEGER NOT NULL REFERENCES posts(id),
  version            INTEGER NOT NULL,            -- 1, 2, … in order of first capture
  content_hash       TEXT NOT NULL,
  first_snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id),
  url                TEXT,
  headline           TEXT,
  body_text          TEXT NOT NULL,
  body_html          TEXT NOT NULL,
  published_at       TEXT,
  updated_at         TEXT,
  origin             TEXT NOT NULL CHECK (origin IN ('page', 'structured-data')),
  key_event          INTEGER NOT NULL DEFAULT 0 CHECK (key_event IN (0, 1)),
  UNIQUE (post_id, content_hash)
);
CREATE INDEX post_versions_post ON post_versions (post_id, version);

-- Which version of which post each snapshot showed, where, and how it was displayed then.
CREATE TABLE snapshot_posts (
  snapshot_id      INTEGER NOT NULL REFERENCES snapshots(id),
  post_id          INTEGER NOT NULL REFERENCES posts(id),
  post_version_id  INTEGER NOT NULL REFERENCES post_versions(id),
  position         INTEGER NOT NULL,              -- 0 = first on the page
  pinned           INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  display_time     TEXT,
  PRIMARY KEY (snapshot_id, post_id)
) WITHOUT ROWID;
CREATE INDEX snapshot_posts_post ON snapshot_posts (post_id);
CREATE INDEX snapshot_posts_version ON snapshot_posts (post_version_id);

CREATE TABLE contributors (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE
);

CREATE TABLE post_version_contributors (
  post_version_id  INTEGER NOT NULL REFERENCES post_versions(id),
  position         INTEGER NOT NULL,
  contributor_id   INTEGER NOT NULL REFERENCES contributors(id),
  role             TEXT NOT NULL CHECK (role IN ('author', 'contributor')),
  PRIMARY KEY (post_version_id, position)
) WITHOUT ROWID;
CREATE INDEX post_version_contributors_contributor ON post_version_contributors (contributor_id);

CREATE TABLE media (
  id           INTEGER PRIMARY KEY,
  media_hash   TEXT NOT NULL UNIQUE,             -- of all the fields below: identical references are stored once
  kind         TEXT NOT NULL CHECK (kind IN ('image', 'video', 'embed')),
  url          TEXT,
  name         TEXT,
  alt          TEXT,
  caption      TEXT,
  credit       TEXT,
  description  TEXT,
  duration     TEXT,                             -- ISO-8601 duration
  thumbnail    TEXT
);

CREATE TABLE post_version_media (
  post_version_id  INTEGER NOT NULL REFERENCES post_versions(id),
  position         INTEGER NOT NULL,
  media_id         INTEGER NOT NULL REFERENCES media(id),
  PRIMARY KEY (post_version_id, position)
) WITHOUT ROWID;
CREATE INDEX post_version_media_media ON post_version_media (media_id);
