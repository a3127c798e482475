import { Command, Option } from 'commander';
import { exportPosts, exportToFile, type ExportFormat } from '../../export/index.js';
import { openArchive } from '../../store/archive.js';
import type { Io } from '../io.js';
import { dbPath, withDbOption } from '../options.js';

export function exportCommand(io: Io): Command {
  return withDbOption(new Command('export'))
    .description('export the archive as a livearchive/1 JSON document or NDJSON (one post per line)')
    .addOption(new Option('--format <format>', 'json or ndjson').choices(['json', 'ndjson']).default('json'))
    .option('--page <url>', 'only this page')
    .option('--history', 'every version of every post, with the snapshots it was seen in')
    .option('--out <file>', 'write to a file (replaced only once the export is complete) instead of stdout')
    .addHelpText('after', `
Examples:
  $ livearchive export --format json > archive.json
  $ livearchive export --format ndjson --page https://example.com/live | jq -r .headline
  $ livearchive export --history --out history.json`)
    .action(async (opts: { db?: string; format: ExportFormat; page?: string; history?: boolean; out?: string }) => {
      const archive = openArchive(dbPath(opts, io), { readonly: true });
      try {
        const options = { format: opts.format, history: opts.history ?? false, ...(opts.page ? { page: opts.page } : {}) };
        if (!opts.out) {
          await exportPosts(archive, io.stdout, options);
          return;
        }
        await exportToFile(archive, opts.out, options);
      } finally {
        archive.close();
      }
    });
}
