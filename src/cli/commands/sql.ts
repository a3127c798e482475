import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { readText, type Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, parseQueryTimeout, readOnly, withDbOption, withOutputOptions, withQueryTimeout } from '../options.js';
import { render } from '../render.js';

export function sqlCommand(io: Io): Command {
  return withQueryTimeout(withOutputOptions(withDbOption(new Command('sql'))))
    .description('run one read-only SQL query on the archive (writes are refused)')
    .argument('<query>', 'SELECT … (tables and views: see docs/schema.md), or - to read it from stdin')
    .addHelpText('after', `
Examples:
  $ livearchive sql "SELECT page_url, COUNT(*) AS posts FROM latest_posts GROUP BY page_url"
  $ livearchive sql "SELECT post_id, version, captured_at FROM post_timeline WHERE post_id = 'h_01aee11ad206d3f1fe2af23da8cbf9af'" --csv
  $ livearchive sql - < report.sql
  $ livearchive sql "SELECT * FROM post_versions" --nl --timeout 0 > versions.ndjson

The query runs in a child process, stopped after --timeout seconds (default 30) with exit 1.
On a PostgreSQL archive (--db postgres://…) it runs in a READ ONLY transaction with
statement_timeout set from --timeout.`)
    .action(async (query: string, opts: OutputFlags & { db?: string; timeout: string }) => {
      const format = outputFormat(opts, io);
      const timeoutMs = parseQueryTimeout(opts.timeout);
      const sql = query === '-' ? await readText(io.stdin) : query;
      if (!sql.trim()) throw new UsageError(query === '-' ? 'sql -: no query on stdin' : 'sql: the query is empty');
      const [{ openArchive }, { runSql }] = await Promise.all([import('../../store/archive.js'), import('../../store/research.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        const result = await runSql(archive, sql, { timeoutMs });
        await render(io, result.rows, format, undefined, result.columns);
      } finally {
        await archive.close();
      }
    });
}
