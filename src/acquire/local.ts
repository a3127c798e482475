import { createReadStream, realpathSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';
import type { Capture } from '../types.js';
import { DEFAULT_MAX_PAGE_BYTES, isWarcStart, maybeGunzip, tooLarge } from './bytes.js';

/** A source that is fetched rather than read here (the CLI asks this before loading any fetching code). */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Files taken from a directory: saved pages, page data, WARC and WACZ files; not the scripts and images saved beside them. */
const PAGE_FILE = /\.(?:html?|xhtml|shtml|gz|warc|wacz)$/i;
/** Page data saved as JSON: taken when an adapter claims it, else skipped. */
const DATA_FILE = /\.json$/i;

export interface LocalOptions {
  capturedAt?: Date;
  url?: string;
  /** Largest page accepted, after decompression (default DEFAULT_MAX_PAGE_BYTES). */
  maxPageBytes?: number;
  /** Only for tests: what "now" is for stdin. */
  now?: () => Date;
}

/** A path as the file system has it: a Buffer when its name is not valid UTF-8. */
export type LocalPath = string | Buffer;

/** What the first bytes of an input say it is, whatever its name. */
export type InputKind = 'warc' | 'zip' | 'page';

export function displayPath(path: LocalPath): string {
  return typeof path === 'string' ? path : path.toString('utf8');
}

function fsError(source: string, err: unknown): InputError {
  const code = (err as { code?: string }).code;
  // Not a file: a URL of another scheme (ftp://, file://) is not something livearchive fetches.
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(source)?.[1]?.toLowerCase();
  const looksLikeUrl = /^(?:[\w-]+\.)+[a-z]{2,}(?:\/|$)/i.test(source);
  const reason = code === 'ENOENT' && scheme ? `the ${scheme}: scheme is not supported: livearchive fetches http:// and https:// URLs${scheme === 'file' ? '; give a file as its path' : ', and reads files given as paths'}`
    : code === 'ENOENT' ? `no such file or directory${looksLikeUrl ? ' (for a web page, give the full URL with http:// or https://)' : ''}`
    : code === 'EACCES' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory'
    : (err as Error).message;
  return new InputError(source, reason, err);
}

/** The kind of input, from its first bytes: a WARC (plain or gzipped), a ZIP (perhaps a WACZ) or a page. */
export function sniff(head: Buffer): InputKind {
  if (isWarcStart(head)) return 'warc';
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'zip';
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // The first bytes of the first member are enough; inflating more could meet a later member's damage.
    for (const length of [64, 512, 4096, head.length]) {
      try {
        const start = gunzipSync(head.subarray(0, length), { finishFlush: constants.Z_SYNC_FLUSH });
        if (start.length >= 8) return isWarcStart(start) ? 'warc' : 'page';
      } catch {
        // Damaged gzip data is reported when the input is read.
      }
    }
  }
  return 'page';
}

/**
 * A path given on the command line whose name is not valid UTF-8 reaches Node with U+FFFD in
 * place of the bad bytes, and names no file. The directory's entry whose name reads the same
 * (as bytes) is the file meant.
 */
export async function resolveLocalPath(path: string): Promise<LocalPath> {
  if (!path.includes('\uFFFD')) return path;
  try {
    await stat(path);
    return path;
  } catch {
    const dir = dirname(path);
    const name = basename(path);
    try {
      const matches = (await readdir(dir, { encoding: 'buffer' })).filter((e) => e.toString('utf8') === name);
      if (matches.length === 1) return Buffer.concat([Buffer.from(`${dir}/`), matches[0]!]);
    } catch {
      // Reported when the path is read.
    }
    return path;
  }
}

/** The first bytes of a file, to tell what it is. */
export async function readHead(path: LocalPath, display: string, length = 65_536): Promise<Buffer> {
  try {
    const file = await open(path);
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (err) {
    throw fsError(display, err);
  }
}

export function fileStream(path: LocalPath): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 256 * 1024 });
}

export async function readFileCapture(path: LocalPath, options: LocalOptions): Promise<Capture> {
  const source = displayPath(path);
  const max = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  let bytes: Buffer;
  let mtime: Date;
  try {
    const info = await stat(path);
    // Refused before reading: a file past the limit is never loaded.
    if (info.isFile() && info.size > max) throw new InputError(source, tooLarge(max));
    [bytes, mtime] = [await readFile(path), info.mtime];
  } catch (err) {
    throw err instanceof InputError ? err : fsError(source, err);
  }
  return {
    source,
    origin: 'file',
    bytes: maybeGunzip(bytes, source, max),
    capturedAt: options.capturedAt ?? mtime,
    capturedAtSource: options.capturedAt ? 'option' : 'mtime',
    ...(options.url ? { url: options.url } : {}),
  };
}

/** Files under a directory, recursively, in a stable (sorted) order: those to read, and those skipped with the reason. */
export interface DirectoryListing {
  files: Array<{ path: LocalPath; optional?: string }>;
  skipped: Array<{ path: string; reason: string }>;
}

export async function listPageFiles(dir: string): Promise<DirectoryListing> {
  const listing: DirectoryListing = { files: [], skipped: [] };
  // Names are read as bytes, so that a name that is not valid UTF-8 can still be opened.
  const walk = async (at: Buffer): Promise<void> => {
    let entries;
    try {
      entries = await readdir(at, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      throw fsError(at.toString('utf8'), err);
    }
    for (const e of entries.sort((a, b) => Buffer.compare(a.name, b.name))) {
      const path = Buffer.concat([at, Buffer.from('/'), e.name]);
      const name = e.name.toString('utf8');
      if (e.isDirectory()) await walk(path);
      else if (!e.isFile()) continue;
      else if (PAGE_FILE.test(name)) listing.files.push({ path: readable(path) });
      else if (DATA_FILE.test(name)) listing.files.push({ path: readable(path), optional: 'not page data' });
      else listing.skipped.push({ path: path.toString('utf8'), reason: 'not a page' });
    }
  };
  await walk(Buffer.from(dir.replace(/\/+$/, '') || '/'));
  return listing;
}

/** A path as a string when its bytes are valid UTF-8 (what messages and most callers want), else as bytes. */
function readable(path: Buffer): LocalPath {
  const text = path.toString('utf8');
  return Buffer.from(text, 'utf8').equals(path) ? text : path;
}

/** Stdin, with its first bytes read ahead: what it is, and the whole stream (those bytes first). */
export async function peekStream(stdin: NodeJS.ReadableStream, length = 65_536): Promise<{ head: Buffer; stream: AsyncIterable<Uint8Array> }> {
  const iterator = (stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < length) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    first.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(first);
  async function* stream(): AsyncIterable<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  return { head, stream: stream() };
}

export async function readStdinCapture(stream: AsyncIterable<Uint8Array>, options: LocalOptions): Promise<Capture> {
  const max = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > max) throw new InputError('-', tooLarge(max));
    chunks.push(Buffer.from(chunk));
  }
  const now = options.now?.() ?? new Date();
  return {
    source: '-',
    origin: 'stdin',
    bytes: maybeGunzip(Buffer.concat(chunks), '-', max),
    capturedAt: options.capturedAt ?? now,
    capturedAtSource: options.capturedAt ? 'option' : 'now',
    ...(options.url ? { url: options.url } : {}),
  };
}

/** Whether two paths name the same file (or would: a file not yet there compares by full path). */
export function sameFile(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}
