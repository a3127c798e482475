import { Command } from 'commander';
import type { Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, readOnly, withDbOption, withOutputOptions } from '../options.js';
import { render } from '../render.js';

export function historyCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('history')))
    .description('every version of a post, with the captures that showed it')
    .argument('<post-id>', "the post's id, as `livearchive posts` shows it")
    .option('--page <url>', 'the page, when the same id exists on several')
    .addHelpText('after', `
Examples:
  $ livearchive history h_01aee11ad206d3f1fe2af23da8cbf9af
  $ livearchive history 751105 --page https://www.mirror.co.uk/news/uk-news/live-example --json`)
    .action(async (id: string, opts: OutputFlags & { db?: string; page?: string }) => {
      const format = outputFormat(opts, io);
      const [{ openArchive }, { postHistory }] = await Promise.all([import('../../store/archive.js'), import('../../store/research.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        const versions = await postHistory(archive, id, opts.page);
        // The same id on several pages (an article's "article"): say which page each row is from.
        const columns = ['version', 'firstSeenAt', 'lastSeenAt', 'snapshots', 'updatedAt', 'headline'];
        if (new Set(versions.map((v) => v.page)).size > 1) columns.unshift('page');
        await render(io, versions as unknown as Array<Record<string, unknown>>, format, (r) => ({ ...r, snapshots: (r['snapshots'] as string[]).length }), columns);
      } finally {
        await archive.close();
      }
    });
}
