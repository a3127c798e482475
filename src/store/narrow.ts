import type { Archive } from './archive.js';
import { sql, type Dialect, type Sql } from './db.js';
import { pageFilterSql } from './filters.js';

/**
 * A search whose filter keeps few posts is narrowed to those posts' versions before the word's
 * matches are read: a word common in the archive but rare under the filter would otherwise have
 * tens of thousands of its matches looked up to find the few that pass. Each backend reads the
 * narrowed set its own way (FTS5: search.ts; PostgreSQL: pg/search.ts). A filter leaving more
 * than NARROW_TO posts, or more than 1 in 20 of all posts, is checked as matches come instead:
 * matches that pass it come soon enough in the plain read. Only speed depends on the choice.
 */
export const NARROW_TO = 20_000;

/** The posts an indexed filter leaves, as post ids: the pages chosen, a contributor's posts, or a time range. */
const DRIVERS = {
  pages: (d: Dialect) => `SELECT p.id FROM posts p WHERE ${ids(d, 'p.page_id', '@d_pages')}`,
  contributors: (d: Dialect) => `SELECT DISTINCT v.post_id FROM post_version_contributors x JOIN post_versions v ON v.id = x.post_version_id
    WHERE ${ids(d, 'x.contributor_id', '@d_contributors')}`,
  // A post without a first-publication time is timed by its update time: those are kept for the filter to judge.
  time: (d: Dialect) => `SELECT id FROM posts WHERE published_at >= ${d.typed('@d_since', 'timestamptz')} AND published_at < ${d.typed('@d_until', 'timestamptz')}
    UNION ALL SELECT id FROM posts WHERE published_at IS NULL`,
} as const;
export type Driver = keyof typeof DRIVERS;
export const drivers = Object.keys(DRIVERS) as Driver[];

/**
 * `column` is one of a list of ids: SQLite takes the list as JSON, PostgreSQL as an array,
 * whose values its planner sees (how many posts the pages hold, say).
 */
function ids(d: Dialect, column: string, param: string): string {
  return d.backend === 'sqlite' ? `${column} IN (SELECT value FROM json_each(${param}))` : `${column} = ANY(${param}::bigint[])`;
}

/** No bound, in each backend's reading of the time parameters (ISO text on SQLite, timestamptz on PostgreSQL). */
const UNBOUNDED = { sqlite: { since: '', until: '\uffff' }, postgres: { since: '-infinity', until: 'infinity' } } as const;

/** The ids of the versions of the posts a driver leaves (`ORDER BY` to be added where needed). */
export function driverVersionsSql(d: Dialect, driver: Driver): string {
  return `WITH c(post_id) AS (${DRIVERS[driver](d)}) SELECT v.id FROM c JOIN post_versions v ON v.post_id = c.post_id`;
}

/** One statement per driver. */
export function perDriver(f: (driver: Driver) => Text): Record<Driver, Sql> {
  return Object.fromEntries(drivers.map((driver) => [driver, sql(f(driver))])) as Record<Driver, Sql>;
}
type Text = Parameters<typeof sql>[0];

const S = {
  count: perDriver((driver) => (d: Dialect) => `SELECT COUNT(*) AS n FROM (${DRIVERS[driver](d)} LIMIT @cap) c`),
  pages: sql((d) => `SELECT id FROM pages g WHERE ${pageFilterSql(d)}`),
  contributors: sql((d) => `SELECT id FROM contributors WHERE name ${d.ilike} ?`),
  // Posts are never deleted but by reparse, so the largest id is their number, or near it, at no cost.
  postCount: sql(`SELECT COALESCE(MAX(id), 0) AS n FROM posts`),
};

export interface Narrowed {
  driver: Driver;
  /** The driver's parameters (d_…), to pass with the statement that reads its versions. */
  params: Record<string, unknown>;
  /** How many posts it leaves. */
  n: number;
}

/** How many posts the archive holds, near enough (the largest post id). */
export async function postCount(archive: Archive): Promise<number> {
  return (await archive.db.get<{ n: number }>(S.postCount))!.n;
}

/**
 * The most selective indexed filter among `filters` (filterParams) and how many posts it
 * leaves, when that is at most `narrowTo` (default: NARROW_TO, or 1 in 20 of `posts` if fewer);
 * each count stops there, so choosing costs little. Undefined: no filter narrows the search.
 */
export async function chooseDriver(archive: Archive, f: Record<string, string | null>, posts: number, narrowTo?: number): Promise<Narrowed | undefined> {
  const { db } = archive;
  const limit = narrowTo ?? Math.min(NARROW_TO, Math.floor(posts / 20));
  const list = async (s: Sql, params: Record<string, unknown> | string[]): Promise<unknown> => {
    const found = (await db.all<{ id: number }>(s, params)).map((r) => r.id);
    return archive.backend === 'sqlite' ? JSON.stringify(found) : found;
  };
  const options: Array<{ driver: Driver; params: Record<string, unknown> }> = [];
  if (f['f_page'] !== null || f['f_publisher'] !== null || f['f_kind'] !== null) {
    options.push({ driver: 'pages', params: { d_pages: await list(S.pages, f) } });
  }
  if (f['f_contributor'] !== null) {
    options.push({ driver: 'contributors', params: { d_contributors: await list(S.contributors, [f['f_contributor']!]) } });
  }
  if (f['f_since'] !== null || f['f_until'] !== null) {
    const unbounded = UNBOUNDED[archive.backend];
    options.push({ driver: 'time', params: { d_since: f['f_since'] ?? unbounded.since, d_until: f['f_until'] ?? unbounded.until } });
  }
  let best: Narrowed | undefined;
  for (const o of options) {
    const n = (await db.get<{ n: number }>(S.count[o.driver], { ...o.params, cap: limit + 1 }))!.n;
    if (n <= limit && (!best || n < best.n)) best = { ...o, n };
  }
  return best;
}
