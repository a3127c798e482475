import type { Database, Statement } from 'better-sqlite3';
import { LiveArchiveError, UsageError } from '../errors.js';
import type { Archive } from './archive.js';
import { FILTER_SQL, filterParams, type PostFilters } from './filters.js';
import { findPage } from './read.js';
import { queryInChild, type QueryResult } from './query-process.js';

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
}

export interface VersionSighting {
  page: string;
  id: string;
  version: number;
  headline: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  snapshots: string[];
  removedAt: string | null;
}

export interface PublisherStats {
  publisher: string;
  pages: number;
  snapshots: number;
  posts: number;
  versions: number;
  contributors: number;
  media: number;
  firstCapture: string | null;
  lastCapture: string | null;
  firstPost: string | null;
  lastPost: string | null;
}

/** Prepared once per archive, like Queries, for the research commands. */
class ResearchQueries {
  readonly search: Statement<Record<string, unknown>, Record<string, unknown>>;
  readonly history: Statement<Record<string, unknown>, Record<string, unknown>>;
  readonly stats: Statement<[], PublisherStats>;

  constructor(db: Database) {
    this.search = db.prepare(`
      SELECT g.url AS page, p.post_key AS id, v.version, (v.id = p.latest_version_id) AS latest,
             COALESCE(p.published_at, v.updated_at) AS time, v.headline,
             snippet(post_search, -1, '[', ']', '…', 16) AS snippet, bm25(post_search) AS score
      FROM post_search
      JOIN post_versions v ON v.id = post_search.rowid
      JOIN posts p ON p.id = v.post_id
      JOIN pages g ON g.id = p.page_id
      WHERE post_search MATCH @query AND (@all_versions = 1 OR v.id = p.latest_version_id) AND ${FILTER_SQL}
      ORDER BY score, time DESC, p.id
      LIMIT @limit`);
    this.history = db.prepare(`
      SELECT g.url AS page, p.post_key AS id, v.version, v.headline, p.published_at, v.updated_at,
             MIN(s.captured_at) AS first_seen_at, MAX(s.captured_at) AS last_seen_at,
             json_group_array(s.captured_at) AS snapshots, rs.captured_at AS removed_at
      FROM posts p
      JOIN pages g ON g.id = p.page_id
      JOIN post_versions v ON v.post_id = p.id
      JOIN snapshot_posts sp ON sp.post_version_id = v.id
      JOIN snapshots s ON s.id = sp.snapshot_id
      LEFT JOIN snapshots rs ON rs.id = p.removed_at_snapshot_id
      WHERE p.post_key = @id AND (@page IS NULL OR g.url = @page)
      GROUP BY v.id
      ORDER BY g.url, v.version`);
    this.stats = db.prepare(`
      SELECT COALESCE(g.publisher, '(unknown)') AS publisher,
             COUNT(DISTINCT g.id) AS pages,
             (SELECT COUNT(*) FROM snapshots s JOIN pages g2 ON g2.id = s.page_id WHERE COALESCE(g2.publisher, '(unknown)') = COALESCE(g.publisher, '(unknown)')) AS snapshots,
             COUNT(DISTINCT p.id) AS posts,
             COUNT(DISTINCT v.id) AS versions,
             COUNT(DISTINCT x.contributor_id) AS contributors,
             COUNT(DISTINCT m.media_id) AS media,
             (SELECT MIN(captured_at) FROM snapshots s JOIN pages g2 ON g2.id = s.page_id WHERE COALESCE(g2.publisher, '(unknown)') = COALESCE(g.publisher, '(unknown)')) AS firstCapture,
             (SELECT MAX(captured_at) FROM snapshots s JOIN pages g2 ON g2.id = s.page_id WHERE COALESCE(g2.publisher, '(unknown)') = COALESCE(g.publisher, '(unknown)')) AS lastCapture,
             MIN(COALESCE(p.published_at, v.updated_at)) AS firstPost,
             MAX(COALESCE(p.published_at, v.updated_at)) AS lastPost
      FROM pages g
      LEFT JOIN posts p ON p.page_id = g.id
      LEFT JOIN post_versions v ON v.post_id = p.id
      LEFT JOIN post_version_contributors x ON x.post_version_id = v.id
      LEFT JOIN post_version_media m ON m.post_version_id = v.id
      GROUP BY COALESCE(g.publisher, '(unknown)')
      ORDER BY publisher`);
  }
}

