import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EXIT, LiveArchiveError, LockedError, ReadonlyError, SchemaError } from '../errors.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrate.js';
import { Queries } from './queries.js';

export interface Archive {
  path: string;
  db: Database.Database;
  q: Queries;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
  /** How long a writer waits for another process's transaction before giving up. */
  busyTimeoutMs?: number;
}

/** Map SQLite's errors to the archive's typed errors, naming the file. */
export function archiveError(path: string, err: unknown): unknown {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LockedError(path, 'archive is busy (another process holds the write lock too long); try again', err);
  }
  if (code.startsWith('SQLITE_READONLY')) return new ReadonlyError(path, 'archive is read-only');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new SchemaError(path, `not a usable SQLite archive (${message})`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || /directory does not exist/i.test(message)) {
    return new LiveArchiveError('E_INPUT', `cannot open the archive (${message.replace(/^unable to open database file$/, 'not a file that can be opened')})`, { subject: path, exitCode: EXIT.archive });
  }
  return err;
}

/**
 * Open (and create or migrate) an archive. Read-only opens never create one: a missing file
 * is reported. An archive of an older schema is upgraded first (a short write), so that a
 * new livearchive reads old archives without a separate step.
 */
export function openArchive(path: string, options: OpenOptions = {}): Archive {
  const readonly = options.readonly ?? false;
  if (readonly && !existsSync(path)) {
    throw new LiveArchiveError('E_INPUT', 'no archive here yet (ingest a page first, or pass --db)', { subject: path });
  }
  if (readonly) upgradeIfOlder(path, options);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 30_000}`);
    db.pragma('foreign_keys = ON');
    if (readonly) {
      const v = schemaVersion(db);
      if (v !== SCHEMA_VERSION) {
        throw new SchemaError(path, v === 0 ? 'not a livearchive archive' : `archive has schema version ${v}, this livearchive reads ${SCHEMA_VERSION}`);
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, path);
    }
    const opened = db;
    return { path, db: opened, q: new Queries(opened), close: () => opened.close() };
  } catch (err) {
    db?.close();
    throw archiveError(path, err);
  }
}

function upgradeIfOlder(path: string, options: OpenOptions): void {
  let version: number;
  try {
    const probe = new Database(path, { readonly: true, fileMustExist: true });
    version = schemaVersion(probe);
    probe.close();
  } catch (err) {
    throw archiveError(path, err);
  }
  if (version === 0 || version >= SCHEMA_VERSION) return;
  try {
    openArchive(path, { ...options, readonly: false }).close();
  } catch (err) {
    if (err instanceof LiveArchiveError && err.code === 'E_READONLY') {
      throw new SchemaError(path, `archive has schema version ${version} and cannot be upgraded to ${SCHEMA_VERSION} here (read-only file)`);
    }
    throw err;
  }
}
