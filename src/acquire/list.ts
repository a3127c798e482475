import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { InputError } from '../errors.js';

/** Sources listed in a file: one URL or path per line; blank lines and " #" comments ignored. */
export async function readSourceList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new InputError(path, code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory (--from wants a file listing sources)' : (err as Error).message, err);
  }
  // A relative path is relative to the list, so a list works from any directory.
  return text.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean)
    .map((s) => (/^https?:\/\//i.test(s) || s === '-' || isAbsolute(s) ? s : join(dirname(path), s)));
}
