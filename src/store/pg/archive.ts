import pg from 'pg';
import { LiveArchiveError, SchemaError } from '../../errors.js';
import { archiveError, NO_ARCHIVE_YET, shownUrl, type Archive, type OpenOptions } from '../archive.js';
import { loadMigrations as loadFrom, type Migration } from '../migrate.js';
import { PgDb, TYPES } from './db.js';

const MIGRATIONS_DIR = new URL('../migrations/postgres/', import.meta.url);
const loadMigrations = (): Migration[] => loadFrom(MIGRATIONS_DIR);

/** The schema version of a PostgreSQL archive this livearchive writes (its own numbering: see migrations/postgres/). */
export const PG_SCHEMA_VERSION = loadMigrations().at(-1)?.version ?? 0;

/** The advisory lock migrations hold, so that writers opening a new archive at once create it once. */
const MIGRATION_LOCK = 'livearchive migrations';

/** Connections a process keeps: a reader's cursor, the statements it runs between rows, a writer. */
const POOL_SIZE = 4;

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS livearchive_schema (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
)`;

async function schemaVersion(db: pg.Pool | pg.PoolClient): Promise<number | null> {
  // From the catalog as of now (an MVCC read), not from this connection's name cache, which may
  // not yet know of a table another process created while this one waited for the lock.
  const table = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'livearchive_schema'`);
  if (table.rows[0]!.n === 0) return null;
  return (await db.query<{ v: number | null }>('SELECT max(version) AS v FROM livearchive_schema')).rows[0]?.v ?? 0;
}

/** Whether the database holds tables of its own that are not an archive's: never written into. */
async function foreignTables(db: pg.Pool | pg.PoolClient): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()`)).rows[0]!.n;
}

/**
 * Bring the archive to the current schema: each migration in one transaction with its row in
 * livearchive_schema, under an advisory lock, so that several machines opening a new archive
 * at the same moment create it once.
 */
async function migrate(pool: pg.Pool, path: string): Promise<void> {
  const current = await schemaVersion(pool);
  if (current !== null && current > PG_SCHEMA_VERSION) {
    throw new SchemaError(path, `archive has schema version ${current}, newer than this livearchive understands (${PG_SCHEMA_VERSION}); upgrade livearchive`);
  }
  if (current === PG_SCHEMA_VERSION) return;
  const client = await pool.connect();
  try {
    for (const m of loadMigrations()) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
        // Read again under the lock: another process may have created the archive, or applied
        // this migration, while this one waited.
        const now = await schemaVersion(client);
        if (now === null && await foreignTables(client) > 0) {
          throw new SchemaError(path, 'not a livearchive archive (a database with other tables); choose another database or schema');
        }
        if ((now ?? 0) < m.version) {
          await client.query(VERSION_TABLE);
          await client.query(m.sql);
          await client.query('INSERT INTO livearchive_schema (version, name) VALUES ($1, $2)', [m.version, m.name]);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    client.release();
  }
}

/**
 * Open an archive in a PostgreSQL database (postgres://user@host:port/dbname; a password in the
 * URL, PGPASSWORD or ~/.pgpass). Writers create the schema in an empty database; read-only
 * opens never do, and their connections refuse every write (default_transaction_read_only).
 */
export async function openPgArchive(url: string, options: OpenOptions = {}): Promise<Archive> {
  const readonly = options.readonly ?? false;
  const path = shownUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    types: TYPES,
    application_name: 'livearchive',
    // A writer waiting for another machine's transaction gives up as a SQLite writer does.
    connectionTimeoutMillis: options.busyTimeoutMs ?? 30_000,
    ...(readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection the server closed is not this process's error: the pool makes another.
  pool.on('error', () => undefined);
  try {
    if (readonly) {
      const version = await schemaVersion(pool);
      if (version === null) throw new LiveArchiveError('E_INPUT', NO_ARCHIVE_YET, { subject: path });
      if (version !== PG_SCHEMA_VERSION) {
        throw new SchemaError(path, version < PG_SCHEMA_VERSION
          ? `archive has schema version ${version} and must be upgraded to ${PG_SCHEMA_VERSION}: run any writing command (ingest, reparse) on it once`
          : `archive has schema version ${version}, this livearchive reads ${PG_SCHEMA_VERSION}`);
      }
    } else {
      if (options.existing && (await schemaVersion(pool)) === null) throw new LiveArchiveError('E_INPUT', NO_ARCHIVE_YET, { subject: path });
      await migrate(pool, path);
    }
  } catch (err) {
    await pool.end();
    throw archiveError(path, err);
  }
  const database = new URL(url).pathname.replace(/^\//, '') || 'postgres';
  return {
    path, name: database, location: url, readonly, backend: 'postgres', db: new PgDb(pool, pool),
    close: () => pool.end(),
  };
}
