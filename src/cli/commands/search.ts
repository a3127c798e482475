import { Command } from 'commander';
import type { Io } from '../io.js';
import { dbPath, type FilterFlags, type OutputFlags, outputFormat, parseFilters, parseLimit, parseQueryTimeout, readOnly, withDbOption, withFilterOptions, withOutputOptions, withQueryTimeout } from '../options.js';
import { render } from '../render.js';

export function searchCommand(io: Io): Command {
  return withQueryTimeout(withOutputOptions(withFilterOptions(withDbOption(new Command('search')))))
    .description('full-text search of posts (headline, body, captions, contributors), most recently archived first, or best matches first with --rank')
    .argument('<query>', 'FTS5 query: words, "a phrase", a OR b, NEAR(a b, 5), prefix*, and a column: headline:, body:, captions:, contributors:; on a PostgreSQL archive websearch syntax: words, "a phrase", a OR b, -word')
    .option('--limit <n>', 'at most this many results', '20')
    .option('--all-versions', 'match every version of every post, not only the latest')
    .option('--rank', 'best matches first (bm25) instead of most recently archived first (slower when very many posts match)')
    .addHelpText('after', `
Examples:
  $ livearchive search 'drone*'
  $ livearchive search ceasefire --rank --limit 5
  $ livearchive search '"peace plan" NOT Kremlin' --since 2025-11-25 --tz America/New_York
  $ livearchive search 'headline:death toll' --all-versions --json
  $ livearchive search Zelensky --contributor Vlasova --publisher CNN
  $ livearchive search '"peace plan" OR ceasefire -Moldova' --db postgres://archivist@db.example.org/news

Results come most recently archived first: in the order the captures that first showed the
matching versions were archived, and within one capture in the page's order (top first); reparse
and retime keep that order. --rank orders by relevance instead.`)
    .action(async (query: string, opts: OutputFlags & FilterFlags & { db?: string; limit: string; allVersions?: boolean; rank?: boolean; timeout: string }) => {
      const format = outputFormat(opts, io);
      const options = { ...(await parseFilters(opts)), limit: parseLimit(opts.limit), allVersions: opts.allVersions ?? false, rank: opts.rank ?? false,
        timeoutMs: parseQueryTimeout(opts.timeout) };
      const [{ openArchive }, { searchPosts }] = await Promise.all([import('../../store/archive.js'), import('../../store/search.js')]);
      const archive = await openArchive(dbPath(opts, io), readOnly(io));
      try {
        await render(io, await searchPosts(archive, query, options) as unknown as Array<Record<string, unknown>>, format, undefined,
          // The id is what `history` takes: whole, with headline and snippet cut instead, rank (the row's place) and version dropped first.
          ['rank', 'time', 'id', 'version', 'headline', 'snippet'], { whole: ['id'], optional: ['rank', 'version'] });
      } finally {
        await archive.close();
      }
    });
}
