import { readdirSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { SchemaError } from '../errors.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations in a folder (SQLite's by default; PostgreSQL's are in migrations/postgres/), in order. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(new URL(f, dir), 'utf8') }));
}

export const SCHEMA_VERSION = loadMigrations().at(-1)?.version ?? 0;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring the archive to the current schema: each migration runs in one transaction together
 * with its user_version bump, so a failure leaves the archive at the previous version.
 * Foreign keys are off around each migration (SQLite ignores the pragma inside a transaction),
 * so that a migration may rebuild a table by SQLite's documented 12-step procedure; every
 * reference is checked with PRAGMA foreign_key_check before the migration commits.
 */
export function migrate(db: Database, path: string): void {
  const current = schemaVersion(db);
  if (current === 0 && (db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master`).get() as { n: number }).n > 0) {
    throw new SchemaError(path, 'not a livearchive archive (an SQLite database with other tables); choose another --db');
  }
  if (current > SCHEMA_VERSION) {
    throw new SchemaError(path, `archive has schema version ${current}, newer than this livearchive understands (${SCHEMA_VERSION}); upgrade livearchive`);
  }
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of loadMigrations()) {
      if (m.version <= current) continue;
      db.transaction(() => {
        // Another process may have applied it while this one waited for the write lock.
        if (schemaVersion(db) >= m.version) return;
        db.exec(m.sql);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new SchemaError(path, `migration ${m.name} would leave ${broken.length} broken references; the archive is left at version ${schemaVersion(db)}`);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
