import { TimeoutError, UsageError } from '../../errors.js';
import type { Archive } from '../archive.js';
import { DIALECTS, sql } from '../db.js';
import { filterSql } from '../filters.js';
import { columnFilters, columnHint, type SearchOptions } from '../search.js';

/**
 * The user's query as a tsquery: websearch_to_tsquery's reading of it ("a phrase", OR, -word,
 * words ANDed) in each text-search configuration the archive's pages are indexed in, joined by
 * OR, so that one query is matched against every page in its own language; empty when it holds
 * no word (only stop words, or none).
 */
const TSQUERY = sql(`SELECT COALESCE(string_agg('(' || q::text || ')', ' | '), '') AS tsquery FROM (
    SELECT websearch_to_tsquery(c.config, @query) AS q FROM (SELECT DISTINCT COALESCE(search_config, 'simple'::regconfig) AS config FROM pages) c
  ) w WHERE numnode(q) > 0`);

/** The snippet: the headline's words when it matches, else the body's (with captions and contributors), [marked]. */
const SNIPPET = `'StartSel=[, StopSel=], MaxWords=16, MinWords=6, ShortWord=2, MaxFragments=1, FragmentDelimiter=…'`;

const ORDER = { recent: 'hit.version_id DESC', rank: 'hit.score, hit.version_id DESC' } as const;

/**
 * Most recently archived first reads the index in version order, highest first, and stops at `limit` matches that
 * pass the filters — what a common word needs — or, planned for the words at hand, takes a rare
 * word's few matches from the GIN index and sorts them; ranked (ts_rank, negated so that lower
 * is better, as bm25 is on SQLite), every match is ranked. The post, its page and the filters are
 * looked up per match (a LATERAL subquery the planner may not flatten, OFFSET 0), so that the
 * planner cannot trade that read for a join of every post. Snippets are made for the rows kept.
 */
function searchSql(order: keyof typeof ORDER): string {
  return `
    SELECT hit.page, hit.id, hit.version, hit.latest, hit.time, hit.headline, hit.score,
      CASE WHEN to_tsvector(hit.config, t.headline) @@ @tsquery::tsquery THEN ts_headline(hit.config, t.headline, @tsquery::tsquery, ${SNIPPET})
           ELSE ts_headline(hit.config, concat_ws(' ', t.body, NULLIF(t.captions, ''), NULLIF(t.contributors, '')), @tsquery::tsquery, ${SNIPPET}) END AS snippet
    FROM (
      SELECT x.page, x.id, x.version, x.latest, x.time, x.headline, ps.version_id, ps.config, -ts_rank(ps.document, @tsquery::tsquery) AS score
      FROM post_search ps
      CROSS JOIN LATERAL (
        SELECT g.url AS page, p.post_key AS id, v.version, CASE WHEN v.id = p.latest_version_id THEN 1 ELSE 0 END AS latest,
               COALESCE(p.published_at, v.updated_at) AS time, v.headline
        FROM post_versions v JOIN posts p ON p.id = v.post_id JOIN pages g ON g.id = p.page_id
        WHERE v.id = ps.version_id AND (@all_versions = 1 OR v.id = p.latest_version_id) AND ${filterSql(DIALECTS.postgres)}
        OFFSET 0) x
      WHERE ps.document @@ @tsquery::tsquery
      ORDER BY ${ORDER[order].replace(/hit\.version_id/g, 'ps.version_id').replace('hit.score', 'score')} LIMIT @limit
    ) hit JOIN post_search_text t ON t.id = hit.version_id
    ORDER BY ${ORDER[order]}`;
}

const SEARCH = { recent: sql(searchSql('recent')), rank: sql(searchSql('rank')) };

/**
 * FTS5 syntax that websearch_to_tsquery would read as plain words, silently finding something
 * else: said instead, with what to write.
 */
function refuseFts5(query: string): void {
  const unsupported: Array<[RegExp, string]> = [
    [/(?:^|\s)NOT\s/, 'NOT: write -word to leave out posts with a word'],
    [/\bNEAR\(/, 'NEAR(…): write the words, or "a phrase"'],
    [/[\p{L}\p{N}]\*(?=\s|$|\))/u, 'prefix*: write the whole word'],
  ];
  const refuse = (hint: string): never => {
    throw new UsageError(`malformed search query "${query}" for a PostgreSQL archive (websearch syntax: words, "a phrase", OR, -word); ${hint}; see docs/cli.md#search`);
  };
  for (const [pattern, hint] of unsupported) if (pattern.test(query)) refuse(hint);
  // websearch reads `headline:toll` (or `hedline:toll`) as the two words: a column filter of any name is refused.
  const column = columnFilters(query)[0];
  if (column !== undefined) refuse(`column filters (headline:): every column is searched (${columnHint(column)})`);
}

export async function searchTsvector(archive: Archive, query: string, options: SearchOptions, filters: Record<string, string | null>): Promise<Array<Record<string, unknown>>> {
  refuseFts5(query);
  const { tsquery } = (await archive.db.get<{ tsquery: string }>(TSQUERY, { query }))!;
  if (tsquery === '') return [];
  const params = { tsquery, all_versions: options.allVersions ? 1 : 0, limit: options.limit ?? 20, ...filters };
  const search = SEARCH[options.rank ? 'rank' : 'recent'];
  try {
    return await archive.db.transaction(async (tx) => {
      // Planned for this query's words every time: a plan cached for all queries cannot know that
      // a rare word is best found through the index and a common one by reading newest first.
      await tx.query('SET LOCAL plan_cache_mode = force_custom_plan');
      // The server stops the statement when its time is up (--timeout).
      if (options.timeoutMs) await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`);
      return tx.all<Record<string, unknown>>(search, params);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '57014') {
      throw new TimeoutError('search', `stopped after ${options.timeoutMs! / 1000} s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)`);
    }
    throw err;
  }
}
