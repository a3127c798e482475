import type { Database } from 'better-sqlite3';
import type { Archive } from './archive.js';

/** A module's own statements, prepared once per open archive (on first use) and reused. */
export function preparedOnce<T>(prepare: (db: Database) => T): (archive: Archive) => T {
  const cache = new WeakMap<Archive, T>();
  return (archive) => {
    let q = cache.get(archive);
    if (!q) {
      q = prepare(archive.db);
      cache.set(archive, q);
    }
    return q;
  };
}
