import { Command } from 'commander';
import { openArchive } from '../../store/archive.js';
import { listPosts, type PostRecord } from '../../store/read.js';
import type { Io } from '../io.js';
import { dbPath, outputFormat, withDbOption, withOutputOptions, type OutputFlags } from '../options.js';
import { render } from '../render.js';

function tableRow(r: Record<string, unknown>): Record<string, unknown> {
  const p = r as unknown as PostRecord;
  return {
    time: p.updatedAt ?? p.publishedAt ?? '',
    id: p.id,
    v: p.versionCount,
    state: p.removedAt ? 'removed' : p.origin === 'structured-data' ? 'ld-only' : p.pinned ? 'pinned' : '',
    media: p.media.length,
    headline: p.headline ?? p.bodyText.slice(0, 80),
  };
}

export function postsCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('posts')))
    .description("a page's posts in their latest state, newest first (removed ones last)")
    .argument('<page-url>', 'the page, as `livearchive pages` lists it')
    .addHelpText('after', `
Examples:
  $ livearchive posts https://www.cnn.com/world/live-news/example/index.html
  $ livearchive posts https://example.com/live --json | jq '.[0].bodyText'`)
    .action(async (url: string, opts: OutputFlags & { db?: string }) => {
      const format = outputFormat(opts, io);
      const archive = openArchive(dbPath(opts, io), { readonly: true });
      try {
        await render(io, listPosts(archive, url) as unknown as Array<Record<string, unknown>>, format, tableRow);
      } finally {
        archive.close();
      }
    });
}
