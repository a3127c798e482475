import { acquire, isUrl, type AcquireOptions } from './acquire/index.js';
import { FetchError } from './acquire/http.js';
import type { WarcRevisit } from './acquire/warc.js';
import { InputError, LiveArchiveError, ParseError } from './errors.js';
import type { Archive } from './store/archive.js';
import { knownCapture, storeCaptures, unchangedFirstPage, recordCheck, sha256, validatorsFor, type IngestOutcome, type StoreOptions } from './store/ingest.js';
import { snapshotOfRecord, snapshotOfUrlAt, snapshotWithPayload } from './store/provenance.js';
import { readRawParts } from './store/raw.js';
import { pageOfSource } from './store/read.js';
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

/** A file a directory held that is not a page (or page data no adapter reads). */
export interface Skipped {
  source: string;
  status: 'skipped';
  reason: string;
}

/** A revisit whose payload is in neither this input nor the archive: only the check is recorded. */
export interface RevisitChecked {
  source: string;
  status: 'revisit';
  record: true;
  url: string;
  checkedAt: string;
  page: string | null;
}

/** A WARC or WACZ read: what its records were. `complete` is false when damage stopped the reading. */
export interface ContainerRead {
  source: string;
  status: 'read';
  records: number;
  captures: number;
  revisits: number;
  skipped: Record<string, number>;
  complete: boolean;
}

/**
 * What one source gave. A WARC or WACZ gives one result per page record (marked `record`),
 * then a `read` result for the file itself.
 */
export type IngestResult = (IngestOutcome & { revisit?: boolean; record?: boolean }) | IngestFailure | NotModified | Skipped | RevisitChecked | ContainerRead;

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
  const { parsePage } = await import('./parse/index.js');
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
 * Archive captures (a page and the older pages fetched with it) as ingestCaptures does, but the
 * parser (cheerio and the adapters: ~150 ms to load) is loaded only for captures that are new:
 * the same bytes again are recognised by their SHA-256 first.
 */
async function archiveCaptures(archive: Archive, captures: Capture[], options: IngestOptions, parsed: ParsedPage[] = []): Promise<IngestOutcome> {
  const known = await knownCapture(archive, captures);
  if (known) return known;
  const { parsePage } = await import('./parse/index.js');
  const pages = captures.map((c, i) => parsed[i] ?? parsePage(c, options));
  // A page that names no URL, read back from livearchive's WARC export, goes where it was archived before.
  const key = captures[0]!.pageKey;
  if (key && !pages[0]!.url) pages[0] = { ...pages[0]!, url: key };
  return storeCaptures(archive, captures, pages, options);
}

/** Why a capture the caller marked optional (page data in a directory or a WARC) is skipped: its parse found no page. */
function notAPage(err: unknown): boolean {
  return err instanceof InputError;
}

function isArchiveError(err: unknown): boolean {
  return err instanceof LiveArchiveError && (err.code === 'E_LOCKED' || err.code === 'E_SCHEMA' || err.code === 'E_READONLY');
}

/** Record the HTTP check a capture stands for (a live fetch, or a crawler's response in a WARC). */
async function checkOf(archive: Archive, capture: Capture, outcome: IngestOutcome): Promise<void> {
  if (!capture.fetch) return;
  await recordCheck(archive, {
    url: capture.fetch.requestedUrl, checkedAt: capture.capturedAt, status: capture.fetch.status, outcome: outcome.status,
    headers: capture.fetch.headers, pageUrl: outcome.page, snapshotId: outcome.snapshotId ?? null,
    // Where the response came from; how the page was rendered after it belongs to the snapshot.
    ...(capture.provenance?.warc || capture.provenance?.archive ? { provenance: { ...capture.provenance, render: undefined } } : {}),
  });
}

/**
 * A revisit (the crawler saw the same payload again) becomes the capture it repeats, at its own
 * date: usually unchanged, but a new snapshot when the page had changed in between and came back.
 * The payload is found through WARC-Refers-To: a record of this input, or one archived earlier;
 * else through WARC-Refers-To-Target-URI and -Date. Without it, the check alone is recorded.
 */
async function storeRevisit(archive: Archive, revisit: WarcRevisit, payloads: Map<string, string>, options: IngestOptions): Promise<IngestResult> {
  const r = revisit;
  const snapshotId = (r.refersTo && payloads.has(r.refersTo) ? await snapshotWithPayload(archive, payloads.get(r.refersTo)!) : undefined)
    ?? (r.refersTo ? await snapshotOfRecord(archive, r.refersTo) : undefined)
    ?? (r.refersToUrl && r.refersToDate ? await snapshotOfUrlAt(archive, r.refersToUrl, r.refersToDate) : undefined);
  const parts = snapshotId === undefined ? [] : await readRawParts(archive, snapshotId);
  const fetch = r.status === null ? undefined : { requestedUrl: r.targetUrl, finalUrl: r.targetUrl, status: r.status, headers: r.headers };
  if (parts.length === 0) {
    const page = await pageOfSource(archive, r.targetUrl);
    await recordCheck(archive, { url: r.targetUrl, checkedAt: r.date, status: r.status, outcome: 'unchanged', headers: r.headers, pageUrl: page, provenance: r.provenance });
    return { source: r.source, status: 'revisit', record: true, url: r.targetUrl, checkedAt: r.date.toISOString(), page };
  }
  const captures: Capture[] = parts.map((p, i) => ({
    source: r.source, origin: 'warc', bytes: p.bytes, capturedAt: r.date, capturedAtSource: 'warc',
    ...(i === 0 ? { targetUrl: r.targetUrl, provenance: r.provenance, ...(fetch ? { fetch } : {}) } : p.url ? { targetUrl: p.url } : {}),
    ...(p.contentType ? { contentType: p.contentType } : {}),
  }));
  const outcome = await archiveCaptures(archive, captures, options);
  await checkOf(archive, captures[0]!, outcome);
  return { ...outcome, revisit: true, record: true };
}

