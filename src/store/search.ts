import { TimeoutError, UsageError } from '../errors.js';
import type { Archive } from './archive.js';
import { sql, DIALECTS, type Sql } from './db.js';
import { filterParams, filterSql, type PostFilters } from './filters.js';
import { chooseDriver, driverVersionsSql, perDriver, postCount } from './narrow.js';
import { findPage } from './read.js';

export interface SearchHit {
  rank: number;
  page: string;
  id: string;
  version: number;
  latest: boolean;
  time: string | null;
  headline: string | null;
  snippet: string;
  score: number;
}

export interface SearchOptions extends PostFilters {
  limit?: number;
  /** Match every version of every post, not only the latest. */
  allVersions?: boolean;
  /**
   * Best matches first (bm25) instead of most recently archived first. Ranking weighs every match, so it
   * costs time in proportion to how many posts match.
   */
  rank?: boolean;
  /**
   * A filter leaving at most this many posts narrows the index read to their versions; a looser
   * one is checked as matches come (narrow.ts). Only the speed depends on it, never the result.
   * Default: NARROW_TO, or 1 in 20 of all posts if fewer.
   */
  narrowTo?: number;
  /**
   * PostgreSQL: take the word's matches from the GIN index first (true), or read the index, or
   * the filter's versions, in order until enough match (false). Only the speed depends on it,
   * never the result. Default: chosen by how many matches the planner expects.
   */
  matchesFirst?: boolean;
  /** Stop after this long, with a TimeoutError (0 or absent: no limit). */
  timeoutMs?: number;
}

/**
 * The time limit of a search, checked inside the statement: a function the WHERE clause calls
 * for every match throws once the deadline has passed, which ends the statement where it is.
 * (better-sqlite3 cannot interrupt a statement from outside, and a search is ours to write, unlike
 * a user's SQL, which runs in a process of its own: query-process.ts.) Checking the clock every
 * 256 matches costs about a tenth of a ranked search over 300,000 matches, nothing otherwise.
 */
class Deadline {
  at = Infinity;
  private calls = 0;
  readonly check = (): number => {
    if ((++this.calls & 255) === 0 && Date.now() > this.at) throw new Error(DEADLINE_PASSED);
    return 1;
  };
}
const DEADLINE_PASSED = 'livearchive: search deadline passed';

const deadlines = new WeakMap<object, Deadline>();

/** The deadline of a SQLite archive's searches: la_in_time(), defined on its connection before any search is prepared. */
function deadline(archive: Archive): Deadline {
  const connection = archive.sqlite!;
  let d = deadlines.get(connection);
  if (!d) {
    d = new Deadline();
    connection.function('la_in_time', { deterministic: false }, d.check);
    deadlines.set(connection, d);
  }
  return d;
}

const COLUMNS = `g.url AS page, p.post_key AS id, v.version, (v.id = p.latest_version_id) AS latest,
  COALESCE(p.published_at, v.updated_at) AS time, v.headline,
  snippet(post_search, -1, '[', ']', '…', 16) AS snippet, bm25(post_search) AS score`;

/**
 * Most recently archived first is the index's own order (its rowid is the version's id, given
 * in the order archived and kept when reparse or retime rebuild a page: KeptIds in ingest.ts),
 * so reading it stops after `limit` matches; ties cannot occur.
 */
const ORDER = { recent: 'v.id DESC', rank: 'score, v.id DESC' } as const;
type Order = keyof typeof ORDER;

/**
 * Read the index most recently archived first (or every match, ranked), checking each match
 * against the filters. FTS5 cannot look up one version in a word's list of matches: `rowid = ?`
 * reads the whole list (27 ms for a word in most of 30,000 posts), and reading it in rowid order
 * is the one fast path (~0.3 µs a match; skipping matches below or above a rowid range,
 * ~0.04 µs). So a selective filter's versions (narrow.ts) become a rowid range the read stays
 * within, and a set checked in memory before any join.
 */
export function indexSearchSql(order: Order): string {
  // CROSS JOIN fixes the join order: SQLite cannot know which side is selective.
  return `
    SELECT ${COLUMNS}
    FROM post_search
    CROSS JOIN post_versions v ON v.id = post_search.rowid
    CROSS JOIN posts p ON p.id = v.post_id
    CROSS JOIN pages g ON g.id = p.page_id
    WHERE post_search MATCH @query AND la_in_time() AND post_search.rowid BETWEEN @lo AND @hi
      AND (@versions IS NULL OR post_search.rowid IN (SELECT value FROM json_each(@versions)))
      AND (@all_versions = 1 OR v.id = p.latest_version_id) AND ${filterSql(DIALECTS.sqlite)}
    ORDER BY ${ORDER[order].replace('v.id', 'post_search.rowid')} LIMIT @limit`;
}

/** The statements of an FTS5 search (SQLite). */
const S = {
  byIndex: { recent: sql(indexSearchSql('recent')), rank: sql(indexSearchSql('rank')) } as Record<Order, Sql>,
  /** The versions of the posts a filter leaves, in rowid order. */
  versions: perDriver((driver) => (d) => `${driverVersionsSql(d, driver)} ORDER BY v.id`),
};

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);

/** The columns a query can name in a column filter (FTS5's `headline:toll`), as indexed. */
export const SEARCH_COLUMNS = ['headline', 'body', 'captions', 'contributors'] as const;
const COLUMN = new RegExp(`^(${SEARCH_COLUMNS.join('|')}):(.*)$`, 'i');

