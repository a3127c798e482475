import { Command } from 'commander';
import type { Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, readOnly, withDbOption, withOutputOptions } from '../options.js';
import { render } from '../render.js';

export function pagesCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('pages')))
    .description('list archived pages with their snapshot and post counts')
    .addHelpText('after', `
Examples:
  $ livearchive pages
  $ livearchive pages --json | jq '.[].url'`)
    .action(async (opts: OutputFlags & { db?: string }) => {
      const format = outputFormat(opts, io);
      const [{ openArchive }, { listPages }] = await Promise.all([import('../../store/archive.js'), import('../../store/read.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        await render(io, await listPages(archive) as unknown as Array<Record<string, unknown>>, format, undefined,
          ['lastCapture', 'kind', 'snapshots', 'posts', 'removed', 'publisher', 'url'], { optional: ['removed', 'snapshots', 'kind'] });
      } finally {
        await archive.close();
      }
    });
}
