import type { Database, Statement } from 'better-sqlite3';
import type { Origin, Provenance } from '../types.js';
import type { Archive } from './archive.js';
import { filterParams, type PostFilters } from './filters.js';
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
  /** The page and any older pages followed with it; empty when ingested with --no-raw. */
  parts: RawPart[];
  /** For a page rendered in a browser (`--render`): the server's response it was made from. */
  response?: RawPart;
}

interface Row {
  id: number; page_url: string; captured_at: string; origin: Origin; source: string; requested_url: string | null; final_url: string | null;
  http_status: number | null; http_headers: string | null; provenance: string | null;
}

class CaptureQueries {
  readonly captures: Statement<[Record<string, unknown>], Row>;
  constructor(db: Database) {
    // The page filters of export, and --since/--until on the capture time (a capture has no post time).
    this.captures = db.prepare(`SELECT s.id, g.url AS page_url, s.captured_at, s.origin, s.source, s.requested_url, s.final_url, s.http_status, s.http_headers, s.provenance
      FROM snapshots s JOIN pages g ON g.id = s.page_id
      WHERE (@f_page IS NULL OR g.url = @f_page) AND (@f_publisher IS NULL OR g.publisher LIKE '%' || @f_publisher || '%') AND (@f_kind IS NULL OR g.kind = @f_kind)
        AND (@f_since IS NULL OR s.captured_at >= @f_since) AND (@f_until IS NULL OR s.captured_at < @f_until)
      ORDER BY s.captured_at, s.id`);
  }
}

const prepared = new WeakMap<Database, CaptureQueries>();

/** Every capture the filters choose, oldest first, one at a time with its bytes. */
export function* iterateCaptures(archive: Archive, filters: PostFilters): Iterable<StoredCapture> {
  let q = prepared.get(archive.db);
  if (!q) prepared.set(archive.db, (q = new CaptureQueries(archive.db)));
  for (const r of q.captures.iterate(filterParams(filters))) {
    const provenance = r.provenance ? JSON.parse(r.provenance) as Provenance : null;
    const response = provenance?.render ? readResponse(archive, r.id) : undefined;
    yield {
      snapshotId: r.id, pageUrl: r.page_url, capturedAt: r.captured_at, origin: r.origin, source: r.source,
      requestedUrl: r.requested_url, finalUrl: r.final_url, httpStatus: r.http_status,
      httpHeaders: r.http_headers ? JSON.parse(r.http_headers) as Record<string, string> : null,
      provenance, parts: readRawParts(archive, r.id), ...(response ? { response } : {}),
    };
  }
}
