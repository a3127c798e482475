import { stat } from 'node:fs/promises';
import { isUrl } from './index.js';
import { listPageFiles } from './local.js';

/**
 * How many sources an ingest will read: one per URL, file or stdin, and one per file it takes
 * inside a directory (one for a directory that holds none or cannot be read); a WARC or WACZ
 * counts once, however many records it holds. For progress displays; acquire() lists the
 * directories again as it reads them.
 */
export async function countSources(sources: string[]): Promise<number> {
  let n = 0;
  for (const source of sources) {
    if (isUrl(source) || source === '-') {
      n++;
      continue;
    }
    const isDir = await stat(source).then((s) => s.isDirectory(), () => false);
    n += isDir ? Math.max(1, await listPageFiles(source).then((l) => l.files.length, () => 1)) : 1;
  }
  return n;
}