/**
 * The names a query uses as column filters: a word followed by a colon (`hedline:peace`),
 * outside "quotes". A URL's `https://` and a clock's `14:05` are text, not filters.
 */
export function columnFilters(query: string): string[] {
  return [...query.replace(/"[^"]*"?/g, ' ').matchAll(/(?:^|[\s(])([\p{L}_][\p{L}\p{N}_]*):(?!\/\/)/gu)].map((m) => m[1]!);
}

/** How to search for text that reads as a column filter. */
export function columnHint(name: string): string {
  return `to find "${name}:" as text, quote it: "${name}:…"`;
}

/**
 * A column filter naming a column the index does not have (`hedline:peace`) would be searched
 * as the words "hedline peace" and silently find nothing: refused, naming the columns there are.
 */
function refuseUnknownColumns(query: string): void {
  const unknown = columnFilters(query).find((name) => !COLUMN.test(`${name}:`));
  if (unknown !== undefined) {
    throw new UsageError(`malformed search query "${query}": no column "${unknown}" to search; the columns are ${SEARCH_COLUMNS.join(', ')} (${columnHint(unknown)})`);
  }
}

/**
 * A user's query in FTS5 syntax, with everyday words that FTS5 would misread quoted as
 * phrases: "covid-19" (a column filter to FTS5), "Sunak's", "don't", "al-Assad". Quoted
 * phrases, operators, parentheses, column:filters (any case) and prefix* pass through unchanged.
 */
export function ftsQuery(query: string): string {
  return query.replace(/NEAR\([^)]*\)|"[^"]*"?|[()]|[^\s()"]+/g, (token) => {
    if (token.startsWith('NEAR(') || token.startsWith('"') || token === '(' || token === ')' || OPERATORS.has(token)) return token;
    if (/^[\p{L}\p{N}_]+\*?$/u.test(token)) return token;
    const column = COLUMN.exec(token);
    if (column) return column[2] === '' ? token : `${column[1]}:${ftsQuery(column[2]!)}`;
    const prefix = token.endsWith('*') && token.length > 1;
    const word = (prefix ? token.slice(0, -1) : token).replace(/"/g, '""');
    return `"${word}"${prefix ? '*' : ''}`;
  });
}

/**
 * Full-text search, most recently archived first — in the order the matching versions were
 * archived — or best matches first with `rank`, with a snippet where [brackets] mark the
 * matched terms. Either order is exact: the first `limit` of all matches in that order,
 * whichever way the filters are applied. The query is FTS5's (phrases, OR, NOT, NEAR, prefix*,
 * column:) on SQLite, and websearch_to_tsquery's on PostgreSQL (docs/cli.md#search says how
 * they differ).
 */
export async function searchPosts(archive: Archive, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const page = options.page ? (await findPage(archive, options.page)).url : undefined;
  const filters = filterParams({ ...options, ...(page ? { page } : {}) });
  const rows = archive.backend === 'postgres'
    ? await (await import('./pg/search.js')).searchTsvector(archive, query, options, filters)
    : await searchFts5(archive, query, options, filters);
  return rows.map((r, i) => ({
    rank: i + 1,
    page: r['page'] as string,
    id: r['id'] as string,
    version: r['version'] as number,
    latest: r['latest'] === 1,
    time: r['time'] as string | null,
    headline: r['headline'] as string | null,
    snippet: (r['snippet'] as string).replace(/\s+/g, ' ').trim(),
    score: Math.round((r['score'] as number) * 1000) / 1000,
  }));
}

async function searchFts5(archive: Archive, query: string, options: SearchOptions, filters: Record<string, string | null>): Promise<Array<Record<string, unknown>>> {
  const { db } = archive;
  const order = options.rank ? 'rank' : 'recent';
  refuseUnknownColumns(query);
  try {
    const params = { query: ftsQuery(query), all_versions: options.allVersions ? 1 : 0, limit: options.limit ?? 20, ...filters };
    const driven = await chooseDriver(archive, filters, await postCount(archive), options.narrowTo);
    const versions = driven ? (await db.all<{ id: number }>(S.versions[driven.driver], driven.params)).map((r) => r.id) : undefined;
    const clock = deadline(archive);
    clock.at = options.timeoutMs ? Date.now() + options.timeoutMs : Infinity;
    try {
      return await db.all<Record<string, unknown>>(S.byIndex[order], {
        ...params, lo: versions ? versions[0] ?? 0 : Number.MIN_SAFE_INTEGER, hi: versions ? versions.at(-1) ?? 0 : Number.MAX_SAFE_INTEGER,
        versions: versions ? JSON.stringify(versions) : null,
      });
    } finally {
      clock.at = Infinity;
    }
  } catch (err) {
    const message = (err as Error).message;
    if (message.includes(DEADLINE_PASSED)) {
      throw new TimeoutError('search', `stopped after ${options.timeoutMs! / 1000} s (--timeout); narrow the query, or allow it longer (--timeout 0: no limit)`);
    }
    if (/fts5|syntax error|unterminated|no such column|unknown special query/i.test(message)) {
      throw new UsageError(`malformed search query "${query}" (${message.replace(/^fts5: /, '')}); see https://www.sqlite.org/fts5.html#full_text_query_syntax`);
    }
    throw err;
  }
}
