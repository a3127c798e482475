import { readdir, readFile, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Capture } from '../types.js';
import { DEFAULT_MAX_PAGE_BYTES, maybeGunzip, tooLarge } from './bytes.js';

/** Files taken from a directory: saved pages, not the scripts and images saved beside them. */
const PAGE_FILE = /\.(?:html?|xhtml|shtml|html?\.gz|gz)$/i;

export interface LocalOptions {
  capturedAt?: Date;
  url?: string;
  /** Largest page accepted, after decompression (default DEFAULT_MAX_PAGE_BYTES). */
  maxPageBytes?: number;
  /** Only for tests: what "now" is for stdin. */
  now?: () => Date;
}

function fsError(source: string, err: unknown): InputError {
  const code = (err as { code?: string }).code;
  const looksLikeUrl = /^(?:[\w-]+\.)+[a-z]{2,}(?:\/|$)|^\w+:\/\//i.test(source);
  const reason = code === 'ENOENT' ? `no such file or directory${looksLikeUrl ? ' (for a web page, give the full URL with http:// or https://)' : ''}`
    : code === 'EACCES' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory'
    : (err as Error).message;
  return new InputError(source, reason, err);
}

export async function readFileCapture(path: string, options: LocalOptions): Promise<Capture> {
  const max = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  let bytes: Buffer;
  let mtime: Date;
  try {
    const info = await stat(path);
    // Refused before reading: a file past the limit is never loaded.
    if (info.isFile() && info.size > max) throw new InputError(path, tooLarge(max));
    [bytes, mtime] = [await readFile(path), info.mtime];
  } catch (err) {
    throw err instanceof InputError ? err : fsError(path, err);
  }
  return {
    source: path,
    origin: 'file',
    bytes: maybeGunzip(bytes, path, max),
    capturedAt: options.capturedAt ?? mtime,
    capturedAtSource: options.capturedAt ? 'option' : 'mtime',
    ...(options.url ? { url: options.url } : {}),
  };
}

/** Page files under a directory, recursively, in a stable (sorted) order. */
export async function listPageFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    throw fsError(dir, err);
  }
  return entries
    .filter((e) => e.isFile() && PAGE_FILE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export async function readStdinCapture(stdin: NodeJS.ReadableStream, options: LocalOptions): Promise<Capture> {
  const max = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += b.length;
    if (size > max) throw new InputError('-', tooLarge(max));
    chunks.push(b);
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
