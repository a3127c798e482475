import { Command, Option } from 'commander';
import type { Fetcher } from '../../acquire/http.js';
import type { Renderer } from '../../acquire/render.js';
import type { WarcRecorder } from '../../export/warc-recorder.js';
import type { Archive } from '../../store/archive.js';
import { EXIT, UsageError } from '../../errors.js';
import type { IngestResult } from '../../ingest.js';
import { describeResult, describeSkipped, resultJson } from '../format.js';
import { runRebuild, wantsRebuild, withRebuildOptions, type RebuildFlags } from '../rebuild.js';
import { renderObject } from '../render.js';
import { colors } from '../color.js';
import { line, type Io, type RunState } from '../io.js';
import { startProgress, type Progress } from '../progress.js';
import { closeInOrder } from '../shutdown.js';
import { dbPath, parseCaptureTime, parseFetchOptions, parseRenderOptions, parseUrlOption, withDbOption, withFetchOptions, withRenderOptions, type FetchFlags, type RenderFlags } from '../options.js';

export interface IngestFlags extends FetchFlags, RebuildFlags, RenderFlags {
  db?: string;
  url?: string;
  capturedAt?: string;
  json?: boolean;
  quiet?: boolean;
  from?: string;
  retryBase?: string;
}

export function ingestCommand(io: Io, state: RunState): Command {
  return withRebuildOptions(withRenderOptions(withFetchOptions(withDbOption(new Command('ingest')))))
    .description("archive live-blog pages: URLs, files, directories (recursive), .gz, WARC and WACZ files, or - for stdin; or rebuild a page's past from a web archive")
    .argument('[source...]', 'URLs, page files, WARC/WACZ files, directories or - (stdin)')
    .option('--from <file|time>', 'also read sources from a file: one URL or path per line, # comments; with --wayback/--memento: only captures from this time on')
    .option('--url <url>', 'the page URL, overriding what the page says (canonical link, og:url, saved-from)')
    .option('--captured-at <iso>', 'when the page was captured (default: the file time; stdin: now; HTTP: the response)')
    .option('--json', 'print one JSON summary instead of a line per source')
    .option('-q, --quiet', 'print only errors')
    .addOption(new Option('--retry-base <ms>', 'first retry delay (tests)').hideHelp())
    .addHelpText('after', `
Examples:
  $ livearchive ingest page.html
  $ livearchive ingest https://www.theguardian.com/world/live/2025/… --follow-pages
  $ livearchive ingest --from nightly.txt --quiet --db /var/lib/livearchive/news.db
  $ curl -s https://example.com/live | livearchive ingest - --url https://example.com/live
  $ livearchive ingest snapshot.html.gz --captured-at 2025-11-25T15:10:00Z
  $ livearchive ingest crawl.warc.gz archive.wacz
  $ livearchive ingest https://example.com/live --warc captures.warc.gz
  $ livearchive ingest --wayback https://www.cnn.com/world/live-news/… --from 2025-11-25 --to 2025-11-26
  $ livearchive ingest --memento https://archive.example.org/timemap/link/https://example.com/live --dry-run
  $ livearchive ingest https://example.com/live --render --render-expand 10 --render-block-ads

A URL is fetched conditionally (If-None-Match / If-Modified-Since from its last capture); a 304,
or the same bytes again, records the check and adds nothing. With --render a URL is loaded in
headless Chromium (Debian: apt-get install chromium) and the DOM it renders is archived, with the
server's response kept beside it; --warc then records the browser's requests too.
Exit status: 0 all sources archived (or unchanged), 1 some failed (the rest are archived), 2 usage error, 3 archive unusable.`)
    .action(async (args: string[], opts: IngestFlags) => {
      if (wantsRebuild(opts)) {
        // An archived capture is what a crawler stored; a browser would run its scripts against the live site, not the archive.
        if (parseRenderOptions(opts, [])) throw new UsageError(`--render loads live pages; --${opts.wayback ? 'wayback' : 'memento'} reads captures as the archive stored them`);
        return runRebuild(io, state, args, opts);
      }
      const sources = [...args, ...(opts.from ? await (await import('../../acquire/list.js')).readSourceList(opts.from) : [])];
      if (sources.length === 0) throw new UsageError('no sources: give URLs, files, directories or -, or --from FILE');
      if (sources.filter((s) => s === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
      if (opts.url && sources.length > 1) throw new UsageError('--url names one page: give one source with it (a directory of captures of that page counts as one)');
      if (opts.capturedAt && sources.length > 1) throw new UsageError('--captured-at names one capture: give one source with it');
      const capturedAt = opts.capturedAt ? await parseCaptureTime(opts.capturedAt) : undefined;
      const url = opts.url ? parseUrlOption('--url', opts.url) : undefined;
      const fetch = parseFetchOptions(opts);
      const render = parseRenderOptions(opts, sources);
      const [{ openArchive }, { completesSource, ingest, summarize }, { isUrl }, { countSources }] = await Promise.all([
        import('../../store/archive.js'), import('../../ingest.js'), import('../../acquire/index.js'), import('../../acquire/count.js')]);
      let archive: Archive | undefined;
      let renderer: Renderer | undefined;
      let recorder: WarcRecorder | undefined;
      let fetcher: Fetcher | undefined;
      let progress: Progress | undefined;
      const results: IngestResult[] = [];
      const warn = colors(io, 'stdout').yellow;
      try {
        // The archive first: a --db that cannot be one fails before a browser is looked for.
        archive = await openArchive(dbPath(opts, io));
        renderer = render ? await (await import('../../acquire/render.js')).Renderer.open(render) : undefined;
        recorder = fetch.warc ? await (await import('../../export/warc-recorder.js')).WarcRecorder.open(fetch.warc) : undefined;
        // The HTTP client is loaded only when there is a URL to fetch.
        fetcher = sources.some(isUrl)
          ? new (await import('../../acquire/http.js')).Fetcher({ ...fetch.http, ...(opts.retryBase ? { retryBaseMs: Number(opts.retryBase) } : {}), ...(recorder ? { onExchange: recorder.record } : {}) })
          : undefined;
        // A bar on a terminal's stderr, counting the files inside directories too.
        progress = await startProgress(io, await countSources(sources), 'sources', { quiet: opts.quiet || opts.json });
        for await (const r of ingest(archive, sources, {
          capturedAt, url, stdin: io.stdin, ...(fetcher ? { fetcher } : {}), concurrency: fetch.concurrency, raw: fetch.raw, followPages: fetch.followPages, maxPageBytes: fetch.maxPageBytes, renderer,
        })) {
          results.push(r);
          if (completesSource(r)) progress.tick(r.source);
          if (opts.json) continue;
          if (r.status === 'failed') {
            progress.line(io.stderr, `livearchive: ${r.error.subject ?? r.source}: ${r.error.message}`);
            continue;
          }
          if (opts.quiet || r.status === 'skipped') continue;
          progress.line(io.stdout, describeResult(r));
          for (const w of r.status === 'new' ? r.warnings : []) progress.line(io.stdout, `  ${warn('warning:')} ${w}`);
        }
      } finally {
        progress?.stop();
        // An archive this run created and archived nothing into is not left behind.
        await closeInOrder(() => renderer?.close(), () => fetcher?.close(), () => recorder?.close(), () => archive?.close({ discardIfEmpty: true }));
      }
      const summary = summarize(results);
      if (opts.json) {
        await renderObject(io, { archive: archive.path, ...summary, results: results.map(resultJson) });
      } else if ((summary.sources > 1 || Object.keys(summary.skipped).length > 0) && !opts.quiet) {
        const skipped = describeSkipped(summary.skipped);
        line(io.stdout, `${summary.sources} sources: ${summary.new} new, ${summary.unchanged} unchanged, ${summary.failed} failed${skipped ? `; ${skipped}` : ''}`);
      }
      if (summary.failed > 0) state.exitCode = EXIT.partial;
    });
}
