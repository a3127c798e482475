import { stat } from 'node:fs/promises';
import { isUrl } from './index.js';
import { listPageFiles } from './local.js';

/**
 * How many results an ingest of these sources will give: one per URL, file or stdin, and one
 * per page file inside a directory (one for a directory that holds none or cannot be read).
 * For progress displays; acquire() lists the directories again as it reads them.
 */
export async function countSources(sources: string[]): Promise<number> {
  let n = 0;
  for (const source of sources) {
    if (isUrl(source) || source === '-') {
      n++;
      continue;
    }
    const isDir = await stat(source).then((s) => s.isDirectory(), () => false);
    n += isDir ? Math.max(1, await listPageFiles(source).then((f) => f.length, () => 1)) : 1;
  }
  return n;
}
