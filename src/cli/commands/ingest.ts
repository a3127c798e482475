import { Command } from 'commander';
import { EXIT, UsageError } from '../../errors.js';
import { ingest, summarize, type IngestResult } from '../../ingest.js';
import { openArchive } from '../../store/archive.js';
import { renderObject } from '../render.js';
import { line, type Io, type RunState } from '../io.js';
import { dbPath, parseIsoOption, parseUrlOption, withDbOption } from '../options.js';

const CAPTURED_FROM = { option: 'from --captured-at', mtime: 'file time', now: 'time of reading', http: 'HTTP response' } as const;

function describe(r: IngestResult): string {
  if (r.status === 'failed') return '';
  if (r.status === 'unchanged') return `${r.source}: unchanged (same bytes already archived for ${r.page}, captured ${r.capturedAt})`;
  const p = r.posts!;
  const kind = r.kind === 'liveblog' ? 'live blog' : r.kind === 'article' ? 'article, not a live blog' : 'not recognised as a live blog or article';
  return `${r.source}: new snapshot of ${r.page} [${kind}; ${r.adapter}] captured ${r.capturedAt} (${CAPTURED_FROM[r.capturedAtSource]}): `
    + `${p.total} posts (${p.new} new, ${p.edited} edited, ${p.removed} removed)`;
}

function toJson(r: IngestResult): Record<string, unknown> {
  if (r.status === 'failed') return { source: r.source, status: 'failed', error: { code: r.error.code, message: r.error.message } };
  return { ...r };
}

export function ingestCommand(io: Io, state: RunState): Command {
  return withDbOption(new Command('ingest'))
    .description('archive saved live-blog pages: files, directories (recursive), .gz, or - for stdin')
    .argument('<source...>', 'page files, directories or - (stdin)')
    .option('--url <url>', 'the page URL, overriding what the page says (canonical link, og:url, saved-from)')
    .option('--captured-at <iso>', 'when the page was captured (default: the file time; stdin: now)')
    .option('--json', 'print one JSON summary instead of a line per source')
    .option('-q, --quiet', 'print only errors')
    .addHelpText('after', `
Examples:
  $ livearchive ingest page.html
  $ livearchive ingest saved-pages/ --db coverage.db
  $ curl -s https://example.com/live | livearchive ingest - --url https://example.com/live
  $ livearchive ingest snapshot.html.gz --captured-at 2025-11-25T15:10:00Z

Exit status: 0 all sources archived (or unchanged), 1 some failed (the rest are archived), 2 usage error, 3 archive unusable.`)
    .action(async (sources: string[], opts: { db?: string; url?: string; capturedAt?: string; json?: boolean; quiet?: boolean }) => {
      if (sources.filter((s) => s === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
      const capturedAt = opts.capturedAt ? parseIsoOption('--captured-at', opts.capturedAt) : undefined;
      const url = opts.url ? parseUrlOption('--url', opts.url) : undefined;
      const archive = openArchive(dbPath(opts, io));
      const results: IngestResult[] = [];
      try {
        for await (const r of ingest(archive, sources, { capturedAt, url, stdin: io.stdin })) {
          results.push(r);
          if (opts.json) continue;
          if (r.status === 'failed') {
            line(io.stderr, `livearchive: ${r.error.subject ?? r.source}: ${r.error.message}`);
            continue;
          }
          if (opts.quiet) continue;
          line(io.stdout, describe(r));
          for (const w of r.warnings) line(io.stdout, `  warning: ${w}`);
        }
      } finally {
        archive.close();
      }
      const summary = summarize(results);
      if (opts.json) {
        await renderObject(io, { archive: archive.path, ...summary, results: results.map(toJson) });
      } else if (results.length > 1 && !opts.quiet) {
        line(io.stdout, `${summary.sources} sources: ${summary.new} new, ${summary.unchanged} unchanged, ${summary.failed} failed`);
      }
      if (summary.failed > 0) state.exitCode = EXIT.partial;
    });
}
