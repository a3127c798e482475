import type { Archive } from './archive.js';
import { sql } from './db.js';
import { filterParams, filterSql, type PostFilters } from './filters.js';
import { findPage } from './read.js';

const COUNT = sql((d) => `SELECT COUNT(*) AS n FROM posts p JOIN pages g ON g.id = p.page_id JOIN post_versions v ON v.id = p.latest_version_id WHERE ${filterSql(d)}`);

/** How many posts an export with these filters writes (for progress displays). */
export async function countPosts(archive: Archive, filters: PostFilters = {}): Promise<number> {
  const page = filters.page ? (await findPage(archive, filters.page)).url : undefined;
  return (await archive.db.get<{ n: number }>(COUNT, filterParams({ ...filters, ...(page ? { page } : {}) })))!.n;
}
