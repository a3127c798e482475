import type { IngestResult } from '../ingest.js';
import type { ReparseResult } from '../store/reparse.js';
import type { PageKind, RenderInfo } from '../types.js';

// `option`: typed by someone, with ingest's --captured-at or with retime; either may have set a stored time.
const CAPTURED_FROM = { option: 'given by hand: --captured-at or retime', mtime: 'file time', now: 'time of reading', http: 'HTTP response', warc: 'WARC-Date', archive: 'archive timestamp' } as const;

/** How a capture's time was known, said to people: "file time", "given by hand: --captured-at or retime" … */
export function capturedFrom(source: keyof typeof CAPTURED_FROM): string {
  return CAPTURED_FROM[source];
}

/** How a page's kind is said to people. */
export function kindLabel(kind: PageKind | string): string {
  return kind === 'liveblog' ? 'live blog' : kind === 'article' ? 'article, not a live blog' : 'not recognised as a live blog or article';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 snapshots re-parsed (cnn-live@2023-01): 19 posts, 20 versions": a page rebuilt by reparse or retime. */
export function reparsedSummary(r: ReparseResult): string {
  return `${plural(r.snapshots, 'snapshot')} re-parsed (${r.adapters.join(', ')}): ${plural(r.posts, 'post')}, ${plural(r.versions, 'version')}`;
}

/** "3 skipped: not a page" / "4 skipped: 3 not a page, 1 not page data". */
export function describeSkipped(skipped: Record<string, number>): string {
  const entries = Object.entries(skipped).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((n, [, k]) => n + k, 0);
  if (total === 0) return '';
  return `${total} skipped: ${entries.length === 1 ? entries[0]![0] : entries.map(([reason, n]) => `${n} ${reason}`).join(', ')}`;
}

const WAIT_ENDED = { stable: 'settled', timeout: 'stopped at --render-timeout', memory: 'stopped near the memory cap' } as const;

/** "settled after 2.4 s": how the browser's wait for a rendered capture ended. */
export function waitLabel(r: RenderInfo): string {
  return `${WAIT_ENDED[r.wait.ended]} after ${(r.wait.ms / 1000).toFixed(1)} s`;
}

/** "rendered by Chromium 156.0.8078.114, settled after 2.4 s, 2 loads of more": how a rendered capture was taken. */
function renderLabel(r: RenderInfo): string {
  return `rendered by ${r.browser}, ${waitLabel(r)}`
    + `${r.expanded ? `, ${plural(r.expanded, 'load')} of more` : ''}${r.frames.length ? `, ${plural(r.frames.length, 'frame')} inlined` : ''}`;
}

/** The line printed for one ingested source (ingest and watch); empty for what is only counted. */
export function describeResult(r: IngestResult): string {
  if (r.status === 'failed' || r.status === 'skipped') return '';
  if (r.status === 'not-modified') return `${r.source}: unchanged (HTTP 304 Not Modified; check recorded at ${r.checkedAt})`;
  if (r.status === 'read') {
    const skipped = Object.values(r.skipped).reduce((a, b) => a + b, 0);
    return `${r.source}: ${plural(r.records, 'record')}: ${plural(r.captures, 'capture')}, ${plural(r.revisits, 'revisit')}, ${skipped} skipped${r.complete ? '' : ' (reading stopped at the damage)'}`;
  }
  if (r.status === 'revisit') return `${r.source}: revisit of ${r.url} at ${r.checkedAt}: recorded as an unchanged check (the record it repeats is in neither this input nor the archive)`;
  if (r.status === 'unchanged') {
    return r.revisit ? `${r.source}: unchanged (revisit: the same payload as the capture of ${r.page} at ${r.capturedAt}; check recorded)`
      : `${r.source}: unchanged (same bytes already archived for ${r.page}${r.snapshotId === undefined ? '' : ` as snapshot ${r.snapshotId}`}, captured ${r.capturedAt})`;
  }
  const p = r.posts!;
  return `${r.source}: new snapshot of ${r.page} [${kindLabel(r.kind)}; ${r.adapter}] captured ${r.capturedAt} (${capturedFrom(r.capturedAtSource)}${r.render ? `; ${renderLabel(r.render)}` : ''}): `
    + `${p.total} post${p.total === 1 ? '' : 's'} (${p.new} new, ${p.edited} edited, ${p.removed} removed`
    + `${p.notShown ? `; ${p.notShown} not shown by this incomplete capture, not marked removed` : ''})`;
}

/** An ingest result as JSON output gives it: a failure by its code and message. */
export function resultJson(r: IngestResult): Record<string, unknown> {
  if (r.status === 'failed') return { source: r.source, status: 'failed', error: { code: r.error.code, message: r.error.message } };
  return { ...r };
}
