import type { Database } from 'better-sqlite3';
import { EXIT, LiveArchiveError, LockedError, ReadonlyError, SchemaError, TimeoutError } from '../errors.js';
import type { Backend, Db } from './db.js';

export interface Archive {
  /** The archive as the user named it: a file path, or a postgres:// URL (without its password). */
  path: string;
  /** Its short name: the file's name, or the database's. */
  name: string;
  /** What SQLite was given: the path, or an immutable URI when the archive could not be read in place. */
  location: string;
  readonly: boolean;
  backend: Backend;
  db: Db;
  /** The SQLite connection itself, for what only SQLite does (VACUUM INTO, Datasette's schema, the sql child). */
  sqlite?: Database;
  /**
   * Close the connection. With `discardIfEmpty`, an archive file this open created is removed
   * again when it holds no snapshot and no check but failed fetches: a command that archived
   * nothing leaves no empty archive behind. An archive that existed before is never removed, and neither is a PostgreSQL
   * database's schema (the database itself was there before).
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  discardIfEmpty?: boolean;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Refuse to create the archive: for commands that only change what one holds (reparse, retime). */
  existing?: boolean;
  /** How long a writer waits for another process's transaction before giving up. */
  busyTimeoutMs?: number;
  /** Told how the archive was opened when that is worth knowing (an immutable open). */
  onNote?: (message: string) => void;
}

/** What a command that needs an archive says where there is none. */
export const NO_ARCHIVE_YET = 'no archive here yet (ingest a page first, or pass --db)';

/** Whether --db names a PostgreSQL database (postgres:// or postgresql://) rather than a file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** A postgres:// URL as it may be shown: without the password it may hold. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/**
 * Open (and create or migrate) an archive: a SQLite file, or a PostgreSQL database given as a
 * postgres:// URL. Each backend's code is loaded only when an archive of its kind is opened.
 */
export async function openArchive(location: string, options: OpenOptions = {}): Promise<Archive> {
  if (isPostgresUrl(location)) return (await import('./pg/archive.js')).openPgArchive(location, options);
  return (await import('./sqlite/archive.js')).openSqliteArchive(location, options);
}

/** PostgreSQL's SQLSTATEs (and the client's socket errors) that are about the archive, not a bug. */
function pgError(path: string, code: string, message: string, err: unknown): unknown {
  if (code === '40001' || code === '40P01' || code === '55P03' || code === '53300') {
    return new LockedError(path, `archive is busy (${message}); try again`, err);
  }
  if (code === '25006') return new ReadonlyError(path, 'archive is read-only here');
  if (code === '57014') return new TimeoutError(path, `stopped: ${message}`);
  if (code === '42501') return new ReadonlyError(path, `not allowed (${message})`);
  if (/^(?:28|3D|08)/.test(code) || /^(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)$/.test(code)) {
    return new LiveArchiveError('E_INPUT', `cannot open the archive (${message})`, { subject: path, exitCode: EXIT.archive });
  }
  if (code === '42P01' || code === '42703') return new SchemaError(path, `not a usable livearchive archive (${message})`);
  return err;
}

/** Map the database's errors to the archive's typed errors, naming the archive. */
export function archiveError(path: string, err: unknown): unknown {
  if (err instanceof LiveArchiveError) return err;
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
  if (/^[0-9A-Z]{5}$/.test(code) || /^E[A-Z_]+$/.test(code)) return pgError(path, code, message, err);
  return err;
}
