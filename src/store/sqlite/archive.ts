import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { LiveArchiveError, SchemaError } from '../../errors.js';
import { checkOutputPath, statOf } from '../../output-path.js';
import { archiveError, NO_ARCHIVE_YET, type Archive, type CloseOptions, type OpenOptions } from '../archive.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from '../migrate.js';
import { SqliteDb } from './db.js';

// SQLite reads "file:…?immutable=1" names only with URIs enabled, which better-sqlite3 does from
// this variable when its addon first loads (on the first open). Paths given with --db never
// start with "file:", so plain paths mean what they did.
process.env['SQLITE_USE_URI'] ??= '1';

/** Errors of a read-only open that an immutable open gets past: no -shm/-wal can be made beside a WAL archive. */
function cannotReadInPlace(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR');
}

/** The SQLite URI of a file opened as immutable: nothing (neither lock nor -shm) is written beside it. */
function immutableUri(path: string): string {
  return `${pathToFileURL(resolve(path)).href}?immutable=1`;
}

function configure(db: Database.Database, options: OpenOptions): void {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 30_000}`);
  db.pragma('foreign_keys = ON');
}

/** A read-only connection, in place or, failing that, immutable; its user_version already read once. */
function openReadonly(path: string, options: OpenOptions): { db: Database.Database; location: string } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    configure(db, options);
    schemaVersion(db);
    return { db, location: path };
  } catch (err) {
    db?.close();
    if (!cannotReadInPlace(err)) throw err;
    const location = immutableUri(path);
    const immutable = new Database(location, { readonly: true, fileMustExist: true });
    configure(immutable, options);
    options.onNote?.(`opened read-only as immutable (nothing can be written beside it: ${(err as Error).message}); changes made by others while this runs are not seen`);
    return { db: immutable, location };
  }
}

/**
 * Open (and create or migrate) an archive. Read-only opens never create one: a missing file
 * is reported. An archive of an older schema is upgraded first (a short write), so that a
 * new livearchive reads old archives without a separate step.
 *
 * An archive the reader may not write beside (a read-only directory or medium, another user's
 * files) cannot be opened in WAL mode, which needs its -shm file: it is then opened as
 * immutable, which reads the file as it is and writes nothing. A writer elsewhere is then not
 * seen while the command runs; the open says so through onNote.
 */
export function openSqliteArchive(path: string, options: OpenOptions = {}): Archive {
  const readonly = options.readonly ?? false;
  const existed = checkPath(path, readonly || options.existing === true);
  // Only the process that made the file may take it away again: two processes creating one
  // archive at once would otherwise delete it under each other. Creating it exclusively says
  // which one won.
  const created = !existed && !readonly && createExclusively(path);
  if (readonly) upgradeIfOlder(path, options);
  let db: Database.Database | undefined;
  let location = path;
  try {
    if (readonly) {
      ({ db, location } = openReadonly(path, options));
      const v = schemaVersion(db);
      if (v !== SCHEMA_VERSION) {
        throw new SchemaError(path, v === 0 ? 'not a livearchive archive' : `archive has schema version ${v}, this livearchive reads ${SCHEMA_VERSION}`);
      }
    } else {
      db = new Database(path);
      configure(db, options);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, path);
    }
    const opened = db;
    return {
      path, name: basename(path), location, readonly, backend: 'sqlite', db: new SqliteDb(opened), sqlite: opened,
      close: async (close: CloseOptions = {}) => {
        const discard = close.discardIfEmpty && created && !holdsAnything(opened);
        opened.close();
        if (discard) discardUnused(path);
      },
    };
  } catch (err) {
    db?.close();
    // An archive this open was creating when it failed holds nothing, unless another process is
    // at it too (it holds a lock this open waited for).
    if (created && !/^SQLITE_(?:BUSY|LOCKED)/.test((err as { code?: string }).code ?? '')) discardUnused(path);
    throw archiveError(path, err);
  }
}

/**
 * Whether an archive is already at `path`; a path that cannot be one (a directory, a file in a
 * folder that does not exist, or, for reading or changing one, nothing at all) is an input error naming it.
 */
function checkPath(path: string, mustExist: boolean): boolean {
  const stat = statOf(path);
  if (stat?.isDirectory()) throw new LiveArchiveError('E_INPUT', 'is a directory, not an archive file', { subject: path });
  if (stat) return true;
  if (mustExist) throw new LiveArchiveError('E_INPUT', NO_ARCHIVE_YET, { subject: path });
  checkOutputPath(path, 'cannot create the archive');
  return false;
}

/** Create an empty file at `path` unless one is there by now: whether this call made it. */
function createExclusively(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch {
    // Taken by another process, or not creatable here: opening it says what is wrong.
    return false;
  }
}

/**
 * Whether an archive holds a snapshot, or a check that reached a page (a revisit record, a 304).
 * Failed fetches alone do not count: they were reported, and are no archive.
 */
function holdsAnything(db: Database.Database): boolean {
  return db.prepare(`SELECT EXISTS (SELECT 1 FROM snapshots) OR EXISTS (SELECT 1 FROM http_checks WHERE outcome <> 'failed') AS n`).pluck().get() === 1;
}

/**
 * Remove an archive file this process created and left holding nothing, once its connection
 * is closed. The last connection to close removes the -wal and -shm files: when they are still
 * there, another process has the archive open (and may be writing to it), and it is kept.
 */
function discardUnused(path: string): void {
  if (existsSync(`${path}-wal`) || existsSync(`${path}-shm`)) return;
  rmSync(path, { force: true });
}

function upgradeIfOlder(path: string, options: OpenOptions): void {
  let version: number;
  try {
    const probe = openReadonly(path, {}).db;
    version = schemaVersion(probe);
    probe.close();
  } catch (err) {
    throw archiveError(path, err);
  }
  if (version === 0 || version >= SCHEMA_VERSION) return;
  try {
    openSqliteArchive(path, { ...options, readonly: false }).sqlite!.close();
  } catch (err) {
    if (err instanceof LiveArchiveError && err.code === 'E_READONLY') {
      throw new SchemaError(path, `archive has schema version ${version} and cannot be upgraded to ${SCHEMA_VERSION} here (read-only file)`);
    }
    throw err;
  }
}
