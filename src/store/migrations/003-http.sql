-- livearchive schema 3: HTTP provenance, raw page bytes for re-parsing, and a log of checks.

-- How an HTTP snapshot was fetched (NULL for files and stdin).
ALTER TABLE snapshots ADD COLUMN requested_url TEXT;
ALTER TABLE snapshots ADD COLUMN final_url TEXT;
ALTER TABLE snapshots ADD COLUMN http_status INTEGER;
ALTER TABLE snapshots ADD COLUMN http_headers TEXT;          -- JSON object of selected response headers
ALTER TABLE snapshots ADD COLUMN fetch_ms INTEGER;

-- The bytes each snapshot was parsed from, gzip-compressed, so that `reparse` can run newer
-- adapters over old captures without the network. Part 0 is the page; parts 1… are older pages
-- of a live blog followed with --follow-pages. Absent when ingested with --no-raw.
CREATE TABLE snapshot_raw (
  snapshot_id   INTEGER NOT NULL REFERENCES snapshots(id),
  part          INTEGER NOT NULL,
  url           TEXT,
  content_type  TEXT,
  sha256        TEXT NOT NULL,                               -- of this part's bytes
  bytes         BLOB NOT NULL,
  PRIMARY KEY (snapshot_id, part)
) WITHOUT ROWID;
CREATE INDEX snapshot_raw_sha256 ON snapshot_raw (sha256) WHERE part = 0;

-- Every HTTP check of a URL: what came back and what it led to. The latest successful check
-- of a URL gives the validators sent with the next request (If-None-Match, If-Modified-Since).
CREATE TABLE http_checks (
  id             INTEGER PRIMARY KEY,
  url            TEXT NOT NULL,                              -- as requested
  page_id        INTEGER REFERENCES pages(id),
  checked_at     TEXT NOT NULL,
  status         INTEGER,                                    -- HTTP status; NULL when the request failed
  outcome        TEXT NOT NULL CHECK (outcome IN ('new', 'unchanged', 'not-modified', 'failed')),
  etag           TEXT,
  last_modified  TEXT,
  snapshot_id    INTEGER REFERENCES snapshots(id),
  error          TEXT
);
CREATE INDEX http_checks_url ON http_checks (url, checked_at);
