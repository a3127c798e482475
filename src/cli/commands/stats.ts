import { Command } from 'commander';
import type { Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, readOnly, withDbOption, withOutputOptions } from '../options.js';
import { render } from '../render.js';

export function statsCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('stats')))
    .description('what the archive holds, per publisher: pages, snapshots, posts, versions, contributors, media, date ranges')
    .addHelpText('after', `
Examples:
  $ livearchive stats
  $ livearchive stats --json | jq '.[] | {publisher, posts}'`)
    .action(async (opts: OutputFlags & { db?: string }) => {
      const format = outputFormat(opts, io);
      const [{ openArchive }, { archiveStats }] = await Promise.all([import('../../store/archive.js'), import('../../store/research.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        await render(io, await archiveStats(archive) as unknown as Array<Record<string, unknown>>, format);
      } finally {
        await archive.close();
      }
    });
}
