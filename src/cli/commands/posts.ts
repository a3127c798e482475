import { Command } from 'commander';
import type { PostRecord } from '../../store/read.js';
import type { Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, parseIsoOption, readOnly, withDbOption, withOutputOptions } from '../options.js';
import { render } from '../render.js';

function tableRow(r: Record<string, unknown>): Record<string, unknown> {
  const p = r as unknown as PostRecord;
  return {
    // The post's time as search and the filters use it: first publication, else last update.
    time: p.publishedAt ?? p.updatedAt ?? '',
    id: p.id,
    version: `${p.version}/${p.versionCount}`,
    state: p.removedAt ? 'removed' : p.origin === 'structured-data' ? 'ld-only' : p.pinned ? 'pinned' : '',
    media: p.media.length,
    contributors: p.contributors.map((c) => c.name).join(', '),
    headline: p.headline ?? p.bodyText.slice(0, 80),
  };
}

export function postsCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('posts')))
    .description("a page's posts in their latest state, in page order (removed ones last), or as they stood at a time")
    .argument('<page-url>', 'the page, as `livearchive pages` lists it')
    .option('--at <time>', 'the posts as they stood then (the latest capture at or before it; a date alone: at its end, UTC), in page order')
    .addHelpText('after', `
Examples:
  $ livearchive posts https://www.cnn.com/world/live-news/example/index.html
  $ livearchive posts https://example.com/live --json | jq '.[0].bodyText'
  $ livearchive posts https://example.com/live --at 2025-11-25T12:00:00Z`)
    .action(async (url: string, opts: OutputFlags & { db?: string; at?: string }) => {
      const format = outputFormat(opts, io);
      const at = opts.at ? await parseIsoOption('--at', opts.at, { dateAtEndOfDay: true }) : null;
      const [{ openArchive }, { listPosts, postsAt }] = await Promise.all([import('../../store/archive.js'), import('../../store/read.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        const posts = at ? await postsAt(archive, url, at) : await listPosts(archive, url);
        await render(io, posts as unknown as Array<Record<string, unknown>>, format, tableRow, undefined, { whole: ['id'], optional: ['contributors', 'media', 'version', 'state'] });
      } finally {
        await archive.close();
      }
    });
}
