import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { InputError } from '../errors.js';
import { readWarc, type WarcItem, type WarcTally } from './warc.js';

/** WARCs of a WACZ live under archive/ (WACZ 1.1.1, "Directory Layout"). */
const WARC_ENTRY = /^archive\/[^/]+\.warc(?:\.gz)?$/;

export interface Wacz {
  /** The WARC entries, in the ZIP's order. */
  warcs: string[];
  /** Reads each WARC in place, streamed from the ZIP (stored or deflated), one record at a time. */
  read(tally: WarcTally): AsyncGenerator<WarcItem, WarcTally>;
  close(): void;
}

/**
 * Open a ZIP and tell whether it is a WACZ: a datapackage.json at its root, or WARCs under
 * archive/. Null when it is some other ZIP. The file is opened by descriptor, so a path that
 * is not valid UTF-8 (a Buffer) opens too.
 */
export async function openWacz(path: string | Buffer, name: string, maxPageBytes?: number): Promise<Wacz | null> {
  let zip: ZipFile;
  // A plain descriptor: yauzl owns it from here and closes it with the ZipFile.
  const fd = openSync(path, 'r');
  try {
    zip = await yauzl.fromFdPromise(fd, { lazyEntries: true, autoClose: false });
  } catch (err) {
    closeSync(fd);
    throw new InputError(name, `damaged ZIP file (${(err as Error).message})`, err);
  }
  const entries: Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (err) {
    zip.close();
    throw new InputError(name, `damaged ZIP file (${(err as Error).message})`, err);
  }
  const warcs = entries.filter((e) => WARC_ENTRY.test(e.fileName));
  if (warcs.length === 0 && !entries.some((e) => e.fileName === 'datapackage.json')) {
    zip.close();
    return null;
  }
  const file = typeof path === 'string' ? resolve(path) : path.toString('utf8');
  return {
    warcs: warcs.map((e) => e.fileName),
    async *read(tally) {
      for (const entry of warcs) {
        const where = { name: `${name}!${entry.fileName}`, file, entry: entry.fileName, ...(maxPageBytes ? { maxPageBytes } : {}) };
        let stream;
        try {
          stream = await zip.openReadStreamPromise(entry);
        } catch (err) {
          throw new InputError(where.name, `cannot be read from the ZIP (${(err as Error).message})`, err);
        }
        yield* readWarc(stream, where, tally);
      }
      return tally;
    },
    close() {
      zip.close();
    },
  };
}
