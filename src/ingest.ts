import { acquire, isUrl, type AcquireOptions } from './acquire/index.js';
import { FetchError } from './acquire/http.js';
import { LiveArchiveError, ParseError } from './errors.js';
import { parsePage } from './parse/index.js';
import type { Archive } from './store/archive.js';
import { ingestCaptures, unchangedFirstPage, recordCheck, validatorsFor, type IngestOutcome, type StoreOptions } from './store/ingest.js';
import type { Capture, FetchInfo, ParsedPage } from './types.js';

export interface IngestFailure {
  source: string;
  status: 'failed';
  error: LiveArchiveError;
}

/** A conditional request answered 304: nothing new, the check is recorded. */
export interface NotModified {
  source: string;
  status: 'not-modified';
  checkedAt: string;
  fetch: FetchInfo;
}

export type IngestResult = IngestOutcome | IngestFailure | NotModified;

export interface IngestOptions extends AcquireOptions, StoreOptions {
  /** Follow a live blog's links to older pages, at most this many more pages (HTTP only). */
  followPages?: number;
}

function fail(source: string, err: unknown): IngestFailure {
  const error = err instanceof LiveArchiveError ? err : new ParseError(source, `could not be parsed (${(err as Error).message})`, err);
  return { source, status: 'failed', error };
}

/** A live blog's first page and its older pages, fetched through its page links, breadth first, up to followPages more. */
async function withOlderPages(first: Capture, options: IngestOptions): Promise<{ captures: Capture[]; parsed: ParsedPage[]; warnings: string[] }> {
  const captures: Capture[] = [first];
  const parsed = [parsePage(first, options)];
  const warnings: string[] = [];
  const visited = new Set([first.fetch?.finalUrl ?? first.source, first.source]);
  const queue = [...parsed[0]!.pageLinks];
  while (queue.length > 0 && captures.length <= (options.followPages ?? 0)) {
    const link = queue.shift()!;
    if (visited.has(link)) continue;
    visited.add(link);
    try {
      const r = await options.fetcher!.fetchPage(link);
      if (r.notModified) continue;
      const capture = { ...r.capture, capturedAt: first.capturedAt, capturedAtSource: first.capturedAtSource };
      const page = parsePage(capture, options);
      captures.push(capture);
      parsed.push(page);
      queue.push(...page.pageLinks.filter((l) => !visited.has(l)));
    } catch (err) {
      warnings.push(`older page ${link} not archived: ${(err as Error).message}`);
    }
  }
  return { captures, parsed, warnings };
}

/**
 * acquire → parse → store for every source, one result per source. A source that fails is
 * reported and the rest go on; errors about the archive itself (locked, schema) stop the run.
 * HTTP checks are logged with their outcome, and their validators make the next one conditional.
 */
export async function* ingest(archive: Archive, sources: string[], options: IngestOptions = {}): AsyncIterable<IngestResult> {
  const validators = (url: string) => validatorsFor(archive, url);
  for await (const got of acquire(sources, { ...options, validators })) {
    if (got.kind === 'failed') {
      if (isUrl(got.source) && got.error instanceof FetchError) {
        recordCheck(archive, { url: got.source, checkedAt: new Date(), status: null, outcome: 'failed', error: got.error.message });
      }
      yield fail(got.source, got.error);
      continue;
    }
    if (got.kind === 'not-modified') {
      recordCheck(archive, { url: got.source, checkedAt: got.capturedAt, status: 304, outcome: 'not-modified', headers: got.fetch.headers });
      yield { source: got.source, status: 'not-modified', checkedAt: got.capturedAt.toISOString(), fetch: got.fetch };
      continue;
    }
    const { capture } = got;
    try {
      const follow = options.followPages && capture.origin === 'http' && options.fetcher;
      // When the newest page is unchanged, so is the blog: its older pages are not fetched again.
      const outcome = (follow ? unchangedFirstPage(archive, capture) : undefined) ?? await (async () => {
        const pages = follow ? await withOlderPages(capture, options) : { captures: [capture], parsed: [], warnings: [] };
        const written = ingestCaptures(archive, pages.captures, options, pages.parsed);
        written.warnings.push(...pages.warnings);
        return written;
      })();
      if (capture.fetch) {
        recordCheck(archive, {
          url: capture.fetch.requestedUrl, checkedAt: capture.capturedAt, status: capture.fetch.status, outcome: outcome.status,
          headers: capture.fetch.headers, pageUrl: outcome.page, snapshotId: outcome.snapshotId ?? null,
        });
      }
      yield outcome;
    } catch (err) {
      if (err instanceof LiveArchiveError && (err.code === 'E_LOCKED' || err.code === 'E_SCHEMA' || err.code === 'E_READONLY')) throw err;
      yield fail(capture.source, err);
    }
  }
}

export interface IngestSummary {
  sources: number;
  new: number;
  unchanged: number;
  failed: number;
}

export function summarize(results: IngestResult[]): IngestSummary {
  const count = (...status: Array<IngestResult['status']>): number => results.filter((r) => status.includes(r.status)).length;
  return { sources: results.length, new: count('new'), unchanged: count('unchanged', 'not-modified'), failed: count('failed') };
}
