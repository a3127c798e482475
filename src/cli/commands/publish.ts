import { Command } from 'commander';
import { sameFile } from '../../acquire/local.js';
import { UsageError } from '../../errors.js';
import { line, type Io } from '../io.js';
import { dbPath, readOnly, withDbOption } from '../options.js';

export function publishCommand(io: Io): Command {
  return withDbOption(new Command('publish'))
    .description('write a compact, self-contained copy of the archive that anyone can open read-only (sqlite3, Datasette, pandas)')
    .argument('<out.db>', 'the file to write')
    .option('--force', 'replace the file if it exists')
    .addHelpText('after', `
Examples:
  $ livearchive publish /srv/share/ukraine-2025.db
  $ sqlite3 -readonly /srv/share/ukraine-2025.db .tables

The copy is a consistent snapshot (VACUUM INTO), with its full-text index, in rollback-journal
mode: it opens on read-only media and for users who cannot write beside it.`)
    .action(async (out: string, opts: { db?: string; force?: boolean }) => {
      const db = dbPath(opts, io);
      if (sameFile(out, db)) throw new UsageError(`${out} is the archive itself`);
      const [{ openArchive }, { publishArchive }] = await Promise.all([import('../../store/archive.js'), import('../../store/publish.js')]);
      const archive = await openArchive(db, readOnly(io));
      try {
        const p = await publishArchive(archive, out, { force: opts.force ?? false });
        line(io.stdout, `published ${p.path}: ${p.bytes} bytes, ${p.journalMode} journal (open it read-only with sqlite3, Datasette or pandas)`);
      } finally {
        await archive.close();
      }
    });
}
