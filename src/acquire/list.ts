import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** Sources listed in a file: one URL or path per line; blank lines and "#" comments ignored. */
export async function readSourceList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(path, (err as { code?: string }).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message, err);
  }
  return text.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);
}
