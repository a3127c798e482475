import { setTimeout as sleep } from 'node:timers/promises';
import { ingest, type IngestOptions, type IngestResult } from './ingest.js';
import type { Archive } from './store/archive.js';
import { coverageEndFor } from './store/read.js';

export interface WatchOptions extends IngestOptions {
  everyMs: number;
  /** Stop before a round that would start after this time. */
  until?: Date;
  /** Stop after this many rounds. */
  count?: number;
  /** Stop watching a page once its coverage end (from the page) has passed by `coverageGraceMs`. */
  stopAtCoverageEnd?: boolean;
  /**
   * Some pages (the Guardian's) give their latest update as the coverage end while live: only
   * an end this far in the past means the coverage is over. Default one hour.
   */
  coverageGraceMs?: number;
  /** Stops the watch between checks; a check under way finishes (and its transaction). */
  signal?: AbortSignal;
}

export type WatchEvent =
  | { type: 'check'; round: number; result: IngestResult }
  | { type: 'ended'; source: string; coverageEnd: string }
  /** Every page of the round has been checked. */
  | { type: 'round'; round: number };

/**
 * Snapshot pages again and again while they are live: a conditional check of every URL each
 * interval (rounds keep to a fixed schedule), until a time, a number of rounds, the pages'
 * coverage end, or the signal.
 */
export async function* watch(archive: Archive, urls: string[], options: WatchOptions): AsyncIterable<WatchEvent> {
  const active = new Set(urls);
  const start = Date.now();
  for (let round = 1; ; round++) {
    for await (const result of ingest(archive, [...active], options)) {
      yield { type: 'check', round, result };
      if (options.stopAtCoverageEnd) {
        const end = await coverageEndFor(archive, result.source);
        if (end && Date.parse(end) + (options.coverageGraceMs ?? 3_600_000) <= Date.now()) {
          active.delete(result.source);
          yield { type: 'ended', source: result.source, coverageEnd: end };
        }
      }
    }
    yield { type: 'round', round };
    if (active.size === 0 || (options.count !== undefined && round >= options.count) || options.signal?.aborted) return;
    let next = start + round * options.everyMs;
    // A round that overran its interval (a slow or retrying host) skips the slots it missed,
    // so rounds never run back to back past --for/--until.
    if (next < Date.now()) next += Math.ceil((Date.now() - next) / options.everyMs) * options.everyMs;
    if (options.until && next > options.until.getTime()) return;
    try {
      await sleep(Math.max(0, next - Date.now()), undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}
