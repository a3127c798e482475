import { parsePage } from '../parse/index.js';
import type { Capture, ParsedPage } from '../types.js';
import type { Archive } from './archive.js';
import { knownCapture, storeCaptures, type IngestOutcome, type StoreOptions } from './ingest.js';

/**
 * Archive one capture (or a live blog's pages fetched together, newest first). The same bytes
 * again change nothing and are not even parsed. Pages the caller has parsed already (to follow
 * their links) are passed in, not parsed twice.
 */
export async function ingestCaptures(archive: Archive, captures: Capture[], options: StoreOptions = {}, parsedAlready: ParsedPage[] = []): Promise<IngestOutcome> {
  return await knownCapture(archive, captures)
    ?? storeCaptures(archive, captures, captures.map((c, i) => parsedAlready[i] ?? parsePage(c, options)), options);
}

export function ingestCapture(archive: Archive, capture: Capture, options: StoreOptions = {}): Promise<IngestOutcome> {
  return ingestCaptures(archive, [capture], options);
}
