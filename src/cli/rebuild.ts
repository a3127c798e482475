import type { Command } from 'commander';
import { WAYBACK_CDX } from '../acquire/endpoints.js';
import { EXIT, UsageError } from '../errors.js';
import type { IngestResult } from '../ingest.js';
import type { RebuildOptions } from '../rebuild.js';
import type { Fetcher } from '../acquire/http.js';
import type { WarcRecorder } from '../export/warc-recorder.js';
import type { Archive } from '../store/archive.js';
import { describeResult, plural, resultJson } from './format.js';
import { line, type Io, type RunState } from './io.js';
import { startProgress, type Progress } from './progress.js';
import { dbPath, parseFetchOptions, parseLimit, parseUrlOption, type FetchFlags } from './options.js';
import { renderObject } from './render.js';
import { closeInOrder } from './shutdown.js';

/** ingest's flags for rebuilding a page's past from a web archive. */
export function withRebuildOptions(cmd: Command): Command {
  return cmd
    .option('--wayback <url>', "rebuild a page's past from the Wayback Machine (or --cdx-endpoint): every capture, oldest first")
    .option('--memento <timemap-url>', 'the same from any Memento archive, through its TimeMap (RFC 7089 link format)')
    .option('--to <date|time>', 'with --wayback/--memento: only captures up to this time (a date alone: that whole day)')
    .option('--limit <n>', 'with --wayback/--memento: fetch at most this many captures in this run (the oldest not yet archived)')
    .option('--cdx-endpoint <url>', `with --wayback: a pywb or OpenWayback CDX server instead of the Wayback Machine's (${WAYBACK_CDX})`)
    .option('--replay-base <url>', 'with --cdx-endpoint: where its captures are replayed, when it cannot be told from the endpoint')
    .option('--dry-run', 'with --wayback/--memento: list the captures that would be fetched, and fetch nothing');
}

export interface RebuildFlags extends FetchFlags {
  db?: string;
  wayback?: string;
  memento?: string;
  from?: string;
  to?: string;
  limit?: string;
  cdxEndpoint?: string;
  replayBase?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  retryBase?: string;
}

