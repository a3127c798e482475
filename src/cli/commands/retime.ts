import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { colors } from '../color.js';
import { capturedFrom, reparsedSummary } from '../format.js';
import { line, type Io } from '../io.js';
import { dbPath, parseIsoOption, withDbOption } from '../options.js';
import { renderObject } from '../render.js';

function snapshotId(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`<snapshot-id> wants a snapshot's id, a whole number (\`livearchive snapshots <page-url>\` lists them; got "${value}")`);
  }
  return n;
}

export function retimeCommand(io: Io): Command {
  return withDbOption(new Command('retime'))
    .description("correct a snapshot's capture time, and rebuild its page's posts and versions around it from the stored bytes")
    .argument('<snapshot-id>', 'the snapshot, as `livearchive snapshots <page-url>` (or the ingest line) names it')
    .argument('<time>', 'when the page was really saved: an ISO date-time (UTC without a zone)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
Examples:
  $ livearchive snapshots https://www.cnn.com/world/live-news/example/index.html
  $ livearchive retime 3 2025-11-25T16:00:00Z

For a capture whose time was wrong: a file copied or touched after it was saved (timed by its
mtime), or a --captured-at mistyped. The capture time anchors every "5 min ago" and bare "14:05"
on the page and orders its captures: the page is re-parsed from the bytes kept with its snapshots,
as reparse does, so versions, first-seen and removal times and diff follow the corrected order.`)
    .action(async (id: string, time: string, opts: { db?: string; json?: boolean }) => {
      const snapshot = snapshotId(id);
      const at = await parseIsoOption('<time>', time);
      const [{ openArchive }, { retimeSnapshot }] = await Promise.all([import('../../store/archive.js'), import('../../store/retime.js')]);
      const archive = await openArchive(dbPath(opts, io), { existing: true });
      try {
        const r = await retimeSnapshot(archive, snapshot, at);
        if (opts.json) return await renderObject(io, r);
        const p = r.reparse;
        line(io.stdout, `snapshot ${r.snapshot} of ${r.page}: captured ${r.capturedAt} (was ${r.was.capturedAt}, ${capturedFrom(r.was.source)}); `
          + (p.skipped ? `posts not read again at the new time, only reordered: ${p.skipped}` : reparsedSummary(p)));
        const warn = colors(io, 'stdout').yellow;
        for (const w of r.warnings) line(io.stdout, `  ${warn('warning:')} ${w}`);
      } finally {
        await archive.close();
      }
    });
}
