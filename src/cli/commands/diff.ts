import { Command } from 'commander';
import type { PostChange, markDiff } from '../../diff.js';
import { colors, type Colors } from '../color.js';
import type { Io } from '../io.js';
import { dbPath, type OutputFlags, outputFormat, readOnly, withDbOption, withOutputOptions } from '../options.js';
import { render } from '../render.js';

function tableRow(r: Record<string, unknown>, mark: typeof markDiff): Record<string, unknown> {
  const c = r as unknown as PostChange;
  const marked = c.change === 'edited'
    ? [c.headlineDiff?.some((s) => s.op !== 'equal') ? `headline: ${mark(c.headlineDiff)}` : '', c.bodyDiff?.some((s) => s.op !== 'equal') ? `body: ${changedPart(mark(c.bodyDiff!))}` : ''].filter(Boolean).join(' | ')
    : c.headline ?? '';
  return { change: c.change, id: c.id, time: c.time, what: marked };
}

/** The edited part of a long marked-up body, with a little context. */
function changedPart(marked: string): string {
  const first = marked.search(/\[-|\{\+/);
  const last = Math.max(marked.lastIndexOf('-]'), marked.lastIndexOf('+}'));
  return `${first > 40 ? '…' : ''}${marked.slice(Math.max(0, first - 40), last + 42)}${last + 42 < marked.length ? '…' : ''}`;
}

/** New in green, edited in yellow, removed in red; in edits, the removed words red and the added green. */
function painter(c: Colors): (column: string, text: string) => string {
  const change: Record<string, (s: string) => string> = { added: c.green, edited: c.yellow, removed: c.red, 'not-shown': c.dim };
  return (column, text) => {
    if (column === 'change') return (change[text.trim()] ?? String)(text);
    if (column === 'what') return text.replace(/\[-.*?(?:-\]|…$)/g, (m) => c.red(m)).replace(/\{\+.*?(?:\+\}|…$)/g, (m) => c.green(m));
    return text;
  };
}

export function diffCommand(io: Io): Command {
  return withOutputOptions(withDbOption(new Command('diff')))
    .description('what changed on a page between two captures: posts added, removed, edited (word diff)')
    .argument('<page-url>', 'the page, as `livearchive pages` lists it')
    .option('--from <snapshot|time>', 'earlier capture: snapshot id, SHA-256 prefix, or time (latest capture then) (default: the one before --to)')
    .option('--to <snapshot|time>', 'later capture (default: the latest)')
    .addHelpText('after', `
Examples:
  $ livearchive diff https://www.cnn.com/world/live-news/example/index.html
  $ livearchive diff https://example.com/live --from 2025-11-25T12:00Z --to 2025-11-25T16:00Z --json

Edited text is marked [-removed-]{+added+} in the table; --json gives the word diff as spans.`)
    .action(async (url: string, opts: OutputFlags & { db?: string; from?: string; to?: string }) => {
      const format = outputFormat(opts, io);
      const [{ openArchive }, { diffSnapshots, markDiff }] = await Promise.all([import('../../store/archive.js'), import('../../diff.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        const d = await diffSnapshots(archive, url, { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) });
        const rows = d.changes.map((c) => ({ page: d.page, from: d.from.capturedAt, to: d.to.capturedAt, ...c }));
        await render(io, rows, format, (r) => tableRow(r, markDiff), undefined, { paint: painter(colors(io, 'stdout')) });
      } finally {
        await archive.close();
      }
    });
}
