import { FetchError, type Fetcher } from './acquire/http.js';
import { ARCHIVE_LIMITS, listCdxCaptures, listTimeMapCaptures, type ArchivedCapture, type LeftOut, type TimeRange } from './acquire/webarchive.js';
import { LiveArchiveError } from './errors.js';
import type { IngestResult } from './ingest.js';
import type { Archive } from './store/archive.js';
import { recordCheck, type StoreOptions } from './store/ingest.js';
import { ingestCaptures } from './store/ingest-capture.js';
import { fetchedFromArchive } from './store/provenance.js';
import type { Capture } from './types.js';

export interface RebuildOptions extends StoreOptions, TimeRange {
  /**
   * Fetches the index and the captures. Whatever its own limits, the archive is asked one request
   * at a time, at least a second apart (ARCHIVE_LIMITS), or more slowly if its delay is longer.
   */
  fetcher: Fetcher;
  /** Where the captures are listed: a CDX server for a page's URL, or a Memento TimeMap. */
  source: { cdx: { url: string; endpoint: string; replayBase: string } } | { timemap: string };
  /** At most this many captures fetched in this run (the oldest not yet archived). */
  limit?: number;
  /** List what would be fetched, and fetch nothing. */
  dryRun?: boolean;
}

export type RebuildEvent =
  /** `leftOut`: index entries that name no http(s) URL, by reason (not counted in `listed`). */
  | { type: 'listed'; listed: number; archived: number; toFetch: ArchivedCapture[]; leftOut: LeftOut }
  | { type: 'capture'; index: number; of: number; capture: ArchivedCapture; result: IngestResult };

/** The capture time a replay states (Memento-Datetime), else the one the index gave. */
function mementoTime(headers: Record<string, string>, listed: Date): Date {
  const t = Date.parse(headers['memento-datetime'] ?? '');
  return Number.isNaN(t) ? listed : new Date(t);
}

/**
 * A live blog's past rebuilt from a web archive: its captures listed (CDX or TimeMap), those not
 * yet archived fetched in time order through the fetcher (original bytes, id_ replay), each one
 * archived as a snapshot timed by the archive's capture time (source "archive") with the replay
 * URL in its provenance. Every fetch is logged as a check of the replay URL, so a run that stops
 * half-way is resumed by running it again: only captures not yet fetched are fetched.
 */
export async function* rebuildFromArchive(archive: Archive, options: RebuildOptions): AsyncIterable<RebuildEvent> {
  // One client for the whole run, so that the listing and the fetches are paced as one.
  const fetcher = options.fetcher.stricter(ARCHIVE_LIMITS);
  const leftOut: LeftOut = {};
  const listed = 'timemap' in options.source
    ? await listTimeMapCaptures(fetcher, options.source.timemap, { ...options, leftOut })
    : await listCdxCaptures(fetcher, options.source.cdx.url, { ...options, ...options.source.cdx, leftOut });
  const pending: ArchivedCapture[] = [];
  for (const c of listed) if (!await fetchedFromArchive(archive, c.replayUrl)) pending.push(c);
  const toFetch = options.limit ? pending.slice(0, options.limit) : pending;
  yield { type: 'listed', listed: listed.length, archived: listed.length - pending.length, toFetch, leftOut };
  if (options.dryRun) return;
  for (const [i, listedCapture] of toFetch.entries()) {
    yield { type: 'capture', index: i + 1, of: toFetch.length, capture: listedCapture, result: await fetchOne(archive, fetcher, listedCapture, options) };
  }
}

async function fetchOne(archive: Archive, fetcher: Fetcher, c: ArchivedCapture, options: RebuildOptions): Promise<IngestResult> {
  const provenance = { archive: { url: c.replayUrl, timestamp: c.timestamp, original: c.original, via: c.via, index: c.index } };
  let got;
  try {
    got = await fetcher.fetchPage(c.replayUrl);
  } catch (err) {
    if (!(err instanceof LiveArchiveError)) throw err;
    await recordCheck(archive, { url: c.replayUrl, checkedAt: new Date(), status: null, outcome: 'failed', error: err.message, provenance });
    return { source: c.replayUrl, status: 'failed', error: err };
  }
  if (got.notModified) throw new FetchError(c.replayUrl, 'the archive answered 304 to an unconditional request');
  const fetched = got.capture;
  const capture: Capture = {
    ...fetched, source: c.replayUrl, origin: 'archive', targetUrl: c.original, provenance,
    capturedAt: mementoTime(fetched.fetch?.headers ?? {}, c.datetime), capturedAtSource: 'archive',
  };
  try {
    const outcome = await ingestCaptures(archive, [capture], options);
    await recordCheck(archive, {
      url: c.replayUrl, checkedAt: fetched.capturedAt, status: fetched.fetch?.status ?? null, outcome: outcome.status,
      pageUrl: outcome.page, snapshotId: outcome.snapshotId ?? null, provenance,
    });
    return outcome;
  } catch (err) {
    // What the archive served may not be a page; the archive itself failing stops the run.
    if (!(err instanceof LiveArchiveError) || (err.code !== 'E_INPUT' && err.code !== 'E_PARSE')) throw err;
    return { source: c.replayUrl, status: 'failed', error: err };
  }
}
