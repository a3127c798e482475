import { acquire, type AcquireOptions } from './acquire/index.js';
import { LiveArchiveError, ParseError } from './errors.js';
import type { ParseOptions } from './parse/index.js';
import type { Archive } from './store/archive.js';
import { ingestCapture, type IngestOutcome } from './store/ingest.js';

export interface IngestFailure {
  source: string;
  status: 'failed';
  error: LiveArchiveError;
}

export type IngestResult = IngestOutcome | IngestFailure;

export interface IngestOptions extends AcquireOptions, ParseOptions {}

/**
 * acquire → parse → store for every source, one result per capture. A source that fails is
 * reported and the rest go on; errors about the archive itself (locked, schema) stop the run.
 */
export async function* ingest(archive: Archive, sources: string[], options: IngestOptions = {}): AsyncIterable<IngestResult> {
  for await (const got of acquire(sources, options)) {
    if (!got.ok) {
      yield { source: got.source, status: 'failed', error: got.error };
      continue;
    }
    try {
      yield ingestCapture(archive, got.capture, options);
    } catch (err) {
      if (err instanceof LiveArchiveError && (err.code === 'E_LOCKED' || err.code === 'E_SCHEMA' || err.code === 'E_READONLY')) throw err;
      const error = err instanceof LiveArchiveError ? err : new ParseError(got.capture.source, `could not be parsed (${(err as Error).message})`, err);
      yield { source: got.capture.source, status: 'failed', error };
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
  const count = (status: IngestResult['status']): number => results.filter((r) => r.status === status).length;
  return { sources: results.length, new: count('new'), unchanged: count('unchanged'), failed: count('failed') };
}
