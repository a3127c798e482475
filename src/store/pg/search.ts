import { TimeoutError, UsageError } from '../../errors.js';
import type { Archive } from '../archive.js';
import { DIALECTS, sql, type Db, type Sql } from '../db.js';
import { filterSql } from '../filters.js';
import { chooseDriver, driverVersionsSql, drivers, postCount, type Driver, type Narrowed } from '../narrow.js';
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
type Order = keyof typeof ORDER;

/**
 * Where the matches come from:
 * - `index`: the index in version order, highest first, stopping at `limit` matches that pass
 *   the filters — what a common word needs; ranked, every match is ranked (the planner reads
 *   them from the GIN index or the table, as it judges best);
 * - `matches`: the word's matches taken from the GIN index first, then sorted — what a rare word
 *   needs, filtered or not (each match is checked against the filters anyway: a join with a
 *   filter's versions as well would add nothing but a plan that may compare every match with
 *   every version);
 * - `versions`: the versions of the posts a selective filter leaves, highest first, each looked
 *   up in the index until `limit` match (ranked: every one) — what a common word needs then.
 * Each is planned alone (OFFSET 0 subqueries) so that the planner cannot mix them: it reckons
 * the lookups per match at several times what they cost, and a filter's versions to be spread
 * evenly through the archive, when they are often one page's, or a week's.
 */
type Source = { from: 'index' | 'matches' } | { from: 'versions'; driver: Driver };

/**
 * The post, its page and the filters are looked up per match (a LATERAL subquery the planner may
 * not flatten, OFFSET 0), so that the planner cannot trade that read for a join of every post.
 * Ranking is ts_rank, negated so that lower is better, as bm25 is on SQLite. Snippets are made
 * for the rows kept.
 */
function searchSql(order: Order, source: Source): string {
  const d = DIALECTS.postgres;
  const from = source.from === 'versions'
    ? `(${driverVersionsSql(d, source.driver)} ORDER BY v.id DESC) dv
      CROSS JOIN LATERAL (SELECT * FROM post_search WHERE version_id = dv.id OFFSET 0) ps`
    : source.from === 'matches' ? '(SELECT * FROM post_search WHERE document @@ @tsquery::tsquery OFFSET 0) ps' : 'post_search ps';
  // Versions read highest first come in the order asked for (the planner knows it of dv.id, not of ps.version_id).
  const id = source.from === 'versions' ? 'dv.id' : 'ps.version_id';
  return `
    SELECT hit.page, hit.id, hit.version, hit.latest, hit.time, hit.headline, hit.score,
      CASE WHEN to_tsvector(hit.config, t.headline) @@ @tsquery::tsquery THEN ts_headline(hit.config, t.headline, @tsquery::tsquery, ${SNIPPET})
           ELSE ts_headline(hit.config, concat_ws(' ', t.body, NULLIF(t.captions, ''), NULLIF(t.contributors, '')), @tsquery::tsquery, ${SNIPPET}) END AS snippet
    FROM (
      SELECT x.page, x.id, x.version, x.latest, x.time, x.headline, ps.version_id, ps.config, -ts_rank(ps.document, @tsquery::tsquery) AS score
      FROM ${from}
      CROSS JOIN LATERAL (
        SELECT g.url AS page, p.post_key AS id, v.version, CASE WHEN v.id = p.latest_version_id THEN 1 ELSE 0 END AS latest,
               COALESCE(p.published_at, v.updated_at) AS time, v.headline
        FROM post_versions v JOIN posts p ON p.id = v.post_id JOIN pages g ON g.id = p.page_id
        WHERE v.id = ps.version_id AND (@all_versions = 1 OR v.id = p.latest_version_id) AND ${filterSql(d)}
        OFFSET 0) x
      WHERE ps.document @@ @tsquery::tsquery
      ORDER BY ${ORDER[order].replace(/hit\.version_id/g, id).replace('hit.score', 'score')} LIMIT @limit
    ) hit JOIN post_search_text t ON t.id = hit.version_id
    ORDER BY ${ORDER[order]}`;
}

const statements = (order: Order): Record<string, Sql> => ({
  index: sql(searchSql(order, { from: 'index' })),
  matches: sql(searchSql(order, { from: 'matches' })),
  ...Object.fromEntries(drivers.map((driver) => [`versions ${driver}`, sql(searchSql(order, { from: 'versions', driver }))])),
});
const SEARCH = { recent: statements('recent'), rank: statements('rank') };

/** How many versions the planner expects the query to match (its statistics of the index's words). */
const MATCHES = sql(`EXPLAIN (FORMAT JSON) SELECT 1 FROM post_search WHERE document @@ @tsquery::tsquery`);

async function expectedMatches(db: Db, tsquery: string): Promise<number> {
  const [row] = await db.all<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(MATCHES, { tsquery });
  return row!['QUERY PLAN'][0]!.Plan['Plan Rows'];
}

/**
 * Whether to take the word's matches from the GIN index first. Not narrowed, reading in version
 * order looks at about limit × posts / matches versions (~1 µs each) before it has `limit`
 * matches, while matches taken first are each looked up (~20 µs). Narrowed, both cost about the
 * same per row (~3 µs): first when there are fewer matches than versions the other way looks up
 * (highest first until `limit` match; ranked, every one).
 */
function matchesFirst(order: Order, matches: number, posts: number, limit: number, narrowed: Narrowed | undefined): boolean {
  if (!narrowed) return order === 'recent' && 20 * matches * matches < limit * posts;
  return matches < (order === 'recent' ? Math.min(narrowed.n, (limit * posts) / Math.max(matches, 1)) : narrowed.n);
}

function statement(order: Order, first: boolean, narrowed: Narrowed | undefined): Sql {
  return SEARCH[order][first ? 'matches' : narrowed ? `versions ${narrowed.driver}` : 'index']!;
}

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
  const limit = options.limit ?? 20;
  const order = options.rank ? 'rank' : 'recent';
  const posts = await postCount(archive);
  const narrowed = await chooseDriver(archive, filters, posts, options.narrowTo);
  const params = { tsquery, all_versions: options.allVersions ? 1 : 0, limit, ...filters, ...narrowed?.params };
  try {
    return await archive.db.transaction(async (tx) => {
      // Planned for this query's words every time: a plan cached for all queries cannot know that
      // a rare word is best found through the index and a common one by reading newest first.
      await tx.query('SET LOCAL plan_cache_mode = force_custom_plan');
      // The server stops the statement when its time is up (--timeout).
      if (options.timeoutMs) await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`);
      // A narrowed read is of at most NARROW_TO posts' versions: starting parallel workers costs more than they save.
      if (narrowed) await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
      // Ranked and not narrowed, every match is ranked either way: the planner chooses how to read them.
      const first = options.matchesFirst ?? ((order === 'recent' || narrowed !== undefined) && matchesFirst(order, await expectedMatches(tx, tsquery), posts, limit, narrowed));
      return tx.all<Record<string, unknown>>(statement(order, first, narrowed), params);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '57014') {
      throw new TimeoutError('search', `stopped after ${options.timeoutMs! / 1000} s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)`);
    }
    throw err;
  }
}
