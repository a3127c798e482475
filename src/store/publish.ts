import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LiveArchiveError } from '../errors.js';
import { cannotWrite, checkOutputPath } from '../output-path.js';
import { archiveError, openArchive, type Archive } from './archive.js';
import { copyArchive } from './copy.js';

/** A PostgreSQL archive copied into a new SQLite file, then compacted as VACUUM INTO compacts. */
async function copyInto(archive: Archive, path: string): Promise<void> {
  const copy = await openArchive(path);
  try {
    await copyArchive(archive, copy);
    copy.sqlite!.exec('VACUUM');
  } finally {
    await copy.close();
  }
}

export interface Published {
  path: string;
  bytes: number;
  journalMode: string;
}

/**
 * A compact, self-contained SQLite copy of the archive that anyone can open read-only: of a
 * SQLite archive, VACUUM INTO (a consistent snapshot, full-text index included, free pages
 * dropped); of a PostgreSQL one, a copy (see copy.ts) into a new SQLite file. Either is then
 * switched from WAL to a rollback journal, because a WAL file cannot be read where its -shm file
 * cannot be made (read-only media, another user's directory). Written beside the target and
 * renamed, so a failure leaves nothing half-written.
 */
export async function publishArchive(archive: Archive, out: string, options: { force?: boolean } = {}): Promise<Published> {
  checkOutputPath(out);
  if (existsSync(out) && !options.force) {
    throw new LiveArchiveError('E_INPUT', 'already exists (give --force to replace it)', { subject: out });
  }
  const tmp = `${out}.partial`;
  rmSync(tmp, { force: true });
  try {
    if (archive.sqlite) archive.sqlite.prepare('VACUUM INTO ?').run(tmp);
    else await copyInto(archive, tmp);
    const copy = new Database(tmp);
    const journalMode = copy.pragma('journal_mode = DELETE', { simple: true }) as string;
    copy.close();
    renameSync(tmp, out);
    return { path: out, bytes: statSync(out).size, journalMode };
  } catch (err) {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
    const code = (err as { code?: string }).code ?? '';
    if (/^E[A-Z]+$/.test(code) || code.startsWith('SQLITE_CANTOPEN')) {
      throw cannotWrite(out, err);
    }
    throw archiveError(archive.path, err);
  }
}
