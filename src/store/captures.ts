import type { Origin, Provenance } from '../types.js';
import type { Archive } from './archive.js';
import { sql } from './db.js';
import { filterParams, pageFilterSql, type PostFilters } from './filters.js';
import { readRawParts, readResponse, type RawPart } from './raw.js';

/** A stored capture with its bytes: what a WARC export writes. */
export interface StoredCapture {
  snapshotId: number;
  pageUrl: string;
  capturedAt: string;
  origin: Origin;
  source: string;
  requestedUrl: string | null;
  finalUrl: string | null;
  httpStatus: number | null;
  httpHeaders: Record<string, string> | null;
  provenance: Provenance | null;
  /** Whether the page URL was read from the page or given with --url (which then overrides what the page says). */
  urlFrom: 'page' | 'option';
  /** The page and any older pages followed with it; empty when ingested with --no-raw. */
  parts: RawPart[];
  /** For a page rendered in a browser (`--render`): the server's response it was made from. */
  response?: RawPart;
}

interface Row {
  id: number; page_url: string; captured_at: string; origin: Origin; source: string; requested_url: string | null; final_url: string | null;
  http_status: number | null; http_headers: string | null; provenance: string | null; url_from: 'page' | 'option';
}

// The page filters of export, and --since/--until on the capture time (a capture has no post time).
const CAPTURES = sql((d) => `SELECT s.id, g.url AS page_url, s.captured_at, s.origin, s.source, s.requested_url, s.final_url, s.http_status, s.http_headers, s.provenance, s.url_from
      FROM snapshots s JOIN pages g ON g.id = s.page_id
      WHERE ${pageFilterSql(d)} AND (${d.typed('@f_since', 'timestamptz')} IS NULL OR s.captured_at >= ${d.typed('@f_since', 'timestamptz')})
        AND (${d.typed('@f_until', 'timestamptz')} IS NULL OR s.captured_at < ${d.typed('@f_until', 'timestamptz')})
      ORDER BY s.captured_at, s.id`);

/** Every capture the filters choose, oldest first, one at a time with its bytes. */
export async function* iterateCaptures(archive: Archive, filters: PostFilters): AsyncIterable<StoredCapture> {
  for await (const r of archive.db.iterate<Row>(CAPTURES, filterParams(filters))) {
    const provenance = r.provenance ? JSON.parse(r.provenance) as Provenance : null;
    const response = provenance?.render ? await readResponse(archive, r.id) : undefined;
    yield {
      snapshotId: r.id, pageUrl: r.page_url, capturedAt: r.captured_at, origin: r.origin, source: r.source,
      requestedUrl: r.requested_url, finalUrl: r.final_url, httpStatus: r.http_status,
      httpHeaders: r.http_headers ? JSON.parse(r.http_headers) as Record<string, string> : null,
      provenance, urlFrom: r.url_from, parts: await readRawParts(archive, r.id), ...(response ? { response } : {}),
    };
  }
}
