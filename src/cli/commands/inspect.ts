import { Command } from 'commander';
import type { ParsedPage, Post } from '../../types.js';
import { kindLabel } from '../format.js';
import { renderObject } from '../render.js';
import { line, type Io } from '../io.js';
import { parseCaptureTime, parseRenderOptions, parseUrlOption, withRenderOptions, type RenderFlags } from '../options.js';

/** Where a post's id and time came from, and what other sources said: how a maintainer reads a new page. */
function sources(p: Post): string {
  const prov = p.provenance;
  if (!prov) return '';
  const [taken, ...others] = prov.times;
  const differing = others.filter((t) => taken && Math.abs(Date.parse(t.at) - Date.parse(taken.at)) >= 60_000);
  return `  id:${prov.id} time:${taken?.from ?? '-'}${differing.map((t) => ` (${t.from} said ${t.at})`).join('')}`;
}

function summary(io: Io, p: ParsedPage): void {
  line(io.stdout, `page:      ${p.url ?? '(no URL found)'}`);
  line(io.stdout, `adapter:   ${p.adapter.id}@${p.adapter.version}`);
  line(io.stdout, `kind:      ${kindLabel(p.kind)}`);
  line(io.stdout, `publisher: ${p.publisher ?? ''}`);
  line(io.stdout, `title:     ${p.title ?? ''}`);
  line(io.stdout, `encoding:  ${p.encoding}`);
  const media = p.posts.reduce((n, x) => n + x.media.length, 0);
  const people = new Set(p.posts.flatMap((x) => x.contributors.map((c) => c.name))).size;
  line(io.stdout, `posts:     ${p.posts.length} (${p.posts.filter((x) => x.origin === 'structured-data').length} only in structured data), ${media} media, ${people} contributors`);
  for (const x of p.posts) {
    const flags = [x.pinned && 'pinned', x.keyEvent && 'key event', x.origin === 'structured-data' && 'ld-only'].filter(Boolean).join(',');
    line(io.stdout, `  ${(x.publishedAt ?? x.updatedAt ?? '-').padEnd(24)}  ${x.id}  ${x.headline ?? `“${x.bodyText.slice(0, 60).replace(/\s+/g, ' ')}”`}`
      + `  [${x.media.length} media, ${x.contributors.length} people${flags ? `; ${flags}` : ''}]${sources(x)}`);
  }
  for (const w of p.warnings) line(io.stdout, `warning: ${w}`);
}

export function inspectCommand(io: Io): Command {
  return withRenderOptions(new Command('inspect'))
    .description('show what a page yields (adapter, kind, posts, warnings) without archiving it')
    .argument('<source>', 'a page file, a URL, or - for stdin')
    .option('--url <url>', 'the page URL, overriding what the page says')
    .option('--captured-at <iso>', 'capture time for relative times (default: the file time)')
    .option('--adapter <id>', 'parse with this adapter instead of the one chosen (e.g. generic, to compare)')
    .option('--json', 'print the parsed page as JSON')
    .addHelpText('after', `
Examples:
  $ livearchive inspect saved-page.html
  $ livearchive inspect page.html.gz --json | jq '.posts | length'
  $ livearchive inspect page.html --adapter generic     # what the page yields without its adapter
  $ livearchive inspect https://example.com/live --render   # what it yields as a browser shows it`)
    .action(async (source: string, opts: RenderFlags & { url?: string; capturedAt?: string; json?: boolean; adapter?: string }) => {
      const render = parseRenderOptions(opts, [source]);
      const renderer = render ? await (await import('../../acquire/render.js')).Renderer.open(render) : undefined;
      const [{ Fetcher }, { inspectSource }] = await Promise.all([import('../../acquire/http.js'), import('../../inspect.js')]);
      const fetcher = new Fetcher();
      let parsed: ParsedPage;
      try {
        parsed = await inspectSource(source, {
          stdin: io.stdin,
          fetcher,
          renderer,
          ...(opts.adapter ? { adapter: opts.adapter } : {}),
          ...(opts.url ? { url: parseUrlOption('--url', opts.url) } : {}),
          ...(opts.capturedAt ? { capturedAt: await parseCaptureTime(opts.capturedAt) } : {}),
        });
      } finally {
        await fetcher.close();
        await renderer?.close();
      }
      if (opts.json) await renderObject(io, parsed);
      else summary(io, parsed);
    });
}
