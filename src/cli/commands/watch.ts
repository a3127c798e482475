import { Command, Option } from 'commander';
import { EXIT, UsageError } from '../../errors.js';
import { line, type Io, type RunState } from '../io.js';
import { dbPath, parseDuration, parseFetchOptions, parseIsoOption, parseRenderOptions, withDbOption, withFetchOptions, withRenderOptions, type FetchFlags, type RenderFlags } from '../options.js';
import { describeResult, plural, resultJson } from '../format.js';
import { renderLine } from '../render.js';
import { closeInOrder } from '../shutdown.js';
import type { Fetcher } from '../../acquire/http.js';
import type { Renderer } from '../../acquire/render.js';
import type { WarcRecorder } from '../../export/warc-recorder.js';
import type { Archive } from '../../store/archive.js';

interface WatchFlags extends FetchFlags, RenderFlags {
  db?: string;
  every: string;
  until?: string;
  for?: string;
  count?: string;
  stopAtCoverageEnd?: boolean;
  coverageGrace: string;
  quiet?: boolean;
  json?: boolean;
  nl?: boolean;
  retryBase?: string;
}

export function watchCommand(io: Io, state: RunState): Command {
  return withRenderOptions(withFetchOptions(withDbOption(new Command('watch'))))
    .description('snapshot live pages again and again: a conditional check of each at every interval')
    .argument('<url...>', 'live pages to watch')
    .option('--every <duration>', 'interval between checks (30s, 2m, 1h)', '2m')
    .option('--until <iso>', 'stop at this time')
    .option('--for <duration>', 'stop after this long')
    .option('--count <n>', 'stop after this many rounds of checks')
    .option('--stop-at-coverage-end', "stop watching a page once its coverage end time has passed (by --coverage-grace)")
    .option('--coverage-grace <duration>', 'how long past its stated coverage end a page must be to count as over (some pages state their latest update)', '1h')
    .option('-q, --quiet', 'print only errors')
    .option('--json', 'print one JSON object per round (one a line): its time, results and pages no longer watched')
    .option('--nl', 'same as --json')
    .addOption(new Option('--retry-base <ms>', 'first retry delay (tests)').hideHelp())
    .addHelpText('after', `
Examples:
  $ livearchive watch https://www.theguardian.com/world/live/2025/… --every 2m --for 6h
  $ livearchive watch https://example.com/live --every 5m --stop-at-coverage-end --db event.db
  $ livearchive watch https://example.com/live --every 2m --for 6h --warc event.warc.gz
  $ livearchive watch https://example.com/live-widget --every 5m --render --render-block-ads

  $ livearchive watch https://example.com/live --every 5m --nl | jq -c '.results[] | {source, status}'

Prints a line per check (new / edited / removed posts, or unchanged), or with --json / --nl
one JSON object per round. Ctrl-C (SIGINT) or
SIGTERM stops it after the check under way; nothing is left half-written.`)
    .action(async (urls: string[], opts: WatchFlags) => {
      const everyMs = parseDuration('--every', opts.every);
      if (opts.until && opts.for) throw new UsageError('give --until or --for, not both');
      const until = opts.until ? await parseIsoOption('--until', opts.until) : opts.for ? new Date(Date.now() + parseDuration('--for', opts.for)) : undefined;
      if (until && until.getTime() <= Date.now()) throw new UsageError(`--until ${until.toISOString()} is already past`);
      const count = opts.count ? Number(opts.count) : undefined;
      if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new UsageError(`--count wants a positive whole number (got "${opts.count}")`);
      const fetch = parseFetchOptions(opts);
      const render = parseRenderOptions(opts, urls);
      const [{ Fetcher }, { openArchive }, { watch }, { WarcRecorder }] = await Promise.all([
        import('../../acquire/http.js'), import('../../store/archive.js'), import('../../watch.js'), import('../../export/warc-recorder.js')]);
      const stop = new AbortController();
      const onSignal = (): void => {
        if (!stop.signal.aborted) line(io.stderr, 'livearchive: stopping after the check under way…');
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let rounds = 0;
      let snapshots = 0;
      let failures = 0;
      const json = opts.json || opts.nl;
      let round: { round: number; results: Array<Record<string, unknown>>; ended: Array<{ source: string; coverageEnd: string }> } | null = null;
      let archive: Archive | undefined;
      let renderer: Renderer | undefined;
      let recorder: WarcRecorder | undefined;
      let fetcher: Fetcher | undefined;
      try {
        archive = await openArchive(dbPath(opts, io));
        renderer = render ? await (await import('../../acquire/render.js')).Renderer.open(render) : undefined;
        recorder = fetch.warc ? await WarcRecorder.open(fetch.warc) : undefined;
        fetcher = new Fetcher({ ...fetch.http, ...(opts.retryBase ? { retryBaseMs: Number(opts.retryBase) } : {}), ...(recorder ? { onExchange: recorder.record } : {}) });
        for await (const event of watch(archive, urls, {
          everyMs, ...(until ? { until } : {}), ...(count ? { count } : {}), stopAtCoverageEnd: opts.stopAtCoverageEnd ?? false,
          coverageGraceMs: parseDuration('--coverage-grace', opts.coverageGrace),
          signal: stop.signal, fetcher, raw: fetch.raw, followPages: fetch.followPages, concurrency: fetch.concurrency, renderer,
        })) {
          round ??= { round: rounds + 1, results: [], ended: [] };
          if (event.type === 'round') {
            rounds = event.round;
            if (json) await renderLine(io, { round: round.round, finishedAt: new Date().toISOString(), results: round.results, ended: round.ended });
            round = null;
            continue;
          }
          if (event.type === 'ended') {
            round.ended.push({ source: event.source, coverageEnd: event.coverageEnd });
            if (!opts.quiet && !json) line(io.stdout, `${event.source}: coverage ended at ${event.coverageEnd}; no longer watched`);
            continue;
          }
          const r = event.result;
          round.results.push(resultJson(r));
          if (r.status === 'failed') failures++;
          if (r.status === 'new') snapshots++;
          if (json) continue;
          if (r.status === 'failed') line(io.stderr, `${new Date().toISOString()} livearchive: ${r.error.subject ?? r.source}: ${r.error.message}`);
          else if (!opts.quiet) line(io.stdout, `${new Date().toISOString()} ${describeResult(r)}`);
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        // An archive this run created and archived nothing into is not left behind.
        await closeInOrder(() => renderer?.close(), () => fetcher?.close(), () => recorder?.close(), () => archive?.close({ discardIfEmpty: true }));
      }
      if (!opts.quiet && !json) line(io.stdout, `watch ended: ${plural(rounds, 'round')}, ${plural(snapshots, 'new snapshot')}, ${plural(failures, 'failed check')}`);
      if (failures > 0) state.exitCode = EXIT.partial;
    });
}
