import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { plural } from '../format.js';
import { line, type Io } from '../io.js';
import { readOnly } from '../options.js';

export function copyCommand(io: Io): Command {
  return new Command('copy')
    .description('copy a whole archive into a new one: SQLite to PostgreSQL, PostgreSQL to SQLite (or to its own kind)')
    .argument('<from>', 'the archive to copy: a file, or postgres://user@host:5432/dbname')
    .argument('<to>', 'a new archive file, or an empty PostgreSQL database')
    .addHelpText('after', `
Examples:
  $ livearchive copy news.db postgres://archivist@db.example.org:5432/news
  $ livearchive copy postgres://archivist@db.example.org/news news-copy.db

Tables stream from one to the other, ids kept; the destination is written in one transaction
(nothing is left of a copy that fails) and its search index is built anew.`)
    .action(async (from: string, to: string) => {
      if (from === to) throw new UsageError(`copy: ${from} is both the source and the destination`);
      const [{ openArchive }, { copyArchive }] = await Promise.all([import('../../store/archive.js'), import('../../store/copy.js')]);
      const source = await openArchive(from, readOnly(io));
      try {
        const destination = await openArchive(to);
        let copied = false;
        try {
          const done = await copyArchive(source, destination, (table, rows) => line(io.stderr, `  ${table}: ${plural(rows, 'row')}`));
          copied = true;
          const r = done.rows;
          line(io.stdout, `copied ${done.from} to ${done.to}: ${plural(r['pages'] ?? 0, 'page')}, ${plural(r['snapshots'] ?? 0, 'snapshot')}, ${plural(r['posts'] ?? 0, 'post')}, ${plural(r['post_versions'] ?? 0, 'version')}`);
        } finally {
          // A copy that failed leaves no new archive file behind; a copy of an empty archive is kept, as asked for.
          await destination.close({ discardIfEmpty: !copied });
        }
      } finally {
        await source.close();
      }
    });
}
