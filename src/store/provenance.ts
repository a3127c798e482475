import type { Database, Statement } from 'better-sqlite3';
import type { Archive } from './archive.js';

/** Lookups by where captures came from: WARC records, payloads, archived captures. */
class ProvenanceQueries {
  readonly byRecordId: Statement<[string], { id: number }>;
  readonly byPayload: Statement<[string], { id: number }>;
  readonly byUrlAt: Statement<[string, string, string], { id: number }>;
  readonly fetchedFromArchive: Statement<[{ url: string }], { n: number }>;
  constructor(db: Database) {
    this.byRecordId = db.prepare(`SELECT id FROM snapshots WHERE warc_record_id = ? ORDER BY id LIMIT 1`);
    this.byPayload = db.prepare(`SELECT s.id FROM snapshot_raw r JOIN snapshots s ON s.id = r.snapshot_id WHERE r.part = 0 AND r.sha256 = ? ORDER BY s.captured_at DESC, s.id DESC LIMIT 1`);
    this.byUrlAt = db.prepare(`SELECT id FROM snapshots WHERE (requested_url = ? OR final_url = ?) AND captured_at = ? ORDER BY id LIMIT 1`);
    this.fetchedFromArchive = db.prepare(`SELECT (SELECT COUNT(*) FROM snapshots WHERE archive_url = @url)
      + (SELECT COUNT(*) FROM http_checks WHERE url = @url AND outcome IN ('new', 'unchanged')) AS n`);
  }
}

const prepared = new WeakMap<Database, ProvenanceQueries>();
function queries(archive: Archive): ProvenanceQueries {
  let q = prepared.get(archive.db);
  if (!q) prepared.set(archive.db, (q = new ProvenanceQueries(archive.db)));
  return q;
}

/** The snapshot read from a WARC record (by its WARC-Record-ID). */
export function snapshotOfRecord(archive: Archive, recordId: string): number | undefined {
  return queries(archive).byRecordId.get(recordId)?.id;
}

/** The latest snapshot whose stored page has these bytes (SHA-256). */
export function snapshotWithPayload(archive: Archive, sha256: string): number | undefined {
  return queries(archive).byPayload.get(sha256)?.id;
}

/** The snapshot of a URL (as fetched) captured at exactly this time. */
export function snapshotOfUrlAt(archive: Archive, url: string, capturedAt: Date): number | undefined {
  return queries(archive).byUrlAt.get(url, url, capturedAt.toISOString())?.id;
}

/** Whether a web archive's replay URL has been fetched and archived (as a snapshot, or as a check that found it unchanged). */
export function fetchedFromArchive(archive: Archive, replayUrl: string): boolean {
  return queries(archive).fetchedFromArchive.get({ url: replayUrl })!.n > 0;
}
