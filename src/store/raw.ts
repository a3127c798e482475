import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database, Statement } from 'better-sqlite3';
import type { Capture } from '../types.js';
import type { Archive } from './archive.js';
import { sha256 } from './ingest.js';

/** One stored part of a snapshot: the page (part 0) or an older page followed with it. */
export interface RawPart {
  part: number;
  url: string | null;
  contentType: string | null;
  sha256: string;
  bytes: Buffer;
}

class RawQueries {
  readonly insert: Statement<[number, number, string | null, string | null, string, Buffer]>;
  readonly parts: Statement<[number], { part: number; url: string | null; content_type: string | null; sha256: string; bytes: Buffer }>;
  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO snapshot_raw (snapshot_id, part, url, content_type, sha256, bytes) VALUES (?, ?, ?, ?, ?, ?)`);
    this.parts = db.prepare(`SELECT part, url, content_type, sha256, bytes FROM snapshot_raw WHERE snapshot_id = ? ORDER BY part`);
  }
}

// Prepared once per connection, like the archive's named queries.
const prepared = new WeakMap<Database, RawQueries>();
function queries(archive: Archive): RawQueries {
  let q = prepared.get(archive.db);
  if (!q) prepared.set(archive.db, (q = new RawQueries(archive.db)));
  return q;
}

/**
 * Keep a snapshot's bytes, part by part. The only writer of snapshot_raw: how bytes are stored
 * (gzip today) is known here and in readRawParts alone.
 */
export function writeRawParts(archive: Archive, snapshotId: number, captures: Capture[]): void {
  const q = queries(archive);
  captures.forEach((c, part) => q.insert.run(snapshotId, part, c.fetch?.finalUrl ?? c.url ?? null, c.contentType ?? null, sha256(c.bytes), gzipSync(c.bytes)));
}

/** A snapshot's stored bytes, part by part (none when it was ingested with --no-raw). */
export function readRawParts(archive: Archive, snapshotId: number): RawPart[] {
  return queries(archive).parts.all(snapshotId).map((r) => ({ part: r.part, url: r.url, contentType: r.content_type, sha256: r.sha256, bytes: gunzipSync(r.bytes) }));
}
