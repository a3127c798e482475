import { stat } from 'node:fs/promises';
import { InputError, LiveArchiveError } from '../errors.js';
import type { Capture, FetchInfo } from '../types.js';
import { FetchError, type Fetcher, type Validators } from './http.js';
import { listPageFiles, readFileCapture, readStdinCapture, type LocalOptions } from './local.js';

export interface AcquireOptions extends LocalOptions {
  stdin?: NodeJS.ReadableStream;
  /** Fetches http(s) sources; without one, URLs are refused. */
  fetcher?: Fetcher;
  /** The validators of a URL's last capture, for conditional requests. */
  validators?: (url: string) => Validators;
  /** How many URLs are fetched at the same time (each host still gets its own limit). */
  concurrency?: number;
}

/** One source's outcome. Failures do not stop the other sources. */
export type Acquired =
  | { kind: 'capture'; capture: Capture }
  | { kind: 'not-modified'; source: string; fetch: FetchInfo; capturedAt: Date }
  | { kind: 'failed'; source: string; error: LiveArchiveError };

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function failure(source: string, err: unknown): Acquired {
  const error = err instanceof LiveArchiveError ? err : new InputError(source, (err as Error).message, err);
  return { kind: 'failed', source, error };
}

async function* local(source: string, options: AcquireOptions): AsyncIterable<Acquired> {
  if (source === '-') {
    try {
      yield { kind: 'capture', capture: await readStdinCapture(options.stdin ?? process.stdin, options) };
    } catch (err) {
      yield failure(source, err);
    }
    return;
  }
  let isDir = false;
  try {
    isDir = (await stat(source)).isDirectory();
  } catch {
    // Reported with the read below, which gives the precise reason.
  }
  let files = [source];
  if (isDir) {
    try {
      files = await listPageFiles(source);
    } catch (err) {
      yield failure(source, err);
      return;
    }
    if (files.length === 0) yield failure(source, new InputError(source, 'directory holds no .html, .htm, .xhtml, .shtml or .gz pages'));
    if (files.length > 1 && options.capturedAt) {
      yield failure(source, new InputError(source, `--captured-at names one capture, and this directory holds ${files.length} pages`));
      return;
    }
  }
  for (const file of files) {
    try {
      yield { kind: 'capture', capture: await readFileCapture(file, options) };
    } catch (err) {
      yield failure(file, err);
    }
  }
}

async function fetchOne(url: string, options: AcquireOptions): Promise<Acquired> {
  if (!options.fetcher) return failure(url, new FetchError(url, 'URLs cannot be fetched here'));
  try {
    const r = await options.fetcher.fetchPage(url, options.validators?.(url) ?? {});
    if (!r.notModified) {
      const { capture } = r;
      return { kind: 'capture', capture: { ...capture, ...(options.url ? { url: options.url } : {}), ...(options.capturedAt ? { capturedAt: options.capturedAt, capturedAtSource: 'option' } : {}) } };
    }
    return { kind: 'not-modified', source: url, fetch: r.fetch, capturedAt: r.capturedAt };
  } catch (err) {
    return failure(url, err);
  }
}

/** Results of `run` over `items`, at most `limit` at a time, in the order they finish. */
async function* pooled<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): AsyncIterable<R> {
  const pending = new Map<number, Promise<{ key: number; value: R }>>();
  let next = 0;
  const start = (): void => {
    const key = next++;
    pending.set(key, run(items[key]!).then((value) => ({ key, value })));
  };
  while (next < items.length && pending.size < limit) start();
  while (pending.size > 0) {
    const { key, value } = await Promise.race(pending.values());
    pending.delete(key);
    if (next < items.length) start();
    yield value;
  }
}

/**
 * Files, directories (recursively), "-" for stdin, and http(s) URLs, one capture at a time:
 * local sources first in the order given, then URLs as their fetches finish.
 */
export async function* acquire(sources: string[], options: AcquireOptions = {}): AsyncIterable<Acquired> {
  for (const source of sources.filter((s) => !isUrl(s))) yield* local(source, options);
  yield* pooled(sources.filter(isUrl), Math.max(1, options.concurrency ?? 4), (url) => fetchOne(url, options));
}
