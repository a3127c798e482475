import { Command } from 'commander';
import type { ReparseResult } from '../../store/reparse.js';
import { reparsedSummary } from '../format.js';
import type { Io } from '../io.js';
import { startProgress } from '../progress.js';
import { dbPath, withDbOption } from '../options.js';
import { renderObject } from '../render.js';

export function reparseCommand(io: Io): Command {
  return withDbOption(new Command('reparse'))
    .description("re-run the current adapters over archived snapshots' stored bytes (no network), rebuilding posts and versions")
    .option('--page <url>', 'only this page')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', `
Examples:
  $ livearchive reparse
  $ livearchive reparse --page https://www.theguardian.com/world/live/2025/…

Run it after upgrading livearchive (or fixing an adapter): each page is rebuilt in one
transaction from the bytes kept with its snapshots; pages ingested with --no-raw are skipped.`)
    .action(async (opts: { db?: string; page?: string; json?: boolean }) => {
      const [{ openArchive }, { reparse }, { listPages }] = await Promise.all([import('../../store/archive.js'), import('../../store/reparse.js'), import('../../store/read.js')]);
      const archive = await openArchive(dbPath(opts, io), { existing: true });
      const results: ReparseResult[] = [];
      const progress = await startProgress(io, opts.page ? 1 : (await listPages(archive)).length, 'pages', { quiet: opts.json });
      try {
        // Each page is committed on its own: say so as it happens, so a later failure loses no report.
        for await (const r of reparse(archive, opts.page ? { page: opts.page } : {})) {
          results.push(r);
          progress.tick(r.page);
          if (!opts.json) progress.line(io.stdout, r.skipped ? `${r.page}: skipped: ${r.skipped}` : `${r.page}: ${reparsedSummary(r)}`);
        }
        if (opts.json) await renderObject(io, results);
      } finally {
        progress.stop();
        await archive.close();
      }
    });
}
