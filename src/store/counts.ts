import type { Statement } from 'better-sqlite3';
import type { Archive } from './archive.js';
import { FILTER_SQL, filterParams, type PostFilters } from './filters.js';
import { findPage } from './read.js';

const statements = new WeakMap<Archive, Statement<[Record<string, unknown>], { n: number }>>();

/** How many posts an export with these filters writes (for progress displays). */
export function countPosts(archive: Archive, filters: PostFilters = {}): number {
  let stmt = statements.get(archive);
  if (!stmt) {
    stmt = archive.db.prepare(`SELECT COUNT(*) AS n FROM posts p JOIN pages g ON g.id = p.page_id JOIN post_versions v ON v.id = p.latest_version_id WHERE ${FILTER_SQL}`);
    statements.set(archive, stmt);
  }
  const page = filters.page ? findPage(archive, filters.page).url : undefined;
  return stmt.get(filterParams({ ...filters, ...(page ? { page } : {}) }))!.n;
}
