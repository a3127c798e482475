import type { Archive } from './archive.js';
import { sql } from './db.js';

/** Lookups by where captures came from: WARC records, payloads, archived captures. */
const P = {
  byRecordId: sql(`SELECT id FROM snapshots WHERE warc_record_id = ? ORDER BY id LIMIT 1`),
  byPayload: sql(`SELECT s.id FROM snapshot_raw r JOIN snapshots s ON s.id = r.snapshot_id WHERE r.part = 0 AND r.sha256 = ? ORDER BY s.captured_at DESC, s.id DESC LIMIT 1`),
  byUrlAt: sql(`SELECT id FROM snapshots WHERE (requested_url = @url OR final_url = @url) AND captured_at = @at ORDER BY id LIMIT 1`),
  fetchedFromArchive: sql(`SELECT (SELECT COUNT(*) FROM snapshots WHERE archive_url = @url)
      + (SELECT COUNT(*) FROM http_checks WHERE url = @url AND outcome IN ('new', 'unchanged')) AS n`),
};

/** The snapshot read from a WARC record (by its WARC-Record-ID). */
export async function snapshotOfRecord(archive: Archive, recordId: string): Promise<number | undefined> {
  return (await archive.db.get<{ id: number }>(P.byRecordId, [recordId]))?.id;
}

/** The latest snapshot whose stored page has these bytes (SHA-256). */
export async function snapshotWithPayload(archive: Archive, sha256: string): Promise<number | undefined> {
  return (await archive.db.get<{ id: number }>(P.byPayload, [sha256]))?.id;
}

/** The snapshot of a URL (as fetched) captured at exactly this time. */
export async function snapshotOfUrlAt(archive: Archive, url: string, capturedAt: Date): Promise<number | undefined> {
  return (await archive.db.get<{ id: number }>(P.byUrlAt, { url, at: capturedAt.toISOString() }))?.id;
}

/** Whether a web archive's replay URL has been fetched and archived (as a snapshot, or as a check that found it unchanged). */
export async function fetchedFromArchive(archive: Archive, replayUrl: string): Promise<boolean> {
  return (await archive.db.get<{ n: number }>(P.fetchedFromArchive, { url: replayUrl }))!.n > 0;
}
