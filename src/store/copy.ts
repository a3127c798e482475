import { LiveArchiveError } from '../errors.js';
import type { Archive } from './archive.js';
import { sql, type Db } from './db.js';

/**
 * The tables of an archive and their columns, in an order that keeps every reference pointing
 * at a row already written (but posts.latest_version_id: the copy defers that check to its
 * commit). The same on both backends (test/store/backends.test.ts checks it against each schema);
 * a migration that adds a column adds it here too. The search index is rebuilt, not copied.
 */
export const TABLES: Record<string, string[]> = {
  pages: ['id', 'url', 'canonical_url', 'publisher', 'kind', 'title', 'headline', 'language', 'key_points', 'authors', 'coverage_start', 'coverage_end'],
  snapshots: ['id', 'page_id', 'sha256', 'captured_at', 'captured_at_source', 'source', 'origin', 'saved_from_url', 'byte_count', 'encoding', 'adapter_id',
    'adapter_version', 'parser_version', 'kind', 'title', 'headline', 'key_points', 'post_count', 'warnings', 'page_links', 'ingested_at', 'url_from',
    'page_count', 'complete', 'requested_url', 'final_url', 'http_status', 'http_headers', 'fetch_ms', 'provenance', 'warc_record_id', 'archive_url'],
  snapshot_raw: ['snapshot_id', 'part', 'url', 'content_type', 'sha256', 'bytes', 'encoding', 'base_snapshot_id', 'chain'],
  contributors: ['id', 'name'],
  media: ['id', 'media_hash', 'kind', 'url', 'name', 'alt', 'caption', 'credit', 'description', 'duration', 'thumbnail'],
  posts: ['id', 'page_id', 'post_key', 'first_seen_snapshot_id', 'last_seen_snapshot_id', 'removed_at_snapshot_id', 'latest_version_id', 'version_count', 'published_at'],
  post_versions: ['id', 'post_id', 'version', 'content_hash', 'first_snapshot_id', 'url', 'headline', 'body_text', 'body_html', 'published_at', 'updated_at', 'origin', 'key_event'],
  snapshot_posts: ['snapshot_id', 'post_id', 'post_version_id', 'position', 'pinned', 'display_time'],
  post_version_contributors: ['post_version_id', 'position', 'contributor_id', 'role'],
  post_version_media: ['post_version_id', 'position', 'media_id'],
  http_checks: ['id', 'url', 'page_id', 'checked_at', 'status', 'outcome', 'etag', 'last_modified', 'snapshot_id', 'error', 'provenance'],
};

/** The tables whose rows carry an id of their own, and the identity PostgreSQL must continue after. */
const WITH_IDS = Object.entries(TABLES).filter(([, columns]) => columns[0] === 'id').map(([table]) => table);

/** Parameters per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535. */
const BATCH_VALUES = 4000;

/** Each table read in the order of its key, so that a copy of a copy is the same copy. */
const READ = Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => {
  const key = columns[0] === 'id' ? 'id' : table === 'snapshot_raw' ? 'snapshot_id, part' : table === 'snapshot_posts' ? 'snapshot_id, post_id' : 'post_version_id, position';
  return [table, sql(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${key}`)];
}));

const EMPTY = sql(`SELECT (SELECT COUNT(*) FROM pages) + (SELECT COUNT(*) FROM snapshots) + (SELECT COUNT(*) FROM http_checks) AS n`);

const REBUILD_SEARCH = sql({
  sqlite: `INSERT INTO post_search (post_search) VALUES ('rebuild')`,
  postgres: `INSERT INTO post_search (version_id, config, document)
    SELECT t.id, c.config, post_search_document(c.config, t.headline, t.body, t.captions, t.contributors)
    FROM post_search_text t JOIN post_versions v ON v.id = t.id JOIN posts p ON p.id = v.post_id
    CROSS JOIN LATERAL (SELECT COALESCE(g.search_config, 'simple'::regconfig) AS config FROM pages g WHERE g.id = p.page_id) c`,
});

export interface CopyResult {
  from: string;
  to: string;
  /** Rows copied, per table. */
  rows: Record<string, number>;
}

async function insertBatch(tx: Db, table: string, columns: string[], rows: Array<Record<string, unknown>>): Promise<void> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => row).join(', ')}`, rows.flatMap((r) => columns.map((c) => r[c])));
}

/**
 * Copy a whole archive into an empty one — SQLite to PostgreSQL, PostgreSQL to SQLite, or either
 * to its own kind — table by table, streaming (a cursor on the source, batched inserts on the
 * destination), in one transaction on the destination: a copy that fails leaves it empty. Ids
 * are kept, so the copy is the same archive; the search index is built anew on the destination.
 */
export async function copyArchive(from: Archive, to: Archive, onTable?: (table: string, rows: number) => void): Promise<CopyResult> {
  if ((await to.db.get<{ n: number }>(EMPTY))!.n > 0) {
    throw new LiveArchiveError('E_INPUT', 'the destination already holds an archive: copy into a new file or an empty database', { subject: to.path });
  }
  const rows: Record<string, number> = {};
  try {
    await copyTables(from, to, rows, onTable);
  } catch (e) {
    // The source holds rows its own schema forbids (written with foreign keys off, or damaged):
    // the destination checks them and says no. That is about the source, not a fault of ours.
    if (!violatesConstraint(e)) throw e;
    throw new LiveArchiveError('E_INPUT', `cannot be copied: it holds rows that break the archive's constraints (${(e as Error).message}); nothing was written`, { subject: from.path });
  }
  return { from: from.path, to: to.path, rows };
}

/** SQLite's SQLITE_CONSTRAINT_* codes; PostgreSQL's class 23 (integrity constraint violation). */
function violatesConstraint(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code));
}

async function copyTables(from: Archive, to: Archive, rows: Record<string, number>, onTable?: (table: string, rows: number) => void): Promise<void> {
  await to.db.transaction(async (tx) => {
    // posts.latest_version_id names a version written after the posts: checked at commit.
    await tx.query(to.backend === 'sqlite' ? 'PRAGMA defer_foreign_keys = ON' : 'SET CONSTRAINTS ALL DEFERRED');
    for (const [table, columns] of Object.entries(TABLES)) {
      const perBatch = Math.max(1, Math.floor(BATCH_VALUES / columns.length));
      let batch: Array<Record<string, unknown>> = [];
      let n = 0;
      for await (const row of from.db.iterate<Record<string, unknown>>(READ[table]!)) {
        batch.push(row);
        n++;
        if (batch.length >= perBatch) {
          await insertBatch(tx, table, columns, batch);
          batch = [];
        }
      }
      if (batch.length > 0) await insertBatch(tx, table, columns, batch);
      rows[table] = n;
      onTable?.(table, n);
    }
    await tx.run(REBUILD_SEARCH);
    if (to.backend === 'postgres') {
      for (const table of WITH_IDS) await tx.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`);
    }
  });
}