/**
 * acquire → parse → store for every source, one result per source (per record of a WARC). A
 * source that fails is reported and the rest go on; errors about the archive itself (locked,
 * schema) stop the run. HTTP checks are logged with their outcome, and their validators make the
 * next one conditional.
 */
export async function* ingest(archive: Archive, sources: string[], options: IngestOptions = {}): AsyncIterable<IngestResult> {
  const validators = (url: string) => validatorsFor(archive, url);
  // WARC-Record-ID → SHA-256 of the page it held, for revisits that refer to it later in the input.
  const payloads = new Map<string, string>();
  // Records of the WARC being read that turned out not to be pages after all (JSON no adapter reads).
  let notPages: Record<string, number> = {};
  for await (const got of acquire(sources, { ...options, validators })) {
    if (got.kind === 'failed') {
      if (isUrl(got.source) && got.error instanceof FetchError) {
        await recordCheck(archive, { url: got.source, checkedAt: new Date(), status: null, outcome: 'failed', error: got.error.message });
      }
      yield fail(got.source, got.error);
      continue;
    }
    if (got.kind === 'not-modified') {
      await recordCheck(archive, { url: got.source, checkedAt: got.capturedAt, status: 304, outcome: 'not-modified', headers: got.fetch.headers });
      yield { source: got.source, status: 'not-modified', checkedAt: got.capturedAt.toISOString(), fetch: got.fetch };
      continue;
    }
    if (got.kind === 'skipped') {
      yield { source: got.source, status: 'skipped', reason: got.reason };
      continue;
    }
    if (got.kind === 'container') {
      const { records, captures, revisits, skipped } = got.tally;
      const demoted = Object.values(notPages).reduce((a, b) => a + b, 0);
      for (const [reason, n] of Object.entries(notPages)) skipped[reason] = (skipped[reason] ?? 0) + n;
      notPages = {};
      yield { source: got.source, status: 'read', records, captures: captures - demoted, revisits, skipped, complete: got.complete };
      continue;
    }
    if (got.kind === 'revisit') {
      try {
        yield await storeRevisit(archive, got.revisit, payloads, options);
      } catch (err) {
        if (isArchiveError(err)) throw err;
        yield fail(got.revisit.source, err);
      }
      continue;
    }
    const { capture } = got;
    try {
      const follow = options.followPages && capture.origin === 'http' && options.fetcher;
      // When the newest page is unchanged, so is the blog: its older pages are not fetched again.
      const outcome = (follow ? await unchangedFirstPage(archive, capture) : undefined) ?? await (async () => {
        const pages = follow ? await withOlderPages(capture, options) : { captures: [capture, ...(got.parts ?? [])], parsed: [], warnings: [] };
        const written = await archiveCaptures(archive, pages.captures, options, pages.parsed);
        written.warnings.push(...pages.warnings);
        // The browser's warnings are about this capture, not the page's content: said, and kept in its render record.
        const render = capture.provenance?.render;
        return render ? { ...written, render, warnings: [...written.warnings, ...render.warnings] } : written;
      })();
      await checkOf(archive, capture, outcome);
      const recordId = capture.provenance?.warc?.recordId;
      if (recordId) payloads.set(recordId, sha256(capture.bytes));
      yield capture.origin === 'warc' ? { ...outcome, record: true } : outcome;
    } catch (err) {
      if (isArchiveError(err)) throw err;
      if (got.optional && notAPage(err)) {
        if (capture.origin === 'warc') notPages[got.optional] = (notPages[got.optional] ?? 0) + 1;
        else yield { source: capture.source, status: 'skipped', reason: got.optional };
        continue;
      }
      yield fail(capture.source, err);
    }
  }
}

export interface IngestSummary {
  sources: number;
  new: number;
  unchanged: number;
  failed: number;
  /** Files and records skipped, by reason ("not a page"). */
  skipped: Record<string, number>;
}

/**
 * Whether a result completes one of the sources counted ahead (countSources): not a WARC's
 * records, only the file once read (or the failure that stopped it), and not a skipped file.
 */
export function completesSource(r: IngestResult): boolean {
  if (r.status === 'skipped' || ('record' in r && r.record)) return false;
  return r.status !== 'read' || r.complete;
}

/** What a run did: sources new, unchanged (a 304, the same bytes, a revisit), failed; and what it skipped and why. */
export function summarize(results: IngestResult[]): IngestSummary {
  const count = (...status: Array<IngestResult['status']>): number => results.filter((r) => status.includes(r.status)).length;
  const skipped: Record<string, number> = {};
  for (const r of results) if (r.status === 'skipped') skipped[r.reason] = (skipped[r.reason] ?? 0) + 1;
  return {
    sources: count('new', 'unchanged', 'not-modified', 'revisit', 'failed'),
    new: count('new'), unchanged: count('unchanged', 'not-modified', 'revisit'), failed: count('failed'), skipped,
  };
}
