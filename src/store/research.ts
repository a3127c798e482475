import { LiveArchiveError } from '../errors.js';
import type { Archive } from './archive.js';
import { findPage } from './read.js';
import { queryInChild, querySubject, type QueryResult } from './query-process.js';
import { sql } from './db.js';

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

const HISTORY = sql((d) => `
      SELECT g.url AS page, p.post_key AS id, v.version, v.headline, p.published_at, v.updated_at,
             MIN(s.captured_at) AS first_seen_at, MAX(s.captured_at) AS last_seen_at,
             ${d.backend === 'sqlite' ? 'json_group_array(s.captured_at)' : 'array_agg(s.captured_at)'} AS snapshots, rs.captured_at AS removed_at
      FROM posts p
      JOIN pages g ON g.id = p.page_id
      JOIN post_versions v ON v.post_id = p.id
      JOIN snapshot_posts sp ON sp.post_version_id = v.id
      JOIN snapshots s ON s.id = sp.snapshot_id
      LEFT JOIN snapshots rs ON rs.id = p.removed_at_snapshot_id
      WHERE p.post_key = @id AND (${d.typed('@page', 'text')} IS NULL OR g.url = ${d.typed('@page', 'text')})
      GROUP BY g.url, p.id, v.id, rs.captured_at
      ORDER BY g.url${d.bytewise}, v.version`);

// Pages without a publisher are counted together, as "(unknown)".
const STATS = sql((d) => `
      WITH g AS (SELECT id, COALESCE(publisher, '(unknown)') AS publisher FROM pages)
      SELECT g.publisher,
             COUNT(DISTINCT g.id) AS pages,
             (SELECT COUNT(*) FROM snapshots s JOIN g g2 ON g2.id = s.page_id WHERE g2.publisher = g.publisher) AS snapshots,
             COUNT(DISTINCT p.id) AS posts,
             COUNT(DISTINCT v.id) AS versions,
             COUNT(DISTINCT x.contributor_id) AS contributors,
             COUNT(DISTINCT m.media_id) AS media,
             (SELECT MIN(captured_at) FROM snapshots s JOIN g g2 ON g2.id = s.page_id WHERE g2.publisher = g.publisher) AS "firstCapture",
             (SELECT MAX(captured_at) FROM snapshots s JOIN g g2 ON g2.id = s.page_id WHERE g2.publisher = g.publisher) AS "lastCapture",
             MIN(COALESCE(p.published_at, v.updated_at)) AS "firstPost",
             MAX(COALESCE(p.published_at, v.updated_at)) AS "lastPost"
      FROM g
      LEFT JOIN posts p ON p.page_id = g.id
      LEFT JOIN post_versions v ON v.post_id = p.id
      LEFT JOIN post_version_contributors x ON x.post_version_id = v.id
      LEFT JOIN post_version_media m ON m.post_version_id = v.id
      GROUP BY g.publisher
      ORDER BY g.publisher${d.bytewise}`);

/** Every version of a post with the captures that showed it, oldest first. */
export async function postHistory(archive: Archive, id: string, pageUrl?: string): Promise<VersionSighting[]> {
  const page = pageUrl ? (await findPage(archive, pageUrl)).url : null;
  const rows = await archive.db.all<Record<string, unknown>>(HISTORY, { id, page });
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
    // SQLite aggregates them as a JSON array, PostgreSQL as an array.
    snapshots: (typeof r['snapshots'] === 'string' ? JSON.parse(r['snapshots']) as string[] : r['snapshots'] as string[]).sort(),
    removedAt: r['removed_at'] as string | null,
  }));
}

/** Publishers as a reader looks for them: "abc" beside "ABC" and before "BBC", the same on every machine and backend. */
const PUBLISHER_ORDER = new Intl.Collator('en', { sensitivity: 'accent', numeric: true });

/** Per publisher, in alphabetical order whatever the case (names equal but for case: in code-point order, as the query gives them). */
export async function archiveStats(archive: Archive): Promise<PublisherStats[]> {
  // A row per publisher: few enough to sort here, where both backends sort alike.
  return (await archive.db.all<PublisherStats>(STATS)).sort((a, b) => PUBLISHER_ORDER.compare(a.publisher, b.publisher));
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
export async function runSql(archive: Archive, text: string, options: { timeoutMs?: number } = {}): Promise<SqlResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const what = querySubject(text);
  if (archive.backend === 'postgres') return (await import('./pg/query.js')).readOnlyQuery(archive, text, { timeoutMs, what });
  return queryInChild(archive, text, undefined, { timeoutMs, forbidden: FORBIDDEN, what });
}