/** Whether the flags ask for a rebuild from a web archive; the flags that only mean something then are refused otherwise. */
export function wantsRebuild(opts: RebuildFlags): boolean {
  if (opts.wayback || opts.memento) return true;
  const stray = (['to', 'limit', 'cdxEndpoint', 'replayBase', 'dryRun'] as const).find((k) => opts[k] !== undefined);
  if (stray) throw new UsageError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with --wayback or --memento`);
  return false;
}

async function timeRange(opts: RebuildFlags): Promise<{ from?: Date; to?: Date }> {
  const { parseTimeFilter, refuseReversed } = await import('../filter-input.js');
  const dateOnly = (v: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
  // --from is a time here: the CDX API's own word for the range.
  const from = opts.from ? parseTimeFilter('--from', opts.from, 'UTC', false) : undefined;
  // Inclusive: a date means its whole day, a time its whole second (archives name seconds).
  const to = opts.to ? (dateOnly(opts.to) ? parseTimeFilter('--to', opts.to, 'UTC', true) : new Date(parseTimeFilter('--to', opts.to, 'UTC', false).getTime() + 1000)) : undefined;
  if (from && to) refuseReversed({ flag: '--from', value: opts.from!, at: from }, { flag: '--to', value: opts.to!, at: to }, 'capture');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export async function runRebuild(io: Io, state: RunState, args: string[], opts: RebuildFlags): Promise<void> {
  if (opts.wayback && opts.memento) throw new UsageError('give --wayback or --memento, not both');
  if (args.length > 0) throw new UsageError(`--${opts.wayback ? 'wayback' : 'memento'} rebuilds one page from an archive: give no other sources`);
  const endpoint = opts.cdxEndpoint ? parseUrlOption('--cdx-endpoint', opts.cdxEndpoint) : WAYBACK_CDX;
  const replayBase = opts.replayBase ? parseUrlOption('--replay-base', opts.replayBase) : (await import('../acquire/webarchive.js')).replayBaseFor(endpoint);
  if (opts.wayback && !replayBase) throw new UsageError(`cannot tell where ${endpoint} replays its captures: give --replay-base`);
  const source: RebuildOptions['source'] = opts.wayback
    ? { cdx: { url: parseUrlOption('--wayback', opts.wayback), endpoint, replayBase: replayBase! } }
    : { timemap: parseUrlOption('--memento', opts.memento!) };
  const fetch = parseFetchOptions(opts);
  // Checked before the archive is opened: a mistyped range creates nothing.
  const range = { ...(await timeRange(opts)), ...(opts.limit ? { limit: parseLimit(opts.limit) } : {}) };
  const [{ Fetcher }, { WarcRecorder }, { rebuildFromArchive }, { openArchive }] = await Promise.all([
    import('../acquire/http.js'), import('../export/warc-recorder.js'), import('../rebuild.js'), import('../store/archive.js')]);
  // A bar on a terminal's stderr once the captures to fetch are known: "14/37 captures | … | 2025-11-25T13:02:11Z".
  let progress: Progress | undefined;
  const results: IngestResult[] = [];
  let listed = { listed: 0, archived: 0, toFetch: 0, leftOut: {} as Record<string, number> };
  let archive: Archive | undefined;
  let recorder: WarcRecorder | undefined;
  let fetcher: Fetcher | undefined;
  try {
    archive = await openArchive(dbPath(opts, io));
    recorder = fetch.warc ? await WarcRecorder.open(fetch.warc) : undefined;
    // The library asks the archive one request at a time, at least a second apart, whatever --delay says.
    fetcher = new Fetcher({
      ...fetch.http,
      ...(opts.retryBase ? { retryBaseMs: Number(opts.retryBase) } : {}), ...(recorder ? { onExchange: recorder.record } : {}),
    });
    for await (const event of rebuildFromArchive(archive, {
      fetcher, source, raw: fetch.raw, ...range, dryRun: opts.dryRun ?? false,
    })) {
      if (event.type === 'listed') {
        listed = { listed: event.listed, archived: event.archived, toFetch: event.toFetch.length, leftOut: event.leftOut };
        if (opts.dryRun && !opts.json) for (const c of event.toFetch) line(io.stdout, `${c.datetime.toISOString()}  ${c.replayUrl}`);
        progress = await startProgress(io, event.toFetch.length, 'captures', { quiet: opts.quiet || opts.json || opts.dryRun });
        continue;
      }
      progress?.tick(event.capture.datetime.toISOString().replace('.000Z', 'Z'));
      results.push(event.result);
      if (opts.json) continue;
      const r = event.result;
      if (r.status === 'failed') progress?.line(io.stderr, `livearchive: ${r.error.subject ?? r.source}: ${r.error.message}`);
      else if (!opts.quiet) progress?.line(io.stdout, describeResult(r));
    }
  } finally {
    progress?.stop();
    // An archive this run created and archived nothing into (a --dry-run, captures that all failed) is not left behind.
    await closeInOrder(() => fetcher?.close(), () => recorder?.close(), () => archive?.close({ discardIfEmpty: true }));
  }
  const count = (s: string): number => results.filter((r) => r.status === s).length;
  const failed = count('failed');
  if (opts.json) {
    await renderObject(io, { archive: archive.path, ...listed, dryRun: opts.dryRun ?? false, new: count('new'), unchanged: count('unchanged'), failed,
      results: results.map(resultJson) });
  } else if (!opts.quiet) {
    const index = `${listed.listed} listed, ${listed.archived} already archived${Object.entries(listed.leftOut).map(([why, n]) => `; ${n} left out: ${why}`).join('')}`;
    line(io.stdout, opts.dryRun
      ? `${plural(listed.toFetch, 'capture')} to fetch (${index})`
      : `${plural(results.length, 'capture')} fetched: ${count('new')} new, ${count('unchanged')} unchanged, ${failed} failed (${index})`);
  }
  if (failed > 0) state.exitCode = EXIT.partial;
}
