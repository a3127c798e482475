import { Command, Option } from 'commander';
import { exportPosts, exportToFile, type ExportFormat } from '../../export/index.js';
import { openArchive } from '../../store/archive.js';
import { countPosts } from '../../store/counts.js';
import { startProgress } from '../progress.js';
import type { Io } from '../io.js';
import { UsageError } from '../../errors.js';
import { sameFile } from '../../acquire/local.js';
import { csvFormulasOption, dbPath, type FilterFlags, parseFilters, readOnly, withDbOption, withFilterOptions } from '../options.js';
import type { CsvFormulas } from '../../export/csv.js';

export function exportCommand(io: Io): Command {
  return withFilterOptions(withDbOption(new Command('export')))
    .description('export the archive as a livearchive/1 JSON document, NDJSON (a post per line) or CSV (a row per post)')
    .addOption(new Option('--format <format>', 'json, ndjson or csv').choices(['json', 'ndjson', 'csv']).default('json'))
    .addOption(csvFormulasOption())
    .option('--history', 'every version of every post (CSV: a row per version), with the captures that showed it')
    .option('--out <file>', 'write to a file (replaced only once the export is complete) instead of stdout')
    .addHelpText('after', `
Examples:
  $ livearchive export --format json > archive.json
  $ livearchive export --format ndjson --page https://example.com/live | jq -r .headline
  $ livearchive export --history --out history.json
  $ livearchive export --format csv --publisher CNN --since 2025-11-25 --tz America/New_York > cnn.csv`)
    .action(async (opts: FilterFlags & { db?: string; format: ExportFormat; history?: boolean; out?: string; csvFormulas: CsvFormulas }) => {
      const options = { format: opts.format, history: opts.history ?? false, csvFormulas: opts.csvFormulas, ...parseFilters(opts) };
      if (opts.out && sameFile(opts.out, dbPath(opts, io))) throw new UsageError(`--out ${opts.out} is the archive itself`);
      const archive = openArchive(dbPath(opts, io), readOnly(io));
      // A bar on a terminal's stderr while the export goes to a file or a pipe.
      const progress = startProgress(io, opts.out || !io.stdout.isTTY ? countPosts(archive, options) : 0, 'posts');
      const counted = { ...options, onPost: () => progress.tick('') };
      try {
        if (!opts.out) {
          await exportPosts(archive, io.stdout, counted);
          return;
        }
        await exportToFile(archive, opts.out, counted);
      } finally {
        progress.stop();
        archive.close();
      }
    });
}
