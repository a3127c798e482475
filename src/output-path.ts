import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { LiveArchiveError } from './errors.js';

/** What is at a path, or nothing: also when a folder on the way is a file (ENOTDIR). */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * A file the user names for livearchive to write (publish's copy, export --out, ingest/watch
 * --warc, a new archive of --db), checked before anything is written: what is wrong is said
 * about the path as given, never as the temporary file or the system call that would have
 * failed. `cannot` leads the messages about its folder.
 */
export function checkOutputPath(path: string, cannot = 'cannot write'): void {
  const fail = (message: string): never => {
    throw new LiveArchiveError('E_INPUT', message, { subject: path });
  };
  if (statOf(path)?.isDirectory()) fail('is a directory');
  const dir = dirname(path);
  const folder = statOf(dir);
  if (!folder) fail(`${cannot}: no folder ${dir}`);
  if (!folder!.isDirectory()) fail(`${cannot}: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail(`${cannot}: no permission to write in ${dir}`);
  }
}

const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full', EDQUOT: 'over the disk quota', EROFS: 'a read-only file system',
  SQLITE_FULL: 'the disk is full', SQLITE_CANTOPEN: 'cannot create the file there', SQLITE_READONLY: 'a read-only file system',
  EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'is a directory', ENOENT: 'its folder went away',
};

/** A write that failed after the checks (a full disk, a folder removed meanwhile), said in words; unknown codes as the system says them. */
export function cannotWrite(path: string, err: unknown): LiveArchiveError {
  const code = (err as { code?: string }).code ?? '';
  const words = WRITE_FAILURES[code] ?? (err as Error).message;
  return new LiveArchiveError('E_INPUT', `cannot write: ${words}`, { subject: path, cause: err });
}
