import type { IngestResult } from '../ingest.js';
import type { PageKind } from '../types.js';

const CAPTURED_FROM = { option: 'from --captured-at', mtime: 'file time', now: 'time of reading', http: 'HTTP response', warc: 'WARC-Date', archive: 'archive timestamp' } as const;

/** How a page's kind is said to people. */
export function kindLabel(kind: PageKind | string): string {
  return kind === 'liveblog' ? 'live blog' : kind === 'article' ? 'article, not a live blog' : 'not recognised as a live blog or article';
}

/** The line printed for one ingested source (ingest and watch). */
export function describeResult(r: IngestResult): string {
  if (r.status === 'failed') return '';
  if (r.status === 'not-modified') return `${r.source}: unchanged (HTTP 304 Not Modified; check recorded at ${r.checkedAt})`;
  if (r.status === 'unchanged') return `${r.source}: unchanged (same bytes already archived for ${r.page}, captured ${r.capturedAt})`;
  const p = r.posts!;
  return `${r.source}: new snapshot of ${r.page} [${kindLabel(r.kind)}; ${r.adapter}] captured ${r.capturedAt} (${CAPTURED_FROM[r.capturedAtSource]}): `
    + `${p.total} post${p.total === 1 ? '' : 's'} (${p.new} new, ${p.edited} edited, ${p.removed} removed`
    + `${p.notShown ? `; ${p.notShown} not shown by this incomplete capture, not marked removed` : ''})`;
}

/** An ingest result as JSON output gives it: a failure by its code and message. */
export function resultJson(r: IngestResult): Record<string, unknown> {
  if (r.status === 'failed') return { source: r.source, status: 'failed', error: { code: r.error.code, message: r.error.message } };
  return { ...r };
}
