import { LiveArchiveError, UsageError } from '../errors.js';
import type { ParseOptions } from '../parse/index.js';
import type { Capture } from '../types.js';
import { archiveError, type Archive } from './archive.js';
import { sql } from './db.js';
import type { PageRow } from './queries.js';
import { reparsePage, type ReparseResult } from './reparse.js';

export interface RetimeResult {
  snapshot: number;
  page: string;
  capturedAt: string;
  /** The time it had, and how that was known. */
  was: { capturedAt: string; source: Capture['capturedAtSource'] };
  /** The page rebuilt around the new time, as `reparse` reports it; `skipped` says why its posts were not read again. */
  reparse: ReparseResult;
  /** The snapshot's warnings read at its new time (a time still before the page's newest post says so again). */
  warnings: string[];
}

const T = {
  snapshot: sql(`SELECT id, page_id, sha256, captured_at, captured_at_source FROM snapshots WHERE id = ?`),
  page: sql(`SELECT * FROM pages WHERE id = ?`),
  sameCapture: sql(`SELECT id FROM snapshots WHERE page_id = ? AND sha256 = ? AND captured_at = ? AND id <> ?`),
};

/**
 * Give a snapshot the time its page was really captured (source `option`, as --captured-at),
 * and rebuild its page from the stored bytes as `reparse` does: the capture time anchors every
 * "5 min ago" and bare clock time on the page, and orders the page's captures, so versions,
 * first-seen and removal times and diffs follow the corrected order. One transaction, under the
 * page's lock; search keeps its order (reparse keeps the ids). A page archived without its bytes
 * (--no-raw) is reordered, but its posts are not read again (the result says so).
 */
export async function retimeSnapshot(archive: Archive, snapshotId: number, at: Date, options: ParseOptions = {}, now = new Date()): Promise<RetimeResult> {
  const capturedAt = at.toISOString();
  if (at.getTime() > now.getTime()) throw new UsageError(`${capturedAt} is in the future; give the time the page was saved`);
  try {
    const s = await archive.db.get<{ id: number; page_id: number; sha256: string; captured_at: string; captured_at_source: Capture['capturedAtSource'] }>(T.snapshot, [snapshotId]);
    if (!s) throw new LiveArchiveError('E_INPUT', 'no such snapshot in the archive (`livearchive snapshots <page-url>` lists the ids)', { subject: `snapshot ${snapshotId}` });
    const other = await archive.db.get<{ id: number }>(T.sameCapture, [s.page_id, s.sha256, capturedAt, s.id]);
    if (other) throw new UsageError(`snapshot ${other.id} already holds the same bytes of this page captured at ${capturedAt}`);
    const page = (await archive.db.get<PageRow>(T.page, [s.page_id]))!;
    const { retimedWarnings, ...reparse } = await reparsePage(archive, page, options, { snapshotId, capturedAt });
    return { snapshot: snapshotId, page: page.url, capturedAt, was: { capturedAt: s.captured_at, source: s.captured_at_source }, reparse, warnings: retimedWarnings ?? [] };
  } catch (err) {
    throw archiveError(archive.path, err);
  }
}
