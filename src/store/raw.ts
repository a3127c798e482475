import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database, Statement } from 'better-sqlite3';
import type { Capture } from '../types.js';
import type { Archive } from './archive.js';
import { sha256 } from './ingest.js';

/**
 * Where a rendered capture keeps the server's response it was made from (`--render`): beside its
 * parts, below them, so that the parts stay 0 (the page, as parsed) and 1… (older pages).
 */
const RESPONSE_PART = -1;

/** One stored part of a snapshot: the page (part 0) or an older page followed with it. */
export interface RawPart {
  part: number;
  url: string | null;
  contentType: string | null;
  sha256: string;
  bytes: Buffer;
}

interface RawRow { part: number; url: string | null; content_type: string | null; sha256: string; bytes: Buffer }

class RawQueries {
  readonly insert: Statement<[number, number, string | null, string | null, string, Buffer]>;
  readonly parts: Statement<[number], RawRow>;
  readonly response: Statement<[number], RawRow>;
  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO snapshot_raw (snapshot_id, part, url, content_type, sha256, bytes) VALUES (?, ?, ?, ?, ?, ?)`);
    this.parts = db.prepare(`SELECT part, url, content_type, sha256, bytes FROM snapshot_raw WHERE snapshot_id = ? AND part >= 0 ORDER BY part`);
    this.response = db.prepare(`SELECT part, url, content_type, sha256, bytes FROM snapshot_raw WHERE snapshot_id = ? AND part = ${RESPONSE_PART}`);
  }
}

// Prepared once per connection, like the archive's named queries.
const prepared = new WeakMap<Database, RawQueries>();
function queries(archive: Archive): RawQueries {
  let q = prepared.get(archive.db);
  if (!q) prepared.set(archive.db, (q = new RawQueries(archive.db)));
  return q;
}

function stored(r: RawRow): RawPart {
  return { part: r.part, url: r.url, contentType: r.content_type, sha256: r.sha256, bytes: gunzipSync(r.bytes) };
}

/**
 * Keep a snapshot's bytes, part by part, and the server's response a rendered page was made
 * from. The only writer of snapshot_raw: how bytes are stored (gzip today) is known here alone.
 */
export function writeRawParts(archive: Archive, snapshotId: number, captures: Capture[]): void {
  const q = queries(archive);
  const keep = (part: number, url: string | null, contentType: string | undefined, bytes: Buffer): void => {
    q.insert.run(snapshotId, part, url, contentType ?? null, sha256(bytes), gzipSync(bytes));
  };
  captures.forEach((c, part) => keep(part, c.fetch?.finalUrl ?? c.url ?? null, c.contentType, c.bytes));
  const first = captures[0];
  if (first?.response) keep(RESPONSE_PART, first.fetch?.finalUrl ?? null, first.response.contentType, first.response.bytes);
}

/** A snapshot's stored bytes, part by part (none when it was ingested with --no-raw). */
export function readRawParts(archive: Archive, snapshotId: number): RawPart[] {
  return queries(archive).parts.all(snapshotId).map(stored);
}

/** The server's response a rendered snapshot was made from (`--render`); undefined for any other, or with --no-raw. */
export function readResponse(archive: Archive, snapshotId: number): RawPart | undefined {
  const r = queries(archive).response.get(snapshotId);
  return r && stored(r);
}
