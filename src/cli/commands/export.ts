import { Command, Option } from 'commander';
import type { ExportFormat } from '../../export/index.js';
import { startProgress } from '../progress.js';
import { line, type Io } from '../io.js';
import { plural } from '../format.js';
import { UsageError } from '../../errors.js';
import { sameFile } from '../../acquire/local.js';
import { csvFormulasOption, dbPath, type FilterFlags, parseFilters, readOnly, withDbOption, withFilterOptions } from '../options.js';
import type { CsvFormulas } from '../../export/csv.js';

export function exportCommand(io: Io): Command {
  return withFilterOptions(withDbOption(new Command('export')))
    .description('export the archive as a livearchive/1 JSON document, NDJSON (a post per line), CSV (a row per post) or a WARC of its captures')
    .addOption(new Option('--format <format>', 'json, ndjson, csv, or warc (every stored capture as WARC/1.1; --since/--until then choose captures by capture time)').choices(['json', 'ndjson', 'csv', 'warc']).default('json'))
    .addOption(csvFormulasOption())
    .option('--history', 'every version of every post (CSV: a row per version), with the captures that showed it')
    .option('--out <file>', 'write to a file instead of stdout; a file already there is replaced, once the export is complete')
    .addHelpText('after', `
Examples:
  $ livearchive export --format json > archive.json
  $ livearchive export --format ndjson --page https://example.com/live | jq -r .headline
  $ livearchive export --history --out history.json
  $ livearchive export --format csv --publisher CNN --since 2025-11-25 --tz America/New_York > cnn.csv
  $ livearchive export --format warc --out archive.warc.gz
  $ livearchive export --format warc --page https://example.com/live --since 2025-11-25 --out day.warc

--out FILE overwrites FILE if it exists, without asking. The export is written beside it as
FILE.<random>.partial and renamed to FILE only once complete: an export that fails or is
stopped leaves FILE as it was (and removes the .partial file, unless the process is killed).
A WARC is gzipped record by record unless --out ends in .warc.`)
    .action(async (opts: FilterFlags & { db?: string; format: ExportFormat; history?: boolean; out?: string; csvFormulas: CsvFormulas }) => {
      const warc = opts.format === 'warc';
      if (warc && (opts.history || opts.contributor)) throw new UsageError(`${opts.history ? '--history' : '--contributor'} is about posts; a WARC holds captures`);
      if (warc && !opts.out && io.stdout.isTTY) throw new UsageError('a WARC is binary: give --out FILE or redirect the output');
      const options = { format: opts.format, history: opts.history ?? false, csvFormulas: opts.csvFormulas, ...(await parseFilters(opts)), ...(warc ? { gzip: !/\.warc$/i.test(opts.out ?? '') } : {}) };
      if (opts.out && sameFile(opts.out, dbPath(opts, io))) throw new UsageError(`--out ${opts.out} is the archive itself`);
      const [{ openArchive }, { exportPosts, exportToFile }, { countPosts }] = await Promise.all([
        import('../../store/archive.js'), import('../../export/index.js'), import('../../store/counts.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      // A bar on a terminal's stderr while posts are exported to a file or a pipe (a WARC's captures are not counted ahead).
      const progress = await startProgress(io, !warc && (opts.out || !io.stdout.isTTY) ? await countPosts(archive, options) : 0, 'posts');
      const counted = { ...options, onPost: () => progress.tick('') };
      let summary;
      try {
        summary = opts.out ? await exportToFile(archive, opts.out, counted) : await exportPosts(archive, io.stdout, counted);
      } finally {
        progress.stop();
        await archive.close();
      }
      if (summary.warc?.withoutBytes) {
        line(io.stderr, `livearchive: export: ${plural(summary.warc.withoutBytes, 'capture')} left out: their bytes were not kept (ingested with --no-raw)`);
      }
    });
}