const cache = new WeakMap<Archive, ResearchQueries>();
function rq(archive: Archive): ResearchQueries {
  let q = cache.get(archive);
  if (!q) {
    q = new ResearchQueries(archive.db);
    cache.set(archive, q);
  }
  return q;
}

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);

/**
 * A user's query in FTS5 syntax, with everyday words that FTS5 would misread quoted as
 * phrases: "covid-19" (a column filter to FTS5), "Sunak's", "don't", "al-Assad". Quoted
 * phrases, operators, parentheses, column:filters and prefix* pass through unchanged.
 */
export function ftsQuery(query: string): string {
  return query.replace(/NEAR\([^)]*\)|"[^"]*"?|[()]|[^\s()"]+/g, (token) => {
    if (token.startsWith('NEAR(') || token.startsWith('"') || token === '(' || token === ')' || OPERATORS.has(token) || /^(?:headline|body|captions|contributors):$/.test(token)) return token;
    if (/^[\p{L}\p{N}_]+\*?$/u.test(token)) return token;
    const column = /^(headline|body|captions|contributors):(.+)$/.exec(token);
    if (column) return `${column[1]}:${ftsQuery(column[2]!)}`;
    if (/^NEAR\(/.test(token)) return token;
    const prefix = token.endsWith('*') && token.length > 1;
    const word = (prefix ? token.slice(0, -1) : token).replace(/"/g, '""');
    return `"${word}"${prefix ? '*' : ''}`;
  });
}

/**
 * Full-text search (FTS5 syntax: phrases, OR, NEAR, prefix*), best matches first (bm25),
 * with a snippet where [brackets] mark the matched terms.
 */
export function searchPosts(archive: Archive, query: string, options: SearchOptions = {}): SearchHit[] {
  const page = options.page ? findPage(archive, options.page).url : undefined;
  try {
    return rq(archive).search.all({
      query: ftsQuery(query), all_versions: options.allVersions ? 1 : 0, limit: options.limit ?? 20,
      ...filterParams({ ...options, ...(page ? { page } : {}) }),
    }).map((r, i) => ({
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
  } catch (err) {
    const message = (err as Error).message;
    if (/fts5|syntax error|unterminated|no such column|unknown special query/i.test(message)) {
      throw new UsageError(`malformed search query "${query}" (${message.replace(/^fts5: /, '')}); see https://www.sqlite.org/fts5.html#full_text_query_syntax`);
    }
    throw err;
  }
}

/** Every version of a post with the captures that showed it, oldest first. */
export function postHistory(archive: Archive, id: string, pageUrl?: string): VersionSighting[] {
  const page = pageUrl ? findPage(archive, pageUrl).url : null;
  const rows = rq(archive).history.all({ id, page });
  if (rows.length === 0) throw new LiveArchiveError('E_INPUT', 'no such post in the archive', { subject: id });
  return rows.map((r) => ({
    page: r['page'] as string,
    id: r['id'] as string,
    version: r['version'] as number,
    headline: r['headline'] as string | null,
    publishedAt: r['published_at'] as string | null,
    updatedAt: r['updated_at'] as string | null,
    firstSeenAt: r['first_seen_at'] as string,
    lastSeenAt: r['last_seen_at'] as string,
    snapshots: (JSON.parse(r['snapshots'] as string) as string[]).sort(),
    removedAt: r['removed_at'] as string | null,
  }));
}

export function archiveStats(archive: Archive): PublisherStats[] {
  return rq(archive).stats.all();
}

export type SqlResult = QueryResult;

const FORBIDDEN = /^\s*(?:ATTACH|DETACH|VACUUM|REINDEX|ANALYZE)\b/i;

/** The default time limit of a user's query (--timeout). */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/**
 * One read-only SQL statement on the archive, in a child process that is stopped when
 * `timeoutMs` has passed (0: never). Anything that could change a database — a write, a
 * schema change, ATTACH, VACUUM INTO, a PRAGMA that sets — is refused before it runs (and the
 * connection is read-only besides). Errors of the statement are the query's (UsageError).
 */
export async function runSql(archive: Archive, sql: string, options: { timeoutMs?: number } = {}): Promise<SqlResult> {
  return queryInChild(archive, sql, undefined, { timeoutMs: options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS, forbidden: FORBIDDEN, what: 'sql' });
}
